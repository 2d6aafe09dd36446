/**
 * Finding the trace files to read: expands directories, skips what is not a trace (digests,
 * other files) and prunes S3-layout day folders that cannot hold events inside the time window,
 * without opening any file.
 */
import { promises as fsp, Stats } from 'fs';
import * as path from 'path';
import { InputError } from '../errors';
import type { TimeWindow } from './time-window';

/** A trace file to read. */
export interface TraceFile {
  /** Path as reached from the input given (input joined with the path below it). */
  path: string;
  /** Size on disk in bytes (compressed size for gzip files). */
  size: number;
  /** Last modification, epoch ms (whole): with the size, what a cache keys a file by. */
  mtimeMs: number;
}

/** A file (or directory) that could not be used, reported rather than thrown. */
export interface FileProblem {
  file: string;
  code: 'PT-FILE-UNREADABLE' | 'PT-FILE-NOT-CLOUDTRAIL' | 'PT-FILE-EMPTY';
  /** One line, never containing file content. */
  reason: string;
}

/** Result of {@link discoverTraceFiles}. */
export interface DiscoveryResult {
  /** Files to read, sorted by path, each file once. */
  files: TraceFile[];
  /** Files seen in directories but not taken: digests, other extensions, special files. */
  ignored: number;
  /** Trace files under S3-layout day folders lying wholly outside the window (never opened). */
  outsideWindow: number;
  /** Directories inside an input that could not be listed (an input itself that fails throws). */
  problems: FileProblem[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TRACE_EXTENSIONS = ['.json', '.json.gz', '.jsonl', '.jsonl.gz', '.ndjson'];
const DIGEST_SEGMENT = 'cloudtrail-digest';
const DIGEST_NAME_PART = '_cloudtrail-digest_';

/**
 * Lists the trace files under the given inputs.
 *
 * - An input that is a file is always taken, whatever its name: the user asked for it.
 * - A directory is searched recursively for `*.json`, `*.json.gz`, `*.jsonl`, `*.jsonl.gz` and
 *   `*.ndjson` (any case). CloudTrail digest files (a `CloudTrail-Digest` folder or
 *   `_CloudTrail-Digest_` in the name) hash other files and hold no events: they are ignored, as is
 *   everything else.
 * - Files in the S3 delivery layout `…/CloudTrail/<region>/YYYY/MM/DD/…` are pruned when their day
 *   folder lies wholly outside the window. A folder for day D holds events from about an hour
 *   before D (delivery delay) up to D+1 00:00Z, so it is pruned only when D+1 <= since or
 *   D-1 day >= until. Flat files carry no reliable date in their path and are never pruned.
 * - Symbolic links are followed, but each directory is visited once, so link loops end.
 *
 * @param inputs - files and directories, as given on the command line.
 * @param window - the time window used for pruning.
 * @throws InputError when an input does not exist or cannot be examined.
 */
export async function discoverTraceFiles(inputs: string[], window: TimeWindow): Promise<DiscoveryResult> {
  const state: WalkState = {
    window,
    byIdentity: new Map(),
    visitedDirs: new Set(),
    ignored: 0,
    outsideWindow: 0,
    problems: [],
  };

  for (const input of inputs) {
    let stats: Stats;
    try {
      stats = await fsp.stat(input);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(`trail path not found: ${input}`);
      throw new InputError(`trail path cannot be read: ${input} (${describeFsError(err)})`, { cause: err });
    }
    if (stats.isDirectory()) {
      await walkDirectory(input, stats, state, true);
    } else {
      // An explicit file is taken even if it is a digest or has another extension.
      takeFile(input, stats, state);
    }
  }

  const files = [...state.byIdentity.values()].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  return { files, ignored: state.ignored, outsideWindow: state.outsideWindow, problems: state.problems };
}

/**
 * Checks that every local trail input exists (before any slower work, such as reading the
 * account live): the same InputError that discovery would give.
 */
export async function checkTrailInputs(inputs: readonly string[]): Promise<void> {
  for (const input of inputs) {
    if (input.startsWith('s3://')) continue;
    try {
      await fsp.stat(input);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(`trail path not found: ${input}`);
      throw new InputError(`trail path cannot be read: ${input} (${describeFsError(err)})`, { cause: err });
    }
  }
}

interface WalkState {
  window: TimeWindow;
  /** Keyed by device and inode, so a file reached twice (two inputs, a link) is read once. */
  byIdentity: Map<string, TraceFile>;
  visitedDirs: Set<string>;
  ignored: number;
  outsideWindow: number;
  problems: FileProblem[];
}

async function walkDirectory(dir: string, stats: Stats, state: WalkState, isInput: boolean): Promise<void> {
  const identity = `${stats.dev}:${stats.ino}`;
  if (state.visitedDirs.has(identity)) return;
  state.visitedDirs.add(identity);

  let entries: import('fs').Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isInput) {
      throw new InputError(`trail path cannot be read: ${dir} (${describeFsError(err)})`, { cause: err });
    }
    state.problems.push({
      file: dir,
      code: 'PT-FILE-UNREADABLE',
      reason: `cannot list directory: ${describeFsError(err)}`,
    });
    return;
  }
  // Sorted so that traversal (and thus which of two hard-linked paths is kept) is deterministic.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      let dirStats: Stats;
      try {
        dirStats = await fsp.stat(full);
      } catch (err) {
        state.problems.push({
          file: full,
          code: 'PT-FILE-UNREADABLE',
          reason: `cannot list directory: ${describeFsError(err)}`,
        });
        continue;
      }
      await walkDirectory(full, dirStats, state, false);
      continue;
    }
    let fileStats: Stats | undefined;
    if (entry.isSymbolicLink()) {
      try {
        fileStats = await fsp.stat(full);
      } catch {
        state.ignored++; // A dangling link: nothing to read.
        continue;
      }
      if (fileStats.isDirectory()) {
        await walkDirectory(full, fileStats, state, false);
        continue;
      }
    }
    if (!(entry.isFile() || fileStats?.isFile()) || !isTraceFileName(full)) {
      state.ignored++;
      continue;
    }
    if (outsideWindow(full, state.window)) {
      state.outsideWindow++;
      continue;
    }
    try {
      takeFile(full, fileStats ?? (await fsp.stat(full)), state);
    } catch {
      // Removed between listing and stat: nothing to read any more.
      state.ignored++;
    }
  }
}

