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
  | 'PT-INVOKED-BY-SERVICE';

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
}

/** Maximum number of sample event ids kept per finding or permission. */
export const MAX_SAMPLES = 3;
