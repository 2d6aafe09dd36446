import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PolicyDocument } from '../../src/model';
import {
  ROOT,
  runCliAsync,
  SAMPLE_ACCOUNT,
  SAMPLE_TRAIL,
  SAMPLE_WINDOW,
  sampleRecords,
} from '../helpers/cli';
import { trailDb, type TrailDb } from '../helpers/duckdb-trail';
import { startLocalAthena } from '../helpers/aws-local/athena';
import { startLocalIam, startLocalLambda } from '../helpers/aws-local/iam-lambda';
import { lakeDb, startLocalLake } from '../helpers/aws-local/lake';
import { startLocalLogs } from '../helpers/aws-local/logs';
import { startLocalS3 } from '../helpers/aws-local/s3';
import { startLocalSecretsManager } from '../helpers/aws-local/secrets-manager';
import { startLocalCloudTrail, type LocalEndpoint, type RecordedRequest } from '../helpers/aws-local/server';
import { simulate } from '../property/simulate';

/**
 * docs/permissions.md is judged, not trusted: every mode runs through the real CLI against local
 * endpoints, each request the tool made becomes the IAM action and resource AWS authorises it as,
 * and the policy the page gives for that mode must allow it (independent evaluator). And the
 * page's policies grant no more than their mode: the account-wide read is not in `generate`'s.
 */
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const BUCKET = 'trail-bucket';
const WORKGROUP = 'primary';
const PLACEHOLDERS: Record<string, string> = {
  ACCOUNT,
  REGION,
  TRAIL_BUCKET: BUCKET,
  WORKGROUP,
  DATABASE: 'trail',
  TABLE: 'cloudtrail_logs',
  RESULTS_BUCKET: 'results-bucket',
  RESULTS_PREFIX: 'athena/',
  LOG_GROUP: 'trail-log-group',
  EVENT_DATA_STORE: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
};

/** The policies of docs/permissions.md, by their `<!-- policy: NAME -->` marker, placeholders filled. */
function documented(): Record<string, PolicyDocument> {
  const text = readFileSync(path.join(ROOT, 'docs', 'permissions.md'), 'utf8');
  const out: Record<string, PolicyDocument> = {};
  for (const m of text.matchAll(/<!-- policy: ([a-z-]+) -->\s*```json\n([\s\S]*?)```/g)) {
    const json = m[2].replace(/\b[A-Z][A-Z_]+\b/g, (w) => PLACEHOLDERS[w] ?? w);
    out[m[1]] = JSON.parse(json) as PolicyDocument;
  }
  return out;
}

interface Call {
  action: string;
  resource: string;
  context: Record<string, string>;
}

