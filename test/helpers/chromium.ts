import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';

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

/** A page under watch: every request, console error, page error and dialog it makes. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  requests: string[];
  errors: string[];
  dialogs: string[];
}

/** Opens `url` in a new context of `browser`, recording what the page does (dialogs dismissed). */
export async function openWatched(
  browser: Browser,
  url: string,
  options: { acceptDownloads?: boolean } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const w: WatchedPage = { page, context, requests: [], errors: [], dialogs: [] };
  page.on('request', (r) => w.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => w.errors.push(`page: ${e.message}`));
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return w;
}

/** Closes the page's context: it opened no dialog, raised no error, and loaded only itself. */
export async function closeQuiet(w: WatchedPage, url: string): Promise<void> {
  await w.context.close();
  expect(w.dialogs).toEqual([]);
  expect(w.errors).toEqual([]);
  expect(w.requests.filter((u) => !u.startsWith('data:'))).toEqual([url]);
}
