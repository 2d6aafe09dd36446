import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

export { CORPORA } from '../../helpers/corpora';

export function tmpDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `pt-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
