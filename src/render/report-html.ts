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
import { sortFindings } from './findings';
import {
  CSP,
  SCRIPT_FILTER,
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
  pct,
  section,
  text,
  textCell,
  tile,
  whenCell,
  type Cell,
} from './html-page';

/** Actions listed per `<details>` before `… N more`. */
const ACTIONS_SHOWN = 200;
/** Roles drawn in the unused-share chart (the table lists them all). */
const CHART_ROLES = 25;
/** Width of both charts (SVG user units; they scale down with the page). */
const CHART_WIDTH = 760;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

// ---------------------------------------------------------------------------------------------
// Text

/** A number for an SVG attribute: at most one decimal, no `-0`. */
function svgNum(n: number): string {
  return String(Math.round(n * 10) / 10 + 0);
}

/** The role name of a role ARN (`…:role/path/name` → `name`). */
function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

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

/** Filters, sortable headers and the JSON download; plain DOM, reads data only from the island. */
const SCRIPT =
  SCRIPT_HEAD +
  SCRIPT_FILTER +
  SCRIPT_SORT +
  SCRIPT_TABLES +
  downloadScript('report', 'report-data', 'unused-report.json') +
  SCRIPT_TAIL;

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
