/**
 * The detector PT-AUDIT-ENV-SECRET runs: secret references and KMS ciphertext set aside, then
 * policy-tighten's rules (patterns.ts) and, when given, a maintained detector (secretlint, through
 * the adapter in secretlint.ts) over the rest; hits merged per variable and rule, sorted. Pure
 * apart from the maintained detector's own work.
 */
import { isSecretReference } from './benign';
import { nameHits, shapeHits } from './patterns';
import type { EnvVariable, SecretDetector, SecretHit, SecretKind } from './types';

/** The kinds that are critical: they grant access by themselves. */
export const CRITICAL_KINDS: ReadonlySet<SecretKind> = new Set(['aws-secret-access-key', 'private-key']);

/** A function's variables from its raw configuration (`Environment.Variables`), sorted by name. */
export function environmentOf(config: Record<string, unknown>): EnvVariable[] {
  const env = config.Environment;
  if (!env || typeof env !== 'object') return [];
  const vars = (env as Record<string, unknown>).Variables;
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) return [];
  return Object.entries(vars as Record<string, unknown>)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function compareHits(a: SecretHit, b: SecretHit): number {
  return a.variable < b.variable
    ? -1
    : a.variable > b.variable
      ? 1
      : a.rule < b.rule
        ? -1
        : a.rule > b.rule
          ? 1
          : 0;
}

/** Our rules alone (tests, and the base of every detector). */
export const BUILTIN_DETECTOR: SecretDetector = {
  name: 'policy-tighten',
  scan: (variables) => scanWith(variables, undefined) as SecretHit[],
};

/**
 * Our rules plus `extra` (the maintained detector) over `variables`; references and ciphertext
 * are never given to either.
 */
export function scanWith(
  variables: readonly EnvVariable[],
  extra: SecretDetector | undefined,
): SecretHit[] | Promise<SecretHit[]> {
  const candidates = variables.filter((v) => isSecretReference(v.name, v.value) === undefined);
  const own = [...shapeHits(candidates), ...nameHits(candidates)];
  if (!extra || candidates.length === 0) return merge(own);
  const more = extra.scan(candidates);
  return more instanceof Promise ? more.then((m) => merge([...own, ...m])) : merge([...own, ...more]);
}

function merge(hits: SecretHit[]): SecretHit[] {
  const seen = new Map<string, SecretHit>();
  for (const h of hits) seen.set(`${h.variable}\u0000${h.rule}`, h);
  return [...seen.values()].sort(compareHits);
}

/** A detector of our rules and `maintained` (e.g. the secretlint adapter). */
export function combinedDetector(maintained: SecretDetector): SecretDetector {
  return {
    name: `policy-tighten + ${maintained.name}`,
    scan: (variables) => scanWith(variables, maintained),
  };
}
