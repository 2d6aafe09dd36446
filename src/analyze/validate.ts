/**
 * Constraints on values taken from trace events. Every field of a trace is attacker-controlled:
 * a value that breaks its API's constraints rejects the whole event. Checks return the constraint
 * broken (a fixed description, never the value) or undefined when the value is fine.
 */

/** AWS region: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-4`, `us-isob-east-1`. */
export const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
export const ACCOUNT_RE = /^\d{12}$/;
export const EVENT_SOURCE_RE = /^[a-z0-9][a-z0-9.-]{0,126}\.amazonaws\.com$/;
export const EVENT_NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
export const MAX_ARN_LENGTH = 2048;

// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;
const WILDCARD_RE = /[*?]/;
const ARN_RE = /^arn:(aws(?:-[a-z]+)*):([a-z0-9-]{1,64}):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

export type CheckKind =
  | 's3-bucket'
  | 's3-key'
  | 'dynamodb-name'
  | 'sqs-queue-name'
  | 'kinesis-name'
  | 'log-group'
  | 'log-stream'
  | 'lambda-name'
  | 'lambda-qualifier'
  | 'secret-name'
  | 'ssm-name'
  | 'iam-role-name'
  | 'iam-name'
  | 'cloudtrail-name'
  | 'ec2-id'
  | 'bedrock-id'
  | 'rds-identifier'
  | 'glue-name'
  | 'athena-workgroup'
  | 'uuid'
  | 'kms-alias'
  | 'event-bus-name'
  | 'events-rule-name'
  | 's3-access-point'
  | 'ssm-path'
  | 'arn';

interface Check {
  constraint: string;
  test: (v: string) => boolean;
}

/**
 * A name written literally into an IAM policy: IAM reads `*` and `?` as wildcards and `${…}` as a
 * policy variable, so they are written as IAM's escapes `${*}`, `${?}`, `${$}` (IAM user guide,
 * "IAM policy elements: Variables and tags", special characters).
 */
export function escapeIamLiteral(v: string): string {
  return v.replace(/[$*?]/g, (c) => `\${${c}}`);
}

/** The same string with IAM's escapes read back (`${*}` → `*`), e.g. to make a request for a simulator. */
export function unescapeIamLiteral(v: string): string {
  return v.replace(/\$\{([$*?])\}/g, '$1');
}

const noCtlNoWildcard = (v: string): boolean => !CONTROL_RE.test(v) && !WILDCARD_RE.test(v);

export const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const IPV4_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;

