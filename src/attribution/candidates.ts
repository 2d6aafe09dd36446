/**
 * Attribution that cannot be spoofed or merged. Pure.
 *
 * Without an account snapshot, `--function NAME` means "the role sessions named NAME" — but anyone
 * who may assume some other role can name a session NAME. After the trail is read, the roles that
 * carried such sessions are the candidates:
 * - one role: it is the function's role (the summary names it);
 * - several, and Lambda itself started NAME sessions of exactly one of them (`sts:AssumeRole` by
 *   lambda.amazonaws.com in the trail): that one; the others are excluded and reported;
 * - otherwise the question is ambiguous: a usage error asking for `--role` or a snapshot.
 * `--role NAME` that matches roles of several accounts (an organization trail) is ambiguous too.
 */
import type { Finding, UsageAggregate } from '../model';
import { roleNameFromArn, type Target } from './target';

export type AttributionCheck =
  /** Keep the usage; `target` may now name the role. */
  | { status: 'ok'; target: Target; findings: Finding[] }
  /** Read the trail again for `target` (the excluded roles' calls were mixed in). */
  | { status: 'narrow'; target: Target; findings: Finding[] }
  | { status: 'ambiguous'; message: string };

const ARN = /^arn:[a-z-]+:iam::(\d{12}):role\//;

function accountOf(roleArn: string): string | undefined {
  return ARN.exec(roleArn)?.[1];
}

function listed(roles: readonly string[], counts: Readonly<Record<string, number>>): string {
  return roles.map((r) => `${r} (${counts[r]} events)`).join(', ');
}

/** See the file header. */
export function checkAttribution(target: Target, usage: UsageAggregate): AttributionCheck {
  const counts = usage.attributedRoles;
  const roles = Object.keys(counts).sort();
  if (target.kind === 'function' && target.functionName && !target.roleArn && !target.roleName) {
    const fn = target.functionName;
    if (roles.length === 0) return { status: 'ok', target, findings: [] };
    if (roles.length === 1) return { status: 'ok', target: withRole(target, roles[0]), findings: [] };
    const started = roles.filter((r) => (usage.lambdaSessions[r]?.[fn] ?? 0) > 0);
    if (started.length === 1) {
      const others = roles.filter((r) => r !== started[0]);
      return {
        status: 'narrow',
        target: withRole(target, started[0]),
        findings: [
          {
            id: `PT-SESSION-ELSEWHERE[${fn}]`,
            code: 'PT-SESSION-ELSEWHERE',
            severity: 'warning',
            message:
              `role sessions named ${fn} also appear under ${listed(others, counts)}; Lambda started ${fn}'s ` +
              `sessions of ${started[0]} only, so the calls of the other roles are excluded (someone else named a session ${fn})`,
            count: others.reduce((n, r) => n + (counts[r] ?? 0), 0),
            sampleEventIds: [],
          },
        ],
      };
    }
    return {
      status: 'ambiguous',
      message:
        `role sessions named ${fn} appear under ${roles.length} roles (${listed(roles, counts)}) and the trail ` +
        `does not show which one Lambda runs ${fn} with: pass --role ARN or --account-snapshot DIR`,
    };
  }
  if (target.roleName && !target.roleArn) {
    const arns = roles.filter((r) => ARN.test(r) && roleNameFromArn(r) === target.roleName);
    const accounts = [...new Set(arns.map(accountOf))];
    if (accounts.length > 1) {
      return {
        status: 'ambiguous',
        message: `role ${target.roleName} exists in ${accounts.length} accounts (${arns.join(', ')}): pass the role ARN`,
      };
    }
    if (arns.length === 1) return { status: 'ok', target: withRole(target, arns[0]), findings: [] };
  }
  return { status: 'ok', target, findings: [] };
}

function withRole(target: Target, role: string): Target {
  if (!ARN.test(role)) return target;
  const what = target.kind === 'function' ? `function ${target.functionName}` : 'role';
  return {
    ...target,
    roleArn: role,
    display: target.kind === 'function' ? `${what} (role ${role})` : `role ${role}`,
  };
}
