/**
 * Policy synthesis: usage → least-privilege policy documents, with provenance and findings.
 *
 * Pipeline (pure; docs/generation.md):
 * 1. per action, its observed resources generalised at the chosen granularity (generalize.ts);
 *    with `includeDenied`, denied calls not already allowed become separate, marked statements;
 * 2. one draft statement per action, merged CDK-style to a fixpoint (merge.ts): actions with
 *    equal resource sets share a statement;
 * 3. statements too large for one document are cut (never widened), sorted canonically, given
 *    content-derived Sids (statements.ts) and packed into documents within IAM quotas (quotas.ts);
 * 4. only when the documents still exceed the count quota, resources are compacted by shared
 *    name prefixes (PT-COMPACTED), largest saving first, until they fit; if they never fit,
 *    the uncompacted split is returned with PT-QUOTA-EXCEEDED.
 *
 * The caller verifies the result (verify.ts) against the observed calls.
 */
import type { Catalog } from '../catalog/catalog';
import type { Finding, PolicyDocument, PolicyStatement, UsageAggregate, UsageEntry } from '../model';
import { mergeSamples } from '../usage';
import { conditionKey, conditionOfEntry } from './conditions';
import { generalizeResources, patternCovers, removeCovered } from './generalize';
import { mergeStatements } from './merge';
import { compactionCandidates, cutOversized, packStatements } from './quotas';
import { sortStatements, statementSid, toPolicyStatement } from './statements';
import {
  DEFAULT_GRANULARITY,
  DEFAULT_QUOTAS,
  type DraftStatement,
  type Granularity,
  type Quotas,
  type StatementCondition,
  type StatementOrigin,
} from './types';

/** Options of {@link generatePolicies}. */
export interface GeneratePoliciesOptions {
  /** IAM catalog with the services of the usage loaded (`ensureService`). */
  catalog: Catalog;
  /** @default 'prefix' */
  granularity?: Granularity;
  /** Also allow denied calls (the function tried them and lacks them), in marked statements. @default false */
  includeDenied?: boolean;
  /** Overrides of the IAM quotas. */
  quotas?: Partial<Quotas>;
  /**
   * `managed`: up to `managedPoliciesPerRole` documents of `managedPolicySize`; `inline`: one
   * document of `inlinePolicySizePerRole`. @default 'managed'
   */
  target?: 'managed' | 'inline';
  /**
   * Statements carried over from the current policies as written (explicit Deny guardrails, and
   * grants the trail cannot show), packed first, into the first document: they count towards the
   * quotas like every other statement.
   */
  carried?: readonly PolicyStatement[];
}

/** What {@link generatePolicies} produced. */
export interface GeneratePoliciesResult {
  /** One document, or several when the quotas force a split. */
  policies: PolicyDocument[];
  /** Findings about the policy (wildcards, denied calls, compactions, quota), sorted by id. */
  findings: Finding[];
  /** Provenance: per Sid, the observed (or denied) calls that the statement allows. */
  origins: Record<string, StatementOrigin[]>;
  /** Size of each document, without whitespace. */
  sizes: number[];
}

/**
 * Loads the catalog services that the usage names, so that the generator's synchronous lookups
 * find them. The mapping has loaded most already; implied permissions may name others.
 */
export async function ensureCatalogServices(usage: UsageAggregate, catalog: Catalog): Promise<void> {
  const services = new Set<string>();
  for (const e of [...Object.values(usage.entries), ...Object.values(usage.denied)]) {
    const i = e.action.indexOf(':');
    if (i > 0) services.add(e.action.slice(0, i).toLowerCase());
  }
  await Promise.all([...services].sort().map((s) => catalog.ensureService(s)));
}

function toOrigin(e: UsageEntry, denied: boolean): StatementOrigin {
  return {
    action: e.action,
    resource: e.resource,
    denied,
    count: e.count,
    firstSeen: e.firstSeen,
    lastSeen: e.lastSeen,
    sampleEventIds: e.sampleEventIds,
    origins: e.origins,
  };
}

/**
 * One draft per action and condition: its generalised resources and the entries behind them.
 * Entries whose calls agree on a condition key (conditions.ts) form their own, conditioned draft.
 */
