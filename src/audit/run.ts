/**
 * Runs the audit's rules over one account state (and trail, when given): every rule whose needs
 * the input meets, each finding kept once by id, sorted by severity, rule and subject. Pure.
 */
import {
  AUDIT_SEVERITIES,
  type AuditFinding,
  type AuditInput,
  type AuditNeed,
  type AuditResult,
  type AuditRule,
  type AuditSeverity,
  type SkippedRule,
} from './types';

/** Why `need` is not met by `input`, or undefined when it is. */
function missing(need: AuditNeed, input: AuditInput): string | undefined {
  switch (need) {
    case 'trail':
      return input.usage ? undefined : 'no trail was given (--trail, --athena-table or --lake)';
    case 'function-policies':
      return input.state.functionPolicies
        ? undefined
        : 'the account state holds no function resource policies (aws lambda get-policy; docs/snapshot.md)';
    case 'function-urls':
      return input.state.functionUrls
        ? undefined
        : 'the account state holds no function URL configs (aws lambda list-function-url-configs; docs/snapshot.md)';
    case 'secrets':
      return input.state.secrets
        ? undefined
        : 'the account state holds no secrets (aws secretsmanager list-secrets; docs/snapshot.md)';
  }
}

/** Rank of a severity, most severe first (0 = critical); an unknown one last. */
export function severityRank(s: string): number {
  const i = AUDIT_SEVERITIES.indexOf(s as AuditSeverity);
  return i === -1 ? AUDIT_SEVERITIES.length : i;
}

/** Most severe first, then rule, then id: the listing order of every output. */
export function compareAuditFindings(a: AuditFinding, b: AuditFinding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Is `severity` at least as severe as `threshold` (`--fail-on`)? */
export function atLeast(severity: AuditSeverity, threshold: AuditSeverity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

/** Runs `rules` over `input` (see the file header). */
export async function runAuditRules(
  rules: readonly AuditRule[],
  input: AuditInput,
  partial = false,
): Promise<AuditResult> {
  const byId = new Map<string, AuditFinding>();
  const rulesRun: string[] = [];
  const skipped: SkippedRule[] = [];
  for (const rule of [...rules].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const reasons = rule.needs.map((n) => missing(n, input)).filter((r): r is string => r !== undefined);
    if (reasons.length > 0) {
      skipped.push({ rule: rule.id, reason: reasons.join('; ') });
      continue;
    }
    rulesRun.push(rule.id);
    for (const f of await rule.check(input)) if (!byId.has(f.id)) byId.set(f.id, f);
  }
  const findings = [...byId.values()].sort(compareAuditFindings);
  const counts = Object.fromEntries(AUDIT_SEVERITIES.map((s) => [s, 0])) as Record<AuditSeverity, number>;
  for (const f of findings) counts[f.severity]++;
  return {
    rulesRun,
    skipped,
    findings,
    counts,
    ...(input.window ? { window: input.window } : {}),
    partial,
  };
}
