import { S3Client } from '@aws-sdk/client-s3';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runGenerate } from '../../src/pipeline/run-generate';
import { runReport } from '../../src/pipeline/run-report';
import { renderCanonicalJson, renderPolicyJson } from '../../src/render';
import { listS3Trail } from '../../src/sources';
import { runCliAsync, SAMPLE_ACCOUNT, SAMPLE_TRAIL, SAMPLE_WINDOW } from '../helpers/cli';
import { startLocalS3 } from '../helpers/aws-local/s3';
import type { LocalEndpoint } from '../helpers/aws-local/server';

/**
 * The S3 trail source over the real SDK and a local S3 on 127.0.0.1 (REST-XML, pages of 7,
 * throttling): the same policy and report, byte for byte, as the same files on disk; only the
 * window's day folders are listed; what cannot be read is a finding naming the object.
 */
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
const BUCKET = 'acme-org-trail';
const DAY_DIR = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02';
const THROTTLED = `${DAY_DIR}/${readdirSync(path.join(SAMPLE_TRAIL, ...DAY_DIR.split('/'))).sort()[0]}`;

function client(endpoint: LocalEndpoint): S3Client {
  return new S3Client({
    endpoint: endpoint.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 4,
  });
}

describe('--trail s3://… (local S3)', () => {
  let s3: LocalEndpoint;
  beforeAll(async () => {
    s3 = await startLocalS3({
      bucket: BUCKET,
      root: SAMPLE_TRAIL,
      // Throttle one object twice: the SDK's retries carry it.
      slowDown: { [THROTTLED]: 2 },
    });
  });
  afterAll(() => s3.close());

  it('gives the policy of the same files on disk, byte for byte', async () => {
    const local = await runGenerate({
      function: 'orders-api',
      region: 'us-east-1',
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: WINDOW,
    });
    const remote = await runGenerate({
      function: 'orders-api',
      region: 'us-east-1',
      trails: [`s3://${BUCKET}/AWSLogs/`],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: WINDOW,
      sources: { s3: client(s3) },
    });
    expect(
      renderPolicyJson(remote.policies.length === 1 ? remote.policies[0] : { policies: remote.policies }),
    ).toBe(renderPolicyJson(local.policies.length === 1 ? local.policies[0] : { policies: local.policies }));
    expect(remote.usage.stats.eventsRead).toBe(local.usage.stats.eventsRead);
    expect(remote.usage.stats.filesRead).toBe(local.usage.stats.filesRead);
    // The throttled object was asked for three times: two 503 SlowDown, then the data.
    expect(s3.requests.filter((r) => r.path === `/${BUCKET}/${THROTTLED}`).length).toBe(3);
  });

  it('gives the report of the same files on disk, byte for byte (finding names aside)', async () => {
    const local = await runReport({
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: WINDOW,
    });
    const remote = await runReport({
      trails: [`s3://${BUCKET}/`],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: WINDOW,
      sources: { s3: client(s3) },
    });
    expect(renderCanonicalJson(remote.report)).toBe(renderCanonicalJson(local.report));
  });

  it('lists only the day folders of the window, skipping digests', async () => {
    const before = s3.requests.length;
    const listing = await listS3Trail(
      client(s3),
      `s3://${BUCKET}/`,
      { since: new Date('2026-11-03T00:00:00Z'), until: new Date('2026-11-04T00:00:00Z') },
      new Date('2026-12-01T00:00:00Z'),
    );
    const listed = s3.requests.slice(before).map((r) => r.query.get('prefix') ?? '');
    expect(listed.some((p) => p.includes('CloudTrail-Digest'))).toBe(false);
    // Day folders listed: the window's day (and no other) in each region.
    const days = [...new Set(listed.filter((p) => /\/\d{4}\/\d{2}\/\d{2}\/$/.test(p)))].sort();
    expect(days).toEqual([
      'AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/03/',
      'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/03/',
    ]);
    expect(listing.objects.length).toBeGreaterThan(10);
    expect(listing.objects.every((o) => o.key.includes('/2026/11/03/'))).toBe(true);
    expect(listing.problems).toEqual([]);
  });

  it('an object that cannot be read is a finding naming it; the rest is read (partial)', async () => {
    const denied = await startLocalS3({
      bucket: BUCKET,
      root: SAMPLE_TRAIL,
      denied: ['AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/03/'],
    });
    try {
      const r = await runGenerate({
        function: 'orders-api',
        region: 'us-east-1',
        trails: [`s3://${BUCKET}/AWSLogs/111122223333/CloudTrail/`],
        accountSnapshot: SAMPLE_ACCOUNT,
        window: WINDOW,
        sources: { s3: client(denied) },
      });
      expect(r.partial).toBe(true);
      const f = r.findings.find((x) => x.code === 'PT-FILE-UNREADABLE');
      expect(f?.id).toContain('s3://acme-org-trail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/03/');
      expect(f?.message).toMatch(/AccessDenied \(HTTP 403\)/);
    } finally {
      await denied.close();
    }
  });

  it('a missing bucket says so', async () => {
    const r = await listS3Trail(client(s3), 's3://no-such-bucket/', WINDOW, new Date('2026-12-01T00:00:00Z'));
    expect(r.problems.map((p) => p.reason)).toEqual([
      'cannot list: NoSuchBucket (HTTP 404) (no such bucket)',
    ]);
  });

  it('the CLI reads s3:// through the standard chain and AWS_ENDPOINT_URL_S3: same bytes as local files', async () => {
    const env = {
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'eu-west-1',
    };
    const args = (trail: string, offline: boolean) => [
      'generate',
      '--function',
      'image-resizer',
      '--trail',
      trail,
      '--account-snapshot',
      SAMPLE_ACCOUNT,
      ...(offline ? ['--offline'] : []),
      ...SAMPLE_WINDOW,
    ];
    const local = await runCliAsync(args(SAMPLE_TRAIL, true));
    const remote = await runCliAsync(args(`s3://${BUCKET}/AWSLogs/`, false), { env });
    expect(remote.stderr).not.toMatch(/policy-tighten: /);
    expect(remote.status).toBe(local.status);
    expect(remote.stdout).toBe(local.stdout);
    // --offline makes no AWS call: an S3 trail is then a usage error naming the flag.
    const offline = await runCliAsync(args(`s3://${BUCKET}/AWSLogs/`, true), { env });
    expect(offline.status).toBe(2);
    expect(offline.stderr).toMatch(/reads S3: it cannot be used with --offline/);
  });
});
