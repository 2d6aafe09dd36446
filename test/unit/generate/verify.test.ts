import { verifyPolicies, resourceFitsTemplate } from '../../../src/generate';
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

  it('ignores statements with a Condition when deciding what is allowed', async () => {
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
