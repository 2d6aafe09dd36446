import fc from 'fast-check';
import {
  callsOf,
  generatePolicies,
  statementAllows,
  verifyPolicies,
  type Granularity,
} from '../../src/generate';
import type { PolicyDocument } from '../../src/model';
import { addPermission, emptyAggregate } from '../../src/usage';
import { testCatalog, usageOf } from '../unit/generate/helpers';
import { simulate } from './simulate';

/**
 * Properties of the generator over random usage: at every granularity the policy set
 * 1. allows every observed call (our verify; iam-simulate for a subset), and
 * 2. allows nothing in another bucket, account or region — nor, except at `type`, another table
 *    or queue (`type` is by definition every table of the account and region).
 */
const ACCOUNTS = ['111122223333', '444455556666'];
const REGIONS = ['us-east-1', 'eu-west-1'];
const BUCKETS = ['acme-uploads', 'acme-reports', 'acme-data'];

const segment = fc.oneof(
  fc.constantFrom('incoming', 'thumbnails', 'daily', 'config', 'in', 'out', 'a', 'b'),
  fc.constantFrom('2026-11-02', '2026-11-03', '20261104', '2026', '11'),
  fc.uuid(),
);
const key = fc
  .tuple(
    fc.array(segment, { minLength: 0, maxLength: 3 }),
    fc.constantFrom('x.json', 'orders.csv', 'img.jpg'),
  )
  .map(([dirs, file]) => [...dirs, file].join('/'));
const s3Call = fc
  .tuple(fc.constantFrom('s3:GetObject', 's3:PutObject'), fc.constantFrom(...BUCKETS), key)
  .map(([a, b, k]): [string, string] => [a, `arn:aws:s3:::${b}/${k}`]);
const scoped = fc.tuple(fc.constantFrom(...REGIONS), fc.constantFrom(...ACCOUNTS));
const tableCall = fc
  .tuple(
    fc.constantFrom('dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'),
    scoped,
    fc.constantFrom('orders', 'etl_stage_1', 'etl_stage_2'),
  )
  .map(([a, [r, acct], t]): [string, string] => [a, `arn:aws:dynamodb:${r}:${acct}:table/${t}`]);
const queueCall = fc
  .tuple(scoped, fc.constantFrom('order-events', 'dlq'))
  .map(([[r, acct], q]): [string, string] => ['sqs:SendMessage', `arn:aws:sqs:${r}:${acct}:${q}`]);
const logCall = fc
  .tuple(scoped, fc.constantFrom('/aws/lambda/f', '/aws/lambda/g'), fc.uuid())
  .map(([[r, acct], g, s]): [string, string] => [
    'logs:PutLogEvents',
    `arn:aws:logs:${r}:${acct}:log-group:${g}:log-stream:${s}`,
  ]);
const noResource = fc.constant<[string, string]>(['xray:PutTraceSegments', '*']);

const calls = fc.array(fc.oneof(s3Call, s3Call, tableCall, queueCall, logCall, noResource), {
  minLength: 1,
  maxLength: 40,
});
const granularity = fc.constantFrom<Granularity>('exact', 'prefix', 'type');

