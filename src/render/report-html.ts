/**
 * The unused-access report as one self-contained HTML page: a header with the window and what
 * the trail covered, summary tiles, two inline SVG charts drawn here, and one table per list of
 * the report. Pure and deterministic (no clock, no locale, no randomness): the same report gives
 * the same bytes.
 *
 * The page makes no request: the styles and the one script are inline, and its
 * Content-Security-Policy forbids anything else. Every value of the report is untrusted (role and
 * function names, ARNs, reasons and messages come from the AWS account and CloudTrail): it goes
 * through `text()` (HTML-escaped for text and quoted attributes, invisible characters made
 * visible). The script reads the report only from a JSON data island whose `<`, `>`, `&`, U+2028
 * and U+2029 are `\u`-escaped. Without JavaScript the page shows everything; the script only adds
 * table filters, sortable columns and a "Download JSON" button.
 */
import type { Severity } from '../model';
import type { ActivityDay, NotJudged, RolePermissions, UnusedReport } from '../report/types';
import { escapeHtml, escapeInvisible } from './markdown-escape';
import { sortFindings } from './findings';

/** Longest single value shown (an ARN is at most 2048 characters); longer ones are cut with `…`. */
const MAX_VALUE = 2048;
/** Actions listed per `<details>` before `… N more`. */
const ACTIONS_SHOWN = 200;
/** Roles drawn in the unused-share chart (the table lists them all). */
const CHART_ROLES = 25;
/** Width of both charts (SVG user units; they scale down with the page). */
const CHART_WIDTH = 760;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

// ---------------------------------------------------------------------------------------------
// Text

/** Cuts an over-long value at a code point boundary, marking the cut with `…`. */
function clip(s: string, max = MAX_VALUE): string {
  const str = String(s ?? '');
  if (str.length <= max) return str;
  const end = /[\uD800-\uDBFF]/.test(str.charAt(max - 1)) ? max - 1 : max;
  return `${str.slice(0, end)}…`;
}

/** Untrusted text for an HTML text node or a quoted attribute value. */
function text(s: string, max?: number): string {
  return escapeHtml(escapeInvisible(clip(s, max)));
}

