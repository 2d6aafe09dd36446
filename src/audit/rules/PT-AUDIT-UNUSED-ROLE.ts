/**
 * PT-AUDIT-UNUSED-ROLE: delete what is unused, straight from the unused-access report's verdict
 * (src/report/unused.ts): a role with no call in the window whose IAM RoleLastUsed is older than
 * the window or absent; an orphaned execution role (trusted by lambda.amazonaws.com, used by no
 * function) is said so. Roles the report does not judge (too new, IAM saw a use the trail does
 * not hold) and service-linked roles are not reported.
 */
import { coverageNote, thinEvidence } from '../roles/common';
import type { AuditFinding, AuditInput, AuditRule } from '../types';

const ID = 'PT-AUDIT-UNUSED-ROLE';

function check(input: AuditInput): AuditFinding[] {
  const report = input.report;
  if (!report) return [];
  const gap = coverageNote(input);
  return report.unusedRoles.map((role): AuditFinding => {
    const subject = { kind: 'role' as const, arn: role.arn, name: role.name };
    const base = { id: `${ID}[${role.arn}]`, rule: ID, subject, basis: 'configuration and trail' as const };
    const orphaned = role.kind === 'orphaned-execution-role';
    const evidence = [
      `report: ${role.reason}`,
      `IAM RoleLastUsed: ${role.roleLastUsed ? `${role.roleLastUsed.date}${role.roleLastUsed.region ? ` in ${role.roleLastUsed.region}` : ''}` : 'none reported'}`,
      `created: ${role.createDate ?? 'unknown'}`,
      ...(gap ? [gap] : []),
    ];
    const thin = thinEvidence(input, role.createDate ?? undefined);
    if (thin.length > 0)
      return {
        ...base,
        severity: 'info',
        message: `${role.name} shows no activity, but the trail is too thin to call it unused`,
        evidence: [...thin, ...evidence],
        fix: 'audit again over a longer, complete window before deciding',
      };
    return {
      ...base,
      severity: 'low',
      message: orphaned
        ? `${role.name} is a Lambda execution role that no function uses and that made no call in the window`
        : `${role.name} made no call in the window`,
      evidence,
      fix:
        `delete it (detach its managed policies and delete its inline policies first): aws iam delete-role --role-name ${role.name}` +
        (orphaned ? '; an unused execution role is a ready-made grant for anyone allowed iam:PassRole' : ''),
    };
  });
}

export const rule: AuditRule = {
  id: ID,
  title: 'Unused role',
  advice:
    'IAM User Guide, security best practices ("Regularly review and remove unused users, roles, permissions, ' +
    'policies, and credentials"), and the AWS Lambda operator guide ("Least privilege"): a role that nothing uses ' +
    'is access no one needs.',
  severity: 'low',
  needs: ['trail'],
  references: {},
  check,
};
