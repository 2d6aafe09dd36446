#!/usr/bin/env node
/**
 * Mapping coverage over the real public CloudTrail corpora (../shared/corpora, see its README):
 * per corpus, files and events parsed, and the share of distinct (eventSource, eventName) pairs
 * that the mapping turns into valid IAM actions or classifies explicitly (no permission needed,
 * unmapped with a reason, rejected); and the resolution rate: of the (event, action) pairs whose
 * action has a required resource type and whose event names the resource, the share that got a
 * concrete ARN, per corpus and service (src/analyze/resolution.ts). Run after `npm run build`:
 *
 *   node scripts/corpora-coverage.js [CORPORA_DIR] [--unmapped]
 */
const path = require('node:path');
const { readdirSync } = require('node:fs');
const lib = require('../dist/index.js');

const args = process.argv.slice(2);
const showUnmapped = args.includes('--unmapped');
const dir = args.find((a) => !a.startsWith('--')) ?? path.resolve(__dirname, '..', '..', 'shared', 'corpora');

function walk(d) {
  const out = [];
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (/\.(json|json\.gz|jsonl)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

async function main() {
  const catalog = await lib.loadCatalog();
  const mapper = lib.createMapper(catalog);
  const total = { files: 0, notTrail: 0, events: 0, malformed: 0, pairs: new Map(), resolution: new Map() };
  const rows = [];
  for (const corpus of readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()) {
    const c = { files: 0, notTrail: 0, events: 0, malformed: 0, pairs: new Map(), resolution: new Map() };
    for (const file of walk(path.join(dir, corpus))) {
      const events = [];
      const outcome = await lib.readTraceFile(file, {
        record(raw) {
          const r = lib.parseRecord(raw);
          if (r.ok) events.push(r.event);
          else c.malformed++;
        },
        malformed() {
          c.malformed++;
        },
      });
      c.files++;
      if (outcome.problem && outcome.records === 0) c.notTrail++;
      for (const e of events) {
        c.events++;
        const p = mapper.prepare(e);
        if (p) await p;
        const r = mapper.map(e);
        lib.countResolution(e, r, catalog, c.resolution);
        const key = `${e.eventSource} ${e.eventName}`;
        const kinds = c.pairs.get(key) ?? new Set();
        kinds.add(r.kind === 'unmapped' ? `unmapped:${r.finding.code}` : r.kind);
        c.pairs.set(key, kinds);
      }
    }
    for (const k of ['files', 'notTrail', 'events', 'malformed']) total[k] += c[k];
    for (const [k, v] of c.pairs) total.pairs.set(k, new Set([...(total.pairs.get(k) ?? []), ...v]));
    for (const [svc, v] of c.resolution) {
      const t = total.resolution.get(svc) ?? { counted: 0, resolved: 0 };
      total.resolution.set(svc, { counted: t.counted + v.counted, resolved: t.resolved + v.resolved });
    }
    rows.push([corpus, c]);
  }
  rows.push(['**all**', total]);
  const classify = (kinds) =>
    kinds.has('mapped')
      ? 'mapped'
      : kinds.has('no-permission')
        ? 'no-permission'
        : kinds.has('rejected')
          ? 'rejected'
          : [...kinds][0];
  console.log(
    '| corpus | files | not CloudTrail | events parsed | malformed | distinct pairs | mapped | no permission | rejected | unmapped (no action) | unknown service | classified |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, c] of rows) {
    const counts = {
      mapped: 0,
      'no-permission': 0,
      rejected: 0,
      'unmapped:PT-UNMAPPED': 0,
      'unmapped:PT-UNKNOWN-SERVICE': 0,
    };
    for (const kinds of c.pairs.values()) counts[classify(kinds)] = (counts[classify(kinds)] ?? 0) + 1;
    const n = c.pairs.size;
    const ok = counts.mapped + counts['no-permission'];
    console.log(
      `| ${name} | ${c.files} | ${c.notTrail} | ${c.events} | ${c.malformed} | ${n} | ${counts.mapped} | ${counts['no-permission']} | ${counts.rejected} | ${counts['unmapped:PT-UNMAPPED']} | ${counts['unmapped:PT-UNKNOWN-SERVICE']} | ${n ? ((100 * ok) / n).toFixed(1) : '-'}% |`,
    );
  }
  console.log('');
  console.log(
    '| corpus | pairs naming their resource | with a concrete ARN | rate | per service (resolved/counted) |',
  );
  console.log('|---|---:|---:|---:|---|');
  for (const [name, c] of rows) {
    const t = lib.totalResolution(c.resolution);
    const per = [...c.resolution]
      .sort((a, b) => b[1].counted - a[1].counted || (a[0] < b[0] ? -1 : 1))
      .map(([svc, v]) => `${svc} ${v.resolved}/${v.counted}`)
      .join(', ');
    console.log(
      `| ${name} | ${t.counted} | ${t.resolved} | ${t.counted ? ((100 * t.resolved) / t.counted).toFixed(1) : '-'}% | ${per} |`,
    );
  }
  if (showUnmapped) {
    for (const [k, kinds] of [...total.pairs].sort())
      if (!kinds.has('mapped') && !kinds.has('no-permission')) console.log(`${[...kinds].join(',')}\t${k}`);
  }
}
main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
