/** Account state as read from a snapshot (or, later, live IAM + Lambda). */
export interface PolicyDocumentLike {
  Version?: string;
  Statement?: unknown;
}

export interface RoleInfo {
  roleName: string;
  arn: string;
  path: string;
  roleId?: string;
  createDate?: string;
  /** Last use of the role, when IAM reported it. */
  lastUsedDate?: string;
  lastUsedRegion?: string;
  trustPolicy?: PolicyDocumentLike;
  inlinePolicies: { name: string; document: PolicyDocumentLike }[];
  attachedPolicyArns: string[];
}

export interface ManagedPolicyInfo {
  arn: string;
  name: string;
  defaultVersionId?: string;
  /** The default version's document. */
  document?: PolicyDocumentLike;
}

export interface FunctionInfo {
  name: string;
  arn: string;
  region: string;
  roleArn: string;
  runtime?: string;
  /** Raw configuration as the Lambda API returned it (used for implied needs). */
  config: Record<string, unknown>;
}

export interface EventSourceMappingInfo {
  uuid: string;
  functionArn: string;
  eventSourceArn?: string;
  state?: string;
  config: Record<string, unknown>;
}

export interface AccountState {
  roles: RoleInfo[];
  users: { userName: string; arn: string }[];
  policies: ManagedPolicyInfo[];
  functions: FunctionInfo[];
  eventSourceMappings: EventSourceMappingInfo[];
}
