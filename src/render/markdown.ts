/**
 * The pull-request review comment: a Markdown rendering of a PolicyDiff from which a security
 * engineer can approve or reject the proposal. Pure and deterministic (no clock, no locale).
 *
 * Every value from the diff, the policies and the findings is untrusted (CloudTrail and the AWS
 * account are attacker-controlled): it goes through escapeMarkdownText (prose, table cells),
 * markdownCode (code spans) or markdownCodeBlock (fenced JSON and diff). The only HTML is our
 * own `<details>`, `<summary>` and `<br>`.
 */
import { ACCESS_LEVEL_ORDER } from '../diff/types';
import type {
  AccessLevel,
  AddedReason,
  BoundaryBlock,
  Evidence,
  Grant,
  PolicyDiff,
  RefusalCode,
  RemovedEntry,
} from '../diff/types';
import type { Finding, PermissionOrigin, PolicyDocument, RunStats, Severity } from '../model';
import { renderPolicyJson } from './json';
import { sortFindings } from './findings';
import { markdownCodeBlock } from './markdown-escape';
import {
  alert,
  capped,
  MAX_VALUE,
  cmp,
  code,
  details,
  listItems,
  num,
  pcode,
  percent,
  plural,
  table,
  txt,
} from './markdown-format';

export { escapeInvisible, escapeMarkdownText, markdownCode, markdownCodeBlock } from './markdown-escape';

/** GitHub's limit on the body of an issue or pull-request comment. */
export const GITHUB_COMMENT_LIMIT = 65536;

/** What the review comment is rendered from. */
export interface ReviewInput {
  /** The semantic diff (src/diff/types.ts). */
  diff: PolicyDiff;
  /** The proposed documents. */
  policies: PolicyDocument[];
  /** Findings (listed in listing order); `suppressed` ones are shown as suppressed, with their reason. */
  findings: Finding[];
  stats: RunStats;
  /**
   * Marker id for the sticky comment, e.g. `orders-api` → `<!-- policy-tighten:review:orders-api -->`
   * as the first line. Sanitised to `[A-Za-z0-9._:-]` (other characters become `-`).
   */
  marker: string;
  /** Character limit of the output. @default 65536 (GitHub comment limit) */
  maxLength?: number;
}

/** Removed actions listed per service before only the first few are shown. */
const ACTIONS_LISTED = 20;
const ACTIONS_FIRST = 10;
/** Resources, patterns, grants and notes listed per table cell. */
const CELL_ITEMS = 10;
/** Items listed per warning. */
const ALERT_ITEMS = 50;

/** What the renderer leaves out to fit the limit (in folding order). */
interface Fold {
  textDiff: boolean;
  policyJson: boolean;
  keptRows: boolean;
  findingRows: boolean;
  removalNames: boolean;
  /** Beyond the documented order: guardrail JSON, then table rows, then a minimal summary. */
  guardrailJson: boolean;
  rows?: number;
  minimal: boolean;
}

/** The documented folding order (then the guardrail JSON). */
const FOLD_ORDER = [
  'textDiff',
  'policyJson',
  'keptRows',
  'findingRows',
  'removalNames',
  'guardrailJson',
] as const;

const NO_FOLD: Fold = {
  textDiff: false,
  policyJson: false,
  keptRows: false,
  findingRows: false,
  removalNames: false,
  guardrailJson: false,
  minimal: false,
};

const REFUSAL_WORDS: Record<RefusalCode, string> = {
  'short-window': 'The window is shorter than the evidence needs',
  'partial-read': 'The trail was only partly read',
  'no-calls': 'No call of the function was found',
  'current-unknown': "Today's permissions are not fully known",
};

const ADDED_WORDS: Record<AddedReason, string> = {
  'implied-not-granted': "The function's configuration needs it and no current policy grants it",
  'observed-not-granted':
    "CloudTrail shows successful calls that today's policies would not allow: the function may be failing now, or the evidence is wrong",
  'conditional-today': 'Granted today only under a Condition; the proposal grants it without one',
};

const ORIGIN_WORDS: Record<PermissionOrigin, string> = {
  observed: 'observed',
  'on-behalf': 'on-behalf (an AWS service called for it)',
  'implied-by-call': 'implied-by-call',
  'implied-by-config': 'implied-by-config',
  dependent: 'dependent (AWS authorises it for an observed call: tag on create, iam:PassRole)',
};

