/**
 * PT-AUDIT-ENV-SECRET: credentials and other secrets in a function's environment variables
 * (`Environment.Variables` of list-functions), found by policy-tighten's rules and secretlint's
 * recommended preset (src/audit/secrets). A finding names the function, the variables and the
 * detector rules: never a value, nor any part of one.
 */
import { CRITICAL_KINDS, environmentOf, printableName, scanWith } from '../secrets';
import { loadSecretlintDetector } from '../secrets/secretlint';
import type { SecretHit, SecretKind } from '../secrets';
import type { AuditFinding, AuditInput, AuditRule } from '../types';

const ID = 'PT-AUDIT-ENV-SECRET';

const KIND_TEXT: Record<SecretKind, string> = {
  'aws-secret-access-key': 'an AWS secret access key',
  'private-key': 'a private key',
  'aws-access-key-id': 'an AWS access key id',
  'credentials-in-url': 'a URL or connection string with credentials',
  token: 'a token',
  password: 'a password',
  'high-entropy-secret': 'a secret (its name says so and its value looks random)',
};

/** The most telling kind of a variable's hits (critical kinds first). */
function kindOf(hits: readonly SecretHit[]): SecretKind {
  const order: SecretKind[] = [
    'aws-secret-access-key',
    'private-key',
    'aws-access-key-id',
    'credentials-in-url',
    'token',
    'password',
    'high-entropy-secret',
  ];
  return order.find((k) => hits.some((h) => h.kind === k)) ?? 'high-entropy-secret';
}

export const rule: AuditRule = {
  id: ID,
  title: 'Secrets in Lambda environment variables',
  advice:
    'AWS Lambda docs, "Working with Lambda environment variables": "To increase security, we recommend that you use AWS Secrets Manager instead of environment variables to store database credentials and other sensitive information like API keys or authorization tokens." (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html; see also "Use Secrets Manager secrets in Lambda functions", with-secrets-manager.html)',
  severity: 'high',
  needs: [],
  references: {
    prowler: ['awslambda_function_no_secrets_in_variables'],
    securityHub: [],
    checkov: ['CKV_AWS_45'],
  },
  async check(input: AuditInput): Promise<AuditFinding[]> {
    const withVariables = input.state.functions
      .map((fn) => ({ fn, variables: environmentOf(fn.config) }))
      .filter((x) => x.variables.length > 0);
    if (withVariables.length === 0) return [];
    // Our rules always run; the maintained detector beside them is secretlint unless a test gives one.
    const maintained = input.secretDetector ?? (await loadSecretlintDetector());
    const findings: AuditFinding[] = [];
    for (const { fn, variables } of withVariables) {
      const hits = await scanWith(variables, maintained);
      if (hits.length === 0) continue;
      const byVariable = new Map<string, SecretHit[]>();
      for (const h of hits) byVariable.set(h.variable, [...(byVariable.get(h.variable) ?? []), h]);
      const names = [...byVariable.keys()].sort();
      const critical = hits.some((h) => CRITICAL_KINDS.has(h.kind));
      const printed = names.map(printableName);
      findings.push({
        id: `${ID}[${fn.arn}]`,
        rule: ID,
        severity: critical ? 'critical' : 'high',
        subject: { kind: 'function', arn: fn.arn, name: fn.name, region: fn.region },
        message: `${fn.name} holds ${names.length === 1 ? 'a secret' : `${names.length} secrets`} in its environment variables: ${printed.join(', ')}`,
        evidence: [
          ...names.map((n) => {
            const own = byVariable.get(n) ?? [];
            const rules = [...new Set(own.map((h) => h.rule))].sort();
            return `${printableName(n)}: ${KIND_TEXT[kindOf(own)]} (detector ${rules.length === 1 ? 'rule' : 'rules'} ${rules.join(', ')})`;
          }),
          `Environment.Variables of the function's configuration (lambda list-functions, ${fn.region}); detectors: policy-tighten and ${maintained.name}; values are never shown`,
        ],
        fix:
          `Rotate the exposed credential${names.length === 1 ? '' : 's'} first (whoever can read the function's configuration has seen ${names.length === 1 ? 'it' : 'them'}), ` +
          `then store ${printed.join(', ')} in AWS Secrets Manager or SSM Parameter Store (SecureString), read ${names.length === 1 ? 'it' : 'them'} at runtime ` +
          `(the AWS Parameters and Secrets Lambda Extension, or the SDK's GetSecretValue/GetParameter), keep only the secret's name or ARN in the environment, ` +
          `and grant the role secretsmanager:GetSecretValue (or ssm:GetParameter and kms:Decrypt) on that one secret.`,
        basis: 'configuration',
      });
    }
    return findings;
  },
};
