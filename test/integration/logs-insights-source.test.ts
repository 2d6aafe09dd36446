import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGenerate } from '../../src/pipeline/run-generate';
import { renderPolicyJson } from '../../src/render';
import { logsInsightsSource, type LogsInsightsOptions } from '../../src/sources/logs-insights';
import { sampleRecords } from '../helpers/cli';
import { startLocalLogs, type LocalLogs } from '../helpers/aws-local/logs';

import {
  QUERY_BASE as base,
  QUERY_NOW as NOW,
  QUERY_WINDOW as WINDOW,
  SAMPLE_FUNCTIONS as FUNCTIONS,
  sampleTrailFile,
  type SampleTrailFile,
} from '../helpers/sample-trail';
/**
 * CloudWatch Logs Insights as the source: the real SDK against a local CloudWatch Logs whose
 * interpreter executes the tool's queries over the samples' records as log events. The policy
 * from the grouped rows equals the policy from the same records in a file, byte for byte, with
 * the window split when a result is full; a failed query makes the result partial, never
 * silently smaller; the concurrent-query limit is waited out.
 */
const GROUP = 'aws-cloudtrail-logs-111122223333';
const records = sampleRecords();

let logs: LocalLogs;
let dir: string;
let trailFile: string;
let trail: SampleTrailFile;
beforeAll(async () => {
  logs = await startLocalLogs();
  // CloudTrail delivers within minutes: the log events' timestamps lag the eventTime.
  logs.put(GROUP, records, { delayMs: 4 * 60_000 });
  dir = mkdtempSync(path.join(tmpdir(), 'pt-logs-'));
  trail = sampleTrailFile(records);
  trailFile = trail.file;
});
afterAll(async () => {
  await logs.close();
  rmSync(dir, { recursive: true, force: true });
  trail.remove();
});
beforeEach(() => {
  logs.rowCap = undefined;
  logs.runningPolls = 1;
  logs.neverComplete = false;
});

function client(): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    endpoint: logs.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    // The source's own retry is under test, not the SDK's.
    maxAttempts: 1,
  });
}

function source(options: Partial<LogsInsightsOptions> = {}) {
  return logsInsightsSource(client(), { logGroups: [GROUP], pollMs: 1, sleep: async () => {}, ...options });
}

const filePolicy = (fn: string) => trail.policyOf(fn);

async function viaLogs(fn: string, options: Partial<LogsInsightsOptions> = {}) {
  const query = source(options);
  const result = await runGenerate({ ...base, function: fn, trails: [], sources: { query, now: NOW } });
  return { result, query, policy: result.policies.map((d) => renderPolicyJson(d)).join('\n') };
}

test.each(FUNCTIONS)('%s: the policy from the grouped rows is the policy from the file', async (fn) => {
  const { result, query, policy } = await viaLogs(fn);
  expect(policy).toBe(await filePolicy(fn));
  expect(result.partial).toBe(false);
  expect(result.usage.stats.eventsRead).toBe(records.length);
  // Three queries (principal, Lambda's session starts, coverage), all complete; rows grouped.
  expect(query.counters.queries).toBe(3);
  expect(query.counters.bytesScanned).toBeGreaterThan(0);
  expect(query.counters.rows).toBeLessThan(records.length);
});

test('the file pipeline and the rows agree on attribution, coverage and data events', async () => {
  const file = await runGenerate({ ...base, function: 'orders-api', trails: [trailFile] });
  const { result } = await viaLogs('orders-api');
  // Lambda's sessions of the target's role: other roles' are not read by the file pipeline when
  // the role is known (the one-principal shortcut of read-file.ts).
  const role = 'arn:aws:iam::111122223333:role/orders-api-role';
  const pick = (u: typeof file.usage) => ({
    attributed: u.stats.attributed,
    otherFunctionEvents: u.stats.otherFunctionEvents,
    dataEventSources: u.dataEventSources,
    lambdaSessions: u.lambdaSessions[role],
  });
  expect(pick(result.usage)).toEqual(pick(file.usage));
  expect(result.findings.map((f) => f.code).sort()).toEqual(file.findings.map((f) => f.code).sort());
});

test('StartQuery: the log groups, a window widened by an hour each side, epoch seconds; the exact window in the query', async () => {
  const before = logs.queries.length;
  await viaLogs('report-weekly');
  const q = logs.queries.slice(before);
  expect(q).toHaveLength(3);
  for (const one of q) {
    expect(one.logGroups).toEqual([GROUP]);
    expect(one.startTime).toBe(WINDOW.since.getTime() / 1000 - 3600);
    expect(one.endTime).toBe(WINDOW.until.getTime() / 1000 + 3600);
    expect(one.queryString).toContain(
      'ct.eventTime >= "2026-11-01T00:00:00Z" and ct.eventTime < "2026-12-01T00:00:00Z"',
    );
  }
});