const BOUNDARY_WORDS: Record<BoundaryBlock['why'], string> = {
  implicit: 'the boundary allows it nowhere',
  deny: 'an explicit Deny in the boundary',
  conditional: 'the boundary allows it only under a Condition',
};

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info'];

// ---------------------------------------------------------------------------------------------
// Small formatting helpers

function sanitiseMarker(marker: string): string {
  const id = Array.from(String(marker ?? ''))
    .map((ch) => (/^[A-Za-z0-9._:-]$/.test(ch) ? ch : '-'))
    .join('')
    .slice(0, 200);
  return id === '' ? 'default' : id;
}

function levelOf(level: string): AccessLevel {
  if ((ACCESS_LEVEL_ORDER as readonly string[]).includes(level)) return level as AccessLevel;
  const first = String(level ?? '')
    .split(',')[0]
    .trim();
  return (ACCESS_LEVEL_ORDER as readonly string[]).includes(first) ? (first as AccessLevel) : 'Unknown';
}

/**
 * One line per policy: `inline:orders-api-runtime Sid `A`, `B` (with Condition)`; statements
 * without a Sid add their flags to the policy name.
 */
function grantsCell(grants: Grant[]): string {
  const byPolicy = new Map<string, { sids: Set<string>; unnamed: Set<string> }>();
  for (const g of grants) {
    let flags = '';
    if (g.notResource) flags += ' (NotResource)';
    if (g.conditional) flags += ' (with Condition)';
    const entry = byPolicy.get(g.policy) ?? { sids: new Set<string>(), unnamed: new Set<string>() };
    if (g.sid !== undefined && g.sid !== '') entry.sids.add(`${code(g.sid)}${flags}`);
    else entry.unnamed.add(flags);
    byPolicy.set(g.policy, entry);
  }
  const lines = [...byPolicy.keys()].sort(cmp).map((policy) => {
    const { sids, unnamed } = byPolicy.get(policy) ?? { sids: new Set<string>(), unnamed: new Set<string>() };
    const flagged = [...unnamed].filter((f) => f !== '').sort(cmp);
    let line = txt(policy);
    if (sids.size) {
      line += ` Sid ${capped([...sids].sort(cmp), CELL_ITEMS, ', ')}`;
      if (flagged.length) line += `; without Sid${flagged.join(',')}`;
    } else if (flagged.length) line += flagged.join(',');
    return line;
  });
  return capped(lines, CELL_ITEMS, '<br>');
}

function codeList(values: string[], cap = CELL_ITEMS, sep = '<br>'): string {
  return capped(values.map(code), cap, sep);
}

function evidenceCell(e: Evidence, withNotes: boolean): string {
  const parts = [calls(e.count)];
  if (e.firstSeen) parts.push(`first seen ${txt(e.firstSeen, 64)}`);
  if (e.lastSeen) parts.push(`last seen ${txt(e.lastSeen, 64)}`);
  if (e.origins.length) parts.push(e.origins.map((o) => txt(ORIGIN_WORDS[o] ?? o)).join(', '));
  if (withNotes && e.notes.length)
    parts.push(
      capped(
        e.notes.map((n) => txt(n)),
        CELL_ITEMS,
        '<br>',
      ),
    );
  return parts.join('<br>');
}

function calls(count: number): string {
  return count === 0 ? 'no call in the trail' : count === 1 ? '1 call' : `${num(count)} calls`;
}

function lastSeen(e: Evidence): string {
  return e.lastSeen ? txt(e.lastSeen, 64) : '—';
}

/** Table rows already built, by table (folding re-renders with fewer rows). */
type RowMemo = (key: string, make: () => string[][]) => string[][];

/** Applies the row cap of a folding step: the rows kept and a last row counting the rest. */
function capRows(rows: string[][], cap: number | undefined, width: number, what: string): string[][] {
  if (cap === undefined || rows.length <= cap) return rows;
  const n = rows.length - cap;
  const rest = [`… and ${num(n)} more ${n === 1 ? what : `${what}s`} (see \`--diff-out\`)`];
  while (rest.length < width) rest.push('');
  return [...rows.slice(0, cap), rest];
}

// ---------------------------------------------------------------------------------------------
// Sections

