import { AthenaClient } from '@aws-sdk/client-athena';
import type { Target } from '../../src/attribution';
import { runGenerate } from '../../src/pipeline/run-generate';
import { runReport } from '../../src/pipeline/run-report';
import { renderCanonicalJson, renderPolicyJson } from '../../src/render';
import {
  athenaLiteral,
  athenaQuery,
  athenaSource,
  emptyCounters,
  rowsToResult,
  type QuerySource,
} from '../../src/sources';
import { runCliAsync, SAMPLE_ACCOUNT, sampleRecords } from '../helpers/cli';
import { trailDb, type TrailDb } from '../helpers/duckdb-trail';
import { parseAthenaLiteral, startLocalAthena, type LocalAthena } from '../helpers/aws-local/athena';

import {
  QUERY_BASE as base,
  QUERY_NOW as NOW,
  QUERY_WINDOW as WINDOW,
  SAMPLE_FUNCTIONS as FUNCTIONS,
  sampleTrailFile,
  type SampleTrailFile,
} from '../helpers/sample-trail';
/**
 * Athena as the source: the SQL the tool sends runs unchanged, its parameters bound, on DuckDB
 * over the samples loaded in AWS's documented CloudTrail table; the policy from its rows equals
 * the policy from the files byte for byte. Then the real SDK against a local Athena (JSON 1.1)
 * that runs the same SQL: polling, pages, failures, a deadline, throttling.
 */
const TABLE = 'trail.cloudtrail_logs';
const records = sampleRecords();

let db: TrailDb;
let trailFile: string;
let trail: SampleTrailFile;
beforeAll(async () => {
  db = await trailDb(records);
  trail = sampleTrailFile(records);
  trailFile = trail.file;
});
afterAll(() => {
  db.close();
  trail.remove();
});

/** A query source that runs the tool's SQL on DuckDB directly (no SDK). */
function duckSource(seen: { sql: string; params: (string | number)[] }[]): QuerySource {
  return {
    name: `athena://${TABLE}`,
    counters: emptyCounters(),
    async run(scope) {
      const q = athenaQuery(scope.target, scope.window, scope.now, {
        table: TABLE,
        datePartition: 'timestamp',
      });
      seen.push(q);
      const { columns, rows } = await db.query(q.sql, q.params);
      const named = rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
      return { name: `athena://${TABLE}`, problems: [], ...rowsToResult(named) };
    },
  };
}

const filePolicy = (fn: string) => trail.policyOf(fn);

