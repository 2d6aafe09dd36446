/**
 * PT-AUDIT-CAN-CHANGE-FUNCTION: the roles and IAM users that can change a function (code, configuration,
 * resource policy) or run code as its execution role, and, with a trail, who called those APIs.
 * docs/audit-rules/PT-AUDIT-CAN-CHANGE-FUNCTION.md.
 */
import {
  CAPABILITIES,
  CAPABILITY_ACTIONS,
  grantsOn,
  rolePolicies,
  userPolicies,
  workloadOf,
  type Capability,
  type RolePolicies,
} from '../exposure/can-change';
import { shown } from '../exposure/resource-policy';
import type { AuditFinding, AuditInput, AuditRule } from '../types';
import type { FunctionInfo } from '../../model';

const ID = 'PT-AUDIT-CAN-CHANGE-FUNCTION';

/** `1 role`, `2 roles`. */
const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Principals listed per finding; the rest are counted. */
export const MAX_LISTED = 20;

const TRAIL_ACTIONS = [
  'lambda:AddPermission',
  'lambda:CreateFunction',
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
];

interface Holder {
  kind: 'role' | 'user';
  arn: string;
  name: string;
  allowed: Capability[];
  conditional: Capability[];
  workload?: string;
  self: boolean;
}

function line(h: Holder): string {
  const parts = [
    h.allowed.length > 0 ? h.allowed.join(', ') : '',
    h.conditional.length > 0 ? `conditional: ${h.conditional.join(', ')}` : '',
  ].filter((x) => x !== '');
  const who =
    h.kind === 'user'
      ? 'IAM user'
      : h.self
        ? 'its own execution role'
        : h.workload
          ? h.workload
          : 'not a workload role';
  return `${shown(h.arn, 200)}: ${parts.join('; ')} (${who})`;
}

function trailLines(input: AuditInput, fn: FunctionInfo): string[] {
  const out: string[] = [];
  for (const key of Object.keys(input.usage?.principals ?? {}).sort()) {
    const entries = Object.values(input.usage!.principals[key].usage.entries);
    const calls = TRAIL_ACTIONS.flatMap((action) => {
      const inRegion = entries.filter(
        (e) => e.action.toLowerCase() === action.toLowerCase() && e.regions.includes(fn.region),
      );
      const n = inRegion.reduce((s, e) => s + e.count, 0);
      return n > 0 ? [`${action} ${n}×`] : [];
    });
    if (calls.length > 0) out.push(`${shown(key, 200)} called ${calls.join(', ')} in ${fn.region}`);
  }
  return out;
}

