import type { Finding } from '../model';
import type { Target } from './target';

/** The PT-SHARED-ROLE finding: `fn`'s policy was made from its own sessions only. */
export function sharedRoleFinding(
  roleArn: string,
  fn: string,
  users: readonly string[],
  evidence: string,
): Finding {
  return {
    id: `PT-SHARED-ROLE[${roleArn}]`,
    code: 'PT-SHARED-ROLE',
    severity: 'warning',
    message:
      `role ${roleArn} is shared by ${users.length} ${evidence} (${users.join(', ')}); only ${fn}'s calls ` +
      `(role session named ${fn}) are used, so this policy fits ${fn} alone. AWS advises one role per function.`,
    count: 1,
    sampleEventIds: [],
  };
}

/** Session names listed in a message, at most. */
const MAX_LISTED = 10;

/**
 * Shared roles seen in the trail itself: a role on which the function's session name appears
 * next to other session names (Lambda names each function's session after it). Used when no
 * snapshot says which functions use the role, or to add what the snapshot does not know.
 */
export function sharedRoleFindingsFromTrail(
  target: Target,
  roleSessions: Readonly<Record<string, Readonly<Record<string, number>>>>,
): Finding[] {
  const fn = target.functionName;
  if (target.kind !== 'function' || fn === undefined) return [];
  const findings: Finding[] = [];
  for (const role of Object.keys(roleSessions).sort()) {
    const sessions = roleSessions[role];
    if (sessions[fn] === undefined) continue;
    if (target.roleArn && role !== target.roleArn) continue;
    const names = Object.keys(sessions).sort();
    if (names.length < 2) continue;
    const listed = names.length > MAX_LISTED ? [...names.slice(0, MAX_LISTED), '…'] : names;
    findings.push(sharedRoleFinding(role, fn, listed, 'role session names in the trail'));
  }
  return findings;
}
