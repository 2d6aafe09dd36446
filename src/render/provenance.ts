import type { Finding, RunStats, UsageEntry } from '../model';
import { renderCanonicalJson } from './json';

/** What `--provenance-out` writes: why each permission is in the policy. */
export interface ProvenanceInput {
  target: string;
  window: { since?: string; until?: string };
  stats: RunStats;
  entries: readonly UsageEntry[];
  denied: readonly UsageEntry[];
  findings: readonly Finding[];
  /** Per statement Sid, the observed calls it allows (generatePolicies' origins). */
  statements?: Readonly<Record<string, readonly { action: string; resource: string; denied: boolean }[]>>;
}

function byActionResource(
  a: { action: string; resource: string },
  b: { action: string; resource: string },
): number {
  const ka = `${a.action} ${a.resource}`;
  const kb = `${b.action} ${b.resource}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Canonical JSON of every permission's evidence: count, first and last seen, regions, sample
 * event ids, origins (observed, on-behalf, implied-by-config …) and notes. Deterministic: no
 * clock, sorted, keys in a fixed order.
 */
export function renderProvenanceJson(input: ProvenanceInput): string {
  const entry = (e: UsageEntry) => ({
    action: e.action,
    resource: e.resource,
    count: e.count,
    firstSeen: e.firstSeen || null,
    lastSeen: e.lastSeen || null,
    regions: e.regions,
    origins: e.origins,
    sampleEventIds: e.sampleEventIds,
    ...(e.notes.length ? { notes: e.notes } : {}),
    ...(e.wildcardReason ? { wildcardReason: e.wildcardReason } : {}),
  });
  return renderCanonicalJson({
    target: input.target,
    window: input.window,
    stats: input.stats,
    permissions: [...input.entries].sort(byActionResource).map(entry),
    denied: [...input.denied].sort(byActionResource).map(entry),
    findings: [...input.findings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    // Which observed calls each statement of the policy is there for (Sid → action + resource).
    statements: Object.fromEntries(
      Object.entries(input.statements ?? {}).map(([sid, calls]) => [
        sid,
        calls
          .map((c) => ({ action: c.action, resource: c.resource, ...(c.denied ? { denied: true } : {}) }))
          .sort(byActionResource),
      ]),
    ),
  });
}
