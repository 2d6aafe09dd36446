/**
 * Shared helpers of the role and function rules (PT-AUDIT-SHARED-ROLE, -OVER-PRIVILEGED,
 * -ADMIN-GRANT, -UNUSED-*): execution roles and their functions, a role's trail activity, the
 * `generate` command that fixes a role, and when the trail is too thin to call anything unused.
 * Pure.
 */
import { findRole } from '../../account/lookup';
import { DEFAULT_MIN_WINDOW_DAYS } from '../../diff';
import type { AccountState, FunctionInfo, PrincipalActivity, RoleInfo } from '../../model';
import type { AuditInput } from '../types';

const DAY = 86_400_000;

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One execution role and the functions that use it (sorted by name, region, ARN). */
export interface ExecutionRole {
  /** The role's ARN as IAM lists it, else as the functions name it (role absent from the state). */
  arn: string;
  name: string;
  role?: RoleInfo;
  functions: FunctionInfo[];
}

/** Every role some function uses, across all regions (IAM roles are global), sorted by ARN. */
export function executionRoles(state: AccountState): ExecutionRole[] {
  const byArn = new Map<string, ExecutionRole>();
  for (const fn of state.functions) {
    const role = findRole(state, fn.roleArn);
    const arn = role?.arn ?? fn.roleArn;
    let entry = byArn.get(arn);
    if (!entry) {
      entry = { arn, name: role?.roleName ?? arn.split('/').pop() ?? arn, role, functions: [] };
      byArn.set(arn, entry);
    }
    entry.functions.push(fn);
  }
  for (const e of byArn.values())
    e.functions.sort((a, b) => cmp(a.name, b.name) || cmp(a.region, b.region) || cmp(a.arn, b.arn));
  return [...byArn.values()].sort((a, b) => cmp(a.arn, b.arn));
}

/** The role's trail activity (keyed by ARN, or `role/NAME` when events named only the role). */
export function activityOf(input: AuditInput, arn: string, name: string): PrincipalActivity | undefined {
  return input.usage?.principals[arn] ?? input.usage?.principals[`role/${name}`];
}

/** `policy-tighten generate --function NAME [--region R] …` (… = the audit's sources, account, window). */
export function generateCommand(fn: { name: string; region?: string }): string {
  return `policy-tighten generate --function ${fn.name}${fn.region ? ` --region ${fn.region}` : ''} …`;
}

/** At most `max` items joined, with how many more. */
export function listSome(items: readonly string[], max = 20): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * Why the trail is too thin to call access unused (the diff's rule, src/diff/diff.ts): a partial
 * read, or a window shorter than DEFAULT_MIN_WINDOW_DAYS (or than the role's age, when younger).
 * Empty when the evidence is enough.
 */
export function thinEvidence(input: AuditInput, createDate?: string): string[] {
  const out: string[] = [];
  if (input.report?.coverage.partial)
    out.push('the trail read was partial (input skipped or not mapped): unused may mean unseen');
  if (input.window) {
    const until = Date.parse(input.window.until);
    const days = (until - Date.parse(input.window.since)) / DAY;
    const created = createDate ? Date.parse(createDate) : NaN;
    const age = Number.isNaN(created) ? Infinity : (until - created) / DAY;
    const required = Math.min(DEFAULT_MIN_WINDOW_DAYS, Math.max(0, age));
    if (days + 1e-9 < required)
      out.push(
        `the window is ${round1(days)} days; calling access unused needs at least ${round1(required)} days of trail` +
          (age < DEFAULT_MIN_WINDOW_DAYS ? " (the role's age)" : '') +
          ': widen --since',
      );
  }
  return out;
}

/**
 * One evidence line when the events read do not span the window (a day or more missing at an
 * edge): what is called unused rests on the days the trail holds. Undefined otherwise.
 */
export function coverageNote(input: AuditInput): string | undefined {
  const cov = input.report?.coverage;
  if (!cov || !input.window) return undefined;
  if (!cov.first || !cov.last) return 'the trail holds no event in the window';
  const since = Date.parse(input.window.since);
  const until = Date.parse(input.window.until);
  const first = Date.parse(cov.first);
  const last = Date.parse(cov.last);
  if ((first - since) / DAY <= 1 && (until - last) / DAY <= 1) return undefined;
  return (
    `the events read span ${cov.first} to ${cov.last} (${round1((last - first) / DAY)} days) of the ` +
    `${round1((until - since) / DAY)}-day window: check that the trail holds every day before removing anything`
  );
}
