/**
 * The unused-access report as Markdown: a job summary (GitHub Actions `$GITHUB_STEP_SUMMARY`)
 * that a reviewer can act on. Every value is escaped (markdown-format.ts); long lists are capped
 * with "… and N more" (the JSON has them all). Pure and deterministic.
 */
import type { NotJudged, UnusedReport } from '../report/types';
import { alert, capped, code, details, listItems, num, percent, plural, table, txt } from './markdown-format';
import { sortFindings } from './findings';

/** Rows listed per table before "… and N more". */
const MAX_ROWS = 100;
/** Unused actions listed per role. */
const MAX_ACTIONS = 30;

function when(t: string | null): string {
  return t === null ? 'never' : txt(t.slice(0, 10));
}

function capRows(rows: string[][], width: number, what: string): string[][] {
  if (rows.length <= MAX_ROWS) return rows;
  const more = [`… and ${plural(rows.length - MAX_ROWS, what)} more (see the JSON report)`];
  return [...rows.slice(0, MAX_ROWS), [...more, ...Array<string>(width - 1).fill('')]];
}

function notJudgedSection(title: string, items: readonly NotJudged[]): string[] {
  if (items.length === 0) return [];
  return [
    `### ${title} (${num(items.length)})`,
    table(
      ['name', 'why'],
      ['l', 'l'],
      capRows(
        items.map((i) => [code(i.name), txt(i.reason)]),
        2,
        'item',
      ),
    ),
  ];
}

function headerLines(r: UnusedReport): string[] {
  const c = r.coverage;
  const s = r.summary;
  const lines = [
    `## policy-tighten: unused access${r.accounts.length > 0 ? ` in ${r.accounts.map(code).join(', ')}` : ''}`,
    `Window ${txt(r.window.since.slice(0, 10))} to ${txt(r.window.until.slice(0, 10))} (${num(r.window.days)} days); ` +
      `events read ${c.first ? `${txt(c.first)} to ${txt(c.last ?? c.first)}` : 'none'}: ` +
      `${plural(c.eventsRead, 'event')} in ${plural(c.filesRead, 'file')}, ${plural(c.attributedEvents, 'call')} by principals of the account.`,
    table(
      ['', 'count'],
      ['l', 'r'],
      [
        ['Unused roles', `${num(s.unusedRoles)} of ${num(s.roles)}`],
        ['Unused functions', `${num(s.unusedFunctions)} of ${num(s.functions)}`],
        ['Not judged (too new, recently changed, unseen)', num(s.rolesNotJudged + s.functionsNotJudged)],
        ['Shared execution roles', num(s.sharedRoles)],
        [
          'Unused granted actions',
          `${num(s.unusedActions)} of ${num(s.grantedActions)}${s.unobservableActions > 0 ? ` (+${num(s.unobservableActions)} the trail cannot show)` : ''}`,
        ],
      ],
    ),
  ];
  if (c.partial)
    lines.push(
      alert('WARNING', [
        'The read was partial (input skipped, damaged or unmapped, see the findings): unused may mean unseen.',
      ]),
    );
  if (c.notShown.length > 0)
    lines.push(
      alert('NOTE', [
        'This trail cannot show (no data is not evidence of non-use):',
        ...listItems(
          c.notShown.map((n) => txt(n)),
          12,
        ),
      ]),
    );
  return lines;
}

function rolesSection(r: UnusedReport): string[] {
  if (r.unusedRoles.length === 0) return ['### Unused roles', 'None.'];
  return [
    `### Unused roles (${num(r.unusedRoles.length)})`,
    table(
      ['role', 'kind', 'last activity', 'why'],
      ['l', 'l', 'l', 'l'],
      capRows(
        r.unusedRoles.map((u) => [
          code(u.name),
          u.kind === 'orphaned-execution-role' ? 'orphaned execution role' : 'role',
          when(u.lastActivity),
          txt(u.reason),
        ]),
        4,
        'role',
      ),
    ),
  ];
}

