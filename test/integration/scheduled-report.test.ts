import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configFromEnv, runScheduledReport } from '../../src/lambda/scheduled-report';
import type { PolicyDocument } from '../../src/model';
import { ROOT, SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../helpers/cli';
import { startLocalIam, startLocalLambda } from '../helpers/aws-local/iam-lambda';
import { startLocalS3 } from '../helpers/aws-local/s3';
import { startLocalSns, type LocalEndpoint, type RecordedRequest } from '../helpers/aws-local/server';
import { simulate } from '../property/simulate';

/**
 * The scheduled report as a Lambda function (src/lambda, templates/aws/scheduled-report.yaml):
 * it runs over the real SDK against local S3, IAM, Lambda and SNS, writes the three reports and
 * notifies; every request it made is allowed by the template's own role policy (judged by
 * iam-simulate), and that policy allows nothing beyond the trail and report prefixes. The
 * template parses as YAML and names only what it creates and its parameters.
 */
const TEMPLATE = parse(readFileSync(path.join(ROOT, 'templates/aws/scheduled-report.yaml'), 'utf8')) as {
  Transform: string;
  Parameters: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
};
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
const ACCOUNT = '111122223333';
const PARAMS: Record<string, string> = {
  TrailBucket: 'acme-org-trail',
  TrailPrefix: 'AWSLogs/',
  ReportBucket: 'acme-reports',
  ReportPrefix: 'policy-tighten/',
  TopicArn: `arn:aws:sns:eu-west-1:${ACCOUNT}:security-reports`,
  TrailKmsKeyArn: '',
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': ACCOUNT,
  'ReportLogGroup.Arn': `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/policy-tighten-scheduled-report:*`,
};

/** The template's value with its intrinsic functions evaluated for PARAMS (Sub, Ref, If, Not, Equals). */
function resolve(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(resolve).filter((x) => x !== NO_VALUE);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if ('Fn::Sub' in o) return String(o['Fn::Sub']).replace(/\$\{([^}]+)\}/g, (_m, k: string) => PARAMS[k]);
  if ('Ref' in o) return o.Ref === 'AWS::NoValue' ? NO_VALUE : PARAMS[String(o.Ref)];
  if ('Fn::If' in o) {
    const [cond, a, b] = o['Fn::If'] as [string, unknown, unknown];
    const c = resolve((TEMPLATE as unknown as { Conditions: Record<string, unknown> }).Conditions[cond]);
    return resolve(c ? a : b);
  }
  if ('Fn::Not' in o) return !resolve((o['Fn::Not'] as unknown[])[0]);
  if ('Fn::Equals' in o) {
    const [a, b] = (o['Fn::Equals'] as unknown[]).map(resolve);
    return a === b;
  }
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
}
const NO_VALUE = Symbol('NoValue');

function rolePolicy(): PolicyDocument {
  const role = TEMPLATE.Resources.ReportRole.Properties as { Policies: { PolicyDocument: unknown }[] };
  return resolve(role.Policies[0].PolicyDocument) as PolicyDocument;
}

