import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../src/model';

/** Account of an ARN (S3 ARNs have none: the principal's account is used). */
function accountOf(arn: string, fallback: string): string {
  const a = arn.split(':')[4];
  return a && /^\d{12}$/.test(a) ? a : fallback;
}

function defaultKeyPolicy(account: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  };
}

/**
 * Evaluates one request against identity policies with @cloud-copilot/iam-simulate (AGPL,
 * devDependency, tests only). The principal sits in the resource's account, so that only the
 * identity policies decide (no cross-account resource policy needed).
 */
export async function simulate(
  policies: readonly PolicyDocument[],
  action: string,
  resource: string,
  defaultAccount = '111122223333',
): Promise<string> {
  const account = accountOf(resource, defaultAccount);
  const sim = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${account}:role/placeholder`,
        action,
        resource: { resource, accountId: account },
        contextVariables: {},
      },
      identityPolicies: policies.map((policy, i) => ({ name: `generated-${i}`, policy })),
      // KMS evaluates the key policy too; the default key policy delegates to IAM.
      ...(action.toLowerCase().startsWith('kms:') ? { resourcePolicy: defaultKeyPolicy(account) } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  return sim.resultType === 'error' ? `error: ${sim.errors.message}` : sim.overallResult;
}
