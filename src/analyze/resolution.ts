/**
 * Resolution rate: of the (event, action) pairs whose action has a required resource type and
 * whose event names its resource, how many got a concrete ARN instead of `*`. Pure; used by
 * scripts/corpora-coverage.js and the pinned corpora test.
 *
 * "Names its resource" is read from the event itself: request parameters with the account known
 * (S3 ARNs need none), a request field or `resources[]` entry that is an ARN, or an IAM user
 * calling (IAM's caller-implicit calls).
 * List and describe calls whose action has no required resource type are not counted: IAM
 * authorises them on `*`, so `*` is their exact resource.
 */
import type { Catalog } from '../catalog/catalog';
import type { MappingResult } from '../model/mapping';
import type { TrailEvent } from '../model/trail-event';

export interface ResolutionCount {
  counted: number;
  resolved: number;
}

function namesResource(e: TrailEvent, service: string): boolean {
  const account = e.recipientAccountId ?? e.identity.accountId;
  const params = e.requestParameters && Object.keys(e.requestParameters).length > 0;
  if (e.resources?.some((r) => r.arn)) return true;
  if (e.identity.type === 'IAMUser' && e.identity.arn) return true;
  // A request field that is an ARN names its resource with its scope.
  if (Object.values(e.requestParameters ?? {}).some((v) => typeof v === 'string' && v.startsWith('arn:')))
    return true;
  return Boolean(params && (account !== undefined || service === 's3'));
}

/** Adds one mapped, successful event to per-service counts (`service` → counts). */
export function countResolution(
  event: TrailEvent,
  result: MappingResult,
  catalog: Catalog,
  into: Map<string, ResolutionCount>,
): void {
  if (result.kind !== 'mapped' || event.errorCode !== undefined) return;
  for (const p of result.permissions) {
    const a = catalog.action(p.action);
    if (!a || !a.resourceTypes.some((t) => t.required)) continue;
    const service = a.name.slice(0, a.name.indexOf(':'));
    if (!namesResource(event, service)) continue;
    const c = into.get(service) ?? { counted: 0, resolved: 0 };
    c.counted++;
    if (p.resource !== '*') c.resolved++;
    into.set(service, c);
  }
}

/** Sum of per-service counts. */
export function totalResolution(counts: ReadonlyMap<string, ResolutionCount>): ResolutionCount {
  let counted = 0;
  let resolved = 0;
  for (const c of counts.values()) {
    counted += c.counted;
    resolved += c.resolved;
  }
  return { counted, resolved };
}
