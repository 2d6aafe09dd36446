/**
 * IAM statement merging, after the AWS CDK's `merge-statements.ts` (docs/generation.md).
 *
 * Two statements merge when
 * - their Effect is the same (always Allow here), they have no Not* element (the generator emits
 *   none), their Conditions are equal (or both absent), and they are of the same kind (observed,
 *   or denied calls added by `includeDenied`: those stay apart so that a reviewer sees them), and
 * - their Action sets are equal (the merged statement has the union of the Resources), or their
 *   Resource sets are equal (the union of the Actions).
 * Both merges allow exactly the union of what the two statements allowed: merging never widens.
 * (Two statements whose Action sets and Resource sets both differ never merge: `{a1}×{r1}` and
 * `{a2}×{r2}` combined would also allow `a1` on `r2`.)
 *
 * Merging repeats to a fixpoint: a merge can make two other statements' sets equal. Each pass
 * groups by resource set, then by action set; passes stop when nothing changed. Provenance is
 * kept: a merged statement carries the origins of all its parts (CDK's `originsMap`).
 */
import { conditionKey } from './conditions';
import type { DraftStatement } from './types';

function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
  return Array.from(new Set([...a, ...b])).sort();
}

function mergeBy(statements: DraftStatement[], keyOf: (s: DraftStatement) => string): DraftStatement[] {
  const groups = new Map<string, DraftStatement>();
  for (const s of statements) {
    const k = `${s.denied ? 'D' : 'O'}\n${conditionKey(s.condition)}\n${keyOf(s)}`;
    const old = groups.get(k);
    if (!old)
      groups.set(k, { ...s, actions: [...s.actions], resources: [...s.resources], origins: [...s.origins] });
    else {
      old.actions = sortedUnion(old.actions, s.actions);
      old.resources = sortedUnion(old.resources, s.resources);
      old.origins = old.origins.concat(s.origins);
    }
  }
  return Array.from(groups.values());
}

/** Can `a` and `b` merge (see the file header)? */
export function canMerge(a: DraftStatement, b: DraftStatement): boolean {
  return (
    a.denied === b.denied &&
    conditionKey(a.condition) === conditionKey(b.condition) &&
    (a.actions.join('\n') === b.actions.join('\n') || a.resources.join('\n') === b.resources.join('\n'))
  );
}

/**
 * Merges statements to a fixpoint (see the file header). Inputs must have sorted, deduplicated
 * actions and resources; the output does too. Order of the output is unspecified.
 */
export function mergeStatements(statements: readonly DraftStatement[]): DraftStatement[] {
  let current = [...statements];
  for (;;) {
    const next = mergeBy(
      mergeBy(current, (s) => s.resources.join('\n')),
      (s) => s.actions.join('\n'),
    );
    if (next.length === current.length) return next;
    current = next;
  }
}