describe('the SQL on an embedded engine (DuckDB), unchanged, its parameters bound', () => {
  test.each(FUNCTIONS)(
    '%s: the policy from the rows is the policy from the files, byte for byte',
    async (fn) => {
      const seen: { sql: string; params: (string | number)[] }[] = [];
      const rows = await runGenerate({
        ...base,
        function: fn,
        trails: [],
        sources: { query: duckSource(seen), now: NOW },
      });
      expect(rows.policies.map((d) => renderPolicyJson(d)).join('\n')).toBe(await filePolicy(fn));
      expect(rows.usage.stats.eventsRead).toBe(records.length);
      expect(rows.partial).toBe(false);
      expect(seen.length).toBeGreaterThan(0);
    },
  );

  test('grouping works: fewer rows than calls, and every call counted', async () => {
    const seen: { sql: string; params: (string | number)[] }[] = [];
    const r = await runGenerate({
      ...base,
      function: 'image-resizer',
      trails: [],
      sources: { query: duckSource(seen), now: NOW },
    });
    const file = await runGenerate({ ...base, function: 'image-resizer', trails: [trailFile] });
    const { rows } = await db.query(seen[0].sql, seen[0].params);
    expect(rows.length).toBeLessThan(records.length);
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
});

describe('the account-wide report over the same SQL engine', () => {
  test('report --unused from the rows is the report from the files, byte for byte', async () => {
    const seen: { sql: string; params: (string | number)[] }[] = [];
    const args = { accountSnapshot: SAMPLE_ACCOUNT, window: WINDOW, now: NOW };
    const files = await runReport({ ...args, trails: [trailFile] });
    const rows = await runReport({ ...args, trails: [], sources: { query: duckSource(seen), now: NOW } });
    expect(renderCanonicalJson(rows.report)).toBe(renderCanonicalJson(files.report));
    expect(rows.account.days).toEqual(files.account.days);
    expect(rows.account.invocations).toEqual(files.account.invocations);
    expect(rows.partial).toBe(false);
    // One query for every principal: no role ARN among its values.
    expect(seen).toHaveLength(1);
    expect(seen[0].params.every((p) => !String(p).includes(':role/'))).toBe(true);
  });
});

describe('values never become SQL', () => {
  const fn = (name: string): Target => ({ kind: 'function', functionName: name, display: name });
  const role = (arn: string): Target => ({
    kind: 'function',
    functionName: 'f1',
    roleArn: arn,
    display: 'f1',
  });

  test('the SQL text is the same for every principal: values are parameters', () => {
    const a = athenaQuery(role('arn:aws:iam::111111111111:role/a'), WINDOW, NOW, { table: TABLE });
    const b = athenaQuery(role('arn:aws:iam::222222222222:role/b_c'), WINDOW, NOW, { table: TABLE });
    expect(a.sql).toBe(b.sql);
    expect(a.sql).not.toContain('111111111111');
    expect(b.params).toContain('%:assumed-role/b\\_c/%');
  });

  test.each([["x' OR '1'='1"], ['x"; DROP TABLE t; --'], ['a b'], [''], ['x'.repeat(65)]])(
    'a function name %j is refused before any query',
    (name) => {
      expect(() => athenaQuery(fn(name), WINDOW, NOW, { table: TABLE })).toThrow(/cannot be queried/);
    },
  );

  test.each([['db.t; DROP'], ['db."t"'], ['t'], ['a.b.c.d']])('a table %j is refused', (table) => {
    expect(() => athenaQuery(fn('f1'), WINDOW, NOW, { table })).toThrow(/--athena-table/);
  });

  test("a quote in a value bound by the engine stays in the value: no row matches, the query's shape is unchanged", async () => {
    const q = athenaQuery(fn('orders-api'), WINDOW, NOW, { table: TABLE });
    const forged = q.params.map((p) =>
      typeof p === 'string' && p.includes('orders-api') ? "%' OR 1=1 --" : p,
    );
    const { columns, rows } = await db.query(q.sql, forged);
    const type = columns.indexOf('identity_type');
    // Only Lambda's own session starts (a service's calls) remain the query's: no call of a role.
    expect(rows.filter((r) => r[0] === 'true' && r[type] !== 'AWSService')).toEqual([]);
    expect(rows.some((r) => r[0] === 'false')).toBe(true);
  });

  test("Athena's literal of a value is one string literal that gives back the value", () => {
    for (const v of ["it's", "'); DROP TABLE x; --", 'plain', "''", 42]) {
      expect(parseAthenaLiteral(athenaLiteral(v))).toBe(v);
    }
  });
});

describe('the real SDK against a local Athena that runs the SQL', () => {
  let athena: LocalAthena;
  const client = (url: string, maxAttempts = 5) =>
    new AthenaClient({
      endpoint: url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      maxAttempts,
    });
  const fast = { sleep: async () => undefined, pollMs: 1 };
  afterEach(async () => athena?.close());

  test('polls until SUCCEEDED, reads every page, counts data scanned: the policy of the files', async () => {
    athena = await startLocalAthena(db, { throttle: 1 });
    const source = athenaSource(client(athena.url), {
      table: TABLE,
      datePartition: 'timestamp',
      workgroup: 'tighten',
      outputLocation: 's3://results-bucket/athena/',
      ...fast,
    });
    const r = await runGenerate({
      ...base,
      function: 'orders-api',
      trails: [],
      sources: { query: source, now: NOW },
    });
    expect(r.policies.map((d) => renderPolicyJson(d)).join('\n')).toBe(await filePolicy('orders-api'));
    expect(athena.queries).toHaveLength(1);
    expect(athena.queries[0].workgroup).toBe('tighten');
    expect(athena.queries[0].output).toBe('s3://results-bucket/athena/');
    expect(athena.queries[0].params).toEqual(
      expect.arrayContaining(['2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', '2026/11/01', '2026/12/01']),
    );
    expect(source.counters.bytesScanned).toBe(1024 * 1024);
    expect(source.counters.rows).toBeGreaterThan(0);
    // Start, QUEUED, RUNNING, SUCCEEDED, then ceil((rows + header) / 1000) pages.
    expect(source.counters.requests).toBe(4 + Math.ceil((source.counters.rows + 1) / 1000));
  });

  test('a failed query: a partial result naming the table, never a smaller policy presented as whole', async () => {
    athena = await startLocalAthena(db, {
      fail: 'TABLE_NOT_FOUND: line 5:10: Table awsdatacatalog.trail.cloudtrail_logs does not exist',
    });
    const source = athenaSource(client(athena.url), { table: TABLE, ...fast });
    const r = await runGenerate({
      ...base,
      function: 'orders-api',
      trails: [],
      sources: { query: source, now: NOW },
    });
    expect(r.partial).toBe(true);
    const f = r.findings.find((x) => x.code === 'PT-FILE-UNREADABLE');
    expect(f?.message).toMatch(/^Athena query q-1 failed: TABLE_NOT_FOUND/);
    expect(f?.file).toBe(`athena://${TABLE}`);
  });

  test('a query past its deadline is stopped and said', async () => {
    athena = await startLocalAthena(db, { hang: true });
    let t = 0;
    const source = athenaSource(client(athena.url), {
      table: TABLE,
      timeoutMs: 10_000,
      pollMs: 1000,
      sleep: async (ms) => void (t += ms),
      clock: () => t,
    });
    const r = await runGenerate({
      ...base,
      function: 'orders-api',
      trails: [],
      sources: { query: source, now: NOW },
    });
    expect(athena.stopped).toEqual(['q-1']);
    expect(r.partial).toBe(true);
    expect(r.findings.find((x) => x.code === 'PT-FILE-UNREADABLE')?.message).toMatch(
      /did not finish within 10 s and was stopped/,
    );
  });

  test('throttling past the retries is one clear line', async () => {
    athena = await startLocalAthena(db, { throttle: 100 });
    const source = athenaSource(client(athena.url, 2), { table: TABLE, ...fast });
    const r = await runGenerate({
      ...base,
      function: 'orders-api',
      trails: [],
      sources: { query: source, now: NOW },
    });
    expect(r.partial).toBe(true);
    expect(r.findings.find((x) => x.code === 'PT-FILE-UNREADABLE')?.message).toBe(
      'Athena query could not start: throttled by AWS even after retries (TooManyRequestsException): try again later',
    );
  });
});

test('the CLI: --athena-table through AWS_ENDPOINT_URL_ATHENA, the cost said, the policy of the files', async () => {
  const athena = await startLocalAthena(db);
  try {
    const env = {
      AWS_ENDPOINT_URL_ATHENA: athena.url,
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'eu-west-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const args = ['generate', '--function', 'report-weekly', '--account-snapshot', SAMPLE_ACCOUNT];
    const window = ['--since', '2026-11-01', '--until', '2026-12-01'];
    const r = await runCliAsync(
      [...args, '--athena-table', TABLE, '--athena-workgroup', 'tighten', ...window],
      { env },
    );
    expect(r.stderr).toContain(`querying athena://${TABLE} (Athena)`);
    expect(r.stderr).toMatch(
      /athena:\/\/trail\.cloudtrail_logs: 1 query, 5 requests, \d+ rows, 1\.0 MB scanned/,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      renderPolicyJson(
        (await runGenerate({ ...base, function: 'report-weekly', trails: [trailFile] })).policies[0],
      ),
    );
    const bad = await runCliAsync([...args, '--athena-table', "trail.t' OR 1=1", ...window], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--athena-table .*expected DATABASE\.TABLE/);
  } finally {
    await athena.close();
  }
});