function takeFile(file: string, stats: Stats, state: WalkState): void {
  const key = `${stats.dev}:${stats.ino}`;
  const existing = state.byIdentity.get(key);
  // Keep the smallest path of the duplicates so the result does not depend on input order.
  if (!existing || file < existing.path)
    state.byIdentity.set(key, { path: file, size: stats.size, mtimeMs: Math.trunc(stats.mtimeMs) });
}

/**
 * Whether a file found in a directory is a trace file by name: a trace extension and not a
 * CloudTrail digest.
 *
 * @param file - the file path.
 */
export function isTraceFileName(file: string): boolean {
  const lower = file.toLowerCase();
  const segments = lower.split(/[\\/]/);
  if (segments.includes(DIGEST_SEGMENT)) return false;
  const name = segments[segments.length - 1];
  if (name.includes(DIGEST_NAME_PART)) return false;
  return TRACE_EXTENSIONS.some((ext) => name.endsWith(ext) && name.length > ext.length);
}

/**
 * The delivery day of a file in the CloudTrail S3 layout, as epoch ms of that day's UTC midnight.
 *
 * Matches `CloudTrail/<region>/YYYY/MM/DD/<file>`, whatever comes before (`AWSLogs/<account>/`,
 * `AWSLogs/<org-id>/<account>/`, a local sync folder). Returns undefined for any other path.
 *
 * @param file - the file path.
 */
export function deliveryDayOf(file: string): number | undefined {
  return deliveryDayOfSegments(path.resolve(file).split(/[\\/]/));
}

/** {@link deliveryDayOf} of a path already split into segments (an S3 key's `/` parts). */
export function deliveryDayOfSegments(segments: readonly string[]): number | undefined {
  // The day folder must be an ancestor of the file, so it can be at most the parent's position.
  for (let i = segments.length - 6; i >= 0; i--) {
    if (segments[i] !== 'CloudTrail') continue;
    const [region, y, mo, d] = segments.slice(i + 1, i + 5);
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) continue;
    if (!/^\d{4}$/.test(y) || !/^\d{2}$/.test(mo) || !/^\d{2}$/.test(d)) continue;
    const day = Date.UTC(Number(y), Number(mo) - 1, Number(d));
    // Refuse rolled-over dates (2026/02/30) instead of pruning on a wrong day.
    if (new Date(day).toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) continue;
    return day;
  }
  return undefined;
}

function outsideWindow(file: string, window: TimeWindow): boolean {
  return dayOutsideWindow(deliveryDayOf(file), window);
}

/**
 * Whether a delivery day (epoch ms of its UTC midnight) lies wholly outside the window, with a
 * day of slack each side (a delivery folder holds events up to a few minutes from its day).
 */
export function dayOutsideWindow(day: number | undefined, window: TimeWindow): boolean {
  if (!window.since && !window.until) return false;
  if (day === undefined) return false;
  if (window.since && day + DAY_MS <= window.since.getTime()) return true;
  if (window.until && day - DAY_MS >= window.until.getTime()) return true;
  return false;
}

/**
 * The message of an error-like value. Duck-typed: errors from Node internals (zlib, fs) may come from
 * another realm (jest's VM, worker threads) where `instanceof Error` is false.
 *
 * @param err - anything thrown.
 */
export function errorMessage(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
    ? (err as { message: string }).message
    : undefined;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}

/**
 * A short description of a file-system error, e.g. `permission denied (EACCES)`.
 *
 * @param err - the error thrown by `fs`.
 */
export function describeFsError(err: unknown): string {
  const code = errorCode(err);
  switch (code) {
    case 'ENOENT':
      return 'not found (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EISDIR':
      return 'is a directory (EISDIR)';
    case 'ELOOP':
      return 'too many symbolic links (ELOOP)';
    case undefined:
      return errorMessage(err) ?? 'unknown error';
    default:
      return code;
  }
}
