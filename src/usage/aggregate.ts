import { MAX_CONTEXT_VALUES, MAX_SAMPLES } from '../model';
import type {
  ContextEvidence,
  Correlation,
  Finding,
  PendingEntry,
  PermissionOrigin,
  RequiredPermission,
  RunStats,
  TrailEvent,
  UsageAggregate,
  UsageEntry,
} from '../model';
import { weightOf } from '../model';

/** A fresh, empty set of counters. */
export function emptyStats(): RunStats {
  return {
    filesRead: 0,
    filesSkipped: 0,
    filesOutsideWindow: 0,
    filesIgnored: 0,
    eventsRead: 0,
    malformedEvents: 0,
    eventsOutsideWindow: 0,
    attributed: 0,
    mapped: 0,
    excludedFailed: 0,
    denied: 0,
    unmapped: 0,
    noPermissionNeeded: 0,
    rejected: 0,
    otherFunctionEvents: 0,
  };
}

/** A fresh, empty aggregate. */
export function emptyAggregate(): UsageAggregate {
  return {
    stats: emptyStats(),
    entries: {},
    denied: {},
    findings: {},
    roleSessions: {},
    attributedRoles: {},
    lambdaSessions: {},
    dataEventSources: {},
    pending: {},
    correlations: {},
  };
}

/** Keeps the smallest `MAX_SAMPLES` distinct ids: the result does not depend on input order. */
export function mergeSamples(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return a as string[];
  // The hot case, one id into a list this function made: a sorted insert, no Set, no sort.
  if (b.length === 1 && isSortedSet(a, MAX_SAMPLES)) return insertSorted(a, b[0], MAX_SAMPLES);
  const all = Array.from(new Set([...a, ...b])).sort();
  return all.length > MAX_SAMPLES ? all.slice(0, MAX_SAMPLES) : all;
}

/** Is `a` strictly ascending (so distinct) and at most `max` long: what mergeSamples returns? */
export function isSortedSet(a: readonly string[], max: number): boolean {
  if (a.length > max) return false;
  for (let i = 1; i < a.length; i++) if (!(a[i - 1] < a[i])) return false;
  return true;
}

/**
 * `Array.from(new Set([...a, x])).sort().slice(0, max)` for a sorted set `a` (isSortedSet):
 * `a` itself when `x` is in it or sorts after a full list, else a new list.
 */
export function insertSorted(a: readonly string[], x: string, max: number): string[] {
  let i = 0;
  while (i < a.length && a[i] < x) i++;
  if (a[i] === x || i >= max) return a as string[];
  const out = [...a.slice(0, i), x, ...a.slice(i)];
  return out.length > max ? out.slice(0, max) : out;
}

function sortedUnion<T extends string>(a: readonly T[], b: readonly T[]): T[] {
  for (const x of b) if (!a.includes(x)) return Array.from(new Set([...a, ...b])).sort();
  return a as T[];
}

/**
 * Merges condition-key evidence: values united (the smallest MAX_CONTEXT_VALUES kept, so the
 * result does not depend on order), calls that carried the key summed.
 */
export function mergeContext(
  a: Record<string, ContextEvidence> | undefined,
  b: Record<string, ContextEvidence> | undefined,
): Record<string, ContextEvidence> | undefined {
  if (!b) return a;
  if (!a) a = {};
  for (const [k, ev] of Object.entries(b)) {
    const old = a[k];
    if (!old) {
      a[k] = { ...ev, values: [...ev.values] };
      continue;
    }
    const all = sortedUnion(old.values, ev.values);
    old.seen += ev.seen;
    if (all.length > MAX_CONTEXT_VALUES || ev.overflow || old.overflow) old.overflow = true;
    old.values = all.length > MAX_CONTEXT_VALUES ? all.slice(0, MAX_CONTEXT_VALUES) : all;
  }
  const keys = Object.keys(a);
  if (keys.every((k, i) => i === 0 || keys[i - 1] < k)) return a;
  const sorted: Record<string, ContextEvidence> = {};
  for (const k of keys.sort()) sorted[k] = a[k];
  return sorted;
}

/** The evidence of one event's condition-key values (`calls` identical calls). */
function contextOfCall(
  context: Record<string, string> | undefined,
  calls: number,
): Record<string, ContextEvidence> | undefined {
  if (!context) return undefined;
  const out: Record<string, ContextEvidence> = {};
  for (const [k, v] of Object.entries(context)) out[k] = { values: [v], seen: calls };
  return out;
}

function key(action: string, resource: string): string {
  return `${action} ${resource}`;
}

