import { arnFitsTemplate, compileArnTemplate, fillArnTemplate } from '../../../src/analyze/arn-template';
import { normaliseEventName, prefixOfEventSource } from '../../../src/analyze/normalise';
import { extractFromParams, parseLambdaFunction, parseQueueUrl } from '../../../src/analyze/request-params';
import { checkValue, isRegion, parseArn, partitionOfRegion } from '../../../src/analyze/validate';
import { createMapper } from '../../../src/analyze';
import { createCatalogFromData, loadCatalog } from '../../../src/catalog';
import type { TrailEvent } from '../../../src/model/trail-event';

describe('normaliseEventName', () => {
  test.each([
    ['GetFunction20150331v2', 'GetFunction'],
    ['ListFunctions20150331', 'ListFunctions'],
    ['CreateDistribution2020_05_31', 'CreateDistribution'],
    ['UpdateFunctionConfiguration20150331v2', 'UpdateFunctionConfiguration'],
    ['GetObject', 'GetObject'],
    ['ListObjectsV2', 'ListObjectsV2'],
    ['20150331', '20150331'],
  ])('%s → %s', (input, out) => expect(normaliseEventName(input)).toBe(out));
});

describe('prefixOfEventSource', () => {
  test.each([
    ['monitoring.amazonaws.com', 'cloudwatch'],
    ['streams.dynamodb.amazonaws.com', 'dynamodb'],
    ['rdsdata.amazonaws.com', 'rds-data'],
    ['email.amazonaws.com', 'ses'],
    ['s3.amazonaws.com', 's3'],
    ['brand-new.amazonaws.com', 'brand-new'],
  ])('%s → %s', (src, prefix) => expect(prefixOfEventSource(src)).toBe(prefix));
});

describe('ARN templates', () => {
  const object = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
  const table = 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}';
  const index = 'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}';
  const fn = 'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}';
  test('placeholders become regex segments', () => {
    expect(compileArnTemplate(table).variables).toEqual(['Partition', 'Region', 'Account', 'TableName']);
    expect(arnFitsTemplate('arn:aws:s3:::b/k/with/slashes', object)).toBe(true);
    expect(arnFitsTemplate('arn:aws:s3:::b', object)).toBe(false);
    expect(arnFitsTemplate('arn:aws-cn:dynamodb:cn-north-1:123456789012:table/T', table)).toBe(true);
    expect(arnFitsTemplate('arn:aws:dynamodb:us-east-1:123456789012:table/T/index/I', table)).toBe(false);
    expect(arnFitsTemplate('arn:aws:dynamodb:us-east-1:123456789012:table/T/index/I', index)).toBe(true);
    expect(arnFitsTemplate('arn:aws:dynamodb:us-east-1:12345:table/T', table)).toBe(false);
    expect(arnFitsTemplate('arn:aws:lambda:us-east-1:123456789012:function:f:prod', fn)).toBe(true);
    expect(arnFitsTemplate('arn:aws:sqs:us-east-1:123456789012:q', table)).toBe(false);
  });
  test('literal regex characters are escaped', () => {
    expect(
      arnFitsTemplate(
        'arn:aws:mobiletargeting:us-east-1:123456789012:apps/*',
        'arn:${Partition}:mobiletargeting:${Region}:${Account}:apps/*',
      ),
    ).toBe(true);
    expect(
      arnFitsTemplate(
        'arn:aws:mobiletargeting:us-east-1:123456789012:apps/xxx',
        'arn:${Partition}:mobiletargeting:${Region}:${Account}:apps/*',
      ),
    ).toBe(false);
  });
  test('fill needs every variable', () => {
    expect(
      fillArnTemplate(table, {
        Partition: 'aws',
        Region: 'us-east-1',
        Account: '123456789012',
        TableName: 'T',
      }),
    ).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/T');
    expect(fillArnTemplate(table, { Partition: 'aws', Region: 'us-east-1', TableName: 'T' })).toBeUndefined();
  });
});

describe('parseQueueUrl', () => {
  test.each([
    [
      'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
      { region: 'eu-west-1', account: '123456789012', name: 'jobs' },
    ],
    [
      'https://eu-west-1.queue.amazonaws.com/123456789012/jobs.fifo',
      { region: 'eu-west-1', account: '123456789012', name: 'jobs.fifo' },
    ],
    [
      'https://queue.amazonaws.com/123456789012/old',
      { region: 'us-east-1', account: '123456789012', name: 'old' },
    ],
    [
      'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q',
      { region: 'cn-north-1', account: '123456789012', name: 'q' },
    ],
  ])('%s', (url, parts) => expect(parseQueueUrl(url)).toEqual(parts));
  test.each([
    'https://evil.example.com/123456789012/jobs',
    'https://sqs.eu-west-1.amazonaws.com/12345/jobs',
    'https://sqs.eu-west-1.amazonaws.com/123456789012/jo*bs',
    'https://sqs.eu-west-1.amazonaws.com/123456789012/a/b',
    'ftp://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
  ])('rejects %s', (url) => expect(parseQueueUrl(url)).toBeUndefined());
});

