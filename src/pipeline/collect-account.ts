import type { Mapper } from '../analyze';
import type { ByteSource, TimeWindow } from '../ingest';
import { discoverUnits, type TraceUnit } from '../sources';
import type { AccountAggregate } from '../model';
import { addFinding, emptyAccountAggregate, mergeAccountAggregate, resolveCorrelations } from '../usage';
import type { CollectOptions } from './collect-usage';
import { ReportCache } from './report-cache';
import { fileFinding, recordNowOrKeep, scanFile } from './process-file';
import { processAccountQueryResult } from './process-rows';
import { lanesOf, openPool, runUnit, threadsFor, type Lane } from './worker-pool';
import { isAccountEvent, recordAccountEvent, recordAccountPrepared } from './account-event';

/** What the account-wide pass needs per file. */
export interface AccountContext {
  window: TimeWindow;
  mapper: Mapper;
  maxBufferedBytes?: number;
}

/**
 * Reads one trace file for every principal at once: each role session's and IAM user's calls go
 * to that principal's usage (and, for a role, to its session's activity); Lambda `Invoke` data
 * events count as invocations of the function they name. The unit of work of the account pass.
 */
export async function processAccountFile(
  path: string | ByteSource,
  ctx: AccountContext,
): Promise<AccountAggregate> {
  const agg = emptyAccountAggregate();
  const kept = await scanFile(
    path,
    agg.base,
    ctx.window,
    (event) =>
      isAccountEvent(event) &&
      recordNowOrKeep(event, ctx.mapper, () => recordAccountPrepared(agg, event, ctx.mapper)),
    ctx.maxBufferedBytes,
  );
  for (const event of kept) await recordAccountEvent(agg, event, ctx.mapper);
  return agg;
}

/**
 * Discovers the trace files under `inputs` and reads them once for the whole account, merging
 * per-file aggregates (order-independent). Correlations resolve per principal at the end.
 */
export async function collectAccountUsage(
  inputs: readonly string[],
  ctx: AccountContext,
  options: Pick<CollectOptions, 'progress' | 'concurrency' | 'sources' | 'workers'> & {
    cache?: ReportCache;
  } = {},
): Promise<AccountAggregate> {
  const found = await discoverUnits(inputs, ctx.window, options.sources);
  const agg = emptyAccountAggregate();
  agg.base.stats.filesIgnored = found.ignored;
  agg.base.stats.filesOutsideWindow = found.outsideWindow;
  for (const p of found.problems) {
    agg.base.stats.filesSkipped++;
    addFinding(agg.base, fileFinding(p.file, p.code, p.reason));
  }
  const files = found.units;
  const threads = threadsFor(options.workers ?? 1, files);
  const pool = openPool(threads, files);
  const lanes = lanesOf(pool, threads, options.concurrency ?? 4, 1);
  const base = {
    window: ctx.window,
    ...(ctx.maxBufferedBytes !== undefined ? { maxBufferedBytes: ctx.maxBufferedBytes } : {}),
  };
  const one = (unit: TraceUnit, lane: Lane) =>
    runUnit(pool, lane, unit, base, () => processAccountFile(unit.source, ctx));
  let next = 0;
  let done = 0;
  const { cache } = options;
  try {
    if (!cache) {
      const worker = async (lane: Lane) => {
        while (next < files.length) {
          const file = files[next++];
          mergeAccountAggregate(agg, await one(file, lane));
          options.progress?.(++done, files.length);
        }
      };
      await Promise.all(lanes.slice(0, files.length).map(worker));
    } else {
      // With a cache, the unit is a delivery folder (a day of one region): cached, or read whole.
      const folders = new Map<string, TraceUnit[]>();
      for (const f of files) folders.set(f.folder, [...(folders.get(f.folder) ?? []), f]);
      const groups = [...folders].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const worker = async (lane: Lane) => {
        while (next < groups.length) {
          const [dir, units] = groups[next++];
          const stamps = ReportCache.stamps(units);
          let day = await cache.get(dir, stamps, ctx.window);
          if (!day) {
            day = emptyAccountAggregate();
            for (const u of units) mergeAccountAggregate(day, await one(u, lane));
            cache.stats.filesRead += units.length;
            await cache.put(dir, stamps, day);
          }
          mergeAccountAggregate(agg, day);
          done += units.length;
          options.progress?.(done, files.length);
        }
      };
      await Promise.all(lanes.slice(0, groups.length).map(worker));
    }
  } finally {
    await pool?.close();
  }
  const query = options.sources?.query;
  if (query) {
    const result = await query.run({ window: ctx.window, now: options.sources?.now ?? new Date() });
    mergeAccountAggregate(agg, await processAccountQueryResult(result, ctx));
  }
  for (const p of Object.values(agg.principals)) resolveCorrelations(p.usage);
  return agg;
}