function addEntry(
  into: Record<string, UsageEntry>,
  action: string,
  resource: string,
  origin: PermissionOrigin,
  event: TrailEvent,
  extra?: { wildcardReason?: string; note?: string; context?: Record<string, string> },
): void {
  const k = key(action, resource);
  const e = into[k];
  const calls = weightOf(event);
  const context = contextOfCall(extra?.context, calls);
  const first = event.observed?.firstSeen ?? event.eventTime;
  const last = event.observed?.lastSeen ?? event.eventTime;
  const samples = event.observed ? mergeSamples([], event.observed.sampleEventIds) : [event.eventId];
  if (!e) {
    into[k] = {
      action,
      resource,
      count: calls,
      firstSeen: first,
      lastSeen: last,
      regions: event.awsRegion ? [event.awsRegion] : [],
      sampleEventIds: samples,
      origins: [origin],
      ...(extra?.wildcardReason ? { wildcardReason: extra.wildcardReason } : {}),
      notes: extra?.note ? [extra.note] : [],
      ...(context ? { context } : {}),
    };
    return;
  }
  e.count += calls;
  if (context) e.context = mergeContext(e.context, context);
  if (first < e.firstSeen) e.firstSeen = first;
  if (last > e.lastSeen) e.lastSeen = last;
  if (event.awsRegion) e.regions = sortedUnion(e.regions, [event.awsRegion]);
  e.sampleEventIds = mergeSamples(e.sampleEventIds, samples);
  e.origins = sortedUnion(e.origins, [origin]);
  if (extra?.wildcardReason && (!e.wildcardReason || extra.wildcardReason < e.wildcardReason)) {
    e.wildcardReason = extra.wildcardReason;
  }
  if (extra?.note) e.notes = sortedUnion(e.notes, [extra.note]);
}

/**
 * Records that `event` needed `permission`. A permission whose resource another event names
 * (`correlationKey`) waits in `pending` until resolveCorrelations.
 */
export function addPermission(agg: UsageAggregate, permission: RequiredPermission, event: TrailEvent): void {
  if (permission.correlationKey) {
    // Keyed by the correlation key (in the resource slot) until the resource is known.
    addEntry(agg.pending, permission.action, permission.correlationKey, permission.origin, event, permission);
    const pending = agg.pending[key(permission.action, permission.correlationKey)] as PendingEntry;
    pending.correlationKey = permission.correlationKey;
    pending.resource = permission.resource;
    return;
  }
  addEntry(agg.entries, permission.action, permission.resource, permission.origin, event, permission);
}

/**
 * Records a permission the principal's configuration implies (never in CloudTrail). It counts no
 * event: an entry made only of implied needs has count 0 and empty first/last seen.
 */
export function addImpliedPermission(
  agg: UsageAggregate,
  permission: RequiredPermission,
  region: string,
): void {
  const k = key(permission.action, permission.resource);
  const e = agg.entries[k];
  if (!e) {
    agg.entries[k] = {
      action: permission.action,
      resource: permission.resource,
      count: 0,
      firstSeen: '',
      lastSeen: '',
      regions: region ? [region] : [],
      sampleEventIds: [],
      origins: [permission.origin],
      ...(permission.wildcardReason ? { wildcardReason: permission.wildcardReason } : {}),
      notes: permission.note ? [permission.note] : [],
    };
    return;
  }
  if (region) e.regions = sortedUnion(e.regions, [region]);
  e.origins = sortedUnion(e.origins, [permission.origin]);
  if (permission.note) e.notes = sortedUnion(e.notes, [permission.note]);
}

/** Records a resource that an event makes known to later events (Athena query → workgroup). */
export function addCorrelation(agg: UsageAggregate, correlation: Correlation): void {
  const old = agg.correlations[correlation.key];
  // A key names one resource; should a forged trail disagree, the smallest wins (deterministic).
  if (old === undefined || correlation.resource < old)
    agg.correlations[correlation.key] = correlation.resource;
}

/**
 * Gives each pending permission the resource its correlation key names, once every file is
 * merged. What stays unknown keeps `*` and becomes a PT-UNRESOLVED-RESOURCE finding.
 */
export function resolveCorrelations(agg: UsageAggregate): void {
  for (const p of Object.values(agg.pending)) {
    const resource = agg.correlations[p.correlationKey];
    const { correlationKey, ...entry } = p;
    void correlationKey;
    const resolved: UsageEntry = resource ? { ...entry, resource } : { ...entry, resource: '*' };
    if (resource) delete resolved.wildcardReason;
    mergeEntries(agg.entries, { [key(resolved.action, resolved.resource)]: resolved });
    if (!resource) {
      addFinding(agg, {
        id: `PT-UNRESOLVED-RESOURCE[${p.action}]`,
        code: 'PT-UNRESOLVED-RESOURCE',
        severity: 'warning',
        message: `${p.action} is allowed on "*": ${p.wildcardReason ?? 'its resource is named by an event outside the trail'}`,
        count: p.count,
        sampleEventIds: p.sampleEventIds,
      });
    }
  }
  agg.pending = {};
}

/** Distinct session names kept per role (a bound for roles that humans assume). */
export const MAX_SESSIONS_PER_ROLE = 100;