describe('parseLambdaFunction', () => {
  test('name, partial ARN, full ARN, qualifier', () => {
    expect(parseLambdaFunction('f')).toEqual({ FunctionName: 'f' });
    expect(parseLambdaFunction('f:prod')).toEqual({ FunctionName: 'f:prod' });
    expect(parseLambdaFunction('123456789012:function:f')).toEqual({
      Account: '123456789012',
      FunctionName: 'f',
    });
    expect(parseLambdaFunction('arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST')).toEqual({
      Partition: 'aws',
      Region: 'eu-west-1',
      Account: '123456789012',
      FunctionName: 'f:$LATEST',
    });
    expect(parseLambdaFunction('f*')).toBeUndefined();
    expect(parseLambdaFunction('x'.repeat(65))).toBeUndefined();
  });
});

describe('validation', () => {
  test('regions', () => {
    for (const r of ['us-east-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-2', 'il-central-1'])
      expect(isRegion(r)).toBe(true);
    for (const r of ['', 'US-EAST-1', 'us-east', 'moon-1', 'us-east-1 ', 'us-east-1\n'])
      expect(isRegion(r)).toBe(false);
  });
  test('partitions', () => {
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-east-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('eu-west-1')).toBe('aws');
  });
  test('ARNs', () => {
    expect(parseArn('arn:aws:s3:::bucket/key')).toMatchObject({ service: 's3', region: '', account: '' });
    expect(parseArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toMatchObject({ account: 'aws' });
    expect(parseArn('arn:aws:s3:::bucket/*')).toBeUndefined();
    expect(parseArn('arn:aws:sns:us-east-1:123456789012:t?')).toBeUndefined();
    expect(parseArn('arn:aws:sns:us-east-1:123456789012:' + 'a'.repeat(2048))).toBeUndefined();
    expect(parseArn('arn:aws:sns:us-east-1:123456789012:t\u0007')).toBeUndefined();
    expect(parseArn('not-an-arn')).toBeUndefined();
  });
  test('constraint messages never contain the value', () => {
    const bad = 'EVIL<script>';
    expect(checkValue('s3-bucket', bad)).toBeDefined();
    expect(checkValue('s3-bucket', bad)).not.toContain(bad);
    expect(checkValue('s3-bucket', 'my-bucket.logs')).toBeUndefined();
  });
  test('extractFromParams multiplies list values with scalar ones', () => {
    const r = extractFromParams({ bucketName: 'bkt', key: 'k' }, [
      { param: 'bucketName', variable: 'BucketName', check: 's3-bucket' },
      { param: 'key', variable: 'ObjectName', check: 's3-key' },
    ]);
    expect(r).toEqual({ ok: true, value: { arns: [], bindings: [{ BucketName: 'bkt', ObjectName: 'k' }] } });
    const bad = extractFromParams({ tableName: 'x'.repeat(300) }, [
      { param: 'tableName', variable: 'TableName', check: 'dynamodb-name' },
    ]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.rejection.field).toBe('requestParameters.tableName');
  });
});

describe('catalog', () => {
  test('loadCatalog: case-insensitive lookups with canonical casing, sync after ensureService', async () => {
    const c = await loadCatalog();
    expect(c.hasService('S3')).toBe(true);
    expect(c.hasService('no-such-service')).toBe(false);
    expect(await c.ensureService('no-such-service')).toBe(false);
    expect(c.action('s3:getbucketcors')).toBeUndefined();
    expect(await c.ensureService('s3')).toBe(true);
    expect(c.isLoaded('S3')).toBe(true);
    const a = c.action('S3:GETBUCKETCORS');
    expect(a?.name).toBe('s3:GetBucketCORS');
    expect(a?.accessLevel).toBe('Read');
    expect(c.action('s3:NoSuchAction')).toBeUndefined();
    expect(c.action('garbage')).toBeUndefined();
    expect(c.resourceType('s3', 'OBJECT')).toEqual({
      key: 'object',
      arn: 'arn:${Partition}:s3:::${BucketName}/${ObjectName}',
    });
    expect(c.action('s3:ListAllMyBuckets')?.resourceTypes).toEqual([]);
  });
  test('concurrent ensureService loads once', async () => {
    let loads = 0;
    const c = createCatalogFromData({
      demo: { actions: [{ name: 'DoIt', accessLevel: 'Write', resourceTypes: [] }], resourceTypes: [] },
    });
    const orig = c.ensureService.bind(c);
    const [x, y] = await Promise.all([orig('demo').then((v) => (loads++, v)), orig('DEMO')]);
    expect([x, y, loads]).toEqual([true, true, 1]);
    expect(c.action('demo:doit')?.name).toBe('demo:DoIt');
  });
});

