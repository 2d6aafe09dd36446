import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { reportSample, ROOT } from '../helpers/cli';
import { CHROMIUM, CHROMIUM_ARGS, describeWithChromium } from '../helpers/chromium';

/**
 * The HTML page the real CLI writes for the samples, opened in Chromium: it renders without
 * error or request, shows the sample account's roles in the chart and the unused role and
 * function in their tables. Writes test-output/report-samples.png.
 */
describeWithChromium('report --unused --format html on the samples, in Chromium', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-report-samples-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the account at a glance, loading nothing but itself', async () => {
    const file = path.join(dir, 'report.html');
    const r = reportSample(['--format', 'html', '--out', file]);
    expect(r.status).toBe(0);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const url = pathToFileURL(file).href;
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (q) => {
        if (q.url() !== url && !q.url().startsWith('data:')) requests.push(q.url());
      });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      const text = await page.locator('body').innerText();
      for (const name of [
        'legacy-cron-role',
        'etl-legacy-role',
        'legacy-cron',
        'ingest-backfill',
        'reports-role',
      ])
        expect(text).toContain(name);
      expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(2);
      mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
      await page.screenshot({ path: path.join(ROOT, 'test-output', 'report-samples.png'), fullPage: true });
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
