/**
 * A small IAM evaluator for the diff: does a set of identity-policy statements allow an action on
 * a resource, or on every resource a pattern matches? Pure.
 *
 * - Actions match case-insensitively with IAM wildcards; `NotAction` matches what it does not list.
 * - Resources match case-sensitively with IAM wildcards; a resource *pattern* (the proposal's
 *   `…:log-group:/aws/lambda/x:*`) is allowed only when the grant's pattern includes all of it
 *   (glob inclusion, src/iam/glob.ts); `NotResource` grants what it does not exclude.
 * - Explicit Deny wins over any Allow. A Deny that covers only part of the pattern, or has a
 *   Condition, makes the result `conditional`, never `allowed` or `denied`.
 * - A Condition, or a policy variable such as `${aws:username}` in a Resource, is never ignored:
 *   the grant counts as `conditional` (it holds only in some requests), unless the request is
 *   itself made under the same Condition (`options.condition`, a conditioned proposal).
 *
 * It does not evaluate resource policies, SCPs or session policies: the diff compares identity
 * policies, which is what the proposal replaces.
 */
import { globSubset, globsIntersect } from '../iam/glob';
import { statementMatchesAction } from './expand';
import type { ParsedStatement } from './parse-policy';

export type Decision =
  /** An unconditional Allow covers it and no Deny touches it. */
  | 'allowed'
  /** Allowed only under a Condition or policy variable, or partly denied. */
  | 'conditional'
  /** An unconditional explicit Deny covers it. */
  | 'denied'
  /** No statement allows it. */
  | 'implicit';

export interface EvaluateOptions {
  /** Leave Deny statements out (the diff carries them into the proposal, so they cancel out). */
  ignoreDeny?: boolean;
  /**
   * The request is itself made under this Condition (a conditioned statement of the proposal):
   * an Allow with the same Condition covers it as if unconditional.
   */
  condition?: Record<string, Record<string, unknown>>;
}

/** Canonical text of a Condition: operators, keys (case-insensitive) and values sorted. */
export function canonicalCondition(c: Record<string, Record<string, unknown>>): string {
  return JSON.stringify(
    Object.keys(c)
      .sort()
      .map((op) => [
        op,
        Object.entries(c[op])
          .map(([k, v]) => [k.toLowerCase(), (Array.isArray(v) ? v : [v]).map(String).sort()] as const)
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      ]),
  );
}

/** A policy variable; IAM's escapes `${*}`, `${?}`, `${$}` are literal characters, not variables. */
const VARIABLE = /\$\{(?![*?$]\})[^}]*\}/g;

/** A pattern with its policy variables widened to `*`, and whether it had any. */
function normalise(pattern: string): { glob: string; variable: boolean } {
  if (!pattern.includes('${')) return { glob: pattern, variable: false };
  const glob = pattern.replace(VARIABLE, '*');
  return { glob, variable: glob !== pattern };
}

interface ResourceMatch {
  /** The statement applies to every resource of the pattern. */
  covers: boolean;
  /** The statement applies to some resource of the pattern. */
  touches: boolean;
  /** The match depends on a policy variable. */
  variable: boolean;
}

function matchResource(s: ParsedStatement, resource: string): ResourceMatch {
  if (s.resources) {
    let covers = false;
    let touches = false;
    let variable = false;
    for (const r of s.resources) {
      const n = normalise(r);
      if (globSubset(resource, n.glob)) {
        covers = true;
        touches = true;
        variable ||= n.variable;
      } else if (globsIntersect(resource, n.glob)) {
        touches = true;
        variable ||= n.variable;
      }
    }
    return { covers, touches, variable };
  }
  // NotResource: applies to what no listed pattern matches.
  let variable = false;
  let excludesSome = false;
  let excludesAll = false;
  for (const r of s.notResources ?? []) {
    const n = normalise(r);
    variable ||= n.variable;
    if (globSubset(resource, n.glob)) excludesAll = true;
    if (globsIntersect(resource, n.glob)) excludesSome = true;
  }
  return { covers: !excludesSome, touches: !excludesAll, variable };
}

/**
 * The decision of the statements for `action` on `resource` (an ARN, a pattern, or `*`).
 */
export function evaluate(
  statements: readonly ParsedStatement[],
  action: string,
  resource: string,
  options: EvaluateOptions = {},
): Decision {
  let allowed = false;
  let conditionalAllow = false;
  let partialDeny = false;
  const requestCondition = options.condition ? canonicalCondition(options.condition) : undefined;
  for (const s of statements) {
    if (s.effect === 'Deny' && options.ignoreDeny) continue;
    if (!statementMatchesAction(s, action)) continue;
    const m = matchResource(s, resource);
    if (!m.touches) continue;
    const sameCondition =
      s.effect === 'Allow' && !!s.condition && canonicalCondition(s.condition) === requestCondition;
    const unconditional = (!s.condition || sameCondition) && !m.variable;
    if (s.effect === 'Deny') {
      if (m.covers && unconditional) return 'denied';
      partialDeny = true;
    } else if (m.covers && unconditional) {
      allowed = true;
    } else if (m.covers) {
      conditionalAllow = true;
    }
  }
  if (allowed) return partialDeny ? 'conditional' : 'allowed';
  if (conditionalAllow) return 'conditional';
  return 'implicit';
}
