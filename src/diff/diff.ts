/**
 * The semantic diff: the role's current identity policies against the proposal, per action ×
 * resource, with wildcards expanded through the catalog. Pure. See docs/review.md.
 *
 * - removed: granted today (effective: not denied everywhere), not in the proposal;
 * - narrowed: in the proposal on fewer resources than granted today (`*` → these ARNs);
 * - kept: in the proposal on exactly the resources granted today;
 * - added: in the proposal on resources today's policies do not allow (implied needs not granted,
 *   observed calls today's policies would deny, grants that are only conditional today);
 * - not observable: granted today, invisible to this trail; kept unless asked (carry-over.ts).
 *
 * No new access: every action × resource of the generated statements is checked with the
 * evaluator against today's Allow statements (Deny statements cancel out: they are carried into
 * the proposal); whatever is not allowed today is an exception, listed in `added` with its reason.
 * Carried statements are verbatim copies of today's, so they grant nothing new by construction.
 *
 * Thin evidence: a window shorter than the minimum (or the role's age), a partial read, no call
 * attributed, or current policies that cannot be known make `safeToRemove` false, with reasons.
 */
import type { Catalog } from '../catalog/catalog';
import type {
  CurrentPolicies,
  Finding,
  PermissionOrigin,
  PolicyDocument,
  PolicyStatement,
  UsageEntry,
} from '../model';
import { grantOf, actionsOfStatement, type CarryOver } from './carry-over';
import { canonicalCondition, evaluate } from './evaluate';
import { accessLevelOf, expandActionPatterns, statementMatchesAction } from './expand';
import type { ParsedPolicy, ParsedStatement } from './parse-policy';
import { textDiff } from './text-diff';
import type {
  AddedEntry,
  AddedReason,
  BoundaryBlock,
  Evidence,
  Grant,
  KeptEntry,
  NarrowedEntry,
  NewAccess,
  PolicyDiff,
  Refusal,
  RemovedEntry,
} from './types';

/** Default minimum window, in days, before removals are presented as safe (docs/review.md). */
export const DEFAULT_MIN_WINDOW_DAYS = 30;

const DAY = 86_400_000;

export interface DiffInput {
  target: { display: string; roleArn: string; roleName: string };
  current: CurrentPolicies;
  identity: ParsedPolicy;
  boundary?: ParsedPolicy;
  carry: CarryOver;
  /** The proposal as emitted (carried statements included). */
  proposal: readonly PolicyDocument[];
  /** Names of the proposal's documents, for the text diff. */
  proposalNames: readonly string[];
  /** Usage entries behind the proposal (observed, on-behalf, implied), for evidence. */
  entries: readonly UsageEntry[];
  catalog: Catalog;
  window: { since: Date; until: Date };
  /** First and last eventTime read in the window (any principal). */
  coverage?: { first: string; last: string };
  /** @default DEFAULT_MIN_WINDOW_DAYS */
  minWindowDays?: number;
  /** The read was partial (exit 3 conditions). */
  partial: boolean;
  /** Events attributed to the target. */
  attributed: number;
}

