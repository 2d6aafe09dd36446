import { callsOf, generatePolicies, verifyPolicies } from '../../../src/generate';
import { patternCovers, stableCompactionPrefix } from '../../../src/generate/generalize';
import { compactionCandidates } from '../../../src/generate/quotas';
import { simulate } from '../../property/simulate';
import { s3obj, table, testCatalog, usageOf } from './helpers';

/** The longest common prefix, as the compaction computes it before cutting. */
function lcp(xs: readonly string[]): string {
  let p = xs[0];
  for (const x of xs) {
    let i = 0;
    while (i < p.length && i < x.length && p[i] === x[i]) i++;
    p = p.slice(0, i);
  }
  return p;
}

const days = (from: number, to: number, month = '11') =>
  Array.from(
    { length: to - from + 1 },
    (_, i) => `thumbnails/2026-${month}-${String(from + i).padStart(2, '0')}/x.jpg`,
  );
const parts = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `out/part-${String(from + i).padStart(4, '0')}.csv`);

describe('stableCompactionPrefix: a compaction is never outgrown by a date or counter', () => {
  it.each<[string, string[], string, string]>([
    // [case, names, the old pattern (longest common prefix), the pattern now]
    ['days 01–09 of a month (issue 12)', days(1, 9), 'thumbnails/2026-11-0*', 'thumbnails/*'],
    ['days 09 and 10', days(9, 10), 'thumbnails/2026-11-*', 'thumbnails/*'],
    ['across a month end', [...days(30, 30), ...days(1, 1, '12')], 'thumbnails/2026-1*', 'thumbnails/*'],
    [
      'across a year end',
      ['thumbnails/2026-12-31/x.jpg', 'thumbnails/2027-01-01/x.jpg'],
      'thumbnails/202*',
      'thumbnails/*',
    ],
    ['date folders', ['logs/2026/11/01/a', 'logs/2026/11/09/b'], 'logs/2026/11/0*', 'logs/*'],
    ['a Hive partition', ['ev/dt=2026-11-01/a', 'ev/dt=2026-11-02/b'], 'ev/dt=2026-11-0*', 'ev/dt=*'],
    ['counters 0001–0009', parts(1, 9), 'out/part-000*', 'out/part-*'],
    ['counters 0001–0010', parts(1, 10), 'out/part-00*', 'out/part-*'],
    ['a counter glued to a word', ['img001', 'img002', 'img009'], 'img00*', 'img*'],
    [
      'a counter after a separator',
      ['etl_stage_0', 'etl_stage_17', 'etl_stage_899'],
      'etl_stage_*',
      'etl_stage_*',
    ],
    ['hex ids', ['objects/3fa9c2d1e4b7.bin', 'objects/3fb7e0aa91c2.bin'], 'objects/3f*', 'objects/*'],
    ['hex ids sharing letters only', ['k/abcd1234ef', 'k/abce5678ab'], 'k/abc*', 'k/*'],
    [
      'uuid names',
      ['u/01855f10-98f5-48be-bb27-381ecfb619ef', 'u/04160356-2b1d-4486-822d-e9be423723f6'],
      'u/0*',
      'u/*',
    ],
    // No number where the names differ: unchanged.
    ['no digits', ['etl_stage_orders', 'etl_stage_owners'], 'etl_stage_o*', 'etl_stage_o*'],
    ['no digits, at a boundary', ['cfg/alpha.json', 'cfg/beta.json'], 'cfg/*', 'cfg/*'],
    ['a word then a number', ['file1', 'file2', 'file10'], 'file*', 'file*'],
    ['a shared version folder', ['api/v2/alpha', 'api/v2/beta'], 'api/v2/*', 'api/v2/*'],
    ['one counter, two extensions', ['part-0001.csv', 'part-0001.json'], 'part-0001.*', 'part-0001.*'],
  ])('%s', (_, names, before, after) => {
    const prefix = lcp(names);
    expect(`${prefix}*`).toBe(before);
    const cut = stableCompactionPrefix(prefix, names);
    expect(`${cut}*`).toBe(after);
    // Never covers less than before: a prefix of the old prefix, covering every name
    expect(prefix.startsWith(cut)).toBe(true);
    for (const n of names) expect(patternCovers(`${cut}*`, n)).toBe(true);
    expect(patternCovers(`${cut}*`, `${prefix}*`)).toBe(true);
    // Deterministic, whatever the order of the names
    expect(stableCompactionPrefix(prefix, [...names].reverse())).toBe(cut);
  });

  it('keeps covering the next day, month and counter', () => {
    const cut = `${stableCompactionPrefix(lcp(days(1, 9)), days(1, 9))}*`;
    for (const next of [
      'thumbnails/2026-11-10/x.jpg',
      'thumbnails/2026-12-01/x.jpg',
      'thumbnails/2027-01-01/x.jpg',
    ])
      expect(patternCovers(cut, next)).toBe(true);
    const counter = `${stableCompactionPrefix(lcp(parts(1, 9)), parts(1, 9))}*`;
    expect(patternCovers(counter, 'out/part-0010.csv')).toBe(true);
    expect(patternCovers(counter, 'out/part-10000.csv')).toBe(true);
  });
});

