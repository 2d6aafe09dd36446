/**
 * Findings: everything the tool could not do exactly, or that a reviewer must know. Each has a
 * stable id `CODE[detail]` (cdk-nag style) so that a user can suppress one with a reason.
 * The catalogue is docs/findings.md.
 */
export type FindingCode =
  | 'PT-FILE-UNREADABLE'
  | 'PT-FILE-NOT-CLOUDTRAIL'
  | 'PT-FILE-EMPTY'
  | 'PT-MALFORMED-EVENT'
  | 'PT-UNMAPPED'
  | 'PT-UNKNOWN-SERVICE'
  | 'PT-WILDCARD-RESOURCE'
  | 'PT-UNRESOLVED-RESOURCE'
  | 'PT-REJECTED-VALUE'
  | 'PT-DENIED-CALL'
  | 'PT-FAILED-CALL'
  | 'PT-SHARED-ROLE'
  | 'PT-NO-EVENTS'
  /** The function's configuration implies a need whose resource cannot be determined. */
  | 'PT-IMPLIED-UNRESOLVED'
  /** A kind of access the trail cannot show (e.g. no S3 data events anywhere in it). */
  | 'PT-NOT-OBSERVABLE'
  /** Generalisation had to compact resources by a shared name prefix to fit IAM quotas. */
  | 'PT-COMPACTED'
  /** The policy set cannot fit IAM quotas even after splitting and compaction. */
  | 'PT-QUOTA-EXCEEDED'
  /** The evidence is too thin to present removals as safe (short window, partial read, no call, unknown policies), or the trail does not cover the window. */
  | 'PT-THIN-EVIDENCE'
  /** An attached policy whose document the account state lacks, or an invalid current policy. */
  | 'PT-CURRENT-UNKNOWN'
  /** The proposal allows something today's policies do not (listed as added, with the reason). */
  | 'PT-NEW-ACCESS'
  /** The proposal allows something the role's permissions boundary blocks. */
  | 'PT-BOUNDARY-BLOCKS'
  /** An explicit Deny of the current policies is carried into the proposal. */
  | 'PT-GUARDRAIL-CARRIED'
  /** `--drop-unobservable` removed grants the trail cannot show. */
  | 'PT-UNOBSERVABLE-DROPPED'
  /** Sessions named after the function under roles Lambda did not start them for: excluded. */
  | 'PT-SESSION-ELSEWHERE'
  /** Some calls of a permission carried a condition key (kms:ViaService, s3:prefix) and others did not: no condition. */
  | 'PT-CONDITION-MIXED'
  /** A suppression of the config file that matched no finding (stale, or a typo). */
  | 'PT-UNUSED-SUPPRESSION';

export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  /** Stable id, e.g. `PT-UNMAPPED[foo.amazonaws.com:DoThing]`. */
  id: string;
  code: FindingCode;
  severity: Severity;
  /** One line, built only from validated values (never raw request parameters). */
  message: string;
  /** How many times it occurred. */
  count: number;
  /** Up to a few event ids (smallest first, for determinism). */
  sampleEventIds: string[];
  /** File the finding is about, when it is about a file. */
  file?: string;
  /** Set when a suppression (config file) matched: the finding is kept, marked, with the reason. */
  suppressed?: { reason: string };
}

/** Maximum number of sample event ids kept per finding or permission. */
export const MAX_SAMPLES = 3;

/**
 * Findings that make the result partial (exit code 3): input that was skipped or could not be
 * mapped, so the policy may lack what it needed, or a policy set that does not fit IAM's quotas.
 * A suppression (config file, with a reason) marks such a finding but never clears it: lost input
 * stays lost, and the result stays partial.
 */
export const PARTIAL_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'PT-FILE-UNREADABLE',
  'PT-FILE-NOT-CLOUDTRAIL',
  'PT-FILE-EMPTY',
  'PT-MALFORMED-EVENT',
  'PT-UNMAPPED',
  'PT-UNKNOWN-SERVICE',
  'PT-REJECTED-VALUE',
  'PT-QUOTA-EXCEEDED',
]);

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Severity rank for listings: error 0, warning 1, info 2, suppressed (any severity) 3. */
export function findingRank(f: Pick<Finding, 'severity' | 'suppressed'>): number {
  return f.suppressed ? 3 : SEVERITY_ORDER[f.severity];
}

/**
 * The listing order of findings (docs/findings.md): by severity (error, warning, info, then
 * suppressed), then by count, largest first, then by id. Total and deterministic.
 */
export function compareFindings(
  a: Pick<Finding, 'id' | 'severity' | 'suppressed' | 'count'>,
  b: Pick<Finding, 'id' | 'severity' | 'suppressed' | 'count'>,
): number {
  return findingRank(a) - findingRank(b) || b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
