/** Look-ups in an AccountState. Pure: no filesystem, no AWS. */
import type { AccountState, FunctionInfo, RoleInfo } from '../model/account';

/**
 * A role by name, by ARN (with or without path), or by an assumed-role session ARN
 * (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`). IAM role names are unique ignoring case, so a
 * name matches case-insensitively when there is no exact match.
 */
export function findRole(state: AccountState, nameOrArn: string): RoleInfo | undefined {
  const wanted = nameOrArn.trim();
  if (wanted.startsWith('arn:')) {
    const exact = state.roles.find((r) => r.arn === wanted);
    if (exact) return exact;
    const parsed = parseRoleArn(wanted);
    if (!parsed) return undefined;
    return state.roles.find(
      (r) =>
        r.roleName === parsed.name && (parsed.account === undefined || accountOf(r.arn) === parsed.account),
    );
  }
  return (
    state.roles.find((r) => r.roleName === wanted) ??
    state.roles.find((r) => r.roleName.toLowerCase() === wanted.toLowerCase())
  );
}

export type FunctionLookup =
  | { status: 'found'; function: FunctionInfo; candidates: FunctionInfo[] }
  /** The name exists in several regions: ask for `--region`. */
  | { status: 'ambiguous'; candidates: FunctionInfo[] }
  | { status: 'not-found'; candidates: [] };

/**
 * A function by name or ARN (a qualified ARN `…:function:NAME:ALIAS` names its function). With a
 * region, only that region is searched. `candidates` lists every match, sorted by region.
 */
export function findFunction(state: AccountState, nameOrArn: string, region?: string): FunctionLookup {
  const wanted = nameOrArn.trim();
  let matches: FunctionInfo[];
  if (wanted.startsWith('arn:')) {
    const parsed = parseFunctionArn(wanted);
    if (!parsed) return { status: 'not-found', candidates: [] };
    matches = state.functions.filter(
      (f) =>
        f.name === parsed.name &&
        f.region === parsed.region &&
        accountOf(f.arn) === parsed.account &&
        (region === undefined || region === f.region),
    );
  } else {
    matches = state.functions.filter(
      (f) => f.name === wanted && (region === undefined || f.region === region),
    );
  }
  matches = [...matches].sort((a, b) => cmp(a.region, b.region) || cmp(a.arn, b.arn));
  if (matches.length === 0) return { status: 'not-found', candidates: [] };
  if (matches.length > 1) return { status: 'ambiguous', candidates: matches };
  return { status: 'found', function: matches[0], candidates: matches };
}

/** Functions whose execution role is `roleArn` (exact ARN, or the role's name), sorted by name, region. */
export function functionsUsingRole(state: AccountState, roleArn: string): FunctionInfo[] {
  const role = findRole(state, roleArn);
  const arns = new Set([roleArn, ...(role ? [role.arn] : [])]);
  return state.functions
    .filter((f) => arns.has(f.roleArn))
    .sort((a, b) => cmp(a.name, b.name) || cmp(a.region, b.region) || cmp(a.arn, b.arn));
}

// ---------------------------------------------------------------------------------------------

function parseRoleArn(arn: string): { name: string; account?: string } | undefined {
  // arn:aws:iam::123456789012:role/path/name  |  arn:aws:sts::123456789012:assumed-role/name/session
  const m = /^arn:[^:]+:(iam|sts)::(\d{12})?:(role|assumed-role)\/(.+)$/.exec(arn);
  if (!m) return undefined;
  const parts = m[4].split('/');
  const name = m[3] === 'role' ? parts[parts.length - 1] : parts[0];
  return m[2] ? { name, account: m[2] } : { name };
}

function parseFunctionArn(arn: string): { name: string; region: string; account: string } | undefined {
  const m = /^arn:[^:]+:lambda:([^:]+):(\d{12}):function:([^:]+)(:[^:]+)?$/.exec(arn);
  return m ? { region: m[1], account: m[2], name: m[3] } : undefined;
}

function accountOf(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
