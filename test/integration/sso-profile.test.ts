import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliAsync, SAMPLE_ACCOUNT, SAMPLE_TRAIL, SAMPLE_WINDOW } from '../helpers/cli';
import { startLocalIam, startLocalLambda } from '../helpers/aws-local/iam-lambda';
import { startEndpoint, type LocalEndpoint } from '../helpers/aws-local/server';

/**
 * An SSO profile through the standard credential chain: `--profile` names an `sso-session`
 * profile of a shared config file, the SDK reads the cached SSO token, exchanges it at the SSO
 * portal (a local one: `GetRoleCredentials`, REST-JSON) for role credentials, and signs the IAM
 * and Lambda requests with them. An expired session is one line telling to log in again.
 */
const ACCESS_KEY = 'ASIASSOLOCALKEY00001';
let sso: LocalEndpoint;
let iam: LocalEndpoint;
let lambda: LocalEndpoint;
let home: string;

function writeToken(expiresAt: string): void {
  // The SDK caches an sso-session's token under the SHA-1 of the session's name.
  const file = createHash('sha1').update('local').digest('hex');
  const dir = path.join(home, '.aws', 'sso', 'cache');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, `${file}.json`),
    JSON.stringify({
      accessToken: 'sso-access-token',
      expiresAt,
      region: 'us-east-1',
      startUrl: 'https://local.awsapps.com/start',
    }),
  );
}

beforeAll(async () => {
  sso = await startEndpoint((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (
      req.path !== '/federation/credentials' ||
      req.headers['x-amz-sso_bearer_token'] !== 'sso-access-token'
    ) {
      res.statusCode = 401;
      res.setHeader('x-amzn-errortype', 'UnauthorizedException');
      res.end(JSON.stringify({ message: 'Session token not found or invalid' }));
      return;
    }
    res.end(
      JSON.stringify({
        roleCredentials: {
          accessKeyId: ACCESS_KEY,
          secretAccessKey: 'sso-secret',
          sessionToken: 'sso-session-token',
          expiration: Date.now() + 3_600_000,
        },
      }),
    );
  });
  iam = await startLocalIam({ snapshot: SAMPLE_ACCOUNT });
  lambda = await startLocalLambda({ snapshot: SAMPLE_ACCOUNT });
  home = mkdtempSync(path.join(tmpdir(), 'pt-sso-'));
  mkdirSync(path.join(home, '.aws'), { recursive: true });
  writeFileSync(
    path.join(home, '.aws', 'config'),
    [
      '[profile local-sso]',
      'sso_session = local',
      'sso_account_id = 111122223333',
      'sso_role_name = PolicyTightenReader',
      'region = us-east-1',
      '',
      '[sso-session local]',
      'sso_start_url = https://local.awsapps.com/start',
      'sso_region = us-east-1',
      'sso_registration_scopes = sso:account:access',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  for (const e of [sso, iam, lambda]) await e.close();
  rmSync(home, { recursive: true, force: true });
});

const env = () => ({
  HOME: home,
  AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
  AWS_ENDPOINT_URL_SSO: sso.url,
  AWS_ENDPOINT_URL_IAM: iam.url,
  AWS_ENDPOINT_URL_LAMBDA: lambda.url,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});
const args = [
  'generate',
  '--function',
  'report-weekly',
  '--region',
  'eu-west-1',
  '--trail',
  SAMPLE_TRAIL,
  ...SAMPLE_WINDOW,
];

test('--profile of an SSO session: the role credentials from the portal sign every request', async () => {
  writeToken(new Date(Date.now() + 3_600_000).toISOString());
  const before = iam.requests.length;
  const r = await runCliAsync([...args, '--profile', 'local-sso'], { env: env() });
  const offline = await runCliAsync([...args, '--account-snapshot', SAMPLE_ACCOUNT, '--offline']);
  expect(r.stderr).not.toMatch(/no AWS credentials/);
  expect(r.stdout).toBe(offline.stdout);
  expect(r.status).toBe(offline.status);
  expect(sso.requests.length).toBeGreaterThan(0);
  expect(sso.requests[0].query.get('role_name')).toBe('PolicyTightenReader');
  expect(sso.requests[0].query.get('account_id')).toBe('111122223333');
  const signed = iam.requests.slice(before);
  expect(signed.length).toBeGreaterThan(0);
  for (const q of signed) expect(String(q.headers.authorization)).toContain(`Credential=${ACCESS_KEY}/`);
});

test('an expired SSO session: one line telling to log in again, exit 1, no request to AWS', async () => {
  writeToken(new Date(Date.now() - 3_600_000).toISOString());
  const before = iam.requests.length + lambda.requests.length;
  const r = await runCliAsync([...args, '--profile', 'local-sso'], { env: env() });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(
    /the AWS SSO session has expired or is invalid \(run `aws sso login` with the profile\)/,
  );
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(iam.requests.length + lambda.requests.length).toBe(before);
});
