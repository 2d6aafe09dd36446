import { suppressedLostInput } from '../config';
import type { Finding } from '../model';
import type { RunGenerateResult } from '../pipeline/run-generate';
import type { ReportResult } from '../pipeline/run-report';
import { findingsListing } from '../render/findings';

/** Every count of a summary is printed this way (thousands separators, en-US). */
const n = (x: number) => x.toLocaleString('en-US');

/** Lines of findings listed in a summary; the rest are counted, with a pointer to the full list. */
export const MAX_LISTED = 40;

/** Options of the summaries. */
export interface SummaryOptions {
  /** The `--findings-out` file, when given: the "… N more" line points to it. */
  findingsOut?: string;
}

/**
 * The findings part of a summary: the counts by severity, then at most {@link MAX_LISTED} lines
 * in listing order (docs/findings.md; many per-file findings of one code are one line), then
 * "… N more" with where the full list is, and a note when a suppression marks lost input.
 */
export function renderFindingsLines(
  findings: readonly Finding[],
  partial: boolean,
  findingsOut?: string,
): string[] {
  const lines: string[] = [];
  const bySeverity = { error: 0, warning: 0, info: 0 };
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else bySeverity[f.severity]++;
  }
  lines.push(
    `  findings: ${n(findings.length)} (${n(bySeverity.error)} error, ${n(bySeverity.warning)} warning, ${n(bySeverity.info)} info` +
      `${suppressed ? `, ${n(suppressed)} suppressed` : ''})`,
  );
  const listed = findingsListing(findings);
  for (const f of listed.slice(0, MAX_LISTED)) {
    const label = f.suppressed ? 'suppr.' : f.severity;
    const why = f.suppressed ? ` [suppressed: ${f.suppressed.reason}]` : '';
    lines.push(`    ${label.padEnd(7)} ${f.id}${f.count > 1 ? ` ×${n(f.count)}` : ''}: ${f.message}${why}`);
  }
  if (listed.length > MAX_LISTED) {
    const rest = listed.slice(MAX_LISTED).reduce((k, f) => k + (f.group?.findings ?? 1), 0);
    lines.push(`    … ${n(rest)} more findings (all of them: --findings-out ${findingsOut ?? 'FILE'})`);
  }
  const lost = suppressedLostInput(findings);
  if (partial && lost.length > 0) {
    lines.push(
      `  note:     ${n(lost.length)} suppressed finding(s) about lost input (${[...new Set(lost.map((f) => f.code))].sort().join(', ')}): ` +
        'a suppression marks them but does not clear lost input; the result stays partial (exit code 3)',
    );
  }
  return lines;
}

/** The human summary printed on stderr after `generate`. */
export function renderSummary(
  result: RunGenerateResult,
  window?: { since?: Date; until?: Date },
  options: SummaryOptions = {},
): string {
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
        `  evidence: INSUFFICIENT: removals are not safe: ${d.refusals.map((r) => r.message).join('; ')} (exit code ${partial ? '3: the partial read comes first' : '6'})`,
      );
    }
  }
  lines.push(...renderFindingsLines(findings, partial, options.findingsOut));
  if (!partial && stats.attributed === 0) {
    lines.push(
      `  result:   NO DATA: no call of ${target} in the trail and window; nothing shows what it needs or does not need (exit code 6)`,
    );
  }
  if (partial && stats.attributed === 0) {
    lines.push(
      `  result:   NO DATA: no call of ${target} in the trail and window (see PT-NO-EVENTS), and input was skipped`,
    );
  }
  if (partial) {
    lines.push(
      '  result:   PARTIAL: input was skipped or could not be mapped, or the policies exceed IAM quotas (exit code 3)',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The human summary printed on stderr after `report`: what was read, what was found, the findings. */
export function renderReportSummary(result: ReportResult, options: SummaryOptions = {}): string {
  const { summary: s, coverage: c } = result.report;
  const lines = [
    `policy-tighten report --unused: ${n(c.eventsRead)} events in ${n(c.filesRead)} files` +
      (c.first ? ` (${c.first} to ${c.last ?? c.first})` : ' (no event in the window)') +
      `; ${n(c.attributedEvents)} calls by principals of the account`,
    `  unused: ${n(s.unusedRoles)} of ${n(s.roles)} roles, ${n(s.unusedFunctions)} of ${n(s.functions)} functions; ` +
      `not judged: ${n(s.rolesNotJudged + s.functionsNotJudged)}; shared roles: ${n(s.sharedRoles)}; ` +
      `unused granted actions: ${n(s.unusedActions)} of ${n(s.grantedActions)}`,
  ];
  if (result.cache)
    lines.push(
      `  cache: ${n(result.cache.filesFromCache)} files (${n(result.cache.foldersFromCache)} folders) from the cache, ${n(result.cache.filesRead)} read`,
    );
  lines.push(...renderFindingsLines(result.report.findings, result.partial, options.findingsOut));
  if (result.noData)
    lines.push('  NO DATA: no event of the trail lies in the window; no verdict rests on it');
  if (result.partial) lines.push('  PARTIAL: some input was skipped or not mapped (see the findings)');
  return `${lines.join('\n')}\n`;
}
