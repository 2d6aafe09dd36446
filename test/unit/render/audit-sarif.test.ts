import type { Log } from 'sarif';
import { AUDIT_FIXTURE, HOSTILE_FUNCTION, RULES_FIXTURE } from './audit-fixture';
import { golden, iacFixtures } from './audit-golden';
import { sarifValidator } from '../../helpers/sarif';
import {
  arnPath,
  findingFingerprint,
  renderAuditSarif,
  SARIF_MAX_RESULTS,
} from '../../../src/render/audit-sarif';
import type { AuditFinding, AuditResult } from '../../../src/audit/types';

/**
 * The audit's SARIF against the official SARIF 2.1.0 schema (test/fixtures/sarif, OASIS), what
 * GitHub code scanning needs of it, and its golden file (test/golden/audit/).
 */
const validate = sarifValidator();

const render = (audit: AuditResult = AUDIT_FIXTURE, withIac = true) =>
  renderAuditSarif(audit, {
    version: '0.1.0',
    rules: RULES_FIXTURE,
    ...(withIac ? { iac: iacFixtures() } : {}),
  });

describe('audit SARIF', () => {
  const text = render();
  const log = JSON.parse(text) as Log;
  const run = log.runs[0];
  const results = run.results ?? [];

  it('matches its golden files, with and without IaC files', () => {
    golden('audit.sarif', text);
    golden('audit-no-iac.sarif', render(AUDIT_FIXTURE, false));
  });

  it.each([
    ['with IaC locations', text],
    ['without IaC files', render(AUDIT_FIXTURE, false)],
    [
      'with no finding',
      render({
        ...AUDIT_FIXTURE,
        findings: [],
        counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      }),
    ],
  ])('is valid SARIF 2.1.0 (%s)', (_what, doc) => {
    const ok = validate(JSON.parse(doc));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('a control: the validator rejects an invalid document', () => {
    const bad = JSON.parse(text) as Record<string, unknown> & {
      runs: { results: Record<string, unknown>[] }[];
    };
    bad.runs[0].results[0].level = 'fatal';
    expect(validate(bad)).toBe(false);
    expect(validate({ version: '2.1.0' })).toBe(false);
    const noMessage = JSON.parse(text) as { runs: { results: Record<string, unknown>[] }[] };
    delete noMessage.runs[0].results[0].message;
    expect(validate(noMessage)).toBe(false);
  });

  it('tool.driver: name, version, informationUri, the rules sorted with their metadata', () => {
    const d = run.tool.driver;
    expect([d.name, d.version, d.informationUri]).toEqual([
      'policy-tighten',
      '0.1.0',
      'https://github.com/policy-tighten/policy-tighten',
    ]);
    expect(d.rules?.map((r) => r.id)).toEqual(RULES_FIXTURE.map((r) => r.id));
    const admin = d.rules?.[0];
    expect(admin?.shortDescription?.text).toBe('Execution role with administrator access');
    expect(admin?.fullDescription?.text).toBe(RULES_FIXTURE[0].advice);
    expect(admin?.defaultConfiguration?.level).toBe('error');
    expect(admin?.properties?.tags?.[0]).toBe('security');
    expect(admin?.help?.markdown).toContain('Prowler: awslambda\\_function\\_no\\_admin\\_role');
    // GitHub: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low; strings.
    expect(d.rules?.map((r) => r.properties?.['security-severity'])).toEqual([
      '9.5',
      '8.0',
      '8.0',
      '5.5',
      '3.0',
    ]);
    // A rule's advice is Markdown-escaped in help.markdown.
    expect(d.rules?.[4].help?.markdown).toContain('&lt;b&gt;once');
  });

  it('results: rule id and index, level by severity, message, fingerprints from the finding id', () => {
    expect(results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ['PT-AUDIT-ADMIN-ROLE', 0, 'error'],
      ['PT-AUDIT-PUBLIC-URL', 1, 'error'],
      ['PT-AUDIT-PUBLIC-URL', 1, 'error'],
      ['PT-AUDIT-SHARED-ROLE', 3, 'warning'],
      ['PT-AUDIT-UNUSED-ACTIONS', 4, 'note'],
      ['PT-AUDIT-UNUSED-ACTIONS', 4, 'note'],
    ]);
    for (const [i, r] of results.entries()) {
      const f = AUDIT_FIXTURE.findings[i];
      expect(r.message.text?.split('\n')[0]).toBe(f.message);
      expect(r.partialFingerprints?.['policyTightenFindingId/v1']).toBe(findingFingerprint(f.id));
      expect(r.partialFingerprints?.primaryLocationLineHash).toBe(
        `${findingFingerprint(f.id).slice(0, 16)}:1`,
      );
      expect(r.locations).toHaveLength(1);
      expect(r.locations?.[0].physicalLocation?.artifactLocation?.uri).toBeTruthy();
      expect(r.locations?.[0].logicalLocations).toEqual([
        { fullyQualifiedName: f.subject.arn, name: f.subject.name, kind: 'resource' },
      ]);
    }
    expect(new Set(results.map((r) => r.partialFingerprints?.['policyTightenFindingId/v1'])).size).toBe(6);
  });

  it('locations: the IaC line where the subject is defined, else a stand-in path from the ARN', () => {
    const where = results.map((r) => {
      const p = r.locations?.[0].physicalLocation;
      return [p?.artifactLocation?.uri, p?.region?.startLine];
    });
    expect(where).toEqual([
      ['test/fixtures/audit/template.yaml', 16],
      ['test/fixtures/audit/template.yaml', 8],
      [arnPath(`arn:aws:lambda:us-east-1:111122223333:function:${HOSTILE_FUNCTION}`), 1],
      ['test/fixtures/audit/main.tf', 7],
      ['test/fixtures/audit/main.tf', 15],
      ['aws/lambda/us-east-1/111122223333/function/etl-prod', 1],
    ]);
    expect(arnPath('arn:aws:iam::111122223333:role/service/app-role')).toBe(
      'aws/iam/111122223333/role/service/app-role',
    );
    expect(where[2][0]).toBe(
      'aws/lambda/us-east-1/111122223333/function/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
    );
  });

  it('the rules not run are invocation notifications and run properties; no timestamp', () => {
    const n = run.invocations?.[0].toolExecutionNotifications ?? [];
    expect(n.map((x) => x.message.text)).toEqual([
      'PT-AUDIT-SECRET-ENV not run: needs secrets: the account snapshot holds no secrets',
    ]);
    expect(run.properties?.rulesNotRun).toEqual(AUDIT_FIXTURE.skipped);
    expect(text).not.toMatch(/"(startTimeUtc|endTimeUtc|timeUtc)"/);
    expect(render()).toBe(text);
  });

  it('keeps within GitHub limits: the first 5,000 results, with a note', () => {
    const base = AUDIT_FIXTURE.findings[4];
    const findings: AuditFinding[] = Array.from({ length: SARIF_MAX_RESULTS + 7 }, (_, i) => ({
      ...base,
      id: `${base.rule}[fn-${String(i).padStart(5, '0')}]`,
    }));
    const big = JSON.parse(render({ ...AUDIT_FIXTURE, findings }, false)) as Log;
    expect(big.runs[0].results).toHaveLength(SARIF_MAX_RESULTS);
    expect(big.runs[0].properties?.truncated).toEqual({ kept: 5000, dropped: 7, total: 5007 });
    expect(big.runs[0].invocations?.[0].toolExecutionNotifications?.at(-1)?.message.text).toMatch(
      /^7 of 5007 findings left out to stay within GitHub's SARIF limits/,
    );
  });
});
