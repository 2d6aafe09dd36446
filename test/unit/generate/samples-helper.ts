import { loadCatalog, type Catalog } from '../../../src/catalog/catalog';
import { ensureCatalogServices } from '../../../src/generate';
import type { UsageAggregate } from '../../../src/model';
import { runGenerate } from '../../../src/pipeline/run-generate';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../../helpers/cli';

export const SAMPLE_FUNCTIONS = ['orders-api', 'image-resizer', 'report-daily', 'report-weekly'];

const cache = new Map<string, Promise<{ usage: UsageAggregate; catalog: Catalog }>>();

/** The usage of a sample function, with a catalog that has its services loaded (memoised). */
export function sampleUsage(fn: string): Promise<{ usage: UsageAggregate; catalog: Catalog }> {
  let p = cache.get(fn);
  if (!p) cache.set(fn, (p = computeSampleUsage(fn)));
  return p;
}

async function computeSampleUsage(fn: string): Promise<{ usage: UsageAggregate; catalog: Catalog }> {
  const catalog = await loadCatalog();
  const result = await runGenerate({
    function: fn,
    trails: [SAMPLE_TRAIL],
    accountSnapshot: SAMPLE_ACCOUNT,
    window: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    catalog,
  });
  await ensureCatalogServices(result.usage, catalog);
  return { usage: result.usage, catalog };
}
