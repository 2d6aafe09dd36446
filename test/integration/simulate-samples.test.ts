import { runSimulation } from '@cloud-copilot/iam-simulate';
import { runGenerate } from '../../src/pipeline/run-generate';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../helpers/cli';

const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
  ],
};

/**
 * Non-negotiable 1, checked by an independent IAM evaluator (@cloud-copilot/iam-simulate, a
 * devDependency): the generated policy allows every successful call observed in the trail.
 */
describe.each(['orders-api', 'image-resizer', 'report-daily', 'report-weekly'])('%s', (fn) => {
  it('the generated policy allows every observed successful call (iam-simulate)', async () => {
    const result = await runGenerate({
      function: fn,
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    });
    const calls = Object.values(result.usage.entries);
    expect(calls.length).toBeGreaterThan(3);
    const denied: string[] = [];
    for (const call of calls) {
      const sim = await runSimulation(
        {
          request: {
            principal: `arn:aws:iam::111122223333:role/placeholder`,
            action: call.action,
            resource: { resource: call.resource, accountId: '111122223333' },
            contextVariables: {},
          },
          identityPolicies: result.policies.map((policy, i) => ({ name: `generated-${i}`, policy })),
          // KMS evaluates the key policy too; the default key policy delegates to IAM.
          ...(call.action.startsWith('kms:') ? { resourcePolicy: DEFAULT_KEY_POLICY } : {}),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        },
        {},
      );
      if (sim.resultType === 'error') denied.push(`${call.action} ${call.resource}: ${sim.errors.message}`);
      else if (sim.overallResult !== 'Allowed')
        denied.push(`${call.action} ${call.resource}: ${sim.overallResult}`);
    }
    expect(denied).toEqual([]);
  });
});
