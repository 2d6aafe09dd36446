/**
 * Does a resource (an ARN, possibly with IAM wildcards, or `*`) fit one of an action's resource
 * types in the catalog? Pure.
 */
import { resourceFitsTemplate } from '../analyze/arn-template';
import type { Catalog } from '../catalog/catalog';

export type ResourceFit =
  | { ok: true; resourceType?: string }
  | { ok: false; reason: 'unknown-action' | 'service-not-loaded' | 'no-matching-resource-type' };

/**
 * Checks `action` on `resource` against the catalog (whose service must be loaded). `*` fits an
 * action without resource types; for others it fits only when `allowStar` (a documented reason).
 */
export function checkResourceFit(
  catalog: Catalog,
  action: string,
  resource: string,
  allowStar = false,
): ResourceFit {
  const prefix = action.split(':')[0];
  if (!catalog.isLoaded(prefix)) return { ok: false, reason: 'service-not-loaded' };
  const a = catalog.action(action);
  if (!a) return { ok: false, reason: 'unknown-action' };
  if (resource === '*') {
    return a.resourceTypes.length === 0 || allowStar
      ? { ok: true }
      : { ok: false, reason: 'no-matching-resource-type' };
  }
  for (const rt of a.resourceTypes) {
    const type = catalog.resourceType(prefix, rt.name);
    if (type && resourceFitsTemplate(resource, type.arn)) return { ok: true, resourceType: type.key };
  }
  return { ok: false, reason: 'no-matching-resource-type' };
}
