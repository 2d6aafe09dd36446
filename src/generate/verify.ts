/**
 * Self-verification of generated policies. A failure is a bug of the tool: the caller turns it
 * into VerificationError (exit code 5). The independent check with @cloud-copilot/iam-simulate
 * lives in the tests (it is AGPL and never imported from src).
 */
import { resourceFitsTemplate } from '../analyze/arn-template';
import { escapeIamLiteral } from '../analyze/validate';
import type { Catalog } from '../catalog/catalog';
import type { ContextEvidence, PermissionOrigin, PolicyDocument, PolicyStatement } from '../model';
import { globMatch } from '../iam/glob';

export { globMatch } from '../iam/glob';
export { resourceFitsTemplate } from '../analyze/arn-template';

/** A call the policy must allow. */
export interface ObservedCall {
  action: string;
  resource: string;
  /** Condition-key values of the request (absent keys are absent). */
  context?: Record<string, string>;
}

/** What verification needs of a usage entry (UsageEntry fits). */
export interface CallEvidence {
  action: string;
  resource: string;
  count: number;
  origins: readonly PermissionOrigin[];
  context?: Record<string, ContextEvidence>;
}

function toArray(x: string | string[] | undefined): string[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

function valuesOf(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/**
 * Is the statement's Condition met by the call's context? Only what the generator writes is
 * understood (StringEquals, StringLike on single-valued keys); anything else is not met.
 */
function conditionMet(
  condition: PolicyStatement['Condition'],
  context: Record<string, string> = {},
): boolean {
  for (const [op, keys] of Object.entries(condition ?? {})) {
    for (const [key, want] of Object.entries(keys)) {
      const v = context[key];
      if (v === undefined) return false;
      if (op === 'StringEquals') {
        if (!valuesOf(want).includes(v)) return false;
      } else if (op === 'StringLike') {
        const escaped = escapeIamLiteral(v);
        if (!valuesOf(want).some((p) => globMatch(p, escaped, false))) return false;
      } else return false;
    }
  }
  return true;
}

/** Does this statement alone allow the call (IAM wildcard semantics, case-insensitive actions)? */
export function statementAllows(s: PolicyStatement, call: ObservedCall): boolean {
  if (s.Effect !== 'Allow') return false;
  return (
    toArray(s.Action).some((a) => globMatch(a, call.action, true)) &&
    toArray(s.Resource).some((r) => globMatch(r, call.resource, false)) &&
    (!s.Condition || conditionMet(s.Condition, call.context))
  );
}

/**
 * The calls behind a usage entry, with the condition-key values they carried: one call per value
 * seen, and one without any key when some call lacked a key (or the configuration needs the
 * permission outside any call, or values were dropped).
 */
export function callsOf(e: CallEvidence): ObservedCall[] {
  const keys = Object.entries(e.context ?? {}).filter(([, ev]) => ev.seen > 0);
  const everyCallCarries =
    e.count > 0 &&
    keys.length > 0 &&
    !e.origins.includes('implied-by-config') &&
    keys.every(([, ev]) => ev.seen === e.count && !ev.overflow);
  const out: ObservedCall[] = [];
  if (!everyCallCarries) out.push({ action: e.action, resource: e.resource });
  for (const [key, ev] of keys) {
    for (const v of ev.values) {
      const context: Record<string, string> = {};
      if (everyCallCarries) for (const [k2, ev2] of keys) context[k2] = ev2.values[0];
      context[key] = v;
      out.push({ action: e.action, resource: e.resource, context });
    }
  }
  return out;
}

/**
 * Checks a generated policy set:
 * 1. every observed call is allowed by some statement (IAM wildcard semantics);
 * 2. every action is a plain action (no wildcard) that exists in the catalog;
 * 3. every resource other than `*` fits a resource type of every action of its statement
 *    (the catalog's ARN formats, see {@link resourceFitsTemplate});
 * 4. `*` appears only for an action that has no resource type, or that an observed call used on
 *    `*` (its resource could not be determined: a PT-UNRESOLVED-RESOURCE finding says so, or
 *    PT-WILDCARD-RESOURCE where no mapping finding does).
 *
 * @returns the failures, one line each, sorted; empty when the policy set is sound.
 */
export function verifyPolicies(
  policies: readonly PolicyDocument[],
  calls: readonly ObservedCall[],
  catalog: Catalog,
): string[] {
  const failures = new Set<string>();
  const statements = policies.flatMap((p) => p.Statement);
  for (const call of calls) {
    if (!statements.some((s) => statementAllows(s, call))) {
      const ctx = Object.entries(call.context ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      failures.add(`not allowed: ${call.action} on ${call.resource}${ctx ? ` with ${ctx}` : ''}`);
    }
  }
  const wildcardCalls = new Set(calls.filter((c) => c.resource === '*').map((c) => c.action.toLowerCase()));
  for (const s of statements) {
    const resources = toArray(s.Resource);
    for (const name of toArray(s.Action)) {
      if (/[*?]/.test(name)) {
        failures.add(`wildcard action: ${name}`);
        continue;
      }
      const action = catalog.action(name);
      if (!action) {
        failures.add(`unknown action: ${name}`);
        continue;
      }
      const service = action.name.slice(0, action.name.indexOf(':'));
      const templates = action.resourceTypes
        .map((r) => catalog.resourceType(service, r.name)?.arn)
        .filter((t): t is string => t !== undefined);
      for (const r of resources) {
        if (r === '*') {
          if (templates.length > 0 && !wildcardCalls.has(name.toLowerCase())) {
            failures.add(`"*" without need: ${name} has resource types and no call needed "*"`);
          }
        } else if (!templates.some((t) => resourceFitsTemplate(r, t))) {
          failures.add(`resource fits no resource type of ${name}: ${r}`);
        }
      }
    }
  }
  return Array.from(failures).sort();
}