/** Counts an event of `session` on `role`; past MAX_SESSIONS_PER_ROLE names only known names count. */
export function addRoleSession(agg: UsageAggregate, role: string, session: string, n = 1): void {
  let sessions = agg.roleSessions[role];
  if (!sessions) agg.roleSessions[role] = sessions = {};
  if (sessions[session] !== undefined) sessions[session] += n;
  else if (Object.keys(sessions).length < MAX_SESSIONS_PER_ROLE) sessions[session] = n;
}

/** Records a denied call (the principal tried it and lacks it). */
export function addDenied(agg: UsageAggregate, permission: RequiredPermission, event: TrailEvent): void {
  addEntry(agg.denied, permission.action, permission.resource, permission.origin, event, permission);
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 } as const;

/** Adds a finding, counting repeats of the same id. */
export function addFinding(agg: UsageAggregate, finding: Finding): void {
  const f = agg.findings[finding.id];
  if (!f) {
    agg.findings[finding.id] = { ...finding, sampleEventIds: mergeSamples([], finding.sampleEventIds) };
    return;
  }
  f.count += finding.count;
  f.sampleEventIds = mergeSamples(f.sampleEventIds, finding.sampleEventIds);
  // Order-independent: the same findings in any order give the same message and severity.
  if (finding.message < f.message) f.message = finding.message;
  if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[f.severity]) f.severity = finding.severity;
}

function mergeEntries<T extends UsageEntry>(into: Record<string, T>, from: Record<string, T>): void {
  for (const [k, e] of Object.entries(from)) {
    const t = into[k];
    if (!t) {
      into[k] = { ...e, ...(e.context ? { context: mergeContext(undefined, e.context) } : {}) };
      continue;
    }
    t.count += e.count;
    if (e.firstSeen < t.firstSeen) t.firstSeen = e.firstSeen;
    if (e.lastSeen > t.lastSeen) t.lastSeen = e.lastSeen;
    t.regions = sortedUnion(t.regions, e.regions);
    t.sampleEventIds = mergeSamples(t.sampleEventIds, e.sampleEventIds);
    t.origins = sortedUnion(t.origins, e.origins);
    t.notes = sortedUnion(t.notes, e.notes);
    if (e.wildcardReason && (!t.wildcardReason || e.wildcardReason < t.wildcardReason))
      t.wildcardReason = e.wildcardReason;
    if (e.context) t.context = mergeContext(t.context, e.context);
  }
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/**
 * Merges `from` into `into` (mutating `into`). Associative and commutative up to key order, so
 * aggregates of files read in any order (or by parallel workers) merge into the same result.
 */
export function mergeAggregate(into: UsageAggregate, from: UsageAggregate): UsageAggregate {
  for (const k of Object.keys(from.stats) as (keyof RunStats)[]) into.stats[k] += from.stats[k];
  mergeEntries(into.entries, from.entries);
  mergeEntries(into.denied, from.denied);
  mergeEntries(into.pending, from.pending);
  for (const [k, resource] of Object.entries(from.correlations)) addCorrelation(into, { key: k, resource });
  for (const f of Object.values(from.findings)) addFinding(into, f);
  for (const [role, sessions] of Object.entries(from.roleSessions)) {
    for (const [session, n] of Object.entries(sessions)) addRoleSession(into, role, session, n);
  }
  addCounts(into.dataEventSources, from.dataEventSources);
  addCounts(into.attributedRoles, from.attributedRoles);
  for (const [role, sessions] of Object.entries(from.lambdaSessions)) {
    addCounts((into.lambdaSessions[role] ??= {}), sessions);
  }
  if (from.coverage) {
    addCoverage(into, from.coverage.first);
    addCoverage(into, from.coverage.last);
  }
  return into;
}

/** Widens the aggregate's coverage (first/last eventTime read in the window) to `time`. */
export function addCoverage(agg: UsageAggregate, time: string): void {
  if (!agg.coverage) agg.coverage = { first: time, last: time };
  else {
    if (time < agg.coverage.first) agg.coverage.first = time;
    if (time > agg.coverage.last) agg.coverage.last = time;
  }
}

function sortRecord<T>(r: Record<string, T>, map: (v: T) => T = (v) => v): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort()) out[k] = map(r[k]);
  return out;
}

/** The aggregate with every map in sorted key order: a canonical, serialisable form. */
export function canonicalAggregate(agg: UsageAggregate): UsageAggregate {
  return {
    stats: { ...agg.stats },
    entries: sortRecord(agg.entries),
    denied: sortRecord(agg.denied),
    findings: sortRecord(agg.findings),
    roleSessions: sortRecord(agg.roleSessions, (s) => sortRecord(s)),
    attributedRoles: sortRecord(agg.attributedRoles),
    lambdaSessions: sortRecord(agg.lambdaSessions, (s) => sortRecord(s)),
    dataEventSources: sortRecord(agg.dataEventSources),
    pending: sortRecord(agg.pending),
    correlations: sortRecord(agg.correlations),
    ...(agg.coverage ? { coverage: { ...agg.coverage } } : {}),
  };
}
