import { runGenerate } from '../../src/pipeline/run-generate';
import { renderCanonicalJson, renderPolicyJson } from '../../src/render';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../helpers/cli';

/**
 * Non-negotiable 3: same input, same bytes. Files finish in a different order with more of them
 * in flight (and, later, across workers); the merged result must not depend on it.
 */
describe.each(['orders-api', 'image-resizer', 'report-daily'])('%s', (fn) => {
  it('gives byte-identical policy, usage and findings whatever the number of files in flight', async () => {
    const render = async (concurrency: number) => {
      const r = await runGenerate({
        function: fn,
        trails: [SAMPLE_TRAIL],
        accountSnapshot: SAMPLE_ACCOUNT,
        window: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
        concurrency,
        granularity: 'exact',
      });
      return (
        renderPolicyJson({ policies: r.policies }) + renderCanonicalJson([r.usage, r.findings, r.origins])
      );
    };
    const one = await render(1);
    expect(await render(4)).toBe(one);
    expect(await render(16)).toBe(one);
  });
});