/** What IAM authorises a recorded request as. */
function callOf(service: string, r: RecordedRequest): Call {
  const target = String(r.headers['x-amz-target'] ?? '');
  const op = target.slice(target.lastIndexOf('.') + 1);
  if (service === 'iam') {
    const form = new URLSearchParams(r.body);
    const action = `iam:${form.get('Action')}`;
    const role = form.get('RoleName');
    const policy = form.get('PolicyArn');
    return {
      action,
      resource: role ? `arn:aws:iam::${ACCOUNT}:role/${role}` : (policy ?? '*'),
      context: {},
    };
  }
  if (service === 'lambda') {
    // GetPolicy and ListFunctionUrlConfigs authorise on the function (in the request's region).
    const fn = /^\/20(?:15-03-31|21-10-31)\/functions\/([^/]+)\/(policy|urls)$/.exec(r.path);
    if (fn) {
      const region = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(String(r.headers.authorization))?.[1];
      return {
        action: fn[2] === 'policy' ? 'lambda:GetPolicy' : 'lambda:ListFunctionUrlConfigs',
        resource: `arn:aws:lambda:${region}:${ACCOUNT}:function:${fn[1]}`,
        context: {},
      };
    }
    return {
      action: r.path.includes('event-source-mappings')
        ? 'lambda:ListEventSourceMappings'
        : 'lambda:ListFunctions',
      resource: '*',
      context: {},
    };
  }
  if (service === 'secretsmanager') return { action: `secretsmanager:${op}`, resource: '*', context: {} };
  if (service === 'cloudtrail') return { action: `cloudtrail:${op}`, resource: '*', context: {} };
  if (service === 'lake')
    return {
      action: `cloudtrail:${op}`,
      resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:eventdatastore/${PLACEHOLDERS.EVENT_DATA_STORE}`,
      context: {},
    };
  if (service === 's3') {
    const [, bucket, ...key] = r.path.split('/');
    if (r.query.get('list-type') === '2')
      return {
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${bucket}`,
        context: { 's3:prefix': r.query.get('prefix') ?? '' },
      };
    return { action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/${key.join('/')}`, context: {} };
  }
  if (service === 'athena') {
    const wg = (JSON.parse(r.body || '{}') as { WorkGroup?: string }).WorkGroup ?? 'primary';
    return {
      action: `athena:${op}`,
      resource: `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${wg}`,
      context: {},
    };
  }
  if (service === 'logs') {
    // GetQueryResults is authorised on the query's log group (the one group of these runs).
    const group = PLACEHOLDERS.LOG_GROUP;
    return {
      action: `logs:${op}`,
      resource: op === 'StopQuery' ? '*' : `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}`,
      context: {},
    };
  }
  throw new Error(`no mapping for ${service}`);
}

let endpoints: Record<string, LocalEndpoint>;
let db: TrailDb;
let dir: string;
let env: Record<string, string>;
const policies = documented();

beforeAll(async () => {
  db = await trailDb(sampleRecords());
  endpoints = {
    iam: await startLocalIam({ snapshot: SAMPLE_ACCOUNT }),
    lambda: await startLocalLambda({ snapshot: SAMPLE_ACCOUNT }),
    cloudtrail: await startLocalCloudTrail(
      sampleRecords().filter((r) => (r as { eventCategory?: string }).eventCategory !== 'Data'),
    ),
    s3: await startLocalS3({ bucket: BUCKET, root: SAMPLE_TRAIL }),
    athena: await startLocalAthena(db),
    logs: await startLocalLogs(),
    secretsmanager: await startLocalSecretsManager({ snapshot: SAMPLE_ACCOUNT }),
  };
  (endpoints.logs as Awaited<ReturnType<typeof startLocalLogs>>).put(PLACEHOLDERS.LOG_GROUP, sampleRecords());
  dir = mkdtempSync(path.join(tmpdir(), 'pt-permissions-'));
  env = {
    AWS_ENDPOINT_URL_IAM: endpoints.iam.url,
    AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda.url,
    AWS_ENDPOINT_URL_CLOUDTRAIL: endpoints.cloudtrail.url,
    AWS_ENDPOINT_URL_S3: endpoints.s3.url,
    AWS_ENDPOINT_URL_ATHENA: endpoints.athena.url,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoints.logs.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsmanager.url,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: REGION,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
});
afterAll(async () => {
  for (const e of Object.values(endpoints)) await e.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI; the requests it made, as IAM calls. */
async function callsOf(args: string[]): Promise<{ calls: Call[]; status: number | null }> {
  const before = Object.fromEntries(Object.entries(endpoints).map(([k, e]) => [k, e.requests.length]));
  const r = await runCliAsync(args, { env });
  const calls = Object.entries(endpoints).flatMap(([k, e]) =>
    e.requests.slice(before[k]).map((q) => callOf(k, q)),
  );
  return { calls, status: r.status };
}

async function deniedBy(policy: PolicyDocument, calls: Call[]): Promise<string[]> {
  const out: string[] = [];
  for (const c of calls) {
    const d = await simulate([policy], c.action, c.resource, ACCOUNT, c.context);
    if (d !== 'Allowed') out.push(`${c.action} ${c.resource} ${JSON.stringify(c.context)}: ${d}`);
  }
  return out;
}

const merge = (...names: string[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: names.flatMap((n) => {
    const p = policies[n];
    if (!p) throw new Error(`docs/permissions.md has no policy ${n}`);
    return p.Statement;
  }),
});

test('the page holds a policy for every mode', () => {
  expect(Object.keys(policies).sort()).toEqual(
    [
      'athena',
      'generate-account',
      'lake',
      'logs-insights',
      'lookup-events',
      'trail-bucket',
      'whole-account',
    ].sort(),
  );
});

test.each([
  ['orders-api', 'us-east-1'],
  ['image-resizer', 'us-east-1'],
  ['report-daily', 'eu-west-1'],
])(
  'generate --function %s, account state live: every request allowed by generate-account, and no account-wide read',
  async (fn, region) => {
    const { calls, status } = await callsOf([
      'generate',
      '--function',
      fn,
      '--region',
      region,
      '--trail',
      SAMPLE_TRAIL,
      ...SAMPLE_WINDOW,
    ]);
    expect([0, 3, 6]).toContain(status);
    expect(calls.some((c) => c.action === 'iam:GetRole')).toBe(true);
    expect(await deniedBy(policies['generate-account'], calls)).toEqual([]);
    expect(
      await simulate([policies['generate-account']], 'iam:GetAccountAuthorizationDetails', '*', ACCOUNT),
    ).not.toBe('Allowed');
  },
);

test('report --unused and snapshot --out: every request allowed by whole-account', async () => {
  const report = await callsOf(['report', '--unused', '--trail', SAMPLE_TRAIL, ...SAMPLE_WINDOW]);
  const snapshot = await callsOf(['snapshot', '--out', path.join(dir, 'snap'), '--region', REGION]);
  expect(report.calls.length + snapshot.calls.length).toBeGreaterThan(4);
  // snapshot reads the audit's parts too; report does not.
  const actions = (calls: Call[]) => new Set(calls.map((c) => c.action));
  for (const a of ['lambda:GetPolicy', 'lambda:ListFunctionUrlConfigs', 'secretsmanager:ListSecrets']) {
    expect(actions(snapshot.calls).has(a)).toBe(true);
    expect(actions(report.calls).has(a)).toBe(false);
  }
  expect(await deniedBy(policies['whole-account'], [...report.calls, ...snapshot.calls])).toEqual([]);
});

test('--lookup-events: every request allowed by lookup-events', async () => {
  const { calls } = await callsOf([
    'generate',
    '--function',
    'report-weekly',
    '--account-snapshot',
    SAMPLE_ACCOUNT,
    '--region',
    'eu-west-1',
    ...SAMPLE_WINDOW,
  ]);
  expect(calls.filter((c) => c.action === 'cloudtrail:LookupEvents').length).toBeGreaterThan(1);
  expect(await deniedBy(policies['lookup-events'], calls)).toEqual([]);
});

test('--trail s3://BUCKET/AWSLogs/: every request allowed by trail-bucket, and nothing outside AWSLogs/', async () => {
  const { calls } = await callsOf([
    'generate',
    '--function',
    'orders-api',
    '--region',
    REGION,
    '--account-snapshot',
    SAMPLE_ACCOUNT,
    '--trail',
    `s3://${BUCKET}/AWSLogs/`,
    ...SAMPLE_WINDOW,
  ]);
  expect(calls.filter((c) => c.action === 's3:GetObject').length).toBeGreaterThan(1);
  expect(await deniedBy(policies['trail-bucket'], calls)).toEqual([]);
  expect(
    await simulate(
      [policies['trail-bucket']],
      's3:GetObject',
      `arn:aws:s3:::${BUCKET}/other/x.json`,
      ACCOUNT,
    ),
  ).not.toBe('Allowed');
});

