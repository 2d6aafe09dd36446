/**
 * Condition-key values a call carried, as CloudTrail shows them (data/condition-context.json):
 * - `kms:ViaService` of a KMS key operation that a service made on the caller's behalf
 *   (`invokedBy` s3, secretsmanager, ssm …): `<service>.<region>.amazonaws.com`, for the services
 *   that support the key;
 * - request keys such as `s3:prefix` of a listing, from the request parameter that sets them.
 * The mapper attaches them to the call's permissions (RequiredPermission.context); the generator
 * writes a condition only when every call of a permission carried the key (generate/conditions.ts).
 * A key is attached only where the IAM catalog lists it for the action. Pure.
 */
import type { CatalogAction } from '../catalog/catalog';
import type { TrailEvent } from '../model/trail-event';
import data from './data/condition-context.json';

/** How the generator writes a condition on a key (the operator, and how values generalise). */
export interface ConditionKeySpec {
  operator: 'StringEquals' | 'StringLike';
  /** `object-key`: values are S3 key prefixes, generalised like object keys; `none`: kept as seen. */
  generalize: 'none' | 'object-key';
}

const VIA_SERVICES: ReadonlySet<string> = new Set(data.viaService.services);
const VIA_KEY = data.viaService.key;

interface RequestKey {
  key: string;
  field: string;
  spec: ConditionKeySpec;
}
const REQUEST_KEYS = new Map<string, RequestKey[]>();
const SPECS = new Map<string, ConditionKeySpec>([
  [VIA_KEY, { operator: data.viaService.operator as ConditionKeySpec['operator'], generalize: 'none' }],
]);
for (const r of data.requestKeys) {
  const spec = {
    operator: r.operator as ConditionKeySpec['operator'],
    generalize: r.generalize as ConditionKeySpec['generalize'],
  };
  const list = REQUEST_KEYS.get(r.action.toLowerCase()) ?? [];
  list.push({ key: r.key, field: r.field, spec });
  REQUEST_KEYS.set(r.action.toLowerCase(), list);
  SPECS.set(r.key, spec);
}

/** The condition keys the mapping may attach, and how to write them; undefined for any other key. */
export function conditionKeySpec(key: string): ConditionKeySpec | undefined {
  return SPECS.get(key);
}

/** Every condition key the mapping may attach (for tests and docs). */
export function conditionKeys(): string[] {
  return [...SPECS.keys()].sort();
}

/** Longest request value kept as a condition value (S3 keys are at most 1,024 bytes). */
const MAX_VALUE_LENGTH = 1024;
/** A service host (`invokedBy`, validated by the mapper): `<service>.amazonaws.com`. */
const SERVICE_HOST_RE = /^([a-z0-9-]{1,64})\.amazonaws\.com$/;

function supports(action: CatalogAction, key: string): boolean {
  return action.conditionKeys.some((k) => k.toLowerCase() === key.toLowerCase());
}

/**
 * The condition-key values of one permission of `event`.
 * @param onBehalfHost the service host that made the call on the caller's behalf, when it did
 * @param region the event's region, validated
 */
export function callContext(
  event: TrailEvent,
  action: CatalogAction,
  region: string,
  onBehalfHost: string | undefined,
): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  if (onBehalfHost !== undefined && supports(action, VIA_KEY)) {
    const m = SERVICE_HOST_RE.exec(onBehalfHost);
    if (m && VIA_SERVICES.has(m[1])) (out ??= {})[VIA_KEY] = `${m[1]}.${region}.amazonaws.com`;
  }
  for (const r of REQUEST_KEYS.get(action.name.toLowerCase()) ?? []) {
    if (!supports(action, r.key)) continue;
    const v = event.requestParameters?.[r.field];
    // An empty or missing value leaves the key out: such a call cannot be conditioned on it.
    if (typeof v === 'string' && v.length > 0 && v.length <= MAX_VALUE_LENGTH) (out ??= {})[r.key] = v;
  }
  return out;
}
