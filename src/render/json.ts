import type { PolicyDocument } from '../model';

/** IAM's conventional key order (as iam-collect's predictableIamKeys); unknown keys sort last. */
const KEY_ORDER: Record<string, number> = {
  Version: 1,
  Id: 2,
  Statement: 3,
  Sid: 4,
  Effect: 5,
  Principal: 6,
  NotPrincipal: 7,
  Action: 8,
  NotAction: 9,
  Resource: 10,
  NotResource: 11,
  Condition: 12,
};

function canonical(value: unknown, policyKeys: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, policyKeys));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value as object).sort((a, b) => {
    const ra = policyKeys ? (KEY_ORDER[a] ?? 100) : 100;
    const rb = policyKeys ? (KEY_ORDER[b] ?? 100) : 100;
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0;
  });
  const out: Record<string, unknown> = {};
  // Condition blocks hold operator → key → values; their keys sort alphabetically.
  for (const k of keys)
    out[k] = canonical((value as Record<string, unknown>)[k], policyKeys && k !== 'Condition');
  return out;
}

/** Canonical JSON of a policy document: fixed key order, 2-space indent, trailing newline. */
export function renderPolicyJson(doc: PolicyDocument | { policies: PolicyDocument[] }): string {
  return `${JSON.stringify(canonical(doc, true), null, 2)}\n`;
}

/** Canonical JSON of any value: keys sorted, 2-space indent, trailing newline. */
export function renderCanonicalJson(value: unknown): string {
  return `${JSON.stringify(canonical(value, false), null, 2)}\n`;
}