test.each([
  ['orders-api', 12],
  ['image-resizer', 100],
])(
  '%s: a full result (cap %d rows) splits the window, recursively, and the policy stays the same',
  async (fn, cap) => {
    logs.rowCap = cap;
    const before = logs.queries.length;
    const { result, query, policy } = await viaLogs(fn, { resultLimit: cap });
    expect(policy).toBe(await filePolicy(fn));
    expect(result.partial).toBe(false);
    expect(result.usage.stats.eventsRead).toBe(records.length);
    expect(query.counters.queries).toBeGreaterThan(10);
    // Halves of halves: spans far shorter than the window.
    const spans = logs.queries.slice(before).map((q) => q.endTime - q.startTime - 2 * 3600);
    expect(Math.min(...spans)).toBeLessThan((WINDOW.until.getTime() - WINDOW.since.getTime()) / 1000 / 64);
  },
);

test('calls that differ in one field the mapping reads stay apart (the earlier one never stands for both)', async () => {
  const fn = 'report-weekly';
  const gp = records.find(
    (r) => r.eventName === 'GetParameter' && String(r.userIdentity?.arn).endsWith(`/${fn}`),
  );
  if (!gp) throw new Error('the samples have no GetParameter of report-weekly');
  const { resources: _dropped, ...plain } = gp;
  void _dropped;
  // Pairs: B is A with one field changed, and earlier (so a merged group would show B only).
  const variants: [string, (r: Record<string, unknown>) => Record<string, unknown>][] = [
    ['requestParameters', (r) => ({ ...r, requestParameters: { name: '/reports/other-name' } })],
    ['errorCode', (r) => ({ ...r, errorCode: 'AccessDenied' })],
    ['awsRegion', (r) => ({ ...r, awsRegion: 'us-east-1' })],
    ['recipientAccountId', (r) => ({ ...r, recipientAccountId: '444455556666' })],
    [
      'resources',
      (r) => ({
        ...r,
        resources: [
          {
            accountId: '111122223333',
            type: 'AWS::SSM::Parameter',
            ARN: 'arn:aws:ssm:eu-west-1:111122223333:parameter/x/y',
          },
        ],
      }),
    ],
  ];
  const extra = variants.flatMap(([field, change], i) => {
    const a = {
      ...plain,
      eventID: `pair-${i}-a`,
      eventTime: '2026-11-20T12:00:00Z',
      requestParameters: { name: `/pair/${field}` },
    };
    return [a, { ...change(a), eventID: `pair-${i}-b`, eventTime: '2026-11-20T11:00:00Z' }];
  });
  const local = await startLocalLogs();
  const file = path.join(dir, 'pairs.json');
  try {
    local.put(GROUP, [...records, ...extra]);
    writeFileSync(file, JSON.stringify({ Records: [...records, ...extra] }));
    const query = logsInsightsSource(
      new CloudWatchLogsClient({
        endpoint: local.url,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      }),
      { logGroups: [GROUP], pollMs: 1, sleep: async () => {} },
    );
    const fromLogs = await runGenerate({ ...base, function: fn, trails: [], sources: { query, now: NOW } });
    const fromFile = await runGenerate({ ...base, function: fn, trails: [file] });
    const render = (r: typeof fromFile) => r.policies.map((d) => renderPolicyJson(d)).join('\n');
    expect(render(fromLogs)).toBe(render(fromFile));
    expect(render(fromFile)).not.toBe(await filePolicy(fn));
    expect(Object.keys(fromLogs.usage.denied).sort()).toEqual(Object.keys(fromFile.usage.denied).sort());
  } finally {
    await local.close();
  }
});

test('a result still full in a 1-second span is a problem: partial, never silently smaller', async () => {
  const many = Array.from({ length: 3 }, (_, i) => ({
    ...records.find((r) => String(r.userIdentity?.arn).endsWith('/report-weekly')),
    eventTime: '2026-11-20T10:00:00Z',
    eventID: `same-second-${i}`,
    requestParameters: { name: `/reports/param-${i}` },
  }));
  const local = await startLocalLogs();
  try {
    local.put(GROUP, many);
    local.rowCap = 2;
    const query = logsInsightsSource(
      new CloudWatchLogsClient({
        endpoint: local.url,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      }),
      { logGroups: [GROUP], pollMs: 1, sleep: async () => {}, resultLimit: 2 },
    );
    const target = {
      kind: 'function' as const,
      functionName: 'report-weekly',
      roleArn: 'arn:aws:iam::111122223333:role/reports-role',
      display: 'function report-weekly',
    };
    const result = await query.run({ target, window: WINDOW, now: NOW });
    expect(result.problems.map((p) => p.reason).join('\n')).toMatch(
      /principal query of 2026-11-20T10:00:00.000Z\.\.2026-11-20T10:00:01.000Z: the result was cut at 2 rows in a 1-second span/,
    );
    expect(
      result.problems.every((p) => p.code === 'PT-FILE-UNREADABLE' && p.file === `logs://${GROUP}`),
    ).toBe(true);
    expect(result.records).toHaveLength(2);
  } finally {
    await local.close();
  }
});

