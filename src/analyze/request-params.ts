/**
 * Request parameters → ARN variable bindings or whole ARNs, per service (data:
 * `data/resource-params.json`). Values are validated; a value that breaks its constraint rejects
 * the event (the caller reports the field and the constraint, never the value).
 */
import {
  checkValue,
  constraintOf,
  escapeIamLiteral,
  isAccount,
  isRegion,
  parseArn,
  type CheckKind,
} from './validate';

export type ParseKind =
  | 'arn'
  | 'sqs-queue-url'
  | 'lambda-function'
  | 'secret-id'
  | 'ssm-parameter'
  | 'kms-key'
  | 'iam-role'
  | 's3-copy-source'
  | 'ssm-path'
  | 'log-group-identifier'
  | 'arn-or-name';

/** How one request field contributes to a resource ARN. */
export interface ParamSpec {
  /** Field of `requestParameters`. */
  param: string;
  /** Plain value bound to this ARN variable after `check`. */
  variable?: string;
  check?: CheckKind;
  /** Or a parser producing bindings or whole ARNs. */
  parse?: ParseKind;
  /** The field is an array of such values (each gives its own ARN). */
  list?: boolean;
}

export type Bindings = Record<string, string>;

/** What a field gave: ARNs as such, and/or binding sets to fill into the catalog's ARN formats. */
export interface Parsed {
  arns: string[];
  bindings: Bindings[];
}

export interface Rejection {
  field: string;
  constraint: string;
}

export type ExtractResult = { ok: true; value: Parsed } | { ok: false; rejection: Rejection };

const reject = (field: string, constraint: string): ExtractResult => ({
  ok: false,
  rejection: { field, constraint },
});
const ok = (arns: string[], bindings: Bindings[]): ExtractResult => ({ ok: true, value: { arns, bindings } });

export interface QueueUrlParts {
  region?: string;
  account: string;
  name: string;
}

const QUEUE_URL_RE = /^https?:\/\/([a-z0-9.-]{1,253})\/(\d{12})\/([a-zA-Z0-9_-]{1,80}(?:\.fifo)?)$/;
const QUEUE_HOST_RE = /(?:^|\.)(?:amazonaws\.com(?:\.cn)?|api\.aws)$/;

/**
 * `https://sqs.<region>.amazonaws.com/<acct>/<name>` (also `<region>.queue.amazonaws.com`,
 * legacy `queue.amazonaws.com` = us-east-1, VPC endpoint hosts). Undefined when it is not one.
 */
export function parseQueueUrl(url: string): QueueUrlParts | undefined {
  if (url.length > 2048) return undefined;
  const m = QUEUE_URL_RE.exec(url);
  if (!m || !QUEUE_HOST_RE.test(m[1])) return undefined;
  const host = m[1];
  const region = host === 'queue.amazonaws.com' ? 'us-east-1' : host.split('.').find((l) => isRegion(l));
  return { region, account: m[2], name: m[3] };
}

const LAMBDA_ARN_RE = /^arn:(aws(?:-[a-z]+)*):lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const LAMBDA_PARTIAL_RE = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/;
const LAMBDA_NAME_RE = /^([^:]+)(?::([^:]+))?$/;

/** Function name, partial ARN or ARN (with optional qualifier) → bindings; undefined if invalid. */
export function parseLambdaFunction(value: string): Bindings | undefined {
  if (value.length > 2048) return undefined;
  let b: Bindings;
  let name: string;
  let qualifier: string | undefined;
  let m = LAMBDA_ARN_RE.exec(value);
  if (m) {
    if (!isRegion(m[2])) return undefined;
    [name, qualifier] = [m[4], m[5]];
    b = { Partition: m[1], Region: m[2], Account: m[3] };
  } else if ((m = LAMBDA_PARTIAL_RE.exec(value))) {
    [name, qualifier] = [m[2], m[3]];
    b = { Account: m[1] };
  } else if ((m = LAMBDA_NAME_RE.exec(value))) {
    [name, qualifier] = [m[1], m[2]];
    b = {};
  } else return undefined;
  if (
    checkValue('lambda-name', name) ||
    (qualifier !== undefined && checkValue('lambda-qualifier', qualifier))
  ) {
    return undefined;
  }
  b.FunctionName = qualifier === undefined ? name : `${name}:${qualifier}`;
  return b;
}

const KEY_ID_RE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KMS_ALIAS_RE = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const SSM_SELECTOR_RE = /^([^:]+)(?::([a-zA-Z0-9_.-]{1,100}))?$/;

