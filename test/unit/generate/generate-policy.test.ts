import { generatePolicy, verifyPolicies, contentSid, globMatch } from '../../../src/generate';
import { addDenied, addPermission, emptyAggregate } from '../../../src/usage';
import type { RequiredPermission, TrailEvent } from '../../../src/model';

const e: TrailEvent = {
  eventId: 'id1',
  eventTime: '2026-11-02T00:00:00Z',
  eventSource: 'x',
  eventName: 'y',
  awsRegion: 'us-east-1',
  identity: { type: 'AssumedRole' },
};

function aggOf(perms: RequiredPermission[]) {
  const agg = emptyAggregate();
  for (const p of perms) addPermission(agg, p, e);
  return agg;
}

describe('generatePolicy', () => {
  it('groups actions with identical resource sets into one statement, sorted', () => {
    // Given reads and writes on one table and a metric call without resource type
    const agg = aggOf([
      {
        action: 'dynamodb:PutItem',
        resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
        origin: 'observed',
      },
      {
        action: 'dynamodb:GetItem',
        resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
        origin: 'observed',
      },
      {
        action: 'cloudwatch:PutMetricData',
        resource: '*',
        origin: 'observed',
        wildcardReason: 'no-resource-type',
      },
    ]);
    // When the policy is generated
    const { policy, findings } = generatePolicy(agg);
    // Then there are two statements in canonical order, and the wildcard is an info finding
    expect(policy.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      [['cloudwatch:PutMetricData'], ['*']],
      [['dynamodb:GetItem', 'dynamodb:PutItem'], ['arn:aws:dynamodb:us-east-1:111122223333:table/orders']],
    ]);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['PT-WILDCARD-RESOURCE[cloudwatch:PutMetricData]', 'info'],
    ]);
  });

  it('lets an unresolved * absorb the action’s other resources and reports it as a warning', () => {
    const agg = aggOf([
      { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', origin: 'observed' },
      {
        action: 's3:GetObject',
        resource: '*',
        origin: 'observed',
        wildcardReason: 'no resource ARN in the event',
      },
    ]);
    const { policy, findings } = generatePolicy(agg);
    expect(policy.Statement[0].Resource).toEqual(['*']);
    expect(findings[0]).toMatchObject({ id: 'PT-WILDCARD-RESOURCE[s3:GetObject]', severity: 'warning' });
  });

  it('excludes denied calls unless asked, and lists them either way', () => {
    const agg = emptyAggregate();
    addDenied(
      agg,
      {
        action: 'dynamodb:DeleteItem',
        resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/t',
        origin: 'observed',
      },
      e,
    );
    expect(generatePolicy(agg).policy.Statement).toEqual([]);
    expect(generatePolicy(agg).findings.map((f) => f.id)).toEqual(['PT-DENIED-CALL[dynamodb:DeleteItem]']);
    expect(generatePolicy(agg, { includeDenied: true }).policy.Statement[0].Action).toEqual([
      'dynamodb:DeleteItem',
    ]);
  });

  it('derives Sids from content only', () => {
    expect(contentSid(['s3:GetObject'], ['arn:aws:s3:::b/k'])).toBe(
      contentSid(['s3:GetObject'], ['arn:aws:s3:::b/k']),
    );
    expect(contentSid(['s3:GetObject'], ['arn:aws:s3:::b/k'])).not.toBe(
      contentSid(['s3:GetObject'], ['arn:aws:s3:::b/j']),
    );
    expect(contentSid(['s3:GetObject', 'sqs:SendMessage'], ['*'])).toMatch(/^S3Sqs[0-9A-F]{8}$/);
  });
});

describe('verifyPolicies', () => {
  const policy = {
    Version: '2012-10-17' as const,
    Statement: [{ Effect: 'Allow' as const, Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/in/*'] }],
  };
  it('passes allowed calls and reports the rest and unknown actions', () => {
    expect(
      verifyPolicies([policy], [{ action: 's3:getobject', resource: 'arn:aws:s3:::b/in/x' }], () => true),
    ).toEqual([]);
    expect(
      verifyPolicies([policy], [{ action: 's3:GetObject', resource: 'arn:aws:s3:::b/out/x' }], () => false),
    ).toEqual(['not allowed: s3:GetObject on arn:aws:s3:::b/out/x', 'unknown action: s3:GetObject']);
  });
  it('matches IAM wildcards', () => {
    expect(globMatch('arn:aws:s3:::b/?n/*', 'arn:aws:s3:::b/in/a/b', false)).toBe(true);
    expect(globMatch('arn:aws:s3:::B/*', 'arn:aws:s3:::b/x', false)).toBe(false);
    expect(globMatch('S3:Get*', 's3:GetObject', true)).toBe(true);
  });
});
