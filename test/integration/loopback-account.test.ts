import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadAccountSnapshot } from '../../src/account';
import { runCliAsync, SAMPLE_ACCOUNT, SAMPLE_TRAIL, sampleRecords } from '../helpers/cli';
import { trailDb, type TrailDb } from '../helpers/duckdb-trail';
import { startLocalAthena } from '../helpers/aws-local/athena';
import { startLocalIam, startLocalLambda } from '../helpers/aws-local/iam-lambda';
import { lakeDb, startLocalLake, type LakeDb } from '../helpers/aws-local/lake';
import { startLocalLogs } from '../helpers/aws-local/logs';
import { startLocalS3 } from '../helpers/aws-local/s3';
import { startLocalSecretsManager } from '../helpers/aws-local/secrets-manager';
import { startLocalCloudTrail, type LocalEndpoint, type RecordedRequest } from '../helpers/aws-local/server';

/**
 * A loopback account: IAM, Lambda, CloudTrail, S3 and Athena on 127.0.0.1, reached through the
 * standard credential chain and `AWS_ENDPOINT_URL_*` by the real CLI. `generate --function
 * orders-api` with no other flag works (LookupEvents + live state, warning that data events are
 * unseen); `--trail s3://…` and Athena give the policy of the same files; `snapshot --out`
 * reproduces it offline. The requests each mode makes are counted (docs/permissions.md).
 */
const BUCKET = 'loopback-trail';
const TABLE = 'trail.cloudtrail_logs';
const records = sampleRecords();
const management = records.filter((r) => (r as { eventCategory?: string }).eventCategory !== 'Data');

let iam: LocalEndpoint;
let lambda: LocalEndpoint;
let cloudtrail: LocalEndpoint;
let s3: LocalEndpoint;
let athena: LocalEndpoint;
let logs: LocalEndpoint;
let lake: LocalEndpoint;
let secretsmanager: LocalEndpoint;
let lakeStore: LakeDb;
const EDS = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
let db: TrailDb;
let dir: string;
let env: Record<string, string>;
const endpoints = (): Record<string, LocalEndpoint> => ({
  iam,
  lambda,
  cloudtrail,
  s3,
  athena,
  logs,
  secretsmanager,
});

