/**
 * Conditions where the evidence is uniform (docs/generation.md, "Conditions").
 *
 * A usage entry's calls carry condition-key values (UsageEntry.context, from
 * analyze/conditions.ts): `kms:ViaService` of KMS calls a service made on the function's behalf,
 * `s3:prefix` of listings. A statement is conditioned on a key only when
 * - every call of the entry carried the key (`seen` = `count`) and no value was dropped, and
 * - nothing else needs the permission: an entry the function's configuration implies (never in
 *   CloudTrail, so its context is unknown) gets no condition.
 * Otherwise the permission stays unconditioned and, when some calls carried the key, an info
 * finding (PT-CONDITION-MIXED) says why no condition was written.
 *
 * Values: `kms:ViaService` exactly as seen (`StringEquals`, validated service host names).
 * `s3:prefix` as a `StringLike` pattern, escaped (`${*}`, `${?}`, `${$}`) and generalised like
 * object keys at the `prefix` granularity (`reports/2026-11-02/` → `reports/*`); at `type`
 * granularity (the whole bucket) no prefix condition; a pattern that would match every prefix
 * (`*`) is no condition either.
 */
import { conditionKeySpec } from '../analyze/conditions';
import { escapeIamLiteral } from '../analyze/validate';
import type { Finding, UsageEntry } from '../model';
import { generalizeObjectKeys } from './generalize';
import type { Granularity, StatementCondition } from './types';

/** The condition of one usage entry, and findings about keys left out. */
export interface EntryCondition {
  condition?: StatementCondition;
  findings: Finding[];
}

function mixed(e: UsageEntry, key: string, why: string, count: number): Finding {
  return {
    id: `PT-CONDITION-MIXED[${key} ${e.action}]`,
    code: 'PT-CONDITION-MIXED',
    severity: 'info',
    message: `${e.action}: no ${key} condition, because ${why}`,
    count,
    sampleEventIds: e.sampleEventIds,
  };
}

/** The condition for `e` at `granularity` (see the file header). */
export function conditionOfEntry(e: UsageEntry, granularity: Granularity): EntryCondition {
  const findings: Finding[] = [];
  if (!e.context) return { findings };
  const out: StatementCondition = {};
  for (const key of Object.keys(e.context).sort()) {
    const ev = e.context[key];
    const spec = conditionKeySpec(key);
    if (!spec || ev.seen === 0) continue;
    if (e.origins.includes('implied-by-config')) {
      findings.push(mixed(e, key, "the function's configuration also needs it, outside any call", 1));
      continue;
    }
    if (ev.seen < e.count) {
      findings.push(
        mixed(
          e,
          key,
          `${e.count - ev.seen} of its ${e.count} calls did not carry the key`,
          e.count - ev.seen,
        ),
      );
      continue;
    }
    if (ev.overflow) {
      findings.push(mixed(e, key, 'its calls carried too many distinct values to list', e.count));
      continue;
    }
    let values = ev.values;
    if (spec.generalize === 'object-key') {
      if (granularity === 'type') continue;
      const escaped = values.map(escapeIamLiteral);
      values = granularity === 'prefix' ? generalizeObjectKeys(escaped) : escaped;
      if (values.includes('*')) continue;
    }
    (out[spec.operator] ??= {})[key] = [...new Set(values)].sort();
  }
  return Object.keys(out).length > 0 ? { condition: sortCondition(out), findings } : { findings };
}

/** The condition with operators and keys in sorted order (canonical form). */
export function sortCondition(c: StatementCondition): StatementCondition {
  const out: StatementCondition = {};
  for (const op of Object.keys(c).sort()) {
    out[op] = {};
    for (const k of Object.keys(c[op]).sort()) out[op][k] = c[op][k];
  }
  return out;
}

/** A stable text key of a condition ('' for none): drafts merge only with equal keys. */
export function conditionKey(c: StatementCondition | undefined): string {
  return c ? JSON.stringify(c) : '';
}
