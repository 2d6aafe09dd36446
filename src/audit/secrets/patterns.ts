/**
 * policy-tighten's own secret rules (`pt/…`), run beside secretlint's: AWS key shapes, private
 * keys, URLs with credentials, and names that say secret with a value that looks random. Pure.
 *
 * Thresholds (docs/audit-rules/PT-AUDIT-ENV-SECRET.md):
 * - `pt/aws-secret-access-key`: exactly 40 characters of `[A-Za-z0-9/+]` with upper case, lower
 *   case and digits, Shannon entropy ≥ 4.0 bits/char, not hex; the variable's name says AWS or
 *   secret access key, or the function also holds an AKIA/ASIA key id and the name says secret/key.
 * - `pt/secret-name-entropy`: the name says secret/token/key/credential; the value has at least
 *   16 characters and ≥ 3.5 bits/char (hex-only values: at least 32 characters and ≥ 3.0 bits,
 *   since hex has 16 symbols), and is none of the benign kinds (benign.ts).
 * - `pt/password-name`: the name says password; the value has at least 6 characters and is none
 *   of the benign kinds: a password is a secret whatever its entropy.
 */
import { benignReason } from './benign';
import { shannonEntropy } from './entropy';
import { isAwsName, isPasswordName, isSecretName, nameWords } from './names';
import type { EnvVariable, SecretHit, SecretKind } from './types';

/** Long-term (AKIA) and temporary (ASIA) access key ids (IAM identifiers, unique ID prefixes). */
const ACCESS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/;
const SECRET_KEY_SHAPE = /^[A-Za-z0-9/+]{40}$/;
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** `scheme://user:password@host`; the password part is matched to rule placeholders out. */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/([^\s/:@]*):([^\s/@]+)@[^\s/@]/i;
const PASSWORD_PLACEHOLDER = /^(?:\$\{[^}]*\}|\{\{[^}]*\}\}|<[^>]*>|%[A-Za-z0-9_]+%|\*+|x+)$/i;

/** The entropy thresholds above, for tests and docs. */
export const ENTROPY = {
  awsSecretKeyBits: 4.0,
  secretBits: 3.5,
  secretMinLength: 16,
  hexBits: 3.0,
  hexMinLength: 32,
  passwordMinLength: 6,
} as const;

function looksLikeSecretAccessKey(value: string): boolean {
  return (
    SECRET_KEY_SHAPE.test(value) &&
    /[A-Z]/.test(value) &&
    /[a-z]/.test(value) &&
    /[0-9]/.test(value) &&
    !/^[0-9a-fA-F]+$/.test(value) &&
    shannonEntropy(value) >= ENTROPY.awsSecretKeyBits
  );
}

function looksRandom(value: string): boolean {
  if (/^[0-9a-fA-F]+$/.test(value))
    return value.length >= ENTROPY.hexMinLength && shannonEntropy(value) >= ENTROPY.hexBits;
  return value.length >= ENTROPY.secretMinLength && shannonEntropy(value) >= ENTROPY.secretBits;
}

function hasUrlCredentials(value: string): boolean {
  const m = URL_CREDENTIALS.exec(value);
  return !!m && m[2].length > 0 && !PASSWORD_PLACEHOLDER.test(m[2]);
}

/** The strong shapes: found wherever they are, whatever the name (not in secret references). */
export function shapeHits(variables: readonly EnvVariable[]): SecretHit[] {
  const out: SecretHit[] = [];
  const hit = (variable: string, rule: string, kind: SecretKind) => out.push({ variable, rule, kind });
  const hasKeyId = variables.some((v) => ACCESS_KEY_ID.test(v.value));
  for (const { name, value } of variables) {
    const v = value.trim();
    if (ACCESS_KEY_ID.test(v)) hit(name, 'pt/aws-access-key-id', 'aws-access-key-id');
    if (
      looksLikeSecretAccessKey(v) &&
      (isAwsName(name) || (hasKeyId && nameWords(name).some((w) => w === 'secret' || w === 'key')))
    )
      hit(name, 'pt/aws-secret-access-key', 'aws-secret-access-key');
    if (PEM_PRIVATE_KEY.test(v)) hit(name, 'pt/private-key', 'private-key');
    if (hasUrlCredentials(v)) hit(name, 'pt/url-credentials', 'credentials-in-url');
  }
  return out;
}

/** The name-and-value rules: silenced by the benign kinds (benign.ts). */
export function nameHits(variables: readonly EnvVariable[]): SecretHit[] {
  const out: SecretHit[] = [];
  for (const { name, value } of variables) {
    const v = value.trim();
    if (benignReason(v) !== undefined) continue;
    if (isPasswordName(name)) {
      if (v.length >= ENTROPY.passwordMinLength)
        out.push({ variable: name, rule: 'pt/password-name', kind: 'password' });
    } else if (isSecretName(name) && looksRandom(v)) {
      const token = nameWords(name).some((w) => w === 'token' || w === 'bearer' || w === 'jwt');
      out.push({
        variable: name,
        rule: 'pt/secret-name-entropy',
        kind: token ? 'token' : 'high-entropy-secret',
      });
    }
  }
  return out;
}
