import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateSample, ROOT, SAMPLE_TRAIL } from '../helpers/cli';

const ACCT = '111122223333';

/** A real-shaped event of orders-api with the given overrides. */
function ordersEvent(id: string, over: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEORDERS:orders-api',
      arn: `arn:aws:sts::${ACCT}:assumed-role/orders-api-role/orders-api`,
      accountId: ACCT,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          arn: `arn:aws:iam::${ACCT}:role/orders-api-role`,
          accountId: ACCT,
          userName: 'orders-api-role',
        },
      },
    },
    eventTime: '2026-11-03T12:00:00Z',
    eventSource: 'dynamodb.amazonaws.com',
    eventName: 'GetItem',
    awsRegion: 'us-east-1',
    eventID: id,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCT,
    requestParameters: { tableName: 'orders' },
    ...over,
  };
}

describe('bad input: named, counted, the rest still processed, exit code 3', () => {
  let dir: string;
  let trail: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pt-bad-'));
    trail = path.join(dir, 'trail');
    cpSync(SAMPLE_TRAIL, trail, { recursive: true });
    const bad = path.join(trail, 'bad');
    mkdirSync(bad);
    const good = gzipSync(
      JSON.stringify({ Records: [ordersEvent('11111111-0000-0000-0000-000000000001', {})] }),
    );
    writeFileSync(path.join(bad, 'truncated.json.gz'), good.subarray(0, Math.floor(good.length / 2)));
    writeFileSync(path.join(bad, 'not-gzip.json.gz'), 'this is plain text, not gzip');
    writeFileSync(path.join(bad, 'invalid.json'), '{"Records": [ {"eventName": "GetItem", ');
    writeFileSync(path.join(bad, 'not-cloudtrail.json'), JSON.stringify({ RoleDetailList: [] }));
    writeFileSync(path.join(bad, 'empty.json'), '');
    writeFileSync(
      path.join(bad, 'hostile.json'),
      JSON.stringify({
        Records: [
          ordersEvent('22222222-0000-0000-0000-000000000001', {
            requestParameters: { tableName: 'orders\u0007evil\n' },
          }),
          ordersEvent('22222222-0000-0000-0000-000000000002', {
            requestParameters: { tableName: 'x'.repeat(100_000) },
          }),
          ordersEvent('22222222-0000-0000-0000-000000000003', {
            eventSource: 's3.amazonaws.com',
            eventName: 'GetObject',
            requestParameters: { bucketName: 'acme-uploads-111122223333', key: 'a' },
            resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-*/*' }],
          }),
          ordersEvent('22222222-0000-0000-0000-000000000004', { awsRegion: 'not-a-region' }),
          ordersEvent('22222222-0000-0000-0000-000000000005', { eventName: 42 }),
          ordersEvent('22222222-0000-0000-0000-000000000006', { requestParameters: 'oops' }),
        ],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names every bad file with its reason, never writes hostile values, and exits 3', () => {
    const r = generateSample('orders-api', [], trail);
    expect(r.status).toBe(3);
    for (const f of [
      'truncated.json.gz',
      'not-gzip.json.gz',
      'invalid.json',
      'not-cloudtrail.json',
      'empty.json',
    ]) {
      expect(r.stderr).toContain(path.join(trail, 'bad', f));
    }
    expect(r.stderr).toMatch(/PARTIAL/);
    expect(r.stderr).toMatch(/2 malformed/);
    // The policy still covers everything good in the trail...
    const golden = JSON.parse(
      readFileSync(path.join(ROOT, 'test', 'golden', 'samples', 'orders-api.json'), 'utf8'),
    );
    expect(JSON.parse(r.stdout)).toEqual(golden);
    // ...and no hostile value reached the policy or the messages
    expect(r.stdout).not.toMatch(/evil|xxxxxxxxxx|acme-\*|not-a-region/);
    expect(r.stderr).not.toMatch(/evil|xxxxxxxxxx|acme-\*/);
    expect(r.stderr).not.toContain(String.fromCharCode(7));
    expect(r.stderr).toMatch(/PT-REJECTED-VALUE/);
  });
});
