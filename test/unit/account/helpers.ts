import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The shared corpora: /work/shared/corpora beside the repo (same layout in CI). */
export const CORPORA = path.resolve(__dirname, '../../../..', 'shared', 'corpora');

export function tmpDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pt-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
