#!/usr/bin/env node
/**
 * Benchmark: `npm run bench` (builds first). Measures the generate pipeline's events/s on the
 * bundled samples and on a larger trail made by multiplying the samples' real-shaped events,
 * each as a ratio against a baseline measured in the same run: gunzip + JSON.parse of the same
 * files and nothing else (the floor any reader of CloudTrail files pays). Also the whole-account
 * `report --unused`, without the cache, with a cold cache, with a warm one, and with a warm one
 * after one new day of delivery files (what a daily run reads).
 *
 * Usage: node scripts/bench.js [--events N] [--runs R]
 */
const {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  statSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { gunzipSync, gzipSync } = require('node:zlib');
const { performance } = require('node:perf_hooks');
const lib = require('../dist/index.js');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TARGET_EVENTS = opt('--events', 300_000);
const RUNS = opt('--runs', 3);
const ROOT = path.resolve(__dirname, '..');
const SAMPLE_TRAIL = path.join(ROOT, 'samples', 'trail');
const SAMPLE_ACCOUNT = path.join(ROOT, 'samples', 'account');
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (/\.json(\.gz)?$/.test(e.name) && !p.includes('CloudTrail-Digest')) out.push(p);
  }
  return out.sort();
}

/** Writes a trail of about `target` events: the samples' records repeated with new ids and keys. */
function makeLargeTrail(target) {
  const records = walk(SAMPLE_TRAIL).flatMap(
    (f) => JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')).Records,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'pt-bench-'));
  const perFile = 2_000;
  let n = 0;
  let file = 0;
  while (n < target) {
    const batch = [];
    for (let i = 0; i < perFile && n < target; i++, n++) {
      const r = structuredClone(records[n % records.length]);
      const copy = Math.floor(n / records.length);
      r.eventID = `${r.eventID.slice(0, 24)}${String(copy).padStart(12, '0')}`;
      if (r.requestParameters && typeof r.requestParameters.key === 'string')
        r.requestParameters.key += `-${copy}`;
      batch.push(r);
    }
    const day = String(2 + (file % 3)).padStart(2, '0');
    const sub = path.join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', day);
    mkdirSync(sub, { recursive: true });
    writeFileSync(
      path.join(
        sub,
        `111122223333_CloudTrail_us-east-1_202611${day}T0000Z_${String(file++).padStart(6, '0')}.json.gz`,
      ),
      gzipSync(JSON.stringify({ Records: batch })),
    );
  }
  return { dir, events: n, files: file };
}

function baseline(trail) {
  let events = 0;
  for (const f of walk(trail)) {
    const buf = readFileSync(f);
    const text = (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
    events += JSON.parse(text).Records.length;
  }
  return events;
}

const WORKERS = opt('--workers', require('node:os').availableParallelism());

async function tool(trail, fn, snapshot, workers = 1) {
  const r = await lib.runGenerate({
    function: fn,
    trails: [trail],
    workers,
    ...(snapshot ? { accountSnapshot: snapshot } : {}),
    window: WINDOW,
  });
  return r.usage.stats.eventsRead;
}

async function report(trail, cacheDir, workers = 1) {
  const r = await lib.runReport({
    trails: [trail],
    workers,
    accountSnapshot: SAMPLE_ACCOUNT,
    window: WINDOW,
    ...(cacheDir ? { cacheDir } : {}),
  });
  return r.account.base.stats.eventsRead;
}

/** Report timings: no cache, cold cache, warm cache, warm cache + one new day of files. */
async function reportRows(label, trail) {
  const cache = mkdtempSync(path.join(tmpdir(), 'pt-bench-cache-'));
  try {
    const rows = [await measure(`${label}: report --unused`, () => report(trail))];
    rows.push(
      await measureOnce(`${label}: report --unused --cache (cold)`, () => {
        rmSync(cache, { recursive: true, force: true });
        return report(trail, cache);
      }),
    );
    rows.push(await measure(`${label}: report --unused --cache (warm)`, () => report(trail, cache)));
    // One new delivery day (a copy of the last one under a new date folder).
    const days = walk(trail).map((f) => path.dirname(f));
    const last = days[days.length - 1];
    const next = path.join(path.dirname(last), 'new-day');
    cpSync(last, next, { recursive: true });
    rows.push(
      await measureOnce(`${label}: report --unused --cache (warm + 1 new day)`, () => report(trail, cache)),
    );
    rmSync(next, { recursive: true, force: true });
    return rows;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

async function measureOnce(label, f) {
  const t0 = performance.now();
  const events = await f();
  const ms = performance.now() - t0;
  return { label, events, ms, eps: (events / ms) * 1000 };
}

async function measure(label, f) {
  const times = [];
  let events = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    events = await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return { label, events, ms: median, eps: (events / median) * 1000 };
}

async function main() {
  const rows = [];
  // Warm up the catalog and JIT once.
  await tool(SAMPLE_TRAIL, 'orders-api', SAMPLE_ACCOUNT);

  const sb = await measure('samples: baseline (gunzip + JSON.parse)', () => baseline(SAMPLE_TRAIL));
  const st = await measure('samples: generate --function orders-api', () =>
    tool(SAMPLE_TRAIL, 'orders-api', SAMPLE_ACCOUNT),
  );
  rows.push(sb, st);
  const sr = await reportRows('samples', SAMPLE_TRAIL);
  rows.push(...sr);

  process.stderr.write(`writing a trail of ${TARGET_EVENTS.toLocaleString('en-US')} events…\n`);
  const large = makeLargeTrail(TARGET_EVENTS);
  const size = walk(large.dir).reduce((s, f) => s + statSync(f).size, 0);
  try {
    const lb = await measure('large: baseline (gunzip + JSON.parse)', () => baseline(large.dir));
    const lt = await measure('large: generate --function orders-api', () =>
      tool(large.dir, 'orders-api', SAMPLE_ACCOUNT),
    );
    const ltw = await measure(`large: generate --function orders-api, ${WORKERS} workers`, () =>
      tool(large.dir, 'orders-api', SAMPLE_ACCOUNT, WORKERS),
    );
    rows.push(lb, lt, ltw);
    const lr = await reportRows('large', large.dir);
    const lrw = await measure(`large: report --unused, ${WORKERS} workers`, () =>
      report(large.dir, undefined, WORKERS),
    );
    rows.push(...lr, lrw);
    console.log(
      `policy-tighten bench (median of ${RUNS} runs; node ${process.version}; large trail: ${large.files} files, ${(size / 1e6).toFixed(1)} MB gzipped)`,
    );
    console.log('| measurement | events | ms | events/s |');
    console.log('|---|---:|---:|---:|');
    for (const r of rows)
      console.log(
        `| ${r.label} | ${r.events.toLocaleString('en-US')} | ${r.ms.toFixed(1)} | ${Math.round(r.eps).toLocaleString('en-US')} |`,
      );
    console.log(
      `\nratio generate/baseline (events/s): samples ${(st.eps / sb.eps).toFixed(2)}, large ${(lt.eps / lb.eps).toFixed(2)}`,
    );
    console.log(
      `time / baseline with ${WORKERS} workers: generate ${(ltw.ms / lb.ms).toFixed(2)}, report ${(lrw.ms / lb.ms).toFixed(2)} ` +
        `(one thread: generate ${(lt.ms / lb.ms).toFixed(2)}, report ${(lr[0].ms / lb.ms).toFixed(2)})`,
    );
    console.log(
      `time of report/baseline: samples ${(sr[0].ms / sb.ms).toFixed(2)}, large ${(lr[0].ms / lb.ms).toFixed(2)}; ` +
        `warm cache/no cache: samples ${(sr[2].ms / sr[0].ms).toFixed(2)}, large ${(lr[2].ms / lr[0].ms).toFixed(2)}; ` +
        `warm + 1 new day/no cache: large ${(lr[3].ms / lr[0].ms).toFixed(2)}`,
    );
  } finally {
    rmSync(large.dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
