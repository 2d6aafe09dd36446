import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderReportHtml } from '../../../src/render/report-html';
import type { UnusedReport } from '../../../src/report/types';

const FIXTURE = path.resolve(__dirname, '../../fixtures/report/report.json');
const load = (): UnusedReport => JSON.parse(readFileSync(FIXTURE, 'utf8')) as UnusedReport;
const report = load();
const html = renderReportHtml(report);

const ISLAND_OPEN = '<script type="application/json" id="report-data">';

/** HTML escaping written apart from the renderer's (& < > " '). */
function escaped(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The JSON island's text, up to the first `</script` after it. */
function island(page: string): string {
  const start = page.indexOf(ISLAND_OPEN);
  expect(start).toBeGreaterThan(0);
  const from = start + ISLAND_OPEN.length;
  return page.slice(from, page.indexOf('</script', from));
}

/** The page without the contents of its two script elements (the island and the code). */
function markup(page: string): string {
  return page.replace(/(<script[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2');
}

/** Every role and function name of a report. */
function names(r: UnusedReport): string[] {
  return [
    ...r.unusedRoles.map((x) => x.name),
    ...r.rolesNotJudged.map((x) => x.name),
    ...r.unusedFunctions.map((x) => x.name),
    ...r.functionsNotJudged.map((x) => x.name),
    ...r.unusedPermissions.map((x) => x.name),
    ...r.sharedRoles.flatMap((s) => [s.name, ...s.functions.map((f) => f.name)]),
  ];
}

const EMPTY: UnusedReport = {
  ...report,
  coverage: { ...report.coverage, notShown: [], partial: false, dataEvents: {} },
  unusedRoles: [],
  rolesNotJudged: [],
  unusedFunctions: [],
  functionsNotJudged: [],
  unusedPermissions: [],
  sharedRoles: [],
  activity: [],
  findings: [],
};

describe('renderReportHtml', () => {
  it('the fixture holds hostile values (the tests below would be vacuous otherwise)', () => {
    const [evil] = report.unusedRoles;
    expect(evil.name).toBe('evil<script>alert(1)</script>');
    expect(evil.reason).toContain('"><img src=x onerror=alert(1)>');
    expect(evil.reason).toContain('</script><script>alert(2)</script>');
    expect(evil.reason).toContain('\u2028');
  });

  it('is deterministic: the same report gives the same bytes', () => {
    expect(renderReportHtml(load())).toBe(html);
    expect(renderReportHtml(structuredClone(report))).toBe(html);
  });

  it('is an HTML5 page with the strict Content-Security-Policy first in its head', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    );
  });

  it('loads nothing from anywhere: no URL, no external resource', () => {
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/\/\/[a-z0-9]/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed|audio|video|source|base|form)\b/i);
    expect([...html.matchAll(/<link\b[^>]*>/g)].map((m) => m[0])).toEqual([
      '<link rel="icon" href="data:,">',
    ]);
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([ISLAND_OPEN, '<script>']);
  });

  it('lets no hostile markup through', () => {
    for (const raw of ['<script>alert', '<img src=x', '<svg onload', '<b>bold', '"><img', "x'><svg"]) {
      expect(html).not.toContain(raw);
    }
    expect(html.match(/<\/script/g)).toHaveLength(2);
    expect(html).not.toMatch(/[\u2028\u2029]/);
  });

  it('shows the hostile values as escaped text, invisible characters made visible', () => {
    const page = markup(html);
    expect(page).toContain(escaped('evil<script>alert(1)</script>'));
    expect(page).toContain(
      escaped('Never used "><img src=x onerror=alert(1)> </script><script>alert(2)</script>') +
        '\\u{2028}end',
    );
  });

  it('only our own tags and attributes occur outside the scripts: no value breaks out of its context', () => {
    const TAGS = new Set(
      'html head meta link title style body header h1 h2 dl dt dd p strong div ul li section nav a svg g text rect line table thead tbody tr th td span br code details summary button input script'.split(
        ' ',
      ),
    );
    const ATTRS = new Set(
      'lang charset http-equiv content name rel href id class hidden role aria-label viewbox width height x y x1 x2 y1 y2 text-anchor type data-table placeholder scope data-type data-sort colspan title'.split(
        ' ',
      ),
    );
    const page = markup(html).replace(/^<!DOCTYPE html>/, '');
    const TAG = /<\/?([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"<>]*")?)*)\s*>/giy;
    let tags = 0;
    for (let i = page.indexOf('<'); i !== -1; i = page.indexOf('<', i + 1)) {
      TAG.lastIndex = i;
      const m = TAG.exec(page);
      expect(m === null ? page.slice(i, i + 60) : 'a tag').toBe('a tag');
      if (m === null) continue;
      expect(TAGS).toContain(m[1].toLowerCase());
      for (const a of m[2].matchAll(/([a-z][a-z0-9-]*)(?:="[^"]*")?/gi))
        expect(ATTRS).toContain(a[1].toLowerCase());
      tags++;
    }
    expect(tags).toBeGreaterThan(500);
  });

  it('carries the report as a JSON island that cannot be closed early and reads back as the report', () => {
    const json = island(html);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(report);
    expect(json).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
    expect(json).toContain('\\u2028');
  });

  it('shows every role and function name of the fixture, escaped', () => {
    const page = markup(html);
    const all = names(report);
    expect(all.length).toBeGreaterThanOrEqual(18);
    for (const name of all) expect(page).toContain(escaped(name));
  });

  it('draws both charts as inline SVG: one bar per role and one per day', () => {
    const svgs = [...html.matchAll(/<svg id="([a-z-]+)"[\s\S]*?<\/svg>/g)];
    expect(svgs.map((m) => m[1])).toEqual(['chart-share', 'chart-activity']);
    const bars = (svg: string): number => (svg.match(/<rect class="bar"/g) ?? []).length;
    expect(bars(svgs[0][0])).toBe(report.unusedPermissions.length);
    expect(bars(svgs[1][0])).toBe(report.activity.length);
    expect(svgs[0][0]).toContain(
      '<title>data-lake-loader: 85.2% unused (230 of 270 observable granted actions)</title>',
    );
    expect(svgs[1][0]).toContain('<title>2026-10-14: 0 calls</title>');
    expect(svgs[1][0]).toContain('>10-01</text>');
  });

  it('shows the coverage: window, partial warning and what the trail cannot show', () => {
    expect(html).toContain('2026-10-01T00:00:00Z → 2026-10-31T00:00:00Z (30 days)');
    expect(html).toContain('id="partial"');
    expect(html).toContain('no data is not evidence');
    for (const line of report.coverage.notShown) expect(html).toContain(`<li>${escaped(line)}</li>`);
  });

  it('has one filterable, sortable table per list, with raw sort values', () => {
    const ids = [...html.matchAll(/<table class="data" id="([a-z-]+)">/g)].map((m) => m[1]);
    expect(ids).toEqual([
      'unused-roles-table',
      'roles-not-judged-table',
      'unused-functions-table',
      'functions-not-judged-table',
      'unused-permissions-table',
      'shared-roles-table',
      'findings-table',
    ]);
    for (const id of ids) expect(html).toContain(`<input type="search" class="filter" data-table="${id}"`);
    expect(html).toContain('<td class="num" data-sort="0.8519">85.2%</td>');
    expect(html).toContain('<td class="num" data-sort="15230">15,230</td>');
  });

  it('caps long action lists with "… N more"', () => {
    expect(html).toContain('<summary>230 unused</summary>');
    expect(html).toContain('… 30 more');
  });

  it('shows a "none" row for each empty list, and no filter for it', () => {
    const page = renderReportHtml(EMPTY);
    expect(page.match(/<tr class="none">/g)).toHaveLength(7);
    expect(page).not.toContain('class="filter"');
    expect(page).not.toContain('<svg');
    expect(page).not.toContain('id="partial"');
    expect(page).toContain('No role permissions to chart.');
    expect(JSON.parse(island(page))).toEqual(EMPTY);
  });
});
