import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The golden files' root (test/golden/). */
export const GOLDEN_ROOT = path.resolve(__dirname, '../golden');

/**
 * `text` must equal the golden file `dir/name` under test/golden. `UPDATE_GOLDEN=1` writes it
 * instead; a missing golden file fails (a test must be able to fail).
 */
export function expectGolden(dir: string, name: string, text: string): void {
  const folder = path.join(GOLDEN_ROOT, dir);
  const file = path.join(folder, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, text);
  }
  expect(`${dir}/${name} ${existsSync(file) ? 'exists' : 'is missing (UPDATE_GOLDEN=1 writes it)'}`).toBe(
    `${dir}/${name} exists`,
  );
  expect(text).toBe(readFileSync(file, 'utf8'));
}
