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
  /** ARNs of the instance profiles that hold the role (EC2 launches hand the role through them). */
  instanceProfileArns?: string[];
  /** ARN of the managed policy set as the role's permissions boundary. */
  permissionsBoundaryArn?: string;
}

/**
 * An IAM user as GetAccountAuthorizationDetails returns it (botocore iam/2010-05-08 service-2.json,
 * UserDetail: UserName, Arn, UserPolicyList [PolicyDetail: PolicyName, PolicyDocument], GroupList
 * [group names], AttachedManagedPolicies [AttachedPolicy: PolicyArn], PermissionsBoundary
 * [AttachedPermissionsBoundary: PermissionsBoundaryArn]). The policy fields are optional: a state
 * built without them (older fixtures) leaves the user's policies unknown.
 */
export interface UserInfo {
  userName: string;
  arn: string;
  inlinePolicies?: { name: string; document: PolicyDocumentLike }[];
  attachedPolicyArns?: string[];
  /** Names of the groups the user belongs to. */
  groupNames?: string[];
  /** ARN of the managed policy set as the user's permissions boundary. */
  permissionsBoundaryArn?: string;
}

/**
 * An IAM group (botocore iam/2010-05-08 GroupDetail: GroupName, Arn, GroupPolicyList,
 * AttachedManagedPolicies). Groups have no permissions boundary.
 */
export interface GroupInfo {
  groupName: string;
  arn: string;
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

/**
 * The CloudWatch `Invocations` metric of one function, as exported with
 * `aws cloudwatch get-metric-data` (docs/snapshot.md): its datapoints (sums per period).
 */
export interface InvocationMetric {
  region: string;
  /** Function name (the result's Label). */
  functionName: string;
  /** Sorted by time; CloudWatch returns no datapoint for a period without invocations. */
  points: { time: string; value: number }[];
}

export interface AccountState {
  roles: RoleInfo[];
  users: UserInfo[];
  /** IAM groups (GetAccountAuthorizationDetails' GroupDetailList), when the state holds them. */
  groups?: GroupInfo[];
  policies: ManagedPolicyInfo[];
  functions: FunctionInfo[];
  eventSourceMappings: EventSourceMappingInfo[];
  /** Invocations metric exports, when the snapshot holds them (optional files). */
  invocationMetrics?: InvocationMetric[];
  /** Regions whose Invocations export the snapshot holds (a function there without a result has none). */
  metricRegions?: string[];
  /**
   * Function resource policies (`aws lambda get-policy`, file `function-policies-REGION.json`),
   * when the state holds them; undefined when they were not read at all (the audit then lists its
   * rules as not run). A function without a policy (get-policy's ResourceNotFoundException) is
   * simply absent from the list; a function of a region not in `partRegions.functionPolicies`
   * was not read (no data, not "no policy").
   */
  functionPolicies?: FunctionPolicyInfo[];
  /** Function URL configs (`aws lambda list-function-url-configs`), when read; as above. */
  functionUrls?: FunctionUrlInfo[];
  /** Secrets Manager secrets' metadata (`aws secretsmanager list-secrets`), when read; as above. */
  secrets?: SecretInfo[];
  /**
   * The regions each of the three parts above was read for (the regions of its files, or of the
   * live read), sorted; set exactly for the parts that are defined.
   */
  partRegions?: { functionPolicies?: string[]; functionUrls?: string[]; secrets?: string[] };
}

/**
 * A function's resource-based policy (who may invoke or manage it): the `Policy` of
 * `aws lambda get-policy` (botocore lambda/2015-03-31 GetPolicyResponse: Policy, RevisionId),
 * parsed.
 */
export interface FunctionPolicyInfo {
  /** The function's ARN (unqualified: get-policy without `--qualifier`). */
  functionArn: string;
  functionName: string;
  region: string;
  document: PolicyDocumentLike;
  revisionId?: string;
}

/**
 * A function URL, as `list-function-url-configs` returns it (botocore lambda/2015-03-31
 * FunctionUrlConfig: FunctionUrl, FunctionArn, AuthType, Cors, InvokeMode, CreationTime,
 * LastModifiedTime).
 */
export interface FunctionUrlInfo {
  /** The ARN of the function or of its alias (`…:function:NAME:ALIAS`) the URL invokes. */
  functionArn: string;
  functionName: string;
  region: string;
  url: string;
  /** `AWS_IAM` or `NONE` (botocore FunctionUrlAuthType). */
  authType: string;
  /** `BUFFERED` or `RESPONSE_STREAM`, when given. */
  invokeMode?: string;
  cors?: {
    allowOrigins?: string[];
    allowMethods?: string[];
    allowHeaders?: string[];
    exposeHeaders?: string[];
    allowCredentials?: boolean;
    maxAge?: number;
  };
}

/**
 * A secret's metadata (never its value: list-secrets returns none), from botocore
 * secretsmanager/2017-10-17 SecretListEntry: which key encrypts it.
 */
export interface SecretInfo {
  arn: string;
  name: string;
  region: string;
  /**
   * The KMS key ARN (or id); absent: the AWS managed key `aws/secretsmanager` ("If the secret is
   * encrypted with the Amazon Web Services managed key aws/secretsmanager, this field is omitted").
   */
  kmsKeyId?: string;
  /** The primary region of a replica secret. */
  primaryRegion?: string;
}

/** Where one of a role's current policies comes from. */
export interface PolicyRef {
  kind: 'inline' | 'managed' | 'aws-managed' | 'boundary';
  /** Inline policy name, or managed policy name. */
  name: string;
  /** Managed policy ARN. */
  arn?: string;
  /** The default version of a managed policy (the only one IAM evaluates). */
  versionId?: string;
}

/** One current policy of a role with its document. */
export interface NamedPolicy {
  ref: PolicyRef;
  document: PolicyDocumentLike;
}

/**
 * A role's current permissions as IAM evaluates them: identity policies (inline, attached managed
 * at their default version) and the permissions boundary. Read from a snapshot today; the live
 * IAM reader produces the same shape.
 */
export interface CurrentPolicies {
  roleArn: string;
  roleName: string;
  createDate?: string;
  identity: NamedPolicy[];
  boundary?: NamedPolicy;
  /** Attached (or boundary) policy ARNs whose document the account state does not hold. */
  unknown: string[];
}
