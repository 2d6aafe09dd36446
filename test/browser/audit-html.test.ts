import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { renderAuditHtml } from '../../src/render/audit-html';
import { AUDIT_FIXTURE, HOSTILE_FUNCTION } from '../unit/render/audit-fixture';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  closeQuiet,
  describeWithChromium,
  openWatched,
  type WatchedPage,
} from '../helpers/chromium';

/**
 * The audit page in a real browser (Debian's Chromium via playwright-core): it loads nothing but
 * itself, runs without error or dialog, the severity and rule filters and sorting work, and a
 * hostile function name stays text.
 */
describeWithChromium('audit HTML in Chromium', () => {
  let dir: string;
  let url: string;
  let browser: Browser;
  let w: WatchedPage;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pt-audit-html-'));
    const file = path.join(dir, 'audit.html');
    writeFileSync(file, renderAuditHtml(AUDIT_FIXTURE));
    url = pathToFileURL(file).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    w = await openWatched(browser, url);
  });

  afterEach(() => closeQuiet(w, url));

  const rows = (): Promise<number> =>
    w.page.locator('#findings-table tbody tr:not(.none):not(.nomatch):visible').count();
  const count = () => w.page.locator('#findings .count').textContent();

  it('renders: title, tiles, every finding, the rules not run; its script ran', async () => {
    expect(await w.page.title()).toBe('Lambda security audit: 6 findings');
    expect(await w.page.locator('.tile').count()).toBe(5);
    expect(await rows()).toBe(6);
    await expect(count()).resolves.toBe('6 of 6 rows');
    expect(await w.page.locator('#not-run-table tbody tr:not(.nomatch)').count()).toBe(1);
    await expect(w.page.locator('#download').isVisible()).resolves.toBe(true);
    await w.page.screenshot({ path: path.join(dir, 'audit.png'), fullPage: true });
  });

  it('filters by severity, by rule, by both and by text', async () => {
    const severity = w.page.locator('select.facet[data-attr="severity"]');
    const rule = w.page.locator('select.facet[data-attr="rule"]');
    await severity.selectOption('high');
    expect(await rows()).toBe(2);
    await expect(count()).resolves.toBe('2 of 6 rows');
    await severity.selectOption('');
    await rule.selectOption('PT-AUDIT-UNUSED-ACTIONS');
    expect(await rows()).toBe(2);
    await severity.selectOption('info');
    expect(await rows()).toBe(1);
    await severity.selectOption('critical');
    expect(await rows()).toBe(0);
    expect(await w.page.locator('#findings-table tr.nomatch').isVisible()).toBe(true);
    await severity.selectOption('');
    await rule.selectOption('');
    await w.page.locator('input[data-table="findings-table"]').fill('ORDERS-api');
    expect(await rows()).toBe(2);
  });

  it('sorts by a column, both ways', async () => {
    const rulesOf = () =>
      w.page
        .locator('#findings-table tbody tr:not(.nomatch)')
        .evaluateAll((rs) => rs.map((r) => (r as HTMLTableRowElement).cells[1].dataset.sort ?? ''));
    const sevOf = () =>
      w.page
        .locator('#findings-table tbody tr:not(.nomatch)')
        .evaluateAll((rs) => rs.map((r) => (r as HTMLTableRowElement).dataset.severity ?? ''));
    const severityHead = w.page.locator('#findings-table th').nth(0);
    await severityHead.click();
    expect(await sevOf()).toEqual(['critical', 'high', 'high', 'medium', 'low', 'info']);
    await severityHead.click();
    expect(await sevOf()).toEqual(['info', 'low', 'medium', 'high', 'high', 'critical']);
    await w.page.locator('#findings-table th').nth(1).click();
    const sorted = await rulesOf();
    expect(sorted).toEqual([...sorted].sort());
  });

  it('shows a hostile function name as text and runs nothing', async () => {
    expect(await w.page.locator('img, iframe, object, embed, svg').count()).toBe(0);
    expect(await w.page.locator('script').count()).toBe(2);
    const names = await w.page.locator('#findings-table .name').allTextContents();
    expect(names).toContain(HOSTILE_FUNCTION);
    const fix = await w.page.locator('#findings-table .fix').nth(2).textContent();
    expect(fix).toContain(`--function-name '${HOSTILE_FUNCTION}'`);
    const message = await w.page
      .locator('#findings-table tbody tr')
      .nth(2)
      .locator('td')
      .nth(3)
      .textContent();
    expect(message).toContain('<script>alert(2)</script>');
    expect(await w.page.evaluate(() => document.querySelectorAll('[onerror]').length)).toBe(0);
  });
});
