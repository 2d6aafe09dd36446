import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parse as parseYaml, type ScalarTag } from 'yaml';
import { generateSample, runCli, SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../helpers/cli';
import { expectGolden } from '../helpers/golden';

/**
 * The review on the samples, end to end through the spawned CLI: the Markdown comment, Terraform
 * and CloudFormation outputs (golden files; a missing one fails, UPDATE_GOLDEN=1 writes them),
 * the JSON diff, the CI gate, the Deny carry-over and the thin-evidence refusal.
 */
const FUNCTIONS = ['orders-api', 'image-resizer', 'report-daily', 'report-weekly'];

function golden(name: string, text: string): void {
  expectGolden('review', name, text);
}

const policyOf = (stdout: string) => {
  const j = JSON.parse(stdout);
  return (j.policies ?? [j]) as unknown[];
};

const refTag: ScalarTag = { tag: '!Ref', resolve: (v: string) => ({ Ref: v }) };

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'pt-review-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(FUNCTIONS)('review of %s on the samples', (fn) => {
  it('Markdown review comment (golden), exit 0', () => {
    const r = generateSample(fn, ['--format', 'markdown']);
    expect(r.stderr).toContain('  diff:     ');
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(`<!-- policy-tighten:review:${fn} -->\n`)).toBe(true);
    expect(r.stdout.length).toBeLessThanOrEqual(65536);
    golden(`${fn}.md`, r.stdout);
  });

  it('JSON diff (golden) agrees with the policy printed', () => {
    const out = path.join(tmp, `${fn}.diff.json`);
    const r = generateSample(fn, ['--diff-out', out]);
    expect(r.status).toBe(0);
    const diff = readFileSync(out, 'utf8');
    golden(`${fn}.diff.json`, diff);
    const d = JSON.parse(diff);
    expect(d.schemaVersion).toBe(1);
    expect(d.safeToRemove).toBe(true);
    expect(d.counts.removedActions).toBe(d.removed.length);
  });

  it('Terraform (golden) carries exactly the JSON policy', async () => {
    const json = policyOf(generateSample(fn).stdout);
    const r = generateSample(fn, ['--format', 'terraform']);
    expect(r.status).toBe(0);
    golden(`${fn}.tf`, r.stdout);
    const hcl = (await parseHcl(`${fn}.tf`, r.stdout)) as {
      resource: Record<string, Record<string, { policy?: string; role?: string; policy_arn?: string }[]>>;
    };
    const policies = Object.values(hcl.resource.aws_iam_policy).map((b) => {
      const expr = b[0].policy as string;
      const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expr);
      expect(m).not.toBeNull();
      return JSON.parse((m as RegExpExecArray)[1].replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'));
    });
    expect(policies).toEqual(json);
    const attachments = Object.values(hcl.resource.aws_iam_role_policy_attachment);
    expect(attachments).toHaveLength(json.length);
  });

  it('CloudFormation (golden) carries exactly the JSON policy', () => {
    const json = policyOf(generateSample(fn).stdout);
    const r = generateSample(fn, ['--format', 'cloudformation']);
    expect(r.status).toBe(0);
    golden(`${fn}.yaml`, r.stdout);
    const t = parseYaml(r.stdout, { customTags: [refTag] }) as {
      Resources: Record<string, { Type: string; Properties: { PolicyDocument: unknown; Roles: unknown[] } }>;
    };
    const resources = Object.values(t.Resources);
    expect(resources.every((x) => x.Type === 'AWS::IAM::ManagedPolicy')).toBe(true);
    expect(resources.map((x) => x.Properties.PolicyDocument)).toEqual(json);
    expect(resources[0].Properties.Roles).toEqual([{ Ref: 'RoleName' }]);
  });
});

