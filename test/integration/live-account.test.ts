import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { loadAccountSnapshot } from '../../src/account';
import type { LivePorts, RequestCounts } from '../../src/account/live';
import { readAccountLive } from '../../src/pipeline/live-account';
import { runGenerate } from '../../src/pipeline/run-generate';
import { runReport } from '../../src/pipeline/run-report';
import { renderCanonicalJson, renderPolicyJson } from '../../src/render';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliAsync, SAMPLE_ACCOUNT, SAMPLE_TRAIL, SAMPLE_WINDOW } from '../helpers/cli';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startLocalIam, startLocalLambda } from '../helpers/aws-local/iam-lambda';
import { startLocalSecretsManager } from '../helpers/aws-local/secrets-manager';
import type { LocalEndpoint } from '../helpers/aws-local/server';

/**
 * The account state read live: the real SDK's IAM (Query/XML) and Lambda (REST-JSON) clients
 * against local endpoints serving the samples' snapshot, in pages, with throttling: the same
 * state, policy and report as the snapshot files; denials name the permission.
 */
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
const REGIONS = ['eu-west-1', 'us-east-1'];
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

function ports(iam: LocalEndpoint, lambda: LocalEndpoint, secrets?: LocalEndpoint): LivePorts {
  return {
    iam: new IAMClient({ endpoint: iam.url, region: 'us-east-1', credentials, maxAttempts: 4 }),
    lambda: (region) => new LambdaClient({ endpoint: lambda.url, region, credentials, maxAttempts: 4 }),
    ...(secrets
      ? {
          secretsManager: (region: string) =>
            new SecretsManagerClient({ endpoint: secrets.url, region, credentials, maxAttempts: 4 }),
        }
      : {}),
  };
}

