/**
 * The audit as one self-contained HTML page, in the report page's style (html-page.ts): the counts
 * by severity, the rules not run and why, and one table of findings with a text filter, severity
 * and rule filters, and sortable columns. No request: styles and script inline, and the same
 * Content-Security-Policy as the report page. Every value is untrusted and goes through `text()`;
 * the script reads data only from the markup's attributes it wrote itself and the JSON island.
 * Without JavaScript the page shows everything. Pure and deterministic.
 */
import { AUDIT_SEVERITIES, type AuditFinding, type AuditResult } from '../audit/types';
import { SEVERITY_LABEL, isCommand, severityRank } from './audit-common';
import {
  CSP,
  SCRIPT_HEAD,
  SCRIPT_SORT,
  SCRIPT_TABLES,
  SCRIPT_TAIL,
  STYLE,
  cmp,
  col,
  downloadScript,
  islandJson,
  nameCell,
  num,
  numCell,
  section,
  text,
  textCell,
  tile,
} from './html-page';

/** Evidence lines listed per finding before `… N more`. */
const EVIDENCE_SHOWN = 50;

const AUDIT_STYLE = `
.sev-critical{color:#fff;background:#a40e26;border-color:#a40e26}.sev-high{color:var(--bad);border-color:var(--bad)}
.sev-medium{color:var(--warn);border-color:#d4a72c}.sev-low,.sev-info{color:var(--muted)}
.evidence{margin:4px 0 0;padding-left:18px}.fix code{white-space:pre-wrap;overflow-wrap:anywhere}
.facet{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:6px;margin-left:8px}
`;

/** The text filter combined with the facet selects (`data-attr`: severity, rule). */
const AUDIT_FILTER = `  /* The filter input and the severity and rule selects above the table. */
  var addFilter = function (table, body, nomatch, total) {
    var input = document.querySelector('input.filter[data-table="' + table.id + '"]');
    var facets = Array.prototype.slice.call(document.querySelectorAll('select.facet[data-table="' + table.id + '"]'));
    var count = input.parentNode.querySelector('.count');
    var filter = function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      dataRows(body).forEach(function (r) {
        var out = q !== '' && r.textContent.toLowerCase().indexOf(q) === -1;
        facets.forEach(function (f) {
          if (f.value !== '' && r.getAttribute('data-' + f.getAttribute('data-attr')) !== f.value) out = true;
        });
        r.hidden = out;
        if (!r.hidden) shown++;
      });
      nomatch.hidden = shown !== 0;
      count.textContent = shown + ' of ' + total + (total === 1 ? ' row' : ' rows');
    };
    input.addEventListener('input', filter);
    facets.forEach(function (f) { f.addEventListener('change', filter); });
    input.parentNode.hidden = false;
    filter();
  };
`;

const SCRIPT =
  SCRIPT_HEAD +
  AUDIT_FILTER +
  SCRIPT_SORT +
  SCRIPT_TABLES +
  downloadScript('audit', 'audit-data', 'policy-tighten-audit.json') +
  SCRIPT_TAIL;

function facet(table: string, attr: string, label: string, values: [string, string][]): string {
  const options = values.map(([v, l]) => `<option value="${text(v)}">${text(l)}</option>`).join('');
  return ` <select class="facet" data-table="${table}" data-attr="${attr}" aria-label="${text(label)}"><option value="">${text(label)}: all</option>${options}</select>`;
}

