/**
 * A CloudTrail event reduced to the fields the pipeline uses. Every field comes from untrusted
 * input: parse-record.ts checks types; the mapping checks values against the APIs' constraints.
 */
export interface TrailEvent {
  eventId: string;
  /** ISO-8601 UTC, e.g. `2026-11-02T10:15:00Z`. */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  /** Account the event was delivered to (the resource owner's account for most calls). */
  recipientAccountId?: string;
  /** Set when the call failed (AccessDenied, Throttling, ...): not evidence of need. */
  errorCode?: string;
  readOnly?: boolean;
  /** `Management`, `Data`, `Insight`, `NetworkActivity` when present. */
  eventCategory?: string;
  managementEvent?: boolean;
  eventType?: string;
  sourceIPAddress?: string;
  identity: Identity;
  /** Raw request parameters: attacker-controlled, never logged or rendered. */
  requestParameters?: Record<string, unknown>;
  /** Raw response elements: attacker-controlled, never logged or rendered. */
  responseElements?: Record<string, unknown>;
  resources?: TrailResource[];
  /** Extra event data (`additionalEventData`), used by a few service rules. */
  additionalEventData?: Record<string, unknown>;
  /**
   * Set when the event stands for several identical calls (one grouped row of a query source:
   * Athena, CloudWatch Logs Insights): how many, when, and some of their ids. `eventTime` and
   * `eventId` are then the first call's. Absent: one call.
   */
  observed?: Observation;
}

/** Identical calls counted as one event (TrailEvent.observed). */
export interface Observation {
  /** Calls, at least 1. */
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Some of their event ids, sorted. */
  sampleEventIds: string[];
}

/** How many calls an event stands for (1 unless it is a grouped row). */
export function weightOf(event: TrailEvent): number {
  return event.observed?.count ?? 1;
}

/** `userIdentity`, flattened. */
export interface Identity {
  /** AssumedRole, IAMUser, Root, AWSService, FederatedUser, AWSAccount, IdentityCenterUser, Unknown ... */
  type: string;
  arn?: string;
  accountId?: string;
  principalId?: string;
  userName?: string;
  /** `sessionContext.sessionIssuer.arn`: the role (or user, for federation) behind a session. */
  issuerArn?: string;
  issuerType?: string;
  /** Role session name, from `assumed-role/<role>/<session>` (Lambda: the function name). */
  sessionName?: string;
  /** Service that made the call on the caller's behalf (`userIdentity.invokedBy`). */
  invokedBy?: string;
}

export interface TrailResource {
  arn?: string;
  type?: string;
  accountId?: string;
}