function verdictLine(diff: PolicyDiff): string {
  const c = diff.counts;
  if (!diff.changed) {
    const tail = c.notObservableActions
      ? ` ${plural(c.notObservableActions, 'action')} cannot be observed.`
      : '';
    return `Already least-privilege: no change.${tail}`;
  }
  let s =
    `Removes ${num(c.removedActions)} of ${num(c.grantedActions)} granted actions (${percent(c.removedShare)}), ` +
    `narrows ${num(c.narrowedActions)}, keeps ${num(c.keptActions)}, adds ${num(c.addedActions)}`;
  if (c.notObservableActions) s += `; ${num(c.notObservableActions)} not observable`;
  s += '.';
  if (!diff.safeToRemove || diff.refusals.length)
    s += ' The removals are not shown as safe: see the caution above.';
  return s;
}

function refusalCaution(diff: PolicyDiff, short: boolean): string | undefined {
  if (diff.safeToRemove && diff.refusals.length === 0) return undefined;
  const lines = ['**Do not apply: removals are NOT shown as safe.**'];
  if (short) return alert('CAUTION', lines);
  lines[0] += ' The evidence does not support removing permissions:';
  const items = diff.refusals.map((r) => {
    const words = REFUSAL_WORDS[r.code];
    return `${words ? `${words} ` : ''}(${pcode(r.code)}): ${txt(r.message)}`;
  });
  if (items.length === 0) items.push('No reason was recorded, but the diff is not marked safe to remove.');
  return alert('CAUTION', [...lines, ...listItems(items, ALERT_ITEMS)]);
}

function otherAlerts(input: ReviewInput, cap: number): string[] {
  const { diff } = input;
  const out: string[] = [];
  if (!diff.noNewAccess.holds) {
    const items = diff.noNewAccess.exceptions.map((e) => {
      const ev = diff.added.find((a) => a.action === e.action && a.reason === e.reason)?.evidence;
      const seen =
        ev && ev.count > 0
          ? ` (${calls(ev.count)}${ev.lastSeen ? `, last seen ${txt(ev.lastSeen, 64)}` : ''})`
          : '';
      return `${pcode(e.action)} on ${pcode(e.resource)}: ${txt(ADDED_WORDS[e.reason] ?? e.reason)}${seen}`;
    });
    out.push(
      alert('CAUTION', [
        "**The proposal grants access that today's policies do not.** Check each before applying:",
        ...(items.length ? listItems(items, cap) : ['- (the exceptions are not listed)']),
      ]),
    );
  }
  // Warnings a reviewer must read before approving: what the evidence may miss (the trail's
  // coverage, a shared role, kinds of access it cannot show). Refusals are the caution above.
  const refused = new Set(diff.refusals.map((r) => `PT-THIN-EVIDENCE[${r.code}]`));
  const evidence = input.findings.filter(
    (f) =>
      !f.suppressed &&
      f.severity === 'warning' &&
      !refused.has(f.id) &&
      (f.code === 'PT-THIN-EVIDENCE' || f.code === 'PT-SHARED-ROLE' || f.code === 'PT-NOT-OBSERVABLE'),
  );
  if (evidence.length) {
    out.push(
      alert('WARNING', [
        'What the evidence may not show:',
        ...listItems(
          evidence.map((f) => `${pcode(f.id)}: ${txt(f.message)}`),
          Math.min(cap, 10),
        ),
      ]),
    );
  }
  if (diff.boundaryBlocks.length) {
    const name = diff.current.boundary ? ` (${txt(diff.current.boundary.name)})` : '';
    out.push(
      alert('WARNING', [
        `The permissions boundary${name} blocks ${plural(diff.boundaryBlocks.length, 'permission')} of the proposal: they stay ineffective after applying.`,
        ...listItems(
          diff.boundaryBlocks.map(
            (b) =>
              `${pcode(b.action)} on ${capped(b.resources.map(pcode), 5, ', ')}: ${txt(BOUNDARY_WORDS[b.why] ?? b.why)}`,
          ),
          cap,
        ),
      ]),
    );
  }
  if (diff.current.unknown.length) {
    out.push(
      alert('WARNING', [
        `${plural(diff.current.unknown.length, 'attached policy', 'attached policies')} with a document the account state does not hold: their grants are unknown and not part of this diff.`,
        ...listItems(
          diff.current.unknown.map((u) => txt(u)),
          cap,
        ),
      ]),
    );
  }
  const errors = input.findings.filter((f) => f.severity === 'error' && !f.suppressed);
  if (errors.length) {
    out.push(
      alert('WARNING', [
        `${plural(errors.length, 'finding')} of severity error:`,
        ...listItems(
          errors.map((f) => `${pcode(f.id)}: ${txt(f.message)}`),
          Math.min(cap, 10),
        ),
      ]),
    );
  }
  if (diff.guardrails.length) {
    const n = diff.guardrails.length;
    const renamed = diff.guardrails.filter((g) => g.proposedSid !== undefined && g.proposedSid !== g.sid);
    const lines = [
      `${num(n)} explicit Deny ${n === 1 ? 'statement is' : 'statements are'} carried over verbatim (see Guardrails).`,
    ];
    if (renamed.length)
      lines.push(
        ...listItems(
          renamed.map(
            (g) =>
              `Sid ${g.sid !== undefined ? pcode(g.sid) : '(none)'} of ${txt(g.policy)} is ${pcode(g.proposedSid ?? '')} in the proposal (its Sid collided).`,
          ),
          cap,
        ),
      );
    out.push(alert('NOTE', lines));
  }
  return out;
}