function header(a: AuditResult): string {
  const facts: [string, string][] = [
    [
      'Rules run',
      `${num(a.rulesRun.length)}${a.rulesRun.length ? `: ${a.rulesRun.map((r) => text(r)).join(', ')}` : ''}`,
    ],
    ['Rules not run', num(a.skipped.length)],
    ['Trail window', a.window ? `${text(a.window.since)} → ${text(a.window.until)}` : 'no trail read'],
  ];
  const partial = a.partial
    ? '<p class="alert bad" id="partial"><strong>Partial trail input.</strong> Some input was skipped or not mapped: findings from the trail may miss activity.</p>'
    : '';
  const none =
    a.findings.length === 0
      ? `<p class="alert warn" id="no-finding"><strong>No finding</strong> from the ${num(a.rulesRun.length)} rules run${a.skipped.length ? `; ${num(a.skipped.length)} rules were not run and checked nothing` : ''}.</p>`
      : '';
  return [
    '<header>',
    '<h1>Lambda security audit</h1>',
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    partial,
    none,
    '<p id="download" hidden><button type="button" id="download-json">Download JSON</button></p>',
    '</header>',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

function details(f: AuditFinding): string {
  const items = f.evidence.slice(0, EVIDENCE_SHOWN).map((e) => `<li>${text(e)}</li>`);
  if (f.evidence.length > EVIDENCE_SHOWN)
    items.push(`<li class="muted">… ${num(f.evidence.length - EVIDENCE_SHOWN)} more</li>`);
  const evidence = items.length ? `<ul class="evidence">${items.join('')}</ul>` : '';
  return `${text(f.message)}${evidence}`;
}

/** The audit as one self-contained, deterministic HTML5 page. */
export function renderAuditHtml(audit: AuditResult): string {
  const rules = [...new Set(audit.findings.map((f) => f.rule))].sort(cmp);
  const tools =
    facet(
      'findings-table',
      'severity',
      'Severity',
      AUDIT_SEVERITIES.filter((s) => (audit.counts[s] ?? 0) > 0).map((s) => [
        s,
        `${SEVERITY_LABEL[s]} (${num(audit.counts[s])})`,
      ]),
    ) +
    facet(
      'findings-table',
      'rule',
      'Rule',
      rules.map((r) => [r, `${r} (${num(audit.findings.filter((f) => f.rule === r).length)})`]),
    );
  const tiles = `<section class="tiles" aria-label="Summary">${AUDIT_SEVERITIES.map((s) =>
    tile(SEVERITY_LABEL[s], num(audit.counts[s] ?? 0), s === 'info' ? 'findings to know of' : 'findings'),
  ).join('')}</section>`;
  const skipped = section(
    'not-run',
    `Rules not run (${num(audit.skipped.length)})`,
    'A rule whose input is absent is not run: it found nothing because it looked at nothing.',
    'none: every rule ran',
    audit.skipped,
    [
      col('Rule', (s) => textCell(s.rule, `<code>${text(s.rule)}</code>`)),
      col('Why not', (s) => textCell(s.reason)),
    ],
  );
  const findings = section(
    'findings',
    `Findings (${num(audit.findings.length)})`,
    'Most severe first. Filter by text, severity or rule; click a heading to sort.',
    'none',
    audit.findings,
    [
      col(
        'Severity',
        (f) =>
          numCell(
            severityRank(f.severity),
            `<span class="sev sev-${text(f.severity)}">${text(f.severity)}</span>`,
          ),
        'num',
      ),
      col('Rule', (f) => textCell(f.rule, `<code>${text(f.rule)}</code>`), 'nowrap'),
      col('Subject', (f) =>
        nameCell(f.subject.name, f.subject.arn, ` <span class="tag">${text(f.subject.kind)}</span>`),
      ),
      col('Finding', (f) => textCell(f.message, details(f))),
      col('Fix', (f) =>
        textCell(
          f.fix,
          `<span class="fix">${isCommand(f.fix) ? `<code>${text(f.fix)}</code>` : text(f.fix)}</span>`,
        ),
      ),
      col('Basis', (f) => textCell(f.basis), 'nowrap'),
    ],
    {
      rowAttributes: (f) => ` data-severity="${text(f.severity)}" data-rule="${text(f.rule)}"`,
      tools,
    },
  );
  const total = audit.findings.length;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>Lambda security audit: ${num(total)} ${total === 1 ? 'finding' : 'findings'}</title>`,
    `<style>${STYLE}${AUDIT_STYLE}</style>`,
    '</head>',
    '<body>',
    header(audit),
    tiles,
    `<nav><a href="#findings">Findings</a> · <a href="#not-run">Rules not run</a></nav>`,
    findings,
    skipped,
    `<script type="application/json" id="audit-data">${islandJson(audit)}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
