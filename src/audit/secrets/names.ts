/**
 * Words of an environment variable's name (`DB_PASSWORD`, `dbPassword`, `db-password` →
 * `db`, `password`), and what they say. Pure.
 */

/** The lower-case words of `name`, split at `_`, `-`, `.` and camelCase humps. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'pw']);
const SECRET_WORDS = new Set([
  'secret',
  'secrets',
  'token',
  'key',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'signature',
  'salt',
  'privatekey',
  'accesskey',
  'bearer',
  'jwt',
  'hmac',
]);
/**
 * Last words that say the value names or describes the secret rather than being it
 * (`SECRET_ARN`, `TOKEN_TTL`, `KEY_ID`, `API_KEY_HEADER`).
 */
const DESCRIBING_WORDS = new Set([
  'arn',
  'id',
  'ids',
  'name',
  'names',
  'path',
  'file',
  'dir',
  'header',
  'ttl',
  'timeout',
  'length',
  'size',
  'prefix',
  'suffix',
  'field',
  'region',
  'version',
  'type',
  'mode',
  'enabled',
  'disabled',
  'algorithm',
  'alg',
  'url',
  'uri',
  'endpoint',
  'param',
  'parameter',
  'params',
  'location',
  'bucket',
  'table',
  'expiry',
  'expiration',
  'age',
  'count',
  'rotation',
]);

/** Does the name say the value is a password (and not something about one)? */
export function isPasswordName(name: string): boolean {
  const words = nameWords(name);
  return !describes(words) && words.some((w) => PASSWORD_WORDS.has(w));
}

/** Does the name say the value is a secret, token or key (and not something about one)? */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  return !describes(words) && words.some((w) => SECRET_WORDS.has(w) || PASSWORD_WORDS.has(w));
}

/** Does the name say AWS, or secret access key (`AWS_SECRET_ACCESS_KEY`, `SECRET_ACCESS_KEY`)? */
export function isAwsName(name: string): boolean {
  const words = nameWords(name);
  return words.includes('aws') || (words.includes('secret') && words.includes('access'));
}

function describes(words: readonly string[]): boolean {
  return words.length > 1 && DESCRIBING_WORDS.has(words[words.length - 1]);
}

/** The name as printed in findings: Lambda's own shape (`[a-zA-Z][a-zA-Z0-9_]+`), else masked. */
export function printableName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, '?').slice(0, 64);
  return clean.length < name.length ? `${clean}…` : clean;
}