beforeAll(async () => {
  iam = await startLocalIam({ snapshot: SAMPLE_ACCOUNT });
  lambda = await startLocalLambda({ snapshot: SAMPLE_ACCOUNT });
  cloudtrail = await startLocalCloudTrail(management);
  s3 = await startLocalS3({ bucket: BUCKET, root: SAMPLE_TRAIL });
  db = await trailDb(records);
  athena = await startLocalAthena(db);
  const local = await startLocalLogs();
  local.put('trail-log-group', records);
  logs = local;
  lakeStore = await lakeDb(records, EDS);
  lake = await startLocalLake(lakeStore);
  secretsmanager = await startLocalSecretsManager({ snapshot: SAMPLE_ACCOUNT });
  dir = mkdtempSync(path.join(tmpdir(), 'pt-loopback-'));
  writeFileSync(path.join(dir, 'management.json'), JSON.stringify({ Records: management }));
  writeFileSync(path.join(dir, 'all.json'), JSON.stringify({ Records: records }));
  env = {
    AWS_ENDPOINT_URL_IAM: iam.url,
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrail.url,
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ENDPOINT_URL_ATHENA: athena.url,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: logs.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsmanager.url,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
});
afterAll(async () => {
  for (const e of Object.values(endpoints())) await e.close();
  await lake.close();
  db.close();
  lakeStore.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The API of a recorded request, as `service:Operation`. */
function apiOf(service: string, r: RecordedRequest): string {
  const target = String(r.headers['x-amz-target'] ?? '');
  if (target) return `${service}:${target.slice(target.lastIndexOf('.') + 1)}`;
  if (service === 'iam') return `iam:${new URLSearchParams(r.body).get('Action')}`;
  if (service === 'lambda')
    return r.path.endsWith('/policy')
      ? 'lambda:GetPolicy'
      : r.path.endsWith('/urls')
        ? 'lambda:ListFunctionUrlConfigs'
        : r.path.includes('event-source-mappings')
          ? 'lambda:ListEventSourceMappings'
          : 'lambda:ListFunctions';
  if (service === 's3') return r.query.get('list-type') === '2' ? 's3:ListObjectsV2' : 's3:GetObject';
  return `${service}:?`;
}

/** Runs the CLI and counts the requests it made per API. */
async function run(
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string; requests: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(endpoints()).map(([k, e]) => [k, e.requests.length]));
  const r = await runCliAsync(args, { env });
  const requests: Record<string, number> = {};
  for (const [k, e] of Object.entries(endpoints()))
    for (const req of e.requests.slice(before[k])) {
      const api = apiOf(k, req);
      requests[api] = (requests[api] ?? 0) + 1;
    }
  return { ...r, requests: Object.fromEntries(Object.entries(requests).sort()) };
}

const offline = (args: string[]) =>
  runCliAsync([...args, '--account-snapshot', SAMPLE_ACCOUNT, '--offline', '--region', 'us-east-1']);

test('generate --function orders-api, nothing else: the event history and the live account, data events said unseen', async () => {
  const r = await run(['generate', '--function', 'orders-api']);
  expect(r.stderr).toMatch(/LookupEvents.*data events .* are not in it/);
  const local = await offline([
    'generate',
    '--function',
    'orders-api',
    '--trail',
    path.join(dir, 'management.json'),
  ]);
  expect(r.stdout).toBe(local.stdout);
  expect(r.status).toBe(local.status);
  // IAM for the function's role only; every page of the history, the quota respected by the SDK.
  expect(r.requests['iam:GetAccountAuthorizationDetails']).toBeUndefined();
  expect(r.requests['iam:GetRole']).toBe(1);
  expect(r.requests['cloudtrail:LookupEvents']).toBe(Math.ceil(management.length / 50));
  expect(r.requests['lambda:ListFunctions']).toBeGreaterThan(0);
});

test('--trail s3://…, --athena-table and --log-group give the policy of the same files', async () => {
  const args = ['generate', '--function', 'orders-api', '--since', '2026-11-01', '--until', '2026-12-01'];
  const files = await offline([...args, '--trail', SAMPLE_TRAIL]);
  expect(files.status).toBe(0);
  const fromS3 = await run([...args, '--region', 'us-east-1', '--trail', `s3://${BUCKET}/AWSLogs/`]);
  expect(fromS3.stdout).toBe(files.stdout);
  expect(fromS3.status).toBe(0);
  expect(fromS3.requests['s3:GetObject']).toBeGreaterThan(0);
  const fromAthena = await run([...args, '--region', 'us-east-1', '--athena-table', TABLE]);
  expect(fromAthena.stdout).toBe(files.stdout);
  expect(fromAthena.status).toBe(0);
  expect(fromAthena.requests).toMatchObject({ 'athena:StartQueryExecution': 1, 'athena:GetQueryResults': 1 });
  const fromLogs = await run([...args, '--region', 'us-east-1', '--log-group', 'trail-log-group']);
  expect(fromLogs.stderr).toContain('querying logs://trail-log-group (CloudWatch Logs Insights)');
  expect(fromLogs.stdout).toBe(files.stdout);
  expect(fromLogs.status).toBe(0);
  expect(fromLogs.requests['logs:StartQuery']).toBeGreaterThanOrEqual(2);
  // CloudTrail Lake answers at CloudTrail's endpoint: a run of its own.
  const lakeEnv = { ...env, AWS_ENDPOINT_URL_CLOUDTRAIL: lake.url };
  const before = lake.requests.length;
  const fromLake = await runCliAsync([...args, '--region', 'us-east-1', '--lake', EDS], { env: lakeEnv });
  expect(fromLake.stderr).toContain(`querying lake://${EDS} (CloudTrail Lake)`);
  expect(fromLake.stdout).toBe(files.stdout);
  expect(fromLake.status).toBe(0);
  expect(lake.requests.length - before).toBeGreaterThanOrEqual(3);
});

test('report --unused over Athena: the report of the same files', async () => {
  const window = ['--since', '2026-11-01', '--until', '2026-12-01'];
  const files = await runCliAsync([
    'report',
    '--unused',
    '--trail',
    path.join(dir, 'all.json'),
    '--account-snapshot',
    SAMPLE_ACCOUNT,
    '--offline',
    ...window,
  ]);
  const fromAthena = await run([
    'report',
    '--unused',
    '--account-snapshot',
    SAMPLE_ACCOUNT,
    '--region',
    'us-east-1',
    '--athena-table',
    TABLE,
    ...window,
  ]);
  expect(fromAthena.stdout).toBe(files.stdout);
  expect(fromAthena.status).toBe(files.status);
  expect(fromAthena.requests['athena:StartQueryExecution']).toBe(1);
  const logs = await run([
    'report',
    '--unused',
    '--account-snapshot',
    SAMPLE_ACCOUNT,
    '--region',
    'us-east-1',
    '--log-group',
    'g',
    ...window,
  ]);
  expect(logs.status).toBe(2);
  expect(logs.stderr).toMatch(/--log-group serves generate/);
});

test('snapshot --out reproduces the live run offline', async () => {
  const out = path.join(dir, 'snapshot');
  const snap = await run(['snapshot', '--out', out, '--region', 'us-east-1', '--region', 'eu-west-1']);
  expect(snap.status).toBe(0);
  const args = ['generate', '--function', 'orders-api', '--region', 'us-east-1', '--trail', SAMPLE_TRAIL];
  const window = ['--since', '2026-11-01', '--until', '2026-12-01'];
  const live = await run([...args, ...window]);
  const fromSnapshot = await runCliAsync([...args, ...window, '--account-snapshot', out, '--offline']);
  expect(fromSnapshot.stdout).toBe(live.stdout);
  expect(fromSnapshot.status).toBe(live.status);
});

test("snapshot --out writes the audit's parts, read by the real SDK: every page, and what the samples hold", async () => {
  const out = path.join(dir, 'snapshot-audit');
  const snap = await run(['snapshot', '--out', out, '--region', 'us-east-1', '--region', 'eu-west-1']);
  expect(snap.status).toBe(0);
  expect(snap.stderr).not.toContain('note:');
  const [written, samples] = await Promise.all([
    loadAccountSnapshot(out),
    loadAccountSnapshot(SAMPLE_ACCOUNT),
  ]);
  expect(written.functionPolicies).toEqual(samples.functionPolicies);
  expect(written.functionUrls).toEqual(samples.functionUrls);
  expect(written.secrets).toEqual(samples.secrets);
  expect(written.partRegions).toEqual(samples.partRegions);
  // GetPolicy per function (ingest-backfill has none: ResourceNotFoundException, no key); one URL
  // config a page (orders-webhook's two take two requests); one secret a page, per region.
  const functions = samples.functions.length;
  expect(snap.requests).toMatchObject({
    'lambda:GetPolicy': functions,
    'lambda:ListFunctionUrlConfigs': functions + 1,
    'secretsmanager:ListSecrets': samples.secrets!.length,
  });
});

test('a denied optional read: snapshot goes on, the part has no file and a note names the permission', async () => {
  const deniedLambda = await startLocalLambda({ snapshot: SAMPLE_ACCOUNT, deny: ['GetPolicy'] });
  const deniedSecrets = await startLocalSecretsManager({ snapshot: SAMPLE_ACCOUNT, deny: true });
  try {
    const out = path.join(dir, 'snapshot-denied');
    const r = await runCliAsync(
      ['snapshot', '--out', out, '--region', 'us-east-1', '--region', 'eu-west-1'],
      {
        env: {
          ...env,
          AWS_ENDPOINT_URL_LAMBDA: deniedLambda.url,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: deniedSecrets.url,
        },
      },
    );
    expect(r.status).toBe(0);
    const notes = r.stderr.split('\n').filter((l) => l.includes('note:'));
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/function resource policies not read: access denied to lambda:GetPolicy/);
    expect(notes[1]).toMatch(/Secrets Manager secrets not read: access denied to secretsmanager:ListSecrets/);
    // One denied request each: the part stops there.
    expect(deniedSecrets.requests).toHaveLength(1);
    expect(deniedLambda.requests.filter((q) => q.path.endsWith('/policy'))).toHaveLength(1);
    expect(existsSync(path.join(out, 'function-policies-us-east-1.json'))).toBe(false);
    expect(existsSync(path.join(out, 'secrets-us-east-1.json'))).toBe(false);
    const state = await loadAccountSnapshot(out);
    expect(state.functionPolicies).toBeUndefined();
    expect(state.secrets).toBeUndefined();
    expect(state.functionUrls).toHaveLength(2);
    expect(state.partRegions).toEqual({ functionUrls: ['eu-west-1', 'us-east-1'] });
  } finally {
    await deniedLambda.close();
    await deniedSecrets.close();
  }
});
