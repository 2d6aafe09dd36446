import * as path from 'path';

import { loadAccountSnapshot } from '../../../src/account/snapshot';
import { findFunction } from '../../../src/account/lookup';
import { resourceFitsTemplate } from '../../../src/analyze/arn-template';
import { loadCatalog, type Catalog } from '../../../src/catalog';
import {
  checkResourceFit,
  impliedPermissions,
  loadImpliedServices,
  type ImpliedResult,
} from '../../../src/implied';
import type { AccountState, EventSourceMappingInfo, FunctionInfo } from '../../../src/model';

const SAMPLES = path.resolve(__dirname, '../../../samples/account');

let catalog: Catalog;
let state: AccountState;
/** Every result computed in this file: the catalog test at the end checks all of them. */
const results: ImpliedResult[] = [];

beforeAll(async () => {
  catalog = await loadCatalog();
  await loadImpliedServices(catalog);
  state = await loadAccountSnapshot(SAMPLES);
});

function fnOf(name: string, region: string): FunctionInfo {
  const found = findFunction(state, name, region);
  if (found.status !== 'found') throw new Error(`sample function ${name} not found`);
  return found.function;
}

const ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:fn-under-test';

function makeFn(config: Record<string, unknown>, arn = ARN): FunctionInfo {
  const name = arn.split(':')[6];
  return {
    name,
    arn,
    region: arn.split(':')[3],
    roleArn: 'arn:aws:iam::111122223333:role/fn-role',
    config: { FunctionName: name, FunctionArn: arn, ...config },
  };
}

function esm(uuid: string, config: Record<string, unknown>, functionArn = ARN): EventSourceMappingInfo {
  const m: EventSourceMappingInfo = { uuid, functionArn, config: { UUID: uuid, ...config } };
  if (typeof config.EventSourceArn === 'string') m.eventSourceArn = config.EventSourceArn;
  if (typeof config.State === 'string') m.state = config.State;
  return m;
}

function run(fn: FunctionInfo, mappings: EventSourceMappingInfo[] = []): ImpliedResult {
  const r = impliedPermissions({ fn, eventSourceMappings: mappings, catalog });
  results.push(r);
  return r;
}

function pairs(r: ImpliedResult): string[] {
  return r.permissions.map((p) => `${p.action} ${p.resource}`);
}

