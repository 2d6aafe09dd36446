import {
  generalizeObjectKeys,
  generalizeResources,
  isGeneratedSegment,
  patternCovers,
  removeCovered,
} from '../../../src/generate/generalize';
import { ACCOUNT, s3obj, table, testCatalog } from './helpers';

describe('isGeneratedSegment', () => {
  it.each([
    ['2026-11-02', true],
    ['20261102', true],
    ['2026', true],
    ['01855f10-98f5-48be-bb27-381ecfb619ef.jpg', true],
    ['3f786850e387550fdab836ed7e6dc881de23001b', true],
    ['dt=2026-11-02', true],
    ['incoming', false],
    ['orders-summary.json', false],
    ['v2', false],
    ['thumbnails', false],
  ])('%s → %s', (seg, expected) => {
    expect(isGeneratedSegment(seg)).toBe(expected);
  });
});

describe('generalizeObjectKeys (prefix rule within one bucket)', () => {
  it.each<[string, string[], string[]]>([
    [
      'dated folders collapse to the folder before the date',
      ['in/2026-11-02/a.jpg', 'in/2026-11-03/b.jpg'],
      ['in/*'],
    ],
    ['one dated key still generalises to its stable folder', ['daily/2026-11-01/orders.csv'], ['daily/*']],
    [
      'a uuid file name generalises to its folder',
      ['uploads/0b29fd12-448c-4522-89b9-44e8d239e0dd.png'],
      ['uploads/*'],
    ],
    ['a lone stable key stays exact', ['config/settings.json'], ['config/settings.json']],
    ['stable keys of one folder share it', ['cfg/a.json', 'cfg/b.json'], ['cfg/*']],
    ['the longest shared folder, at / boundaries', ['cfg/x/a.json', 'cfg/x/b.json'], ['cfg/x/*']],
    ['shared characters are not a folder', ['cfg/xa/a.json', 'cfg/xb/b.json'], ['cfg/*']],
    ['different top folders never merge to the bucket', ['a/x.json', 'b/y.json'], ['a/x.json', 'b/y.json']],
    ['root keys stay exact', ['a.json', 'b.json'], ['a.json', 'b.json']],
    ['a generated root segment needs the bucket', ['2026-11-02/a.jpg'], ['*']],
    ['covered keys disappear', ['in/2026-11-02/a.jpg', 'in/config.json'], ['in/*']],
  ])('%s', (_name, keys, expected) => {
    expect(generalizeObjectKeys(keys)).toEqual(expected);
  });
});

describe('generalizeResources', () => {
  it.each<[string, string, string[], string[]]>([
    // [granularity, action, observed, expected]
    ['exact', 's3:GetObject', [s3obj('b', 'in/2026-11-02/a.jpg')], [s3obj('b', 'in/2026-11-02/a.jpg')]],
    [
      'prefix',
      's3:GetObject',
      [s3obj('b', 'in/2026-11-02/a.jpg'), s3obj('c', 'in/2026-11-02/a.jpg')],
      [s3obj('b', 'in/*'), s3obj('c', 'in/*')],
    ],
    [
      'type',
      's3:GetObject',
      [s3obj('b', 'in/2026-11-02/a.jpg'), s3obj('c', 'x')],
      [s3obj('b', '*'), s3obj('c', '*')],
    ],
    ['type', 's3:ListBucket', ['arn:aws:s3:::b'], ['arn:aws:s3:::b']],
    ['prefix', 'dynamodb:GetItem', [table('orders')], [table('orders')]],
    [
      'type',
      'dynamodb:GetItem',
      [table('orders'), table('orders', 'eu-west-1'), table('x', 'us-east-1', '444455556666')],
      [table('*', 'eu-west-1'), table('*'), table('*', 'us-east-1', '444455556666')],
    ],
    [
      'prefix',
      'logs:PutLogEvents',
      [
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/f:log-stream:abc`,
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/f:log-stream:def`,
      ],
      [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/f:log-stream:*`],
    ],
    [
      'prefix',
      'sqs:SendMessage',
      [`arn:aws:sqs:us-east-1:${ACCOUNT}:q1`, `arn:aws:sqs:us-east-1:${ACCOUNT}:q2`],
      [`arn:aws:sqs:us-east-1:${ACCOUNT}:q1`, `arn:aws:sqs:us-east-1:${ACCOUNT}:q2`],
    ],
    ['type', 'xray:PutTraceSegments', ['*'], ['*']],
    ['prefix', 's3:GetObject', ['*', s3obj('b', 'k')], ['*']],
    ['type', 's3:GetObject', ['arn:aws:s3:::b/unknown-to-action-but-object'], ['arn:aws:s3:::b/*']],
    ['type', 'dynamodb:GetItem', ['not-an-arn'], ['not-an-arn']],
  ])('%s %s %j', async (granularity, action, observed, expected) => {
    const catalog = await testCatalog();
    expect(generalizeResources(action, observed, catalog, granularity as 'exact')).toEqual(expected);
  });
});

describe('patternCovers / removeCovered', () => {
  it.each([
    ['arn:aws:s3:::b/in/*', 'arn:aws:s3:::b/in/x', true],
    ['arn:aws:s3:::b/in/*', 'arn:aws:s3:::b/in/x/*', true],
    ['arn:aws:s3:::b/in/*', 'arn:aws:s3:::b/*', false],
    ['arn:aws:s3:::b/*/x', 'arn:aws:s3:::b/a/*', false],
    ['*', 'anything', true],
  ])('%s covers %s: %s', (a, b, expected) => {
    expect(patternCovers(a, b)).toBe(expected);
  });
  it('keeps only the widest of nested patterns and dedupes', () => {
    expect(removeCovered(['arn:aws:s3:::b/in/x', 'arn:aws:s3:::b/in/*', 'arn:aws:s3:::b/in/*'])).toEqual([
      'arn:aws:s3:::b/in/*',
    ]);
  });
});
