/**
 * The pieces of a self-contained HTML page shared by the report (report-html.ts) and the audit
 * (audit-html.ts): escaping of untrusted text, the Content-Security-Policy, the styles, sortable and
 * filterable tables and the script parts that drive them. Pure and deterministic.
 *
 * Every value shown is untrusted (names, ARNs, reasons and messages come from the AWS account and
 * CloudTrail): it goes through `text()` (HTML-escaped for text and quoted attributes, invisible
 * characters made visible). A page's script reads its data only from a JSON data island built by
 * `islandJson()`.
 */
import { escapeHtml, escapeInvisible } from './markdown-escape';

/** Longest single value shown (an ARN is at most 2048 characters); longer ones are cut with `…`. */
export const MAX_VALUE = 2048;
/** The page loads nothing: inline styles and script only, images only as data: URIs. */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** Cuts an over-long value at a code point boundary, marking the cut with `…`. */
export function clip(s: string, max = MAX_VALUE): string {
  const str = String(s ?? '');
  if (str.length <= max) return str;
  const end = /[\uD800-\uDBFF]/.test(str.charAt(max - 1)) ? max - 1 : max;
  return `${str.slice(0, end)}…`;
}

/** Untrusted text for an HTML text node or a quoted attribute value. */
export function text(s: string, max?: number): string {
  return escapeHtml(escapeInvisible(clip(s, max)));
}

/** An integer with `,` grouping (locale-independent). */
export function num(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** A share (0–1) as a percentage with one decimal. */
export function pct(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '—';
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A value as JSON for a data island: no `</script>`, `<!--` or JS line terminator can form. */
export function islandJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Building blocks

/** A table cell: its HTML and the raw value it sorts by (`data-sort`). */
export interface Cell {
  html: string;
  sort: string | number;
}

/**
 * A column: its heading, how to draw one item's cell, and its kind: `num` (right-aligned, sorts
 * numerically), `count` (sorts numerically), `nowrap` (dates, regions), else text.
 */
export interface Column<T> {
  label: string;
  cell: (item: T) => Cell;
  kind?: 'num' | 'count' | 'nowrap';
}

export const col = <T>(label: string, cell: (item: T) => Cell, kind?: Column<T>['kind']): Column<T> => ({
  label,
  cell,
  kind,
});
export const textCell = (value: string, html = text(value)): Cell => ({ html, sort: value });
export const numCell = (n: number, html = num(n)): Cell => ({ html, sort: n });
export const whenCell = (value: string | null, none = 'never'): Cell =>
  textCell(value ?? '', value === null ? `<span class="muted">${none}</span>` : text(value));
/** A name with its ARN below it, sorted by name. */
export const nameCell = (name: string, arn: string, extra = ''): Cell =>
  textCell(name, `<span class="name">${text(name)}</span>${extra}<br><span class="arn">${text(arn)}</span>`);

/** What a page adds to a section: attributes of each row (` data-x="…"`, escaped), more tools. */
export interface SectionOptions<T> {
  rowAttributes?: (item: T) => string;
  /** HTML placed after the filter input (e.g. facet selects), shown with it by the script. */
  tools?: string;
}

/** One section: heading, a line of explanation, a filter (shown by the script) and the table. */
export function section<T>(
  id: string,
  title: string,
  intro: string,
  none: string,
  items: T[],
  columns: Column<T>[],
  options: SectionOptions<T> = {},
): string {
  const cls = (c: Column<T>): string => (c.kind && c.kind !== 'count' ? ` class="${c.kind}"` : '');
  const type = (c: Column<T>): string => (c.kind === 'num' || c.kind === 'count' ? 'num' : 'text');
  const head = columns.map((c) => `<th scope="col"${cls(c)} data-type="${type(c)}">${text(c.label)}</th>`);
  const row = (item: T): string =>
    `<tr${options.rowAttributes ? options.rowAttributes(item) : ''}>${columns
      .map((c) => ({ c, v: c.cell(item) }))
      .map(({ c, v }) => `<td${cls(c)} data-sort="${text(String(v.sort))}">${v.html}</td>`)
      .join('')}</tr>`;
  const body = items.length
    ? items.map(row).join('\n')
    : `<tr class="none"><td colspan="${columns.length}">${text(none)}</td></tr>`;
  const filter = items.length
    ? `<div class="tools" hidden><input type="search" class="filter" data-table="${id}-table" placeholder="Filter rows" aria-label="Filter: ${text(title)}">${options.tools ?? ''} <span class="count"></span></div>`
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

export function tile(label: string, value: string, note: string): string {
  return `<div class="tile"><div class="value">${value}</div><div class="label">${label}</div><div class="note">${note}</div></div>`;
}

// ---------------------------------------------------------------------------------------------
// Page

/** The styles of both pages. */
export const STYLE = `
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

/*
 * The script, in parts a page joins: SCRIPT_HEAD, a filter (SCRIPT_FILTER or the page's own
 * `addFilter(table, body, nomatch, total)`), SCRIPT_SORT, SCRIPT_TABLES, downloadScript(…),
 * SCRIPT_TAIL. Plain DOM; data only from the JSON island.
 */

/** Opens the script: strict mode and the helpers every part uses. */
export const SCRIPT_HEAD = `
(function () {
  'use strict';
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var order = function (x, y) { return x < y ? -1 : x > y ? 1 : 0; };
  var dataRows = function (body) {
    return Array.prototype.filter.call(body.rows, function (r) { return !r.classList.contains('none') && !r.classList.contains('nomatch'); });
  };
`;

/** The text filter above a table (`addFilter`). */
export const SCRIPT_FILTER = `  /* The filter input above the table: rows whose text holds the query, case-insensitively. */
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
`;

/** Sortable column headers (`addSort`). */
export const SCRIPT_SORT = `  /* Sorting by a column's data-sort values, ascending then descending; ties keep the report's order. */
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
`;

/** Wires every `table.data`: row order, the no-match row, filter and sort. */
export const SCRIPT_TABLES = `  each(document.querySelectorAll('table.data'), function (table) {
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
`;

/** The "Download JSON" button: the island `islandId` saved as `fileName` (both our own constants). */
export function downloadScript(what: string, islandId: string, fileName: string): string {
  return `  /* The ${what} itself, from the JSON island (never from the markup). */
  var button = document.getElementById('download-json');
  button.addEventListener('click', function () {
    var json = JSON.stringify(JSON.parse(document.getElementById('${islandId}').textContent), null, 2);
    var a = document.createElement('a');
    a.href = 'data:application/json;charset=utf-8,' + encodeURIComponent(json + '\\n');
    a.download = '${fileName}';
    a.click();
  });
  button.parentNode.hidden = false;
`;
}

/** Closes the script. */
export const SCRIPT_TAIL = `})();
`;
