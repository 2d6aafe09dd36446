import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Target } from '../../src/attribution';
import type { PolicyDocument } from '../../src/model';
import { UsageError } from '../../src/errors';
import { runGenerate } from '../../src/pipeline/run-generate';
import { runReport } from '../../src/pipeline/run-report';
import { renderCanonicalJson, renderPolicyJson } from '../../src/render';
import { lakeSource } from '../../src/sources/lake';
import { lakeQuery } from '../../src/sources/lake-sql';
import { SAMPLE_ACCOUNT, sampleRecords } from '../helpers/cli';
import { lakeDb, startLocalLake, type LakeDb, type LocalLake } from '../helpers/aws-local/lake';

import {
  QUERY_BASE as base,
  QUERY_NOW as NOW,
  QUERY_WINDOW as WINDOW,
  SAMPLE_FUNCTIONS as FUNCTIONS,
  sampleTrailFile,
  type SampleTrailFile,
} from '../helpers/sample-trail';
/**
 * CloudTrail Lake as the source: the real SDK against a local Lake (JSON 1.1) that runs the SQL
 * the tool sends on DuckDB over the samples loaded in the documented event data store schema
 * (timestamps, maps of string to string, booleans). The policy from its rows equals the policy
 * from the files byte for byte; then pages, failures, Lake's own timeout, a deadline, throttling
 * and values that would be SQL.
 */
const EDS = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const EDS_ARN = `arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/${EDS}`;
const records = sampleRecords();

let db: LakeDb;
let dir: string;
let trailFile: string;
let trail: SampleTrailFile;
beforeAll(async () => {
  db = await lakeDb(records, EDS);
  dir = mkdtempSync(path.join(tmpdir(), 'pt-lake-'));
  trail = sampleTrailFile(records);
  trailFile = trail.file;
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  trail.remove();
});

const filePolicy = (fn: string) => trail.policyOf(fn);

let lake: LocalLake | undefined;
afterEach(async () => {
  await lake?.close();
  lake = undefined;
});
const client = (url: string, maxAttempts = 5) =>
  new CloudTrailClient({
    endpoint: url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts,
  });
const fast = { sleep: async () => undefined, pollMs: 1 };
const generate = (fn: string, query: ReturnType<typeof lakeSource>) =>
  runGenerate({ ...base, function: fn, trails: [], sources: { query, now: NOW } });

