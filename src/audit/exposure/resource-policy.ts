/**
 * Reading a Lambda function's resource-based policy (`aws lambda get-policy`) for exposure: which
 * Allow statements let every principal in (`"Principal":"*"`, `{"AWS":"*"}`, an Allow with
 * `NotPrincipal`), and which let an AWS service in without naming the source (the confused
 * deputy). Pure.
 *
 * What scopes a statement (AWS Config `lambda-function-public-access-prohibited`: "a Lambda
 * resource-based policy must grant access only to fixed values … that don't contain a wildcard
 * or … Variables"; IAM condition operators: a key absent from the request makes a condition
 * false, except for `…IfExists`, `Null` and negated operators):
 * - a key of {@link PUBLIC_SCOPING_KEYS} (service principals: {@link SERVICE_SCOPING_KEYS}) under
 *   a positive operator (`StringEquals`, `StringEqualsIgnoreCase`, `StringLike`, `ArnEquals`,
 *   `ArnLike`, optionally with `ForAnyValue:`), every value fixed: no policy variable, and for
 *   the `…Like` operators no `*` or `?` — except an `aws:SourceArn` whose account field is a
 *   fixed 12-digit account (`arn:aws:sns:us-east-1:111122223333:*` names only that account's
 *   resources; S3 ARNs have no account field, so `arn:aws:s3:::bucket*` does not scope);
 * - never: `…IfExists` (true when the key is absent, as it is for a principal's own call),
 *   `ForAllValues:` (true for an absent key), negated operators (`StringNotEquals`,
 *   `ArnNotLike`: true when the key is absent), `Null`.
 * `lambda:FunctionUrlAuthType` = `AWS_IAM` limits a `lambda:InvokeFunctionUrl` grant to signed
 * requests (any AWS account's principals, still), `NONE` leaves it open to the internet.
 */
import { globMatch } from '../../iam/glob';
import type { PolicyDocumentLike } from '../../model';

/** Condition keys that keep a `*` principal from being everyone (lower case). */
export const PUBLIC_SCOPING_KEYS = [
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:principalorgid',
  'aws:principalaccount',
] as const;

/** Condition keys that name the source of a service principal's call (confused deputy prevention). */
export const SERVICE_SCOPING_KEYS = ['aws:sourcearn', 'aws:sourceaccount'] as const;

const POSITIVE_OPERATORS = new Set([
  'StringEquals',
  'StringEqualsIgnoreCase',
  'StringLike',
  'ArnEquals',
  'ArnLike',
]);

/** One condition that scopes a statement, as written. */
export interface ScopingCondition {
  operator: string;
  key: string;
  values: string[];
}

/** What one Allow statement of a function policy opens. */
export interface PolicyExposure {
  /** `public`: everyone; `any-aws-account`: every signed request (FunctionUrlAuthType AWS_IAM); `service`: a service principal from any source. */
  kind: 'public' | 'any-aws-account' | 'service';
  /** The statement's Sid, or `#N` (1-based) when it has none. */
  statement: string;
  actions: string[];
  /** The principals as written (`*`, `AWS:*`, `NotPrincipal`, `Service:s3.amazonaws.com`). */
  principals: string[];
  /** Condition keys present that do not scope it (lower case, sorted). */
  otherConditionKeys: string[];
  /** `lambda:FunctionUrlAuthType` values the statement requires, when it requires some. */
  urlAuthType?: string[];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function strings(x: unknown): string[] {
  const list = Array.isArray(x) ? x : [x];
  return list.filter((v): v is string => typeof v === 'string');
}

/** The statements of a policy document (one object or a list); non-objects are dropped. */
export function statementsOf(doc: PolicyDocumentLike): Record<string, unknown>[] {
  const raw = doc.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter(isObject);
}

/** `Sid`, or `#N` for the N-th statement (1-based). */
export function statementLabel(st: Record<string, unknown>, index: number): string {
  return typeof st.Sid === 'string' && st.Sid !== '' ? st.Sid : `#${index + 1}`;
}

interface Principals {
  wildcard: boolean;
  services: string[];
  written: string[];
}

function principalsOf(st: Record<string, unknown>): Principals {
  const out: Principals = { wildcard: false, services: [], written: [] };
  if ('NotPrincipal' in st) {
    // An Allow with NotPrincipal grants every principal it does not list.
    out.wildcard = true;
    out.written.push('NotPrincipal');
    return out;
  }
  const p = st.Principal;
  if (p === '*') {
    out.wildcard = true;
    out.written.push('*');
    return out;
  }
  if (!isObject(p)) return out;
  for (const [type, value] of Object.entries(p)) {
    for (const v of strings(value)) {
      out.written.push(`${type}:${v}`);
      if (type === 'AWS' && v.includes('*')) out.wildcard = true;
      if (type === 'Service') out.services.push(v);
    }
  }
  return out;
}

function hasVariable(v: string): boolean {
  return /\$\{(?![*?$]\})[^}]*\}/.test(v);
}

/** Does `value` (under `operator`, for `key`) name a fixed set of requests? See the file header. */
function fixedValue(operator: string, key: string, value: string): boolean {
  if (value === '' || hasVariable(value)) return false;
  if (!operator.endsWith('Like')) return true;
  if (!/[*?]/.test(value)) return true;
  if (key === 'aws:sourcearn') {
    const account = value.split(':')[4];
    return account !== undefined && /^\d{12}$/.test(account);
  }
  return false;
}