function foldNote(input: ReviewInput, fold: Fold, maxLength: number): string | undefined {
  const { diff } = input;
  const what: string[] = [];
  if (fold.minimal) what.push('every section but the summary');
  else {
    if (fold.textDiff && diff.textDiff) what.push('the text diff');
    if (fold.policyJson) what.push('the proposed policy JSON');
    if (fold.keptRows && diff.kept.length) what.push('the kept-permission evidence');
    if (fold.findingRows && input.findings.length) what.push('the findings details');
    if (fold.removalNames && diff.removed.length)
      what.push('the removed action names (counts per service remain)');
    if (fold.guardrailJson && diff.guardrails.length) what.push('the guardrail statements');
    if (fold.rows !== undefined) what.push(`table rows beyond the first ${num(fold.rows)}`);
  }
  if (what.length === 0) return undefined;
  const list = what.length === 1 ? what[0] : `${what.slice(0, -1).join(', ')} and ${what[what.length - 1]}`;
  const limit =
    maxLength === GITHUB_COMMENT_LIMIT
      ? "GitHub's 65,536-character limit"
      : `the ${num(maxLength)}-character limit`;
  return alert('NOTE', [
    `Folded to fit ${limit}: ${list}; see \`--diff-out\` / \`--out\` for the full data.`,
  ]);
}

function summaryTable(input: ReviewInput, cap: number): string {
  const { diff, stats } = input;
  const c = diff.counts;
  const w = diff.window;
  const rows: string[][] = [
    ['Role', code(diff.target.roleArn)],
    ['Granted actions today', num(c.grantedActions)],
    ['Used in the window', num(c.usedActions)],
    ['Removed', `${num(c.removedActions)} (${percent(c.removedShare)})`],
    ['Narrowed', num(c.narrowedActions)],
    ['Kept', num(c.keptActions)],
    ['Added', num(c.addedActions)],
    ['Not observable', num(c.notObservableActions)],
    [
      'Window',
      `${txt(w.since, 64)} → ${txt(w.until, 64)} (${plural(w.days, 'day')}; the evidence needs ${plural(w.requiredDays, 'day')})`,
    ],
    [
      'Trail coverage',
      w.coverage ? `${txt(w.coverage.first, 64)} → ${txt(w.coverage.last, 64)}` : 'no event read',
    ],
  ];
  const policies = diff.current.policies.map((p) => {
    const kind = p.kind === 'inline' ? 'inline' : p.kind === 'aws-managed' ? 'AWS managed' : p.kind;
    return `${txt(p.name)} (${kind}${p.versionId ? ` ${code(p.versionId)}` : ''})`;
  });
  rows.push(['Current policies', policies.length ? capped(policies, cap, '<br>') : 'none']);
  if (diff.current.boundary) rows.push(['Permissions boundary', txt(diff.current.boundary.name)]);
  rows.push(
    [
      'Files read',
      `${num(stats.filesRead)} (skipped ${num(stats.filesSkipped)}, outside the window ${num(stats.filesOutsideWindow)}, ignored ${num(stats.filesIgnored)})`,
    ],
    [
      'Events read',
      `${num(stats.eventsRead)} (malformed ${num(stats.malformedEvents)}, outside the window ${num(stats.eventsOutsideWindow)})`,
    ],
    [
      'Attributed to the target',
      `${num(stats.attributed)}${stats.otherFunctionEvents ? ` (another function on the same role: ${num(stats.otherFunctionEvents)})` : ''}`,
    ],
    ['Mapped to permissions', num(stats.mapped)],
    ['Excluded: failed calls', `${num(stats.excludedFailed)} (denied ${num(stats.denied)})`],
    [
      'Excluded: other',
      `unmapped ${num(stats.unmapped)}, no permission needed ${num(stats.noPermissionNeeded)}, rejected values ${num(stats.rejected)}`,
    ],
  );
  return table(['Summary', 'Value'], ['l', 'l'], rows);
}

