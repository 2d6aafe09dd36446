/** Unit tests of the resource parsers and per-service resolvers (src/analyze/services). */
import { extractFromParams, parseQueueUrl, secretArn } from '../../../src/analyze/request-params';
import { resolveServiceResources } from '../../../src/analyze/services';
import { athenaQueryKey } from '../../../src/analyze/services/athena';
import { checkValue, partitionOfContext } from '../../../src/analyze/validate';
import { createCatalogFromData } from '../../../src/catalog';
import type { TrailEvent } from '../../../src/model/trail-event';

describe('secretArn', () => {
  const base = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:';
  test.each([
    [`${base}prod/db-AbC123`, `${base}prod/db-AbC123`],
    [`${base}prod/db`, `${base}prod/db-??????`],
    [`${base}a-b`, `${base}a-b-??????`],
  ])('%s', (input, out) => expect(secretArn(input)).toBe(out));
  test.each([`${base}a*`, 'arn:aws:ssm:us-east-1:123456789012:parameter/x', `${base}`])('rejects %s', (v) =>
    expect(secretArn(v)).toBeUndefined(),
  );
});

describe('parseQueueUrl host forms', () => {
  test('VPC endpoint and dual-stack hosts take the region from the host', () => {
    expect(
      parseQueueUrl('https://vpce-0a1b-abc.sqs.eu-west-1.vpce.amazonaws.com/123456789012/q')?.region,
    ).toBe('eu-west-1');
    expect(parseQueueUrl('https://sqs.ap-south-1.api.aws/123456789012/q')?.region).toBe('ap-south-1');
  });
  test('a host outside AWS is refused', () =>
    expect(parseQueueUrl('https://sqs.eu-west-1.amazonaws.com.evil.io/123456789012/q')).toBeUndefined());
});