describe('impliedPermissions on the sample snapshot', () => {
  it('orders-api (eu-west-1): logs on its LoggingConfig group, X-Ray, VPC network interfaces', () => {
    // Given the sample orders-api: LoggingConfig.LogGroup=/aws/lambda/orders-api, tracing Active, two subnets, one SG
    const fn = fnOf('orders-api', 'eu-west-1');
    // When its implied needs are computed
    const r = run(fn, state.eventSourceMappings);
    // Then logs, X-Ray and ENI permissions appear, each labelled, all implied-by-config
    const group = 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/orders-api:*';
    expect(pairs(r)).toEqual(
      expect.arrayContaining([
        `logs:CreateLogGroup ${group}`,
        `logs:CreateLogStream ${group}`,
        `logs:PutLogEvents ${group}`,
        'xray:PutTraceSegments *',
        'xray:PutTelemetryRecords *',
        'ec2:CreateNetworkInterface arn:aws:ec2:eu-west-1:111122223333:network-interface/*',
        'ec2:CreateNetworkInterface arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-07be133f0d671cf6c',
        'ec2:CreateNetworkInterface arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-03afe9a3ce1e68687',
        'ec2:CreateNetworkInterface arn:aws:ec2:eu-west-1:111122223333:security-group/sg-04335ebabe1b598bb',
        'ec2:DeleteNetworkInterface arn:aws:ec2:eu-west-1:111122223333:network-interface/*',
        'ec2:AssignPrivateIpAddresses arn:aws:ec2:eu-west-1:111122223333:network-interface/*',
        'ec2:UnassignPrivateIpAddresses arn:aws:ec2:eu-west-1:111122223333:network-interface/*',
        'ec2:DescribeNetworkInterfaces *',
        'ec2:DescribeSubnets *',
      ]),
    );
    expect(r.permissions).toHaveLength(14);
    expect(r.permissions.every((p) => p.origin === 'implied-by-config' && p.note)).toBe(true);
    expect(r.permissions.find((p) => p.action === 'logs:PutLogEvents')?.note).toBe(
      'LoggingConfig.LogGroup=/aws/lambda/orders-api',
    );
    expect(r.permissions.find((p) => p.action === 'xray:PutTraceSegments')).toMatchObject({
      note: 'TracingConfig.Mode=Active',
      wildcardReason: 'no-resource-type',
    });
    expect(r.permissions.find((p) => p.action === 'ec2:DescribeNetworkInterfaces')?.note).toBe(
      'VpcConfig.SubnetIds',
    );
    expect(r.findings).toEqual([]);
  });

  it('image-resizer: SQS event source mapping pollers on the queue', () => {
    // Given image-resizer and the sample mapping aca13730-… from SQS image-jobs
    const fn = fnOf('image-resizer', 'us-east-1');
    // When
    const r = run(fn, state.eventSourceMappings);
    // Then the three poller actions are on the queue ARN, labelled with the mapping
    const q = 'arn:aws:sqs:us-east-1:111122223333:image-jobs';
    for (const a of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']) {
      expect(r.permissions).toContainEqual({
        action: a,
        resource: q,
        origin: 'implied-by-config',
        note: `EventSourceMapping aca13730-df76-4720-81d9-10e80b233247 (SQS ${q})`,
      });
    }
    // and no X-Ray (PassThrough) nor VPC permission
    expect(r.permissions.some((p) => p.action.startsWith('xray:') || p.action.startsWith('ec2:'))).toBe(
      false,
    );
    // and the possible customer managed key of the queue is an info finding, not a guess
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([
      ['PT-IMPLIED-UNRESOLVED[image-resizer:kms]', 'info'],
    ]);
  });

  it('report-daily: custom log group /acme/reports and SQS dead-letter queue', () => {
    // Given report-daily: LoggingConfig.LogGroup=/acme/reports, DeadLetterConfig to report-daily-dlq
    const r = run(fnOf('report-daily', 'eu-west-1'), state.eventSourceMappings);
    // Then
    expect(pairs(r)).toEqual([
      'logs:CreateLogGroup arn:aws:logs:eu-west-1:111122223333:log-group:/acme/reports:*',
      'logs:CreateLogStream arn:aws:logs:eu-west-1:111122223333:log-group:/acme/reports:*',
      'logs:PutLogEvents arn:aws:logs:eu-west-1:111122223333:log-group:/acme/reports:*',
      'sqs:SendMessage arn:aws:sqs:eu-west-1:111122223333:report-daily-dlq',
    ]);
    expect(r.permissions[3].note).toBe(
      'DeadLetterConfig.TargetArn (SQS arn:aws:sqs:eu-west-1:111122223333:report-daily-dlq)',
    );
  });

  it('every sample function gets at least its logging needs and no unexpected finding', () => {
    for (const fn of state.functions) {
      const r = run(fn, state.eventSourceMappings);
      expect(r.permissions.filter((p) => p.action.startsWith('logs:'))).toHaveLength(3);
      expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    }
  });
});