describe('review behaviour on the samples', () => {
  it('carries the orders-api role’s explicit Deny into the proposal, verbatim, and lists it', () => {
    const statements = policyOf(generateSample('orders-api').stdout).flatMap(
      (p) => (p as { Statement: unknown[] }).Statement,
    );
    expect(statements).toContainEqual({
      Sid: 'DenyOrderDeletion',
      Effect: 'Deny',
      Action: 'dynamodb:DeleteItem',
      Resource: 'arn:aws:dynamodb:*:111122223333:table/orders',
    });
    const md = generateSample('orders-api', ['--format', 'markdown']).stdout;
    expect(md).toContain('DenyOrderDeletion');
  });

  it('--fail-on-change exits 4 when permissions would change', () => {
    const r = generateSample('orders-api', ['--fail-on-change']);
    expect(r.status).toBe(4);
  });

  it('--fail-on-change exits 0 once the role holds the proposal (already tight)', () => {
    // Given an account whose orders-api role has exactly the proposed policy
    const proposal = policyOf(generateSample('orders-api').stdout);
    const account = path.join(tmp, 'tight-account');
    mkdirSync(account, { recursive: true });
    for (const f of readdirSync(SAMPLE_ACCOUNT))
      copyFileSync(path.join(SAMPLE_ACCOUNT, f), path.join(account, f));
    const authFile = path.join(account, 'authorization-details.json');
    const auth = JSON.parse(readFileSync(authFile, 'utf8'));
    const role = auth.RoleDetailList.find((r: { RoleName: string }) => r.RoleName === 'orders-api-role');
    role.RolePolicyList = proposal.map((doc, i) => ({ PolicyName: `tight-${i + 1}`, PolicyDocument: doc }));
    role.AttachedManagedPolicies = [];
    writeFileSync(authFile, JSON.stringify(auth));
    // When the review runs again
    const out = path.join(tmp, 'tight.diff.json');
    const r = generateSample('orders-api', ['--fail-on-change', '--diff-out', out], SAMPLE_TRAIL, {
      account,
    });
    // Then nothing changes, and the same policy comes out
    const d = JSON.parse(readFileSync(out, 'utf8'));
    expect(d.changed).toBe(false);
    expect(d.counts.removedActions).toBe(0);
    expect(r.status).toBe(0);
    expect(policyOf(r.stdout)).toEqual(proposal);
  });

  it('refuses to present removals as safe on a 2-day window: says why, exit 6', () => {
    const r = generateSample('orders-api', ['--format', 'markdown'], SAMPLE_TRAIL, {
      window: ['2026-11-03', '2026-11-05'],
    });
    expect(r.status).toBe(6);
    expect(r.stderr).toMatch(/PT-THIN-EVIDENCE\[short-window\]/);
    expect(r.stderr).toMatch(/evidence: INSUFFICIENT/);
    expect(r.stdout).toMatch(/Do not apply/);
    const caution = r.stdout.indexOf('Do not apply');
    const removals = r.stdout.indexOf('Removals');
    expect(caution).toBeGreaterThan(0);
    expect(removals === -1 || caution < removals).toBe(true);
  });

  it('the review needs the current policies: without a snapshot it is a usage error', () => {
    const r = runCli([
      'generate',
      '--function',
      'orders-api',
      '--trail',
      SAMPLE_TRAIL,
      '--offline',
      '--format',
      'markdown',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/pass --account-snapshot/);
  });

  it('--out updates an existing JSON policy file in place, keeping its indentation', () => {
    const file = path.join(tmp, 'repo', 'iam', 'orders-api.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify(
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] },
        null,
        4,
      ) + '\n',
    );
    const r = generateSample('orders-api', ['--out', file]);
    expect(r.status).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\{\n {4}"Version"/);
    expect(policyOf(text)).toEqual(policyOf(generateSample('orders-api').stdout));
  });

  it('--out with a split policy writes one file per document and removes stale ones', () => {
    const file = path.join(tmp, 'split', 'image-resizer.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(path.join(tmp, 'split', 'image-resizer-9.json'), '{}\n');
    const stdout = generateSample('image-resizer', ['--granularity', 'exact']).stdout;
    const docs = policyOf(stdout);
    expect(docs.length).toBeGreaterThan(1);
    const r = generateSample('image-resizer', ['--granularity', 'exact', '--out', file]);
    expect(r.status).toBe(0);
    const names = readdirSync(path.join(tmp, 'split')).sort();
    expect(names).toEqual(
      ['image-resizer.json', ...docs.slice(1).map((_, i) => `image-resizer-${i + 2}.json`)].sort(),
    );
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(docs[0]);
    expect(r.stderr).toMatch(/removed stale .*image-resizer-9\.json/);
  });
});
