import { callsOf, verifyPolicies, resourceFitsTemplate } from '../../../src/generate';
import { globsIntersect } from '../../../src/iam/glob';
import type { PolicyDocument, PolicyStatement } from '../../../src/model';
import { s3obj, table, testCatalog } from './helpers';

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const allow = (Action: string[], Resource: string[]): PolicyStatement => ({
  Effect: 'Allow',
  Action,
  Resource,
});

describe('verifyPolicies (with the catalog)', () => {
  it('passes a sound policy set split over several documents', async () => {
    const catalog = await testCatalog();
    const policies = [
      doc(allow(['s3:GetObject'], [s3obj('b', 'in/*')])),
      doc(allow(['xray:PutTraceSegments'], ['*'])),
    ];
    expect(
      verifyPolicies(
        policies,
        [
          { action: 's3:getobject', resource: s3obj('b', 'in/x/y.jpg') },
          { action: 'xray:PutTraceSegments', resource: '*' },
        ],
        catalog,
      ),
    ).toEqual([]);
  });

  it.each<[string, PolicyStatement, { action: string; resource: string }[], string]>([
    [
      'a call not allowed',
      allow(['s3:GetObject'], [s3obj('b', 'in/*')]),
      [{ action: 's3:GetObject', resource: s3obj('b', 'out/x') }],
      `not allowed: s3:GetObject on ${s3obj('b', 'out/x')}`,
    ],
    [
      'another bucket is not allowed',
      allow(['s3:GetObject'], [s3obj('b', '*')]),
      [{ action: 's3:GetObject', resource: s3obj('c', 'x') }],
      `not allowed: s3:GetObject on ${s3obj('c', 'x')}`,
    ],
    ['an unknown action', allow(['s3:GetObjekt'], [s3obj('b', 'k')]), [], 'unknown action: s3:GetObjekt'],
    ['a wildcard action', allow(['s3:Get*'], [s3obj('b', 'k')]), [], 'wildcard action: s3:Get*'],
    [
      'an ARN of the wrong type',
      allow(['dynamodb:GetItem'], [s3obj('b', 'k')]),
      [],
      `resource fits no resource type of dynamodb:GetItem: ${s3obj('b', 'k')}`,
    ],
    [
      'a bucket ARN for an object action',
      allow(['s3:GetObject'], ['arn:aws:s3:::b']),
      [],
      'resource fits no resource type of s3:GetObject: arn:aws:s3:::b',
    ],
    [
      '* where the action has resource types and no call needed it',
      allow(['dynamodb:GetItem'], ['*']),
      [{ action: 'dynamodb:GetItem', resource: table('t') }],
      '"*" without need: dynamodb:GetItem has resource types and no call needed "*"',
    ],
  ])('reports %s', async (_name, statement, calls, failure) => {
    const catalog = await testCatalog();
    expect(verifyPolicies([doc(statement)], calls, catalog)).toEqual([failure]);
  });

  it('accepts * for an action an observed call used on * (unresolved, reported as a finding)', async () => {
    const catalog = await testCatalog();
    expect(
      verifyPolicies(
        [doc(allow(['s3:GetObject'], ['*']))],
        [{ action: 's3:GetObject', resource: '*' }],
        catalog,
      ),
    ).toEqual([]);
  });

  it('allows a conditioned statement only for calls whose context meets it', async () => {
    const catalog = await testCatalog();
    const via = {
      ...allow(['dynamodb:GetItem'], [table('t')]),
      Condition: { StringEquals: { 'kms:ViaService': ['s3.eu-west-1.amazonaws.com'] } },
    };
    const prefix = {
      ...allow(['dynamodb:GetItem'], [table('u')]),
      Condition: { StringLike: { 's3:prefix': ['reports/*', 'odd${*}/'] } },
    };
    const call = (t: string, context?: Record<string, string>) => ({
      action: 'dynamodb:GetItem',
      resource: table(t),
      ...(context ? { context } : {}),
    });
    const ok = [
      call('t', { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }),
      call('u', { 's3:prefix': 'reports/2026/' }),
      call('u', { 's3:prefix': 'odd*/' }),
    ];
    expect(verifyPolicies([doc(via, prefix)], ok, catalog)).toEqual([]);
    const bad = [
      call('t'),
      call('t', { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }),
      call('u', { 's3:prefix': 'other/' }),
      call('u', { 's3:prefix': 'oddX/' }),
    ];
    expect(verifyPolicies([doc(via, prefix)], bad, catalog)).toHaveLength(4);
  });

  it('derives the calls of an entry from the condition keys they carried', () => {
    const base = { action: 'kms:Decrypt', resource: 'arn:aws:kms:eu-west-1:111122223333:key/k' };
    const via = (values: string[], seen: number, overflow = false) => ({
      'kms:ViaService': { values, seen, ...(overflow ? { overflow } : {}) },
    });
    const a = 's3.eu-west-1.amazonaws.com';
    const b = 'ssm.eu-west-1.amazonaws.com';
    const ctx = (v: string) => ({ context: { 'kms:ViaService': v } });
    // Every call carried the key: the calls are exactly the values.
    expect(callsOf({ ...base, count: 3, origins: ['on-behalf'], context: via([a, b], 3) })).toEqual([
      { ...base, ...ctx(a) },
      { ...base, ...ctx(b) },
    ]);
    // Some did not, values were dropped, or the configuration needs it too: also a bare call.
    for (const e of [
      { ...base, count: 3, origins: ['observed', 'on-behalf'] as const, context: via([a], 2) },
      { ...base, count: 3, origins: ['on-behalf'] as const, context: via([a], 3, true) },
      { ...base, count: 3, origins: ['implied-by-config', 'on-behalf'] as const, context: via([a], 3) },
    ]) {
      expect(callsOf({ ...e, origins: [...e.origins] })).toEqual([base, { ...base, ...ctx(a) }]);
    }
    expect(callsOf({ ...base, count: 2, origins: ['observed'] })).toEqual([base]);
  });

  it('ignores statements with a Condition it does not understand', async () => {
    const catalog = await testCatalog();
    const conditional = {
      ...allow(['dynamodb:GetItem'], [table('t')]),
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    };
    expect(
      verifyPolicies([doc(conditional)], [{ action: 'dynamodb:GetItem', resource: table('t') }], catalog),
    ).toEqual([`not allowed: dynamodb:GetItem on ${table('t')}`]);
  });
});

describe('resourceFitsTemplate / globsIntersect', () => {
  const stream =
    'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}';
  const table = 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}';
  it.each([
    ['arn:aws:logs:eu-west-1:111122223333:log-group:/acme/reports:*', stream, true],
    ['arn:aws:logs:eu-west-1:111122223333:log-group:/acme/reports:log-stream:*', stream, true],
    ['arn:aws:dynamodb:us-east-1:111122223333:table/etl_*', table, true],
    ['arn:aws:s3:::b/*', table, false],
    ['arn:aws:dynamodb:us-east-1:111122223333:stream/x', table, false],
  ])('%s fits %s: %s', (resource, template, expected) => {
    expect(resourceFitsTemplate(resource, template)).toBe(expected);
  });
  it.each([
    ['a*', '*b', true],
    ['a?c', 'abc', true],
    ['a*c', 'b*', false],
    ['*', '', true],
    ['x:*', 'x:y:*:z', true],
  ])('%s ∩ %s: %s', (p, q, expected) => {
    expect(globsIntersect(p, q)).toBe(expected);
  });
});
