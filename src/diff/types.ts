/**
 * The semantic diff of a role's current identity policies against the proposed least-privilege
 * policy (docs/review.md; the JSON of `--diff-out` is this object, schema in docs/review.md).
 * Plain, serialisable values: every renderer (JSON, Markdown) works from it.
 */
import type { PermissionOrigin, PolicyRef } from '../model';

export type { PolicyRef };

/**
 * Access levels of the Service Authorization Reference, in review order (riskiest first).
 * iam-data spells combined levels (`Permissions management, Write`, `Tagging, Write`); the
 * first named level is the one a reviewer cares about.
 */
export const ACCESS_LEVEL_ORDER = [
  'Permissions management',
  'Write',
  'Tagging',
  'List',
  'Read',
  'Unknown',
] as const;
export type AccessLevel = (typeof ACCESS_LEVEL_ORDER)[number];

/** One current Allow statement that grants an action. */
export interface Grant {
  /** Display name of the policy (`inline:orders-api-runtime`, `AmazonDynamoDBFullAccess`). */
  policy: string;
  sid?: string;
  /** The statement's Resource patterns; with `notResource`, the patterns it excludes. */
  resources: string[];
  notResource?: boolean;
  /** The statement has a Condition: the grant holds only when it is met. */
  conditional: boolean;
}

/** Evidence of use, summed over the action's resources. */
export interface Evidence {
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  origins: PermissionOrigin[];
  notes: string[];
}

interface ActionRef {
  action: string;
  service: string;
  accessLevel: AccessLevel;
}

/** Granted today, not used in the window: the proposal drops it. */
export interface RemovedEntry extends ActionRef {
  grants: Grant[];
  /** The permissions boundary already blocks it: removing it changes nothing effective. */
  blockedByBoundary?: boolean;
}

/** Granted on `*` or a broad pattern, used on these resources only. */
export interface NarrowedEntry extends ActionRef {
  /** Current grant patterns (union over grants). */
  from: string[];
  /** The proposal's resources for this action. */
  to: string[];
  /** Condition keys the proposal adds for this action (kms:ViaService, s3:prefix). */
  conditionKeys?: string[];
  grants: Grant[];
  evidence: Evidence;
}

/** Granted today and used exactly as granted. */
export interface KeptEntry extends ActionRef {
  resources: string[];
  evidence: Evidence;
}

export type AddedReason =
  /** The function's configuration needs it (implied need) and no current policy grants it. */
  | 'implied-not-granted'
  /** CloudTrail shows a successful call that today's policies would not allow. */
  | 'observed-not-granted'
  /** Granted today only under a Condition; the proposal grants it without one. */
  | 'conditional-today';

/** In the proposal, not granted today (on these resources). */
export interface AddedEntry extends ActionRef {
  resources: string[];
  reason: AddedReason;
  evidence: Evidence;
}

/** Granted today, but this trail cannot show whether it is used: kept unless asked. */
export interface NotObservableEntry extends ActionRef {
  /** Observability category id (`s3-object`, `cloudwatch-metrics` …). */
  category: string;
  /** Human wording of the category (`S3 object-level access`). */
  what: string;
  /** Kept in the proposal (false under `--drop-unobservable`). */
  kept: boolean;
  grants: Grant[];
}

/** An explicit Deny statement of a current policy, carried into the proposal verbatim. */
export interface Guardrail {
  policy: string;
  /** Sid as written in the current policy. */
  sid?: string;
  /** Sid in the proposal: the same, unless it collided with another statement's Sid. */
  proposedSid?: string;
  /** The statement as written (canonical key order when rendered). */
  statement: Record<string, unknown>;
}

/** An action × resource the proposal allows that the permissions boundary does not. */
export interface BoundaryBlock {
  action: string;
  resources: string[];
  /** `implicit` (no boundary Allow), `deny` (an explicit Deny in the boundary), `conditional`. */
  why: 'implicit' | 'deny' | 'conditional';
}

export type RefusalCode = 'short-window' | 'partial-read' | 'no-calls' | 'current-unknown';

/** Why removals are not presented as safe. */
export interface Refusal {
  code: RefusalCode;
  message: string;
}

/** A permission of the proposal that today's policies do not grant (CheckNoNewAccess, offline). */
export interface NewAccess {
  action: string;
  resource: string;
  reason: AddedReason;
}

export interface DiffCounts {
  /** Distinct actions granted today (wildcards expanded through the catalog). */
  grantedActions: number;
  /** Distinct actions the proposal allows because they were used (observed or on-behalf). */
  usedActions: number;
  removedActions: number;
  narrowedActions: number;
  keptActions: number;
  addedActions: number;
  notObservableActions: number;
  /** removedActions / grantedActions, rounded to 4 decimals (0 when nothing is granted). */
  removedShare: number;
}

export interface PolicyDiff {
  /** Version of this JSON shape (docs/review.md). */
  schemaVersion: 1;
  target: { display: string; roleArn: string; roleName: string };
  window: {
    since: string;
    until: string;
    /** Length of the window in days (1 decimal). */
    days: number;
    /** Minimum the evidence needs (the role's age when younger). */
    requiredDays: number;
    /** First and last eventTime read from the trail in the window (all principals). */
    coverage?: { first: string; last: string };
  };
  current: {
    policies: PolicyRef[];
    boundary?: PolicyRef;
    /** Attached policies whose document the account state does not hold: unknown grants. */
    unknown: string[];
  };
  counts: DiffCounts;
  removed: RemovedEntry[];
  narrowed: NarrowedEntry[];
  kept: KeptEntry[];
  added: AddedEntry[];
  notObservable: NotObservableEntry[];
  guardrails: Guardrail[];
  boundaryBlocks: BoundaryBlock[];
  /** Empty when the evidence supports the removals. */
  refusals: Refusal[];
  /** True when removals may be presented as safe (no refusal). */
  safeToRemove: boolean;
  /** The proposal grants nothing today's policies do not, apart from `exceptions` (all listed in `added`). */
  noNewAccess: { holds: boolean; exceptions: NewAccess[] };
  /** Anything removed, narrowed or added. */
  changed: boolean;
  /** Unified diff of the canonical current documents vs the proposal. */
  textDiff: string;
}