const ARN_CONSTRAINT = constraintOf('arn');

const LOG_GROUP_ARN_RE = /^arn:(aws(?:-[a-z]+)*):logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/;
const LOG_GROUP_ID_CONSTRAINT =
  'log group name or log group ARN arn:<partition>:logs:<region>:<account>:log-group:<name>';

const SECRET_ARN_RE =
  /^(arn:aws(?:-[a-z]+)*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)([a-zA-Z0-9/_+=.@-]{1,512})$/;
/** The ARN of a secret ends in `-` and six random characters, which a partial ARN lacks. */
const SECRET_SUFFIX_RE = /-[a-zA-Z0-9]{6}$/;

/**
 * A secret ARN (kept) or partial ARN (no random suffix: `-??????` is appended, IAM's documented
 * way to match it). A full ARN whose name ends in `-` + 6 characters cannot be told from a partial
 * one whose name does (Secrets Manager advises against such names); it is taken as full.
 */
export function secretArn(value: string): string | undefined {
  if (!parseArn(value)) return undefined;
  const m = SECRET_ARN_RE.exec(value);
  if (!m) return undefined;
  return SECRET_SUFFIX_RE.test(m[2]) ? value : `${value}-??????`;
}

function parseOne(kind: ParseKind, field: string, value: string): ExtractResult {
  const asArn = (): ExtractResult => (parseArn(value) ? ok([value], []) : reject(field, ARN_CONSTRAINT));
  switch (kind) {
    case 'arn':
    case 'arn-or-name':
      return asArn();
    case 'sqs-queue-url': {
      const q = parseQueueUrl(value);
      if (!q)
        return reject(
          field,
          'SQS queue URL https://<host>/<12-digit account>/<queue name [a-zA-Z0-9_-]{1,80}>',
        );
      const b: Bindings = { Account: q.account, QueueName: q.name };
      if (q.region) b.Region = q.region;
      return ok([], [b]);
    }
    case 'lambda-function': {
      if (value.startsWith('arn:') && !parseArn(value)) return reject(field, ARN_CONSTRAINT);
      const b = parseLambdaFunction(value);
      return b
        ? ok([], [b])
        : reject(field, 'Lambda function name, partial ARN or ARN ([a-zA-Z0-9_-]{1,64}, optional qualifier)');
    }
    case 'secret-id': {
      if (value.startsWith('arn:')) {
        const full = secretArn(value);
        return full ? ok([full], []) : reject(field, 'Secrets Manager secret name, partial ARN or ARN');
      }
      const c = checkValue('secret-name', value);
      // A bare name: Secrets Manager appends `-` and six random characters to the ARN.
      return c ? reject(field, c) : ok([], [{ SecretId: `${value}-??????` }]);
    }
    case 'ssm-parameter': {
      if (value.startsWith('arn:')) return asArn();
      const m = value.length <= 1200 ? SSM_SELECTOR_RE.exec(value) : null;
      const c = m ? checkValue('ssm-name', m[1]) : constraintOf('ssm-name');
      if (c || !m) return reject(field, c ?? constraintOf('ssm-name'));
      return ok([], [{ ParameterNameWithoutLeadingSlash: m[1].replace(/^\/+/, '') }]);
    }
    case 'ssm-path': {
      // GetParametersByPath is authorised on the path itself (Parameter Store: "How Parameter Store
      // authorizes parameter retrieval"), i.e. parameter/<path without the leading slash>.
      const c = checkValue('ssm-path', value);
      if (c) return reject(field, c);
      const path = value.replace(/^\/+/, '').replace(/\/+$/, '');
      // The root path "/" has no parameter ARN of its own: nothing to bind (unresolved).
      return ok([], path === '' ? [] : [{ ParameterNameWithoutLeadingSlash: path }]);
    }
    case 'log-group-identifier': {
      if (value.startsWith('arn:')) {
        const m = LOG_GROUP_ARN_RE.exec(value);
        const p = parseArn(value.replace(/:\*$/, ''));
        if (!m || !p || checkValue('log-group', m[4])) return reject(field, LOG_GROUP_ID_CONSTRAINT);
        return ok([], [{ Partition: m[1], Region: m[2], Account: m[3], LogGroupName: m[4] }]);
      }
      const c = checkValue('log-group', value);
      return c ? reject(field, c) : ok([], [{ LogGroupName: value }]);
    }
    case 'kms-key': {
      if (value.startsWith('arn:')) return asArn();
      if (KEY_ID_RE.test(value)) return ok([], [{ KeyId: value }]);
      // Aliases name no key: the key ARN comes from the event's resources.
      if (KMS_ALIAS_RE.test(value)) return ok([], []);
      return reject(field, 'KMS key id (UUID or mrk- id), key ARN, alias name or alias ARN');
    }
    case 'iam-role': {
      if (value.startsWith('arn:')) return asArn();
      const c = checkValue('iam-role-name', value);
      return c ? reject(field, c) : ok([], [{ RoleNameWithPath: value, RoleName: value }]);
    }
    case 's3-copy-source': {
      if (value.length > 4096) return reject(field, 'S3 copy source bucket/key of at most 1024 bytes');
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        return reject(field, 'URL-encoded S3 copy source bucket/key[?versionId=...]');
      }
      if (decoded.startsWith('arn:'))
        return parseArn(decoded) ? ok([decoded], []) : reject(field, ARN_CONSTRAINT);
      const noVersion = decoded.replace(/^\/+/, '').replace(/\?versionId=[^?]*$/, '');
      const slash = noVersion.indexOf('/');
      if (slash <= 0) return reject(field, 'S3 copy source bucket/key[?versionId=...]');
      const bucket = noVersion.slice(0, slash);
      const key = noVersion.slice(slash + 1);
      const c = checkValue('s3-bucket', bucket) ?? checkValue('s3-key', key);
      return c ? reject(field, c) : ok([], [{ BucketName: bucket, ObjectName: escapeIamLiteral(key) }]);
    }
  }
}