function removalsSection(diff: PolicyDiff, fold: Fold, memo: RowMemo): string[] {
  if (diff.removed.length === 0) return [];
  const byLevel = new Map<AccessLevel, Map<string, RemovedEntry[]>>();
  for (const e of diff.removed) {
    const level = levelOf(e.accessLevel);
    let services = byLevel.get(level);
    if (!services) byLevel.set(level, (services = new Map()));
    const list = services.get(e.service) ?? [];
    list.push(e);
    services.set(e.service, list);
  }
  const out = [`### Removals by risk (${plural(diff.removed.length, 'action')})`];
  let intro = `Granted today, not used between ${txt(diff.window.since, 64)} and ${txt(diff.window.until, 64)}.`;
  if (!diff.safeToRemove || diff.refusals.length) intro += ' Not shown as safe: see the caution at the top.';
  out.push(intro);
  for (const level of ACCESS_LEVEL_ORDER) {
    const services = byLevel.get(level);
    if (!services) continue;
    const total = [...services.values()].reduce((n, l) => n + l.length, 0);
    const rows = memo(`removed:${fold.removalNames}:${level}`, () =>
      [...services.keys()].sort(cmp).map((service) => {
        const entries = [...(services.get(service) ?? [])].sort((a, b) => cmp(a.action, b.action));
        const blocked = entries.filter((e) => e.blockedByBoundary).length;
        let cell: string;
        if (fold.removalNames) {
          cell = plural(entries.length, 'action');
          if (blocked) cell += ` (${num(blocked)} already blocked by the boundary&#8224;)`;
        } else {
          const names = entries.map((e) => `${code(e.action)}${e.blockedByBoundary ? '&#8224;' : ''}`);
          cell =
            names.length <= ACTIONS_LISTED
              ? names.join(', ')
              : `${num(names.length)} actions, the first ${ACTIONS_FIRST}: ${names.slice(0, ACTIONS_FIRST).join(', ')}, …`;
        }
        return [code(service), cell, grantsCell(entries.flatMap((e) => e.grants))];
      }),
    );
    out.push(
      `#### ${level} (${plural(total, 'action')})`,
      table(
        ['service', 'actions removed', 'granted by'],
        ['l', 'l', 'l'],
        capRows(rows, fold.rows, 3, 'service'),
      ),
    );
  }
  if (diff.removed.some((e) => e.blockedByBoundary))
    out.push('&#8224; Already blocked by the permissions boundary: removing it changes nothing effective.');
  return out;
}

function narrowedSection(diff: PolicyDiff, fold: Fold, memo: RowMemo): string[] {
  if (diff.narrowed.length === 0) return [];
  const rows = memo('narrowed', () =>
    [...diff.narrowed]
      .sort((a, b) => cmp(a.action, b.action))
      .map((e) => [
        code(e.action),
        codeList(e.from),
        codeList(e.to, 2 * CELL_ITEMS) +
          (e.conditionKeys ? ` under ${capped(e.conditionKeys.map(code), 3, ', ')}` : ''),
        num(e.evidence.count),
        lastSeen(e.evidence),
        // Implied needs have no calls: say where they come from.
        e.evidence.origins.includes('implied-by-config') && e.evidence.count === 0
          ? `implied by ${capped(
              e.evidence.notes.map((n) => txt(n)),
              3,
              ', ',
            )}`
          : capped(
              e.evidence.origins.map((o) => txt(o)),
              4,
              ', ',
            ),
      ]),
  );
  return [
    `### Narrowed (${plural(diff.narrowed.length, 'action')})`,
    'Granted today on broader resources than used, or without a Condition every call met; the proposal grants the used ones only.',
    table(
      ['action', 'today', 'proposed', 'calls', 'last seen', 'why'],
      ['l', 'l', 'l', 'r', 'l', 'l'],
      capRows(rows, fold.rows, 6, 'action'),
    ),
  ];
}