function functionsSection(r: UnusedReport): string[] {
  if (r.unusedFunctions.length === 0) return ['### Unused functions', 'None.'];
  return [
    `### Unused functions (${num(r.unusedFunctions.length)})`,
    table(
      ['function', 'region', 'last activity', 'evidence', 'signals checked', 'unavailable'],
      ['l', 'l', 'l', 'l', 'l', 'l'],
      capRows(
        r.unusedFunctions.map((f) => [
          code(f.name),
          code(f.region),
          when(f.lastActivity),
          f.confidence === 'invocations' ? 'no invocation' : 'no call (invocations not observable)',
          capped(
            f.signals.checked.map((x) => txt(x)),
            5,
            '<br>',
          ),
          capped(
            f.signals.unavailable.map((x) => txt(x)),
            5,
            '<br>',
          ),
        ]),
        6,
        'function',
      ),
    ),
  ];
}

function permissionsSection(r: UnusedReport): string[] {
  if (r.unusedPermissions.length === 0) return [];
  const rows = r.unusedPermissions.map((p) => [
    code(p.name),
    num(p.granted),
    num(p.used),
    num(p.unused),
    num(p.unobservable),
    percent(p.unusedShare),
    p.idle
      ? 'no call in the window'
      : p.unknownPolicies.length > 0
        ? 'some policies unknown: a lower bound'
        : '',
  ]);
  const worst = r.unusedPermissions.filter((p) => p.unused > 0).slice(0, 10);
  return [
    `### Unused permissions per role`,
    'Granted actions (wildcards expanded) never used in the window, biggest share first; actions the trail cannot show are counted apart.',
    table(
      ['role', 'granted', 'used', 'unused', 'not observable', 'unused share', 'note'],
      ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
      capRows(rows, 7, 'role'),
    ),
    ...worst.map((p) =>
      details(`${p.name}: ${p.unused} unused actions`, [
        capped(
          p.unusedActions.map((a) => code(a)),
          MAX_ACTIONS,
          ', ',
        ),
      ]),
    ),
  ];
}

function sharedSection(r: UnusedReport): string[] {
  if (r.sharedRoles.length === 0) return [];
  const rows = r.sharedRoles.flatMap((s) =>
    s.functions.map((f) => [
      code(s.name),
      code(f.name),
      code(f.region),
      num(f.calls),
      when(f.lastActivity),
      capped(
        f.actions.map((a) => code(a)),
        8,
        ', ',
      ),
    ]),
  );
  return [
    `### Shared execution roles (${num(r.sharedRoles.length)})`,
    'One role per function is AWS advice: each function gets only what it uses (`policy-tighten generate --function NAME` writes its policy).',
    table(
      ['role', 'function', 'region', 'calls', 'last activity', 'uses'],
      ['l', 'l', 'l', 'r', 'l', 'l'],
      capRows(rows, 6, 'function'),
    ),
  ];
}

function findingsSection(r: UnusedReport): string[] {
  const important = sortFindings(r.findings.filter((f) => f.severity !== 'info'));
  if (important.length === 0) return [];
  return [
    details(`Findings (${important.length} warnings or errors)`, [
      table(
        ['id', 'severity', 'count', 'message'],
        ['l', 'l', 'r', 'l'],
        capRows(
          important.map((f) => [code(f.id), f.severity, num(f.count), txt(f.message)]),
          4,
          'finding',
        ),
      ),
    ]),
  ];
}

/** Renders the report (see the file header). */
export function renderReportMarkdown(r: UnusedReport): string {
  const parts = [
    ...headerLines(r),
    ...rolesSection(r),
    ...notJudgedSection('Roles not judged', r.rolesNotJudged),
    ...functionsSection(r),
    ...notJudgedSection('Functions not judged', r.functionsNotJudged),
    ...permissionsSection(r),
    ...sharedSection(r),
    ...findingsSection(r),
    'Generated by policy-tighten (`report --unused`). Full data: `--format json`.',
  ];
  return `${parts.join('\n\n')}\n`;
}
