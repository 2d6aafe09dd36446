/**
 * Parallel ingestion: trace units read and mapped by this thread and worker threads (piscina),
 * as many threads as the machine has cores by default, with a bounded number of units in flight
 * (back-pressure: the main thread fetches the next S3 object only when a worker is free). Local
 * files are read by the worker itself; remote units' bytes are fetched by the main thread and
 * transferred.
 *
 * The workers run the compiled `file-worker.js`; where there is none (the TypeScript sources run
 * by the test runner), units are processed in this thread instead, with the same result.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { TraceUnit } from '../sources';
import type { FileTask } from './file-worker';

/** Threads by default: one per core, at most 8 (this thread and the workers). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** The compiled worker script, when this module runs compiled. */
function workerScript(): string | undefined {
  const file = path.join(__dirname, 'file-worker.js');
  return __filename.endsWith('.js') && existsSync(file) ? file : undefined;
}

/** Runs tasks in worker threads; `undefined` when workers cannot run here (see the header). */
export interface FilePool {
  run(task: FileTask): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Trails smaller than this are read in this thread: starting workers (each loads the IAM
 * catalog) costs more than they save on a few megabytes.
 */
export const MIN_POOL_BYTES = 16 * 1024 * 1024;

/** Each worker's young generation (V8's nursery), in MB. */
const WORKER_YOUNG_GENERATION_MB = 4;

/** Worker threads asked for: a number, or `auto` (one per core, for trails of MIN_POOL_BYTES and more). */
export type Workers = number | 'auto';

/** How many threads `workers` means for `units` (1: this thread). */
export function threadsFor(workers: Workers, units: readonly TraceUnit[]): number {
  if (workers !== 'auto') return Math.max(1, workers);
  return units.reduce((n, u) => n + u.size, 0) < MIN_POOL_BYTES ? 1 : defaultWorkers();
}

/**
 * The workers of `threads` threads: this thread reads units too, so `threads − 1` workers (none:
 * undefined, as for one unit or no compiled worker script).
 */
export function openPool(threads: number, units: readonly TraceUnit[]): FilePool | undefined {
  const script = workerScript();
  if (threads <= 1 || !script || units.length < 2) return undefined;
  const workers = threads - 1;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Piscina } = require('piscina') as typeof import('piscina');
  const pool = new Piscina({
    filename: script,
    minThreads: workers,
    maxThreads: workers,
    // Two units in a worker at once: one is scanned while the other is read and gunzipped, and
    // the worker never waits for this thread (busy with its own unit) to hand it the next one.
    concurrentTasksPerWorker: UNITS_PER_WORKER,
    idleTimeout: 1000,
    // A small young generation: each worker allocates a string and a buffer per file, and V8's
    // default nursery let the RSS grow by about 50 MB a worker (5,000,000 events, two workers:
    // 351 MB with the default, 251 MB with this, for 2% more time; docs/performance.md).
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  return {
    run: (task) =>
      pool.run(task, task.bytes ? { transferList: [task.bytes.buffer as ArrayBuffer] } : undefined),
    close: () => pool.destroy(),
  };
}

/** Units a worker holds at once (see openPool). */
const UNITS_PER_WORKER = 2;

/** Where a lane runs its units: in this thread, or in the pool's workers. */
export type Lane = 'here' | 'pool';

/**
 * The lanes that take units one after the other until none is left. With a pool: `here` lanes
 * in this thread (they start at once, while the workers boot) and UNITS_PER_WORKER per worker;
 * without: `concurrency` lanes in this thread.
 *
 * @param here - units this thread holds beside the workers: by default as many as a worker (one
 *   is scanned while the other is read and gunzipped on libuv's threads). The account pass,
 *   which parses every record, keeps one: a second gained it little and cost 30 MB of peak RSS.
 */
export function lanesOf(
  pool: FilePool | undefined,
  threads: number,
  concurrency: number,
  here = UNITS_PER_WORKER,
): Lane[] {
  if (!pool) return Array.from({ length: Math.max(1, concurrency) }, () => 'here');
  return [
    ...Array.from({ length: here }, (): Lane => 'here'),
    ...Array.from({ length: UNITS_PER_WORKER * (threads - 1) }, (): Lane => 'pool'),
  ];
}

/** Remote units up to this size go to a worker as bytes; larger ones stream in this thread. */
const MAX_TRANSFER_BYTES = 64 * 1024 * 1024;

/**
 * The task of a unit: a local path, or its bytes fetched here. Undefined when the unit is better
 * read in this thread: too big to hold (it streams), or its fetch failed (the reader then says
 * why, as for any unreadable unit).
 */
export async function taskOf(unit: TraceUnit, base: Omit<FileTask, 'name'>): Promise<FileTask | undefined> {
  if (unit.local) return { ...base, name: unit.name, path: unit.name };
  if (unit.size > MAX_TRANSFER_BYTES) return undefined;
  let bytes: Buffer;
  try {
    bytes = await unit.source.readAll();
  } catch {
    return undefined;
  }
  // A fresh copy the transfer can take (the buffer may be a slice of a shared pool).
  return { ...base, name: unit.name, bytes: new Uint8Array(bytes) };
}

/**
 * One unit's aggregate: in a worker of `pool` when there is one and the unit can go there
 * (taskOf), else in this thread (`here`).
 */
export async function runUnit<T>(
  pool: FilePool | undefined,
  lane: Lane,
  unit: TraceUnit,
  base: Omit<FileTask, 'name'>,
  here: () => Promise<T>,
): Promise<T> {
  const task = pool && lane === 'pool' ? await taskOf(unit, base) : undefined;
  return task && pool ? ((await pool.run(task)) as T) : here();
}