function addedSection(diff: PolicyDiff, fold: Fold, memo: RowMemo): string[] {
  if (diff.added.length === 0) return [];
  const rows = memo('added', () =>
    [...diff.added]
      .sort((a, b) => cmp(a.action, b.action))
      .map((e) => [
        code(e.action),
        codeList(e.resources),
        txt(ADDED_WORDS[e.reason] ?? e.reason),
        evidenceCell(e.evidence, true),
      ]),
  );
  return [
    `### Added (${plural(diff.added.length, 'action')})`,
    'In the proposal, not granted today (on these resources).',
    table(
      ['action', 'resources', 'reason', 'evidence'],
      ['l', 'l', 'l', 'l'],
      capRows(rows, fold.rows, 4, 'action'),
    ),
  ];
}

function notObservableSection(diff: PolicyDiff, fold: Fold, memo: RowMemo): string[] {
  if (diff.notObservable.length === 0) return [];
  const rows = memo('notObservable', () =>
    [...diff.notObservable]
      .sort((a, b) => cmp(a.action, b.action))
      .map((e) => [
        code(e.action),
        `${txt(e.what)} (${code(e.category)})`,
        e.kept ? 'kept' : 'dropped (`--drop-unobservable`)',
        grantsCell(e.grants),
      ]),
  );
  const kept = diff.notObservable.filter((e) => e.kept).length;
  return [
    `### Not observable (${plural(diff.notObservable.length, 'action')})`,
    `Granted today, but this trail cannot show whether they are used: ${num(kept)} kept, ${num(diff.notObservable.length - kept)} dropped.`,
    table(
      ['action', 'the trail cannot show', 'in the proposal', 'granted by'],
      ['l', 'l', 'l', 'l'],
      capRows(rows, fold.rows, 4, 'action'),
    ),
  ];
}

function keptSection(diff: PolicyDiff, fold: Fold, memo: RowMemo): string[] {
  if (diff.kept.length === 0) return [];
  const title = `Kept permissions with evidence (${plural(diff.kept.length, 'action')})`;
  if (fold.keptRows)
    return [`${plural(diff.kept.length, 'action')} kept as granted (evidence folded; see \`--diff-out\`).`];
  const rows = memo('kept', () =>
    [...diff.kept]
      .sort((a, b) => cmp(a.action, b.action))
      .map((e) => [
        code(e.action),
        codeList(e.resources),
        num(e.evidence.count),
        lastSeen(e.evidence),
        e.evidence.origins.map((o) => txt(ORIGIN_WORDS[o] ?? o)).join(', '),
        capped(
          e.evidence.notes.map((n) => txt(n)),
          CELL_ITEMS,
          '<br>',
        ),
      ]),
  );
  return [
    details(title, [
      table(
        ['action', 'resources', 'calls', 'last seen', 'origins', 'notes'],
        ['l', 'l', 'r', 'l', 'l', 'l'],
        capRows(rows, fold.rows, 6, 'action'),
      ),
    ]),
  ];
}

function guardrailsSection(diff: PolicyDiff, fold: Fold): string[] {
  if (diff.guardrails.length === 0) return [];
  const n = diff.guardrails.length;
  const body: string[] = [];
  const shown = fold.rows === undefined ? diff.guardrails : diff.guardrails.slice(0, fold.rows);
  for (const g of shown) {
    let head = `From ${txt(g.policy)}`;
    head += g.sid !== undefined && g.sid !== '' ? `, Sid ${pcode(g.sid)}` : ', no Sid';
    if (g.proposedSid !== undefined && g.proposedSid !== g.sid)
      head += ` (${pcode(g.proposedSid)} in the proposal)`;
    if (fold.guardrailJson) body.push(`- ${head}`);
    else
      body.push(
        `${head}:`,
        markdownCodeBlock(renderPolicyJson(g.statement as unknown as PolicyDocument), 'json'),
      );
  }
  if (shown.length < n)
    body.push(`${fold.guardrailJson ? '- ' : ''}… and ${num(n - shown.length)} more (see \`--diff-out\`).`);
  const list = fold.guardrailJson ? [body.join('\n')] : body;
  return [details(`Guardrails: ${plural(n, 'explicit Deny statement')} carried over verbatim`, list)];
}