export const rule: AuditRule = {
  id: ID,
  title: 'Principals that can change the function or run code as its role',
  advice:
    "Lambda's security best practices: grant least privilege, and keep the management of functions to " +
    'authorized principals. Whoever can call lambda:UpdateFunctionCode, lambda:UpdateFunctionConfiguration or ' +
    'lambda:AddPermission on a function, or iam:PassRole on its execution role with lambda:CreateFunction, can ' +
    'run code with the execution role\'s permissions ("Defining Lambda function permissions with an execution ' +
    'role"; IAM "Grant a user permissions to pass a role to an AWS service").',
  severity: 'medium',
  needs: [],
  references: { prowler: [], securityHub: [], checkov: [] },
  check(input) {
    const { state } = input;
    const policies = new Map<string, RolePolicies>();
    for (const role of state.roles) {
      const p = rolePolicies(state, role);
      if (p) policies.set(role.arn, p);
    }
    const unknown = state.roles
      .filter((r) => (policies.get(r.arn)?.unknown.length ?? 0) > 0)
      .map((r) => r.roleName);
    const users = [...state.users].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const userPols = new Map<string, RolePolicies>();
    for (const user of users) {
      const p = userPolicies(state, user);
      if (p) userPols.set(user.arn, p);
    }
    const usersNotJudged = users.filter((u) => !userPols.has(u.arn)).length;
    const usersPartly = users
      .filter((u) => (userPols.get(u.arn)?.unknown.length ?? 0) > 0)
      .map((u) => u.userName);
    const findings: AuditFinding[] = [];
    for (const fn of [...state.functions].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0))) {
      const holders: Holder[] = [];
      for (const role of state.roles) {
        const p = policies.get(role.arn);
        if (!p) continue;
        const grants = grantsOn(p, fn);
        const allowed = CAPABILITIES.filter((c) => grants[c] === 'allowed');
        const conditional = CAPABILITIES.filter((c) => grants[c] === 'conditional');
        if (allowed.length + conditional.length === 0) continue;
        const workload = workloadOf(state, role);
        holders.push({
          kind: 'role',
          arn: role.arn,
          name: role.roleName,
          allowed,
          conditional,
          ...(workload ? { workload } : {}),
          self: role.arn === fn.roleArn,
        });
      }
      for (const user of users) {
        const p = userPols.get(user.arn);
        if (!p) continue;
        const grants = grantsOn(p, fn);
        const allowed = CAPABILITIES.filter((c) => grants[c] === 'allowed');
        const conditional = CAPABILITIES.filter((c) => grants[c] === 'conditional');
        if (allowed.length + conditional.length === 0) continue;
        holders.push({ kind: 'user', arn: user.arn, name: user.userName, allowed, conditional, self: false });
      }
      if (holders.length === 0) continue;
      holders.sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
      const escalating = holders.filter(
        (h) => h.kind === 'role' && (h.self || h.workload) && h.allowed.length > 0,
      );
      const roleHolders = holders.filter((h) => h.kind === 'role').length;
      const userHolders = holders.length - roleHolders;
      const conditionalOnly = holders.filter((h) => h.allowed.length === 0).length;
      const evidence = holders.slice(0, MAX_LISTED).map(line);
      if (holders.length > MAX_LISTED)
        evidence.push(
          `… and ${holders.length - MAX_LISTED} more ${userHolders > 0 ? 'principals' : 'roles'}`,
        );
      evidence.push(
        `judged on ${fn.arn} and its execution role ${fn.roleArn} by the identity policies and boundaries of ` +
          `${count(policies.size, 'role')}${userPols.size > 0 ? ` and ${count(userPols.size, 'IAM user')} (with their groups' policies)` : ''}; capabilities: ${CAPABILITIES.map((c) => `${c} = ${CAPABILITY_ACTIONS[c].join(' + ')}`).join('; ')}`,
      );
      if (unknown.length > 0)
        evidence.push(
          `${count(unknown.length, 'role')} ${unknown.length === 1 ? 'holds' : 'hold'} managed policies the account state lacks, not judged for them: ` +
            `${unknown.sort().slice(0, 5).join(', ')}${unknown.length > 5 ? ' …' : ''}`,
        );
      if (usersPartly.length > 0)
        evidence.push(
          `${count(usersPartly.length, 'IAM user')} ${usersPartly.length === 1 ? 'holds' : 'hold'} managed policies or groups the account state lacks, not judged for them: ` +
            `${usersPartly.slice(0, 5).join(', ')}${usersPartly.length > 5 ? ' …' : ''}`,
        );
      if (usersNotJudged > 0)
        evidence.push(
          `${count(usersNotJudged, 'IAM user')} not judged: the account state keeps no user or group policies for them`,
        );
      let basis: AuditFinding['basis'] = 'configuration';
      if (input.usage) {
        const calls = trailLines(input, fn);
        const window = input.window ? ` ${input.window.since} – ${input.window.until}` : '';
        evidence.push(
          calls.length > 0
            ? `in the trail${window} (the account pass keeps each principal's actions and regions, not the function they named: not necessarily this one):`
            : `in the trail${window}: no principal called ${TRAIL_ACTIONS.join(', ')} in ${fn.region}`,
        );
        evidence.push(...calls.slice(0, MAX_LISTED));
        if (calls.length > MAX_LISTED) evidence.push(`… and ${calls.length - MAX_LISTED} more principals`);
        basis = 'configuration and trail';
      }
      const name = shown(fn.name);
      const firstWorkload = escalating.find((h) => !h.self) ?? escalating[0];
      const fnOfWorkload = firstWorkload
        ? state.functions.find((f) => f.roleArn === firstWorkload.arn)
        : undefined;
      findings.push({
        id: `${ID}[${fn.arn}]`,
        rule: ID,
        severity: escalating.length > 0 ? 'high' : 'medium',
        subject: { kind: 'function', arn: fn.arn, name, region: fn.region },
        message:
          count(roleHolders, 'role') +
          (userHolders > 0 ? ` and ${count(userHolders, 'IAM user')}` : '') +
          ` can change ${name} or run code as its role` +
          (conditionalOnly > 0 ? ` (${conditionalOnly} only under a condition)` : '') +
          (escalating.length > 0
            ? `, ${escalating.length} of them a workload's role (${escalating
                .map((h) => shown(h.name, 64))
                .slice(0, 3)
                .join(', ')})`
            : ''),
        evidence,
        fix:
          (fnOfWorkload
            ? `tighten the workload roles first (policy-tighten generate --function ${shown(fnOfWorkload.name)}); `
            : '') +
          `keep lambda:UpdateFunctionCode, lambda:UpdateFunctionConfiguration, lambda:AddPermission and ` +
          `iam:PassRole on ${shown(fn.roleArn, 200)} to the deployment roles, scoped to the function ARNs they deploy`,
        basis,
      });
    }
    return findings;
  },
};
