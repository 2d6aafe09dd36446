import { loadCatalog } from '../../src/catalog/catalog';
import type { PolicyDocument } from '../../src/model';
import { runGenerate } from '../../src/pipeline/run-generate';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL, sampleRecordsOf } from '../helpers/cli';
import { replayRecords } from '../helpers/replay';

/**
 * The replay can fail: a policy whose condition names another service than the one that made the
 * calls, or whose prefix is not the one listed, is caught (a control for the replay tests).
 */
describe('replay of raw records (control)', () => {
  const window = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };

  it.each([
    ['orders-api', 'kms:ViaService', 'sqs.us-east-1.amazonaws.com'],
    ['report-weekly', 's3:prefix', 'monthly/'],
  ])('%s: a wrong %s is denied', async (fn, key, wrong) => {
    const catalog = await loadCatalog();
    const result = await runGenerate({
      function: fn,
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window,
      catalog,
    });
    const records = sampleRecordsOf(fn);
    expect((await replayRecords(records, result.policies, result.usage, catalog)).denied).toEqual([]);
    // Given the same policy with the condition's values replaced
    const tampered = JSON.parse(JSON.stringify(result.policies)) as PolicyDocument[];
    let replaced = 0;
    for (const s of tampered.flatMap((p) => p.Statement))
      for (const op of Object.values(s.Condition ?? {}))
        if (key in op) {
          op[key] = [wrong];
          replaced++;
        }
    expect(replaced).toBeGreaterThan(0);
    // Then the replay reports the calls it would deny, with their context
    const replay = await replayRecords(records, tampered, result.usage, catalog);
    expect(replay.withContext).toBeGreaterThan(0);
    expect(replay.denied.length).toBeGreaterThan(0);
    expect(replay.denied.every((d) => d.includes(key))).toBe(true);
  });
});
