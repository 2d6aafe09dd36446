import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** test/golden/audit/: `UPDATE_GOLDEN=1` writes a golden file; a missing one fails. */
export const GOLDEN = path.resolve(__dirname, '../../golden/audit');
export const FIXTURES = path.resolve(__dirname, '../../fixtures/audit');

export function golden(name: string, text: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, text);
  }
  expect(existsSync(file)).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

/** The IaC fixtures as the command reads them (paths relative to the repository root). */
export function iacFixtures(): { path: string; content: string }[] {
  return ['main.tf', 'template.yaml'].map((f) => ({
    path: `test/fixtures/audit/${f}`,
    content: readFileSync(path.join(FIXTURES, f), 'utf8'),
  }));
}
