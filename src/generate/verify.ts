import type { PolicyDocument, PolicyStatement } from '../model';

/** A call the policy must allow. */
export interface ObservedCall {
  action: string;
  resource: string;
}

function toArray(x: string | string[] | undefined): string[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

const globCache = new Map<string, RegExp>();
/** IAM wildcard match: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const k = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = globCache.get(k);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    globCache.set(k, re);
  }
  return re.test(value);
}

function statementAllows(s: PolicyStatement, call: ObservedCall): boolean {
  if (s.Effect !== 'Allow' || s.Condition) return false;
  return (
    toArray(s.Action).some((a) => globMatch(a, call.action, true)) &&
    toArray(s.Resource).some((r) => globMatch(r, call.resource, false))
  );
}

/**
 * Self-verification: every observed call must be allowed by the policy set, and every action
 * must exist in the catalog. Returns the failures (empty when the policy is sound). The
 * independent check with @cloud-copilot/iam-simulate lives in the tests.
 */
export function verifyPolicies(
  policies: readonly PolicyDocument[],
  calls: readonly ObservedCall[],
  actionExists: (action: string) => boolean,
): string[] {
  const failures: string[] = [];
  const statements = policies.flatMap((p) => p.Statement);
  for (const call of calls) {
    if (!statements.some((s) => statementAllows(s, call))) {
      failures.push(`not allowed: ${call.action} on ${call.resource}`);
    }
  }
  for (const s of statements) {
    for (const a of toArray(s.Action)) if (!actionExists(a)) failures.push(`unknown action: ${a}`);
  }
  return failures;
}