describe('mapper with an in-memory catalog', () => {
  const catalog = createCatalogFromData({
    widget: {
      actions: [
        { name: 'GetWidget', accessLevel: 'Read', resourceTypes: [{ name: 'Widget', required: true }] },
        { name: 'ListWidgets', accessLevel: 'List', resourceTypes: [] },
      ],
      resourceTypes: [
        { key: 'widget', arn: 'arn:${Partition}:widget:${Region}:${Account}:widget/${WidgetId}' },
      ],
    },
  });
  const ev = (eventName: string, extra: Partial<TrailEvent> = {}): TrailEvent => ({
    eventId: 'e-7',
    eventTime: '2026-11-02T10:15:00Z',
    eventSource: 'widget.amazonaws.com',
    eventName,
    awsRegion: 'eu-west-1',
    recipientAccountId: '123456789012',
    identity: { type: 'AssumedRole' },
    ...extra,
  });

  test('prepare returns a promise only while the service is not loaded', async () => {
    const m = createMapper(catalog);
    const p = m.prepare(ev('ListWidgets'));
    expect(p).toBeInstanceOf(Promise);
    await p;
    expect(m.prepare(ev('ListWidgets'))).toBeUndefined();
    expect(m.prepare(ev('GetWidget'))).toBeUndefined();
  });

  test('map before prepare is a programming error', () => {
    const m = createMapper(createCatalogFromData({ widget: { actions: [], resourceTypes: [] } }));
    expect(() => m.map(ev('ListWidgets'))).toThrow(/prepare/);
  });

  test('default rule, resources[] fit, unresolved finding, unmapped', async () => {
    const m = createMapper(catalog);
    await m.prepare(ev('GetWidget'));
    const arn = 'arn:aws:widget:eu-west-1:123456789012:widget/w-1';
    expect(m.map(ev('GetWidget', { resources: [{ arn }, { arn: 'arn:aws:s3:::b' }] }))).toEqual({
      kind: 'mapped',
      permissions: [{ action: 'widget:GetWidget', resource: arn, origin: 'observed' }],
      findings: [],
    });
    const r = m.map(ev('getwidget'));
    expect(r.kind).toBe('mapped');
    if (r.kind === 'mapped') {
      expect(r.permissions).toEqual([
        {
          action: 'widget:GetWidget',
          resource: '*',
          origin: 'observed',
          wildcardReason: 'no resource ARN in the event for widget:GetWidget',
        },
      ]);
      expect(r.findings).toEqual([
        expect.objectContaining({
          id: 'PT-UNRESOLVED-RESOURCE[widget:GetWidget]',
          severity: 'warning',
          count: 1,
          sampleEventIds: ['e-7'],
        }),
      ]);
    }
    const u = m.map(ev('DeleteWidget'));
    expect(u).toEqual({
      kind: 'unmapped',
      finding: expect.objectContaining({
        id: 'PT-UNMAPPED[widget.amazonaws.com:DeleteWidget]',
        code: 'PT-UNMAPPED',
      }),
    });
    if (u.kind === 'unmapped')
      expect(u.finding.message).toContain('no IAM action widget:DeleteWidget in the catalog');
  });

  test('rejected findings name the field, never the value', async () => {
    const m = createMapper(catalog);
    await m.prepare(ev('GetWidget'));
    const secret = 'arn:aws:widget:eu-west-1:123456789012:widget/SECRET*';
    const r = m.map(ev('GetWidget', { resources: [{ arn: secret }] }));
    expect(r.kind).toBe('rejected');
    if (r.kind === 'rejected') {
      expect(r.finding.id).toBe('PT-REJECTED-VALUE[widget.amazonaws.com:GetWidget]');
      expect(r.finding.message).toContain('resources[].arn');
      expect(r.finding.message).not.toContain('SECRET');
    }
  });
});
