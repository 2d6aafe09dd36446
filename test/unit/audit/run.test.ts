import {
  atLeast,
  runAuditRules,
  type AuditFinding,
  type AuditInput,
  type AuditRule,
} from '../../../src/audit';
import type { Catalog } from '../../../src/catalog';
import type { AccountState } from '../../../src/model';

const state: AccountState = { roles: [], users: [], policies: [], functions: [], eventSourceMappings: [] };
const input: AuditInput = { state, catalog: {} as Catalog, now: new Date('2026-12-01T00:00:00Z') };

function finding(rule: string, subject: string, severity: AuditFinding['severity']): AuditFinding {
  return {
    id: `${rule}[${subject}]`,
    rule,
    severity,
    subject: { kind: 'function', arn: subject, name: subject },
    message: 'm',
    evidence: [],
    fix: 'f',
    basis: 'configuration',
  };
}

function rule(id: string, needs: AuditRule['needs'], out: AuditFinding[]): AuditRule {
  return {
    id,
    title: 'a title',
    advice: 'advice',
    severity: 'low',
    needs,
    references: {},
    check: async () => out,
  };
}

describe('the audit runner', () => {
  it('runs the rules whose needs are met, lists the others as not run with the reason', async () => {
    const r = await runAuditRules(
      [
        rule('PT-AUDIT-B', ['trail'], [finding('PT-AUDIT-B', 'x', 'high')]),
        rule('PT-AUDIT-A', [], [finding('PT-AUDIT-A', 'y', 'low')]),
        rule('PT-AUDIT-C', ['secrets', 'function-urls'], []),
      ],
      input,
    );
    expect(r.rulesRun).toEqual(['PT-AUDIT-A']);
    expect(r.skipped.map((s) => s.rule)).toEqual(['PT-AUDIT-B', 'PT-AUDIT-C']);
    expect(r.skipped[0].reason).toMatch(/no trail/);
    expect(r.skipped[1].reason).toMatch(/secrets.*; .*function URL/);
    expect(r.findings.map((f) => f.id)).toEqual(['PT-AUDIT-A[y]']);
  });

  it('an empty list of a part is input (the rule runs); an absent part is not', async () => {
    const r = await runAuditRules([rule('PT-AUDIT-C', ['secrets'], [])], {
      ...input,
      state: { ...state, secrets: [] },
    });
    expect(r.rulesRun).toEqual(['PT-AUDIT-C']);
  });

  it('sorts by severity, then rule, then id; keeps one finding per id; counts by severity', async () => {
    const r = await runAuditRules(
      [
        rule(
          'PT-AUDIT-A',
          [],
          [
            finding('PT-AUDIT-A', 'b', 'low'),
            finding('PT-AUDIT-A', 'a', 'low'),
            finding('PT-AUDIT-A', 'a', 'low'),
          ],
        ),
        rule('PT-AUDIT-Z', [], [finding('PT-AUDIT-Z', 'q', 'critical')]),
      ],
      input,
    );
    expect(r.findings.map((f) => f.id)).toEqual(['PT-AUDIT-Z[q]', 'PT-AUDIT-A[a]', 'PT-AUDIT-A[b]']);
    expect(r.counts).toEqual({ critical: 1, high: 0, medium: 0, low: 2, info: 0 });
  });

  it.each([
    ['critical', 'high', true],
    ['high', 'high', true],
    ['medium', 'high', false],
    ['info', 'info', true],
    ['low', 'critical', false],
  ] as const)('%s is at least %s: %s', (s, t, expected) => {
    expect(atLeast(s, t)).toBe(expected);
  });
});
