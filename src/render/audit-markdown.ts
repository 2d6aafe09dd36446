/**
 * The audit as GitHub-flavoured Markdown, for a job summary or a pull-request comment: the counts
 * by severity, the rules not run and why (no data is not evidence: a rule not run found nothing
 * because it looked at nothing), then the findings grouped by severity, most severe first, each
 * with its subject, message, evidence and fix. Every value comes from the account or the trail,
 * i.e. is attacker-controlled: it goes through the escaping of markdown-escape.ts (via
 * markdown-format.ts). Pure and deterministic.
 */
import type { AuditFinding, AuditResult } from '../audit/types';
import { AUDIT_SEVERITIES } from '../audit/types';
import { SEVERITY_LABEL, bySeverity, isCommand } from './audit-common';
import { markdownCodeBlock } from './markdown-escape';
import { alert, clip, code, num, pcode, plural, table, txt } from './markdown-format';

/** Findings shown in full (a PR comment holds at most 65,536 characters); the rest are counted. */
export const AUDIT_MARKDOWN_FINDINGS = 100;
/** Evidence lines shown per finding. */
export const AUDIT_MARKDOWN_EVIDENCE = 20;

function finding(f: AuditFinding): string[] {
  const subject = `${txt(f.subject.kind)} **${txt(f.subject.name)}** · ${pcode(f.subject.arn)}`;
  const lines = [`#### ${pcode(f.rule)} · ${subject}`, '', txt(f.message), ''];
  const evidence = f.evidence.slice(0, AUDIT_MARKDOWN_EVIDENCE).map((e) => `- ${txt(e)}`);
  if (f.evidence.length > AUDIT_MARKDOWN_EVIDENCE)
    evidence.push(`- … and ${num(f.evidence.length - AUDIT_MARKDOWN_EVIDENCE)} more`);
  if (evidence.length) lines.push('Evidence:', '', ...evidence, '');
  lines.push(`Basis: ${txt(f.basis)} · finding ${pcode(f.id)}`, '');
  if (isCommand(f.fix)) lines.push('Fix:', '', markdownCodeBlock(clip(f.fix), 'sh'), '');
  else lines.push(`Fix: ${txt(f.fix)}`, '');
  return lines;
}

/** The audit as Markdown (job summary, PR comment). */
export function renderAuditMarkdown(audit: AuditResult): string {
  const c = audit.counts;
  const out: string[] = ['## policy-tighten audit', ''];
  const run = `${plural(audit.rulesRun.length, 'rule')} run, ${num(audit.skipped.length)} not run`;
  out.push(
    audit.findings.length
      ? `**${plural(audit.findings.length, 'finding')}** from ${run}.`
      : `**No finding** from ${run}${audit.skipped.length ? ': the rules not run checked nothing' : ''}.`,
    '',
  );
  if (audit.window)
    out.push(`Trail window: ${pcode(audit.window.since)} → ${pcode(audit.window.until)}.`, '');
  else out.push('No trail read: the rules that need one are not run.', '');
  if (audit.partial)
    out.push(
      alert('WARNING', [
        '**Partial trail input**: some input was skipped or not mapped. Findings from the trail may miss activity.',
      ]),
      '',
    );
  out.push(
    table(
      ['Severity', 'Findings'],
      ['l', 'r'],
      AUDIT_SEVERITIES.map((s) => [SEVERITY_LABEL[s], num(c[s] ?? 0)]),
    ),
    '',
  );
  if (audit.skipped.length) {
    out.push(`### Rules not run (${num(audit.skipped.length)})`, '');
    out.push(
      table(
        ['Rule', 'Why not'],
        ['l', 'l'],
        audit.skipped.map((s) => [code(s.rule), txt(s.reason)]),
      ),
      '',
    );
  }
  let shown = 0;
  for (const [severity, findings] of bySeverity(audit.findings)) {
    if (shown >= AUDIT_MARKDOWN_FINDINGS) break;
    out.push(`### ${SEVERITY_LABEL[severity]} (${num(findings.length)})`, '');
    for (const f of findings) {
      if (shown >= AUDIT_MARKDOWN_FINDINGS) break;
      out.push(...finding(f));
      shown++;
    }
  }
  if (audit.findings.length > shown)
    out.push(
      `… and ${plural(audit.findings.length - shown, 'more finding')} (the most severe are shown): the JSON, HTML and SARIF outputs hold them all.`,
      '',
    );
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
