#!/usr/bin/env node
/**
 * Benchmark of the structural record scanners (`src/ingest/record-scan.ts` in JavaScript,
 * `src/ingest/record-scan.wat` in WebAssembly) against `JSON.parse` on one large delivery-file
 * text. Run after `npm run build`:
 *
 *   node scripts/bench-scan.js [--mb 20] [--runs 5] [--fraction 0.02]
 *
 * Builds a `{"Records":[…]}` text of about `--mb` MB (UTF-16 code units, i.e. characters) from
 * the records of every delivery file under samples/trail, repeated with fresh eventIDs, then
 * prints the best of `--runs` runs, in MB/s of text, of:
 * - `JSON.parse(text)` (what reading a delivery file costs today);
 * - `scanRecords(text)` alone;
 * - `scanRecords(text)` + `JSON.parse` of `--fraction` of the records (the one-principal case:
 *   the records whose text contains a needle that only that fraction carries);
 * - the same two over the text's bytes with the WebAssembly scanner (`scanRecordBytes`, which
 *   copies them into its memory: that copy is counted), as read-file.ts uses it.
 */
const { readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { gunzipSync } = require('node:zlib');
const { performance } = require('node:perf_hooks');
const { Buffer } = require('node:buffer');
const { scanRecords } = require('../dist/ingest/record-scan.js');
const { scanRecordBytes } = require('../dist/ingest/record-scan-wasm.js');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : dflt;
};
// 20 MB: within what one WebAssembly scanner per thread keeps (record-scan-wasm.ts, KEEP_BYTES);
// a larger document gets a scanner of its own, and its memory, at every call.
const TARGET_MB = opt('--mb', 20);
const RUNS = opt('--runs', 5);
const FRACTION = opt('--fraction', 0.02);

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (/\.json(\.gz)?$/.test(e.name)) yield p;
  }
}

const sampleRecords = [];
for (const f of files(path.join(__dirname, '..', 'samples', 'trail'))) {
  const buf = readFileSync(f);
  const doc = JSON.parse((f.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8'));
  if (Array.isArray(doc.Records)) sampleRecords.push(...doc.Records);
}
if (sampleRecords.length === 0) throw new Error('no delivery-file records under samples/trail');

// Records serialised once; each copy gets a fresh eventID by replacing the original's text. A
// marked fraction of the copies carries a needle in userIdentity (the "one principal").
const NEEDLE = 'bench-principal-7f3a';
const templates = sampleRecords.map((r) => ({ json: JSON.stringify(r), id: JSON.stringify(r.eventID) }));
const parts = [];
let size = 0;
let n = 0;
let marked = 0;
const every = Math.max(1, Math.round(1 / FRACTION));
while (size < TARGET_MB * 1e6) {
  const t = templates[n % templates.length];
  const id = `"${n.toString(16).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}"`;
  let json = t.json.replace(t.id, id);
  if (n % every === 0) {
    json = json.replace('"userIdentity":{', `"userIdentity":{"principalTag":"${NEEDLE}",`);
    marked++;
  }
  parts.push(json);
  size += json.length + 1;
  n++;
}
// Through a Buffer, as a delivery file is read: a flat string, not a concatenation.
const text = Buffer.from(`{"Records":[${parts.join(',')}]}`, 'utf8').toString('utf8');
parts.length = 0;
const mb = text.length / 1e6;
console.log(
  `text: ${mb.toFixed(1)} MB (characters), ${n} records from ${sampleRecords.length} sample records, ` +
    `${marked} carrying the needle (${((100 * marked) / n).toFixed(1)}%)`,
);

// Sanity: the scanner agrees with JSON.parse on this text.
{
  const scanned = scanRecords(text);
  const parsed = JSON.parse(text).Records;
  if (!scanned || scanned.length !== parsed.length) throw new Error('scanner disagrees with JSON.parse');
  for (const i of [0, 1, Math.floor(parsed.length / 2), parsed.length - 1]) {
    const r = scanned[i];
    if (JSON.stringify(JSON.parse(text.slice(r.start, r.end))) !== JSON.stringify(parsed[i])) {
      throw new Error(`record ${i}: wrong boundaries`);
    }
  }
}

function oneParse() {
  return JSON.parse(text).Records.length;
}
function scanOnly() {
  return scanRecords(text).length;
}
function scanAndParse() {
  const records = scanRecords(text);
  let kept = 0;
  let counted = 0;
  // The next occurrence of the needle, searched again only once a record starts past it: a
  // plain `text.indexOf(NEEDLE, r.start)` per record would scan on to the next match each time.
  let next = -1;
  for (const r of records) {
    if (next < r.start && next !== Infinity) {
      const at = text.indexOf(NEEDLE, r.start);
      next = at < 0 ? Infinity : at;
    }
    if (next < r.end) {
      JSON.parse(text.slice(r.start, r.end));
      kept++;
    } else if (r.eventSource !== undefined) {
      counted++;
    }
  }
  return kept + counted;
}

function best(name, fn) {
  let bestMs = Infinity;
  let result;
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    result = fn();
    const ms = performance.now() - t0;
    if (ms < bestMs) bestMs = ms;
  }
  console.log(
    `${name.padEnd(44)} ${(mb / (bestMs / 1000)).toFixed(0).padStart(6)} MB/s  (best ${bestMs.toFixed(1)} ms of ${RUNS}; ${result})`,
  );
  return bestMs;
}

const bytes = Buffer.from(text, 'utf8');
if (scanRecordBytes(bytes)?.count !== JSON.parse(text).Records.length) {
  throw new Error('the WebAssembly scanner disagrees with JSON.parse');
}
function wasmOnly() {
  return scanRecordBytes(bytes).count;
}
function wasmAndParse() {
  const scanned = scanRecordBytes(bytes);
  const needle = Buffer.from(NEEDLE);
  let kept = 0;
  let counted = 0;
  let next = -1;
  for (let k = 0; k < scanned.count; k++) {
    const r = scanned.record(k);
    if (next < r.start && next !== Infinity) {
      const at = scanned.find(needle, r.start);
      next = at < 0 ? Infinity : at;
    }
    if (next < r.end) {
      JSON.parse(bytes.toString('utf8', r.start, r.end));
      kept++;
    } else if (r.eventSource !== undefined) {
      counted++;
    }
  }
  return kept + counted;
}

const parseMs = best('JSON.parse(text)', oneParse);
const scanMs = best('scanRecords(text)', scanOnly);
const bothMs = best(`scanRecords + JSON.parse of ${(FRACTION * 100).toFixed(0)}% (needle)`, scanAndParse);
const wasmMs = best('scanRecordBytes(bytes) (WebAssembly)', wasmOnly);
const wasmBothMs = best(
  `scanRecordBytes + JSON.parse of ${(FRACTION * 100).toFixed(0)}% (needle)`,
  wasmAndParse,
);
console.log(
  `speed-up over JSON.parse: scan ${(parseMs / scanMs).toFixed(2)}×, scan + ${(FRACTION * 100).toFixed(0)}% parse ${(parseMs / bothMs).toFixed(2)}×; ` +
    `WebAssembly scan ${(parseMs / wasmMs).toFixed(2)}×, + parse ${(parseMs / wasmBothMs).toFixed(2)}×`,
);
