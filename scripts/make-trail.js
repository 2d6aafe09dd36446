#!/usr/bin/env node
/**
 * A large trail for the benchmark (`npm run bench`), gzipped in the S3 delivery layout
 * (`AWSLogs/111122223333/CloudTrail/REGION/2026/11/DD/…json.gz`), 2,000 records a file:
 *
 * - the samples' Lambda-shaped traffic, copied many times; each copy belongs to one of `--roles`
 *   tenants, its functions and roles renamed (`orders-t7-api`, `orders-t7-api-role`: names that
 *   do not contain the samples' names, as distinct roles' names mostly do not), so that one
 *   role is a small share of the trail as in a real account; tenant 0 keeps the samples' names
 *   (the account snapshot's), so `generate --function orders-api` has a known role;
 * - about a tenth real events from `../shared/corpora` (when present), re-dated into the window:
 *   other principals, other services, real field shapes.
 *
 * Every record gets a fresh eventID; S3 keys get the copy number, so that usage stays realistic.
 * The account snapshot stays outside the trail folder (samples/account).
 *
 * Usage: node scripts/make-trail.js --events N --out DIR [--roles R]
 */
const { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } = require('node:fs');
const path = require('node:path');
const { gunzipSync, gzipSync } = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const CORPORA = path.resolve(ROOT, '..', 'shared', 'corpora');
/** The samples' function and role names, longest first (a name is never a prefix match of another). */
const NAMES = [
  'ingest-backfill-role',
  'image-resizer-role',
  'legacy-cron-role',
  'orders-api-role',
  'etl-legacy-role',
  'reports-role',
  'ingest-backfill',
  'report-weekly',
  'image-resizer',
  'report-daily',
  'legacy-cron',
  'orders-api',
];
const NAME_RE = new RegExp(`(${NAMES.join('|')})(?![\\w-])`, 'g');

function walk(dir, keep) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out.sort();
}

function sampleRecords() {
  return walk(
    path.join(ROOT, 'samples', 'trail'),
    (p) => /\.json\.gz$/.test(p) && !p.includes('Digest'),
  ).flatMap((f) => JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')).Records);
}

/** Real records of the corpora (delivery files, arrays, JSON lines), when they are here. */
function corporaRecords() {
  if (!existsSync(CORPORA)) return [];
  const out = [];
  for (const f of walk(CORPORA, (p) => /\.json(l)?(\.gz)?$/.test(p))) {
    let text;
    try {
      const raw = readFileSync(f);
      text = (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8');
    } catch {
      continue;
    }
    const take = (v) => {
      if (Array.isArray(v)) v.forEach(take);
      else if (v && typeof v === 'object') {
        if (Array.isArray(v.Records)) v.Records.forEach(take);
        else if (typeof v.eventName === 'string' && typeof v.eventSource === 'string') out.push(v);
      }
    };
    try {
      take(JSON.parse(text));
    } catch {
      for (const line of text.split('\n')) {
        try {
          take(JSON.parse(line));
        } catch {
          // not JSON lines either
        }
      }
    }
  }
  return out;
}

/**
 * Writes the trail; returns its directory, events, files, and the share of records that belong
 * to the benchmark's role (`orders-api-role`).
 */
function makeTrail(target, dir, roles = 40) {
  const samples = sampleRecords();
  const corpora = corporaRecords();
  rmSync(dir, { recursive: true, force: true });
  const perFile = 2_000;
  let n = 0;
  let file = 0;
  let targetRole = 0;
  let fromCorpora = 0;
  let s = 0;
  let c = 0;
  while (n < target) {
    const batch = [];
    for (let i = 0; i < perFile && n < target; i++, n++) {
      let r;
      if (corpora.length > 0 && n % 10 === 9) {
        r = structuredClone(corpora[c++ % corpora.length]);
        fromCorpora++;
        const t = Date.UTC(2026, 10, 2) + ((n * 7919) % (3 * 86_400)) * 1000;
        r.eventTime = new Date(t).toISOString().slice(0, 19) + 'Z';
      } else {
        const base = samples[s % samples.length];
        const copy = Math.floor(s / samples.length);
        s++;
        const tenant = copy % roles;
        r =
          tenant === 0
            ? structuredClone(base)
            : JSON.parse(JSON.stringify(base).replace(NAME_RE, (m) => m.replace('-', `-t${tenant}-`)));
        if (r.requestParameters && typeof r.requestParameters.key === 'string')
          r.requestParameters.key += `-${copy}`;
        if (tenant === 0 && JSON.stringify(r).includes('orders-api-role')) targetRole++;
      }
      r.eventID = `${String(r.eventID ?? 'e').slice(0, 20)}-${String(n).padStart(12, '0')}`;
      batch.push(r);
    }
    const day = String(2 + (file % 3)).padStart(2, '0');
    const region = file % 4 === 3 ? 'eu-west-1' : 'us-east-1';
    const sub = path.join(dir, 'AWSLogs', '111122223333', 'CloudTrail', region, '2026', '11', day);
    mkdirSync(sub, { recursive: true });
    writeFileSync(
      path.join(
        sub,
        `111122223333_CloudTrail_${region}_202611${day}T0000Z_${String(file++).padStart(6, '0')}.json.gz`,
      ),
      gzipSync(JSON.stringify({ Records: batch })),
    );
  }
  return { dir, events: n, files: file, targetShare: targetRole / n, corporaShare: fromCorpora / n };
}

/**
 * One uncompressed delivery file of about `mb` megabytes (`{"Records":[…]}` as an export writes
 * it), written piecewise so that the generator itself stays small.
 */
function makeBigFile(mb, file) {
  const { openSync, writeSync, closeSync } = require('node:fs');
  const samples = sampleRecords();
  const fd = openSync(file, 'w');
  writeSync(fd, '{"Records":[');
  let bytes = 0;
  let n = 0;
  while (bytes < mb * 1e6) {
    const r = structuredClone(samples[n % samples.length]);
    r.eventID = `${String(r.eventID ?? 'e').slice(0, 20)}-${String(n).padStart(12, '0')}`;
    const text = (n > 0 ? ',' : '') + JSON.stringify(r);
    writeSync(fd, text);
    bytes += text.length;
    n++;
  }
  writeSync(fd, ']}');
  closeSync(fd);
  return { file, events: n, bytes };
}

module.exports = { makeTrail, makeBigFile };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const out = opt('--out');
  if (!out) {
    console.error('usage: node scripts/make-trail.js --events N --out DIR [--roles R]');
    process.exit(2);
  }
  const t = makeTrail(Number(opt('--events', 300_000)), out, Number(opt('--roles', 40)));
  console.log(
    `${t.events} events in ${t.files} files under ${t.dir}; the role orders-api-role: ${(t.targetShare * 100).toFixed(1)}%; corpora: ${(t.corporaShare * 100).toFixed(1)}%`,
  );
}
