/**
 * What the audit's renderers (Markdown, HTML, SARIF) share: severity labels, how a fix that is a
 * command is told from prose, and the findings grouped by severity. Pure.
 */
import { AUDIT_SEVERITIES, type AuditFinding, type AuditSeverity } from '../audit/types';

export const SEVERITY_LABEL: Record<AuditSeverity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

export { severityRank } from '../audit/run';

/** A fix is shown as code when it is one command line (`policy-tighten …`, `aws …`). */
export function isCommand(fix: string): boolean {
  return /^(policy-tighten|aws)\s/.test(fix) && !/[\r\n]/.test(fix);
}

/** The findings by severity, most severe first; each group keeps the result's (canonical) order. */
export function bySeverity(findings: readonly AuditFinding[]): [AuditSeverity, AuditFinding[]][] {
  return AUDIT_SEVERITIES.map(
    (s) => [s, findings.filter((f) => f.severity === s)] as [AuditSeverity, AuditFinding[]],
  ).filter(([, list]) => list.length > 0);
}