function findingsSection(findings: Finding[], fold: Fold, memo: RowMemo): string[] {
  if (findings.length === 0) return [];
  // Listing order (docs/findings.md): severity, suppressed last, count descending, id.
  const sorted = sortFindings(findings);
  const counts = SEVERITY_ORDER.map((s) => [s, sorted.filter((f) => f.severity === s).length] as const)
    .filter(([, k]) => k > 0)
    .map(([s, k]) => (s === 'info' ? `${num(k)} info` : plural(k, s)));
  const suppressed = sorted.filter((f) => f.suppressed).length;
  const title = `Findings (${counts.join(', ')}${suppressed ? `; ${num(suppressed)} suppressed` : ''})`;
  if (fold.findingRows) return [`${title}: details folded; see \`--diff-out\`.`];
  const rows = memo('findings', () =>
    sorted.map((f) => [
      f.suppressed ? `${txt(f.severity)}, suppressed` : txt(f.severity),
      code(f.id),
      f.suppressed ? `${txt(f.message)}<br>Suppressed: ${txt(f.suppressed.reason)}` : txt(f.message),
      num(f.count),
    ]),
  );
  return [
    details(title, [
      table(
        ['severity', 'id', 'message', 'count'],
        ['l', 'l', 'l', 'r'],
        capRows(rows, fold.rows, 4, 'finding'),
      ),
    ]),
  ];
}

function policySection(policies: PolicyDocument[], fold: Fold): string[] {
  const statements = policies.reduce((n, p) => n + (Array.isArray(p.Statement) ? p.Statement.length : 0), 0);
  const title = `Proposed policy (${plural(policies.length, 'document')}, ${plural(statements, 'statement')})`;
  if (fold.policyJson) return [];
  if (policies.length === 0) return [details(title, ['The proposal has no policy document.'])];
  const body: string[] = [];
  policies.forEach((p, i) => {
    if (policies.length > 1) body.push(`Document ${i + 1} of ${policies.length}:`);
    body.push(markdownCodeBlock(renderPolicyJson(p), 'json'));
  });
  return [details(title, body)];
}

function textDiffSection(diff: PolicyDiff, fold: Fold): string[] {
  if (fold.textDiff || !diff.textDiff) return [];
  return [details('Text diff (current → proposed)', [markdownCodeBlock(diff.textDiff, 'diff')])];
}

const FOOTER = 'Generated by policy-tighten. Full data: `--diff-out`.';

function head(input: ReviewInput, titleMax = MAX_VALUE): string[] {
  return [
    `<!-- policy-tighten:review:${sanitiseMarker(input.marker)} -->`,
    `## policy-tighten: ${txt(input.diff.target.display, titleMax)}`,
  ];
}

/** Sections and table rows already rendered, by the fold settings they depend on. */
interface Cache {
  sections: Map<string, string[]>;
  rows: Map<string, string[][]>;
}

function cached(cache: Cache, key: string, make: () => (string | undefined)[]): string[] {
  let hit = cache.sections.get(key);
  if (!hit) cache.sections.set(key, (hit = make().filter((b): b is string => b !== undefined)));
  return hit;
}

