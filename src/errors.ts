/**
 * Typed errors. Expected outcomes (a bad file, an unmapped event) are values, not errors; these
 * are for what stops a run. Only src/cli/main.ts turns them into exit codes (docs/cli.md).
 */

/** Exit codes (contract, documented in docs/cli.md). */
export const ExitCode = {
  /** Done; the result is complete. */
  OK: 0,
  /** Failure: nothing usable was produced. */
  FAILURE: 1,
  /** Usage error: bad flags or arguments. */
  USAGE: 2,
  /** Partial result: output was produced, but some input was skipped (files, malformed events). */
  PARTIAL: 3,
  /** `--fail-on-change`: the proposed policy differs from the current one. */
  CHANGED: 4,
  /** Self-verification failed: the generated policy does not allow an observed call (a bug). */
  VERIFICATION_FAILED: 5,
  /**
   * Insufficient evidence: the diff does not present removals as safe (a window shorter than
   * `--min-window` or the role's age, no call attributed, current policies not fully known).
   */
  INSUFFICIENT_EVIDENCE: 6,
  /** `report --fail-on-unused`: the report names unused roles or functions. */
  UNUSED_FOUND: 7,
  /** `audit --fail-on SEVERITY`: the audit has a finding at or above that severity. */
  AUDIT_FAILED: 8,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit codes as `--help` lists them and docs/cli.md's table names them (a test holds the two
 * to each other): code, name, when in one line.
 */
export const EXIT_CODES: readonly { code: ExitCodeValue; name: string; when: string }[] = [
  { code: ExitCode.OK, name: 'done', when: 'the result is complete' },
  { code: ExitCode.FAILURE, name: 'failure', when: 'nothing usable was produced (missing input, AWS error)' },
  { code: ExitCode.USAGE, name: 'usage error', when: 'bad flags or arguments' },
  {
    code: ExitCode.PARTIAL,
    name: 'partial result',
    when: 'written, but some input was skipped or not mapped',
  },
  { code: ExitCode.CHANGED, name: 'changed', when: '--fail-on-change: the proposal differs from the role' },
  {
    code: ExitCode.VERIFICATION_FAILED,
    name: 'verification failed',
    when: 'a bug: the policy misses an observed call',
  },
  {
    code: ExitCode.INSUFFICIENT_EVIDENCE,
    name: 'insufficient evidence',
    when: 'no call seen, or removals not shown as safe',
  },
  {
    code: ExitCode.UNUSED_FOUND,
    name: 'unused found',
    when: 'report --fail-on-unused: unused roles or functions',
  },
  {
    code: ExitCode.AUDIT_FAILED,
    name: 'audit failed',
    when: 'audit --fail-on: a finding at or above that severity',
  },
];

const BRAND = Symbol.for('policy-tighten.PolicyTightenError');

/** Base class; `source` says whether the user (input, flags) or the tool is at fault. */
export class PolicyTightenError extends Error {
  readonly [BRAND] = true;
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly source: 'user' | 'tool',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Works across two installed copies of the package. */
  static is(x: unknown): x is PolicyTightenError {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** Bad flags or arguments (exit 2). */
export class UsageError extends PolicyTightenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.USAGE, 'user', options);
  }
}

/** The input cannot be used at all: missing snapshot file, unknown function (exit 1). */
export class InputError extends PolicyTightenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.FAILURE, 'user', options);
  }
}

/** The generated policy failed self-verification: a bug in the tool (exit 5). */
export class VerificationError extends PolicyTightenError {
  constructor(
    message: string,
    readonly failures: string[],
  ) {
    super(message, ExitCode.VERIFICATION_FAILED, 'tool');
  }
}
