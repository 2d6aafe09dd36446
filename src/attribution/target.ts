import type { TrailEvent } from '../model';

/**
 * Whose calls to keep. Built by the CLI from `--function`, `--role` or `--principal` (and the
 * account snapshot when there is one); matched against events by {@link attribute}.
 */
export interface Target {
  kind: 'function' | 'role' | 'user';
  /** Role ARN, when known (snapshot, `--role ARN`, `--principal ARN`). */
  roleArn?: string;
  /** Role name, when only the name is known (`--role NAME` without a snapshot). */
  roleName?: string;
  /** Function name: Lambda names the role session after the function. */
  functionName?: string;
  /** IAM user ARN (`--principal arn:aws:iam::…:user/…`). */
  userArn?: string;
  /** For messages: what the user asked for. */
  display: string;
}

/** `match`: the target's call; `other-function`: same role, another function's session. */
export type Attribution = 'match' | 'other-function' | 'no';

/** The role name in a role ARN (`arn:aws:iam::1:role/path/name` → `name`). */
export function roleNameFromArn(arn: string): string | undefined {
  const m = /^arn:[a-z-]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? m[1] : undefined;
}

/** The role name in an assumed-role session ARN (`arn:aws:sts::1:assumed-role/name/session`). */
function roleNameFromSessionArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const m = /^arn:[a-z-]+:sts::\d{12}:assumed-role\/([^/]+)\/[^/]+$/.exec(arn);
  return m ? m[1] : undefined;
}

/** The role behind a session event, as ARN when the event carries it, else as name. */
export function sessionRole(event: TrailEvent): { arn?: string; name?: string } | undefined {
  const id = event.identity;
  if (id.type !== 'AssumedRole') return undefined;
  if (id.issuerArn && (id.issuerType === undefined || id.issuerType === 'Role')) {
    return { arn: id.issuerArn, name: roleNameFromArn(id.issuerArn) };
  }
  const name = roleNameFromSessionArn(id.arn);
  return name ? { name } : undefined;
}

/**
 * Decides whether an event is a call of the target. Calls an AWS service made on the caller's
 * behalf (`invokedBy`) carry the caller's identity and stay attributed to it; calls made by a
 * service principal itself (`userIdentity.type: AWSService`) never match.
 */
export function attribute(event: TrailEvent, target: Target): Attribution {
  const id = event.identity;
  if (target.kind === 'user') {
    return id.type === 'IAMUser' && id.arn === target.userArn ? 'match' : 'no';
  }
  const role = sessionRole(event);
  if (!role) return 'no';
  let sameRole: boolean;
  if (target.roleArn) {
    sameRole =
      role.arn !== undefined ? role.arn === target.roleArn : role.name === roleNameFromArn(target.roleArn);
  } else if (target.roleName) {
    sameRole = role.name === target.roleName;
  } else {
    // --function without a snapshot: any role whose session is named after the function.
    sameRole = true;
  }
  if (!sameRole) return 'no';
  if (target.kind === 'role' || target.functionName === undefined) return 'match';
  if (id.sessionName === target.functionName) return 'match';
  return target.roleArn || target.roleName ? 'other-function' : 'no';
}

const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME_RE = /^[\w+=,.@-]{2,64}$/;

/**
 * The role session that Lambda itself started, when the event is Lambda's own `sts:AssumeRole`
 * of an execution role (`userIdentity.type` AWSService, `invokedBy` lambda.amazonaws.com): the
 * evidence that a session name belongs to a function of that role. Values are checked against
 * the IAM constraints; anything else is not evidence.
 */
export function lambdaSessionOf(event: TrailEvent): { roleArn: string; session: string } | undefined {
  if (event.eventSource !== 'sts.amazonaws.com' || event.eventName !== 'AssumeRole' || event.errorCode)
    return undefined;
  if (event.identity.type !== 'AWSService' || event.identity.invokedBy !== 'lambda.amazonaws.com')
    return undefined;
  const rp = event.requestParameters;
  const roleArn = rp?.roleArn;
  const session = rp?.roleSessionName;
  if (typeof roleArn !== 'string' || typeof session !== 'string') return undefined;
  if (!ROLE_ARN_RE.test(roleArn) || !SESSION_NAME_RE.test(session)) return undefined;
  return { roleArn, session };
}

/**
 * Strings every record of the target contains in its raw text (unless the text escapes
 * characters, which the caller checks): the role's name (in the session's issuer ARN, the
 * assumed-role session ARN and Lambda's AssumeRole of it), or the user's name. A record without
 * it cannot be the target's: for one principal, such records are counted, not parsed (issue
 * 11). Undefined: no shortcut. A function whose role is not known yet has none: the role's
 * other sessions, which name other functions, tell whether the role is shared.
 */
export function needlesOf(target: Target): string[] | undefined {
  const name = (arn: string | undefined) => (arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined);
  const needle =
    target.kind === 'user' ? name(target.userArn) : target.roleArn ? name(target.roleArn) : target.roleName;
  return needle && /^[\w+=,.@-]{1,64}$/.test(needle) ? [needle] : undefined;
}