describe('impliedPermissions rules on hand-made configurations', () => {
  it('default log group /aws/lambda/<name> when LoggingConfig has no LogGroup', () => {
    // Given a function without LoggingConfig
    const r = run(makeFn({}));
    // Then the default group is used and the note says so
    const arn = 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/fn-under-test:*';
    expect(pairs(r)).toEqual([
      `logs:CreateLogGroup ${arn}`,
      `logs:CreateLogStream ${arn}`,
      `logs:PutLogEvents ${arn}`,
    ]);
    expect(r.permissions[0].note).toBe(
      'default log group /aws/lambda/fn-under-test (no LoggingConfig.LogGroup)',
    );
  });

  it('an invalid custom log group name is a finding, not a permission', () => {
    // Given LoggingConfig.LogGroup with a character log group names cannot hold
    const r = run(makeFn({ LoggingConfig: { LogGroup: 'bad:name*' } }));
    // Then
    expect(r.permissions).toEqual([]);
    expect(r.findings.map((f) => f.id)).toEqual(['PT-IMPLIED-UNRESOLVED[fn-under-test:log-group]']);
  });

  it('partition, region and account come from the function ARN', () => {
    // Given a function in aws-cn
    const r = run(makeFn({}, 'arn:aws-cn:lambda:cn-north-1:123456789012:function:cn-fn'));
    // Then
    expect(r.permissions[0].resource).toBe(
      'arn:aws-cn:logs:cn-north-1:123456789012:log-group:/aws/lambda/cn-fn:*',
    );
  });

  it('tracing PassThrough adds nothing; Active adds the two X-Ray actions on *', () => {
    expect(
      pairs(run(makeFn({ TracingConfig: { Mode: 'PassThrough' } }))).some((p) => p.startsWith('xray')),
    ).toBe(false);
    const r = run(makeFn({ TracingConfig: { Mode: 'Active' } }));
    expect(r.permissions.filter((p) => p.action.startsWith('xray:'))).toEqual([
      {
        action: 'xray:PutTelemetryRecords',
        resource: '*',
        origin: 'implied-by-config',
        wildcardReason: 'no-resource-type',
        note: 'TracingConfig.Mode=Active',
      },
      {
        action: 'xray:PutTraceSegments',
        resource: '*',
        origin: 'implied-by-config',
        wildcardReason: 'no-resource-type',
        note: 'TracingConfig.Mode=Active',
      },
    ]);
  });

  it('VPC with an invalid subnet id keeps the valid ones and reports the rest', () => {
    // Given one valid and one invalid subnet id
    const r = run(
      makeFn({ VpcConfig: { SubnetIds: ['subnet-0abc', 'not-a-subnet'], SecurityGroupIds: [] } }),
    );
    // Then
    expect(pairs(r)).toContain(
      'ec2:CreateNetworkInterface arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0abc',
    );
    expect(r.findings.map((f) => f.id)).toEqual(['PT-IMPLIED-UNRESOLVED[fn-under-test:vpc]']);
    // and an empty SubnetIds list (a function detached from its VPC) adds nothing
    expect(
      pairs(run(makeFn({ VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } }))).some((p) =>
        p.startsWith('ec2'),
      ),
    ).toBe(false);
  });

  it('SNS dead-letter target: sns:Publish on the topic; an S3 DLQ is rejected with a finding', () => {
    const topic = 'arn:aws:sns:eu-west-1:111122223333:failed-events';
    const r = run(makeFn({ DeadLetterConfig: { TargetArn: topic } }));
    expect(pairs(r)).toContain(`sns:Publish ${topic}`);
    const bad = run(makeFn({ DeadLetterConfig: { TargetArn: 'arn:aws:s3:::some-bucket' } }));
    expect(bad.permissions.some((p) => p.action.startsWith('s3:'))).toBe(false);
    expect(bad.findings.map((f) => f.severity)).toEqual(['warning']);
  });

  it('asynchronous invocation destinations, when the configuration carries them', () => {
    // Given OnSuccess to a Lambda function and OnFailure to an EventBridge bus (EventInvokeConfig shape)
    const fnTarget = 'arn:aws:lambda:eu-west-1:111122223333:function:next-step';
    const bus = 'arn:aws:events:eu-west-1:111122223333:event-bus/orders';
    const r = run(
      makeFn({
        EventInvokeConfig: {
          DestinationConfig: { OnSuccess: { Destination: fnTarget }, OnFailure: { Destination: bus } },
        },
      }),
    );
    // Then
    expect(r.permissions).toContainEqual({
      action: 'lambda:InvokeFunction',
      resource: fnTarget,
      origin: 'implied-by-config',
      note: `EventInvokeConfig.DestinationConfig.OnSuccess.Destination (LAMBDA ${fnTarget})`,
    });
    expect(pairs(r)).toContain(`events:PutEvents ${bus}`);
    // And an S3 failure destination (DestinationConfig shape): PutObject on objects, ListBucket on the bucket
    const s3 = run(
      makeFn({ DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failed-invocations' } } }),
    );
    expect(pairs(s3)).toEqual(
      expect.arrayContaining([
        's3:PutObject arn:aws:s3:::failed-invocations/*',
        's3:ListBucket arn:aws:s3:::failed-invocations',
      ]),
    );
  });

  it('KMSKeyArn for environment variables adds nothing to the role (Lambda uses a grant)', () => {
    const r = run(
      makeFn({ KMSKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }),
    );
    expect(r.permissions.some((p) => p.action.startsWith('kms:'))).toBe(false);
    expect(r.findings).toEqual([]);
  });

  it('PackageType Image adds nothing (ECR pulls are the service principal’s)', () => {
    const r = run(makeFn({ PackageType: 'Image' }));
    expect(r.permissions.some((p) => p.action.startsWith('ecr:'))).toBe(false);
  });

  it('EFS access point: ClientMount/ClientWrite on the account’s file systems plus a finding to narrow it', () => {
    // Given an access point (its file system is not named by its ARN)
    const ap = 'arn:aws:elasticfilesystem:eu-west-1:111122223333:access-point/fsap-0123456789abcdef0';
    const r = run(makeFn({ FileSystemConfigs: [{ Arn: ap, LocalMountPath: '/mnt/data' }] }));
    // Then
    const fsAll = 'arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/*';
    expect(pairs(r)).toEqual(
      expect.arrayContaining([
        `elasticfilesystem:ClientMount ${fsAll}`,
        `elasticfilesystem:ClientWrite ${fsAll}`,
      ]),
    );
    expect(r.permissions.find((p) => p.action === 'elasticfilesystem:ClientMount')?.note).toMatch(
      /^FileSystemConfigs\[0\]\.Arn=/,
    );
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([
      ['PT-IMPLIED-UNRESOLVED[fn-under-test:efs:0]', 'warning'],
    ]);
    // And a file-system ARN is used as is, without a finding
    const fsArn = 'arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123abcd';
    const exact = run(makeFn({ FileSystemConfigs: [{ Arn: fsArn }] }));
    expect(pairs(exact)).toContain(`elasticfilesystem:ClientMount ${fsArn}`);
    expect(exact.findings).toEqual([]);
  });

  it('Kinesis stream mapping: stream actions on the stream, ListStreams on *', () => {
    const stream = 'arn:aws:kinesis:eu-west-1:111122223333:stream/clicks';
    const r = run(makeFn({}), [esm('11111111-2222-3333-4444-555555555555', { EventSourceArn: stream })]);
    const k = r.permissions
      .filter((p) => p.action.startsWith('kinesis:'))
      .map((p) => `${p.action} ${p.resource}`);
    expect(k).toEqual([
      `kinesis:DescribeStream ${stream}`,
      `kinesis:DescribeStreamSummary ${stream}`,
      `kinesis:GetRecords ${stream}`,
      `kinesis:GetShardIterator ${stream}`,
      `kinesis:ListShards ${stream}`,
      'kinesis:ListStreams *',
    ]);
    expect(r.permissions[0].note).toBeDefined();
  });

  it('Kinesis enhanced fan-out: SubscribeToShard on the consumer, stream actions on its stream', () => {
    const consumer = 'arn:aws:kinesis:eu-west-1:111122223333:stream/clicks/consumer/lambda-efo:1700000000';
    const r = run(makeFn({}), [esm('efo-1', { EventSourceArn: consumer })]);
    expect(pairs(r)).toEqual(
      expect.arrayContaining([
        `kinesis:SubscribeToShard ${consumer}`,
        `kinesis:DescribeStreamConsumer ${consumer}`,
        'kinesis:GetRecords arn:aws:kinesis:eu-west-1:111122223333:stream/clicks',
      ]),
    );
    expect(r.permissions.find((p) => p.action === 'kinesis:SubscribeToShard')?.note).toBe(
      `EventSourceMapping efo-1 (Kinesis consumer ${consumer})`,
    );
  });

  it('DynamoDB stream mapping with an SNS on-failure destination', () => {
    // Given a DynamoDB stream mapping whose failed batches go to SNS
    const stream = 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders/stream/2026-01-01T00:00:00.000';
    const topic = 'arn:aws:sns:eu-west-1:111122223333:stream-failures';
    const r = run(makeFn({}), [
      esm('ddb-1', { EventSourceArn: stream, DestinationConfig: { OnFailure: { Destination: topic } } }),
    ]);
    // Then
    expect(pairs(r)).toEqual(
      expect.arrayContaining([
        `dynamodb:DescribeStream ${stream}`,
        `dynamodb:GetRecords ${stream}`,
        `dynamodb:GetShardIterator ${stream}`,
        'dynamodb:ListStreams *',
        `sns:Publish ${topic}`,
      ]),
    );
    expect(r.permissions.find((p) => p.action === 'sns:Publish')?.note).toBe(
      `EventSourceMapping ddb-1 DestinationConfig.OnFailure.Destination (SNS ${topic})`,
    );
  });

  it('Amazon MSK mapping with a SASL/SCRAM secret; subnets unknown → widened with a finding', () => {
    const cluster =
      'arn:aws:kafka:eu-west-1:111122223333:cluster/orders/abcd1234-ab12-cd34-ef56-abcdef123456-2';
    const secret = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:AmazonMSK_orders-AbCdEf';
    const r = run(makeFn({}), [
      esm('msk-1', {
        EventSourceArn: cluster,
        SourceAccessConfigurations: [{ Type: 'SASL_SCRAM_512_AUTH', URI: secret }],
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::kafka-failures' } },
      }),
    ]);
    expect(pairs(r)).toEqual(
      expect.arrayContaining([
        `kafka:DescribeCluster ${cluster}`,
        `kafka:DescribeClusterV2 ${cluster}`,
        'kafka:GetBootstrapBrokers *',
        `secretsmanager:GetSecretValue ${secret}`,
        'ec2:CreateNetworkInterface arn:aws:ec2:eu-west-1:111122223333:network-interface/*',
        'ec2:CreateNetworkInterface arn:aws:ec2:eu-west-1:111122223333:subnet/*',
        'ec2:DescribeVpcs *',
        'ec2:DescribeSecurityGroups *',
        's3:PutObject arn:aws:s3:::kafka-failures/*',
      ]),
    );
    expect(r.findings.map((f) => f.id)).toEqual([
      'PT-IMPLIED-UNRESOLVED[fn-under-test:esm:msk-1:subnets]',
      'PT-IMPLIED-UNRESOLVED[fn-under-test:kms]',
    ]);
  });

  it('Amazon MSK mapping without a secret: an info finding about IAM access control', () => {
    const cluster =
      'arn:aws:kafka:eu-west-1:111122223333:cluster/orders/abcd1234-ab12-cd34-ef56-abcdef123456-2';
    const r = run(makeFn({}), [esm('msk-2', { EventSourceArn: cluster })]);
    expect(r.findings.find((f) => f.id.endsWith(':iam-auth]'))?.severity).toBe('info');
  });

  it('self-managed Kafka: secrets and the ENIs in the subnets its SourceAccessConfigurations name', () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:kafka-basic-AbCdEf';
    const r = run(makeFn({}), [
      esm('smk-1', {
        SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['b-1.example.com:9092'] } },
        SourceAccessConfigurations: [
          { Type: 'BASIC_AUTH', URI: secret },
          { Type: 'VPC_SUBNET', URI: 'subnet:subnet-0aaa' },
          { Type: 'VPC_SECURITY_GROUP', URI: 'security_group:sg-0bbb' },
        ],
      }),
    ]);
    expect(pairs(r)).toEqual(
      expect.arrayContaining([
        `secretsmanager:GetSecretValue ${secret}`,
        'ec2:CreateNetworkInterface arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0aaa',
        'ec2:CreateNetworkInterface arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0bbb',
        'ec2:DeleteNetworkInterface arn:aws:ec2:eu-west-1:111122223333:network-interface/*',
        'ec2:DescribeNetworkInterfaces *',
      ]),
    );
    expect(r.permissions.find((p) => p.action === 'secretsmanager:GetSecretValue')?.note).toBe(
      'EventSourceMapping smk-1 (self-managed Kafka) SourceAccessConfigurations[0] BASIC_AUTH',
    );
  });

  it('mappings of other functions are ignored; a qualified FunctionArn counts as the function', () => {
    const q = 'arn:aws:sqs:eu-west-1:111122223333:jobs';
    const r = run(makeFn({}), [
      esm('mine', { EventSourceArn: q }, `${ARN}:live`),
      esm('theirs', { EventSourceArn: 'arn:aws:sqs:eu-west-1:111122223333:other' }, `${ARN}-2`),
    ]);
    expect(pairs(r).filter((p) => p.startsWith('sqs:'))).toEqual([
      `sqs:DeleteMessage ${q}`,
      `sqs:GetQueueAttributes ${q}`,
      `sqs:ReceiveMessage ${q}`,
    ]);
  });

  it('an event source it does not know (Amazon MQ) is a finding, never a guess', () => {
    const r = run(makeFn({}), [
      esm('mq-1', { EventSourceArn: 'arn:aws:mq:eu-west-1:111122223333:broker:orders:b-1234' }),
    ]);
    expect(r.permissions.some((p) => p.note?.includes('mq-1'))).toBe(false);
    expect(r.findings.map((f) => f.id)).toEqual(['PT-IMPLIED-UNRESOLVED[fn-under-test:esm:mq-1]']);
  });

  it('duplicates from two rules merge into one permission with both notes', () => {
    // Given a VPC function with a self-managed Kafka mapping in a VPC: both need DescribeNetworkInterfaces
    const r = run(makeFn({ VpcConfig: { SubnetIds: ['subnet-0abc'] } }), [
      esm('smk-2', {
        SelfManagedEventSource: { Endpoints: {} },
        SourceAccessConfigurations: [{ Type: 'VPC_SUBNET', URI: 'subnet:subnet-0abc' }],
      }),
    ]);
    const d = r.permissions.filter((p) => p.action === 'ec2:DescribeNetworkInterfaces');
    expect(d).toHaveLength(1);
    expect(d[0].note).toBe('EventSourceMapping smk-2 (self-managed Kafka) VPC_SUBNET; VpcConfig.SubnetIds');
  });

  it('an invalid function ARN yields an error finding and no permission', () => {
    const r = impliedPermissions({
      fn: { name: 'x', arn: 'not-an-arn', region: 'eu-west-1', roleArn: 'r', config: {} },
      eventSourceMappings: [],
      catalog,
    });
    expect(r.permissions).toEqual([]);
    expect(r.findings[0].severity).toBe('error');
  });

  it('refuses a catalog whose services are not loaded (programming error)', async () => {
    const fresh = await loadCatalog();
    expect(() => impliedPermissions({ fn: makeFn({}), eventSourceMappings: [], catalog: fresh })).toThrow(
      /loadImpliedServices/,
    );
  });
});

