import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expectGolden } from '../../helpers/golden';

/** test/golden/audit/: `UPDATE_GOLDEN=1` writes a golden file; a missing one fails. */
export const GOLDEN = path.resolve(__dirname, '../../golden/audit');
export const FIXTURES = path.resolve(__dirname, '../../fixtures/audit');

export function golden(name: string, text: string): void {
  expectGolden('audit', name, text);
}

/** The IaC fixtures as the command reads them (paths relative to the repository root). */
export function iacFixtures(): { path: string; content: string }[] {
  return ['main.tf', 'template.yaml'].map((f) => ({
    path: `test/fixtures/audit/${f}`,
    content: readFileSync(path.join(FIXTURES, f), 'utf8'),
  }));
}