describe('data-driven parse kinds', () => {
  test('ssm-path strips slashes; the root path binds nothing', () => {
    const spec = [{ param: 'path', parse: 'ssm-path' as const }];
    const r = extractFromParams({ path: '/a/b/' }, spec);
    expect(r.ok && r.value.bindings).toEqual([{ ParameterNameWithoutLeadingSlash: 'a/b' }]);
    const root = extractFromParams({ path: '/' }, spec);
    expect(root.ok && root.value.bindings).toEqual([]);
    const bad = extractFromParams({ path: 'a/b' }, spec);
    expect(bad.ok).toBe(false);
  });
  test('log-group-identifier: name, ARN, ARN with :*', () => {
    const spec = [{ param: 'g', parse: 'log-group-identifier' as const }];
    const arn = 'arn:aws:logs:eu-west-1:210987654321:log-group:/app/x';
    for (const v of [arn, `${arn}:*`]) {
      const r = extractFromParams({ g: v }, spec);
      expect(r.ok && r.value.bindings).toEqual([
        { Partition: 'aws', Region: 'eu-west-1', Account: '210987654321', LogGroupName: '/app/x' },
      ]);
    }
    const r = extractFromParams({ g: '/app/y' }, spec);
    expect(r.ok && r.value.bindings).toEqual([{ LogGroupName: '/app/y' }]);
    expect(extractFromParams({ g: 'arn:aws:logs:eu-west-1:210987654321:log-group:a b' }, spec).ok).toBe(
      false,
    );
  });
  test('a rejection names the field and constraint, never the value', () => {
    const r = extractFromParams({ secretId: 'x\u0000SECRET' }, [{ param: 'secretId', parse: 'secret-id' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.rejection.field).toBe('requestParameters.secretId');
      expect(r.rejection.constraint).not.toContain('SECRET');
    }
  });
});

describe('new value checks', () => {
  test.each([
    ['uuid', 'a1b2c3d4-5678-90ab-cdef-1234567890ab', true],
    ['uuid', 'a1b2c3d4-5678-90ab-cdef-1234567890a', false],
    ['athena-workgroup', 'primary', true],
    ['athena-workgroup', 'a b', false],
    ['kms-alias', 'alias/aws/s3', true],
    ['kms-alias', 'alias/*', false],
    ['event-bus-name', 'default', true],
    ['event-bus-name', 'a*', false],
    ['events-rule-name', 'nightly-1', true],
    ['events-rule-name', 'x'.repeat(65), false],
    ['glue-name', 'sales', true],
    ['glue-name', 'a:b', false],
    ['s3-access-point', 'reports', true],
    ['s3-access-point', 'Reports', false],
    ['ssm-path', '/a/b', true],
    ['ssm-path', '/a/?', false],
  ] as const)('%s %s → %s', (kind, value, good) => expect(checkValue(kind, value) === undefined).toBe(good));
});

describe('partitionOfContext', () => {
  test('region first, then an ARN of the event', () => {
    expect(partitionOfContext('cn-north-1', [])).toBe('aws-cn');
    expect(partitionOfContext('us-gov-west-1', ['arn:aws:iam::123456789012:role/r'])).toBe('aws-us-gov');
    expect(partitionOfContext('eu-west-1', [undefined, 'arn:aws:iam::123456789012:role/r'])).toBe('aws');
    expect(partitionOfContext('eusc-de-east-1', ['arn:aws-eusc:sts::123456789012:assumed-role/r/s'])).toBe(
      'aws-eusc',
    );
    expect(partitionOfContext('eu-west-1', ['not an arn'])).toBe('aws');
  });
});

test('athenaQueryKey is case-insensitive', () =>
  expect(athenaQueryKey('A1B2C3D4-5678-90AB-CDEF-1234567890AB')).toBe(
    'athena:query:a1b2c3d4-5678-90ab-cdef-1234567890ab',
  ));

describe('resolveServiceResources (strategy registry)', () => {
  const catalog = createCatalogFromData({
    dynamodb: {
      actions: [
        { name: 'PutItem', accessLevel: 'Write', resourceTypes: [{ name: 'table', required: true }] },
        { name: 'DeleteItem', accessLevel: 'Write', resourceTypes: [{ name: 'table', required: true }] },
      ],
      resourceTypes: [
        { key: 'table', arn: 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}' },
      ],
    },
    sqs: { actions: [], resourceTypes: [] },
  });
  const event = (requestParameters: Record<string, unknown>): TrailEvent => ({
    eventId: 'ev-9',
    eventTime: '2026-11-02T10:15:00Z',
    eventSource: 'dynamodb.amazonaws.com',
    eventName: 'TransactWriteItems',
    awsRegion: 'us-east-1',
    identity: { type: 'AssumedRole', accountId: '123456789012' },
    requestParameters,
  });
  const input = (name: string, e: TrailEvent) => ({
    catalog,
    event: e,
    eventName: 'TransactWriteItems',
    detail: 'dynamodb.amazonaws.com:TransactWriteItems',
    action: {
      name,
      accessLevel: 'Write',
      resourceTypes: [{ name: 'table', required: true }],
      conditionKeys: [],
    },
    base: { Partition: 'aws', Region: 'us-east-1', Account: '123456789012' },
    eventArns: [],
  });
  beforeAll(async () => {
    await catalog.ensureService('dynamodb');
  });
  test('an item kind absent from the transaction needs no action', () => {
    const e = event({ transactItems: [{ put: { tableName: 'Orders' } }] });
    expect(resolveServiceResources(input('dynamodb:PutItem', e))).toEqual({
      kind: 'done',
      permissions: [
        {
          action: 'dynamodb:PutItem',
          resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders',
          origin: 'observed',
        },
      ],
      findings: [],
      provides: [],
    });
    expect(resolveServiceResources(input('dynamodb:DeleteItem', e))).toEqual({
      kind: 'done',
      permissions: [],
      findings: [],
      provides: [],
    });
  });
  test('no transaction items: * with a finding naming the event', () => {
    const r = resolveServiceResources(input('dynamodb:PutItem', event({})));
    expect(r?.kind).toBe('done');
    if (r?.kind === 'done') {
      expect(r.permissions[0].resource).toBe('*');
      expect(r.findings[0]).toMatchObject({
        code: 'PT-UNRESOLVED-RESOURCE',
        sampleEventIds: ['ev-9'],
      });
      expect(r.findings[0].message).toContain('dynamodb.amazonaws.com:TransactWriteItems');
    }
  });
  test('a bad nested table name rejects with its field', () => {
    const r = resolveServiceResources(
      input('dynamodb:PutItem', event({ transactItems: [{ put: { tableName: 'a' } }] })),
    );
    expect(r).toEqual({
      kind: 'rejected',
      field: 'requestParameters.transactItems[].put.tableName',
      constraint: expect.any(String),
    });
  });
  test('a service without a module falls through to the data-driven path', () => {
    const r = resolveServiceResources({
      ...input('sqs:SendMessage', event({})),
      action: { name: 'sqs:SendMessage', accessLevel: 'Write', resourceTypes: [], conditionKeys: [] },
    });
    expect(r).toBeUndefined();
  });
});
