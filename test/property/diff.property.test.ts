import fc from 'fast-check';
import { globMatch } from '../../src/iam/glob';
import type { PolicyDocument } from '../../src/model';
import { ACCOUNT, table, usageOf } from '../unit/generate/helpers';
import { diffCase } from '../unit/diff/helpers';
import { simulate } from './simulate';

/**
 * The diff's classification judged by an independent evaluator (@cloud-copilot/iam-simulate) on
 * random current policies and random usage:
 * 1. allowed today and not allowed by the proposal ⇒ the diff lists the action as removed or
 *    narrowed (nothing is taken away silently);
 * 2. allowed by the proposal and not today ⇒ the diff lists it as an exception to "no new access"
 *    (and as added);
 * 3. an action the diff calls removed is allowed by the proposal on no probe resource except
 *    those listed as new access.
 */
const BUCKETS = ['acme-a', 'acme-b'];
const obj = (b: string, k: string) => `arn:aws:s3:::${b}/${k}`;
const PROBE_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:ListBucket',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:DeleteTable',
];
const PROBE_RESOURCES = [
  obj('acme-a', 'in/x.json'),
  obj('acme-b', 'out/y.json'),
  'arn:aws:s3:::acme-a',
  table('orders'),
  table('audit', 'eu-west-1'),
];

const actionPattern = fc.constantFrom(
  's3:*',
  's3:Get*',
  's3:GetObject',
  's3:PutObject',
  's3:*Object',
  'dynamodb:*',
  'dynamodb:GetItem',
  'dynamodb:Delete*',
);
const resourcePattern = fc.constantFrom(
  '*',
  'arn:aws:s3:::acme-a/*',
  'arn:aws:s3:::acme-*',
  'arn:aws:s3:::acme-b/out/*',
  `arn:aws:dynamodb:*:${ACCOUNT}:table/orders`,
  `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/*`,
);
const statement = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Deny'),
  Action: fc.uniqueArray(actionPattern, { minLength: 1, maxLength: 3 }),
  Resource: fc.uniqueArray(resourcePattern, { minLength: 1, maxLength: 2 }),
});
const call = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('s3:GetObject', 's3:PutObject'),
      fc.constantFrom(...BUCKETS),
      fc.constantFrom('in/x.json', 'out/y.json'),
    )
    .map(([a, b, k]): [string, string] => [a, obj(b, k)]),
  fc
    .tuple(
      fc.constantFrom('dynamodb:GetItem', 'dynamodb:PutItem'),
      fc.constantFrom(table('orders'), table('audit', 'eu-west-1')),
    )
    .map(([a, r]): [string, string] => [a, r]),
);

describe('diff classification against iam-simulate', () => {
  it('never takes access away silently, and lists every new access', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(statement, { minLength: 1, maxLength: 4 }),
        fc.array(call, { minLength: 1, maxLength: 4 }),
        async (statements, calls) => {
          const current: PolicyDocument = {
            Version: '2012-10-17',
            Statement: statements as PolicyDocument['Statement'],
          };
          const { diff, policies } = await diffCase({ inline: { p: current }, usage: usageOf(calls) });
          for (const action of PROBE_ACTIONS) {
            for (const resource of PROBE_RESOURCES) {
              const today = (await simulate([current], action, resource)) === 'Allowed';
              const proposed = (await simulate(policies, action, resource)) === 'Allowed';
              const ctx = `${action} on ${resource}`;
              if (today && !proposed) {
                const listed =
                  diff.removed.some((r) => r.action === action) ||
                  diff.narrowed.some((n) => n.action === action);
                expect(`${ctx}: ${listed ? 'listed' : 'NOT listed'} as removed or narrowed`).toBe(
                  `${ctx}: listed as removed or narrowed`,
                );
              }
              if (proposed && !today) {
                const listed = diff.noNewAccess.exceptions.some(
                  (e) => e.action === action && globMatch(e.resource, resource, false),
                );
                expect(`${ctx}: new access ${listed ? 'listed' : 'NOT listed'}`).toBe(
                  `${ctx}: new access listed`,
                );
                expect(diff.added.some((a) => a.action === action)).toBe(true);
              }
              if (diff.removed.some((r) => r.action === action) && proposed) {
                const added = diff.noNewAccess.exceptions.some(
                  (e) => e.action === action && globMatch(e.resource, resource, false),
                );
                expect(`${ctx}: removed, yet the proposal allows it${added ? ' as new access' : ''}`).toBe(
                  `${ctx}: removed, yet the proposal allows it as new access`,
                );
              }
            }
          }
        },
      ),
      { numRuns: 150, seed: 20261201 },
    );
  });
});
