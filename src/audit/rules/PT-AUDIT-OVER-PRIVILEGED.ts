/**
 * PT-AUDIT-OVER-PRIVILEGED: least privilege from actual use, from the unused-access report's own
 * model (src/report/unused.ts): per execution role, the actions granted (wildcards and NotAction
 * expanded, denied ones removed) against those used in the window (its calls, and what its
 * functions' configuration needs although CloudTrail never shows it); unused actions the trail
 * cannot show (data events off) are counted apart, never as unused. Write and permissions
 * management access granted and never used is named.
 *
 * No data is not evidence: a role the report does not judge, a role with a function changed
 * inside the window, a role without a call (PT-AUDIT-UNUSED-ROLE speaks for it), a partial read
 * or a window too short are reported as not judged (info), never as over-privileged.
 */
import { accessLevelOf } from '../../diff';
import type { RolePermissions } from '../../report';
import { coverageNote, executionRoles, generateCommand, listSome, thinEvidence } from '../roles/common';
import type { AuditFinding, AuditInput, AuditRule } from '../types';

const ID = 'PT-AUDIT-OVER-PRIVILEGED';

const HIGH_LEVELS = ['Permissions management', 'Write'] as const;

/** Unused actions of the two riskiest access levels; `atLeast` when the listing was cut. */
function riskyUnused(p: RolePermissions, input: AuditInput) {
  const byLevel: Record<string, string[]> = { 'Permissions management': [], Write: [] };
  for (const a of p.unusedActions) {
    const level = accessLevelOf(input.catalog.action(a));
    if (level in byLevel) byLevel[level].push(a);
  }
  const truncated = p.unusedActions.length < p.unused;
  const last = p.unusedActions[p.unusedActions.length - 1];
  const lastLevel = last ? accessLevelOf(input.catalog.action(last)) : undefined;
  // The list is ordered permissions management, write, then the rest: cut inside the risky
  // levels, the counts are lower bounds.
  const atLeast = truncated && (HIGH_LEVELS as readonly string[]).includes(lastLevel ?? '');
  return { byLevel, atLeast };
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function check(input: AuditInput): AuditFinding[] {
  const report = input.report;
  if (!report) return [];
  const out: AuditFinding[] = [];
  const notJudgedRoles = new Map(report.rolesNotJudged.map((r) => [r.arn, r.reason]));
  const notJudgedFunctions = new Map(report.functionsNotJudged.map((f) => [f.arn, f.reason]));
  const permissions = new Map(report.unusedPermissions.map((p) => [p.arn, p]));
  for (const role of executionRoles(input.state)) {
    const p = permissions.get(role.arn);
    if (!p) continue; // the role's policies grant nothing the catalog knows, or the role is unknown
    const fnNames = [...new Set(role.functions.map((f) => f.name))];
    const subject = { kind: 'role' as const, arn: role.arn, name: role.name };
    const base = { id: `${ID}[${role.arn}]`, rule: ID, subject, basis: 'configuration and trail' as const };
    const fix = `replace its policies with those of what its functions did: ${fnNames.map((name) => generateCommand({ name })).join('; ')}`;
    const reasons: string[] = [];
    const roleReason = notJudgedRoles.get(role.arn);
    if (roleReason) reasons.push(`the report does not judge ${role.name}: ${roleReason}`);
    for (const fn of role.functions) {
      const r = notJudgedFunctions.get(fn.arn);
      if (r) reasons.push(`the report does not judge ${fn.name} (${fn.region}): ${r}`);
    }
    if (p.idle)
      reasons.push(
        `${role.name} made no call in the window: no use to compare with (see PT-AUDIT-UNUSED-ROLE)`,
      );
    reasons.push(...thinEvidence(input, role.role?.createDate));
    if (reasons.length > 0) {
      out.push({
        ...base,
        severity: 'info',
        message: `${role.name}: least privilege not judged (${reasons.length} reason${reasons.length > 1 ? 's' : ''})`,
        evidence: [...reasons, `${p.granted} actions granted`],
        fix: `widen the window or wait for the function to run, then audit again; meanwhile ${fix}`,
      });
      continue;
    }
    if (p.unused === 0) continue;
    const { byLevel, atLeast } = riskyUnused(p, input);
    const evidence: string[] = [
      `${p.granted} actions granted, ${p.used} used in the window, ${p.unused} unused (${pct(p.unusedShare)} of those this trail can show)`,
    ];
    if (p.unobservable > 0)
      evidence.push(
        `${p.unobservable} more granted and unused but of a kind this trail cannot show (not counted as unused): ${listSome(p.unobservableActions, 10)}`,
      );
    for (const level of HIGH_LEVELS) {
      const list = byLevel[level];
      if (list.length > 0)
        evidence.push(
          `${level} access granted and never used: ${atLeast ? 'at least ' : ''}${list.length} actions: ${listSome(list, 15)}`,
        );
    }
    const services = Object.entries(p.unusedByService)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([svc, n]) => `${svc} ${n}`);
    evidence.push(`unused per service: ${listSome(services, 10)}`);
    if (p.unknownPolicies.length > 0)
      evidence.push(
        `policies whose documents the account state lacks (the counts are a lower bound): ${p.unknownPolicies.join('; ')}`,
      );
    const gap = coverageNote(input);
    if (gap) evidence.push(gap);
    const risky = byLevel['Permissions management'].length + byLevel.Write.length;
    out.push({
      ...base,
      severity: 'medium',
      message:
        `${role.name} grants ${p.unused} actions its functions did not use in the window (${pct(p.unusedShare)} of its observable grant)` +
        (risky > 0 ? `, ${atLeast ? 'at least ' : ''}${risky} of them write or permissions management` : ''),
      evidence,
      fix,
    });
  }
  return out;
}

export const rule: AuditRule = {
  id: ID,
  title: 'Execution role grants more than its functions use',
  advice:
    'AWS Lambda Developer Guide, "Defining Lambda function permissions with an execution role" (grant least ' +
    'privilege) and the Lambda operator guide ("Least privilege"): the execution role should allow only what the ' +
    'function needs; access granted and never used in a long enough window, write and permissions management ' +
    'first, should be removed.',
  severity: 'medium',
  needs: ['trail'],
  references: {},
  check,
};
