import fc from 'fast-check';
import { invokedFunctionOf, principalKeyOf } from '../../src/attribution';
import type { AccountAggregate, TrailEvent } from '../../src/model';
import {
  addCoverage,
  addDay,
  addInvocation,
  addPermission,
  addSessionCall,
  canonicalAccountAggregate,
  emptyAccountAggregate,
  mergeAccountAggregate,
  principalActivity,
} from '../../src/usage';

/** The account aggregate merges like the usage aggregate: any partition, any order, same result. */
interface Ev {
  id: number;
  role: string;
  session: string;
  action: string;
  time: number;
  invoke: string | null;
}

const evArb: fc.Arbitrary<Ev> = fc.record({
  id: fc.integer({ min: 0, max: 9999 }),
  role: fc.constantFrom('arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b', 'role/c'),
  session: fc.constantFrom('fn-a', 'fn-b', 'fn-c'),
  action: fc.constantFrom('s3:GetObject', 'sqs:SendMessage', 'kms:Decrypt'),
  time: fc.integer({ min: 0, max: 86_400 * 30 }),
  invoke: fc.option(fc.constantFrom('us-east-1:fn-a', 'eu-west-1:fn-b')),
});

function add(agg: AccountAggregate, e: Ev): void {
  const time = new Date(Date.UTC(2026, 10, 1) + e.time * 1000).toISOString().replace('.000Z', 'Z');
  const event: TrailEvent = {
    eventId: `ev-${String(e.id).padStart(5, '0')}`,
    eventTime: time,
    eventSource: 'x',
    eventName: 'y',
    awsRegion: 'us-east-1',
    identity: { type: 'AssumedRole' },
  };
  addCoverage(agg.base, time);
  if (e.invoke) addInvocation(agg, e.invoke, event);
  addDay(agg, time);
  const p = principalActivity(agg, e.role);
  addCoverage(p.usage, time);
  p.usage.stats.attributed++;
  addPermission(p.usage, { action: e.action, resource: '*', origin: 'observed' }, event);
  addSessionCall(p, e.session, time, [e.action]);
}

describe('account aggregate (fast-check)', () => {
  it('any partition, in any order, merges to the sequential aggregate', () => {
    fc.assert(
      fc.property(
        fc.array(evArb, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }),
        (events, cuts) => {
          const whole = emptyAccountAggregate();
          for (const e of events) add(whole, e);
          const parts = Array.from({ length: 6 }, emptyAccountAggregate);
          events.forEach((e, i) => add(parts[(cuts[i] ?? 0) % 6], e));
          const forward = parts.reduce((acc, p) => mergeAccountAggregate(acc, p), emptyAccountAggregate());
          const backward = [...parts]
            .reverse()
            .reduce((acc, p) => mergeAccountAggregate(acc, p), emptyAccountAggregate());
          const want = JSON.stringify(canonicalAccountAggregate(whole));
          expect(JSON.stringify(canonicalAccountAggregate(forward))).toBe(want);
          expect(JSON.stringify(canonicalAccountAggregate(backward))).toBe(want);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('who an event belongs to (account pass)', () => {
  const base = {
    eventId: 'e',
    eventTime: '2026-11-02T00:00:00Z',
    eventSource: 'x',
    eventName: 'y',
    awsRegion: 'eu-west-1',
  };
  it.each<[string, Partial<TrailEvent>, string | undefined]>([
    [
      'role session with issuer',
      {
        identity: {
          type: 'AssumedRole',
          issuerArn: 'arn:aws:iam::1:role/r',
          issuerType: 'Role',
          sessionName: 'f',
        },
      },
      'arn:aws:iam::1:role/r',
    ],
    [
      'role session with its ARN only',
      { identity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/r/f' } },
      'role/r',
    ],
    ['IAM user', { identity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/u' } }, 'arn:aws:iam::1:user/u'],
    ['service principal', { identity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' } }, undefined],
    ['root', { identity: { type: 'Root', arn: 'arn:aws:iam::1:root' } }, undefined],
  ])('%s', (_n, e, want) => {
    expect(principalKeyOf({ ...base, ...e } as TrailEvent)).toBe(want);
  });

  it.each<[string, unknown, string | undefined]>([
    ['a name', 'orders-api', 'eu-west-1:orders-api'],
    ['a name with qualifier', 'orders-api:live', 'eu-west-1:orders-api'],
    [
      'an ARN of another region',
      'arn:aws:lambda:us-east-1:111122223333:function:orders-api:3',
      'us-east-1:orders-api',
    ],
    ['a hostile value', 'orders-api<script>', undefined],
    ['no name', undefined, undefined],
  ])('Invoke data event naming %s', (_n, functionName, want) => {
    const e = {
      ...base,
      eventSource: 'lambda.amazonaws.com',
      eventName: 'Invoke',
      identity: { type: 'AWSService' },
      requestParameters: functionName === undefined ? {} : { functionName },
    } as TrailEvent;
    expect(invokedFunctionOf(e)).toBe(want);
    expect(invokedFunctionOf({ ...e, errorCode: 'ResourceNotFoundException' })).toBeUndefined();
  });
});