describe('the real SDK against a local Lake that runs the SQL', () => {
  test.each(FUNCTIONS)(
    '%s: the policy from the rows is the policy from the files, byte for byte',
    async (fn) => {
      lake = await startLocalLake(db);
      const source = lakeSource(client(lake.url), { eventDataStore: EDS, ...fast });
      const r = await generate(fn, source);
      expect(r.policies.map((d) => renderPolicyJson(d)).join('\n')).toBe(await filePolicy(fn));
      expect(r.usage.stats.eventsRead).toBe(records.length);
      expect(r.usage.stats.malformedEvents).toBe(0);
      expect(r.partial).toBe(false);
      expect(lake.queries).toHaveLength(1);
    },
  );

  test('polls until FINISHED, counts data scanned, sends the SQL alone (no parameters)', async () => {
    lake = await startLocalLake(db, { throttle: 1 });
    const source = lakeSource(client(lake.url), { eventDataStore: EDS_ARN, ...fast });
    expect(source.name).toBe(`lake://${EDS}`);
    const r = await generate('orders-api', source);
    expect(r.policies.map((d) => renderPolicyJson(d)).join('\n')).toBe(await filePolicy('orders-api'));
    expect(Object.keys(lake.queries[0].body)).toEqual(['QueryStatement']);
    expect(lake.queries[0].sql).toContain(`FROM ${EDS}\n`);
    expect(lake.queries[0].sql).toContain("eventtime >= TIMESTAMP '2026-11-01 00:00:00.000'");
    expect(source.counters).toEqual({
      queries: 1,
      // Start, QUEUED, RUNNING, FINISHED, one page (the throttled request is the SDK's retry).
      requests: 5,
      rows: expect.any(Number),
      bytesScanned: 1024 * 1024,
    });
    const targets = lake.requests.map((q) => String(q.headers['x-amz-target']).split('.').pop());
    expect(targets).toEqual([
      'StartQuery',
      'StartQuery',
      'DescribeQuery',
      'DescribeQuery',
      'DescribeQuery',
      'GetQueryResults',
    ]);
  });

  test('grouping works: fewer rows than calls, and every call counted as in the files', async () => {
    lake = await startLocalLake(db);
    const source = lakeSource(client(lake.url), { eventDataStore: EDS, ...fast });
    const r = await generate('image-resizer', source);
    const file = await runGenerate({ ...base, function: 'image-resizer', trails: [trailFile] });
    expect(source.counters.rows).toBeLessThan(records.length);
    expect(r.usage.stats.attributed).toBe(file.usage.stats.attributed);
    expect(r.usage.stats.mapped).toBe(file.usage.stats.mapped);
    for (const [k, e] of Object.entries(file.usage.entries)) {
      expect(r.usage.entries[k]?.count).toBe(e.count);
      expect(r.usage.entries[k]?.firstSeen).toBe(e.firstSeen);
      expect(r.usage.entries[k]?.lastSeen).toBe(e.lastSeen);
    }
    expect(r.usage.coverage).toEqual(file.usage.coverage);
    expect(r.usage.dataEventSources).toEqual(file.usage.dataEventSources);
  });

  test('several pages: every page read, the policy of the files', async () => {
    lake = await startLocalLake(db, { pageSize: 7 });
    const source = lakeSource(client(lake.url), { eventDataStore: EDS, ...fast });
    const r = await generate('report-weekly', source);
    expect(r.policies.map((d) => renderPolicyJson(d)).join('\n')).toBe(await filePolicy('report-weekly'));
    const pages = lake.requests.filter((q) => String(q.headers['x-amz-target']).endsWith('.GetQueryResults'));
    expect(pages.length).toBe(Math.ceil(source.counters.rows / 7));
    expect(pages.length).toBeGreaterThan(2);
    expect(JSON.parse(pages[1].body)).toMatchObject({ MaxQueryResults: 1000, NextToken: 'page-7' });
    expect(r.partial).toBe(false);
  });

  test.each([
    [
      'FAILED',
      { fail: 'Query failed: line 12:10: Column xyz cannot be resolved' },
      /^CloudTrail Lake query 00000000-0000-4000-8000-000000000001 failed: Query failed: line 12:10/,
    ],
    [
      'TIMED_OUT',
      { timedOut: true },
      /^CloudTrail Lake query 0{8}-0{4}-4000-8000-0{11}1 timed out in CloudTrail Lake: Query timed out$/,
    ],
  ])('%s: a partial result naming lake://…, never a smaller policy presented as whole', async (_s, o, re) => {
    lake = await startLocalLake(db, o);
    const source = lakeSource(client(lake.url), { eventDataStore: EDS, ...fast });
    const r = await generate('orders-api', source);
    expect(r.partial).toBe(true);
    const f = r.findings.find((x) => x.code === 'PT-FILE-UNREADABLE');
    expect(f?.file).toBe(`lake://${EDS}`);
    expect(f?.message).toMatch(re);
  });

  test('a query over another event data store FAILED in Lake: said, partial', async () => {
    const other = await lakeDb([], 'ffffffff-0000-0000-0000-000000000000');
    try {
      lake = await startLocalLake(other);
      const source = lakeSource(client(lake.url), { eventDataStore: EDS, ...fast });
      const r = await generate('orders-api', source);
      expect(r.partial).toBe(true);
      expect(r.findings.find((x) => x.code === 'PT-FILE-UNREADABLE')?.message).toMatch(/ failed: .*/);
    } finally {
      other.close();
    }
  });

  test('a query past its deadline is cancelled (CancelQuery) and said', async () => {
    lake = await startLocalLake(db, { hang: true });
    let t = 0;
    const source = lakeSource(client(lake.url), {
      eventDataStore: EDS,
      timeoutMs: 10_000,
      pollMs: 1000,
      sleep: async (ms) => void (t += ms),
      clock: () => t,
    });
    const r = await generate('orders-api', source);
    expect(lake.cancelled).toEqual(['00000000-0000-4000-8000-000000000001']);
    expect(r.partial).toBe(true);
    expect(r.findings.find((x) => x.code === 'PT-FILE-UNREADABLE')?.message).toMatch(
      /did not finish within 10 s and was cancelled$/,
    );
  });

  test('throttling is retried by the SDK: the policy of the files', async () => {
    lake = await startLocalLake(db, { throttle: 2 });
    const source = lakeSource(client(lake.url), { eventDataStore: EDS, ...fast });
    const r = await generate('legacy-cron', source);
    expect(r.partial).toBe(false);
    expect(r.policies.map((d) => renderPolicyJson(d)).join('\n')).toBe(await filePolicy('legacy-cron'));
  });

  test('throttling past the retries is one clear line', async () => {
    lake = await startLocalLake(db, { throttle: 100 });
    const source = lakeSource(client(lake.url, 2), { eventDataStore: EDS, ...fast });
    const r = await generate('orders-api', source);
    expect(r.partial).toBe(true);
    expect(r.findings.find((x) => x.code === 'PT-FILE-UNREADABLE')?.message).toBe(
      'CloudTrail Lake query could not start: throttled by AWS even after retries (ThrottlingException): try again later',
    );
  });
});

