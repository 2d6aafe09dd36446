import { MAX_SAMPLES } from '../model';
import type {
  Finding,
  PermissionOrigin,
  RequiredPermission,
  RunStats,
  TrailEvent,
  UsageAggregate,
  UsageEntry,
} from '../model';

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
    sessionNames: {},
    dataEventSources: {},
  };
}

/** Keeps the smallest `MAX_SAMPLES` distinct ids: the result does not depend on input order. */
export function mergeSamples(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return a as string[];
  const all = Array.from(new Set([...a, ...b])).sort();
  return all.length > MAX_SAMPLES ? all.slice(0, MAX_SAMPLES) : all;
}

function sortedUnion<T extends string>(a: readonly T[], b: readonly T[]): T[] {
  for (const x of b) if (!a.includes(x)) return Array.from(new Set([...a, ...b])).sort();
  return a as T[];
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
  extra?: { wildcardReason?: string; note?: string },
): void {
  const k = key(action, resource);
  const e = into[k];
  if (!e) {
    into[k] = {
      action,
      resource,
      count: 1,
      firstSeen: event.eventTime,
      lastSeen: event.eventTime,
      regions: event.awsRegion ? [event.awsRegion] : [],
      sampleEventIds: [event.eventId],
      origins: [origin],
      ...(extra?.wildcardReason ? { wildcardReason: extra.wildcardReason } : {}),
      notes: extra?.note ? [extra.note] : [],
    };
    return;
  }
  e.count++;
  if (event.eventTime < e.firstSeen) e.firstSeen = event.eventTime;
  if (event.eventTime > e.lastSeen) e.lastSeen = event.eventTime;
  if (event.awsRegion) e.regions = sortedUnion(e.regions, [event.awsRegion]);
  e.sampleEventIds = mergeSamples(e.sampleEventIds, [event.eventId]);
  e.origins = sortedUnion(e.origins, [origin]);
  if (extra?.wildcardReason && (!e.wildcardReason || extra.wildcardReason < e.wildcardReason)) {
    e.wildcardReason = extra.wildcardReason;
  }
  if (extra?.note) e.notes = sortedUnion(e.notes, [extra.note]);
}

/** Records that `event` needed `permission`. */
export function addPermission(agg: UsageAggregate, permission: RequiredPermission, event: TrailEvent): void {
  addEntry(agg.entries, permission.action, permission.resource, permission.origin, event, permission);
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

function mergeEntries(into: Record<string, UsageEntry>, from: Record<string, UsageEntry>): void {
  for (const [k, e] of Object.entries(from)) {
    const t = into[k];
    if (!t) {
      into[k] = { ...e };
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
  for (const f of Object.values(from.findings)) addFinding(into, f);
  addCounts(into.sessionNames, from.sessionNames);
  addCounts(into.dataEventSources, from.dataEventSources);
  return into;
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
    sessionNames: sortRecord(agg.sessionNames),
    dataEventSources: sortRecord(agg.dataEventSources),
  };
}