function draftsOf(
  entries: readonly UsageEntry[],
  denied: boolean,
  catalog: Catalog,
  granularity: Granularity,
  findings?: Finding[],
): DraftStatement[] {
  const groups = new Map<string, { action: string; condition?: StatementCondition; list: UsageEntry[] }>();
  for (const e of entries) {
    const c = denied ? undefined : conditionOfEntry(e, granularity);
    if (c && findings) findings.push(...c.findings);
    const k = `${e.action}\n${conditionKey(c?.condition)}`;
    let g = groups.get(k);
    if (!g)
      groups.set(
        k,
        (g = { action: e.action, ...(c?.condition ? { condition: c.condition } : {}), list: [] }),
      );
    g.list.push(e);
  }
  return Array.from(groups.values(), (g) => ({
    actions: [g.action],
    resources: generalizeResources(
      g.action,
      g.list.map((e) => e.resource),
      catalog,
      granularity,
    ),
    denied,
    ...(g.condition ? { condition: g.condition } : {}),
    origins: g.list.map((e) => toOrigin(e, denied)),
  }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emit(
  drafts: readonly DraftStatement[],
  catalog: Catalog,
  maxSize: number,
  carried: readonly PolicyStatement[],
) {
  const sorted = sortStatements(cutOversized(drafts, maxSize), catalog);
  const statements = [...carried, ...sorted.map((s) => toPolicyStatement(s, catalog))];
  const origins: Record<string, StatementOrigin[]> = {};
  sorted.forEach((s) => {
    origins[statementSid(s, catalog)] = [...s.origins].sort(
      (a, b) => compare(a.action, b.action) || compare(a.resource, b.resource),
    );
  });
  return { policies: packStatements(statements, maxSize), origins };
}

/**
 * Generates the least-privilege policy set of one principal's usage (see the file header).
 * Pure: the same usage and options give the same documents, byte for byte.
 */
export function generatePolicies(
  usage: UsageAggregate,
  options: GeneratePoliciesOptions,
): GeneratePoliciesResult {
  const { catalog } = options;
  const granularity = options.granularity ?? DEFAULT_GRANULARITY;
  const quotas: Quotas = { ...DEFAULT_QUOTAS, ...options.quotas };
  const inline = options.target === 'inline';
  const maxSize = inline ? quotas.inlinePolicySizePerRole : quotas.managedPolicySize;
  const maxDocs = inline ? 1 : quotas.managedPoliciesPerRole;

  const observed = Object.values(usage.entries);
  const conditionFindings: Finding[] = [];
  let drafts = draftsOf(observed, false, catalog, granularity, conditionFindings);
  // Denied calls the observed, unconditioned statements do not already allow.
  const deniedEntries = options.includeDenied
    ? Object.values(usage.denied).filter(
        (d) =>
          !drafts.some(
            (s) =>
              !s.condition &&
              s.actions[0] === d.action &&
              s.resources.some((r) => patternCovers(r, d.resource)),
          ),
      )
    : [];
  drafts = mergeStatements([...drafts, ...draftsOf(deniedEntries, true, catalog, granularity)]);

  const findings = new Map<string, Finding>();
  const add = (f: Finding) => {
    const old = findings.get(f.id);
    if (!old) findings.set(f.id, f);
    else {
      old.count += f.count;
      old.sampleEventIds = mergeSamples(old.sampleEventIds, f.sampleEventIds);
    }
  };
  basicFindings(usage, observed, options.includeDenied ?? false).forEach(add);
  conditionFindings.forEach(add);

  const carried = options.carried ?? [];
  let out = emit(drafts, catalog, maxSize, carried);
  if (out.policies.length > maxDocs) {
    const compacted = compact(drafts, catalog, maxSize, maxDocs, carried);
    if (compacted) {
      out = compacted.out;
      compacted.findings.forEach(add);
    } else {
      add({
        id: `PT-QUOTA-EXCEEDED[${inline ? 'inline' : 'managed'}]`,
        code: 'PT-QUOTA-EXCEEDED',
        severity: 'error',
        message: inline
          ? `the policy needs more than the ${maxSize} characters of inline policy a role may have, even after compacting resources; it is emitted uncompacted (nothing widened) as ${out.policies.length} documents`
          : `the policy needs ${out.policies.length} managed policies of at most ${maxSize} characters (quota: ${maxDocs} per role), even after compacting resources; it is emitted uncompacted (nothing widened)`,
        count: 1,
        sampleEventIds: [],
      });
    }
  }

  return {
    policies: out.policies,
    findings: Array.from(findings.values()).sort((a, b) => compare(a.id, b.id)),
    origins: out.origins,
    sizes: out.policies.map((p) => JSON.stringify(p).length),
  };
}

/**
 * Compaction loop: apply the candidate with the largest saving, re-merge, re-pack; stop when the
 * documents fit. Returns undefined when no sequence of compactions fits.
 */
function compact(
  initial: readonly DraftStatement[],
  catalog: Catalog,
  maxSize: number,
  maxDocs: number,
  carried: readonly PolicyStatement[],
) {
  let drafts = [...initial];
  const applied: { pattern: string; covered: string[]; actions: string[]; samples: string[] }[] = [];
  for (;;) {
    const [best] = compactionCandidates(drafts, catalog);
    if (!best) return undefined;
    const s = drafts[best.index];
    applied.push({
      pattern: best.pattern,
      covered: best.covered,
      actions: s.actions,
      samples: s.origins.filter((o) => best.covered.includes(o.resource)).flatMap((o) => o.sampleEventIds),
    });
    drafts[best.index] = {
      ...s,
      resources: removeCovered([...s.resources.filter((r) => !best.covered.includes(r)), best.pattern]),
    };
    drafts = mergeStatements(drafts);
    const out = emit(drafts, catalog, maxSize, carried);
    if (out.policies.length <= maxDocs) {
      const findings: Finding[] = applied.map((a) => ({
        id: `PT-COMPACTED[${a.pattern}]`,
        code: 'PT-COMPACTED',
        severity: 'warning',
        message: `${a.covered.length} resources of ${a.actions.join(', ')} compacted to ${a.pattern} to fit IAM policy quotas (the pattern may match resources never observed)`,
        count: a.covered.length,
        sampleEventIds: mergeSamples([], a.samples),
      }));
      return { out, findings };
    }
  }
}

/**
 * PT-WILDCARD-RESOURCE and PT-DENIED-CALL, as generator v1 reported them (stable ids).
 *
 * One finding per cause: a `*` whose resource the mapping could not determine already has its
 * PT-UNRESOLVED-RESOURCE[action] finding (it names the event and the reason), so it gets no
 * PT-WILDCARD-RESOURCE twin; every other `*` (no resource type in IAM, or a `*` no mapping
 * finding explains) gets one here. A denied action is one finding whose message states the
 * totals over all its resources.
 */
function basicFindings(
  usage: UsageAggregate,
  observed: readonly UsageEntry[],
  includeDenied: boolean,
): Finding[] {
  const out: Finding[] = [];
  for (const e of observed) {
    if (e.resource !== '*') continue;
    const legit = e.wildcardReason === 'no-resource-type';
    if (!legit && usage.findings[`PT-UNRESOLVED-RESOURCE[${e.action}]`]) continue;
    out.push({
      id: `PT-WILDCARD-RESOURCE[${e.action}]`,
      code: 'PT-WILDCARD-RESOURCE',
      severity: legit ? 'info' : 'warning',
      message: legit
        ? `${e.action} has no resource type in IAM, so its statement uses Resource "*"`
        : `${e.action} is allowed on Resource "*" because ${e.wildcardReason ?? 'its resource could not be determined'}`,
      count: e.count,
      sampleEventIds: e.sampleEventIds,
    });
  }
  const denied = new Map<string, UsageEntry[]>();
  for (const e of Object.values(usage.denied)) {
    const list = denied.get(e.action);
    if (list) list.push(e);
    else denied.set(e.action, [e]);
  }
  for (const [action, list] of denied) {
    const resources = list.map((e) => e.resource).sort(compare);
    const total = list.reduce((n, e) => n + e.count, 0);
    const on =
      resources.length === 1
        ? `on ${resources[0]}`
        : `on ${resources.length.toLocaleString('en-US')} resources (${resources.slice(0, 3).join(', ')}${resources.length > 3 ? ', …' : ''})`;
    const times = `${total.toLocaleString('en-US')} time(s)`;
    out.push({
      id: `PT-DENIED-CALL[${action}]`,
      code: 'PT-DENIED-CALL',
      severity: 'warning',
      message: includeDenied
        ? `${action} ${on} was denied ${times}; included because of --include-denied (statement Sid marked Denied)`
        : `${action} ${on} was denied ${times}; not included (use --include-denied to add it)`,
      count: total,
      sampleEventIds: mergeSamples(
        [],
        list.flatMap((e) => e.sampleEventIds),
      ),
    });
  }
  return out;
}