function render(input: ReviewInput, fold: Fold, maxLength: number, cache: Cache): string {
  const { diff } = input;
  const cap = Math.min(fold.rows ?? ALERT_ITEMS, ALERT_ITEMS);
  const r = fold.rows ?? 'all';
  const memo: RowMemo = (key, make) => {
    let hit = cache.rows.get(key);
    if (!hit) cache.rows.set(key, (hit = make()));
    return hit;
  };
  const blocks: (string | undefined)[] = [
    ...cached(cache, 'head', () => [...head(input), refusalCaution(diff, false), verdictLine(diff)]),
    ...cached(cache, `alerts:${cap}`, () => otherAlerts(input, cap)),
    foldNote(input, fold, maxLength),
    ...cached(cache, `summary:${Math.min(cap, 20)}`, () => [summaryTable(input, Math.min(cap, 20))]),
  ];
  if (!fold.minimal)
    blocks.push(
      ...cached(cache, `removed:${fold.removalNames}:${r}`, () => removalsSection(diff, fold, memo)),
      ...cached(cache, `narrowed:${r}`, () => narrowedSection(diff, fold, memo)),
      ...cached(cache, `added:${r}`, () => addedSection(diff, fold, memo)),
      ...cached(cache, `notObservable:${r}`, () => notObservableSection(diff, fold, memo)),
      ...cached(cache, `kept:${fold.keptRows}:${r}`, () => keptSection(diff, fold, memo)),
      ...cached(cache, `guardrails:${fold.guardrailJson}:${r}`, () => guardrailsSection(diff, fold)),
      ...cached(cache, `findings:${fold.findingRows}:${r}`, () =>
        findingsSection(input.findings, fold, memo),
      ),
      ...cached(cache, `policy:${fold.policyJson}`, () => policySection(input.policies, fold)),
      ...cached(cache, `textDiff:${fold.textDiff}`, () => textDiffSection(diff, fold)),
    );
  blocks.push(FOOTER);
  return `${blocks.filter((b): b is string => b !== undefined).join('\n\n')}\n`;
}

/** The smallest useful comment: marker, title, the refusal caution, the verdict, the fold note. */
function renderTiny(input: ReviewInput, maxLength: number): string {
  const blocks = [
    ...head(input, 100),
    refusalCaution(input.diff, true),
    verdictLine(input.diff),
    foldNote(input, { ...NO_FOLD, minimal: true }, maxLength),
    FOOTER,
  ];
  return `${blocks.filter((b): b is string => b !== undefined).join('\n\n')}\n`;
}

/**
 * Renders the pull-request review comment for one target: hidden marker line (for the sticky
 * comment), title and verdict, warnings (refusals first), summary table, removals by access
 * level and service, narrowed, added, not observable, and in collapsible `<details>` the kept
 * permissions with their evidence, the carried guardrails, the findings, the proposed policy
 * JSON and the text diff.
 *
 * The result is at most `maxLength` characters (UTF-16 code units, which is never less than
 * GitHub's count): when the full rendering is longer, it folds, in this order, the text diff,
 * the proposed policy JSON, the kept-permission rows, the findings details and the removed
 * action names (then the guardrail JSON, then table and list rows beyond as many as fit, then
 * everything but the summary), and says so in a note. Folding drops whole constructs only, so fences and tags
 * stay balanced. When even the minimal comment does not fit, the marker line alone is
 * returned, and the empty string when not even that fits.
 *
 * Deterministic: the same input gives the same string.
 */
export function renderReviewMarkdown(input: ReviewInput): string {
  const maxLength = input.maxLength ?? GITHUB_COMMENT_LIMIT;
  const cache: Cache = { sections: new Map(), rows: new Map() };
  const fits = (fold: Fold): string | undefined => {
    const out = render(input, fold, maxLength, cache);
    return out.length <= maxLength ? out : undefined;
  };
  let fold: Fold = NO_FOLD;
  let out = fits(fold);
  for (const key of FOLD_ORDER) {
    if (out !== undefined) return out;
    fold = { ...fold, [key]: true };
    out = fits(fold);
  }
  if (out !== undefined) return out;
  // Then as many table and list rows as fit (binary search: the length grows with the rows).
  const { diff } = input;
  let hi = Math.max(
    diff.removed.length,
    diff.narrowed.length,
    diff.added.length,
    diff.notObservable.length,
    diff.kept.length,
    diff.guardrails.length,
    input.findings.length,
    diff.current.policies.length,
    diff.boundaryBlocks.length,
    diff.current.unknown.length,
    diff.noNewAccess.exceptions.length,
  );
  let lo = 1;
  let best = fits({ ...fold, rows: lo });
  while (best !== undefined && lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const attempt = fits({ ...fold, rows: mid });
    if (attempt !== undefined) {
      lo = mid;
      best = attempt;
    } else hi = mid - 1;
  }
  if (best !== undefined) return best;
  out = fits({ ...fold, rows: 1, minimal: true });
  if (out !== undefined) return out;
  const tiny = renderTiny(input, maxLength);
  if (tiny.length <= maxLength) return tiny;
  const marker = `${head(input)[0]}\n`;
  return marker.length <= maxLength ? marker : '';
}
