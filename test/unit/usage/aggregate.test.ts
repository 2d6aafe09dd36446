import {
  addCorrelation,
  addFinding,
  addPermission,
  canonicalAggregate,
  emptyAggregate,
  mergeAggregate,
  resolveCorrelations,
} from '../../../src/usage';
import { insertSorted, isSortedSet, mergeSamples } from '../../../src/usage/aggregate';
import { MAX_SAMPLES, type TrailEvent, type UsageAggregate } from '../../../src/model';

function ev(id: string, time: string, region = 'us-east-1'): TrailEvent {
  return {
    eventId: id,
    eventTime: time,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: region,
    identity: { type: 'AssumedRole' },
  };
}

function build(events: TrailEvent[]): UsageAggregate {
  const agg = emptyAggregate();
  for (const e of events) {
    addPermission(agg, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', origin: 'observed' }, e);
    addFinding(agg, {
      id: 'PT-X[a]',
      code: 'PT-UNMAPPED',
      severity: 'warning',
      message: 'm',
      count: 1,
      sampleEventIds: [e.eventId],
    });
    agg.stats.eventsRead++;
  }
  return agg;
}

describe('usage aggregate', () => {
  const events = [
    ev('e5', '2026-11-03T10:00:00Z', 'eu-west-1'),
    ev('e1', '2026-11-02T09:00:00Z'),
    ev('e3', '2026-11-04T11:00:00Z'),
    ev('e2', '2026-11-02T08:00:00Z'),
  ];

  it('keeps count, first and last seen, regions and the smallest sample ids', () => {
    // Given four calls of the same action on the same object
    const agg = build(events);
    // Then one entry holds their provenance
    expect(agg.entries['s3:GetObject arn:aws:s3:::b/k']).toEqual({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      count: 4,
      firstSeen: '2026-11-02T08:00:00Z',
      lastSeen: '2026-11-04T11:00:00Z',
      regions: ['eu-west-1', 'us-east-1'],
      sampleEventIds: ['e1', 'e2', 'e3'],
      origins: ['observed'],
      notes: [],
    });
    expect(agg.findings['PT-X[a]'].count).toBe(4);
  });

  it('merges per-file aggregates into the same result whatever the split and order', () => {
    // Given the same events aggregated whole, and in two parts merged in both orders
    const whole = canonicalAggregate(build(events));
    const ab = canonicalAggregate(mergeAggregate(build(events.slice(0, 2)), build(events.slice(2))));
    const ba = canonicalAggregate(mergeAggregate(build(events.slice(2)), build(events.slice(0, 2))));
    // Then all three serialise to the same bytes
    expect(JSON.stringify(ab)).toBe(JSON.stringify(whole));
    expect(JSON.stringify(ba)).toBe(JSON.stringify(whole));
    expect(whole.stats.eventsRead).toBe(4);
  });
});

describe('correlations (Athena query id → workgroup)', () => {
  const wg = 'arn:aws:athena:us-east-1:111122223333:workgroup/etl';
  const get = {
    action: 'athena:GetQueryResults',
    resource: '*',
    origin: 'observed' as const,
    wildcardReason: 'Athena query q1 not started in the trail window',
    correlationKey: 'athena:query:q1',
  };

  it('resolves a pending permission once another file provides the resource, in either order', () => {
    // Given the GetQueryResults in one file and the StartQueryExecution in another
    const a = emptyAggregate();
    addPermission(a, get, ev('e2', '2026-11-02T10:01:00Z'));
    const b = emptyAggregate();
    addCorrelation(b, { key: 'athena:query:q1', resource: wg });
    // When merged in both orders and resolved
    const ab = mergeAggregate(mergeAggregate(emptyAggregate(), a), b);
    const ba = mergeAggregate(mergeAggregate(emptyAggregate(), b), a);
    resolveCorrelations(ab);
    resolveCorrelations(ba);
    // Then the permission names the workgroup and nothing is left pending or reported
    expect(Object.keys(ab.entries)).toEqual([`athena:GetQueryResults ${wg}`]);
    expect(ab.entries[`athena:GetQueryResults ${wg}`].wildcardReason).toBeUndefined();
    expect(ab.findings).toEqual({});
    expect(JSON.stringify(canonicalAggregate(ba))).toBe(JSON.stringify(canonicalAggregate(ab)));
  });

  it('keeps * with a finding when no event names the query', () => {
    const a = emptyAggregate();
    addPermission(a, get, ev('e2', '2026-11-02T10:01:00Z'));
    resolveCorrelations(a);
    expect(a.entries['athena:GetQueryResults *']).toMatchObject({
      resource: '*',
      wildcardReason: get.wildcardReason,
    });
    expect(a.findings['PT-UNRESOLVED-RESOURCE[athena:GetQueryResults]'].severity).toBe('warning');
  });
});

describe('condition-key evidence (UsageEntry.context)', () => {
  const list = (agg: UsageAggregate, prefix: string, n: number, from = 0) => {
    for (let i = from; i < from + n; i++)
      addPermission(
        agg,
        {
          action: 's3:ListBucket',
          resource: 'arn:aws:s3:::b',
          origin: 'observed',
          context: { 's3:prefix': `${prefix}${String(i).padStart(3, '0')}/` },
        },
        ev(`e${i}`, '2026-11-02T09:00:00Z'),
      );
  };

  it('counts the calls that carried a key, apart from those that did not', () => {
    const agg = emptyAggregate();
    list(agg, 'p', 2);
    addPermission(
      agg,
      { action: 's3:ListBucket', resource: 'arn:aws:s3:::b', origin: 'observed' },
      ev('x', '2026-11-02T09:00:00Z'),
    );
    const e = agg.entries['s3:ListBucket arn:aws:s3:::b'];
    expect(e.count).toBe(3);
    expect(e.context).toEqual({ 's3:prefix': { values: ['p000/', 'p001/'], seen: 2 } });
  });

  it('keeps the 64 smallest values and marks the overflow, whatever the split and order', () => {
    const whole = emptyAggregate();
    list(whole, 'p', 100);
    const a = emptyAggregate();
    list(a, 'p', 50);
    const b = emptyAggregate();
    list(b, 'p', 50, 50);
    const ab = mergeAggregate(mergeAggregate(emptyAggregate(), a), b);
    const ba = mergeAggregate(mergeAggregate(emptyAggregate(), b), a);
    const ev1 = whole.entries['s3:ListBucket arn:aws:s3:::b'].context?.['s3:prefix'];
    expect(ev1?.values).toHaveLength(64);
    expect(ev1?.values[63]).toBe('p063/');
    expect(ev1?.overflow).toBe(true);
    expect(ev1?.seen).toBe(100);
    expect(canonicalAggregate(ab)).toEqual(canonicalAggregate(whole));
    expect(canonicalAggregate(ba)).toEqual(canonicalAggregate(whole));
  });
});

describe('mergeSamples and its sorted insert', () => {
  it('Given any lists, When merged, Then the smallest MAX_SAMPLES distinct ids, sorted (the fast path agrees with the general one)', () => {
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const id = () => `e${next() % 12}`;
    for (let k = 0; k < 3000; k++) {
      let list: string[] = [];
      for (let n = next() % 6; n > 0; n--) {
        const b = next() % 4 === 0 ? [id(), id()] : [id()];
        const general = Array.from(new Set([...list, ...b]))
          .sort()
          .slice(0, MAX_SAMPLES);
        list = mergeSamples(list, b);
        expect(list).toEqual(general);
      }
    }
  });
  it('Given an unsorted list, When one id is merged, Then the general path sorts it', () => {
    expect(mergeSamples(['c', 'a'], ['b'])).toEqual(['a', 'b', 'c']);
    expect(insertSorted(['a', 'c'], 'b', 2)).toEqual(['a', 'b']);
    expect(insertSorted(['a', 'b'], 'c', 2)).toEqual(['a', 'b']);
    expect(isSortedSet(['a', 'a'], 3)).toBe(false);
  });
});
