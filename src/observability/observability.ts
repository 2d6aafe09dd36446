/**
 * Observability: which of a function's possible needs the trail cannot show. Pure.
 *
 * - grantedActions: the actions a role's identity policies allow today (what the function may use).
 * - observabilityFindings: per kind of access that CloudTrail records only as data events (off by
 *   default) or never, a PT-NOT-OBSERVABLE finding when the role is granted it and the trail
 *   cannot show it. Categories and sources: data/observability.json.
 */
import { globMatch } from '../iam/glob';
import { currentPoliciesOf } from '../account/current-policies';
import type { AccountState } from '../model/account';
import type { Finding } from '../model/findings';
import categoriesData from './data/observability.json';

export interface ObservabilityCategory {
  id: string;
  kind: 'data-event' | 'not-logged';
  /** Human name of the access, e.g. `S3 object-level access`. */
  what: string;
  /** CloudTrail eventSource whose data events make it visible (data-event kind). */
  eventSource?: string;
  /** e.g. `S3 data events`. */
  trailWording?: string;
  /** IAM actions of this kind. */
  actions: string[];
  refs: string[];
}

/** The categories (data-event and never-logged kinds of access), with their sources. */
export const OBSERVABILITY_CATEGORIES: readonly ObservabilityCategory[] =
  categoriesData.categories as ObservabilityCategory[];

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function asList(x: unknown): unknown[] {
  return x === undefined || x === null ? [] : Array.isArray(x) ? x : [x];
}

/**
 * The actions (possibly wildcards: `s3:*`, `s3:Get*`, `*`) allowed by the role's identity policies:
 * inline policies and attached managed policies at their default version. An attached AWS managed
 * policy without a document in the snapshot is read from the bundled copies of the Lambda
 * execution policies (data/aws-managed-policies.json) when it is one of them, else skipped.
 *
 * Over-approximation, on purpose (the result says what the function *may* use): conditions and
 * resources are ignored, Deny statements are not subtracted, and an Allow with `NotAction`
 * counts as `*`. Sorted (code-point order), deduplicated. Unknown role: [].
 */
export function grantedActions(state: AccountState, roleArn: string): string[] {
  const current = currentPoliciesOf(state, roleArn);
  if (!current) return [];
  const out = new Set<string>();
  for (const { document: doc } of current.identity) {
    for (const s of asList(doc.Statement)) {
      if (typeof s !== 'object' || s === null) continue;
      const st = s as Record<string, unknown>;
      if (st.Effect !== 'Allow') continue;
      for (const a of asList(st.Action)) if (typeof a === 'string' && a !== '') out.add(a);
      if (st.NotAction !== undefined) out.add('*');
    }
  }
  return [...out].sort(cmp);
}

export interface ObservabilityInput {
  /** Who the findings are about, e.g. `function orders-api`. */
  subject: string;
  /** Actions the trail showed for the subject (mapped, successful events). */
  observedActions: string[];
  /** grantedActions(state, role) of the subject's role. */
  grantedActions: string[];
  /** eventSource → number of data events anywhere in the trail (UsageAggregate.dataEventSources). */
  dataEventSources: Record<string, number>;
  /**
   * Actions the function's configuration implies (impliedPermissions(...).permissions' actions,
   * which cover its event source mappings, destinations and logging). They reach the policy
   * without the trail, so they are not reported as unobservable.
   */
  impliedActions?: string[];
}

const MAX_LISTED = 5;

/**
 * Whether this trail cannot show the category's access: never-logged kinds always; data-event
 * kinds when the trail holds no data event of their source and none of their actions was seen.
 * `observed` holds lower-cased actions.
 */
export function trailCannotShow(
  cat: ObservabilityCategory,
  observed: ReadonlySet<string>,
  dataEventSources: Readonly<Record<string, number>>,
): boolean {
  if (cat.kind !== 'data-event') return true;
  if ((dataEventSources[cat.eventSource ?? ''] ?? 0) > 0) return false;
  return !cat.actions.some((a) => observed.has(a.toLowerCase()));
}

function listActions(actions: string[]): string {
  if (actions.length <= MAX_LISTED) return actions.join(', ');
  return `${actions.slice(0, MAX_LISTED).join(', ')} and ${actions.length - MAX_LISTED} more`;
}

/** IAM action wildcard match (`*`, `?`), case-insensitive. */
function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

/**
 * PT-NOT-OBSERVABLE findings for `subject`, sorted by id:
 * - `data-event` kinds (S3 objects, DynamoDB items and streams, SQS messages, SNS publish, Lambda
 *   invoke): a warning when the role is granted such actions, the trail holds no data event of that
 *   service at all, and neither the trail nor the configuration accounts for them;
 * - `not-logged` kinds (CloudWatch Logs events, metric data, Kinesis records, API Gateway
 *   invocations): an info finding when the role is granted such actions that the configuration
 *   does not account for — CloudTrail never records them.
 */
export function observabilityFindings(input: ObservabilityInput): Finding[] {
  const observed = new Set(input.observedActions.map((a) => a.toLowerCase()));
  const implied = new Set((input.impliedActions ?? []).map((a) => a.toLowerCase()));
  const findings: Finding[] = [];
  for (const cat of OBSERVABILITY_CATEGORIES) {
    const granted = cat.actions.filter((a) => input.grantedActions.some((g) => actionMatches(g, a)));
    if (granted.length === 0) continue;
    const uncovered = granted.filter((a) => !implied.has(a.toLowerCase()));
    if (uncovered.length === 0) continue;
    const coveredNote =
      uncovered.length < granted.length
        ? ` (${listActions(granted.filter((a) => implied.has(a.toLowerCase())))} come from the function's configuration)`
        : '';
    if (cat.kind === 'data-event') {
      const source = cat.eventSource ?? '';
      if (!trailCannotShow(cat, observed, input.dataEventSources)) continue;
      findings.push({
        id: `PT-NOT-OBSERVABLE[${cat.id}]`,
        code: 'PT-NOT-OBSERVABLE',
        severity: 'warning',
        message:
          `${input.subject}: ${cat.what} cannot be seen: the trail has no ${cat.trailWording ?? 'data events'} ` +
          `(${source}), and the role grants ${listActions(uncovered)}${coveredNote}; the generated policy cannot ` +
          `include it: enable these data events on the trail or review the code`,
        count: 1,
        sampleEventIds: [],
      });
    } else {
      findings.push({
        id: `PT-NOT-OBSERVABLE[${cat.id}]`,
        code: 'PT-NOT-OBSERVABLE',
        severity: 'info',
        message:
          `${input.subject}: ${cat.what} are never recorded by CloudTrail, and the role grants ` +
          `${listActions(uncovered)}${coveredNote}; only implied needs or a manual review can cover them`,
        count: 1,
        sampleEventIds: [],
      });
    }
  }
  return findings.sort((a, b) => cmp(a.id, b.id));
}
