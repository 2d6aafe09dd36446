import { loadCatalog } from '../../src/catalog/catalog';
import { runGenerate } from '../../src/pipeline/run-generate';
import { runReport } from '../../src/pipeline/run-report';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../helpers/cli';

/**
 * The account pass of `report --unused` keeps actions, not resources (process-file.ts, Detail):
 * its memory grows with principals × actions. It must still see every action the resource-level
 * pass of `generate` sees for the same role.
 */
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };

test('each principal of the report has one entry per action, and the same actions as generate', async () => {
  const catalog = await loadCatalog();
  const { account } = await runReport({
    trails: [SAMPLE_TRAIL],
    accountSnapshot: SAMPLE_ACCOUNT,
    window: WINDOW,
    catalog,
  });
  const principals = Object.entries(account.principals);
  expect(principals.length).toBeGreaterThan(3);
  for (const [, p] of principals) {
    const entries = Object.values(p.usage.entries);
    expect(entries.every((e) => e.resource === '*')).toBe(true);
    expect(new Set(entries.map((e) => e.action)).size).toBe(entries.length);
  }

  const generated = await runGenerate({
    function: 'orders-api',
    region: 'us-east-1',
    trails: [SAMPLE_TRAIL],
    accountSnapshot: SAMPLE_ACCOUNT,
    window: WINDOW,
    catalog,
  });
  // Calls seen in the trail (implied needs, count 0, are the report's business elsewhere).
  const byResource = Object.values(generated.usage.entries).filter((e) => e.count > 0);
  // The samples' function touches several resources of one action: the report's entries are fewer.
  expect(new Set(byResource.map((e) => e.action)).size).toBeLessThan(byResource.length);
  const role = principals.find(([k]) => k.endsWith(':role/orders-api-role'));
  expect(role).toBeDefined();
  const actions = (entries: { action: string }[]) => [...new Set(entries.map((e) => e.action))].sort();
  expect(actions(Object.values(role![1].usage.entries))).toEqual(actions(byResource));
});
