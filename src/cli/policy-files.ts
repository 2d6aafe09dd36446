/**
 * Writing the proposal into a repository (`--out FILE`), so that the pull request's diff is the
 * review: an existing JSON policy file is updated in place (its indentation kept, so only the
 * permissions show as changed); split policies get one file per document (`FILE`, `FILE-2` …),
 * and numbered files left over from an earlier, larger split are removed.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

import type { PolicyDocument } from '../model';
import { renderPolicyJson } from '../render';
import type { CliIo } from './io';
import { writeOutput } from './output';

/** The indentation of an existing JSON file (2 spaces when unknown or the file is new). */
async function indentOf(file: string): Promise<string | number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return 2;
  }
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? m[1] : 2;
}

function reindent(json: string, indent: string | number): string {
  return indent === 2 ? json : `${JSON.stringify(JSON.parse(json), null, indent)}\n`;
}

/** `policy.json`, 2 → `policy-2.json`. */
export function numberedPath(file: string, n: number): string {
  if (n === 1) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${n}${ext}`;
}

/**
 * Writes each document to its own file and returns the paths written and removed.
 */
export async function writePolicyFiles(
  io: CliIo,
  out: string,
  policies: readonly PolicyDocument[],
): Promise<{ written: string[]; removed: string[] }> {
  const written: string[] = [];
  for (let i = 0; i < policies.length; i++) {
    const file = numberedPath(out, i + 1);
    await writeOutput(io, file, reindent(renderPolicyJson(policies[i]), await indentOf(file)));
    written.push(file);
  }
  // Stale numbered siblings (`FILE-N` for N beyond the new count) would still grant what they hold.
  const dir = path.dirname(out);
  const ext = path.extname(out);
  const stem = path.basename(out, ext);
  const pattern = new RegExp(
    `^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)${ext.replace('.', '\\.')}$`,
  );
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    names = [];
  }
  for (const name of names.sort()) {
    const m = pattern.exec(name);
    if (m && Number(m[1]) > policies.length && Number(m[1]) >= 2) {
      await rm(path.join(dir, name));
      removed.push(path.join(dir, name));
    }
  }
  return { written, removed };
}
