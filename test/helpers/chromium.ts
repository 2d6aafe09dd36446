import { existsSync } from 'node:fs';

/** Debian's Chromium (.ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * `describe` when Chromium is installed. Without it, the suite is skipped with a note on a
 * developer's machine, and fails on CI (where .ci/run installs it).
 */
export function describeWithChromium(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, fn);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium, which CI must provide', () => {
        throw new Error(`Chromium missing on CI: ${CHROMIUM}`);
      });
    });
  } else {
    console.warn(`Chromium not found at ${CHROMIUM} (apt-get install chromium): "${name}" skipped`);
    describe.skip(name, fn);
  }
}

/** Flags for headless Chromium on a machine without network (docs: machine notes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
