import type {
  AddedEntry,
  Evidence,
  Grant,
  KeptEntry,
  NarrowedEntry,
  NotObservableEntry,
  PolicyDiff,
  RemovedEntry,
} from '../../../src/diff/types';
import type { Finding, PolicyDocument, RunStats } from '../../../src/model';
import type { ReviewInput } from '../../../src/render/markdown';

/** Hand-built PolicyDiff fixtures for the Markdown renderer. */

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/orders-api-role';

export function stats(over: Partial<RunStats> = {}): RunStats {
  return {
    filesRead: 30,
    filesSkipped: 0,
    filesOutsideWindow: 2,
    filesIgnored: 1,
    eventsRead: 12345,
    malformedEvents: 0,
    eventsOutsideWindow: 10,
    attributed: 500,
    mapped: 480,
    excludedFailed: 12,
    denied: 2,
    unmapped: 1,
    noPermissionNeeded: 7,
    rejected: 0,
    otherFunctionEvents: 0,
    ...over,
  };
}

export function evidence(over: Partial<Evidence> = {}): Evidence {
  return {
    count: 42,
    firstSeen: '2026-05-02T10:00:00Z',
    lastSeen: '2026-05-30T12:00:00Z',
    origins: ['observed'],
    notes: [],
    ...over,
  };
}

export function grant(over: Partial<Grant> = {}): Grant {
  return {
    policy: 'inline:orders-api-runtime',
    sid: 'Runtime',
    resources: ['*'],
    conditional: false,
    ...over,
  };
}

export function removed(action: string, over: Partial<RemovedEntry> = {}): RemovedEntry {
  return {
    action,
    service: action.split(':')[0],
    accessLevel: 'Write',
    grants: [grant()],
    ...over,
  };
}

export function narrowed(action: string, over: Partial<NarrowedEntry> = {}): NarrowedEntry {
  return {
    action,
    service: action.split(':')[0],
    accessLevel: 'Read',
    from: ['*'],
    to: ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'],
    grants: [grant()],
    evidence: evidence(),
    ...over,
  };
}

export function kept(action: string, over: Partial<KeptEntry> = {}): KeptEntry {
  return {
    action,
    service: action.split(':')[0],
    accessLevel: 'Write',
    resources: ['arn:aws:sqs:eu-west-1:123456789012:orders'],
    evidence: evidence(),
    ...over,
  };
}

export function added(action: string, over: Partial<AddedEntry> = {}): AddedEntry {
  return {
    action,
    service: action.split(':')[0],
    accessLevel: 'Write',
    resources: ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders-api:*'],
    reason: 'implied-not-granted',
    evidence: evidence({ count: 0, origins: ['implied-by-config'], notes: ['Lambda writes its logs'] }),
    ...over,
  };
}

export function notObservable(action: string, over: Partial<NotObservableEntry> = {}): NotObservableEntry {
  return {
    action,
    service: action.split(':')[0],
    accessLevel: 'Read',
    category: 's3-object',
    what: 'S3 object-level access',
    kept: true,
    grants: [grant()],
    ...over,
  };
}

export function finding(id: string, over: Partial<Finding> = {}): Finding {
  return {
    id,
    code: 'PT-UNMAPPED',
    severity: 'warning',
    message: `unmapped call ${id}`,
    count: 3,
    sampleEventIds: ['e1'],
    ...over,
  };
}

export const PROPOSAL: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DynamoDbRead',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'],
    },
  ],
};

/** A typical diff: removals at several access levels, one of each other kind. */
export function diff(over: Partial<PolicyDiff> = {}): PolicyDiff {
  return {
    schemaVersion: 1,
    target: { display: 'function orders-api', roleArn: ROLE_ARN, roleName: 'orders-api-role' },
    window: {
      since: '2026-05-01T00:00:00Z',
      until: '2026-05-31T00:00:00Z',
      days: 30,
      requiredDays: 14,
      coverage: { first: '2026-05-01T00:03:00Z', last: '2026-05-30T23:58:00Z' },
    },
    current: {
      policies: [
        { kind: 'inline', name: 'inline:orders-api-runtime' },
        {
          kind: 'aws-managed',
          name: 'AmazonDynamoDBFullAccess',
          arn: 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
          versionId: 'v3',
        },
      ],
      unknown: [],
    },
    counts: {
      grantedActions: 10,
      usedActions: 3,
      removedActions: 4,
      narrowedActions: 1,
      keptActions: 1,
      addedActions: 1,
      notObservableActions: 1,
      removedShare: 0.4,
    },
    removed: [
      removed('s3:DeleteBucket'),
      removed('iam:PassRole', { accessLevel: 'Permissions management' }),
      removed('dynamodb:Scan', {
        accessLevel: 'Read',
        grants: [grant({ policy: 'AmazonDynamoDBFullAccess', sid: undefined })],
      }),
      removed('s3:PutBucketPolicy', { accessLevel: 'Permissions management', blockedByBoundary: true }),
    ],
    narrowed: [narrowed('dynamodb:GetItem')],
    kept: [kept('sqs:SendMessage')],
    added: [added('logs:PutLogEvents')],
    notObservable: [notObservable('s3:GetObject')],
    guardrails: [],
    boundaryBlocks: [],
    refusals: [],
    safeToRemove: true,
    noNewAccess: { holds: true, exceptions: [] },
    changed: true,
    textDiff:
      '--- current\n+++ proposed\n@@ -1,3 +1,3 @@\n-  "Action": "*"\n+  "Action": "dynamodb:GetItem"\n',
    ...over,
  };
}

export function review(over: Partial<ReviewInput> = {}, diffOver: Partial<PolicyDiff> = {}): ReviewInput {
  return {
    diff: diff(diffOver),
    policies: [PROPOSAL],
    findings: [finding('PT-UNMAPPED[foo.amazonaws.com:DoThing]')],
    stats: stats(),
    marker: 'orders-api',
    ...over,
  };
}
