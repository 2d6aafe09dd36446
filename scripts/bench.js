#!/usr/bin/env node
/**
 * Benchmark: `npm run bench` (builds first). Builds a trail of a chosen size (scripts/make-trail.js:
 * the samples' Lambda traffic across many roles plus real events of ../shared/corpora, gzipped in
 * the S3 layout; the account snapshot stays in samples/account), then measures, in the same run
 * and each in a fresh process:
 *
 * - the floor: single-thread gunzip + JSON.parse of every file, nothing else;
 * - `generate --function orders-api` (one role, about 1% of the trail), in one thread and with
 *   workers;
 * - `report --unused` for the whole account, in one thread, with workers, and with the report
 *   cache (cold, warm, warm after one new day of delivery files).
 *
 * It prints events/s, the ratio of each time to the floor's, peak RSS and the cores used (CPU
 * time over wall time). Ratios, not absolute times, are what compares across machines. The floor,
 * `generate` and `report` are measured in rounds (each round runs the floor, then each case once),
 * and a ratio is the median of the per-round ratios: a shared machine's load drifts over minutes.
 *
 * With `--big-file MB`, also one uncompressed file of that size (an export), read by `generate`:
 * it streams instead of being read whole, and its peak RSS is what matters.
 *
 * Usage: node scripts/bench.js [--events N | --trail DIR] [--runs R] [--roles R] [--workers W] [--big-file MB] [--no-report]
 * (`--workers W`: threads, this one and W−1 workers; default one per core)
 */
const { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } = require('node:fs');
const { availableParallelism, tmpdir, cpus } = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { gunzipSync } = require('node:zlib');
const { performance } = require('node:perf_hooks');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROOT = path.resolve(__dirname, '..');
const SAMPLE_ACCOUNT = path.join(ROOT, 'samples', 'account');
const WINDOW = { since: '2026-11-01T00:00:00Z', until: '2026-12-01T00:00:00Z' };

function walk(dir) {
  if (statSync(dir).isFile()) return [dir];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (/\.json(\.gz)?$/.test(e.name) && !p.includes('CloudTrail-Digest')) out.push(p);
  }
  return out.sort();
}