describe('the account-wide report over the local Lake', () => {
  test('report --unused from the rows is the report from the files, byte for byte, in one query', async () => {
    lake = await startLocalLake(db, { pageSize: 50 });
    const args = { accountSnapshot: SAMPLE_ACCOUNT, window: WINDOW, now: NOW };
    const source = lakeSource(client(lake.url), { eventDataStore: EDS, ...fast });
    const files = await runReport({ ...args, trails: [trailFile] });
    const rows = await runReport({ ...args, trails: [], sources: { query: source, now: NOW } });
    expect(renderCanonicalJson(rows.report)).toBe(renderCanonicalJson(files.report));
    expect(rows.account.days).toEqual(files.account.days);
    expect(rows.account.invocations).toEqual(files.account.invocations);
    expect(rows.partial).toBe(false);
    // One query for every principal: no role ARN among its values.
    expect(lake.queries).toHaveLength(1);
    expect(lake.queries[0].sql).not.toContain(':role/');
  });
});

describe('what Lake cannot store exactly never widens a policy', () => {
  /** The policy's (action, resource) pairs. */
  const grants = (policies: PolicyDocument[]) =>
    new Set(
      policies.flatMap((p) =>
        p.Statement.flatMap((st) =>
          [st.Action ?? []].flat().flatMap((a) => [st.Resource ?? []].flat().map((r) => `${a} ${r}`)),
        ),
      ),
    );

  test('a string parameter holding JSON text comes back an object: the call is rejected and said, no grant is wider', async () => {
    const forged = structuredClone(records);
    const odd = '{"x":"y"}';
    const hit = forged.filter(
      (r) => String(r.userIdentity.arn).endsWith('/image-resizer') && r.eventName === 'GetObject',
    );
    for (const r of hit.slice(0, 5)) {
      const bucket = String(r.requestParameters?.bucketName);
      r.requestParameters = { ...r.requestParameters, key: odd };
      r.resources = [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${odd}` }];
    }
    const forgedDb = await lakeDb(forged, EDS);
    const file = path.join(dir, 'forged.json');
    writeFileSync(file, JSON.stringify({ Records: forged }));
    try {
      lake = await startLocalLake(forgedDb);
      const fromLake = await generate(
        'image-resizer',
        lakeSource(client(lake.url), { eventDataStore: EDS, ...fast }),
      );
      const fromFile = await runGenerate({ ...base, function: 'image-resizer', trails: [file] });
      const lakeGrants = grants(fromLake.policies);
      const fileGrants = grants(fromFile.policies);
      for (const g of lakeGrants) expect(fileGrants).toContain(g);
      expect(fromLake.usage.stats.eventsRead).toBe(forged.length);
      // The one call is missing (said, and the run partial), never granted wider.
      expect(fileGrants).toContain(`s3:GetObject arn:aws:s3:::acme-uploads-111122223333/${odd}`);
      expect(lakeGrants.size).toBe(fileGrants.size - 1);
      const said = fromLake.findings.filter((f) => f.code === 'PT-REJECTED-VALUE');
      expect(said.map((f) => f.message)).toEqual([
        expect.stringMatching(
          /s3\.amazonaws\.com:GetObject: requestParameters\.key breaks its constraint \(string\)/,
        ),
      ]);
      expect(fromLake.partial).toBe(true);
    } finally {
      forgedDb.close();
    }
  });
});

describe('values never become SQL: refused before any request', () => {
  const fn = (name: string): Target => ({ kind: 'function', functionName: name, display: name });

  test.each([["orders-api' OR '1'='1"], ["x'); SELECT * FROM t; --"], ['a\\b'], ['a b'], ['']])(
    'a function name %j: a usage error, and the local Lake received nothing',
    async (name) => {
      lake = await startLocalLake(db);
      const source = lakeSource(client(lake.url), { eventDataStore: EDS, ...fast });
      await expect(source.run({ target: fn(name), window: WINDOW, now: NOW })).rejects.toThrow(UsageError);
      expect(lake.requests).toHaveLength(0);
      expect(source.counters.requests).toBe(0);
    },
  );

  test.each([
    [`${EDS} WHERE 1=1 --`],
    [`${EDS}'`],
    ['x'],
    [`arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/${EDS}/x`],
    [`arn:aws:s3:::bucket/${EDS}`],
    ['a.b'],
  ])('an event data store %j is refused when the source is made', (eds) => {
    expect(() => lakeSource(client('http://127.0.0.1:9'), { eventDataStore: eds })).toThrow(/--lake /);
  });

  test('a role ARN with a quote is refused; a valid one is written as one literal', () => {
    const role = (arn: string): Target => ({
      kind: 'function',
      functionName: 'f1',
      roleArn: arn,
      display: 'f1',
    });
    expect(() =>
      lakeQuery(role("arn:aws:iam::111122223333:role/x'y"), WINDOW, NOW, { eventDataStore: EDS }),
    ).toThrow(/cannot be queried/);
    const sql = lakeQuery(role('arn:aws:iam::111122223333:role/svc/orders_api'), WINDOW, NOW, {
      eventDataStore: EDS,
    });
    expect(sql).toContain("= 'arn:aws:iam::111122223333:role/svc/orders_api'");
    expect(sql).toContain("LIKE '%:assumed-role/orders\\_api/%' ESCAPE '\\'");
  });
});
