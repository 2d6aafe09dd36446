import * as path from 'path';
import { readFileSync } from 'fs';
import { parseRecord } from '../../../src/ingest';
import { FIXTURES } from '../../fixtures/ingest/collect';

const base = {
  eventTime: '2026-11-02T10:15:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'eu-west-1',
  eventID: 'e-1',
};

/** `base` without one field. */
function without(field: keyof typeof base): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base };
  delete copy[field];
  return copy;
}

function ok(raw: unknown) {
  const result = parseRecord(raw);
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.event;
}

function reason(raw: unknown): string {
  const result = parseRecord(raw);
  if (result.ok) throw new Error('expected a rejection');
  return result.reason;
}

describe('parseRecord', () => {
  it('Given a full Lambda role event, When parsed, Then every field is kept and the identity flattened', () => {
    // Given the first event of the delivery fixture; When parsed; Then the TrailEvent is exact.
    const raw = JSON.parse(readFileSync(path.join(FIXTURES, 'delivery.json'), 'utf8')).Records[0];
    expect(ok(raw)).toEqual({
      eventId: '11111111-1111-1111-1111-111111111111',
      eventTime: '2026-11-02T10:15:00Z',
      eventSource: 'dynamodb.amazonaws.com',
      eventName: 'GetItem',
      awsRegion: 'eu-west-1',
      recipientAccountId: '111122223333',
      readOnly: true,
      managementEvent: false,
      eventCategory: 'Data',
      identity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/orders-role/orders-api',
        accountId: '111122223333',
        principalId: 'AROAEXAMPLE:orders-api',
        issuerArn: 'arn:aws:iam::111122223333:role/orders-role',
        issuerType: 'Role',
        sessionName: 'orders-api',
      },
      requestParameters: { tableName: 'orders' },
      resources: [
        {
          arn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders',
          type: 'AWS::DynamoDB::Table',
          accountId: '111122223333',
        },
      ],
    });
  });

  it('Given a failed call, When parsed, Then errorCode is kept', () => {
    expect(ok({ ...base, errorCode: 'AccessDenied' }).errorCode).toBe('AccessDenied');
    expect(ok({ ...base, errorCode: '' }).errorCode).toBeUndefined();
    expect(ok({ ...base, errorCode: 5 }).errorCode).toBeUndefined();
  });

  it('Given a service-invoked call, When parsed, Then invokedBy is kept', () => {
    const event = ok({ ...base, userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' } });
    expect(event.identity).toEqual({ type: 'AWSService', invokedBy: 'lambda.amazonaws.com' });
  });

  it.each([
    ['arn:aws:sts::111122223333:assumed-role/r/fn-name', 'fn-name'],
    ['arn:aws-us-gov:sts::111122223333:assumed-role/r/i-0abc', 'i-0abc'],
    ['arn:aws-cn:sts::111122223333:assumed-role/r/a@b.c', 'a@b.c'],
    ['arn:aws:iam::111122223333:user/alice', undefined],
    ['arn:aws:sts::111122223333:assumed-role/only-role', undefined],
  ])('Given identity ARN %s, When parsed, Then sessionName is %s', (arn, sessionName) => {
    expect(ok({ ...base, userIdentity: { type: 'AssumedRole', arn } }).identity.sessionName).toBe(
      sessionName,
    );
  });

  it('Given no userIdentity (or not an object), When parsed, Then the identity is Unknown', () => {
    expect(ok(base).identity).toEqual({ type: 'Unknown' });
    expect(ok({ ...base, userIdentity: 'root' }).identity).toEqual({ type: 'Unknown' });
    expect(ok({ ...base, userIdentity: { arn: 7, sessionContext: { sessionIssuer: {} } } }).identity).toEqual(
      {
        type: 'Unknown',
      },
    );
  });

  it.each([
    ['2026-11-02T10:15:00Z', '2026-11-02T10:15:00Z'],
    ['2026-11-02T10:15:00.999Z', '2026-11-02T10:15:00Z'],
    ['2026-11-02 10:15:00', '2026-11-02T10:15:00Z'],
    ['2026-11-02 10:15:00.123456789', '2026-11-02T10:15:00Z'],
    ['2026-11-02T12:15:00+02:00', '2026-11-02T10:15:00Z'],
    ['2026-11-02T00:15:00-0130', '2026-11-02T01:45:00Z'],
    ['2026-11-02T10:15Z', '2026-11-02T10:15:00Z'],
  ])('Given eventTime %s, When parsed, Then it is normalised to %s', (eventTime, expected) => {
    expect(ok({ ...base, eventTime }).eventTime).toBe(expected);
  });

  it('Given @timestamp instead of eventTime (Logstash export), When parsed, Then it is used', () => {
    const rest = without('eventTime');
    expect(ok({ ...rest, '@timestamp': '2020-09-14T01:19:40.000Z' }).eventTime).toBe('2020-09-14T01:19:40Z');
  });

  it('Given no eventID, When parsed twice, Then the same sha256-derived id comes out', () => {
    // Given a record without eventID; When parsed twice; Then the id is deterministic, and differs
    // for a different record.
    const rest = without('eventID');
    const first = ok(rest).eventId;
    expect(first).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(ok({ ...rest }).eventId).toBe(first);
    expect(ok({ ...rest, eventName: 'PutObject' }).eventId).not.toBe(first);
  });

  it('Given boolean flags as strings (Panther), When parsed, Then they become booleans', () => {
    const event = ok({ ...base, managementEvent: 'True', readOnly: 'false' });
    expect(event.managementEvent).toBe(true);
    expect(event.readOnly).toBe(false);
    const odd = ok({ ...base, managementEvent: 'yes', readOnly: 1 });
    expect(odd.managementEvent).toBeUndefined();
    expect(odd.readOnly).toBeUndefined();
  });

  it('Given a missing or null awsRegion, When parsed, Then it is the empty string', () => {
    const rest = without('awsRegion');
    expect(ok(rest).awsRegion).toBe('');
    expect(ok({ ...base, awsRegion: null }).awsRegion).toBe('');
  });

  it('Given null request/response/additional data, When parsed, Then they are absent', () => {
    const event = ok({ ...base, requestParameters: null, responseElements: null, additionalEventData: null });
    expect(event).not.toHaveProperty('requestParameters');
    expect(event).not.toHaveProperty('responseElements');
    expect(event).not.toHaveProperty('additionalEventData');
    expect(ok({ ...base, additionalEventData: { bytesTransferredIn: 1 } }).additionalEventData).toEqual({
      bytesTransferredIn: 1,
    });
  });

  it('Given resources, When parsed, Then items without ARN or type are skipped', () => {
    const event = ok({
      ...base,
      resources: [
        { ARN: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket' },
        { accountId: '111122223333' },
        { type: 'AWS::KMS::Key', accountId: '111122223333' },
      ],
    });
    expect(event.resources).toEqual([
      { arn: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket' },
      { type: 'AWS::KMS::Key', accountId: '111122223333' },
    ]);
  });

  it.each<[string, unknown]>([
    ['a string', 'x'],
    ['a number ARN', [{ ARN: 42, type: 'AWS::S3::Object' }]],
    ['a string item', ['arn:aws:s3:::c']],
    ['a null item', [null]],
    ['an object', { ARN: 'arn:aws:s3:::b' }],
  ])(
    'Given resources that are %s, When parsed, Then the record is refused (a damaged record never widens)',
    (_w, resources) => {
      expect(reason({ ...base, resources })).toBe(
        'resources is not a list of {ARN, type, accountId} objects',
      );
    },
  );

  const SECRET = 'SECRET-VALUE-123';
  it.each<[string, unknown, string]>([
    ['a string', SECRET, 'record is not a JSON object'],
    ['null', null, 'record is not a JSON object'],
    ['an array', [base], 'record is not a JSON object'],
    ['no eventSource', { ...base, eventSource: undefined }, 'eventSource missing'],
    ['eventSource a number', { ...base, eventSource: 42 }, 'eventSource is not a string'],
    [
      'eventSource too long',
      { ...base, eventSource: 'a'.repeat(129) },
      'eventSource longer than 128 characters',
    ],
    ['eventSource uppercase', { ...base, eventSource: `S3.${SECRET}` }, 'eventSource has invalid characters'],
    ['no eventName', { ...base, eventName: undefined }, 'eventName missing'],
    ['empty eventName', { ...base, eventName: '' }, 'eventName missing'],
    ['eventName an object', { ...base, eventName: { x: SECRET } }, 'eventName is not a string'],
    ['eventName with spaces', { ...base, eventName: `Get ${SECRET}` }, 'eventName has invalid characters'],
    ['eventName with a colon', { ...base, eventName: 's3:GetObject' }, 'eventName has invalid characters'],
    ['eventName too long', { ...base, eventName: 'A'.repeat(129) }, 'eventName longer than 128 characters'],
    ['no eventTime', { ...base, eventTime: undefined }, 'eventTime missing'],
    ['eventTime a number', { ...base, eventTime: 1700000000 }, 'eventTime is not a string'],
    ['eventTime prose', { ...base, eventTime: SECRET }, 'eventTime unparseable'],
    ['eventTime local-time prose', { ...base, eventTime: 'Jan 1 2020 10:00' }, 'eventTime unparseable'],
    ['eventTime 30 February', { ...base, eventTime: '2026-02-30T10:00:00Z' }, 'eventTime unparseable'],
    ['awsRegion an array', { ...base, awsRegion: [SECRET] }, 'awsRegion is not a string'],
    ['eventID a number', { ...base, eventID: 7 }, 'eventID is not a string'],
    [
      'requestParameters a string',
      { ...base, requestParameters: SECRET },
      'requestParameters is not an object',
    ],
    [
      'responseElements an array',
      { ...base, responseElements: [SECRET] },
      'responseElements is not an object',
    ],
    [
      'additionalEventData a number',
      { ...base, additionalEventData: 3 },
      'additionalEventData is not an object',
    ],
  ])(
    'Given %s, When parsed, Then it is rejected with a reason that quotes nothing',
    (_case, raw, expected) => {
      // Given attacker-shaped input; When parsed; Then ok:false, the fixed reason, no raw value.
      const got = reason(raw);
      expect(got).toBe(expected);
      expect(got).not.toContain(SECRET);
    },
  );

  it('Given the bad-events fixture, When each item is parsed, Then exactly the two good ones pass', () => {
    const items: unknown[] = JSON.parse(
      readFileSync(path.join(FIXTURES, 'delivery-bad-events.json'), 'utf8'),
    ).Records;
    const results = items.map((item) => parseRecord(item));
    expect(results.filter((r) => r.ok).map((r) => (r.ok ? r.event.eventId : ''))).toEqual(['ok-1', 'ok-2']);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason))).toEqual([
      'eventSource missing',
      'eventSource is not a string',
      'eventName has invalid characters',
      'eventTime unparseable',
      'awsRegion is not a string',
      'requestParameters is not an object',
      'record is not a JSON object',
      'record is not a JSON object',
    ]);
  });
});
