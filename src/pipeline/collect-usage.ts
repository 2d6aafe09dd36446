import { discoverUnits, type SourceDeps } from '../sources';
import type { Correlation, UsageAggregate } from '../model';
import { addCorrelation, addFinding, emptyAggregate, mergeAggregate, resolveCorrelations } from '../usage';
import { fileFinding, processFile, type ProcessContext } from './process-file';
import { processQueryResult } from './process-rows';
import { lanesOf, openPool, runUnit, threadsFor, type Lane, type Workers } from './worker-pool';

/** Progress callback: files done of total, and the bytes read of a file being streamed. */
export type Progress = (done: number, total: number, bytes?: { read: number; size: number }) => void;

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
  /**
   * Worker threads that read and map the units (worker-pool.ts); 1 reads them in this thread,
   * `auto` one per core for a large trail. The result is the same bytes whatever the number.
   * @default 1
   */
  workers?: Workers;
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
  const threads = threadsFor(options.workers ?? 1, files);
  const pool = openPool(threads, files);
  const lanes = lanesOf(pool, threads, options.concurrency ?? 4);
  const base = {
    target: ctx.target,
    window: ctx.window,
    ...(ctx.maxBufferedBytes !== undefined ? { maxBufferedBytes: ctx.maxBufferedBytes } : {}),
  };
  let next = 0;
  let done = 0;
  const worker = async (lane: Lane) => {
    while (next < files.length) {
      const file = files[next++];
      const progress = options.progress;
      const here = progress
        ? { ...ctx, onBytes: (read: number, size: number) => progress(done, files.length, { read, size }) }
        : ctx;
      mergeAggregate(agg, await runUnit(pool, lane, file, base, () => processFile(file.source, here)));
      options.progress?.(++done, files.length);
    }
  };
  try {
    await Promise.all(lanes.slice(0, files.length).map(worker));
  } finally {
    await pool?.close();
  }
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
