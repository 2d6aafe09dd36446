/**
 * Wiring of the review stage: the target role's current policies (account state), what the
 * proposal carries over from them, and the diff once the proposal is generated.
 */
import type { Target } from '../attribution';
import { currentPoliciesOf } from '../account/current-policies';
import type { Catalog } from '../catalog/catalog';
import {
  carryOver,
  diffPolicies,
  loadServicesFor,
  parsePolicies,
  type CarryOver,
  type DiffResult,
  type ParsedPolicy,
} from '../diff';
import type { AccountState, CurrentPolicies, PolicyDocument, UsageAggregate } from '../model';

/** The current side of the review, prepared before generation. */
export interface ReviewBasis {
  current: CurrentPolicies;
  identity: ParsedPolicy;
  boundary?: ParsedPolicy;
  carry: CarryOver;
}

/**
 * The current policies of the target's role and what the proposal must carry over from them.
 * Undefined without account state, for IAM users, or when the role is not in the account state.
 */
export async function prepareReview(
  state: AccountState | undefined,
  target: Target,
  usage: UsageAggregate,
  catalog: Catalog,
  options: { dropUnobservable: boolean },
): Promise<ReviewBasis | undefined> {
  if (!state || !target.roleArn || target.kind === 'user') return undefined;
  const current = currentPoliciesOf(state, target.roleArn);
  if (!current) return undefined;
  const identity = parsePolicies(current.identity);
  const boundary = current.boundary ? parsePolicies([current.boundary]) : undefined;
  await loadServicesFor([...identity.statements, ...(boundary?.statements ?? [])], catalog);
  const entries = Object.values(usage.entries);
  const carry = carryOver({
    statements: identity.statements,
    catalog,
    proposalActions: [...new Set(entries.map((e) => e.action))].sort(),
    observedActions: [
      ...new Set(
        entries.filter((e) => !e.origins.every((o) => o === 'implied-by-config')).map((e) => e.action),
      ),
    ].sort(),
    dataEventSources: usage.dataEventSources,
    dropUnobservable: options.dropUnobservable,
  });
  return { current, identity, ...(boundary ? { boundary } : {}), carry };
}

/** Names of the proposal's documents: `NAME`, then `NAME-2`, `NAME-3` … */
export function proposalNames(base: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? base : `${base}-${i + 1}`));
}

/** The diff of the proposal against the basis. */
export function reviewDiff(
  basis: ReviewBasis,
  input: {
    target: Target;
    policies: readonly PolicyDocument[];
    policyName: string;
    usage: UsageAggregate;
    catalog: Catalog;
    window: { since: Date; until: Date };
    minWindowDays?: number;
    partial: boolean;
  },
): DiffResult {
  return diffPolicies({
    target: {
      display: input.target.display,
      roleArn: basis.current.roleArn,
      roleName: basis.current.roleName,
    },
    current: basis.current,
    identity: basis.identity,
    ...(basis.boundary ? { boundary: basis.boundary } : {}),
    carry: basis.carry,
    proposal: input.policies,
    proposalNames: proposalNames(input.policyName, input.policies.length),
    entries: Object.values(input.usage.entries),
    catalog: input.catalog,
    window: input.window,
    ...(input.usage.coverage ? { coverage: input.usage.coverage } : {}),
    ...(input.minWindowDays !== undefined ? { minWindowDays: input.minWindowDays } : {}),
    partial: input.partial,
    attributed: input.usage.stats.attributed,
  });
}
