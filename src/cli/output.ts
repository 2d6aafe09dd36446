import { accessSync, constants, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ExitCode, PolicyTightenError, UsageError } from '../errors';
import type { CliIo } from './io';

/** A result could not be written (exit 1): one line naming the file, never an internal error. */
export class OutputError extends PolicyTightenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.FAILURE, 'user', options);
  }
}

function statOf(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * The nearest existing ancestor of `target` (itself excluded), checked to be a writable
 * directory: what must hold for `target` to be created there.
 * @throws UsageError naming `--<option>`.
 */
function checkParent(option: string, given: string, target: string): void {
  const shown = JSON.stringify(given.slice(0, 200));
  let parent = dirname(target);
  for (;;) {
    const s = statOf(parent);
    if (s && !s.isDirectory())
      throw new UsageError(`--${option} ${shown}: ${JSON.stringify(parent)} is a file, not a directory`);
    if (s) break;
    const up = dirname(parent);
    if (up === parent) break;
    parent = up;
  }
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`--${option} ${shown}: ${JSON.stringify(parent)} is not writable`);
  }
}

/**
 * Checks, before any analysis runs, that `--<option> FILE` can be written: not a directory, and
 * either a writable file or creatable (missing parents are made when writing).
 * @throws UsageError naming the option and the path.
 */
export function checkOutputFile(option: string, file: string): void {
  if (file === '-') return;
  const target = resolve(file);
  const stat = statOf(target);
  if (stat?.isDirectory())
    throw new UsageError(`--${option} ${JSON.stringify(file.slice(0, 200))} is a directory: name a file`);
  if (!stat) return checkParent(option, file, target);
  try {
    accessSync(target, constants.W_OK);
  } catch {
    throw new UsageError(`--${option} ${JSON.stringify(file.slice(0, 200))} is not writable`);
  }
}

/**
 * Checks, before any analysis runs, that `--<option> DIR` is a writable directory or can be
 * created. Creates nothing.
 * @throws UsageError naming the option and the path.
 */
export function checkOutputDir(option: string, dir: string): void {
  const shown = JSON.stringify(dir.slice(0, 200));
  if (dir.trim() === '' || dir === '-') throw new UsageError(`--${option} needs a directory path`);
  const target = resolve(dir);
  const stat = statOf(target);
  if (stat && !stat.isDirectory()) throw new UsageError(`--${option} ${shown} is a file, not a directory`);
  if (!stat) return checkParent(option, dir, target);
  try {
    accessSync(target, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`--${option} ${shown} is not writable`);
  }
}

let tmpCount = 0;

/**
 * Writes `text` to `file` atomically: a hidden temporary file in the same directory, renamed over
 * `file`. On failure the temporary file is removed, so nothing half-written is left behind.
 * @throws OutputError naming the file.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${++tmpCount}.tmp`);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new OutputError(`cannot write ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/** Writes a result to `--out` (atomically, writeFileAtomic) or to stdout. */
export async function writeOutput(io: CliIo, out: string | undefined, text: string): Promise<void> {
  if (out === undefined || out === '-') {
    io.stdout(text);
    return;
  }
  await writeFileAtomic(out, text);
}
