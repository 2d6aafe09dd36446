/**
 * The secret detector of PT-AUDIT-ENV-SECRET: what it is given (a function's environment
 * variables) and what it answers (which variable, which detector rule, what kind of secret).
 * A hit never carries the value, nor any part of it. Pure data.
 */

/** One environment variable of a function (`Environment.Variables` of list-functions). */
export interface EnvVariable {
  name: string;
  value: string;
}

/** What a hit says the value is; `critical` kinds grant access by themselves. */
export type SecretKind =
  | 'aws-secret-access-key'
  | 'private-key'
  | 'aws-access-key-id'
  | 'credentials-in-url'
  | 'token'
  | 'password'
  | 'high-entropy-secret';

/** One variable that holds a secret, by one detector rule. No value, no part of one. */
export interface SecretHit {
  /** The variable's name. */
  variable: string;
  /** The detector rule: `pt/…` (ours) or `secretlint/<rule>/<messageId>`. */
  rule: string;
  kind: SecretKind;
}

/** A detector over one function's variables (ours, secretlint's, or both). */
export interface SecretDetector {
  /** For evidence lines: which detectors ran (`policy-tighten`, `secretlint 11 (recommend)`). */
  readonly name: string;
  scan(variables: readonly EnvVariable[]): SecretHit[] | Promise<SecretHit[]>;
}
