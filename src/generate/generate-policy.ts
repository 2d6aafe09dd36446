import { createHash } from 'node:crypto';
import type { Finding, PolicyDocument, PolicyStatement, UsageAggregate, UsageEntry } from '../model';
import { mergeSamples } from '../usage';

/** Options of {@link generatePolicy}. */
export interface GenerateOptions {
  /** Also allow calls that were denied (the function tried them and lacks them). @default false */
  includeDenied?: boolean;
}

/** The policy and what a reviewer must know about it. */
export interface GenerateResult {
  policy: PolicyDocument;
  /** Findings about the policy itself (wildcards kept, denied calls), sorted by id. */
  findings: Finding[];
}

function pascal(prefix: string): string {
  return prefix
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

/** A Sid derived from the statement's content only: same content, same Sid, on every run. */
export function contentSid(actions: readonly string[], resources: readonly string[]): string {
  const services = Array.from(new Set(actions.map((a) => a.split(':')[0]))).sort();
  const hash = createHash('sha256')
    .update(JSON.stringify([actions, resources]))
    .digest('hex')
    .slice(0, 8)
    .toUpperCase();
  return `${services.map(pascal).join('').slice(0, 48)}${hash}`;
}

/**
 * Turns usage into one policy document: per action the set of resources it was used on (a `*`
 * absorbs the rest: it is already needed for that action), then actions with identical
 * resource sets share a statement. Statements are sorted by their first action; arrays are
 * sorted; Sids come from content. Generalisation (prefixes, types) and quota splitting are
 * later stages and never happen here.
 */
export function generatePolicy(agg: UsageAggregate, options: GenerateOptions = {}): GenerateResult {
  const entries: UsageEntry[] = Object.values(agg.entries);
  if (options.includeDenied) entries.push(...Object.values(agg.denied));

  const byAction = new Map<string, Set<string>>();
  for (const e of entries) {
    let set = byAction.get(e.action);
    if (!set) byAction.set(e.action, (set = new Set()));
    set.add(e.resource);
  }

  const byResourceSet = new Map<string, { resources: string[]; actions: string[] }>();
  for (const [action, set] of byAction) {
    const resources = set.has('*') ? ['*'] : Array.from(set).sort();
    const k = resources.join('\n');
    let group = byResourceSet.get(k);
    if (!group) byResourceSet.set(k, (group = { resources, actions: [] }));
    group.actions.push(action);
  }

  const statements: PolicyStatement[] = Array.from(byResourceSet.values())
    .map(({ actions, resources }) => {
      const sortedActions = actions.sort();
      return {
        Sid: contentSid(sortedActions, resources),
        Effect: 'Allow' as const,
        Action: sortedActions,
        Resource: resources,
      };
    })
    .sort((a, b) => compareStrings((a.Action as string[])[0], (b.Action as string[])[0]));

  return {
    policy: { Version: '2012-10-17', Statement: statements },
    findings: policyFindings(agg, entries, options),
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function policyFindings(agg: UsageAggregate, entries: UsageEntry[], options: GenerateOptions): Finding[] {
  const findings = new Map<string, Finding>();
  const add = (f: Finding) => {
    const old = findings.get(f.id);
    if (!old) findings.set(f.id, f);
    else {
      old.count += f.count;
      old.sampleEventIds = mergeSamples(old.sampleEventIds, f.sampleEventIds);
    }
  };
  for (const e of entries) {
    if (e.resource !== '*') continue;
    const legit = e.wildcardReason === 'no-resource-type';
    add({
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
  for (const e of Object.values(agg.denied)) {
    add({
      id: `PT-DENIED-CALL[${e.action}]`,
      code: 'PT-DENIED-CALL',
      severity: 'warning',
      message: options.includeDenied
        ? `${e.action} on ${e.resource} was denied ${e.count} time(s); included because of --include-denied`
        : `${e.action} on ${e.resource} was denied ${e.count} time(s); not included (use --include-denied to add it)`,
      count: e.count,
      sampleEventIds: e.sampleEventIds,
    });
  }
  return Array.from(findings.values()).sort((a, b) => compareStrings(a.id, b.id));
}
