/**
 * Who an event belongs to in the account-wide pass (report): the role behind a role session (its
 * ARN, or `role/NAME` when the event names only the role) or the IAM user. Other identities
 * (root, federated users, service principals) are no principal the report judges. Pure.
 */
import type { TrailEvent } from '../model';
import { sessionRole } from './target';

export function principalKeyOf(event: TrailEvent): string | undefined {
  const id = event.identity;
  if (id.type === 'IAMUser') return typeof id.arn === 'string' && id.arn.length > 0 ? id.arn : undefined;
  const role = sessionRole(event);
  if (!role) return undefined;
  return role.arn ?? (role.name ? `role/${role.name}` : undefined);
}

const FUNCTION_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const FUNCTION_ARN_RE =
  /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:function:([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?$/;

/**
 * The function a successful Lambda `Invoke` data event invoked, as `region:name`: from
 * `requestParameters.functionName` (a name, or an ARN with or without qualifier), validated.
 */
export function invokedFunctionOf(event: TrailEvent): string | undefined {
  if (event.eventSource !== 'lambda.amazonaws.com' || event.errorCode) return undefined;
  if (event.eventName !== 'Invoke' && event.eventName !== 'InvokeAsync') return undefined;
  const name = event.requestParameters?.functionName;
  if (typeof name !== 'string') return undefined;
  const arn = FUNCTION_ARN_RE.exec(name);
  if (arn) return `${arn[1]}:${arn[2]}`;
  const plain = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
  return FUNCTION_NAME_RE.test(plain) && typeof event.awsRegion === 'string'
    ? `${event.awsRegion}:${plain}`
    : undefined;
}
