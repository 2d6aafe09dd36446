/**
 * IAM size quotas: split into several documents, never widen; compact only as a last resort.
 *
 * 1. Size is counted as IAM does: the JSON without whitespace (`JSON.stringify` without indent).
 * 2. A statement larger than one document on its own is cut into statements over disjoint
 *    parts of its Resource list (then of its Action list): the same permissions, smaller pieces.
 * 3. Statements are packed first-fit, in canonical order, into documents of at most the size
 *    quota (managed: 6,144 characters each, at most 10 documents; inline: one document of at most
 *    10,240, since the inline quota is per role and every extra document only adds overhead).
 * 4. Only when the documents exceed the count quota are resources compacted by a shared name
 *    prefix (see {@link compactionCandidates}); the caller reports each compaction as
 *    PT-COMPACTED. If even that does not fit, the caller keeps the uncompacted split and reports
 *    PT-QUOTA-EXCEEDED.
 */
import type { PolicyDocument, PolicyStatement } from '../model';
import { arnFitsTemplate, compileArnTemplate } from '../analyze/arn-template';
import type { Catalog } from '../catalog/catalog';
import { patternCovers, resourceTypeOf, stableCompactionPrefix } from './generalize';
import { globMatch } from '../iam/glob';
import type { DraftStatement } from './types';

/** Size of a document or statement as IAM counts it (no whitespace). */
export function policySize(x: PolicyDocument | PolicyStatement): number {
  return JSON.stringify(x).length;
}

/** `{"Version":"2012-10-17","Statement":[]}` */
const DOC_OVERHEAD = policySize({ Version: '2012-10-17', Statement: [] });

/** Upper bound of the Sid's length (statements.ts: ≤ 40 service chars + access + Denied + 8). */
const SID_BUDGET = 80;

function draftSize(s: DraftStatement): number {
  return policySize({
    Sid: 'x'.repeat(SID_BUDGET),
    Effect: 'Allow',
    Action: s.actions,
    Resource: s.resources,
    ...(s.condition ? { Condition: s.condition } : {}),
  });
}

