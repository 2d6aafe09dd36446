/**
 * PT-AUDIT-ADMIN-GRANT: an execution role with administrator access, from the configuration
 * alone: any Allow statement with Action `*` (or `*:*`) on Resource `*`, `iam:*`, or NotAction on
 * Resource `*`, in the role's inline policies and the default versions of its attached managed
 * policies; AdministratorAccess or IAMFullAccess attached when the state lacks their documents.
 */
import { currentPoliciesOf } from '../../account/current-policies';
import { parsePolicies } from '../../diff';
import { executionRoles, generateCommand } from '../roles/common';
import type { AuditFinding, AuditInput, AuditRule } from '../types';

const ID = 'PT-AUDIT-ADMIN-GRANT';

const ADMIN_MANAGED: Record<string, string> = {
  AdministratorAccess: 'full administrator access',
  IAMFullAccess: 'iam:* on *',
};

function check(input: AuditInput): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const role of executionRoles(input.state)) {
    const current = currentPoliciesOf(input.state, role.arn);
    if (!current) continue;
    const evidence: string[] = [];
    for (const s of parsePolicies(current.identity).statements) {
      if (s.effect !== 'Allow') continue;
      const onAll = (s.resources ?? []).includes('*') || s.notResources !== undefined;
      const where =
        `${s.policy} statement ${s.index + 1}${s.sid ? ` (Sid ${s.sid})` : ''}` +
        (s.condition ? ', with a Condition' : '');
      const actions = s.actions ?? [];
      if (onAll && actions.some((a) => a === '*' || a === '*:*'))
        evidence.push(`${where}: Action "*" on Resource "*" (administrator access)`);
      else if (actions.some((a) => a.toLowerCase() === 'iam:*'))
        evidence.push(
          `${where}: Action "iam:*" on ${(s.resources ?? ['NotResource']).join(', ')} (permissions management of IAM)`,
        );
      else if (onAll && s.notActions)
        evidence.push(
          `${where}: NotAction ${s.notActions.join(', ')} on Resource "*" (every other action of every service)`,
        );
    }
    for (const arn of current.unknown) {
      const name = arn.split('/').pop() ?? arn;
      if (/^arn:[^:]+:iam::aws:policy\//.test(arn) && ADMIN_MANAGED[name])
        evidence.push(`attached AWS managed policy ${name} (${ADMIN_MANAGED[name]})`);
    }
    if (evidence.length === 0) continue;
    if (current.boundary)
      evidence.push(`permissions boundary ${current.boundary.ref.name} limits what these grants allow`);
    out.push({
      id: `${ID}[${role.arn}]`,
      rule: ID,
      severity: 'high',
      subject: { kind: 'role', arn: role.arn, name: role.name },
      message: `${role.name}, the execution role of ${role.functions.map((f) => f.name).join(', ')}, grants administrator or IAM-wide access`,
      evidence,
      fix:
        'replace the administrator grant with the policy of what the function does: ' +
        [...new Set(role.functions.map((f) => f.name))].map((name) => generateCommand({ name })).join('; ') +
        ' (a trail shows what is used; without one, write the policy by hand)',
      basis: 'configuration',
    });
  }
  return out;
}

export const rule: AuditRule = {
  id: ID,
  title: 'No administrator access for an execution role',
  advice:
    'AWS Lambda Developer Guide, "Defining Lambda function permissions with an execution role" (grant least ' +
    'privilege to the execution role) and the IAM User Guide\'s security best practices ("Apply least-privilege ' +
    'permissions"): a function whose role allows "*" on "*", iam:*, or NotAction on "*" hands whoever controls its ' +
    'code or input the whole account.',
  severity: 'high',
  needs: [],
  references: {
    prowler: [
      'iam_aws_attached_policy_no_administrative_privileges',
      'iam_customer_attached_policy_no_administrative_privileges',
      'iam_inline_policy_no_administrative_privileges',
      'iam_role_administratoraccess_policy',
    ],
    securityHub: ['IAM.1'],
    checkov: ['CKV_AWS_62'],
  },
  check,
};