/** An integer with `,` grouping (locale-independent). */
function num(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** A share (0–1) as a percentage with one decimal. */
function pct(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '—';
}

/** A number for an SVG attribute: at most one decimal, no `-0`. */
function svgNum(n: number): string {
  return String(Math.round(n * 10) / 10 + 0);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The role name of a role ARN (`…:role/path/name` → `name`). */
function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

/** The report as JSON for the data island: no `</script>`, `<!--` or JS line terminator can form. */
function islandJson(report: UnusedReport): string {
  return JSON.stringify(report).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Building blocks

/** A table cell: its HTML and the raw value it sorts by (`data-sort`). */
interface Cell {
  html: string;
  sort: string | number;
}

/**
 * A column: its heading, how to draw one item's cell, and its kind: `num` (right-aligned, sorts
 * numerically), `count` (sorts numerically), `nowrap` (dates, regions), else text.
 */
interface Column<T> {
  label: string;
  cell: (item: T) => Cell;
  kind?: 'num' | 'count' | 'nowrap';
}

const col = <T>(label: string, cell: (item: T) => Cell, kind?: Column<T>['kind']): Column<T> => ({
  label,
  cell,
  kind,
});
const textCell = (value: string, html = text(value)): Cell => ({ html, sort: value });
const numCell = (n: number, html = num(n)): Cell => ({ html, sort: n });
const whenCell = (value: string | null, none = 'never'): Cell =>
  textCell(value ?? '', value === null ? `<span class="muted">${none}</span>` : text(value));
/** A name with its ARN below it, sorted by name. */
const nameCell = (name: string, arn: string, extra = ''): Cell =>
  textCell(name, `<span class="name">${text(name)}</span>${extra}<br><span class="arn">${text(arn)}</span>`);

/** One section: heading, a line of explanation, a filter (shown by the script) and the table. */
function section<T>(
  id: string,
  title: string,
  intro: string,
  none: string,
  items: T[],
  columns: Column<T>[],
): string {
  const cls = (c: Column<T>): string => (c.kind && c.kind !== 'count' ? ` class="${c.kind}"` : '');
  const type = (c: Column<T>): string => (c.kind === 'num' || c.kind === 'count' ? 'num' : 'text');
  const head = columns.map((c) => `<th scope="col"${cls(c)} data-type="${type(c)}">${text(c.label)}</th>`);
  const row = (item: T): string =>
    `<tr>${columns
      .map((c) => ({ c, v: c.cell(item) }))
      .map(({ c, v }) => `<td${cls(c)} data-sort="${text(String(v.sort))}">${v.html}</td>`)
      .join('')}</tr>`;
  const body = items.length
    ? items.map(row).join('\n')
    : `<tr class="none"><td colspan="${columns.length}">${text(none)}</td></tr>`;
  const filter = items.length
    ? `<div class="tools" hidden><input type="search" class="filter" data-table="${id}-table" placeholder="Filter rows" aria-label="Filter: ${text(title)}"> <span class="count"></span></div>`
    : '';
  return [
    `<section id="${id}">\n<h2>${text(title)}</h2>`,
    intro ? `<p class="intro">${intro}</p>` : '',
    filter,
    `<table class="data" id="${id}-table">\n<thead><tr>${head.join('')}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>\n</table>\n</section>`,
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** `<details>` listing actions per kind (capped, `… N more`); `—` when all lists are empty. */
function actionLists(lists: [string[], string][]): Cell {
  const html = lists
    .filter(([actions]) => actions.length > 0)
    .map(([actions, what]) => {
      const items = actions.slice(0, ACTIONS_SHOWN).map((a) => `<li><code>${text(a)}</code></li>`);
      if (actions.length > ACTIONS_SHOWN)
        items.push(`<li class="muted">… ${num(actions.length - ACTIONS_SHOWN)} more</li>`);
      return `<details><summary>${num(actions.length)} ${what}</summary><ul class="actions">${items.join('')}</ul></details>`;
    });
  return { html: html.join('') || '<span class="muted">—</span>', sort: lists[0]?.[0].length ?? 0 };
}

function tile(label: string, value: string, note: string): string {
  return `<div class="tile"><div class="value">${value}</div><div class="label">${label}</div><div class="note">${note}</div></div>`;
}

// ---------------------------------------------------------------------------------------------
// Charts (inline SVG)

/** Horizontal bars: roles by share of unused permissions, biggest first. */
function shareChart(roles: RolePermissions[]): string {
  if (roles.length === 0) return '<p class="muted">No role permissions to chart.</p>';
  const sorted = [...roles].sort((a, b) => b.unusedShare - a.unusedShare || cmp(a.name, b.name));
  const shown = sorted.slice(0, CHART_ROLES);
  const [labelW, valueW, rowH] = [250, 60, 24];
  const barW = CHART_WIDTH - labelW - valueW - 10;
  const height = shown.length * rowH + 8;
  const rows = shown.map((r, i) => {
    const y = 4 + i * rowH;
    const w = Math.max(0, Math.min(1, r.unusedShare)) * barW;
    const tip = `${r.name}: ${pct(r.unusedShare)} unused (${num(r.unused)} of ${num(r.granted - r.unobservable)} observable granted actions)`;
    return [
      `<g class="row"><title>${text(tip)}</title>`,
      `<text class="label" x="${labelW - 8}" y="${y + 16}" text-anchor="end">${text(r.name, 34)}</text>`,
      `<rect class="track" x="${labelW}" y="${y + 3}" width="${barW}" height="${rowH - 6}"></rect>`,
      `<rect class="bar" x="${labelW}" y="${y + 3}" width="${svgNum(w)}" height="${rowH - 6}"></rect>`,
      `<text class="value" x="${svgNum(labelW + w + 6)}" y="${y + 16}">${pct(r.unusedShare)}</text></g>`,
    ].join('');
  });
  const more =
    sorted.length > shown.length
      ? `<p class="muted">The ${num(shown.length)} roles with the biggest share, of ${num(sorted.length)}; the table lists all.</p>`
      : '';
  return `<svg id="chart-share" class="chart" role="img" aria-label="Roles by share of unused permissions" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}">\n${rows.join('\n')}\n</svg>${more}`;
}

/** Vertical bars: attributed calls per UTC day, every day of the window. */
function activityChart(days: ActivityDay[]): string {
  if (days.length === 0) return '<p class="muted">No day in the window.</p>';
  const [left, right, top, bottom, height] = [56, 8, 12, 40, 220];
  const plotW = CHART_WIDTH - left - right;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...days.map((d) => d.calls));
  const slot = plotW / days.length;
  const step = Math.ceil(days.length / 10);
  const y = (v: number): string => svgNum(top + plotH - (v / max) * plotH);
  const grid = [0, Math.round(max / 2), max]
    .filter((v, i, all) => all.indexOf(v) === i)
    .map(
      (v) =>
        `<line class="grid" x1="${left}" x2="${CHART_WIDTH - right}" y1="${y(v)}" y2="${y(v)}"></line><text class="tick" x="${left - 6}" y="${svgNum(Number(y(v)) + 4)}" text-anchor="end">${num(v)}</text>`,
    );
  const bars = days.map((d, i) => {
    const x = left + i * slot;
    const h = (d.calls / max) * plotH;
    const label =
      i % step === 0
        ? `<text class="tick" x="${svgNum(x + slot / 2)}" y="${height - bottom + 16}" text-anchor="middle">${text(d.day.slice(5, 10))}</text>`
        : '';
    return [
      `<g class="day"><title>${text(d.day)}: ${num(d.calls)} ${d.calls === 1 ? 'call' : 'calls'}</title>`,
      `<rect class="hit" x="${svgNum(x)}" y="${top}" width="${svgNum(slot)}" height="${plotH}"></rect>`,
      `<rect class="bar" x="${svgNum(x + slot * 0.1)}" y="${svgNum(top + plotH - h)}" width="${svgNum(Math.max(1, slot * 0.8))}" height="${svgNum(h)}"></rect>`,
      `${label}</g>`,
    ].join('');
  });
  const axis = `<text class="axis" x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle">UTC day (month-day)</text>`;
  return `<svg id="chart-activity" class="chart" role="img" aria-label="Attributed calls per day" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}">\n${grid.join('\n')}\n${bars.join('\n')}\n${axis}\n</svg>`;
}

// ---------------------------------------------------------------------------------------------
// Page parts

function header(r: UnusedReport): string {
  const c = r.coverage;
  const list = (items: string[]): string => (items.length ? items.map((i) => text(i)).join(', ') : '—');
  const dataEvents = Object.keys(c.dataEvents)
    .sort(cmp)
    .map((k) => `${text(k)}: ${num(c.dataEvents[k] ?? 0)}`);
  const facts: [string, string][] = [
    ['Accounts', list(r.accounts)],
    ['Window', `${text(r.window.since)} → ${text(r.window.until)} (${num(r.window.days)} days)`],
    ['First / last event', `${text(c.first ?? 'none')} / ${text(c.last ?? 'none')}`],
    ['Files', `${num(c.filesRead)} read, ${num(c.filesSkipped)} skipped`],
    [
      'Events',
      `${num(c.eventsRead)} read, ${num(c.attributedEvents)} attributed to the account's principals`,
    ],
    ['Regions', list(c.regions)],
    ['Data events', dataEvents.length ? dataEvents.join(', ') : 'none logged'],
  ];
  const partial = c.partial
    ? '<p class="alert bad" id="partial"><strong>Partial input.</strong> Some input was skipped, damaged or unmapped: "unused" may mean "unseen". See the findings.</p>'
    : '';
  const notShown = c.notShown.length
    ? `<ul>${c.notShown.map((n) => `<li>${text(n)}</li>`).join('')}</ul>`
    : '<p>Nothing listed.</p>';
  return [
    '<header>',
    '<h1>Unused access report</h1>',
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    partial,
    `<div class="alert warn" id="not-shown"><strong>What this trail cannot show: no data is not evidence.</strong>${notShown}</div>`,
    '<p id="download" hidden><button type="button" id="download-json">Download JSON</button></p>',
    '</header>',
  ].join('\n');
}

function tiles(r: UnusedReport): string {
  const s = r.summary;
  const observable = s.grantedActions - s.unobservableActions;
  const share = observable > 0 ? s.unusedActions / observable : 0;
  return `<section class="tiles" aria-label="Summary">${[
    tile('Unused roles', num(s.unusedRoles), `of ${num(s.roles)} roles; ${num(s.rolesNotJudged)} not judged`),
    tile(
      'Unused functions',
      num(s.unusedFunctions),
      `of ${num(s.functions)} functions; ${num(s.functionsNotJudged)} not judged`,
    ),
    tile('Shared roles', num(s.sharedRoles), 'execution roles used by several functions'),
    tile(
      'Unused share of granted actions',
      pct(share),
      `${num(s.unusedActions)} of ${num(observable)} observable; ${num(s.unobservableActions)} unobservable not counted`,
    ),
  ].join('')}</section>`;
}

/** The tables, one per list of the report, in the order of the page's navigation. */
function tables(r: UnusedReport): string[] {
  const notJudged = [
    col<NotJudged>('Name', (n) => nameCell(n.name, n.arn)),
    col<NotJudged>('Why not', (n) => textCell(n.reason)),
  ];
  const list = (label: string, xs: string[], cls = ''): string =>
    xs.length ? `<div${cls}>${label}: ${xs.map((x) => text(x)).join('; ')}</div>` : '';
  const sharers = r.sharedRoles.flatMap((role) => role.functions.map((f) => ({ role, f })));
  return [
    section(
      'unused-roles',
      `Unused roles (${num(r.unusedRoles.length)})`,
      'Roles with no activity in the window. Orphaned execution roles trust Lambda and are used by no function.',
      'none: every judged role was active in the window',
      r.unusedRoles,
      [
        col('Role', (u) => nameCell(u.name, u.arn)),
        col('Kind', (u) => textCell(u.kind), 'nowrap'),
        col('Last activity', (u) => whenCell(u.lastActivity), 'nowrap'),
        col('Reason', (u) => textCell(u.reason)),
      ],
    ),
    section(
      'roles-not-judged',
      `Roles not judged (${num(r.rolesNotJudged.length)})`,
      '',
      'none',
      r.rolesNotJudged,
      notJudged,
    ),
    section(
      'unused-functions',
      `Unused functions (${num(r.unusedFunctions.length)})`,
      "Confidence <code>invocations</code>: an invocation signal was available and shows none; <code>calls-only</code>: only the role's calls were available (a function that calls no AWS API looks the same).",
      'none: every judged function shows activity',
      r.unusedFunctions,
      [
        col('Function', (f) => nameCell(f.name, f.arn)),
        col('Region', (f) => textCell(f.region), 'nowrap'),
        col('Role', (f) =>
          textCell(
            roleNameOf(f.roleArn),
            `<span title="${text(f.roleArn)}">${text(roleNameOf(f.roleArn))}</span>`,
          ),
        ),
        col('Last activity', (f) => whenCell(f.lastActivity), 'nowrap'),
        col('Confidence', (f) =>
          textCell(
            f.confidence,
            `<span class="conf conf-${text(f.confidence)}">${text(f.confidence)}</span>`,
          ),
        ),
        col('Reason', (f) => textCell(f.reason)),
        col(
          'Signals',
          (f) => ({
            html: `${list('checked', f.signals.checked)}${list('unavailable', f.signals.unavailable, ' class="muted"')}`,
            sort: f.signals.unavailable.length,
          }),
          'count',
        ),
      ],
    ),
    section(
      'functions-not-judged',
      `Functions not judged (${num(r.functionsNotJudged.length)})`,
      '',
      'none',
      r.functionsNotJudged,
      notJudged,
    ),
    section(
      'unused-permissions',
      `Unused permissions per role (${num(r.unusedPermissions.length)})`,
      'Unused share = unused / (granted − unobservable). Unobservable actions are of a kind this trail cannot show and are counted apart.',
      'none',
      r.unusedPermissions,
      [
        col('Role', (p) =>
          nameCell(
            p.name,
            p.arn,
            (p.idle ? ' <span class="tag">idle</span>' : '') +
              (p.unknownPolicies.length
                ? ' <span class="tag warn" title="lower bound: some policies could not be read">lower bound</span>'
                : ''),
          ),
        ),
        col('Granted', (p) => numCell(p.granted), 'num'),
        col('Used', (p) => numCell(p.used), 'num'),
        col('Unused', (p) => numCell(p.unused), 'num'),
        col('Unobservable', (p) => numCell(p.unobservable), 'num'),
        col('Unused share', (p) => numCell(p.unusedShare, pct(p.unusedShare)), 'num'),
        col(
          'Actions',
          (p) =>
            actionLists([
              [p.unusedActions, 'unused'],
              [p.unobservableActions, 'unobservable'],
              [p.unknownPolicies, p.unknownPolicies.length === 1 ? 'policy not read' : 'policies not read'],
            ]),
          'count',
        ),
      ],
    ),
    section(
      'shared-roles',
      `Shared roles (${num(r.sharedRoles.length)})`,
      'Execution roles used by several functions, one row per function: the role must allow what each of them does.',
      'none: no execution role is shared',
      sharers,
      [
        col('Role', (s) => nameCell(s.role.name, s.role.arn)),
        col('Function', (s) => nameCell(s.f.name, s.f.arn)),
        col('Region', (s) => textCell(s.f.region), 'nowrap'),
        col('Calls', (s) => numCell(s.f.calls), 'num'),
        col('Last activity', (s) => whenCell(s.f.lastActivity, '—'), 'nowrap'),
        col(
          'Actions',
          (s) => actionLists([[s.f.actions, s.f.actions.length === 1 ? 'action' : 'actions']]),
          'count',
        ),
      ],
    ),
    section('findings', `Findings (${num(r.findings.length)})`, '', 'none', sortFindings(r.findings), [
      col('Id', (f) => textCell(f.id, `<code>${text(f.id)}</code>`)),
      col(
        'Severity',
        (f) =>
          numCell(
            SEVERITY_RANK[f.severity] ?? 3,
            `<span class="sev sev-${text(f.severity)}">${text(f.severity)}</span>`,
          ),
        'num',
      ),
      col('Count', (f) => numCell(f.count), 'num'),
      col('Message', (f) =>
        textCell(
          f.message,
          text(f.message) +
            (f.suppressed ? ` <span class="muted">(suppressed: ${text(f.suppressed.reason)})</span>` : ''),
        ),
      ),
    ]),
  ];
}

// ---------------------------------------------------------------------------------------------
// Page

const STYLE = `
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg2:#f6f8fa;--accent:#0969da;--warn:#9a6700;--bad:#d1242f}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:24px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:#fff}
h1{font-size:24px;margin:0 0 12px}h2{font-size:18px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 12px}.facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
.alert{border:1px solid;border-left-width:4px;border-radius:6px;padding:8px 12px;margin:8px 0}.alert ul{margin:4px 0 0;padding-left:20px}
.warn{border-color:#d4a72c;background:#fff8c5}.bad{border-color:var(--bad);background:#ffebe9}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:16px 0}
.tile{border:1px solid var(--line);border-radius:8px;padding:12px;background:var(--bg2)}.tile .value{font-size:28px;font-weight:600}.tile .label{font-weight:600}.tile .note{color:var(--muted);font-size:12px}
.chart{max-width:100%;height:auto;display:block}.chart text{font-size:12px;fill:var(--fg)}.chart .tick,.chart .axis{fill:var(--muted);font-size:11px}
.chart .bar{fill:var(--accent)}.chart .track{fill:var(--bg2)}.chart .hit{fill:transparent}.chart .day:hover .bar{fill:#0550ae}.chart .grid{stroke:var(--line)}
.intro,.muted{color:var(--muted)}
.tools{margin:4px 0 8px}.filter{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:6px;width:280px}.count{color:var(--muted);margin-left:8px}
table.data{border-collapse:collapse;width:100%;margin-bottom:8px}
.data th,.data td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.data th{background:var(--bg2);white-space:nowrap}.data th.sortable{cursor:pointer}.data th.sortable:hover{background:#eaeef2}
.data th[aria-sort=ascending]::after{content:" ▲"}.data th[aria-sort=descending]::after{content:" ▼"}
.data tbody tr:nth-child(even){background:#fbfcfd}.data .num{text-align:right;white-space:nowrap}.data .nowrap{white-space:nowrap}
.data tr.none td,.data tr.nomatch td{color:var(--muted);font-style:italic;text-align:center}
.arn{color:var(--muted);font-size:12px}.name{font-weight:600}
.actions{margin:4px 0;padding-left:18px;max-height:320px;overflow:auto}summary{cursor:pointer;white-space:nowrap}
.tag,.sev,.conf{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;border:1px solid var(--line);background:var(--bg2)}
.sev-error{color:var(--bad);border-color:var(--bad)}.sev-warning,.conf-calls-only{color:var(--warn);border-color:#d4a72c}
button{font:inherit;padding:4px 12px;border:1px solid var(--line);border-radius:6px;background:var(--bg2);cursor:pointer}
`;

/** Filters, sortable headers and the JSON download; plain DOM, reads data only from the island. */
const SCRIPT = `
(function () {
  'use strict';
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var order = function (x, y) { return x < y ? -1 : x > y ? 1 : 0; };
  var dataRows = function (body) {
    return Array.prototype.filter.call(body.rows, function (r) { return !r.classList.contains('none') && !r.classList.contains('nomatch'); });
  };
  /* The filter input above the table: rows whose text holds the query, case-insensitively. */
  var addFilter = function (table, body, nomatch, total) {
    var input = document.querySelector('input.filter[data-table="' + table.id + '"]');
    var count = input.parentNode.querySelector('.count');
    var filter = function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      dataRows(body).forEach(function (r) {
        r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) === -1;
        if (!r.hidden) shown++;
      });
      nomatch.hidden = shown !== 0;
      count.textContent = shown + ' of ' + total + (total === 1 ? ' row' : ' rows');
    };
    input.addEventListener('input', filter);
    input.parentNode.hidden = false;
    filter();
  };
  /* Sorting by a column's data-sort values, ascending then descending; ties keep the report's order. */
  var addSort = function (th, body, nomatch) {
    var sort = function () {
      var col = th.cellIndex;
      var numeric = th.getAttribute('data-type') === 'num';
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      var key = function (r) {
        var v = r.cells[col].getAttribute('data-sort') || '';
        return numeric ? Number(v) : v.toLowerCase();
      };
      each(th.parentNode.cells, function (c) { c.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      dataRows(body)
        .sort(function (a, b) { return order(key(a), key(b)) * dir || Number(a.dataset.i) - Number(b.dataset.i); })
        .forEach(function (r) { body.insertBefore(r, nomatch); });
    };
    th.classList.add('sortable');
    th.tabIndex = 0;
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
    });
  };
  each(document.querySelectorAll('table.data'), function (table) {
    var body = table.tBodies[0];
    var rows = dataRows(body);
    if (rows.length === 0) return;
    rows.forEach(function (r, i) { r.dataset.i = String(i); });
    var nomatch = body.insertRow(-1);
    nomatch.className = 'nomatch';
    nomatch.hidden = true;
    var td = nomatch.insertCell(-1);
    td.colSpan = table.tHead.rows[0].cells.length;
    td.textContent = 'no row matches the filter';
    addFilter(table, body, nomatch, rows.length);
    each(table.tHead.rows[0].cells, function (th) { addSort(th, body, nomatch); });
  });
  /* The report itself, from the JSON island (never from the markup). */
  var button = document.getElementById('download-json');
  button.addEventListener('click', function () {
    var json = JSON.stringify(JSON.parse(document.getElementById('report-data').textContent), null, 2);
    var a = document.createElement('a');
    a.href = 'data:application/json;charset=utf-8,' + encodeURIComponent(json + '\\n');
    a.download = 'unused-report.json';
    a.click();
  });
  button.parentNode.hidden = false;
})();
`;

/** The unused-access report as one self-contained, deterministic HTML5 page. */
export function renderReportHtml(report: UnusedReport): string {
  const accounts = report.accounts.length ? report.accounts.join(', ') : 'no account';
  const nav = [
    ['unused-roles', 'Unused roles'],
    ['roles-not-judged', 'Roles not judged'],
    ['unused-functions', 'Unused functions'],
    ['functions-not-judged', 'Functions not judged'],
    ['unused-permissions', 'Unused permissions'],
    ['shared-roles', 'Shared roles'],
    ['findings', 'Findings'],
  ]
    .map(([id, label]) => `<a href="#${id}">${label}</a>`)
    .join(' · ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>Unused access report: ${text(accounts, 200)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    header(report),
    tiles(report),
    `<nav>${nav}</nav>`,
    '<section id="charts">',
    '<h2>Roles by share of unused permissions</h2>',
    shareChart(report.unusedPermissions),
    `<h2>Activity: attributed calls per day (${num(report.activity.reduce((n, d) => n + d.calls, 0))} in all)</h2>`,
    activityChart(report.activity),
    '</section>',
    ...tables(report),
    `<script type="application/json" id="report-data">${islandJson(report)}</script>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
