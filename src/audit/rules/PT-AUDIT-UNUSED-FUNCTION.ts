/**
 * PT-AUDIT-UNUSED-FUNCTION: delete what is unused, straight from the unused-access report's
 * verdict (src/report/unused.ts): a function with no sign of activity in any available signal.
 * The report's nuance is kept: `invocations` when an invocation signal was available and showed
 * none; `calls-only` when only its role's calls were (a function that calls no AWS API looks the
 * same: check before deleting). Functions the report does not judge are not reported.
 */
import { coverageNote, thinEvidence } from '../roles/common';
import type { AuditFinding, AuditInput, AuditRule } from '../types';

const ID = 'PT-AUDIT-UNUSED-FUNCTION';

function check(input: AuditInput): AuditFinding[] {
  const report = input.report;
  if (!report) return [];
  const thin = thinEvidence(input);
  const gap = coverageNote(input);
  return report.unusedFunctions.map((fn): AuditFinding => {
    const subject = { kind: 'function' as const, arn: fn.arn, name: fn.name, region: fn.region };
    const base = { id: `${ID}[${fn.arn}]`, rule: ID, subject, basis: 'configuration and trail' as const };
    const evidence = [
      `report: ${fn.reason}`,
      ...fn.signals.checked.map((s) => `signal checked: ${s}`),
      ...fn.signals.unavailable.map((s) => `signal unavailable: ${s}`),
      `last activity: ${fn.lastActivity ?? 'none known'}; last modified: ${fn.lastModified ?? 'unknown'}`,
      ...(gap ? [gap] : []),
    ];
    if (thin.length > 0)
      return {
        ...base,
        severity: 'info',
        message: `${fn.name} (${fn.region}) shows no activity, but the trail is too thin to call it unused`,
        evidence: [...thin, ...evidence],
        fix: 'audit again over a longer, complete window before deciding',
      };
    const callsOnly = fn.confidence === 'calls-only';
    return {
      ...base,
      severity: 'low',
      message: callsOnly
        ? `${fn.name} (${fn.region}): its role made no call for it in the window, and no invocation signal was available (a function that calls no AWS API looks the same)`
        : `${fn.name} (${fn.region}) was not invoked and made no call in the window`,
      evidence,
      fix: callsOnly
        ? `confirm it is not invoked first (export its Invocations metric, docs/snapshot.md, or log Lambda data events), then delete it: aws lambda delete-function --function-name ${fn.name} --region ${fn.region}`
        : `delete it, or record why it is kept: aws lambda delete-function --function-name ${fn.name} --region ${fn.region}`,
    };
  });
}

export const rule: AuditRule = {
  id: ID,
  title: 'Unused function',
  advice:
    'AWS Lambda operator guide ("Least privilege": remove what is not needed) and the IAM User Guide\'s security ' +
    'best practices ("Regularly review and remove unused users, roles, permissions, policies, and credentials"): a ' +
    'function nothing invokes still holds its role, its code and its configuration, and its triggers can be abused.',
  severity: 'low',
  needs: ['trail'],
  references: {},
  check,
};
