import fc from 'fast-check';
import type { PermissionOrigin, TrailEvent, UsageAggregate } from '../../src/model';
import {
  addCoverage,
  addFinding,
  addPermission,
  addRoleSession,
  canonicalAggregate,
  emptyAggregate,
  mergeAggregate,
} from '../../src/usage';

/**
 * Merging usage aggregates is associative and order-independent: any partition of the events into
 * files, processed in any order and merged, gives the aggregate of one sequential pass, byte for
 * byte (what parallel workers rely on).
 */
interface Ev {
  id: number;
  action: string;
  resource: string;
  origin: PermissionOrigin;
  time: number;
  region: string;
  role: string;
  session: string;
  via: string | null;
  prefix: number | null;
}

const evArb: fc.Arbitrary<Ev> = fc.record({
  id: fc.integer({ min: 0, max: 9999 }),
  action: fc.constantFrom('s3:GetObject', 's3:PutObject', 'dynamodb:GetItem'),
  resource: fc.constantFrom('arn:aws:s3:::b/k', 'arn:aws:s3:::b/j', '*'),
  origin: fc.constantFrom<PermissionOrigin>('observed', 'on-behalf'),
  time: fc.integer({ min: 0, max: 86_400 * 30 }),
  region: fc.constantFrom('us-east-1', 'eu-west-1'),
  role: fc.constantFrom('arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b'),
  session: fc.constantFrom('fn-a', 'fn-b'),
  // Condition-key values: up to 100 distinct prefixes, beyond the 64 an entry keeps.
  via: fc.option(fc.constantFrom('s3.us-east-1.amazonaws.com', 'ssm.eu-west-1.amazonaws.com')),
  prefix: fc.option(fc.integer({ min: 0, max: 99 })),
});

function add(agg: UsageAggregate, e: Ev): void {
  const event: TrailEvent = {
    eventId: `ev-${String(e.id).padStart(5, '0')}`,
    eventTime: new Date(Date.UTC(2026, 10, 1) + e.time * 1000).toISOString().replace('.000Z', 'Z'),
    eventSource: 'x',
    eventName: 'y',
    awsRegion: e.region,
    identity: { type: 'AssumedRole' },
  };
  const context: Record<string, string> = {};
  if (e.via !== null) context['kms:ViaService'] = e.via;
  if (e.prefix !== null) context['s3:prefix'] = `p${e.prefix}/`;
  addPermission(
    agg,
    {
      action: e.action,
      resource: e.resource,
      origin: e.origin,
      ...(Object.keys(context).length > 0 ? { context } : {}),
    },
    event,
  );
  addFinding(agg, {
    id: `PT-UNMAPPED[${e.action}]`,
    code: 'PT-UNMAPPED',
    severity: 'warning',
    message: 'm',
    count: 1,
    sampleEventIds: [event.eventId],
  });
  addRoleSession(agg, e.role, e.session);
  agg.attributedRoles[e.role] = (agg.attributedRoles[e.role] ?? 0) + 1;
  agg.dataEventSources[e.region] = (agg.dataEventSources[e.region] ?? 0) + 1;
  addCoverage(agg, event.eventTime);
  agg.stats.eventsRead++;
}

describe('usage aggregate merge', () => {
  it('any partition, in any order, merges to the sequential aggregate', () => {
    fc.assert(
      fc.property(
        fc.array(evArb, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }),
        fc.integer(),
        (events, parts, seed) => {
          const sequential = emptyAggregate();
          events.forEach((e) => add(sequential, e));
          // Given the events dealt into up to 6 files
          const files = Array.from({ length: 6 }, () => emptyAggregate());
          events.forEach((e, i) => add(files[parts[i] ?? 0], e));
          // When the files are merged in a random order, as a tree
          const order = fc.sample(fc.shuffledSubarray(files, { minLength: 6, maxLength: 6 }), {
            seed,
            numRuns: 1,
          })[0];
          const left = mergeAggregate(mergeAggregate(emptyAggregate(), order[0]), order[1]);
          const right = mergeAggregate(
            mergeAggregate(order[2], order[3]),
            mergeAggregate(order[4], order[5]),
          );
          const merged = mergeAggregate(left, right);
          // Then the result is the sequential one, byte for byte
          expect(JSON.stringify(canonicalAggregate(merged))).toBe(
            JSON.stringify(canonicalAggregate(sequential)),
          );
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});