describe('catalog validity of everything emitted', () => {
  it('every emitted action exists and every ARN fits one of its resource types', async () => {
    // Given all results computed above
    expect(results.length).toBeGreaterThan(20);
    const all = results.flatMap((r) => r.permissions);
    for (const p of all) {
      await catalog.ensureService(p.action.split(':')[0]);
      // Then the action exists with this exact spelling
      expect(catalog.action(p.action)?.name).toBe(p.action);
      // and the resource fits (a `*` only where the action has no resource type)
      const fit = checkResourceFit(catalog, p.action, p.resource);
      if (!fit.ok) throw new Error(`${p.action} on ${p.resource}: ${fit.reason}`);
      if (p.resource === '*') expect(catalog.action(p.action)?.resourceTypes).toEqual([]);
      expect(p.origin).toBe('implied-by-config');
      expect(p.note).toBeTruthy();
    }
  });

  it('resourceFitsTemplate: wildcards fit when some expansion does; the documented log-group :* form', () => {
    const stream =
      'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}';
    const group = 'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}';
    expect(resourceFitsTemplate('arn:aws:logs:eu-west-1:111122223333:log-group:/g:*', stream)).toBe(true);
    expect(resourceFitsTemplate('arn:aws:logs:eu-west-1:111122223333:log-group:/g:*', group)).toBe(true);
    expect(resourceFitsTemplate('arn:aws:sqs:eu-west-1:111122223333:q', group)).toBe(false);
    expect(
      resourceFitsTemplate('arn:aws:s3:::b/*', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}'),
    ).toBe(true);
    expect(resourceFitsTemplate('arn:aws:s3:::b', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}')).toBe(
      false,
    );
  });
});
