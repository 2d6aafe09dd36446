/**
 * Resource generalisation: how far an observed ARN may be widened at each granularity.
 *
 * The rule (docs/generation.md):
 * - `exact`: observed ARNs.
 * - `prefix` (default):
 *   - S3 object keys, per bucket. A key whose path has a generated-looking segment (a date such
 *     as `2026-11-02` or `20261102`, a number, a UUID, a long hex id) collapses to the folder
 *     before that segment: `incoming/2026-11-02/<uuid>.jpg` → `incoming/*`. The function reads
 *     new keys every day; the dated folder and the uuid name are tomorrow different. The other
 *     keys are grouped by their top-level folder; a group of two or more collapses to its
 *     longest shared folder (at `/` boundaries): `cfg/a.json`, `cfg/b.json` → `cfg/*`; a lone key
 *     and keys at the bucket root stay exact. A generated segment at the bucket root collapses
 *     to `bucket/*`.
 *   - Log streams collapse to their log group: `…:log-group:G:log-stream:*`.
 *   - Every other ARN stays exact (tables, queues, keys, secrets, parameters, buckets).
 * - `type`: the action's resource type with every name variable set to `*`, keeping partition,
 *   region, account, and the S3 bucket (S3 ARNs carry no account: the bucket is their only
 *   boundary): `table/*`, `bucket/*`, `key/*`.
 *
 * Never across partitions, accounts, regions or buckets; `*` stays `*`; an ARN that fits no
 * resource type of the action (the catalog does not know it) stays exact.
 */
import { arnFitsTemplate, compileArnTemplate, fillArnTemplate } from '../analyze/arn-template';
import type { Catalog, CatalogResourceType } from '../catalog/catalog';
import { globMatch } from '../iam/glob';
import type { Granularity } from './types';

/** The resource type of `action` that `arn` fits, if any. */
export function resourceTypeOf(
  arn: string,
  action: string,
  catalog: Catalog,
): CatalogResourceType | undefined {
  const a = catalog.action(action);
  if (!a || arn === '*') return undefined;
  const service = a.name.slice(0, a.name.indexOf(':'));
  for (const ref of a.resourceTypes) {
    const t = catalog.resourceType(service, ref.name);
    if (t && arnFitsTemplate(arn, t.arn)) return t;
  }
  return undefined;
}

