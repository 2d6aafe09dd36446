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
  const managed = (arn: string, boundary: boolean): NamedPolicy | undefined => {
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

/** Display name of a current policy: `inline:NAME` for inline ones, the managed policy's name otherwise. */
export function policyDisplayName(p: NamedPolicy): string {
  return p.ref.kind === 'inline' ? `inline:${p.ref.name}` : p.ref.name;
}
