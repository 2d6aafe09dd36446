import { discoverTraceFiles } from '../ingest';
import type { UsageAggregate } from '../model';
import { addFinding, emptyAggregate, mergeAggregate } from '../usage';
import { processFile, type ProcessContext } from './process-file';

/** Progress callback: files done of total. */
export type Progress = (done: number, total: number) => void;

/**
 * Discovers the trace files under `inputs`, processes each and merges their aggregates. Files
 * are processed one at a time (bounded memory); the per-file aggregates are what a parallel
 * version distributes to workers.
 */
export async function collectUsage(
  inputs: readonly string[],
  ctx: ProcessContext,
  progress?: Progress,
): Promise<UsageAggregate> {
  const found = await discoverTraceFiles([...inputs], ctx.window);
  const agg = emptyAggregate();
  agg.stats.filesIgnored = found.ignored;
  agg.stats.filesOutsideWindow = found.outsideWindow;
  for (const p of found.problems) {
    agg.stats.filesSkipped++;
    addFinding(agg, {
      id: `${p.code}[${p.file}]`,
      code: p.code,
      severity: 'warning',
      message: p.reason,
      count: 1,
      sampleEventIds: [],
      file: p.file,
    });
  }
  let done = 0;
  for (const file of found.files) {
    mergeAggregate(agg, await processFile(file.path, ctx));
    progress?.(++done, found.files.length);
  }
  return agg;
}