describe('live account state (local IAM and Lambda)', () => {
  let iam: LocalEndpoint;
  let lambda: LocalEndpoint;
  let secrets: LocalEndpoint;
  beforeAll(async () => {
    iam = await startLocalIam({ snapshot: SAMPLE_ACCOUNT, throttleIam: 1 });
    lambda = await startLocalLambda({ snapshot: SAMPLE_ACCOUNT });
    secrets = await startLocalSecretsManager({ snapshot: SAMPLE_ACCOUNT });
  });
  afterAll(async () => {
    await iam.close();
    await lambda.close();
    await secrets.close();
  });

  it('reads the same state as the snapshot files, following every page (and a throttle)', async () => {
    const counts: RequestCounts = {};
    const notes: string[] = [];
    const live = await readAccountLive({
      ports: ports(iam, lambda, secrets),
      regions: REGIONS,
      counts,
      auditParts: true,
      notes,
    });
    expect(notes).toEqual([]);
    const snapshot = await loadAccountSnapshot(SAMPLE_ACCOUNT);
    const { invocationMetrics, metricRegions, ...withoutMetrics } = snapshot;
    void invocationMetrics;
    void metricRegions;
    // Lambda sends an event source mapping's LastModified as a timestamp: the SDK gives ISO 8601
    // where the AWS CLI printed its own format; the same instant.
    const instant = (m: { config: Record<string, unknown> }) => ({
      ...m,
      config: { ...m.config, LastModified: new Date(String(m.config.LastModified)).toISOString() },
    });
    expect({ ...live, eventSourceMappings: live.eventSourceMappings.map(instant) }).toEqual({
      ...withoutMetrics,
      eventSourceMappings: withoutMetrics.eventSourceMappings.map(instant),
    });
    // 9 roles in pages of 3; 3 and 5 functions in pages of 2 in the two regions; the audit's
    // parts: a policy and URL configs per function (orders-webhook's two URLs in two pages), one
    // secret a page.
    expect(counts).toEqual({
      'iam:GetAccountAuthorizationDetails': 3,
      'lambda:ListFunctions': 2 + 3,
      'lambda:ListEventSourceMappings': 1 + 1,
      'lambda:GetPolicy': 8,
      'lambda:ListFunctionUrlConfigs': 8 + 1,
      'secretsmanager:ListSecrets': 4,
    });
    // The throttled first request was retried by the SDK: 4 requests reached IAM for 3 pages.
    expect(iam.requests.length).toBe(4);
  });

  it('generate and report with the live state give the bytes of the snapshot run', async () => {
    const live = { ports: ports(iam, lambda), regions: REGIONS };
    const a = await runGenerate({
      function: 'report-daily',
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: WINDOW,
    });
    const b = await runGenerate({
      function: 'report-daily',
      trails: [SAMPLE_TRAIL],
      liveAccount: live,
      window: WINDOW,
    });
    expect(renderPolicyJson(b.policies[0])).toBe(renderPolicyJson(a.policies[0]));
    expect(b.diff && renderCanonicalJson(b.diff)).toBe(a.diff && renderCanonicalJson(a.diff));
    const r = await runReport({ trails: [SAMPLE_TRAIL], liveAccount: live, window: WINDOW });
    expect(r.report.unusedRoles.map((u) => u.name)).toEqual(['etl-legacy-role', 'legacy-cron-role']);
  });

  it.each(['report-daily', 'image-resizer', 'ingest-backfill', 'legacy-cron'])(
    'generate --function %s reads IAM for its role only (every page of each list), with the bytes of the snapshot run',
    async (fn) => {
      const live = { ports: ports(iam, lambda), regions: REGIONS, counts: {} as RequestCounts };
      const args = { function: fn, trails: [SAMPLE_TRAIL], window: WINDOW };
      const a = await runGenerate({ ...args, accountSnapshot: SAMPLE_ACCOUNT });
      const b = await runGenerate({ ...args, liveAccount: live });
      expect(b.policies.map((p) => renderPolicyJson(p))).toEqual(a.policies.map((p) => renderPolicyJson(p)));
      expect(b.diff && renderCanonicalJson(b.diff)).toBe(a.diff && renderCanonicalJson(a.diff));
      expect(b.findings).toEqual(a.findings);
      const c = live.counts;
      expect(c['iam:GetAccountAuthorizationDetails']).toBeUndefined();
      expect(c['iam:GetRole']).toBe(1);
      const role = a.roleName as string;
      const detail = (
        JSON.parse(readFileSync(path.join(SAMPLE_ACCOUNT, 'authorization-details.json'), 'utf8')) as {
          RoleDetailList: {
            RoleName: string;
            RolePolicyList?: unknown[];
            AttachedManagedPolicies?: unknown[];
          }[];
        }
      ).RoleDetailList.find((r) => r.RoleName === role);
      const inline = detail?.RolePolicyList?.length ?? 0;
      const attached = detail?.AttachedManagedPolicies?.length ?? 0;
      // One item a page locally: a page per item, at least one.
      expect(c['iam:ListRolePolicies']).toBe(Math.max(1, inline));
      expect(c['iam:GetRolePolicy'] ?? 0).toBe(inline);
      expect(c['iam:ListAttachedRolePolicies']).toBe(Math.max(1, attached));
      expect(c['iam:GetPolicy'] ?? 0).toBeGreaterThanOrEqual(attached);
      expect(c['iam:GetPolicyVersion'] ?? 0).toBe(c['iam:GetPolicy'] ?? 0);
    },
  );

  it("reads Lambda also in the regions the role's calls come from (the same function in two regions)", async () => {
    const live = { ports: ports(iam, lambda), regions: ['us-east-1'], counts: {} as RequestCounts };
    const a = await runGenerate({
      function: 'orders-api',
      region: 'us-east-1',
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: WINDOW,
    });
    const b = await runGenerate({
      function: 'orders-api',
      region: 'us-east-1',
      trails: [SAMPLE_TRAIL],
      liveAccount: live,
      window: WINDOW,
    });
    // orders-api runs in eu-west-1 too: its VPC there implies network-interface permissions.
    expect(live.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(renderPolicyJson(b.policies[0])).toBe(renderPolicyJson(a.policies[0]));
  });

  it('a denial names the permission it needs', async () => {
    const deniedIam = await startLocalIam({
      snapshot: SAMPLE_ACCOUNT,
      deny: ['GetAccountAuthorizationDetails'],
    });
    const deniedLambda = await startLocalLambda({ snapshot: SAMPLE_ACCOUNT, deny: ['ListFunctions'] });
    try {
      await expect(readAccountLive({ ports: ports(deniedIam, lambda), regions: REGIONS })).rejects.toThrow(
        'reading IAM (GetAccountAuthorizationDetails): access denied: the credentials need iam:GetAccountAuthorizationDetails',
      );
      await expect(readAccountLive({ ports: ports(iam, deniedLambda), regions: REGIONS })).rejects.toThrow(
        'reading Lambda in eu-west-1 (ListFunctions): access denied: the credentials need lambda:ListFunctions',
      );
    } finally {
      await deniedIam.close();
      await deniedLambda.close();
    }
  });

  it('the CLI: snapshot --out through AWS_ENDPOINT_URL_IAM/_LAMBDA reproduces the offline run; generate reads live', async () => {
    const env = {
      AWS_ENDPOINT_URL_IAM: iam.url,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'pt-snapshot-'));
    try {
      const snap = await runCliAsync(
        ['snapshot', '--out', dir, '--region', 'us-east-1', '--region', 'eu-west-1'],
        { env },
      );
      expect(snap.stderr).toMatch(
        /wrote .*requests: iam:GetAccountAuthorizationDetails ×3, lambda:GetPolicy ×8, lambda:ListEventSourceMappings ×2, lambda:ListFunctionUrlConfigs ×9, lambda:ListFunctions ×5, secretsmanager:ListSecrets ×4/,
      );
      expect(snap.status).toBe(0);
      expect(readdirSync(dir).sort()).toEqual([
        'authorization-details.json',
        'event-source-mappings-eu-west-1.json',
        'event-source-mappings-us-east-1.json',
        'function-policies-eu-west-1.json',
        'function-policies-us-east-1.json',
        'function-url-configs-eu-west-1.json',
        'function-url-configs-us-east-1.json',
        'functions-eu-west-1.json',
        'functions-us-east-1.json',
        'secrets-eu-west-1.json',
        'secrets-us-east-1.json',
      ]);
      const args = [
        'generate',
        '--function',
        'orders-api',
        '--region',
        'us-east-1',
        '--trail',
        SAMPLE_TRAIL,
        ...SAMPLE_WINDOW,
      ];
      const offline = await runCliAsync([...args, '--account-snapshot', SAMPLE_ACCOUNT, '--offline']);
      const fromSnapshot = await runCliAsync([...args, '--account-snapshot', dir, '--offline']);
      const live = await runCliAsync(args, { env: { ...env, AWS_REGION: 'us-east-1' } });
      expect(fromSnapshot.stdout).toBe(offline.stdout);
      expect(live.stdout).toBe(offline.stdout);
      expect(live.status).toBe(offline.status);
      // Without credentials: one clear line, exit 1.
      const none = await runCliAsync(args, {
        env: {
          AWS_ENDPOINT_URL_IAM: iam.url,
          AWS_REGION: 'us-east-1',
          HOME: dir,
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      });
      expect(none.status).toBe(1);
      expect(none.stderr).toMatch(
        /policy-tighten: reading (IAM|Lambda) .*: no AWS credentials found \(set AWS_PROFILE or --profile/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
