import type { Target } from '../attribution';
import { roleNameFromArn, sharedRoleFinding } from '../attribution';
import { findFunction, findRole, functionsUsingRole } from '../account/lookup';
import { InputError, UsageError } from '../errors';
import type { AccountState, Finding } from '../model';

/** What the user asked for: exactly one of these is set. */
export interface TargetRequest {
  function?: string;
  role?: string;
  principal?: string;
  /** Disambiguates a function name that exists in several regions. */
  region?: string;
}

/** The target plus findings about it (a shared role, say). */
export interface ResolvedTarget {
  target: Target;
  findings: Finding[];
}

const ROLE_ARN =
  /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const USER_ARN =
  /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::\d{12}:user\/[\w+=,.@/-]{1,512}$/;
const SESSION_ARN =
  /^arn:(aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?):sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{1,64})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([a-zA-Z0-9_-]{1,64})(?::[a-zA-Z0-9$_-]{1,128})?$/;

/** Exactly one of `--function`, `--role`, `--principal` (checked before any account read). */
export function checkTargetFlags(req: TargetRequest): void {
  const given = [req.function, req.role, req.principal].filter((x) => x !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --function, --role or --principal');
}

/**
 * Turns `--function`/`--role`/`--principal` into a Target, using the account snapshot when there
 * is one. Throws UsageError for malformed arguments and InputError for names the snapshot lacks.
 */
export function resolveTarget(req: TargetRequest, state: AccountState | undefined): ResolvedTarget {
  checkTargetFlags(req);

  if (req.function !== undefined) {
    const arn = FUNCTION_ARN.exec(req.function);
    const name = arn ? arn[1] : req.function;
    if (!arn && !FUNCTION_NAME.test(name)) {
      throw new UsageError(`not a Lambda function name or ARN: ${JSON.stringify(name.slice(0, 80))}`);
    }
    if (!state)
      return { target: { kind: 'function', functionName: name, display: `function ${name}` }, findings: [] };
    const found = findFunction(state, req.function, req.region).candidates;
    if (found.length === 0) {
      const where = req.region ? ` in ${req.region}` : '';
      throw new InputError(
        `function ${name} not found${where} in the account snapshot (${state.functions.length} functions listed)`,
      );
    }
    const roles = Array.from(new Set(found.map((f) => f.roleArn))).sort();
    if (roles.length > 1) {
      const regions = found
        .map((f) => f.region)
        .sort()
        .join(', ');
      throw new UsageError(`function ${name} exists in ${regions} with different roles: pass --region`);
    }
    const roleArn = roles[0];
    const users = Array.from(new Set(functionsUsingRole(state, roleArn).map((f) => f.name))).sort();
    return {
      target: {
        kind: 'function',
        functionName: name,
        roleArn,
        display: `function ${name} (role ${roleArn})`,
      },
      findings: users.length > 1 ? [sharedRoleFinding(roleArn, name, users, 'functions')] : [],
    };
  }

  if (req.role !== undefined) {
    const r = req.role;
    if (!ROLE_ARN.test(r) && !ROLE_NAME.test(r))
      throw new UsageError(`not a role name or ARN: ${JSON.stringify(r.slice(0, 80))}`);
    if (state) {
      const role = findRole(state, r);
      if (!role)
        throw new InputError(
          `role ${r} not found in the account snapshot (${state.roles.length} roles listed)`,
        );
      return { target: { kind: 'role', roleArn: role.arn, display: `role ${role.arn}` }, findings: [] };
    }
    return ROLE_ARN.test(r)
      ? { target: { kind: 'role', roleArn: r, display: `role ${r}` }, findings: [] }
      : { target: { kind: 'role', roleName: r, display: `role ${r}` }, findings: [] };
  }

  const p = req.principal as string;
  if (ROLE_ARN.test(p)) {
    return {
      target: { kind: 'role', roleArn: p, roleName: roleNameFromArn(p), display: `role ${p}` },
      findings: [],
    };
  }
  if (USER_ARN.test(p)) return { target: { kind: 'user', userArn: p, display: `user ${p}` }, findings: [] };
  const s = SESSION_ARN.exec(p);
  if (s) {
    const [, partition, account, role, session] = s;
    const roleArn = state ? findRole(state, role)?.arn : undefined;
    return {
      target: {
        kind: 'function',
        functionName: session,
        ...(roleArn ? { roleArn } : { roleName: role }),
        display: `session ${session} of role ${roleArn ?? `arn:${partition}:iam::${account}:role/${role}`}`,
      },
      findings: [],
    };
  }
  throw new UsageError(
    `--principal must be a role, user or assumed-role session ARN: ${JSON.stringify(p.slice(0, 80))}`,
  );
}

/**
 * The roles a request needs from IAM, by name, given the functions of `state` (read from Lambda
 * first): the function's execution role(s), the role asked for, the role of an assumed-role
 * session. Undefined when the request needs the whole account (an IAM user's groups and policies).
 */
export function rolesToRead(req: TargetRequest, state: AccountState): string[] | undefined {
  const nameOf = (arn: string) => roleNameFromArn(arn) ?? arn.slice(arn.lastIndexOf('/') + 1);
  if (req.function !== undefined) {
    const found = findFunction(state, req.function, req.region).candidates;
    return Array.from(new Set(found.map((f) => nameOf(f.roleArn)))).sort();
  }
  if (req.role !== undefined) return [ROLE_ARN.test(req.role) ? nameOf(req.role) : req.role];
  const p = req.principal ?? '';
  if (ROLE_ARN.test(p)) return [nameOf(p)];
  const session = SESSION_ARN.exec(p);
  if (session) return [session[3]];
  return undefined;
}
