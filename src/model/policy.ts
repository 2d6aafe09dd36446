/** An IAM policy statement in canonical form. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** Exactly one of Action and NotAction. Generated statements always use Action. */
  Action?: string | string[];
  NotAction?: string | string[];
  /** Exactly one of Resource and NotResource. Generated statements always use Resource. */
  Resource?: string | string[];
  NotResource?: string | string[];
  /** Operator → condition key → value(s). Values are kept as written (strings, booleans, numbers). */
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}
