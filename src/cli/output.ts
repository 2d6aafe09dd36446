import { accessSync, constants, statSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors';
import type { CliIo } from './io';

/**
 * Checks, before any analysis runs, that `--<option> FILE` can be written: not a directory, its
 * nearest existing parent a writable directory (missing ones are created when writing).
 * @throws UsageError naming the option and the path.
 */
export function checkOutputFile(option: string, file: string): void {
  if (file === '-') return;
  const shown = JSON.stringify(file.slice(0, 200));
  const stat = statOf(file);
  if (stat?.isDirectory()) throw new UsageError(`--${option} ${shown} is a directory: name a file`);
  let parent = dirname(resolve(file));
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
    accessSync(stat ? file : parent, constants.W_OK);
  } catch {
    throw new UsageError(`--${option} ${shown}: ${JSON.stringify(stat ? file : parent)} is not writable`);
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
 * Writes `text` to `file` atomically: a temporary file beside it, renamed over it; the temporary
 * file is removed when the write or the rename fails.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
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
