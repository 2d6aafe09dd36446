import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadCatalog } from '../../src/catalog/catalog';
import { runReport, type ReportOptions } from '../../src/pipeline/run-report';
import { renderCanonicalJson } from '../../src/render';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../helpers/cli';

/**
 * `report --cache DIR`: a run with the cache gives the same bytes as a run without it (cold,
 * warm, after a file changed or went away, with a window that cuts a folder, with a damaged
 * cache), and a warm run reads only the folders that changed.
 */
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };

let tmp: string;
let trail: string;
let cacheDir: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'pt-cache-'));
  trail = path.join(tmp, 'trail');
  cacheDir = path.join(tmp, 'cache');
  cpSync(SAMPLE_TRAIL, trail, { recursive: true });
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

async function run(options: Partial<ReportOptions> = {}) {
  const catalog = await loadCatalog();
  const r = await runReport({
    trails: [trail],
    accountSnapshot: SAMPLE_ACCOUNT,
    window: WINDOW,
    catalog,
    ...options,
  });
  return { text: renderCanonicalJson(r.report), cache: r.cache };
}

const eventFiles = () =>
  files(trail)
    .filter((f) => f.includes(`${path.sep}CloudTrail${path.sep}`))
    .sort();

describe('report --cache', () => {
  it('cold and warm runs give the bytes of a run without the cache; the warm one reads nothing', async () => {
    const fresh = await run();
    const cold = await run({ cacheDir });
    expect(cold.text).toBe(fresh.text);
    expect(cold.cache).toEqual({ foldersFromCache: 0, filesFromCache: 0, filesRead: eventFiles().length });
    const warm = await run({ cacheDir });
    expect(warm.text).toBe(fresh.text);
    expect(warm.cache?.filesRead).toBe(0);
    expect(warm.cache?.filesFromCache).toBe(eventFiles().length);
  });

  it('a changed file invalidates its folder only; a removed file too', async () => {
    await run({ cacheDir });
    const [changed] = eventFiles();
    // Drop the last record of one delivery file (same name, new content and mtime).
    const body = JSON.parse(gunzipSync(readFileSync(changed)).toString('utf8')) as { Records: unknown[] };
    body.Records.pop();
    writeFileSync(changed, gzipSync(Buffer.from(JSON.stringify(body))));
    utimesSync(changed, new Date('2026-11-30T00:00:00Z'), new Date('2026-11-30T00:00:00Z'));
    const inFolder = readdirSync(path.dirname(changed)).length;
    const after = await run({ cacheDir });
    expect(after.cache?.filesRead).toBe(inFolder);
    expect(after.text).toBe((await run()).text);

    const removed = eventFiles()[eventFiles().length - 1];
    unlinkSync(removed);
    const again = await run({ cacheDir });
    expect(again.cache?.filesRead).toBe(readdirSync(path.dirname(removed)).length);
    expect(again.text).toBe((await run()).text);
  });

  it('a window that cuts a folder reads that folder again', async () => {
    await run({ cacheDir });
    const cut = { since: new Date('2026-11-03T12:00:00Z'), until: WINDOW.until };
    const withCache = await run({ cacheDir, window: cut });
    expect(withCache.cache?.filesRead).toBeGreaterThan(0);
    expect(withCache.text).toBe((await run({ window: cut })).text);
  });

  it('a damaged or foreign cache is ignored, never trusted', async () => {
    await run({ cacheDir });
    const entries = readdirSync(cacheDir).map((f) => path.join(cacheDir, f));
    writeFileSync(entries[0], '{"format":1,"fingerprint":');
    const e1 = JSON.parse(readFileSync(entries[1], 'utf8'));
    e1.fingerprint = 'another-version';
    e1.aggregate.days = { '2026-11-15': 999 };
    writeFileSync(entries[1], JSON.stringify(e1));
    const r = await run({ cacheDir });
    expect(r.cache?.filesRead).toBeGreaterThan(0);
    expect(r.text).toBe((await run()).text);
  });
});
