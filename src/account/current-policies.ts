/**
 * A role's current policies from an AccountState (snapshot today, live IAM later: both produce
 * the same AccountState). Pure.
 */
import type { AccountState, CurrentPolicies, NamedPolicy, PolicyDocumentLike } from '../model/account';
import managedData from '../observability/data/aws-managed-policies.json';
import { findRole } from './lookup';

const BUNDLED_MANAGED = managedData.policies as Record<
  string,
  { name: string; version: string; document: PolicyDocumentLike }
>;

function isAwsManaged(arn: string): boolean {
  return /^arn:[^:]+:iam::aws:policy\//.test(arn);
}

/**
 * The identity policies and boundary of a role, as IAM evaluates them: inline policies, attached
 * managed policies at their default version (never older versions), the permissions boundary. An
 * attached AWS managed policy whose document the snapshot lacks is taken from the bundled copies
 * of the Lambda execution policies when it is one of them; otherwise its ARN is listed in
 * `unknown` (its grants cannot be known: the diff says so). Undefined when the role is unknown.
 */
export function currentPoliciesOf(state: AccountState, roleArn: string): CurrentPolicies | undefined {
  const role = findRole(state, roleArn);
  if (!role) return undefined;
  const unknown: string[] = [];
  const managed = managedResolver(state, unknown);
  const identity: NamedPolicy[] = role.inlinePolicies.map((p) => ({
    ref: { kind: 'inline', name: p.name },
    document: p.document,
  }));
  for (const arn of role.attachedPolicyArns) {
    const p = managed(arn, false);
    if (p) identity.push(p);
  }
  const boundary = role.permissionsBoundaryArn ? managed(role.permissionsBoundaryArn, true) : undefined;
  return {
    roleArn: role.arn,
    roleName: role.roleName,
    ...(role.createDate ? { createDate: role.createDate } : {}),
    identity,
    ...(boundary ? { boundary } : {}),
    unknown: [...new Set(unknown)].sort(),
  };
}

/**
 * The identity policies and boundary of an IAM user, as IAM evaluates them, in the roles' shape
 * (`roleArn`/`roleName` hold the user's ARN and name): the user's inline and attached managed
 * policies, then, for each of its groups, the group's inline and attached managed policies (IAM
 * evaluates a user's group policies as its own identity-based policies; groups have no boundary),
 * all managed ones at their default version; the boundary is the user's. An attached managed
 * policy the state lacks is listed in `unknown` as for roles, and so is a group the state does not
 * hold (`group:NAME`: its policies cannot be known). Undefined when the user is unknown or when
 * the state keeps none of its policy fields (a state built without them: nothing to judge).
 */
export function currentPoliciesOfUser(state: AccountState, userArn: string): CurrentPolicies | undefined {
  const user = state.users.find((u) => u.arn === userArn);
  if (!user) return undefined;
  if (
    user.inlinePolicies === undefined &&
    user.attachedPolicyArns === undefined &&
    user.groupNames === undefined
  )
    return undefined;
  const unknown: string[] = [];
  const managed = managedResolver(state, unknown);
  const identity: NamedPolicy[] = (user.inlinePolicies ?? []).map((p) => ({
    ref: { kind: 'inline', name: p.name },
    document: p.document,
  }));
  for (const arn of user.attachedPolicyArns ?? []) {
    const p = managed(arn, false);
    if (p) identity.push(p);
  }
  for (const groupName of user.groupNames ?? []) {
    const group = (state.groups ?? []).find((g) => g.groupName === groupName);
    if (!group) {
      unknown.push(`group:${groupName}`);
      continue;
    }
    for (const p of group.inlinePolicies)
      identity.push({ ref: { kind: 'inline', name: `${groupName}/${p.name}` }, document: p.document });
    for (const arn of group.attachedPolicyArns) {
      if (identity.some((x) => x.ref.arn === arn)) continue;
      const p = managed(arn, false);
      if (p) identity.push(p);
    }
  }
  const boundary = user.permissionsBoundaryArn ? managed(user.permissionsBoundaryArn, true) : undefined;
  return {
    roleArn: user.arn,
    roleName: user.userName,
    identity,
    ...(boundary ? { boundary } : {}),
    unknown: [...new Set(unknown)].sort(),
  };
}

/** Resolves a managed policy ARN to its default version's document, or lists it in `unknown`. */
function managedResolver(
  state: AccountState,
  unknown: string[],
): (arn: string, boundary: boolean) => NamedPolicy | undefined {
  return (arn: string, boundary: boolean): NamedPolicy | undefined => {
    const p = state.policies.find((x) => x.arn === arn);
    const kind = boundary ? 'boundary' : isAwsManaged(arn) ? 'aws-managed' : 'managed';
    if (p?.document) {
      return {
        ref: { kind, name: p.name, arn, ...(p.defaultVersionId ? { versionId: p.defaultVersionId } : {}) },
        document: p.document,
      };
    }
    const bundled = isAwsManaged(arn) ? BUNDLED_MANAGED[arn] : undefined;
    if (bundled) {
      return {
        ref: { kind, name: bundled.name, arn, versionId: bundled.version },
        document: bundled.document,
      };
    }
    unknown.push(arn);
    return undefined;
  };
}

/** Display name of a current policy: `inline:NAME` for inline ones, the managed policy's name otherwise. */
export function policyDisplayName(p: NamedPolicy): string {
  return p.ref.kind === 'inline' ? `inline:${p.ref.name}` : p.ref.name;
}
