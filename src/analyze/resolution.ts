/**
 * Resolution rate: of the (event, action) pairs whose action has a required resource type and
 * whose event names its resource, how many got a concrete ARN instead of `*`. Pure; used by
 * scripts/corpora-coverage.js and the pinned corpora test.
 *
 * "Names its resource" is read from the event itself, independently of the mapping: a request
 * field named like an identifier (`…Name`, `…Id`, `…Arn`, `…Identifier`, `…Url`, `key`) with the
 * account known (for S3, a bucket name: its ARNs need no account), a request field or
 * `resources[]` entry that is an ARN, or an IAM user calling (IAM's caller-implicit calls).
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

/** A request field whose name says it identifies a resource (`tableName`, `instanceId`, `roleArn` …). */
const NAMING_FIELD = /(name|id|arn|identifier|url|key)$/i;

const IGNORED = new Set([
  'encryptionContext',
  'policyDocument',
  'policy',
  'filterSet',
  'filters',
  'tags',
  'tagSpecificationSet',
]);

/** Identifier-like fields of the request, at any depth (EC2 nests them in `*Set.items[]`). */
function namingValues(obj: unknown, depth = 0, out: unknown[] = []): unknown[] {
  if (depth > 4 || obj === null || typeof obj !== 'object' || out.length > 50) return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    // Data that merely mentions resources (KMS encryption context, policy and filter documents).
    if (IGNORED.has(k)) continue;
    if (NAMING_FIELD.test(k) && (typeof v === 'string' || Array.isArray(v))) out.push(v);
    if (v !== null && typeof v === 'object') namingValues(v, depth + 1, out);
  }
  return out;
}

function namesResource(e: TrailEvent, service: string, userScoped: boolean): boolean {
  const account = e.recipientAccountId ?? e.identity.accountId;
  if (e.resources?.some((r) => r.arn)) return true;
  // IAM calls that name no user act on the calling IAM user.
  if (userScoped && e.identity.type === 'IAMUser' && e.identity.arn) return true;
  const values = namingValues(e.requestParameters);
  // A request field that is an ARN names its resource with its scope.
  if (values.some((v) => typeof v === 'string' && v.startsWith('arn:'))) return true;
  // S3 bucket and object ARNs carry no account: the bucket name is enough.
  if (service === 's3') return typeof e.requestParameters?.bucketName === 'string';
  return values.length > 0 && account !== undefined;
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
    const userScoped = service === 'iam' && a.resourceTypes.some((t) => t.required && t.name === 'user');
    if (!namesResource(event, service, userScoped)) continue;
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