export interface DiffResult {
  diff: PolicyDiff;
  /** Findings of the diff (new access, boundary blocks, guardrails, thin evidence …). */
  findings: Finding[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toList(x: string | string[] | undefined): string[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

function serviceOf(action: string): string {
  const i = action.indexOf(':');
  return i < 0 ? action : action.slice(0, i);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function finding(
  code: Finding['code'],
  detail: string,
  severity: Finding['severity'],
  message: string,
): Finding {
  return { id: `${code}[${detail}]`, code, severity, message, count: 1, sampleEventIds: [] };
}

const USED_ORIGINS: ReadonlySet<PermissionOrigin> = new Set([
  'observed',
  'on-behalf',
  'implied-by-call',
  'dependent',
]);

function evidenceOf(entries: readonly UsageEntry[]): Evidence {
  const origins = new Set<PermissionOrigin>();
  const notes = new Set<string>();
  let count = 0;
  let firstSeen: string | undefined;
  let lastSeen: string | undefined;
  for (const e of entries) {
    count += e.count;
    e.origins.forEach((o) => origins.add(o));
    e.notes.forEach((n) => notes.add(n));
    if (e.count > 0 && e.firstSeen && (!firstSeen || e.firstSeen < firstSeen)) firstSeen = e.firstSeen;
    if (e.count > 0 && e.lastSeen && (!lastSeen || e.lastSeen > lastSeen)) lastSeen = e.lastSeen;
  }
  return {
    count,
    ...(firstSeen ? { firstSeen } : {}),
    ...(lastSeen ? { lastSeen } : {}),
    origins: [...origins].sort(cmp),
    notes: [...notes].sort(cmp),
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort(cmp);
  const y = [...new Set(b)].sort(cmp);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Computes the diff (see the file header). */
export function diffPolicies(input: DiffInput): DiffResult {
  const { catalog, carry } = input;
  const findings: Finding[] = [];
  const allows = input.identity.statements.filter((s) => s.effect === 'Allow');
  const denies = input.identity.statements.filter((s) => s.effect === 'Deny');

  // 1. What is granted today, per catalog action (wildcards and NotAction expanded).
  const granted = new Map<string, { grants: Grant[]; statements: ParsedStatement[] }>();
  const unknownGrants = new Map<string, Grant[]>();
  for (const s of allows) {
    const names = actionsOfStatement(s, catalog);
    for (const a of names) {
      let g = granted.get(a);
      if (!g) granted.set(a, (g = { grants: [], statements: [] }));
      g.grants.push(grantOf(s));
      g.statements.push(s);
    }
    if (s.actions) {
      for (const u of expandActionPatterns(s.actions, catalog).unknown) {
        const list = unknownGrants.get(u) ?? [];
        list.push(grantOf(s));
        unknownGrants.set(u, list);
      }
    }
  }
  // Denied everywhere (an unconditional Deny on every resource): not effective today.
  for (const a of [...granted.keys()]) {
    if (evaluate(denies, a, '*') === 'denied') granted.delete(a);
  }

  // 2. The proposal's generated statements (carried ones are copies of today's).
  const carried = new Set(carry.statements);
  const proposed = new Map<string, Set<string>>();
  /** Per `action\nresource`: the proposal's Condition, or null where a statement has none. */
  const proposedCondition = new Map<string, PolicyStatement['Condition'] | null>();
  for (const doc of input.proposal) {
    for (const s of doc.Statement) {
      if (carried.has(s) || s.Effect !== 'Allow') continue;
      for (const a of toList(s.Action)) {
        const name = catalog.action(a)?.name ?? a;
        let set = proposed.get(name);
        if (!set) proposed.set(name, (set = new Set()));
        for (const r of toList(s.Resource)) {
          set.add(r);
          const k = `${name}\n${r}`;
          const old = proposedCondition.get(k);
          proposedCondition.set(k, old === null || !s.Condition ? null : (old ?? s.Condition));
        }
      }
    }
  }
  const entriesBy = new Map<string, UsageEntry[]>();
  for (const e of input.entries) {
    const name = catalog.action(e.action)?.name ?? e.action;
    const list = entriesBy.get(name) ?? [];
    list.push(e);
    entriesBy.set(name, list);
  }

  // 3. Per proposed action × resource: allowed today?
  const exceptions: NewAccess[] = [];
  const removedButAdded = new Set<string>();
  const added: AddedEntry[] = [];
  const narrowed: NarrowedEntry[] = [];
  const kept: KeptEntry[] = [];
  const boundaryBlocks: BoundaryBlock[] = [];
  for (const action of [...proposed.keys()].sort(cmp)) {
    const resources = [...(proposed.get(action) ?? [])].sort(cmp);
    const evidence = evidenceOf(entriesBy.get(action) ?? []);
    const used = evidence.origins.some((o) => USED_ORIGINS.has(o));
    const ref = {
      action,
      service: serviceOf(action),
      accessLevel: accessLevelOf(catalog.action(action)),
    };
    const covered: string[] = [];
    const uncovered = new Map<AddedReason, string[]>();
    /** Condition keys the proposal adds where today's grant has no condition. */
    const conditionKeys = new Set<string>();
    /** Today's Conditions that the proposal repeats (a statement with one of them is as wide). */
    const sameConditions = new Set<string>();
    for (const r of resources) {
      const condition = proposedCondition.get(`${action}\n${r}`) ?? undefined;
      const d = evaluate(allows, action, r, { ignoreDeny: true, ...(condition ? { condition } : {}) });
      if (condition && d === 'allowed') {
        if (evaluate(allows, action, r, { ignoreDeny: true }) === 'allowed')
          for (const op of Object.values(condition)) Object.keys(op).forEach((k) => conditionKeys.add(k));
        else sameConditions.add(canonicalCondition(condition));
      }
      if (d === 'allowed') {
        covered.push(r);
        continue;
      }
      const reason: AddedReason =
        d === 'conditional' ? 'conditional-today' : used ? 'observed-not-granted' : 'implied-not-granted';
      exceptions.push({ action, resource: r, reason });
      const list = uncovered.get(reason) ?? [];
      list.push(r);
      uncovered.set(reason, list);
    }
    for (const [reason, list] of [...uncovered].sort((a, b) => cmp(a[0], b[0]))) {
      added.push({ ...ref, resources: list, reason, evidence });
    }
    const g = granted.get(action);
    if (covered.length === 0 && g) {
      // Granted today on other resources only: those grants go away (the action's new resources
      // are listed as added).
      removedButAdded.add(action);
    }
    if (covered.length > 0) {
      const from = [
        ...new Set(
          (g?.statements ?? [])
            .filter(
              (s) => (!s.condition || sameConditions.has(canonicalCondition(s.condition))) && s.resources,
            )
            .flatMap((s) => s.resources ?? []),
        ),
      ].sort(cmp);
      const keys = [...conditionKeys].sort(cmp);
      if (g && (keys.length > 0 || !(from.length > 0 && sameSet(from, covered) && uncovered.size === 0))) {
        narrowed.push({
          ...ref,
          from,
          to: covered,
          ...(keys.length > 0 ? { conditionKeys: keys } : {}),
          grants: g.grants,
          evidence,
        });
      } else {
        kept.push({ ...ref, resources: covered, evidence });
      }
    }
    if (input.boundary) {
      const byWhy = new Map<BoundaryBlock['why'], string[]>();
      for (const r of resources) {
        const d = evaluate(input.boundary.statements, action, r);
        if (d === 'allowed') continue;
        const why = d === 'denied' ? 'deny' : d === 'conditional' ? 'conditional' : 'implicit';
        const list = byWhy.get(why) ?? [];
        list.push(r);
        byWhy.set(why, list);
      }
      for (const [why, list] of byWhy) boundaryBlocks.push({ action, resources: list, why });
    }
  }

  // 4. Removed: granted, not proposed, not kept as unobservable.
  const unobservable = new Set(carry.notObservable.map((e) => e.action));
  const removed: RemovedEntry[] = [];
  const boundaryAllows = (action: string) =>
    !input.boundary ||
    (input.boundary.statements.some((s) => s.effect === 'Allow' && statementMatchesAction(s, action)) &&
      evaluate(input.boundary.statements, action, '*') !== 'denied');
  for (const [action, g] of [...granted].sort((a, b) => cmp(a[0], b[0]))) {
    if ((proposed.has(action) && !removedButAdded.has(action)) || unobservable.has(action)) continue;
    removed.push({
      action,
      service: serviceOf(action),
      accessLevel: accessLevelOf(catalog.action(action)),
      grants: g.grants,
      ...(boundaryAllows(action) ? {} : { blockedByBoundary: true }),
    });
  }
  for (const [pattern, grants] of [...unknownGrants].sort((a, b) => cmp(a[0], b[0]))) {
    removed.push({ action: pattern, service: serviceOf(pattern), accessLevel: 'Unknown', grants });
  }

  // 5. Evidence: may removals be presented as safe?
  const refusals: Refusal[] = [];
  const minDays = input.minWindowDays ?? DEFAULT_MIN_WINDOW_DAYS;
  const { since, until } = input.window;
  const days = (until.getTime() - since.getTime()) / DAY;
  const created = input.current.createDate ? Date.parse(input.current.createDate) : NaN;
  const ageDays = Number.isNaN(created) ? Infinity : (until.getTime() - created) / DAY;
  const requiredDays = Math.min(minDays, Math.max(0, ageDays));
  if (days + 1e-9 < requiredDays) {
    refusals.push({
      code: 'short-window',
      message:
        `the window is ${round(days, 1)} days; removals need at least ${round(requiredDays, 1)} days of evidence ` +
        (ageDays < minDays ? `(the role's age)` : `(--min-window ${minDays}d)`) +
        `: widen --since`,
    });
  }
  if (input.partial) {
    refusals.push({
      code: 'partial-read',
      message: 'the read was partial (input skipped or not mapped, see the findings): unused may mean unseen',
    });
  }
  if (input.attributed === 0) {
    refusals.push({
      code: 'no-calls',
      message: `no call of ${input.target.display} was found in the trail and window: no data is not evidence of non-use`,
    });
  }
  const unknownCurrent = [
    ...input.current.unknown,
    ...input.identity.problems,
    ...(input.boundary?.problems ?? []),
  ];
  if (unknownCurrent.length > 0) {
    refusals.push({
      code: 'current-unknown',
      message: `today's policies are not fully known (${unknownCurrent.join('; ')}): the diff cannot say what is removed`,
    });
  }
  for (const r of refusals) {
    findings.push(
      finding('PT-THIN-EVIDENCE', r.code, 'warning', `removals are not shown as safe: ${r.message}`),
    );
  }
  if (input.coverage) {
    const startGap = (Date.parse(input.coverage.first) - since.getTime()) / DAY;
    const endGap = (until.getTime() - Date.parse(input.coverage.last)) / DAY;
    const covered = (Date.parse(input.coverage.last) - Date.parse(input.coverage.first)) / DAY;
    if (startGap > 1 || endGap > 1) {
      findings.push(
        finding(
          'PT-THIN-EVIDENCE',
          'coverage',
          'warning',
          `the events read span ${input.coverage.first} to ${input.coverage.last} (${round(covered, 1)} days) of a ` +
            `${round(days, 1)}-day window: check that the trail holds every day of the window before removing access`,
        ),
      );
    }
  }
  for (const arn of input.current.unknown) {
    findings.push(
      finding(
        'PT-CURRENT-UNKNOWN',
        arn,
        'warning',
        `the role has ${arn} attached, but the account state holds no document for it: its grants are unknown`,
      ),
    );
  }
  for (const p of [...input.identity.problems, ...(input.boundary?.problems ?? [])]) {
    findings.push(finding('PT-CURRENT-UNKNOWN', p.split(':')[0], 'warning', `invalid current policy: ${p}`));
  }

  // 6. Findings a reviewer must see.
  for (const a of added) {
    const what = `${a.action} on ${a.resources.join(', ')}`;
    if (a.reason === 'observed-not-granted') {
      findings.push(
        finding(
          'PT-NEW-ACCESS',
          a.action,
          'warning',
          `${what}: successful calls that today's policies would not allow; the function may be failing now, or the evidence is wrong: check before applying`,
        ),
      );
    } else if (a.reason === 'conditional-today') {
      findings.push(
        finding(
          'PT-NEW-ACCESS',
          a.action,
          'warning',
          `${what}: granted today only under a Condition; the proposal grants it without one`,
        ),
      );
    } else {
      findings.push(
        finding(
          'PT-NEW-ACCESS',
          a.action,
          'info',
          `${what}: the function's configuration needs it and no current policy grants it`,
        ),
      );
    }
  }
  for (const b of boundaryBlocks) {
    findings.push(
      finding(
        'PT-BOUNDARY-BLOCKS',
        b.action,
        'warning',
        `${b.action} on ${b.resources.join(', ')}: the proposal allows it, but the permissions boundary ${
          input.current.boundary?.ref.name ?? ''
        } ${b.why === 'deny' ? 'denies it' : b.why === 'conditional' ? 'allows it only conditionally' : 'does not allow it'}`,
      ),
    );
  }
  for (const g of carry.guardrails) {
    findings.push(
      finding(
        'PT-GUARDRAIL-CARRIED',
        `${g.policy}:${g.sid ?? `#${carry.guardrails.indexOf(g) + 1}`}`,
        'info',
        `explicit Deny ${g.sid ? `${g.sid} ` : ''}of ${g.policy} is carried into the proposal verbatim${
          g.proposedSid && g.proposedSid !== g.sid ? ` as Sid ${g.proposedSid}` : ''
        }`,
      ),
    );
  }
  const dropped = new Map<string, string[]>();
  for (const e of carry.notObservable.filter((x) => !x.kept)) {
    dropped.set(e.category, [...(dropped.get(e.category) ?? []), e.action]);
  }
  for (const [cat, actions] of dropped) {
    findings.push(
      finding(
        'PT-UNOBSERVABLE-DROPPED',
        cat,
        'warning',
        `--drop-unobservable: ${actions.join(', ')} removed although this trail cannot show whether they are used`,
      ),
    );
  }

  // 7. Counts and the text diff.
  const grantedActions = granted.size + unknownGrants.size;
  const usedActions = [...proposed.keys()].filter((a) =>
    evidenceOf(entriesBy.get(a) ?? []).origins.some((o) => USED_ORIGINS.has(o)),
  ).length;
  const counts = {
    grantedActions,
    usedActions,
    removedActions: removed.length + carry.notObservable.filter((x) => !x.kept).length,
    narrowedActions: narrowed.length,
    keptActions: kept.length,
    addedActions: new Set(added.map((a) => a.action)).size,
    notObservableActions: carry.notObservable.length,
    removedShare: 0,
  };
  counts.removedShare = grantedActions > 0 ? round(counts.removedActions / grantedActions, 4) : 0;

  const diff: PolicyDiff = {
    schemaVersion: 1,
    target: input.target,
    window: {
      since: since.toISOString(),
      until: until.toISOString(),
      days: round(days, 1),
      requiredDays: round(requiredDays, 1),
      ...(input.coverage ? { coverage: input.coverage } : {}),
    },
    current: {
      policies: input.current.identity.map((p) => p.ref),
      ...(input.current.boundary ? { boundary: input.current.boundary.ref } : {}),
      unknown: input.current.unknown,
    },
    counts,
    removed,
    narrowed,
    kept,
    added,
    notObservable: carry.notObservable,
    guardrails: carry.guardrails,
    boundaryBlocks,
    refusals,
    safeToRemove: refusals.length === 0,
    noNewAccess: { holds: exceptions.length === 0, exceptions },
    changed: counts.removedActions > 0 || narrowed.length > 0 || added.length > 0,
    textDiff: textDiff(input.current, input.proposal, input.proposalNames),
  };
  return { diff, findings: mergeFindings(findings) };
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 } as const;

/** One finding per id (the same action added for two reasons): messages joined, worst severity. */
function mergeFindings(list: readonly Finding[]): Finding[] {
  const byId = new Map<string, Finding>();
  for (const f of list) {
    const old = byId.get(f.id);
    if (!old) byId.set(f.id, { ...f });
    else {
      old.message = `${old.message}; ${f.message}`;
      old.count += f.count;
      if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[old.severity]) old.severity = f.severity;
    }
  }
  return [...byId.values()].sort((a, b) => cmp(a.id, b.id));
}
