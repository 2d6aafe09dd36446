import { runAudit } from '../../src/pipeline/run-audit';
import { AUDIT_RULES } from '../../src/audit';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../helpers/cli';

/** The role and function rules of the audit over the sample account and trail (samples/README.md). */
const ROLE_RULES = AUDIT_RULES.filter((r) =>
  [
    'PT-AUDIT-ADMIN-GRANT',
    'PT-AUDIT-OVER-PRIVILEGED',
    'PT-AUDIT-RUNTIME-EOS',
    'PT-AUDIT-SHARED-ROLE',
    'PT-AUDIT-UNUSED-FUNCTION',
    'PT-AUDIT-UNUSED-ROLE',
  ].includes(r.id),
);
const ROLE = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

describe('audit: role and function rules on the samples', () => {
  let result: Awaited<ReturnType<typeof runAudit>>;
  beforeAll(async () => {
    result = await runAudit({
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
      now: new Date('2026-12-01T00:00:00Z'),
      rules: ROLE_RULES,
    });
  });
  const find = (id: string) => result.audit.findings.find((f) => f.id === id);

  it('runs every rule (the trail is given)', () => {
    expect(ROLE_RULES).toHaveLength(6);
    expect(result.audit.rulesRun).toHaveLength(6);
    expect(result.audit.skipped).toEqual([]);
  });

  it('finds orders-api-role shared across us-east-1 and eu-west-1', () => {
    const f = find(`PT-AUDIT-SHARED-ROLE[${ROLE('orders-api-role')}]`)!;
    expect(f.severity).toBe('medium');
    expect(f.evidence[0]).toContain('orders-api (eu-west-1), orders-api (us-east-1)');
    expect(f.evidence.join('\n')).toContain('cannot tell their calls apart');
    expect(f.fix).toContain('policy-tighten generate --function orders-api --region us-east-1');
    expect(f.fix).toContain('policy-tighten generate --function orders-api --region eu-west-1');
  });

  it('finds reports-role shared by report-daily and report-weekly, with what each used', () => {
    const f = find(`PT-AUDIT-SHARED-ROLE[${ROLE('reports-role')}]`)!;
    expect(f.basis).toBe('configuration and trail');
    const text = f.evidence.join('\n');
    expect(text).toMatch(/report-daily \(eu-west-1\): 21 calls .*dynamodb:Scan, s3:PutObject, sns:Publish/);
    expect(text).toMatch(/report-weekly \(eu-west-1\): 10 calls .*ssm:GetParameter/);
    expect(f.fix).toContain('--function report-daily --region eu-west-1');
    expect(f.fix).toContain('--function report-weekly --region eu-west-1');
  });

  it('finds no other shared role', () => {
    expect(result.audit.findings.filter((f) => f.rule === 'PT-AUDIT-SHARED-ROLE')).toHaveLength(2);
  });

  it('judges over-privilege from use for active roles only', () => {
    const over = result.audit.findings.filter((f) => f.rule === 'PT-AUDIT-OVER-PRIVILEGED');
    const image = find(`PT-AUDIT-OVER-PRIVILEGED[${ROLE('image-resizer-role')}]`)!;
    expect(image.severity).toBe('medium');
    expect(image.message).toMatch(/grants \d+ actions .* write or permissions management/);
    expect(image.evidence.join('\n')).toContain('Write access granted and never used');
    expect(image.evidence.join('\n')).toContain('the events read span');
    expect(image.fix).toContain('policy-tighten generate --function image-resizer');
    const orders = find(`PT-AUDIT-OVER-PRIVILEGED[${ROLE('orders-api-role')}]`)!;
    expect(orders.severity).toBe('medium');
    // Not judged: a role created inside the window, a role without a call.
    expect(find(`PT-AUDIT-OVER-PRIVILEGED[${ROLE('ingest-backfill-role')}]`)!.severity).toBe('info');
    expect(find(`PT-AUDIT-OVER-PRIVILEGED[${ROLE('legacy-cron-role')}]`)!.severity).toBe('info');
    // No function uses etl-legacy-role: PT-AUDIT-UNUSED-ROLE speaks for it.
    expect(find(`PT-AUDIT-OVER-PRIVILEGED[${ROLE('etl-legacy-role')}]`)).toBeUndefined();
    expect(
      over
        .filter((f) => f.severity === 'medium')
        .map((f) => f.subject.name)
        .sort(),
    ).toEqual(['image-resizer-role', 'orders-api-role', 'reports-role']);
  });

  it('reports the unused function and roles from the report, with their nuance', () => {
    const fn = find('PT-AUDIT-UNUSED-FUNCTION[arn:aws:lambda:us-east-1:111122223333:function:legacy-cron]')!;
    expect(fn.severity).toBe('low');
    expect(fn.evidence).toContain('signal checked: Invocations metric: 0 in the window');
    expect(result.audit.findings.filter((f) => f.rule === 'PT-AUDIT-UNUSED-FUNCTION')).toHaveLength(1);
    const roles = result.audit.findings.filter((f) => f.rule === 'PT-AUDIT-UNUSED-ROLE');
    expect(roles.map((f) => f.subject.name)).toEqual(['etl-legacy-role', 'legacy-cron-role']);
    expect(roles[0].message).toContain('no function uses');
  });

  it('dates the runtimes: nodejs20.x and python3.9 past deprecation on 2026-12-01', () => {
    const eos = result.audit.findings.filter((f) => f.rule === 'PT-AUDIT-RUNTIME-EOS');
    expect(eos.every((f) => f.severity === 'high')).toBe(true);
    expect(eos.map((f) => f.subject.name).sort()).toEqual(
      expect.arrayContaining(['legacy-cron', 'orders-api', 'report-daily', 'report-weekly']),
    );
    expect(eos.some((f) => f.evidence.includes('runtime python3.12'))).toBe(false);
  });

  it('finds no administrator grant in the samples', () => {
    expect(result.audit.findings.filter((f) => f.rule === 'PT-AUDIT-ADMIN-GRANT')).toEqual([]);
  });
});
