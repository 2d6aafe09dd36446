/**
 * Does a resource (an ARN, possibly with IAM wildcards, or `*`) fit one of an action's resource
 * types in the catalog? Pure.
 */
import { arnFitsTemplate } from '../analyze/arn-template';
import type { Catalog } from '../catalog/catalog';

/**
 * Values tried for each `*` of a pattern: a pattern fits a template when some expansion of its
 * wildcards does. `log-stream:x` lets `log-group:G:*` (the form CloudWatch Logs documents for IAM
 * policies) stand for the streams of group G; `x/x` lets `…/*` stand for a multi-segment name.
 */
const WILDCARD_SAMPLES = ['x', 'x/x', 'log-stream:x', ''];
const MAX_WILDCARDS = 3;

/**
 * Documented IAM spellings of an ARN format that the catalog does not list: CloudWatch Logs says
 * to write a log group as `…:log-group:NAME:*` in IAM policies for every action except the
 * tagging ones (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html).
 */
const TEMPLATE_VARIANTS: { endsWith: string; suffix: string }[] = [
  { endsWith: ':log-group:${LogGroupName}', suffix: ':*' },
];

/** Does the ARN `pattern` (IAM wildcards `*` and `?` allowed) fit the catalog ARN format `template`? */
export function arnPatternFitsTemplate(pattern: string, template: string): boolean {
  for (const v of TEMPLATE_VARIANTS) {
    if (template.endsWith(v.endsWith) && pattern.endsWith(v.suffix)) {
      if (arnFitsTemplate(pattern, template + v.suffix)) return true;
    }
  }
  if (!pattern.includes('*') && !pattern.includes('?')) return arnFitsTemplate(pattern, template);
  const parts = pattern.replace(/\?/g, 'x').split('*');
  if (parts.length - 1 > MAX_WILDCARDS) return false;
  const expand = (i: number, acc: string): boolean => {
    if (i === parts.length - 1) return arnFitsTemplate(acc + parts[i], template);
    return WILDCARD_SAMPLES.some((s) => expand(i + 1, acc + parts[i] + s));
  };
  return expand(0, '');
}

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
    if (type && arnPatternFitsTemplate(resource, type.arn)) return { ok: true, resourceType: type.key };
  }
  return { ok: false, reason: 'no-matching-resource-type' };
}