/** One measurement, in this (child) process: `{ ms, events, cores, rssMB }` on stdout. */
async function child(spec) {
  const lib = require('../dist/index.js');
  const window = { since: new Date(spec.window.since), until: new Date(spec.window.until) };
  const t0 = performance.now();
  let events = 0;
  if (spec.kind === 'floor') {
    for (const f of walk(spec.trail)) {
      const buf = readFileSync(f);
      const text = (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
      events += JSON.parse(text).Records.length;
    }
  } else if (spec.kind === 'generate') {
    const r = await lib.runGenerate({
      function: 'orders-api',
      region: 'us-east-1',
      trails: [spec.trail],
      accountSnapshot: SAMPLE_ACCOUNT,
      window,
      workers: spec.workers,
    });
    events = r.usage.stats.eventsRead;
  } else {
    const r = await lib.runReport({
      trails: [spec.trail],
      accountSnapshot: SAMPLE_ACCOUNT,
      window,
      workers: spec.workers,
      ...(spec.cache ? { cacheDir: spec.cache } : {}),
    });
    events = r.account.base.stats.eventsRead;
  }
  const ms = performance.now() - t0;
  const ru = process.resourceUsage();
  const cpu = (ru.userCPUTime + ru.systemCPUTime) / 1000;
  process.stdout.write(JSON.stringify({ ms, events, cores: cpu / ms, rssMB: ru.maxRSS / 1024 }));
}

function runChild(spec) {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'bench.js'), '--child', JSON.stringify(spec)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (r.status !== 0 && r.status !== 3 && r.status !== 6) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Cases measured in `runs` rounds, each round running every case once after the floor (the
 * first case), so that the load of a shared machine, which drifts over minutes, weighs on a case
 * and its floor alike. Each row: the median time, the median of the per-round ratios to that
 * round's floor, and the peak RSS and cores of the median-time run.
 */
function measureRounds(cases, runs) {
  const runsOf = cases.map(() => []);
  for (let r = 0; r < runs; r++)
    cases.forEach((c, i) => {
      if (process.stderr.isTTY) process.stderr.write(`  round ${r + 1}/${runs}: ${c.label}…\n`);
      runsOf[i].push(runChild(c.spec));
    });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return cases.map((c, i) => {
    const all = runsOf[i];
    const mid = [...all].sort((a, b) => a.ms - b.ms)[Math.floor(all.length / 2)];
    return { label: c.label, ...mid, ratio: median(all.map((m, r) => m.ms / runsOf[0][r].ms)) };
  });
}

/** The median of `runs` measurements (by time); peak RSS and cores of that run. */
function measure(label, spec, runs) {
  if (process.stderr.isTTY) process.stderr.write(`  ${label}…\n`);
  const all = Array.from({ length: runs }, () => runChild(spec)).sort((a, b) => a.ms - b.ms);
  return { label, ...all[Math.floor(all.length / 2)] };
}

async function main() {
  const EVENTS = opt('--events', 300_000);
  const RUNS = opt('--runs', 3);
  const ROLES = opt('--roles', 40);
  const WORKERS = opt('--workers', availableParallelism());
  const { makeTrail } = require('./make-trail.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'pt-bench-'));
  const cache = mkdtempSync(path.join(tmpdir(), 'pt-bench-cache-'));
  if (!args.includes('--trail'))
    process.stderr.write(
      `writing a trail of ${EVENTS.toLocaleString('en-US')} events across ${ROLES} roles…\n`,
    );
  // `--trail DIR`: a trail made before (scripts/make-trail.js), e.g. 5,000,000 events, reused.
  const given = args.indexOf('--trail') >= 0 ? args[args.indexOf('--trail') + 1] : undefined;
  const trail = given
    ? {
        dir: path.resolve(given),
        events: NaN,
        files: walk(given).length,
        targetShare: NaN,
        corporaShare: NaN,
      }
    : makeTrail(EVENTS, path.join(dir, 'trail'), ROLES);
  const size = walk(trail.dir).reduce((s, f) => s + statSync(f).size, 0);
  try {
    const base = { trail: trail.dir, window: WINDOW };
    const noReport = args.includes('--no-report');
    const rounds = [
      ['floor: gunzip + JSON.parse, one thread', { kind: 'floor' }],
      ['generate --function orders-api, 1 thread', { kind: 'generate', workers: 1 }],
      [`generate --function orders-api, ${WORKERS} threads`, { kind: 'generate', workers: WORKERS }],
      // `--no-report`: generate only.
      ...(noReport
        ? []
        : [
            ['report --unused, 1 thread', { kind: 'report', workers: 1 }],
            [`report --unused, ${WORKERS} threads`, { kind: 'report', workers: WORKERS }],
          ]),
    ];
    const rows = measureRounds(
      rounds.map(([label, spec]) => ({ label, spec: { ...base, ...spec } })),
      RUNS,
    );
    const floor = rows[0];
    // With `--trail` or `--no-report`, the cache cases are left out (the last one writes a new
    // day into the trail).
    if (noReport || given) return print(rows, floor);
    rmSync(cache, { recursive: true, force: true });
    rows.push(
      measure(
        `report --unused --cache (cold), ${WORKERS} threads`,
        { ...base, kind: 'report', workers: WORKERS, cache },
        1,
      ),
    );
    rows.push(
      measure(
        `report --unused --cache (warm), ${WORKERS} threads`,
        { ...base, kind: 'report', workers: WORKERS, cache },
        RUNS,
      ),
    );
    // One new delivery day (a copy of the last one under a new date folder).
    const days = walk(trail.dir).map((f) => path.dirname(f));
    const last = days[days.length - 1];
    cpSync(last, path.join(path.dirname(last), '30'), { recursive: true });
    rows.push(
      measure(
        `report --unused --cache (warm + 1 new day), ${WORKERS} threads`,
        { ...base, kind: 'report', workers: WORKERS, cache },
        1,
      ),
    );

    const BIG = opt('--big-file', 0);
    if (BIG > 0) {
      const { makeBigFile } = require('./make-trail.js');
      process.stderr.write(`writing one file of ${BIG} MB…\n`);
      const big = makeBigFile(BIG, path.join(dir, 'export.json'));
      const bigBase = { trail: big.file, window: WINDOW };
      const bigFloor = measure(`one ${BIG} MB file: JSON.parse whole`, { ...bigBase, kind: 'floor' }, 1);
      rows.push({ ...bigFloor, floorOf: bigFloor.ms });
      rows.push({
        ...measure(
          `one ${BIG} MB file: generate (streamed)`,
          { ...bigBase, kind: 'generate', workers: 1 },
          1,
        ),
        floorOf: bigFloor.ms,
      });
    }
    print(rows, floor);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }

  function print(rows, floor) {
    if (given) trail.events = floor.events;
    console.log(
      `policy-tighten bench: ${trail.events.toLocaleString('en-US')} events in ${trail.files} files ` +
        `(${(size / 1e6).toFixed(1)} MB gzipped; orders-api-role ${(trail.targetShare * 100).toFixed(1)}% of the records, ` +
        `corpora ${(trail.corporaShare * 100).toFixed(1)}%), median of ${RUNS} runs; node ${process.version}, ` +
        `${availableParallelism()} cores (${cpus()[0]?.model ?? '?'})`,
    );
    console.log('| measurement | events | s | events/s | time / floor | peak RSS MB | cores |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of rows)
      console.log(
        `| ${r.label} | ${r.events.toLocaleString('en-US')} | ${(r.ms / 1000).toFixed(2)} | ` +
          `${Math.round((r.events / r.ms) * 1000).toLocaleString('en-US')} | ${(r.ratio ?? r.ms / (r.floorOf ?? floor.ms)).toFixed(2)} | ` +
          `${Math.round(r.rssMB)} | ${r.cores.toFixed(2)} |`,
      );
  }
}

const i = args.indexOf('--child');
(i >= 0 ? child(JSON.parse(args[i + 1])) : main()).catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