/** The conditions of `st` that scope it by one of `keys` (lower case). */
export function scopingConditions(st: Record<string, unknown>, keys: readonly string[]): ScopingCondition[] {
  const out: ScopingCondition[] = [];
  if (!isObject(st.Condition)) return out;
  for (const [op, block] of Object.entries(st.Condition)) {
    if (!isObject(block)) continue;
    if (op.startsWith('ForAllValues:') || op.endsWith('IfExists')) continue;
    const base = op.startsWith('ForAnyValue:') ? op.slice('ForAnyValue:'.length) : op;
    if (!POSITIVE_OPERATORS.has(base)) continue;
    for (const [k, raw] of Object.entries(block)) {
      const key = k.toLowerCase();
      if (!keys.includes(key)) continue;
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0 || !values.every((v) => typeof v === 'string' && fixedValue(base, key, v)))
        continue;
      out.push({ operator: op, key: k, values: values as string[] });
    }
  }
  return out;
}

/** Every condition key of `st` (lower case, sorted). */
function conditionKeys(st: Record<string, unknown>): string[] {
  const keys = new Set<string>();
  if (isObject(st.Condition))
    for (const block of Object.values(st.Condition))
      if (isObject(block)) for (const k of Object.keys(block)) keys.add(k.toLowerCase());
  return [...keys].sort();
}

/** The `lambda:FunctionUrlAuthType` values a statement requires (StringEquals[IgnoreCase]), if any. */
function urlAuthTypes(st: Record<string, unknown>): string[] | undefined {
  if (!isObject(st.Condition)) return undefined;
  let found: string[] | undefined;
  for (const op of ['StringEquals', 'StringEqualsIgnoreCase', 'ForAnyValue:StringEquals']) {
    const block = st.Condition[op];
    if (!isObject(block)) continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() !== 'lambda:functionurlauthtype') continue;
      const values = strings(v).map((x) => (op.endsWith('IgnoreCase') ? x.toUpperCase() : x));
      found = found ? found.filter((x) => values.includes(x)) : values;
    }
  }
  return found ? [...new Set(found)].sort() : undefined;
}

function actionsOf(st: Record<string, unknown>): string[] {
  if ('NotAction' in st) return strings(st.NotAction).map((a) => `NotAction:${a}`);
  return strings(st.Action);
}

/** Does the statement's action list cover `action` (IAM wildcards, case-insensitive)? */
export function statementAllowsAction(st: Record<string, unknown>, action: string): boolean {
  if ('NotAction' in st) return !strings(st.NotAction).some((p) => globMatch(p, action, true));
  return strings(st.Action).some((p) => globMatch(p, action, true));
}

/**
 * The exposures of a function policy, in statement order (see the file header). Deny statements
 * are not subtracted: Lambda's AddPermission only writes Allow statements.
 */
export function policyExposures(doc: PolicyDocumentLike): PolicyExposure[] {
  const out: PolicyExposure[] = [];
  statementsOf(doc).forEach((st, index) => {
    if (st.Effect !== 'Allow') return;
    const p = principalsOf(st);
    const keys = conditionKeys(st);
    const base = {
      statement: statementLabel(st, index),
      actions: actionsOf(st),
      principals: p.written,
    };
    if (p.wildcard) {
      if (scopingConditions(st, PUBLIC_SCOPING_KEYS).length > 0) return;
      const auth = urlAuthTypes(st);
      const onlyUrl =
        base.actions.length > 0 && base.actions.every((a) => a.toLowerCase() === 'lambda:invokefunctionurl');
      const signedOnly =
        onlyUrl && auth !== undefined && auth.length > 0 && auth.every((a) => a === 'AWS_IAM');
      out.push({
        kind: signedOnly ? 'any-aws-account' : 'public',
        ...base,
        otherConditionKeys: keys.filter((k) => k !== 'lambda:functionurlauthtype'),
        ...(auth ? { urlAuthType: auth } : {}),
      });
      return;
    }
    if (p.services.length > 0 && scopingConditions(st, SERVICE_SCOPING_KEYS).length === 0) {
      out.push({ kind: 'service', ...base, otherConditionKeys: keys });
    }
  });
  return out;
}

/**
 * The statements (labels) that let anyone call the function's URL without signing:
 * `lambda:InvokeFunctionUrl` to every principal, unscoped, and not limited to `AWS_IAM`.
 */
export function publicUrlStatements(doc: PolicyDocumentLike): string[] {
  const out: string[] = [];
  statementsOf(doc).forEach((st, index) => {
    if (st.Effect !== 'Allow' || !statementAllowsAction(st, 'lambda:InvokeFunctionUrl')) return;
    if (!principalsOf(st).wildcard) return;
    if (scopingConditions(st, PUBLIC_SCOPING_KEYS).length > 0) return;
    const auth = urlAuthTypes(st);
    if (auth && !auth.includes('NONE')) return;
    out.push(statementLabel(st, index));
  });
  return out;
}

/** The function name of a Lambda function ARN (qualified or not); the ARN itself otherwise. */
export function functionNameOf(arn: string): string {
  const parts = arn.split(':');
  return parts[5] === 'function' && parts[6] ? parts[6] : arn;
}

/** Cuts a configuration value for a message (attacker-controlled: bounded, one line). */
export function shown(value: string, max = 120): string {
  const one = value.replace(/[\r\n\t]/g, ' ');
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
