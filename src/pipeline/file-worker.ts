/**
 * The work of one trace unit in a worker thread (worker-pool.ts): read it (a local path, or bytes
 * the main thread fetched from S3 or LookupEvents) and return its usage aggregate, for one target
 * or for the whole account. Each worker loads the IAM catalog once and keeps its own mapper; the
 * aggregates are plain data and merge order-independently, so any number of workers gives the
 * same bytes.
 */
import { createMapper, type Mapper } from '../analyze';
import type { Target } from '../attribution';
import { loadCatalog } from '../catalog';
import { localSource, memorySource, type TimeWindow } from '../ingest';
import type { AccountAggregate, UsageAggregate } from '../model';
import { processAccountFile } from './collect-account';
import { processFile } from './process-file';

/** One unit of work, as it crosses to a worker (structured clone). */
export interface FileTask {
  /** What findings call it. */
  name: string;
  /** A local file, read by the worker… */
  path?: string;
  /** …or its bytes, read by the main thread (S3 objects, LookupEvents pages). */
  bytes?: Uint8Array;
  /** The target's pass, or (absent) the account's. */
  target?: Target;
  window: TimeWindow;
  maxBufferedBytes?: number;
}

let mapper: Promise<Mapper> | undefined;

/** Runs one task (the worker's entry point). */
export default async function runFileTask(task: FileTask): Promise<UsageAggregate | AccountAggregate> {
  const m = await (mapper ??= loadCatalog().then(createMapper));
  const source = task.bytes ? memorySource(task.name, task.bytes) : localSource(task.path ?? task.name);
  const limit = task.maxBufferedBytes !== undefined ? { maxBufferedBytes: task.maxBufferedBytes } : {};
  return task.target
    ? processFile(source, { target: task.target, window: task.window, mapper: m, ...limit })
    : processAccountFile(source, { window: task.window, mapper: m, ...limit });
}
