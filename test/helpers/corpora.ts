import { existsSync } from 'node:fs';
import path from 'node:path';

/** The shared corpora (../shared/corpora beside the repo; CI lays a copy the same way). */
export const CORPORA = path.resolve(__dirname, '../../..', 'shared', 'corpora');

/** Whether the corpora are here. */
export const corporaPresent = existsSync(CORPORA);

/**
 * `describe` when the corpora are here. Without them, the suite is skipped with a note on a
 * developer's machine, and fails on CI (where they must be).
 */
export function describeWithCorpora(name: string, fn: () => void): void {
  if (corporaPresent) {
    describe(name, fn);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs the shared corpora, which CI must provide', () => {
        throw new Error(`corpora folder missing on CI: ${CORPORA}`);
      });
    });
  } else {
    console.warn(`corpora folder not found at ${CORPORA}: "${name}" skipped`);
    describe.skip(name, fn);
  }
}
