/**
 * The account aggregate (model AccountAggregate): one principal's UsageAggregate per role or IAM
 * user, its sessions, Lambda invocations and activity per day, merged like UsageAggregate:
 * associative and commutative, so files read in any order give the same result. Pure.
 */
import { MAX_SESSION_ACTIONS } from '../model';
import type {
  AccountAggregate,
  InvocationActivity,
  Observation,
  PrincipalActivity,
  SessionActivity,
  TrailEvent,
  UsageAggregate,
} from '../model';
import { canonicalAggregate, emptyAggregate, isSortedSet, mergeAggregate } from './aggregate';

export function emptyAccountAggregate(): AccountAggregate {
  return { base: emptyAggregate(), principals: {}, invocations: {}, days: {} };
}

/** The principal's activity, created empty on first use. */
export function principalActivity(agg: AccountAggregate, key: string): PrincipalActivity {
  return (agg.principals[key] ??= { usage: emptyAggregate(), sessions: {} });
}

function unionCapped(a: readonly string[], b: readonly string[]): string[] {
  // The hot case: a list this function made, that already holds every action of the call.
  if (b.every((x) => a.includes(x)) && isSortedSet(a, MAX_SESSION_ACTIONS)) return a as string[];
  const all = Array.from(new Set([...a, ...b])).sort();
  return all.length > MAX_SESSION_ACTIONS ? all.slice(0, MAX_SESSION_ACTIONS) : all;
}

function widen<T extends { count: number; firstSeen: string; lastSeen: string }>(into: T, from: T): void {
  into.count += from.count;
  if (from.firstSeen < into.firstSeen) into.firstSeen = from.firstSeen;
  if (from.lastSeen > into.lastSeen) into.lastSeen = from.lastSeen;
}

/**
 * Counts a call of session `name` at `time` that used `actions` (successful calls only); a
 * grouped row (`observed`) counts as the calls it stands for.
 */
export function addSessionCall(
  p: PrincipalActivity,
  name: string,
  time: string,
  actions: readonly string[],
  observed?: Observation,
): void {
  const s = p.sessions[name];
  const count = observed?.count ?? 1;
  const first = observed?.firstSeen ?? time;
  const last = observed?.lastSeen ?? time;
  if (!s) {
    const call: SessionActivity = {
      count,
      firstSeen: first,
      lastSeen: last,
      actions: unionCapped([], actions),
    };
    p.sessions[name] = call;
  } else {
    s.count += count;
    if (first < s.firstSeen) s.firstSeen = first;
    if (last > s.lastSeen) s.lastSeen = last;
    if (actions.length > 0) s.actions = unionCapped(s.actions, actions);
  }
}

/** Counts a Lambda `Invoke` data event of `key` (`region:name`), or the calls a grouped row stands for. */
export function addInvocation(agg: AccountAggregate, key: string, event: TrailEvent): void {
  const one: InvocationActivity = {
    count: event.observed?.count ?? 1,
    firstSeen: event.observed?.firstSeen ?? event.eventTime,
    lastSeen: event.observed?.lastSeen ?? event.eventTime,
  };
  const old = agg.invocations[key];
  if (!old) agg.invocations[key] = one;
  else widen(old, one);
}

/** Counts `n` attributed calls on the UTC day of `time`. */
export function addDay(agg: AccountAggregate, time: string, n = 1): void {
  const day = time.slice(0, 10);
  agg.days[day] = (agg.days[day] ?? 0) + n;
}

/** Merges `from` into `into` (mutating `into`); see the file header. */
export function mergeAccountAggregate(into: AccountAggregate, from: AccountAggregate): AccountAggregate {
  mergeAggregate(into.base, from.base);
  for (const [key, p] of Object.entries(from.principals)) {
    const t = principalActivity(into, key);
    mergeAggregate(t.usage, p.usage);
    for (const [name, s] of Object.entries(p.sessions)) {
      const old = t.sessions[name];
      if (!old) t.sessions[name] = { ...s, actions: [...s.actions] };
      else {
        widen(old, s);
        old.actions = unionCapped(old.actions, s.actions);
      }
    }
  }
  for (const [key, inv] of Object.entries(from.invocations)) {
    const old = into.invocations[key];
    if (!old) into.invocations[key] = { ...inv };
    else widen(old, inv);
  }
  for (const [day, n] of Object.entries(from.days)) into.days[day] = (into.days[day] ?? 0) + n;
  return into;
}

function sorted<T>(r: Record<string, T>, map: (v: T) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort()) out[k] = map(r[k]);
  return out;
}

/** The account aggregate with every map in sorted key order: canonical and serialisable. */
export function canonicalAccountAggregate(agg: AccountAggregate): AccountAggregate {
  return {
    base: canonicalAggregate(agg.base),
    principals: sorted(agg.principals, (p: PrincipalActivity) => ({
      usage: canonicalAggregate(p.usage as UsageAggregate),
      sessions: sorted(p.sessions, (s) => ({ ...s, actions: [...s.actions] })),
    })),
    invocations: sorted(agg.invocations, (i) => ({ ...i })),
    days: sorted(agg.days, (n) => n),
  };
}
