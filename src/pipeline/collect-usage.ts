import { discoverUnits, type SourceDeps } from '../sources';
import type { Correlation, UsageAggregate } from '../model';
import { addCorrelation, addFinding, emptyAggregate, mergeAggregate, resolveCorrelations } from '../usage';
import { fileFinding, processFile, type ProcessContext } from './process-file';
import { processQueryResult } from './process-rows';

/** Progress callback: files done of total. */
export type Progress = (done: number, total: number) => void;

/** Options of {@link collectUsage}. */
export interface CollectOptions {
  progress?: Progress;
  /**
   * Files in flight at once. Reading and gunzip run on libuv's thread pool while the main
   * thread parses, so a few files in flight keep both busy; memory stays bounded by
   * `concurrency` files. @default 4
   */
  concurrency?: number;
  /**
   * Resources known from the account state rather than the trail (an instance profile's role),
   * resolved like the trail's own correlations once every file is read.
   */
  correlations?: readonly Correlation[];
  /** Clients of the remote trail sources (`s3://` inputs). */
  sources?: SourceDeps;
}

/**
 * Discovers the trace files under `inputs`, processes them and merges their aggregates. The
 * merge is order-independent, so the result does not depend on which file finishes first.
 */
export async function collectUsage(
  inputs: readonly string[],
  ctx: ProcessContext,
  options: CollectOptions = {},
): Promise<UsageAggregate> {
  const found = await discoverUnits(inputs, ctx.window, options.sources);
  const agg = emptyAggregate();
  agg.stats.filesIgnored = found.ignored;
  agg.stats.filesOutsideWindow = found.outsideWindow;
  for (const p of found.problems) {
    agg.stats.filesSkipped++;
    addFinding(agg, fileFinding(p.file, p.code, p.reason));
  }

  const files = found.units;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      mergeAggregate(agg, await processFile(file.source, ctx));
      options.progress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  const query = options.sources?.query;
  if (query) {
    const result = await query.run({
      target: ctx.target,
      window: ctx.window,
      now: options.sources?.now ?? new Date(),
    });
    mergeAggregate(agg, await processQueryResult(result, ctx));
  }
  for (const c of options.correlations ?? []) addCorrelation(agg, c);
  resolveCorrelations(agg);
  return agg;
}
