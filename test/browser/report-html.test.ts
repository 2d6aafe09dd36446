import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { renderReportHtml } from '../../src/render/report-html';
import type { UnusedReport } from '../../src/report/types';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  closeQuiet,
  describeWithChromium,
  openWatched,
  type WatchedPage,
} from '../helpers/chromium';

/**
 * The HTML report in a real browser (Debian's Chromium, driven by playwright-core): it loads
 * nothing but itself, runs without error, its hostile values stay text, and the script's filters,
 * sorting and JSON download work. Writes test-output/report.png for a look.
 */

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/report/report.json');
const SCREENSHOT = path.join(ROOT, 'test-output/report.png');

describeWithChromium('HTML report in Chromium', () => {
  const report = JSON.parse(readFileSync(FIXTURE, 'utf8')) as UnusedReport;
  let dir: string;
  let url: string;
  let browser: Browser;
  let w: WatchedPage;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-report-html-'));
    const file = path.join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(report));
    url = pathToFileURL(file).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh context and page per test, watched, with the report loaded. */
  beforeEach(async () => {
    w = await openWatched(browser, url, { acceptDownloads: true });
  });

  afterEach(() => closeQuiet(w, url));

  /** The rows of a table that are shown (not hidden by the filter), without "none" rows. */
  const visibleRows = (id: string): Promise<number> =>
    w.page.locator(`#${id} tbody tr:not(.none):not(.nomatch):visible`).count();

  /** The `data-sort` values of a column, in row order. */
  const column = (id: string, index: number): Promise<string[]> =>
    w.page
      .locator(`#${id} tbody tr:not(.none):not(.nomatch)`)
      .evaluateAll(
        (rows, i) => rows.map((r) => (r as HTMLTableRowElement).cells[i].dataset.sort ?? ''),
        index,
      );

  it('loads without request, error or dialog, and its script ran', async () => {
    expect(await w.page.title()).toBe('Unused access report: 123456789012');
    await expect(w.page.locator('#download').isVisible()).resolves.toBe(true);
    expect(await w.page.locator('.tools:visible').count()).toBe(7);
  });

  it('draws the charts: one bar per role with unused share, one per day', async () => {
    expect(await w.page.locator('svg').count()).toBe(2);
    expect(await w.page.locator('#chart-share rect.bar').count()).toBe(report.unusedPermissions.length);
    expect(await w.page.locator('#chart-activity rect.bar').count()).toBe(report.activity.length);
    const tip = await w.page.locator('#chart-share g.row title').first().textContent();
    expect(tip).toBe('evil<script>alert(1)</script>: 100.0% unused (12 of 12 observable granted actions)');
    const box = await w.page.locator('#chart-share').boundingBox();
    expect(box?.width).toBeGreaterThan(600);
  });

  it('renders every table with its rows', async () => {
    const expected: Record<string, number> = {
      'unused-roles-table': report.unusedRoles.length,
      'roles-not-judged-table': report.rolesNotJudged.length,
      'unused-functions-table': report.unusedFunctions.length,
      'functions-not-judged-table': report.functionsNotJudged.length,
      'unused-permissions-table': report.unusedPermissions.length,
      'shared-roles-table': report.sharedRoles.reduce((n, s) => n + s.functions.length, 0),
      'findings-table': report.findings.length,
    };
    expect(await w.page.locator('table.data').count()).toBe(7);
    for (const [id, rows] of Object.entries(expected)) {
      await expect(w.page.locator(`#${id}`).isVisible()).resolves.toBe(true);
      expect([id, await visibleRows(id)]).toEqual([id, rows]);
    }
  });

  it('keeps hostile values as text', async () => {
    expect(await w.page.locator('img, iframe, object, embed').count()).toBe(0);
    expect(await w.page.locator('script').count()).toBe(2);
    const name = await w.page.locator('#unused-roles-table tbody tr').first().locator('.name').textContent();
    expect(name).toBe(report.unusedRoles[0].name);
    const reason = await w.page
      .locator('#unused-roles-table tbody tr')
      .first()
      .locator('td')
      .nth(3)
      .textContent();
    expect(reason).toBe(report.unusedRoles[0].reason.replace('\u2028', '\\u{2028}'));
    const fn = await w.page.locator('#unused-functions-table .name').nth(2).textContent();
    expect(fn).toBe("x'><svg onload=alert(4)>");
  });

  it('filters a table by substring, case-insensitively', async () => {
    const input = w.page.locator('input[data-table="unused-permissions-table"]');
    const count = w.page.locator('#unused-permissions .count');
    await expect(count.textContent()).resolves.toBe('7 of 7 rows');
    await input.fill('LEGACY-etl');
    expect(await visibleRows('unused-permissions-table')).toBe(1);
    await expect(count.textContent()).resolves.toBe('1 of 7 rows');
    await input.fill('glue:');
    expect(await visibleRows('unused-permissions-table')).toBe(2);
    await input.fill('no such role');
    expect(await visibleRows('unused-permissions-table')).toBe(0);
    await expect(w.page.locator('#unused-permissions-table tr.nomatch').isVisible()).resolves.toBe(true);
    await input.fill('');
    expect(await visibleRows('unused-permissions-table')).toBe(7);
    await expect(w.page.locator('#unused-permissions-table tr.nomatch').isVisible()).resolves.toBe(false);
    expect(await visibleRows('findings-table')).toBe(4);
  });

  it('sorts a numeric column numerically, ascending then descending', async () => {
    const granted = report.unusedPermissions.map((p) => p.granted);
    const header = w.page.locator('#unused-permissions-table th', { hasText: 'Granted' });
    await header.click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
    const up = (await column('unused-permissions-table', 1)).map(Number);
    expect(up).toEqual([...granted].sort((a, b) => a - b));
    expect(up).not.toEqual(granted.map(String).sort().map(Number));
    await header.click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
    expect((await column('unused-permissions-table', 1)).map(Number)).toEqual(
      [...granted].sort((a, b) => b - a),
    );
  });

  it('sorts a text column and keeps ties in report order', async () => {
    await w.page.locator('#unused-functions-table th', { hasText: 'Region' }).click();
    expect(await column('unused-functions-table', 0)).toEqual([
      'thumbnailer-old',
      "x'><svg onload=alert(4)>",
      'nightly-report',
    ]);
  });

  it('downloads the report JSON from the data island, unchanged', async () => {
    const [download] = await Promise.all([w.page.waitForEvent('download'), w.page.click('#download-json')]);
    expect(download.suggestedFilename()).toBe('unused-report.json');
    const file = await download.path();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(report);
  });

  it('writes a full-page screenshot to test-output/report.png', async () => {
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await w.page
      .locator('#unused-permissions-table tr', { hasText: 'data-lake-loader' })
      .locator('summary')
      .first()
      .click();
    await w.page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe('PNG');
  });
});
