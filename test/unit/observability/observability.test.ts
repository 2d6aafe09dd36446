import * as path from 'path';

import { loadAccountSnapshot } from '../../../src/account/snapshot';
import { loadCatalog } from '../../../src/catalog';
import type { AccountState } from '../../../src/model';
import { grantedActions, observabilityFindings, OBSERVABILITY_CATEGORIES } from '../../../src/observability';

const SAMPLES = path.resolve(__dirname, '../../../samples/account');
let state: AccountState;

beforeAll(async () => {
  state = await loadAccountSnapshot(SAMPLES);
});

describe('grantedActions on the sample snapshot', () => {
  it('orders-api-role: inline + attached managed policies at their default version', () => {
    // Given orders-api-role (AWSLambdaBasicExecutionRole, VPC, X-Ray, AmazonDynamoDBFullAccess, acme-orders-table-access v2)
    // When
    const g = grantedActions(state, 'arn:aws:iam::111122223333:role/orders-api-role');
    // Then wildcards stay as written, the result is sorted and deduplicated
    expect(g).toEqual(
      expect.arrayContaining([
        'dynamodb:*',
        'dax:*',
        'logs:PutLogEvents',
        'xray:PutTraceSegments',
        'ec2:CreateNetworkInterface',
        'sqs:SendMessage',
        'secretsmanager:GetSecretValue',
        'dynamodb:GetItem',
      ]),
    );
    expect(g).toEqual([...new Set(g)].sort());
    expect(g.filter((a) => a === 'logs:PutLogEvents')).toHaveLength(1);
  });

  it('by role name, and image-resizer-role grants s3:* inline', () => {
    expect(grantedActions(state, 'image-resizer-role')).toEqual(
      expect.arrayContaining(['s3:*', 'sqs:ReceiveMessage', 'ssm:GetParameter']),
    );
  });

  it('an unknown role grants nothing', () => {
    expect(grantedActions(state, 'arn:aws:iam::111122223333:role/nope')).toEqual([]);
  });

  it('falls back to the bundled AWS managed policy when the snapshot lacks its document; NotAction counts as *', () => {
    // Given a snapshot without the Policies list and a role with an Allow/NotAction statement
    const bare: AccountState = {
      ...state,
      policies: [],
      roles: [
        {
          roleName: 'r',
          arn: 'arn:aws:iam::111122223333:role/r',
          path: '/',
          inlinePolicies: [
            { name: 'p', document: { Statement: { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' } } },
            { name: 'd', document: { Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] } },
          ],
          attachedPolicyArns: [
            'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
            'arn:aws:iam::aws:policy/NotBundled',
          ],
        },
      ],
    };
    // When / Then
    expect(grantedActions(bare, 'r')).toEqual([
      '*',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ]);
  });
});

describe('observabilityFindings', () => {
  it('orders-api: DynamoDB item access and SQS sends cannot be seen without data events', () => {
    // Given orders-api's grants and a trail without any data event
    const granted = grantedActions(state, 'orders-api-role');
    // When (logging and tracing are implied by the configuration)
    const f = observabilityFindings({
      subject: 'function orders-api',
      observedActions: ['secretsmanager:GetSecretValue'],
      grantedActions: granted,
      dataEventSources: {},
      impliedActions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
    });
    // Then
    expect(f.map((x) => [x.id, x.severity])).toEqual([
      ['PT-NOT-OBSERVABLE[dynamodb-item]', 'warning'],
      ['PT-NOT-OBSERVABLE[dynamodb-stream]', 'warning'],
      ['PT-NOT-OBSERVABLE[sqs-message]', 'warning'],
    ]);
    expect(f[2].message).toBe(
      'function orders-api: SQS message access cannot be seen: the trail has no SQS data events (sqs.amazonaws.com), ' +
        'and the role grants sqs:SendMessage; the generated policy cannot include it: enable these data events on the trail or review the code',
    );
    expect(f.every((x) => x.code === 'PT-NOT-OBSERVABLE' && x.count === 1)).toBe(true);
  });

  it('image-resizer: S3 object access (s3:*) cannot be seen; the SQS poller needs are implied', () => {
    const f = observabilityFindings({
      subject: 'function image-resizer',
      observedActions: [],
      grantedActions: grantedActions(state, 'image-resizer-role'),
      dataEventSources: { 'dynamodb.amazonaws.com': 12 },
      impliedActions: [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ],
    });
    expect(f.map((x) => x.id)).toEqual(['PT-NOT-OBSERVABLE[s3-object]']);
    expect(f[0].message).toMatch(
      /^function image-resizer: S3 object-level access cannot be seen: the trail has no S3 data events \(s3\.amazonaws\.com\), and the role grants s3:GetObject, s3:GetObjectVersion, s3:PutObject, s3:DeleteObject, s3:DeleteObjectVersion and 14 more;/,
    );
  });

  it('no finding when the trail holds data events of that service, or the subject was seen using them', () => {
    const base = { subject: 'function f', grantedActions: ['s3:GetObject'], impliedActions: [] };
    expect(
      observabilityFindings({ ...base, observedActions: [], dataEventSources: { 's3.amazonaws.com': 1 } }),
    ).toEqual([]);
    expect(
      observabilityFindings({ ...base, observedActions: ['s3:GetObject'], dataEventSources: {} }),
    ).toEqual([]);
    expect(
      observabilityFindings({ ...base, observedActions: [], dataEventSources: { 's3.amazonaws.com': 0 } }),
    ).toHaveLength(1);
  });

  it('never-logged calls: info when granted and not implied; covered-by-configuration ones are named', () => {
    // Given a role granting logs:* and cloudwatch:PutMetricData; the logging rule implies PutLogEvents
    const f = observabilityFindings({
      subject: 'function f',
      observedActions: [],
      grantedActions: ['logs:*', 'cloudwatch:PutMetricData'],
      dataEventSources: {},
      impliedActions: ['logs:PutLogEvents'],
    });
    expect(f.map((x) => [x.id, x.severity])).toEqual([
      ['PT-NOT-OBSERVABLE[cloudwatch-metrics]', 'info'],
      ['PT-NOT-OBSERVABLE[logs-events]', 'info'],
    ]);
    expect(f[1].message).toBe(
      'function f: CloudWatch Logs event writes and reads are never recorded by CloudTrail, and the role grants ' +
        "logs:GetLogEvents, logs:FilterLogEvents (logs:PutLogEvents come from the function's configuration); " +
        'only implied needs or a manual review can cover them',
    );
    // And nothing when every granted one is implied
    expect(
      observabilityFindings({
        subject: 'function f',
        observedActions: [],
        grantedActions: ['logs:PutLogEvents'],
        dataEventSources: {},
        impliedActions: ['logs:PutLogEvents'],
      }),
    ).toEqual([]);
  });

  it('a role granting * gets every category', () => {
    const f = observabilityFindings({
      subject: 'role admin',
      observedActions: [],
      grantedActions: ['*'],
      dataEventSources: {},
    });
    expect(f).toHaveLength(OBSERVABILITY_CATEGORIES.length);
  });

  it('Get* style wildcards match case-insensitively', () => {
    const f = observabilityFindings({
      subject: 'function f',
      observedActions: [],
      grantedActions: ['S3:get*'],
      dataEventSources: {},
    });
    expect(f.map((x) => x.id)).toEqual(['PT-NOT-OBSERVABLE[s3-object]']);
  });
});

describe('observability data', () => {
  it('every category action exists in the IAM catalog, ids are unique, data-event kinds name their source', async () => {
    const catalog = await loadCatalog();
    const ids = new Set<string>();
    for (const c of OBSERVABILITY_CATEGORIES) {
      expect(ids.has(c.id)).toBe(false);
      ids.add(c.id);
      if (c.kind === 'data-event') expect(c.eventSource).toMatch(/\.amazonaws\.com$/);
      expect(c.refs.length).toBeGreaterThan(0);
      for (const a of c.actions) {
        await catalog.ensureService(a.split(':')[0]);
        expect(catalog.action(a)?.name).toBe(a);
      }
    }
  });
});
