/**
 * Fixtures of the secrets rules (PT-AUDIT-ENV-SECRET, PT-AUDIT-SECRET-NO-CMK): functions, the
 * account state, the trail's account aggregate, and the corpus of environment variables. Every
 * value is made up.
 */
import type { AuditFinding, AuditInput } from '../../../src/audit';
import type { SecretKind } from '../../../src/audit/secrets';
import { createCatalogFromData } from '../../../src/catalog';
import type { AccountAggregate, AccountState, FunctionInfo, RoleInfo, SecretInfo } from '../../../src/model';
import { emptyAccountAggregate, emptyAggregate } from '../../../src/usage';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export function fn(name: string, variables?: Record<string, string>, role = `${name}-role`): FunctionInfo {
  return {
    name,
    arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    region: REGION,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    runtime: 'nodejs20.x',
    config: {
      FunctionName: name,
      ...(variables ? { Environment: { Variables: variables } } : {}),
    },
  };
}

export function role(name: string, statements?: unknown[]): RoleInfo {
  return {
    roleName: name,
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    path: '/',
    inlinePolicies: statements
      ? [{ name: 'inline', document: { Version: '2012-10-17', Statement: statements } }]
      : [],
    attachedPolicyArns: [],
  };
}

export function secret(name: string, kmsKeyId?: string, region = REGION): SecretInfo {
  return {
    arn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-AbCdEf`,
    name,
    region,
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
  };
}

export function state(parts: Partial<AccountState>): AccountState {
  return { roles: [], users: [], policies: [], functions: [], eventSourceMappings: [], ...parts };
}

/**
 * The account aggregate with `calls` (role → session → actions): each action recorded at action
 * level (resource `*`), as the report's account pass does.
 */
export function usage(calls: Record<string, Record<string, string[]>>): AccountAggregate {
  const agg = emptyAccountAggregate();
  for (const [roleName, sessions] of Object.entries(calls)) {
    const usageAgg = emptyAggregate();
    const p: AccountAggregate['principals'][string] = { usage: usageAgg, sessions: {} };
    for (const [session, actions] of Object.entries(sessions)) {
      if (session !== '')
        p.sessions[session] = {
          count: actions.length,
          firstSeen: '2026-11-02T10:00:00Z',
          lastSeen: '2026-11-20T10:00:00Z',
          actions: [...actions].sort(),
        };
      for (const action of actions) {
        const key = `${action} *`;
        const e = (usageAgg.entries[key] ??= {
          action,
          resource: '*',
          count: 0,
          firstSeen: '2026-11-02T10:00:00Z',
          lastSeen: '2026-11-20T10:00:00Z',
          regions: [REGION],
          sampleEventIds: [],
          origins: ['observed'],
          notes: [],
        });
        e.count += 3;
      }
    }
    agg.principals[`arn:aws:iam::${ACCOUNT}:role/${roleName}`] = p;
  }
  return agg;
}

export function input(s: AccountState, more: Partial<AuditInput> = {}): AuditInput {
  return { state: s, catalog: createCatalogFromData({}), now: new Date('2026-12-01T00:00:00Z'), ...more };
}

/** Every string in a finding (all fields, nested), for the no-value checks. */
export function findingText(f: AuditFinding): string {
  return JSON.stringify(f);
}

/** Does `text` hold `value`, or a prefix or suffix of it longer than 4 characters? */
export function leaks(text: string, value: string): boolean {
  const v = value.trim();
  if (v.length <= 4) return false;
  return text.includes(v.slice(0, 5)) || text.includes(v.slice(-5));
}

/** A made-up KMS ciphertext blob in the layout of `aws kms encrypt`'s CiphertextBlob. */
export function kmsCiphertext(seed: number): string {
  const random = (n: number) =>
    Buffer.from(Array.from({ length: n }, (_, i) => (seed * 131 + i * 97 + 7) % 256));
  const der = Buffer.concat([
    Buffer.from(
      '3081a506092a864886f70d010706a0819730819402010030818e06092a864886f70d010701301e060960864801650304012e3011040c',
      'hex',
    ),
    random(12),
    Buffer.from('020110808161', 'hex'),
    random(97),
  ]);
  const header = Buffer.concat([
    Buffer.from('0102020078', 'hex'),
    random(32),
    Buffer.from('01', 'hex'),
    random(20),
    Buffer.from('000000a8', 'hex'),
  ]);
  return Buffer.concat([header, der]).toString('base64');
}

const PEM_BODY = [
  'MIIEpAIBAAKCAQEAx7Lq0mZ3vT9bQ2wR8nJ4cY6uF1hK5pD0sG3aE7iW2oN9tB4v',
  'Yr8Xk3Pq6Lm1Zs4Tn7Vb0Wc9Hd2Jf5Gg8Ka3Qe6Rt1Uy4Io7Pa0Sd3Fg6Hj9Kl2Zx',
].join('\n');

/** True positives: [name, value, the kind our rules give, the rule]. */
export const TRUE_POSITIVES: [string, string, SecretKind, string][] = [
  ['AWS_ACCESS_KEY_ID', 'AKIAQ3EGRXPLM7T4VW2N', 'aws-access-key-id', 'pt/aws-access-key-id'],
  ['DEPLOY_KEY_ID', 'ASIAW4TQ7NXBR2KDPL6M', 'aws-access-key-id', 'pt/aws-access-key-id'],
  [
    'AWS_SECRET_ACCESS_KEY',
    'q8Jr2LxWm5Tn0Vb7Yc1Hd4Kf9Pg3Rs6Uz2Ae8Bi5',
    'aws-secret-access-key',
    'pt/aws-secret-access-key',
  ],
  [
    'AwsSecretKey',
    'Hk3/Vq9Zr+Lm2Xw7Tb5Nc8Yd1Jf4Pg6Rs0Ue3Ai8',
    'aws-secret-access-key',
    'pt/aws-secret-access-key',
  ],
  [
    'PRIVATE_KEY',
    `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`,
    'private-key',
    'pt/private-key',
  ],
  [
    'SIGNER',
    `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----`,
    'private-key',
    'pt/private-key',
  ],
  [
    'SSH_DEPLOY',
    `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----`,
    'private-key',
    'pt/private-key',
  ],
  [
    'DATABASE_URL',
    'postgres://orders:Tr0ub4dor-and-3@orders.cluster-c9x.eu-west-1.rds.amazonaws.com:5432/orders_q7z',
    'credentials-in-url',
    'pt/url-credentials',
  ],
  [
    'REDIS_URL',
    'rediss://default:9fKq2mZx7LpR4tWv@cache.internal:6379',
    'credentials-in-url',
    'pt/url-credentials',
  ],
  [
    'MONGO_URI',
    'mongodb+srv://svc:Xk29fQ77@cluster0.example.net/app',
    'credentials-in-url',
    'pt/url-credentials',
  ],
  ['DB_PASSWORD', 'Summer-Orchard-42', 'password', 'pt/password-name'],
  ['dbPassword', 'hunter2!', 'password', 'pt/password-name'],
  ['STRIPE_API_KEY', 'sk_live_51Hq8ZxL2mN4pR7tV9wY3bC6dF', 'high-entropy-secret', 'pt/secret-name-entropy'],
  ['GITHUB_TOKEN', 'ghp_Zq8Lm3Xv7Rt2Wb9Nc4Hd6Kf1Pg5Js0Ye8Ua3', 'token', 'pt/secret-name-entropy'],
  [
    'SLACK_BOT_TOKEN',
    'xoxb-2741852963-7418529630-Qm7Rt2Wb9Nc4Hd6Kf1Pg5Js0',
    'token',
    'pt/secret-name-entropy',
  ],
  [
    'JWT_SECRET',
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'token',
    'pt/secret-name-entropy',
  ],
  ['API_KEY', 'Zx9Qm2Lp7Rt4Wv8Yb1Nc5Hd3Kf6Jg0S', 'high-entropy-secret', 'pt/secret-name-entropy'],
  [
    'WEBHOOK_SIGNING_SECRET',
    'whsec_Pq4Lm8Xz2Rt6Wv1Yb9Nc3Hd7',
    'high-entropy-secret',
    'pt/secret-name-entropy',
  ],
  [
    'OAUTH_CLIENT_SECRET',
    'Yb1Nc5Hd3Kf6Jg0SZx9Qm2Lp7Rt4Wv8~',
    'high-entropy-secret',
    'pt/secret-name-entropy',
  ],
];

/** False positives: [name, value, why it is fine]. */
export const FALSE_POSITIVES: [string, string, string][] = [
  ['DB_SECRET_ARN', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod/orders/db-AbC123`, 'secret ARN'],
  ['DB_PASSWORD', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/orders/prod/db/password`, 'SSM parameter ARN'],
  ['DB_PASSWORD_PARAM', '/orders/prod/db/password', 'SSM parameter name'],
  ['API_KEY_PARAMETER', 'orders/prod/api-key', 'SSM parameter name without leading slash'],
  ['SSM_API_TOKEN', '/orders/prod/api-token', 'SSM parameter name'],
  ['DB_PASSWORD', '{{resolve:secretsmanager:prod/orders/db:SecretString:password}}', 'dynamic reference'],
  ['API_TOKEN', '{{resolve:ssm-secure:/orders/prod/token:3}}', 'dynamic reference'],
  ['ENCRYPTED_API_KEY', kmsCiphertext(1), 'KMS ciphertext'],
  ['DB_PASSWORD', kmsCiphertext(2), 'KMS ciphertext'],
  ['SIGNING_KEY', '/var/task/keys/signing.pem', 'file path'],
  ['PRIVATE_KEY_FILE', '/opt/certs/client.key', 'file path under a describing name'],
  ['SECRETS_DIR', './secrets', 'relative path'],
  ['KMS_KEY_ARN', `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, 'KMS key ARN'],
  ['KMS_KEY_ID', '1234abcd-12ab-34cd-56ef-1234567890ab', 'UUID'],
  ['IDEMPOTENCY_KEY', '5b0f6c2e-8d1a-4f3b-9c7e-2a4d6e8f0b1c', 'UUID'],
  ['TABLE_NAME', 'orders-prod', 'a name'],
  ['REGION_OF_SECRET', '${AWS::Region}', 'CloudFormation pseudo parameter'],
  ['API_KEY', '!Ref ApiKeyParameter', 'CloudFormation intrinsic'],
  ['DB_SECRET', '${DbSecretArn}', 'CloudFormation substitution placeholder'],
  ['TOKEN_SECRET', 'Fn::ImportValue prod-token-secret-arn', 'CloudFormation intrinsic'],
  ['SERVICE_URL', 'https://api.example.com/v1/orders?region=eu-west-1', 'URL without credentials'],
  ['DATABASE_URL', 'postgres://orders@db.internal:5432/orders', 'URL with a user and no password'],
  [
    'DATABASE_URL',
    'postgres://orders:${DB_PASSWORD}@db.internal:5432/orders',
    'URL with a password placeholder',
  ],
  [
    'FEATURE_FLAGS_B64',
    'eyJuZXdDaGVja291dCI6dHJ1ZSwiYmV0YSI6ZmFsc2UsImxvZ0xldmVsIjoiaW5mbyJ9',
    'base64 configuration',
  ],
  ['CACHE_KEY_PREFIX', 'orders:v2:', 'describing name'],
  ['PARTITION_KEY', 'customerId', 'low entropy'],
  ['TOKEN_TTL', '3600', 'number'],
  ['API_KEY_HEADER', 'X-Api-Key', 'describing name'],
  ['SECRET_NAME', 'prod/orders/db', 'describing name'],
  ['BUILD_COMMIT', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', 'a git SHA-1 (40 hex characters)'],
  ['AWS_REGION', 'eu-west-1', 'a region'],
  ['AWS_LAMBDA_EXEC_WRAPPER', '/opt/otel-instrument', 'a path'],
  ['AWS_SECRET_ACCESS_KEY_PARAM', '/orders/aws/secret-access-key', 'SSM parameter name'],
  ['ENABLE_TOKEN_CACHE', 'true', 'switch'],
  ['DB_PASSWORD', '', 'empty'],
  ['DB_PASSWORD', '<set-me>', 'placeholder'],
  ['POWERTOOLS_SERVICE_NAME', 'orders', 'a name'],
  ['LOG_LEVEL', 'INFO', 'a level'],
  ['JWKS_URL', 'https://auth.example.com/.well-known/jwks.json', 'URL'],
  ['CLIENT_ID', '4f9c2a7e1b3d5f60', 'an id, not a secret'],
];