function product(a: Bindings[], b: Bindings[]): Bindings[] {
  const out: Bindings[] = [];
  for (const x of a) for (const y of b) out.push({ ...x, ...y });
  return out;
}

/** Maximum items of a list field used for ARNs (more rejects the event). */
export const MAX_LIST_ITEMS = 1000;

/**
 * Apply `specs` to the request parameters. Absent fields are skipped; present ones must be valid.
 */
export function extractFromParams(
  params: Record<string, unknown> | undefined,
  specs: readonly ParamSpec[],
): ExtractResult {
  const arns: string[] = [];
  let sets: Bindings[] = [{}];
  let anyBinding = false;
  if (!params) return ok([], []);
  for (const spec of specs) {
    const raw = params[spec.param];
    if (raw === undefined || raw === null) continue;
    const field = `requestParameters.${spec.param}`;
    let values: unknown[];
    if (spec.list) {
      if (!Array.isArray(raw) || raw.length > MAX_LIST_ITEMS)
        return reject(field, `array of at most ${MAX_LIST_ITEMS} strings`);
      values = raw;
    } else values = [raw];
    const fieldSets: Bindings[] = [];
    for (const v of values) {
      if (typeof v !== 'string') return reject(field, 'string');
      let r: ExtractResult;
      if (spec.parse === 'arn-or-name') {
        // An ARN as such, or a name bound to `variable` after `check` (CloudTrail trails, RDS ids).
        if (v.startsWith('arn:')) r = parseArn(v) ? ok([v], []) : reject(field, ARN_CONSTRAINT);
        else {
          const c = spec.check ? checkValue(spec.check, v) : undefined;
          r = c ? reject(field, c) : ok([], spec.variable ? [{ [spec.variable]: v }] : []);
        }
      } else if (spec.parse) r = parseOne(spec.parse, field, v);
      else {
        const c = spec.check ? checkValue(spec.check, v) : undefined;
        // Object keys may hold "*", "?" and "$": written with IAM's escapes, never as wildcards.
        const value = spec.check === 's3-key' ? escapeIamLiteral(v) : v;
        r = c ? reject(field, c) : ok([], spec.variable ? [{ [spec.variable]: value }] : []);
      }
      if (!r.ok) return r;
      arns.push(...r.value.arns);
      fieldSets.push(...r.value.bindings);
    }
    if (fieldSets.length > 0) {
      sets = product(sets, fieldSets);
      anyBinding = true;
    }
  }
  for (const s of sets) {
    if (
      (s.Account !== undefined && !isAccount(s.Account)) ||
      (s.Region !== undefined && !isRegion(s.Region))
    ) {
      return reject('requestParameters', 'region and account inside resource identifiers');
    }
  }
  return ok(arns, anyBinding ? sets : []);
}
