/**
 * PT-AUDIT-SHARED-ROLE: one execution role per function. Functions sharing a role, across every
 * region (IAM roles are global: grouping by region would miss a role shared between regions),
 * from the configuration alone; with a trail, what each function's own sessions used (Lambda names
 * the role session after the function) and the per-function `generate` commands that split it.
 */
import type { FunctionInfo } from '../../model';
import { activityOf, cmp, executionRoles, generateCommand, listSome } from '../roles/common';
import type { AuditFinding, AuditInput, AuditRule } from '../types';

const ID = 'PT-AUDIT-SHARED-ROLE';

function label(fn: FunctionInfo): string {
  return `${fn.name} (${fn.region})`;
}

function check(input: AuditInput): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const role of executionRoles(input.state)) {
    if (role.functions.length < 2) continue;
    const activity = input.usage ? activityOf(input, role.arn, role.name) : undefined;
    const evidence: string[] = [
      `${role.functions.length} functions have ${role.name} as their execution role: ${role.functions.map(label).join(', ')}`,
    ];
    // Sessions carry the function's name, not its region: one line per name.
    const names = [...new Set(role.functions.map((f) => f.name))].sort(cmp);
    for (const name of names) {
      const regions = role.functions.filter((f) => f.name === name).map((f) => f.region);
      if (!input.usage) continue;
      const s = activity?.sessions[name];
      const where = regions.join(', ');
      evidence.push(
        s && s.count > 0
          ? `${name} (${where}): ${s.count} calls by sessions named ${name}, ${s.firstSeen} to ${s.lastSeen}; ${s.actions.length} actions: ${listSome(s.actions)}`
          : `${name} (${where}): no call by sessions named ${name} in the window`,
      );
      if (regions.length > 1)
        evidence.push(
          `${name} exists in ${where}: Lambda names the sessions of each ${name} after the function alone, so the trail cannot tell their calls apart; each split role's policy covers the calls of all of them`,
        );
    }
    if (!input.usage)
      evidence.push('no trail was given: what each function uses is not known (pass --trail to see it)');
    out.push({
      id: `${ID}[${role.arn}]`,
      rule: ID,
      severity: 'medium',
      subject: { kind: 'role', arn: role.arn, name: role.name },
      message: `${role.name} is the execution role of ${role.functions.length} functions (${role.functions.map(label).join(', ')}): each holds the others' permissions`,
      evidence,
      fix:
        'give each function its own execution role, with the policy of its own use: ' +
        role.functions.map((f) => generateCommand(f)).join('; '),
      basis: input.usage ? 'configuration and trail' : 'configuration',
    });
  }
  return out;
}

export const rule: AuditRule = {
  id: ID,
  title: 'One execution role per function',
  advice:
    'AWS Lambda Developer Guide, "Defining Lambda function permissions with an execution role": ' +
    'give each function its own execution role with the least privilege it needs; a role shared by several ' +
    'functions grants each of them the union of their permissions (IAM roles are global: sharing across ' +
    'regions counts too).',
  severity: 'medium',
  needs: [],
  references: {},
  check,
};
