import type { Finding } from './findings';

/** Why a permission is in the policy. */
export type PermissionOrigin =
  /** The principal made this call (CloudTrail shows it). */
  | 'observed'
  /** An AWS service made the call for the principal (`invokedBy`), with the principal's permissions. */
  | 'on-behalf'
  /** The call implies this extra action (CopyObject reads its source, ...). */
  | 'implied-by-call'
  /** The function's configuration needs it; CloudTrail never shows it. */
  | 'implied-by-config'
  /**
   * AWS authorised it separately for an observed call: tagging on create, iam:PassRole of the
   * role the call handed to a service (analyze/data/dependent-permissions.json).
   */
  | 'dependent';

/** One IAM action on one resource that an event needed. */
export interface RequiredPermission {
  /** `service:Action`, exactly as the IAM catalog spells it. */
  action: string;
  /** Resource ARN, or `*` (then `wildcardReason` says why). */
  resource: string;
  origin: PermissionOrigin;
  /** Set when `resource` is `*`: `no-resource-type` (the action has none) or the reason it could not be determined. */
  wildcardReason?: string;
  /** Free text for implied permissions: the configuration or call that implies it. */
  note?: string;
  /**
   * Set when the resource can only be known from another event of the trail (an Athena
   * `GetQueryResults` names a query execution id; its `StartQueryExecution` names the
   * workgroup). `resource` is then `*` with a `wildcardReason`, and the pipeline replaces it
   * with the resource some event `provides` under the same key, once all files are read.
   */
  correlationKey?: string;
  /**
   * Condition-key values of this call that a condition may be written on (analyze/conditions.ts):
   * `kms:ViaService` of a KMS call a service made on the caller's behalf, `s3:prefix` of a
   * listing. A key missing here was absent from the call.
   */
  context?: Record<string, string>;
}

/** A resource an event makes known for later events (see RequiredPermission.correlationKey). */
export interface Correlation {
  key: string;
  resource: string;
}

/** What the mapping made of one event. Expected outcomes are values, never exceptions. */
export type MappingResult =
  | { kind: 'mapped'; permissions: RequiredPermission[]; findings: Finding[]; provides?: Correlation[] }
  /** The call needs no IAM permission (sts:GetCallerIdentity, Cognito user-pool auth, ...). */
  | { kind: 'no-permission'; reason: string }
  /** No rule knows this event: a finding, never a guess. */
  | { kind: 'unmapped'; finding: Finding }
  /** A value in the event breaks its API's constraints: rejected, never written into a policy. */
  | { kind: 'rejected'; finding: Finding };
