/**
 * Values of environment variables that are not secrets although their variable's name may say
 * "secret", "password" or "key": references to a secret store, KMS ciphertext, ARNs, paths, URLs
 * without credentials, CloudFormation leftovers, UUIDs, numbers and switches. Pure.
 *
 * Two strengths: `isSecretReference` (a secret-store reference or KMS ciphertext: nothing runs on
 * it, not even the shape rules) and `benignReason` (the other kinds: only the name-and-entropy
 * rules are silenced; a shape such as an AKIA key id or a PEM block inside still counts).
 */
import { nameWords } from './names';

/** `{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}` (CloudFormation dynamic references). */
const DYNAMIC_REFERENCE = /^\{\{resolve:(?:secretsmanager|ssm-secure|ssm):[^{}\s]+\}\}$/;
/** An ARN of Secrets Manager or of an SSM parameter (any partition). */
const SECRET_STORE_ARN =
  /^arn:aws[a-z-]*:(?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+)$/;
/** Any other ARN. */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws)?:[^\s]+$/;
/** An SSM parameter name (hierarchical). */
const PARAMETER_NAME = /^\/?[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;
/** A file path: absolute, relative (`./`, `../`) or home; no spaces, no `+`/`=` (base64). */
const FILE_PATH = /^(?:\/|\.{1,2}\/|~\/)[A-Za-z0-9_.\-/@]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const SWITCH = /^(?:true|false|yes|no|on|off|enabled|disabled|null|none|nil|undefined|n\/a)$/i;
/** A placeholder rather than a value: `${DB_PASSWORD}`, `{{password}}`, `<token>`, `***`, `%TOKEN%`. */
const PLACEHOLDER =
  /^(?:\$\{[^}]*\}|\{\{[^}]*\}\}|<[^>]*>|%[A-Za-z0-9_]+%|\*+|x+|-+|changeme|replace[-_ ]?me|todo)$/i;
/** CloudFormation left in a value: `${AWS::Region}`, `!Ref X`, `Fn::…`. */
const CLOUDFORMATION =
  /\$\{AWS::[A-Za-z]+\}|^!(?:Ref|Sub|GetAtt|ImportValue|Join|Select|FindInMap|If)\b|\bFn::[A-Za-z]+/;
/** A URL (scheme://host…). */
const URL_SHAPE = /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i;

/** The id-encryptedData OID (1.2.840.113549.1.7.6) as DER bytes, inside every KMS ciphertext blob. */
const ENCRYPTED_DATA_OID = Buffer.from('06092a864886f70d010706', 'hex');
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Is `value` an AWS KMS ciphertext blob, base64 (what `aws kms encrypt` and the Lambda console's
 * encryption helpers store)? The blob is not documented byte by byte: AWS documents an
 * unencrypted header then the encrypted part (KMS cryptographic details, "Customer data
 * operations"); the blobs seen in public examples start with bytes 01 0x 02 00 78 (base64
 * `AQECAH…`, `AQICAH…`) and carry a DER EncryptedData structure (OID 1.2.840.113549.1.7.6).
 * Both are required here, so a random base64 secret is never taken for ciphertext.
 */
export function isKmsCiphertext(value: string): boolean {
  if (value.length < 80 || value.length % 4 !== 0 || !BASE64.test(value)) return false;
  if (!/^AQ[EI]CAH/.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  return (
    bytes[0] === 0x01 &&
    (bytes[1] === 0x01 || bytes[1] === 0x02) &&
    bytes[2] === 0x02 &&
    bytes[3] === 0x00 &&
    bytes[4] === 0x78 &&
    bytes.includes(ENCRYPTED_DATA_OID)
  );
}

/** Does the variable's name say its value is a parameter name (`*_PARAM`, `*_PARAMETER`, `*_SSM_*`)? */
export function namesAParameter(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  return words.includes('ssm') || last === 'param' || last === 'parameter' || last === 'params';
}

/**
 * Is the value a secret-store reference (Secrets Manager / SSM ARN, CloudFormation dynamic
 * reference, an SSM parameter name under a `*_PARAM` name) or KMS ciphertext? Then it is the
 * recommended way, not a secret: nothing else is run on it.
 */
export function isSecretReference(name: string, value: string): string | undefined {
  const v = value.trim();
  if (DYNAMIC_REFERENCE.test(v)) return 'a CloudFormation dynamic reference to a secret store';
  if (SECRET_STORE_ARN.test(v)) return 'an ARN of a secret or SSM parameter';
  if (namesAParameter(name) && PARAMETER_NAME.test(v) && v.includes('/')) return 'an SSM parameter name';
  if (isKmsCiphertext(v)) return 'KMS ciphertext';
  return undefined;
}

/** Why the value is not a secret for the name-and-entropy rules, or undefined. */
export function benignReason(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 0) return 'empty';
  if (CLOUDFORMATION.test(v)) return 'a CloudFormation expression';
  if (PLACEHOLDER.test(v)) return 'a placeholder';
  if (SWITCH.test(v) || NUMBER.test(v)) return 'a number or switch';
  if (ARN.test(v)) return 'an ARN';
  if (UUID.test(v)) return 'a UUID';
  if (FILE_PATH.test(v)) return 'a path';
  if (URL_SHAPE.test(v) && !/^[^:]+:\/\/[^/@\s]*@/.test(v)) return 'a URL without credentials';
  return undefined;
}
