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
