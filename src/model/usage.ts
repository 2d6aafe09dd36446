import type { Finding } from './findings';
import type { PermissionOrigin } from './mapping';

/** Provenance of one (action, resource) pair. */
export interface UsageEntry {
  action: string;
  resource: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Sorted distinct regions of the events. */
  regions: string[];
  /** Up to MAX_SAMPLES event ids, smallest first. */
  sampleEventIds: string[];
  /** Sorted distinct origins. */
  origins: PermissionOrigin[];
  wildcardReason?: string;
  /** Sorted distinct notes (implied permissions). */
  notes: string[];
  /**
   * Per condition key, what the entry's calls carried (RequiredPermission.context): a condition
   * is written only when every call carried the key (`seen` = `count`) and no value was dropped.
   */
  context?: Record<string, ContextEvidence>;
}

/** The values of one condition key over an entry's calls. */
export interface ContextEvidence {
  /** Sorted distinct values, at most MAX_CONTEXT_VALUES. */
  values: string[];
  /** Calls that carried the key. */
  seen: number;
  /** More than MAX_CONTEXT_VALUES distinct values were seen: no condition can list them all. */
  overflow?: boolean;
}

/** Distinct values kept per condition key of a usage entry. */
export const MAX_CONTEXT_VALUES = 64;

/** Counters of one run; every number in the human summary. */
export interface RunStats {
  filesRead: number;
  /** Files that could not be used at all (unreadable, not CloudTrail, empty). */
  filesSkipped: number;
  /** Files never opened because their path date lies outside the window. */
  filesOutsideWindow: number;
  /** Digest files and files with other extensions under a searched directory. */
  filesIgnored: number;
  eventsRead: number;
  malformedEvents: number;
  eventsOutsideWindow: number;
  /** Events of the requested principal (role, function or user). */
  attributed: number;
  /** Attributed successful events mapped to permissions. */
  mapped: number;
  /** Attributed events that failed (`errorCode`): excluded, counted. */
  excludedFailed: number;
  /** Of those, denied ones (AccessDenied and friends). */
  denied: number;
  unmapped: number;
  noPermissionNeeded: number;
  /** Events whose values were rejected as malformed by the mapping. */
  rejected: number;
  /** Events of the role that belong to another function sharing it. */
  otherFunctionEvents: number;
}

/** A mergeable, serialisable aggregate of usage for one principal. */
export interface UsageAggregate {
  stats: RunStats;
  /** Keyed `${action} ${resource}`. */
  entries: Record<string, UsageEntry>;
  /** Denied calls, keyed like entries (only action and resource meaningful). */
  denied: Record<string, UsageEntry>;
  /** Keyed by finding id. */
  findings: Record<string, Finding>;
  /**
   * Role session names seen per role (role ARN → session → events), for every role in the
   * trail, at most MAX_SESSIONS_PER_ROLE per role: Lambda names sessions after functions, so
   * several names on one role reveal a role shared by several functions.
   */
  roleSessions: Record<string, Record<string, number>>;
  /** Per event source: how many data events the trail holds (observability). */
  dataEventSources: Record<string, number>;
  /**
   * Permissions whose resource another event names (RequiredPermission.correlationKey), keyed
   * `${action} ${correlationKey}`; resolved by resolveCorrelations once all files are merged.
   */
  pending: Record<string, PendingEntry>;
  /** Resources made known by events, by correlation key. */
  correlations: Record<string, string>;
  /**
   * Attributed events per role (ARN, or name when an event lacks the ARN): without a snapshot,
   * `--function NAME` must rest on the sessions of exactly one role.
   */
  attributedRoles: Record<string, number>;
  /**
   * Role sessions Lambda itself started (`sts:AssumeRole` by `lambda.amazonaws.com`, a record
   * made by CloudTrail, not by the caller): role ARN → session name → count. A session of that
   * name under another role was started by someone else.
   */
  lambdaSessions: Record<string, Record<string, number>>;
  /** Smallest and largest eventTime of the events read in the window (any principal). */
  coverage?: { first: string; last: string };
}

/** A usage entry waiting for its resource (see UsageAggregate.pending). */
export interface PendingEntry extends UsageEntry {
  correlationKey: string;
}

/** What one role session name (a function, for Lambda) did in the window. */
export interface SessionActivity {
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Sorted distinct actions of its successful calls, at most MAX_SESSION_ACTIONS. */
  actions: string[];
}

/** Distinct actions kept per session (what a sharer of a role uses). */
export const MAX_SESSION_ACTIONS = 500;

/** One principal's usage (role or IAM user) and, for a role, its sessions by name. */
export interface PrincipalActivity {
  usage: UsageAggregate;
  sessions: Record<string, SessionActivity>;
}

/** Invocations of one function seen as Lambda `Invoke` data events. */
export interface InvocationActivity {
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/**
 * The whole account's usage from one read of the trail: every principal at once. Mergeable like
 * UsageAggregate (files in any order give the same result).
 */
export interface AccountAggregate {
  /** Counters, file findings, coverage, data-event sources, role sessions of the read. */
  base: UsageAggregate;
  /** Keyed by role ARN (`role/NAME` when an event names only the role), or IAM user ARN. */
  principals: Record<string, PrincipalActivity>;
  /** Keyed `${region}:${functionName}`. */
  invocations: Record<string, InvocationActivity>;
  /** Attributed calls per UTC day (`2026-11-02`). */
  days: Record<string, number>;
}
