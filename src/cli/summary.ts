import type { Finding, RunStats } from '../model';

const n = (x: number) => x.toLocaleString('en-US');

/** Findings shown one by one in the summary; the rest are counted. */
const MAX_LISTED = 40;

/** The human summary printed on stderr after `generate`. */
export function renderSummary(
  target: string,
  stats: RunStats,
  findings: readonly Finding[],
  partial: boolean,
): string {
  const lines: string[] = [];
  lines.push(`policy-tighten generate: ${target}`);
  lines.push(
    `  files:    ${n(stats.filesRead)} read, ${n(stats.filesSkipped)} skipped, ` +
      `${n(stats.filesIgnored)} ignored (digest or not a trail file), ${n(stats.filesOutsideWindow)} outside the window (not opened)`,
  );
  lines.push(
    `  events:   ${n(stats.eventsRead)} read, ${n(stats.malformedEvents)} malformed, ` +
      `${n(stats.eventsOutsideWindow)} outside the window`,
  );
  lines.push(
    `  target:   ${n(stats.attributed)} attributed, ${n(stats.mapped)} mapped, ` +
      `${n(stats.excludedFailed)} excluded as failed (${n(stats.denied)} denied), ${n(stats.unmapped)} unmapped, ` +
      `${n(stats.rejected)} rejected as malformed, ${n(stats.noPermissionNeeded)} needing no permission` +
      (stats.otherFunctionEvents
        ? `, ${n(stats.otherFunctionEvents)} of other functions on the same role`
        : ''),
  );
  const bySeverity = { error: 0, warning: 0, info: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  lines.push(
    `  findings: ${n(findings.length)} (${bySeverity.error} error, ${bySeverity.warning} warning, ${bySeverity.info} info)`,
  );
  const order = { error: 0, warning: 1, info: 2 };
  const listed = [...findings].sort(
    (a, b) => order[a.severity] - order[b.severity] || (a.id < b.id ? -1 : 1),
  );
  for (const f of listed.slice(0, MAX_LISTED)) {
    lines.push(`    ${f.severity.padEnd(7)} ${f.id}${f.count > 1 ? ` ×${n(f.count)}` : ''}: ${f.message}`);
  }
  if (listed.length > MAX_LISTED) lines.push(`    … ${n(listed.length - MAX_LISTED)} more findings`);
  if (partial) lines.push('  result:   PARTIAL: some input was skipped or could not be mapped (exit code 3)');
  return `${lines.join('\n')}\n`;
}