const CHECKS: Record<CheckKind, Check> = {
  's3-bucket': {
    // Current rules allow 3-63 of a-z 0-9 . -; buckets made in us-east-1 before March 2018 may
    // also have upper case and underscores, up to 255 characters, and still exist.
    constraint:
      'S3 bucket naming rules (3-255 characters of letters, digits, ".", "_", "-"; no "..", not an IP address)',
    test: (v) => /^[a-zA-Z0-9._-]{3,255}$/.test(v) && !v.includes('..') && !IPV4_RE.test(v),
  },
  's3-key': {
    // "*", "?" and "$" are legitimate in keys: they are written with IAM's escapes (escapeIamLiteral).
    constraint: 'object key of 1-1024 characters without control characters',
    test: (v) => v.length >= 1 && v.length <= 1024 && !CONTROL_RE.test(v),
  },
  'dynamodb-name': {
    constraint: 'DynamoDB name pattern [a-zA-Z0-9_.-]{3,255}',
    test: (v) => /^[a-zA-Z0-9_.-]{3,255}$/.test(v),
  },
  'sqs-queue-name': {
    constraint: 'SQS queue name pattern [a-zA-Z0-9_-]{1,80} (optional .fifo)',
    test: (v) => /^[a-zA-Z0-9_-]{1,80}(?:\.fifo)?$/.test(v),
  },
  'kinesis-name': {
    constraint: 'Kinesis stream name pattern [a-zA-Z0-9_.-]{1,128}',
    test: (v) => /^[a-zA-Z0-9_.-]{1,128}$/.test(v),
  },
  'log-group': {
    constraint: 'log group name pattern [.-_/#A-Za-z0-9]{1,512}',
    test: (v) => /^[.\-_/#A-Za-z0-9]{1,512}$/.test(v),
  },
  'log-stream': {
    constraint: 'log stream name of 1-512 characters without ":", "*", "?" or control characters',
    test: (v) => v.length >= 1 && v.length <= 512 && !v.includes(':') && noCtlNoWildcard(v),
  },
  'lambda-name': {
    constraint: 'Lambda function name pattern [a-zA-Z0-9_-]{1,64}',
    test: (v) => /^[a-zA-Z0-9_-]{1,64}$/.test(v),
  },
  'lambda-qualifier': {
    constraint: 'Lambda qualifier pattern $LATEST or [a-zA-Z0-9_-]{1,128}',
    test: (v) => v === '$LATEST' || /^[a-zA-Z0-9_-]{1,128}$/.test(v),
  },
  'secret-name': {
    constraint: 'Secrets Manager name pattern [a-zA-Z0-9/_+=.@-]{1,512}',
    test: (v) => /^[a-zA-Z0-9/_+=.@-]{1,512}$/.test(v),
  },
  'ssm-name': {
    constraint: 'SSM parameter name pattern [a-zA-Z0-9_./-]{1,1011}',
    test: (v) => /^[a-zA-Z0-9_./-]{1,1011}$/.test(v),
  },
  'iam-role-name': {
    constraint: 'IAM role name pattern [\\w+=,.@-]{1,64}',
    test: (v) => /^[\w+=,.@-]{1,64}$/.test(v),
  },
  'bedrock-id': {
    constraint: 'Bedrock resource id [a-z0-9]{1,64}',
    test: (v) => /^[a-z0-9]{1,64}$/.test(v),
  },
  'ec2-id': {
    constraint: 'EC2 resource id <prefix>-<8 or 17 hex digits>',
    test: (v) => /^[a-z]{1,16}-[0-9a-f]{8,17}$/.test(v),
  },
  'cloudtrail-name': {
    constraint: 'CloudTrail trail name pattern [A-Za-z0-9][A-Za-z0-9._-]{2,127}',
    test: (v) => /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(v),
  },
  'rds-identifier': {
    constraint: 'RDS identifier pattern [A-Za-z][A-Za-z0-9-]{0,254}',
    test: (v) => /^[A-Za-z][A-Za-z0-9-]{0,254}$/.test(v),
  },
  'iam-name': {
    constraint: 'IAM entity name pattern [\\w+=,.@-]{1,128}',
    test: (v) => /^[\w+=,.@-]{1,128}$/.test(v),
  },
  'glue-name': {
    // Glue single-line string pattern; names are lower-cased by Glue; at most 255 characters.
    constraint: 'Glue catalog name of 1-255 characters without control characters, "/", ":", "*" or "?"',
    test: (v) => v.length >= 1 && v.length <= 255 && noCtlNoWildcard(v) && !/[/:]/.test(v),
  },
  'athena-workgroup': {
    constraint: 'Athena workgroup name pattern [a-zA-Z0-9._-]{1,128}',
    test: (v) => /^[a-zA-Z0-9._-]{1,128}$/.test(v),
  },
  uuid: {
    constraint: 'UUID (8-4-4-4-12 hexadecimal digits)',
    test: (v) => UUID_RE.test(v),
  },
  'kms-alias': {
    constraint: 'KMS alias name alias/[a-zA-Z0-9/_-]{1,250}',
    test: (v) => /^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(v),
  },
  'event-bus-name': {
    constraint: 'EventBridge event bus name pattern [/._A-Za-z0-9-]{1,256}',
    test: (v) => /^[/._A-Za-z0-9-]{1,256}$/.test(v),
  },
  'events-rule-name': {
    constraint: 'EventBridge rule name pattern [._A-Za-z0-9-]{1,64}',
    test: (v) => /^[._A-Za-z0-9-]{1,64}$/.test(v),
  },
  's3-access-point': {
    constraint: 'S3 access point name pattern [a-z0-9-]{3,50}',
    test: (v) => /^[a-z0-9-]{3,50}$/.test(v),
  },
  'ssm-path': {
    constraint: 'SSM parameter path /[a-zA-Z0-9_./-]{0,1010}',
    test: (v) => /^\/[a-zA-Z0-9_./-]{0,1010}$/.test(v),
  },
  arn: {
    constraint: `ARN of at most ${MAX_ARN_LENGTH} characters (arn:partition:service:region:account:resource) without control characters, "*" or "?"`,
    test: (v) => parseArn(v) !== undefined,
  },
};

/** The constraint `value` breaks, or undefined. */
export function checkValue(kind: CheckKind, value: string): string | undefined {
  const c = CHECKS[kind];
  return c.test(value) ? undefined : c.constraint;
}

export function constraintOf(kind: CheckKind): string {
  return CHECKS[kind].constraint;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Parse and validate an ARN; undefined when it breaks the ARN constraints. */
export function parseArn(value: string): ParsedArn | undefined {
  if (value.length > MAX_ARN_LENGTH || !noCtlNoWildcard(value)) return undefined;
  const m = ARN_RE.exec(value);
  if (!m) return undefined;
  const region = m[3];
  if (region !== '' && !REGION_RE.test(region)) return undefined;
  return { partition: m[1], service: m[2], region, account: m[4] ?? '', resource: m[5] };
}

export function isRegion(v: string): boolean {
  return REGION_RE.test(v);
}

export function isAccount(v: string): boolean {
  return ACCOUNT_RE.test(v);
}

/** Partition of a region: `cn-*` → aws-cn, `us-gov-*` → aws-us-gov, `us-iso-*` → aws-iso, else aws. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/**
 * Partition of the event's context: the region's (cn-* → aws-cn, us-gov-* → aws-us-gov, ...);
 * when the region gives only the default `aws`, an ARN of the event (its resources, the caller's
 * identity) in another partition wins — a region unknown to this table must not make `aws` ARNs
 * for an isolated partition.
 */
export function partitionOfContext(region: string, arns: readonly (string | undefined)[]): string {
  const fromRegion = partitionOfRegion(region);
  if (fromRegion !== 'aws') return fromRegion;
  for (const a of arns) {
    if (typeof a !== 'string') continue;
    const p = parseArn(a);
    if (p && p.partition !== 'aws') return p.partition;
  }
  return fromRegion;
}
