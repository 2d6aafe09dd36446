/**
 * Current policy documents → statements the diff's evaluator can use. Pure.
 *
 * Everything IAM evaluates is kept: `Action`/`NotAction`, `Resource`/`NotResource`, `Effect`
 * (Allow and Deny), and `Condition` (kept as written; a conditional statement is marked so, never
 * treated as unconditional). A statement that IAM itself would reject (no Effect, no Action, a
 * Principal in an identity policy, …) is reported as a problem: the account state is damaged, and
 * the diff does not present removals as safe.
 */
import type { NamedPolicy, PolicyDocumentLike } from '../model';
import { policyDisplayName } from '../account/current-policies';

export interface ParsedStatement {
  /** Display name of the policy (`inline:NAME` or the managed policy's name). */
  policy: string;
  /** Position in its policy's statement list, for messages. */
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** Exactly one of actions / notActions is set. */
  actions?: string[];
  notActions?: string[];
  /** Exactly one of resources / notResources is set. */
  resources?: string[];
  notResources?: string[];
  condition?: Record<string, Record<string, unknown>>;
  /** The statement as written. */
  raw: Record<string, unknown>;
}

export interface ParsedPolicy {
  statements: ParsedStatement[];
  /** One line each: what is wrong and where. */
  problems: string[];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function stringList(x: unknown): string[] | undefined {
  const list = Array.isArray(x) ? x : [x];
  if (list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) return undefined;
  return list as string[];
}

/** Parses one policy document (identity policy or boundary). */
export function parsePolicyDocument(doc: PolicyDocumentLike, policy: string): ParsedPolicy {
  const statements: ParsedStatement[] = [];
  const problems: string[] = [];
  const raw = doc.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (raw === undefined) problems.push(`${policy}: the document has no Statement`);
  list.forEach((st, index) => {
    const where = `${policy}: statement ${index + 1}`;
    if (!isObject(st)) {
      problems.push(`${where} is not an object`);
      return;
    }
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') {
      problems.push(`${where}: Effect is neither Allow nor Deny`);
      return;
    }
    if ('Principal' in st || 'NotPrincipal' in st) {
      problems.push(`${where}: an identity policy cannot name a Principal`);
      return;
    }
    const hasAction = 'Action' in st;
    const hasNotAction = 'NotAction' in st;
    const hasResource = 'Resource' in st;
    const hasNotResource = 'NotResource' in st;
    if (hasAction === hasNotAction) {
      problems.push(`${where}: needs exactly one of Action and NotAction`);
      return;
    }
    if (hasResource === hasNotResource) {
      problems.push(`${where}: needs exactly one of Resource and NotResource`);
      return;
    }
    const actions = stringList(hasAction ? st.Action : st.NotAction);
    const resources = stringList(hasResource ? st.Resource : st.NotResource);
    if (!actions) {
      problems.push(`${where}: ${hasAction ? 'Action' : 'NotAction'} is not a string or a list of strings`);
      return;
    }
    if (!resources) {
      problems.push(
        `${where}: ${hasResource ? 'Resource' : 'NotResource'} is not a string or a list of strings`,
      );
      return;
    }
    let condition: Record<string, Record<string, unknown>> | undefined;
    if (st.Condition !== undefined) {
      if (!isObject(st.Condition) || !Object.values(st.Condition).every(isObject)) {
        problems.push(`${where}: Condition is not an object of operator → key → values`);
        return;
      }
      if (Object.keys(st.Condition).length > 0)
        condition = st.Condition as Record<string, Record<string, unknown>>;
    }
    statements.push({
      policy,
      index,
      ...(typeof st.Sid === 'string' && st.Sid !== '' ? { sid: st.Sid } : {}),
      effect: st.Effect,
      ...(hasAction ? { actions } : { notActions: actions }),
      ...(hasResource ? { resources } : { notResources: resources }),
      ...(condition ? { condition } : {}),
      raw: st,
    });
  });
  return { statements, problems };
}

/** Parses several named policies; statements and problems concatenated in order. */
export function parsePolicies(policies: readonly NamedPolicy[]): ParsedPolicy {
  const out: ParsedPolicy = { statements: [], problems: [] };
  for (const p of policies) {
    const r = parsePolicyDocument(p.document, policyDisplayName(p));
    out.statements.push(...r.statements);
    out.problems.push(...r.problems);
  }
  return out;
}