function chunk(items: readonly string[], budget: number, fixed: number): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let size = fixed;
  for (const it of items) {
    const add = it.length + 3; // quotes and comma
    if (cur.length > 0 && size + add > budget) {
      out.push(cur);
      cur = [];
      size = fixed;
    }
    cur.push(it);
    size += add;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function originsFor(s: DraftStatement, actions: readonly string[], resources: readonly string[]) {
  return s.origins.filter(
    (o) => actions.includes(o.action) && resources.some((r) => globMatch(r, o.resource, false)),
  );
}

/**
 * Cuts statements that cannot fit one document of `maxSize` into pieces over disjoint parts of
 * their Resources, then Actions. The pieces allow exactly what the statement allowed.
 */
export function cutOversized(statements: readonly DraftStatement[], maxSize: number): DraftStatement[] {
  const budget = maxSize - DOC_OVERHEAD;
  const out: DraftStatement[] = [];
  for (const s of statements) {
    if (draftSize(s) <= budget) {
      out.push(s);
      continue;
    }
    const actionChunks = chunk(s.actions, budget / 2, 0);
    for (const actions of actionChunks) {
      const fixed = draftSize({ ...s, actions, resources: [] });
      for (const resources of chunk(s.resources, budget, fixed)) {
        out.push({
          actions,
          resources,
          denied: s.denied,
          ...(s.condition ? { condition: s.condition } : {}),
          origins: originsFor(s, actions, resources),
        });
      }
    }
  }
  return out;
}

/** First-fit packing of emitted statements (in their order) into documents of `maxSize`. */
export function packStatements(statements: readonly PolicyStatement[], maxSize: number): PolicyDocument[] {
  const docs: { doc: PolicyDocument; size: number }[] = [];
  for (const s of statements) {
    const add = policySize(s) + 1; // the comma
    let target = docs.find((d) => d.size + add <= maxSize);
    if (!target)
      docs.push((target = { doc: { Version: '2012-10-17', Statement: [] }, size: DOC_OVERHEAD - 1 }));
    target.doc.Statement.push(s);
    target.size += add;
  }
  // No statement at all (no events): still one, empty, document.
  return docs.length > 0 ? docs.map((d) => d.doc) : [{ Version: '2012-10-17', Statement: [] }];
}

/** Minimum length of the shared name prefix of a compaction (`table/etl*`, not `table/e*`). */
export const MIN_COMPACTION_PREFIX = 3;

/** A possible compaction: in statement `index`, `covered` resources become `pattern`. */
export interface CompactionCandidate {
  index: number;
  pattern: string;
  covered: string[];
  /** Characters saved. */
  savings: number;
}

function longestCommonPrefix(xs: readonly string[]): string {
  let p = xs[0] ?? '';
  for (const x of xs) {
    let i = 0;
    while (i < p.length && i < x.length && p[i] === x[i]) i++;
    p = p.slice(0, i);
  }
  return p;
}

/**
 * The head of an ARN that a compaction must keep whole: everything up to the first name variable
 * of its resource type (partition, region, account and, for S3, the bucket and its `/`). An ARN
 * whose type has no name after its scope (an S3 bucket) cannot be compacted: undefined.
 */
const headCache = new Map<string, string | undefined>();
function compactionHead(arn: string, template: string): string | undefined {
  const k = `${template}\n${arn}`;
  if (headCache.has(k)) return headCache.get(k);
  if (headCache.size > 100_000) headCache.clear();
  const head = findHead(arn, template);
  headCache.set(k, head);
  return head;
}

function findHead(arn: string, template: string): string | undefined {
  const vars = compileArnTemplate(template).variables;
  const nameVar = vars.find((v) => !['Partition', 'Region', 'Account', 'BucketName'].includes(v));
  if (!nameVar) return undefined;
  const literalHead = template.slice(0, template.indexOf(`\${${nameVar}}`));
  // Find the shortest prefix of the ARN that fits the head of the template.
  if (!arnFitsTemplate(arn, template)) return undefined;
  const headRe = compileArnTemplate(literalHead).regex;
  for (let i = 1; i <= arn.length; i++) {
    if (headRe.test(arn.slice(0, i))) return arn.slice(0, i);
  }
  return undefined;
}

/**
 * Compaction candidates: in each statement, resources of one resource type and one head (same
 * partition, region, account, bucket) are grouped by the first {@link MIN_COMPACTION_PREFIX}
 * characters of their name; each group of two or more becomes its longest common prefix, cut
 * where no date or counter of the names outgrows it ({@link stableCompactionPrefix}), + `*`; a
 * cut that leaves fewer than {@link MIN_COMPACTION_PREFIX} characters of name is not offered.
 * `covered` is every resource of the statement the pattern covers.
 * Never crosses an account, region or bucket; never touches `*` or already-wildcard resources.
 */
export function compactionCandidates(
  statements: readonly DraftStatement[],
  catalog: Catalog,
): CompactionCandidate[] {
  const out: CompactionCandidate[] = [];
  statements.forEach((s, index) => {
    const groups = new Map<string, string[]>();
    for (const r of s.resources) {
      if (/[*?]/.test(r)) continue;
      const type = s.actions.map((a) => resourceTypeOf(r, a, catalog)).find((t) => t !== undefined);
      if (!type) continue;
      const head = compactionHead(r, type.arn);
      if (!head || r.length - head.length < MIN_COMPACTION_PREFIX) continue;
      const k = `${type.arn}\n${head}\n${r.slice(head.length, head.length + MIN_COMPACTION_PREFIX)}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(r);
    }
    for (const [k, group] of groups) {
      if (group.length < 2) continue;
      // Cut where no date or counter of the data outgrows it; too short a name is no compaction.
      const head = k.split('\n')[1];
      const names = group.map((r) => r.slice(head.length));
      const name = stableCompactionPrefix(longestCommonPrefix(group).slice(head.length), names);
      if (name.length < MIN_COMPACTION_PREFIX) continue;
      const pattern = `${head}${name}*`;
      const covered = s.resources.filter((r) => r !== pattern && patternCovers(pattern, r));
      const savings = covered.reduce((n, r) => n + r.length + 3, 0) - (pattern.length + 3);
      if (savings > 0) out.push({ index, pattern, covered: covered.sort(), savings });
    }
  });
  return out.sort(
    (a, b) => b.savings - a.savings || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0),
  );
}