/** Resources the policy must not allow: same action, outside the observed scope. */
function probes(action: string, arn: string, g: Granularity): string[] {
  if (arn === '*') return [];
  const p = arn.split(':');
  const out: string[] = [];
  if (p[2] === 's3') {
    out.push(arn.replace(/^arn:aws:s3:::[^/]+\//, 'arn:aws:s3:::other-bucket/'));
  } else {
    out.push([...p.slice(0, 3), 'ap-south-1', ...p.slice(4)].join(':'));
    out.push([...p.slice(0, 4), '999988887777', ...p.slice(5)].join(':'));
    if (g !== 'type' && (action.startsWith('dynamodb:') || action.startsWith('sqs:'))) {
      out.push(arn.replace(/(table\/|:)([^:/]+)$/, '$1zz-unseen-$2'));
    }
  }
  return out;
}

const allows = (policies: PolicyDocument[], action: string, resource: string) =>
  policies.some((d) => d.Statement.some((s) => statementAllows(s, { action, resource })));

describe('generated policies (fast-check)', () => {
  it('allow every observed call and nothing in other buckets, tables, accounts or regions', async () => {
    const catalog = await testCatalog();
    fc.assert(
      fc.property(calls, granularity, (cs, g) => {
        const usage = usageOf(cs);
        const { policies } = generatePolicies(usage, { catalog, granularity: g });
        expect(verifyPolicies(policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual([]);
        for (const [action, arn] of cs) {
          for (const probe of probes(action, arn, g)) {
            if (allows(policies, action, probe)) throw new Error(`${g}: ${action} allowed on ${probe}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('at exact, allow nothing beyond the observed resources', async () => {
    const catalog = await testCatalog();
    fc.assert(
      fc.property(calls, (cs) => {
        const { policies } = generatePolicies(usageOf(cs), { catalog, granularity: 'exact' });
        for (const [action, arn] of cs) {
          if (arn !== '*') expect(allows(policies, action, `${arn}-unseen`)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('agree with iam-simulate on a subset: observed calls Allowed, probes not', async () => {
    const catalog = await testCatalog();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(s3Call, tableCall, queueCall), { minLength: 1, maxLength: 8 }),
        granularity,
        async (cs, g) => {
          const { policies } = generatePolicies(usageOf(cs), { catalog, granularity: g });
          for (const [action, arn] of cs) {
            expect(`${action} ${arn}: ${await simulate(policies, action, arn)}`).toBe(
              `${action} ${arn}: Allowed`,
            );
            for (const probe of probes(action, arn, g)) {
              expect(`${action} ${probe}: ${await simulate(policies, action, probe)}`).not.toBe(
                `${action} ${probe}: Allowed`,
              );
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('condition where the evidence is uniform: each call Allowed with its context, other contexts denied (iam-simulate)', async () => {
    const catalog = await testCatalog();
    const KEYS = [0, 1].map(
      (i) => `arn:aws:kms:us-east-1:111122223333:key/0000000${i}-12ab-34cd-56ef-1234567890ab`,
    );
    const BUCKETS_ = ['arn:aws:s3:::acme-a', 'arn:aws:s3:::acme-b'];
    const call = fc.oneof(
      fc.tuple(
        fc.constant('kms:Decrypt'),
        fc.constantFrom(...KEYS),
        fc.option(fc.constantFrom('s3.us-east-1.amazonaws.com', 'secretsmanager.us-east-1.amazonaws.com')),
        fc.constant('kms:ViaService'),
      ),
      fc.tuple(
        fc.constant('s3:ListBucket'),
        fc.constantFrom(...BUCKETS_),
        fc.option(fc.constantFrom('reports/', 'reports/2026-11-02/', 'in/a', 'odd*x/')),
        fc.constant('s3:prefix'),
      ),
    );
    const PROBE: Record<string, string> = {
      'kms:ViaService': 'sqs.us-east-1.amazonaws.com',
      's3:prefix': 'zz-unseen/',
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { minLength: 1, maxLength: 8 }),
        fc.constantFrom<Granularity>('exact', 'prefix'),
        async (cs, g) => {
          const usage = emptyAggregate();
          cs.forEach(([action, resource, value, key], i) =>
            addPermission(
              usage,
              {
                action,
                resource,
                origin: 'observed',
                ...(value !== null ? { context: { [key]: value } } : {}),
              },
              {
                eventId: `e${i}`,
                eventTime: '2026-11-02T00:00:00Z',
                eventSource: 'x',
                eventName: 'y',
                awsRegion: 'us-east-1',
                identity: { type: 'AssumedRole' },
              },
            ),
          );
          const { policies } = generatePolicies(usage, { catalog, granularity: g });
          for (const [action, resource, value, key] of cs) {
            const ctx = value !== null ? { [key]: value } : {};
            expect(
              `${action} ${resource} ${JSON.stringify(ctx)}: ${await simulate(policies, action, resource, undefined, ctx)}`,
            ).toBe(`${action} ${resource} ${JSON.stringify(ctx)}: Allowed`);
            // Every call of this permission carried the key: nothing else is allowed.
            const uniform = cs.every(([a, r, v]) => a !== action || r !== resource || v !== null);
            const probe = await simulate(policies, action, resource, undefined, { [key]: PROBE[key] });
            expect(`${action} ${resource} probe: ${probe === 'Allowed'}`).toBe(
              `${action} ${resource} probe: ${!uniform}`,
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
