import type { Finding } from '../model';
import type { RunGenerateResult } from '../pipeline/run-generate';

const n = (x: number) => x.toLocaleString('en-US');

/** Findings shown one by one in the summary; the rest are counted. */
const MAX_LISTED = 40;

/** The human summary printed on stderr after `generate`. */
export function renderSummary(result: RunGenerateResult, window?: { since?: Date; until?: Date }): string {
  const { targetDisplay: target, findings, partial } = result;
  const stats = result.usage.stats;
  const lines: string[] = [];
  lines.push(`policy-tighten generate: ${target}`);
  if (window) {
    const at = (d: Date | undefined, open: string) => (d ? d.toISOString().replace('.000Z', 'Z') : open);
    lines.push(`  window:   ${at(window.since, 'the beginning')} to ${at(window.until, 'now')} (eventTime)`);
  }
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
  const entries = Object.values(result.usage.entries);
  const implied = entries.filter((e) => e.origins.includes('implied-by-config')).length;
  const statements = result.policies.reduce((n, p) => n + p.Statement.length, 0);
  lines.push(
    `  policy:   ${n(statements)} statement(s) in ${n(Math.max(1, result.policies.length))} document(s), from ` +
      `${n(entries.length)} action × resource pair(s), ${n(implied)} implied by the function's configuration`,
  );
  const d = result.diff;
  if (d) {
    const c = d.counts;
    lines.push(
      `  diff:     ${n(c.removedActions)} of ${n(c.grantedActions)} granted actions removed (${(c.removedShare * 100).toFixed(1)}%), ` +
        `${n(c.narrowedActions)} narrowed, ${n(c.keptActions)} kept, ${n(c.addedActions)} added, ` +
        `${n(c.notObservableActions)} not observable (${d.notObservable.some((e) => !e.kept) ? 'dropped' : 'kept'}), ` +
        `${n(d.guardrails.length)} Deny guardrail(s) carried; no new access: ${d.noNewAccess.holds ? 'proved' : `NO (${n(d.noNewAccess.exceptions.length)} exception(s), see PT-NEW-ACCESS)`}`,
    );
    if (!d.safeToRemove) {
      lines.push(
        `  evidence: INSUFFICIENT: removals are not safe: ${d.refusals.map((r) => r.message).join('; ')} (exit code 6)`,
      );
    }
  }
  const bySeverity = { error: 0, warning: 0, info: 0 };
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
  }
  lines.push(
    `  findings: ${n(findings.length)} (${bySeverity.error} error, ${bySeverity.warning} warning, ${bySeverity.info} info` +
      `${suppressed ? `, ${suppressed} suppressed` : ''})`,
  );
  // Errors first, then warnings, infos, and suppressed findings last.
  const order = { error: 0, warning: 1, info: 2 };
  const rank = (f: Finding) => (f.suppressed ? 3 : order[f.severity]);
  const listed = [...findings].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1));
  for (const f of listed.slice(0, MAX_LISTED)) {
    const label = f.suppressed ? 'suppr.' : f.severity;
    const why = f.suppressed ? ` [suppressed: ${f.suppressed.reason}]` : '';
    lines.push(`    ${label.padEnd(7)} ${f.id}${f.count > 1 ? ` ×${n(f.count)}` : ''}: ${f.message}${why}`);
  }
  if (listed.length > MAX_LISTED) lines.push(`    … ${n(listed.length - MAX_LISTED)} more findings`);
  if (!partial && stats.attributed === 0) {
    lines.push(
      `  result:   NO DATA: no call of ${target} in the trail and window; nothing shows what it needs or does not need (exit code 6)`,
    );
  }
  if (partial) {
    lines.push(
      '  result:   PARTIAL: input was skipped or could not be mapped, or the policies exceed IAM quotas (exit code 3)',
    );
  }
  return `${lines.join('\n')}\n`;
}