describe('compaction candidates cut at the boundary', () => {
  it('offers thumbnails/* for the keys of days 01–09, not thumbnails/2026-11-0*', async () => {
    const catalog = await testCatalog();
    const resources = days(1, 9).map((k) => s3obj('acme-uploads', k));
    const [best] = compactionCandidates(
      [{ actions: ['s3:PutObject'], resources, denied: false, origins: [] }],
      catalog,
    );
    expect(best.pattern).toBe('arn:aws:s3:::acme-uploads/thumbnails/*');
    expect(best.covered).toEqual([...resources].sort());
  });

  it('offers nothing where the cut leaves fewer than 3 characters of name', async () => {
    const catalog = await testCatalog();
    const resources = ['2026_11_01_orders', '2026_11_02_orders'].map((n) => table(n));
    expect(
      compactionCandidates(
        [{ actions: ['dynamodb:GetItem'], resources, denied: false, origins: [] }],
        catalog,
      ),
    ).toEqual([]);
  });

  it('a policy compacted under a tight quota still allows every observed call (iam-simulate)', async () => {
    // Given a function that wrote 9 days of thumbnails and 600 counted parts, under a quota of one document
    const catalog = await testCatalog();
    const keys = [
      ...Array.from({ length: 9 }, (_, d) =>
        Array.from(
          { length: 20 },
          (__, i) => `thumbnails/2026-11-0${d + 1}/img-${String(i).padStart(3, '0')}.jpg`,
        ),
      ).flat(),
      ...Array.from({ length: 600 }, (_, i) => `exports/part-${String(i + 1).padStart(4, '0')}.csv`),
    ];
    const usage = usageOf(keys.map((k): [string, string] => ['s3:PutObject', s3obj('acme-uploads', k)]));
    const r = generatePolicies(usage, {
      catalog,
      granularity: 'exact',
      quotas: { managedPoliciesPerRole: 1 },
    });
    expect(r.policies).toHaveLength(1);
    const resources = r.policies[0].Statement.flatMap((s) => s.Resource as string[]);
    expect(resources).toEqual(
      expect.arrayContaining([
        'arn:aws:s3:::acme-uploads/exports/part-*',
        'arn:aws:s3:::acme-uploads/thumbnails/*',
      ]),
    );
    expect(resources.some((x) => /\d\*$/.test(x))).toBe(false);
    expect(r.findings.filter((f) => f.code === 'PT-COMPACTED').map((f) => f.id)).toEqual(
      expect.arrayContaining(['PT-COMPACTED[arn:aws:s3:::acme-uploads/exports/part-*]']),
    );
    expect(verifyPolicies(r.policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual([]);
    // Every observed call, and tomorrow's keys, allowed by the independent evaluator
    for (const k of [...keys.filter((_, i) => i % 37 === 0), keys[keys.length - 1]])
      expect(await simulate(r.policies, 's3:PutObject', s3obj('acme-uploads', k))).toBe('Allowed');
    for (const k of ['thumbnails/2026-11-10/img-000.jpg', 'exports/part-0601.csv'])
      expect(await simulate(r.policies, 's3:PutObject', s3obj('acme-uploads', k))).toBe('Allowed');
  });
});