test('--athena-table: every request of the tool allowed by athena', async () => {
  const { calls } = await callsOf([
    'generate',
    '--function',
    'orders-api',
    '--region',
    REGION,
    '--account-snapshot',
    SAMPLE_ACCOUNT,
    '--athena-table',
    'trail.cloudtrail_logs',
    ...SAMPLE_WINDOW,
  ]);
  expect(calls.map((c) => c.action)).toContain('athena:StartQueryExecution');
  expect(await deniedBy(policies.athena, calls)).toEqual([]);
  // Together with the account state, as a live run needs both.
  expect(await deniedBy(merge('athena', 'generate-account'), calls)).toEqual([]);
});

test('--log-group: every request allowed by logs-insights', async () => {
  const { calls, status } = await callsOf([
    'generate',
    '--function',
    'orders-api',
    '--region',
    REGION,
    '--account-snapshot',
    SAMPLE_ACCOUNT,
    '--log-group',
    PLACEHOLDERS.LOG_GROUP,
    ...SAMPLE_WINDOW,
  ]);
  expect(status).toBe(0);
  expect(calls.map((c) => c.action)).toContain('logs:StartQuery');
  expect(await deniedBy(policies['logs-insights'], calls)).toEqual([]);
  // Only its log group: another one is not queried with this policy.
  expect(
    await simulate(
      [policies['logs-insights']],
      'logs:StartQuery',
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:other`,
      ACCOUNT,
    ),
  ).not.toBe('Allowed');
});

test('--lake: every request allowed by lake', async () => {
  const store = await lakeDb(sampleRecords(), PLACEHOLDERS.EVENT_DATA_STORE);
  const lake = await startLocalLake(store);
  try {
    const r = await runCliAsync(
      [
        'generate',
        '--function',
        'orders-api',
        '--region',
        REGION,
        '--account-snapshot',
        SAMPLE_ACCOUNT,
        '--lake',
        PLACEHOLDERS.EVENT_DATA_STORE,
        ...SAMPLE_WINDOW,
      ],
      { env: { ...env, AWS_ENDPOINT_URL_CLOUDTRAIL: lake.url } },
    );
    expect(r.status).toBe(0);
    const calls = lake.requests.map((q) => callOf('lake', q));
    expect(calls.map((c) => c.action)).toContain('cloudtrail:StartQuery');
    expect(await deniedBy(policies.lake, calls)).toEqual([]);
  } finally {
    await lake.close();
    store.close();
  }
});