/** `arn:partition:service:region:account:resource`; undefined when not an ARN. */
function arnFields(
  arn: string,
): { partition: string; region: string; account: string; resource: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { partition: parts[1], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

const GENERATED_SEGMENT = [
  /\d{4}-\d{2}-\d{2}/, // ISO dates, timestamps, `dt=2026-11-02`
  /\d{8}/, // 20261102, epoch seconds/millis, long numbers
  /^\d+$/, // numeric folders: 2026/11/02, ids
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, // UUIDs
  /(?=[0-9a-f]*\d)[0-9a-f]{16,}/i, // long hex ids (hashes, request ids)
];

/** Does a path segment look generated (dated, numbered, uuid), so that tomorrow it differs? */
export function isGeneratedSegment(segment: string): boolean {
  return GENERATED_SEGMENT.some((re) => re.test(segment));
}

/**
 * The `prefix` rule for the object keys of one bucket. Returns key patterns (exact keys, or
 * folders ending in `/*`, or `*` for the whole bucket), deduplicated, covered ones removed.
 */
export function generalizeObjectKeys(keys: readonly string[]): string[] {
  const out = new Set<string>();
  const byTop = new Map<string, string[][]>();
  for (const key of keys) {
    const segs = key.split('/');
    const g = segs.findIndex(isGeneratedSegment);
    if (g === 0) out.add('*');
    else if (g > 0) out.add(`${segs.slice(0, g).join('/')}/*`);
    else if (segs.length === 1) out.add(key);
    else {
      let group = byTop.get(segs[0]);
      if (!group) byTop.set(segs[0], (group = []));
      group.push(segs);
    }
  }
  for (const group of byTop.values()) {
    if (group.length === 1) {
      out.add(group[0].join('/'));
      continue;
    }
    // Longest shared folder: shared leading segments, excluding each key's own file name.
    let n = group[0].length - 1;
    for (const segs of group) {
      n = Math.min(n, segs.length - 1);
      for (let i = 0; i < n; i++) {
        if (segs[i] !== group[0][i]) {
          n = i;
          break;
        }
      }
    }
    out.add(`${group[0].slice(0, n).join('/')}/*`);
  }
  return removeCovered(Array.from(out));
}

/** Where a name's tokens end: the separators a compaction may cut at. */
const SEPARATORS = new Set(['/', '-', '_', '.', ':', '=']);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** A hex id token (a hash, a uuid's groups, a request id): 8 or more hex digits, one a digit. */
const HEX_ID_TOKEN = /^(?=[0-9a-f]*\d)[0-9a-f]{8,}$/i;

/**
 * The prefix a compaction may end its pattern with (docs/generation.md, "Compaction stays valid
 * over time"). `prefix` is the longest common prefix of `names` (resource names after their
 * head); where it ends inside a number, the names differ in a value that grows, and tomorrow's
 * value would not match. So:
 * 1. if the prefix ends in digits, or ends at a separator (`/ - _ . : =`) where a name goes on
 *    with a digit, or ends inside a hex id token, it is cut back to the start of those digits
 *    (of the hex id token);
 * 2. then further back over every all-digit token before it, with its separator: the year and
 *    month of a date (`2026-11-`, `2026/11/`), so that the next day, month or year still fits.
 * Otherwise it stays as it is (names without digits keep the longest common prefix).
 *
 * `thumbnails/2026-11-0` → `thumbnails/`; `part-000` → `part-`; `img00` → `img`;
 * `etl_stage_` (before `0`…`899`) stays; `etl_stage_o` stays. The result is a prefix of `prefix`
 * (the pattern covers at least what the uncut one did) and depends on nothing but its inputs.
 */
export function stableCompactionPrefix(prefix: string, names: readonly string[]): string {
  let start = prefix.length;
  while (start > 0 && !SEPARATORS.has(prefix[start - 1])) start--;
  const tokenAt = (n: string): string => {
    let end = start;
    while (end < n.length && !SEPARATORS.has(n[end])) end++;
    return n.slice(start, end);
  };
  let cut = prefix.length;
  if (names.some((n) => HEX_ID_TOKEN.test(tokenAt(n)))) cut = start;
  else if (!isDigit(prefix[cut - 1]) && !(cut === start && names.some((n) => isDigit(n[cut])))) return prefix;
  while (isDigit(prefix[cut - 1])) cut--;
  while (cut > 0 && SEPARATORS.has(prefix[cut - 1])) {
    let s = cut - 1;
    while (s > 0 && !SEPARATORS.has(prefix[s - 1])) s--;
    if (!/^\d+$/.test(prefix.slice(s, cut - 1))) break;
    cut = s;
  }
  return prefix.slice(0, cut);
}

/**
 * Does pattern `a` allow everything pattern `b` allows? Sound, not complete: equal patterns, a
 * literal `b` matched by `a`, or `a` = `P*` (no other wildcard) and `b` starts with `P`.
 */
export function patternCovers(a: string, b: string): boolean {
  if (a === b || a === '*') return true;
  if (!/[*?]/.test(b)) return globMatch(a, b, false);
  const star = a.indexOf('*');
  return star === a.length - 1 && !a.includes('?') && b.startsWith(a.slice(0, -1));
}

/** Sorted patterns with every pattern that another one covers removed. */
export function removeCovered(patterns: readonly string[]): string[] {
  const unique = Array.from(new Set(patterns)).sort();
  if (unique.includes('*')) return ['*'];
  const wild = unique.filter((p) => /[*?]/.test(p));
  return unique.filter((p) => !wild.some((w) => w !== p && patternCovers(w, p)));
}

/** `type` granularity: the resource type's ARN format with every name variable set to `*`. */
function typePattern(arn: string, type: CatalogResourceType): string | undefined {
  const f = arnFields(arn);
  if (!f) return undefined;
  const bindings: Record<string, string> = {};
  for (const v of compileArnTemplate(type.arn).variables) bindings[v] = '*';
  bindings.Partition = f.partition;
  if (bindings.Region !== undefined) bindings.Region = f.region;
  if (bindings.Account !== undefined) bindings.Account = f.account;
  // S3 ARNs have no account or region: the bucket is the boundary.
  if (bindings.BucketName !== undefined) bindings.BucketName = f.resource.split('/')[0];
  const out = fillArnTemplate(type.arn, bindings);
  // Safety net: the pattern must cover the ARN it came from and keep its scope.
  return out && globMatch(out, arn, false) ? out : undefined;
}

/** Where a `prefix`-collapsible ARN splits into head (kept) and name (generalised). */
function prefixSplit(
  arn: string,
  type: CatalogResourceType,
): { head: string; name: string; rule: 'keys' | 'any' } | undefined {
  const t = type.arn;
  if (t.endsWith('/${ObjectName}') && t.includes('${BucketName}')) {
    const start = arn.indexOf(':::');
    const slash = start < 0 ? -1 : arn.indexOf('/', start + 3);
    return slash < 0
      ? undefined
      : { head: arn.slice(0, slash + 1), name: arn.slice(slash + 1), rule: 'keys' };
  }
  if (t.endsWith(':log-stream:${LogStreamName}')) {
    const i = arn.lastIndexOf(':log-stream:');
    return i < 0 ? undefined : { head: arn.slice(0, i + 12), name: arn.slice(i + 12), rule: 'any' };
  }
  return undefined;
}

/**
 * Generalises the resources one action was used on. `*` absorbs the rest (the action already
 * needs it). Returns sorted patterns with covered ones removed.
 */
export function generalizeResources(
  action: string,
  resources: readonly string[],
  catalog: Catalog,
  granularity: Granularity,
): string[] {
  if (resources.includes('*')) return ['*'];
  if (granularity === 'exact') return removeCovered(resources);
  const out: string[] = [];
  const heads = new Map<string, { rule: 'keys' | 'any'; names: string[] }>();
  for (const arn of resources) {
    const type = resourceTypeOf(arn, action, catalog);
    if (!type) {
      out.push(arn);
      continue;
    }
    if (granularity === 'type') {
      out.push(typePattern(arn, type) ?? arn);
      continue;
    }
    const split = prefixSplit(arn, type);
    if (!split) {
      out.push(arn);
      continue;
    }
    let h = heads.get(split.head);
    if (!h) heads.set(split.head, (h = { rule: split.rule, names: [] }));
    h.names.push(split.name);
  }
  for (const [head, { rule, names }] of heads) {
    if (rule === 'any') out.push(`${head}*`);
    else for (const p of generalizeObjectKeys(names)) out.push(`${head}${p}`);
  }
  return removeCovered(out);
}
