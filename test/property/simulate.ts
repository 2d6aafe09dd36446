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
  context: Record<string, string> = {},
): Promise<string> {
  const account = accountOf(resource, defaultAccount);
  const sim = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${account}:role/placeholder`,
        action,
        resource: { resource, accountId: account },
        contextVariables: context,
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

/**
 * The request context AWS evaluates for `action` of a raw CloudTrail record, modelled here from
 * the AWS documentation and independently of src/ (tests must not judge the tool by its own
 * reading of the event):
 * - `kms:ViaService`: a KMS call that a service made on the caller's behalf carries
 *   `<service>.<region>.amazonaws.com` (userIdentity.invokedBy `<service>.amazonaws.com`);
 * - `s3:prefix`: a listing's `prefix` request parameter, when the request has one (even empty).
 */
export function requestContextOf(record: Record<string, unknown>, action: string): Record<string, string> {
  const context: Record<string, string> = {};
  const identity = (record.userIdentity ?? {}) as { invokedBy?: unknown };
  const region = record.awsRegion;
  const m =
    typeof identity.invokedBy === 'string' ? /^([a-z0-9-]+)\.amazonaws\.com$/.exec(identity.invokedBy) : null;
  if (action.toLowerCase().startsWith('kms:') && m && typeof region === 'string')
    context['kms:ViaService'] = `${m[1]}.${region}.amazonaws.com`;
  const params = (record.requestParameters ?? {}) as Record<string, unknown>;
  if (/^s3:ListBucket(Versions)?$/i.test(action) && typeof params.prefix === 'string')
    context['s3:prefix'] = params.prefix;
  return context;
}