test('a failed query makes the result partial: a PT-FILE-UNREADABLE finding naming logs://…', async () => {
  logs.failNext(1, 'Failed', /sessionIssuer\.arn =/);
  const { result, policy } = await viaLogs('image-resizer');
  expect(result.partial).toBe(true);
  const finding = result.findings.find((f) => f.code === 'PT-FILE-UNREADABLE');
  expect(finding?.message).toMatch(/the query ended Failed/);
  expect(JSON.stringify(finding)).toContain(`logs://${GROUP}`);
  // Nothing of the principal was read: the policy is empty, and said to be partial.
  expect(policy).not.toBe(await filePolicy('image-resizer'));
});

test.each(['Cancelled', 'Timeout', 'Unknown'] as const)(
  'a query that ends %s is a problem too',
  async (status) => {
    logs.failNext(1, status, /k_category$/m);
    const { result } = await viaLogs('report-weekly');
    expect(result.partial).toBe(true);
    expect(result.findings.find((f) => f.code === 'PT-FILE-UNREADABLE')?.message).toContain(
      `ended ${status}`,
    );
  },
);

test('LimitExceededException on StartQuery (concurrent queries) is retried with backoff', async () => {
  const waits: number[] = [];
  logs.limitExceeded(3);
  const before = logs.calls('StartQuery').length;
  const { result, policy } = await viaLogs('report-weekly', {
    pollMs: 100,
    sleep: async (ms) => void waits.push(ms),
  });
  expect(policy).toBe(await filePolicy('report-weekly'));
  expect(result.partial).toBe(false);
  expect(logs.calls('StartQuery').length - before).toBe(3 + 3);
  expect(waits.slice(0, 3)).toEqual([100, 200, 400]);
});

test('Running until the deadline: the query is stopped and the result is partial', async () => {
  logs.neverComplete = true;
  let now = 0;
  const before = logs.calls('StopQuery').length;
  const { result, query } = await viaLogs('report-weekly', {
    timeoutMs: 5_000,
    pollMs: 1_000,
    clock: () => now,
    sleep: async (ms) => void (now += ms),
  });
  expect(result.partial).toBe(true);
  expect(result.findings.find((f) => f.code === 'PT-FILE-UNREADABLE')?.message).toMatch(
    /did not complete within 5 s \(stopped\)/,
  );
  expect(logs.calls('StopQuery').length - before).toBeGreaterThanOrEqual(1);
  expect(query.counters.rows).toBe(0);
});

test('results beyond one GetQueryResults page are read through nextToken', async () => {
  logs.pageSize = 3;
  try {
    const { policy, result } = await viaLogs('orders-api');
    expect(policy).toBe(await filePolicy('orders-api'));
    expect(result.usage.stats.eventsRead).toBe(records.length);
    expect(logs.calls('GetQueryResults').some((r) => JSON.parse(r.body).nextToken)).toBe(true);
  } finally {
    logs.pageSize = 10_000;
  }
});

test('a row whose sample is not JSON is a malformed event, never dropped', async () => {
  const local = await startLocalLogs();
  try {
    const fn = 'report-weekly';
    const own = records.filter((r) => String(r.userIdentity?.arn).endsWith(`/${fn}`));
    local.put(GROUP, own);
    const query = logsInsightsSource(
      {
        // The engine's answer, damaged on the way: every sample cut short.
        send: async (command: unknown) => {
          const real = await new CloudWatchLogsClient({
            endpoint: local.url,
            region: 'eu-west-1',
            credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
          }).send(command as never);
          const out = real as { results?: { field?: string; value?: string }[][] };
          for (const row of out.results ?? [])
            for (const f of row) if (f.field === 'sample') f.value = f.value?.slice(0, 20);
          return real;
        },
      } as never,
      { logGroups: [GROUP], pollMs: 1, sleep: async () => {} },
    );
    const result = await runGenerate({ ...base, function: fn, trails: [], sources: { query, now: NOW } });
    expect(result.usage.stats.malformedEvents).toBe(own.length);
    expect(result.partial).toBe(true);
    expect(result.findings.some((f) => f.code === 'PT-MALFORMED-EVENT')).toBe(true);
  } finally {
    await local.close();
  }
});
