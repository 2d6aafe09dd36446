import { loadCatalog } from '../../src/catalog/catalog';
import { runGenerate } from '../../src/pipeline/run-generate';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL, sampleRecordsOf } from '../helpers/cli';
import { replayRecords } from '../helpers/replay';
import { simulate } from '../property/simulate';

/**
 * Non-negotiable 1, checked by an independent IAM evaluator (@cloud-copilot/iam-simulate, a
 * devDependency): the generated policy allows every successful call of the function in the
 * trail, each with the request context AWS evaluates (kms:ViaService, s3:prefix), and what its
 * configuration needs outside any call.
 */
describe.each(['orders-api', 'image-resizer', 'report-daily', 'report-weekly'])('%s', (fn) => {
  it('the generated policy allows every observed successful call (iam-simulate)', async () => {
    const catalog = await loadCatalog();
    const result = await runGenerate({
      function: fn,
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
      catalog,
    });
    const replay = await replayRecords(sampleRecordsOf(fn), result.policies, result.usage, catalog);
    expect(replay.checked).toBeGreaterThan(3);
    const denied = [...replay.denied];
    for (const e of Object.values(result.usage.entries).filter((x) => x.count === 0)) {
      const decision = await simulate(result.policies, e.action, e.resource);
      if (decision !== 'Allowed') denied.push(`${e.action} on ${e.resource}: ${decision}`);
    }
    expect(denied).toEqual([]);
  });
});
