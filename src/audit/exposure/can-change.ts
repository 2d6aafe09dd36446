/**
 * Who can change a function or run code as its execution role, judged by the diff's evaluator
 * (src/diff/evaluate.ts) over each role's current identity policies and permissions boundary.
 * Pure.
 *
 * The capabilities, on the function's ARN: `lambda:UpdateFunctionCode`,
 * `lambda:UpdateFunctionConfiguration` (which also swaps the role, environment and layers),
 * `lambda:AddPermission` (rewrites who may invoke it), and `iam:PassRole` on its execution role
 * together with `lambda:CreateFunction` (a new function running as that role). A PassRole grant
 * conditioned exactly on `iam:PassedToService` = `lambda.amazonaws.com` counts as unconditional,
 * because a role passed to Lambda carries that value (the evaluator's request condition).
 *
 * IAM users are judged the same way over their own inline and attached policies, their groups'
 * policies and their permissions boundary (currentPoliciesOfUser).
 */
import { currentPoliciesOf, currentPoliciesOfUser } from '../../account/current-policies';
import { evaluate, type Decision, type EvaluateOptions } from '../../diff/evaluate';
import { parsePolicies, type ParsedStatement } from '../../diff/parse-policy';
import type { AccountState, CurrentPolicies, FunctionInfo, RoleInfo, UserInfo } from '../../model';
import { statementsOf } from './resource-policy';

export type Capability =
  'update-code' | 'update-configuration' | 'add-permission' | 'pass-role-create-function';

export const CAPABILITIES: readonly Capability[] = [
  'update-code',
  'update-configuration',
  'add-permission',
  'pass-role-create-function',
];

/** The API actions behind each capability (trail evidence matches these). */
export const CAPABILITY_ACTIONS: Record<Capability, readonly string[]> = {
  'update-code': ['lambda:UpdateFunctionCode'],
  'update-configuration': ['lambda:UpdateFunctionConfiguration'],
  'add-permission': ['lambda:AddPermission'],
  'pass-role-create-function': ['iam:PassRole', 'lambda:CreateFunction'],
};

export type Grant = 'allowed' | 'conditional';

/** One role's grants on one function. */
export interface ChangeGrants {
  roleArn: string;
  roleName: string;
  grants: Partial<Record<Capability, Grant>>;
  /** Managed policies the state lacks: their grants are not known. */
  unknownPolicies: string[];
}

const PASSED_TO_LAMBDA: EvaluateOptions['condition'] = {
  StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' },
};

const RANK: Record<Decision, number> = { allowed: 2, conditional: 1, implicit: 0, denied: 0 };

function worse(a: Decision, b: Decision): Decision {
  return RANK[a] <= RANK[b] ? a : b;
}

function better(a: Decision, b: Decision): Decision {
  return RANK[a] >= RANK[b] ? a : b;
}

/** A role's parsed identity statements and boundary, ready for the evaluator. */
export interface RolePolicies {
  identity: ParsedStatement[];
  boundary?: ParsedStatement[];
  unknown: string[];
}

export function rolePolicies(state: AccountState, role: RoleInfo): RolePolicies | undefined {
  return parsed(currentPoliciesOf(state, role.arn));
}

/** An IAM user's parsed identity statements (its own and its groups') and boundary. */
export function userPolicies(state: AccountState, user: UserInfo): RolePolicies | undefined {
  return parsed(currentPoliciesOfUser(state, user.arn));
}

function parsed(cp: CurrentPolicies | undefined): RolePolicies | undefined {
  if (!cp) return undefined;
  return {
    identity: parsePolicies(cp.identity).statements,
    ...(cp.boundary ? { boundary: parsePolicies([cp.boundary]).statements } : {}),
    unknown: cp.unknown,
  };
}

/** Identity policies and boundary together: the boundary caps what the identity policies allow. */
export function decide(
  p: RolePolicies,
  action: string,
  resource: string,
  options: EvaluateOptions = {},
): Decision {
  const identity = evaluate(p.identity, action, resource, options);
  if (!p.boundary || RANK[identity] === 0) return identity;
  return worse(identity, evaluate(p.boundary, action, resource, options));
}

/** The grants of `p` on function `fn` (see the file header). */
export function grantsOn(p: RolePolicies, fn: FunctionInfo): Partial<Record<Capability, Grant>> {
  const parts = fn.arn.split(':');
  const anyFunction = `${parts.slice(0, 6).join(':')}:*`;
  const decisions: Record<Capability, Decision> = {
    'update-code': decide(p, 'lambda:UpdateFunctionCode', fn.arn),
    'update-configuration': decide(p, 'lambda:UpdateFunctionConfiguration', fn.arn),
    'add-permission': decide(p, 'lambda:AddPermission', fn.arn),
    'pass-role-create-function': worse(
      decide(p, 'iam:PassRole', fn.roleArn, { condition: PASSED_TO_LAMBDA }),
      better(decide(p, 'lambda:CreateFunction', anyFunction), decide(p, 'lambda:CreateFunction', fn.arn)),
    ),
  };
  const out: Partial<Record<Capability, Grant>> = {};
  for (const c of CAPABILITIES) {
    const d = decisions[c];
    if (d === 'allowed' || d === 'conditional') out[c] = d;
  }
  return out;
}

/** Services whose roles run workload code (a role they assume is not an admin or deployer). */
const WORKLOAD_SERVICES = ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com'];

/**
 * Why `role` is a workload's role, or undefined: the execution role of a function of the state,
 * trusted by a compute service (Lambda, EC2, ECS tasks), or held by an instance profile.
 */
export function workloadOf(state: AccountState, role: RoleInfo): string | undefined {
  const fns = state.functions.filter((f) => f.roleArn === role.arn).map((f) => f.name);
  if (fns.length > 0)
    return `execution role of ${fns.sort().slice(0, 3).join(', ')}${fns.length > 3 ? ' …' : ''}`;
  if ((role.instanceProfileArns ?? []).length > 0) return 'an EC2 instance profile role';
  for (const st of role.trustPolicy ? statementsOf(role.trustPolicy) : []) {
    if (st.Effect !== 'Allow') continue;
    const p = st.Principal;
    const services =
      typeof p === 'object' && p !== null && !Array.isArray(p)
        ? ([] as unknown[]).concat((p as Record<string, unknown>).Service ?? [])
        : [];
    const hit = services.find((s): s is string => typeof s === 'string' && WORKLOAD_SERVICES.includes(s));
    if (hit) return `trusted by ${hit}`;
  }
  return undefined;
}