/** The IAM request each recorded HTTP request was (action, resource, context). */
function s3Calls(reqs: RecordedRequest[]) {
  return reqs.map((r) => {
    const [, bucket, ...key] = r.path.split('/');
    if (r.method === 'GET' && r.query.get('list-type') === '2')
      return {
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${bucket}`,
        context: { 's3:prefix': r.query.get('prefix') ?? '' },
      };
    return {
      action: r.method === 'PUT' ? 's3:PutObject' : 's3:GetObject',
      resource: `arn:aws:s3:::${bucket}/${key.join('/')}`,
      context: {},
    };
  });
}

describe('scheduled report (Lambda) over local AWS endpoints', () => {
  let s3: LocalEndpoint;
  let iam: LocalEndpoint;
  let lambda: LocalEndpoint;
  let sns: LocalEndpoint;
  const written = new Map<string, { body: string; contentType: string }>();
  beforeAll(async () => {
    s3 = await startLocalS3({ bucket: PARAMS.TrailBucket, root: SAMPLE_TRAIL, written });
    iam = await startLocalIam({ snapshot: SAMPLE_ACCOUNT });
    lambda = await startLocalLambda({ snapshot: SAMPLE_ACCOUNT });
    sns = await startLocalSns();
  });
  afterAll(async () => {
    for (const e of [s3, iam, lambda, sns]) await e.close();
  });

  it('writes the reports, notifies, and needs nothing its template role does not grant', async () => {
    const config = configFromEnv({
      TRAIL: `s3://${PARAMS.TrailBucket}/${PARAMS.TrailPrefix}`,
      REPORT_BUCKET: PARAMS.ReportBucket,
      REPORT_PREFIX: PARAMS.ReportPrefix,
      REGIONS: 'us-east-1,eu-west-1',
      SINCE: '30d',
      TOPIC_ARN: PARAMS.TopicArn,
    });
    const result = await runScheduledReport(
      config,
      {
        s3: new S3Client({ endpoint: s3.url, region: 'eu-west-1', credentials, forcePathStyle: true }),
        live: {
          iam: new IAMClient({ endpoint: iam.url, region: 'us-east-1', credentials }),
          lambda: (region) => new LambdaClient({ endpoint: lambda.url, region, credentials }),
        },
        sns: new SNSClient({ endpoint: sns.url, region: 'eu-west-1', credentials }),
      },
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(result).toMatchObject({
      unusedRoles: 2,
      unusedFunctions: 1,
      partial: false,
      noData: false,
      notified: true,
    });
    expect([...written.keys()].sort()).toEqual(
      ['2026-12-01', 'latest'].flatMap((d) =>
        ['report.html', 'report.json', 'report.md'].map(
          (f) => `${PARAMS.ReportBucket}/${PARAMS.ReportPrefix}${d}/${f}`,
        ),
      ),
    );
    const json = JSON.parse(
      written.get(`${PARAMS.ReportBucket}/${PARAMS.ReportPrefix}latest/report.json`)?.body ?? '{}',
    );
    expect(json.unusedRoles.map((r: { name: string }) => r.name)).toEqual([
      'etl-legacy-role',
      'legacy-cron-role',
    ]);
    const published = new URLSearchParams(sns.requests[0].body);
    expect(published.get('TopicArn')).toBe(PARAMS.TopicArn);
    expect(published.get('Message')).toMatch(/unused roles: 2 of 8; unused functions: 1 of 8/);

    // Every request the function made, judged against the template's role policy.
    const calls = [
      ...s3Calls(s3.requests),
      ...iam.requests.map(() => ({
        action: 'iam:GetAccountAuthorizationDetails',
        resource: '*',
        context: {},
      })),
      ...lambda.requests.map((r) => ({
        action: r.path.includes('event-source-mappings')
          ? 'lambda:ListEventSourceMappings'
          : 'lambda:ListFunctions',
        resource: '*',
        context: {},
      })),
      { action: 'sns:Publish', resource: PARAMS.TopicArn, context: {} },
    ];
    const policy = rolePolicy();
    const denied: string[] = [];
    for (const c of calls) {
      const d = await simulate([policy], c.action, c.resource, ACCOUNT, c.context);
      if (d !== 'Allowed') denied.push(`${c.action} ${c.resource} ${JSON.stringify(c.context)}: ${d}`);
    }
    expect(calls.length).toBeGreaterThan(150);
    expect(denied).toEqual([]);
    // …and nothing beyond: other prefixes, other buckets, writing to the trail.
    for (const [action, resource, context] of [
      ['s3:GetObject', `arn:aws:s3:::${PARAMS.TrailBucket}/other/secret.json`, {}],
      ['s3:ListBucket', `arn:aws:s3:::${PARAMS.TrailBucket}`, { 's3:prefix': 'other/' }],
      ['s3:PutObject', `arn:aws:s3:::${PARAMS.TrailBucket}/AWSLogs/x.json`, {}],
      ['s3:PutObject', `arn:aws:s3:::${PARAMS.ReportBucket}/elsewhere/report.json`, {}],
      ['s3:GetObject', `arn:aws:s3:::${PARAMS.ReportBucket}/policy-tighten/latest/report.json`, {}],
      ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin`, {}],
    ] as const)
      expect(
        `${action} ${resource}: ${await simulate([policy], action, resource, ACCOUNT, context)}`,
      ).not.toBe(`${action} ${resource}: Allowed`);
  });

  it('the template: a SAM template of exactly its own resources, no literal account, ARN or bucket', () => {
    expect(TEMPLATE.Transform).toBe('AWS::Serverless-2016-10-31');
    expect(Object.fromEntries(Object.entries(TEMPLATE.Resources).map(([k, r]) => [k, r.Type]))).toEqual({
      ReportLogGroup: 'AWS::Logs::LogGroup',
      ReportRole: 'AWS::IAM::Role',
      ReportFunction: 'AWS::Serverless::Function',
    });
    const text = readFileSync(path.join(ROOT, 'templates/aws/scheduled-report.yaml'), 'utf8')
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'))
      .join('\n');
    expect(text).not.toMatch(/\b\d{12}\b/);
    expect(text).not.toMatch(/arn:aws[a-z-]*:/);
    // Every ${…} the template substitutes is a parameter, a pseudo parameter or one of its resources.
    const names = new Set([...Object.keys(TEMPLATE.Parameters), ...Object.keys(TEMPLATE.Resources)]);
    for (const m of text.matchAll(/\$\{([^}]+)\}/g)) {
      const name = m[1].split('.')[0];
      expect([m[1], name.startsWith('AWS::') || names.has(name)]).toEqual([m[1], true]);
    }
    const fn = TEMPLATE.Resources.ReportFunction.Properties as {
      Handler: string;
      Events: Record<string, { Type: string }>;
    };
    expect(fn.Handler).toBe('node_modules/policy-tighten/dist/lambda/scheduled-report.handler');
    expect(Object.values(fn.Events).map((e) => e.Type)).toEqual(['ScheduleV2']);
  });

  it('the configuration is checked before anything runs', () => {
    expect(() => configFromEnv({})).toThrow('TRAIL is not set');
    expect(() =>
      configFromEnv({ TRAIL: 's3://b/', REPORT_BUCKET: 'r', REGIONS: 'x', REPORT_PREFIX: '../up' }),
    ).toThrow('REPORT_PREFIX is not a plain S3 key prefix');
  });
});
