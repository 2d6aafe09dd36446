/**
 * Types of the policy generator (src/generate). Internal to the generator and its callers; the
 * public policy shape is `PolicyDocument` in src/model.
 */
import type { PermissionOrigin } from '../model';

/**
 * How far observed resources are generalised (docs/generation.md):
 * - `exact`: the observed ARNs, nothing else;
 * - `prefix` (default): S3 object keys collapse to their shared folder (`bucket/prefix/*`), log
 *   streams to their log group (`…:log-stream:*`); every other ARN stays exact;
 * - `type`: every resource of the action's resource type within the same account and region
 *   (and, for S3, the same bucket): `table/*`, `bucket/*`.
 * None of them ever crosses a partition, account, region or S3 bucket.
 */
export type Granularity = 'exact' | 'prefix' | 'type';

/** The granularity a careful reviewer wants by default: keeps working tomorrow, no wider. */
export const DEFAULT_GRANULARITY: Granularity = 'prefix';

/** IAM size quotas (characters counted without whitespace, as IAM counts them). */
export interface Quotas {
  /** Managed policy document size. @default 6144 */
  managedPolicySize: number;
  /** Managed policies attached to one role. @default 10 */
  managedPoliciesPerRole: number;
  /** Inline policies of one role, all documents together. @default 10240 */
  inlinePolicySizePerRole: number;
}

export const DEFAULT_QUOTAS: Readonly<Quotas> = Object.freeze({
  managedPolicySize: 6144,
  managedPoliciesPerRole: 10,
  inlinePolicySizePerRole: 10240,
});

/** One observed (or denied) call behind a statement: the provenance a reviewer can follow. */
export interface StatementOrigin {
  action: string;
  /** The resource as observed (before generalisation). */
  resource: string;
  /** True for a denied call added by `includeDenied`. */
  denied: boolean;
  count: number;
  firstSeen: string;
  lastSeen: string;
  sampleEventIds: string[];
  origins: PermissionOrigin[];
}

/** A generated Condition: operator → key → sorted values, operators and keys sorted. */
export type StatementCondition = Record<string, Record<string, string[]>>;

/** A statement under construction: sorted, deduplicated actions and resources. */
export interface DraftStatement {
  actions: string[];
  resources: string[];
  /** Statements of denied calls (includeDenied) never merge with observed ones. */
  denied: boolean;
  /** Where the evidence is uniform (conditions.ts); statements merge only with equal conditions. */
  condition?: StatementCondition;
  origins: StatementOrigin[];
}
