import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InputError } from '../../../src/errors';
import { deliveryDayOf, discoverTraceFiles, isTraceFileName } from '../../../src/ingest';

let tmp: string;
const at = (...parts: string[]): string => path.join(tmp, ...parts);

async function touch(file: string, content = '{"Records":[]}'): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.writeFile(file, content);
}

const ACCOUNT_TRAIL = ['AWSLogs', '111122223333', 'CloudTrail', 'eu-west-1'];
const ORG_TRAIL = ['AWSLogs', 'o-abc123', '111122223333', 'CloudTrail', 'us-east-1'];

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pt-discover-'));
  // Flat folder with every extension, other files and a digest by name.
  await touch(at('flat', 'a.json'));
  await touch(at('flat', 'b.JSON.GZ'));
  await touch(at('flat', 'c.jsonl'));
  await touch(at('flat', 'd.jsonl.gz'));
  await touch(at('flat', 'e.ndjson'));
  await touch(at('flat', 'notes.yaml'));
  await touch(at('flat', 'README.md'));
  await touch(at('flat', '111122223333_CloudTrail-Digest_eu-west-1_trail_20261101T000000Z.json.gz'));
  await touch(at('flat', 'nested', 'deep', 'f.json'));
  // S3 layout: an account trail with three days, an org trail with one, and digests beside them.
  for (const day of ['10', '20', '30']) {
    await touch(
      at(
        's3',
        ...ACCOUNT_TRAIL,
        '2026',
        '10',
        day,
        `111122223333_CloudTrail_eu-west-1_202610${day}T1200Z_x.json.gz`,
      ),
    );
  }
  await touch(at('s3', ...ORG_TRAIL, '2026', '11', '01', 'o_CloudTrail_us-east-1_20261101T0000Z_y.json.gz'));
  await touch(
    at(
      's3',
      'AWSLogs',
      '111122223333',
      'CloudTrail-Digest',
      'eu-west-1',
      '2026',
      '10',
      '10',
      'digest.json.gz',
    ),
  );
  // A symlink loop and a link to a file.
  await touch(at('loop', 'x.json'));
  await fsp.symlink(at('loop'), at('loop', 'again'));
  await fsp.symlink(at('flat', 'a.json'), at('loop', 'link-to-a.json'));
  await fsp.symlink(at('nowhere.json'), at('loop', 'dangling.json'));
});

afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

describe('discoverTraceFiles', () => {
  it('Given a flat folder, When discovered, Then trace extensions are taken and the rest ignored', async () => {
    // Given 6 trace files (one nested), 2 other files and 1 digest by name; When discovered;
    // Then the 6 come back sorted, and 3 are counted as ignored.
    const result = await discoverTraceFiles([at('flat')], {});
    expect(result.files.map((f) => path.relative(tmp, f.path))).toEqual([
      'flat/a.json',
      'flat/b.JSON.GZ',
      'flat/c.jsonl',
      'flat/d.jsonl.gz',
      'flat/e.ndjson',
      'flat/nested/deep/f.json',
    ]);
    expect(result.ignored).toBe(3);
    expect(result.outsideWindow).toBe(0);
    expect(result.problems).toEqual([]);
    expect(result.files[0].size).toBe('{"Records":[]}'.length);
  });

  it('Given a file named explicitly, When discovered, Then it is taken whatever its name', async () => {
    const result = await discoverTraceFiles([at('flat', 'notes.yaml')], {});
    expect(result.files.map((f) => f.path)).toEqual([at('flat', 'notes.yaml')]);
    expect(result.ignored).toBe(0);
  });

  it('Given the same files through two inputs and a symlink, When discovered, Then each file comes once', async () => {
    const result = await discoverTraceFiles(
      [at('flat', 'a.json'), at('flat'), at('flat', 'a.json'), at('loop')],
      {},
    );
    const relative = result.files.map((f) => path.relative(tmp, f.path));
    expect(relative.filter((p) => p.endsWith('a.json'))).toEqual(['flat/a.json']);
    expect(relative).toContain('loop/x.json');
    // The symlink loop (loop/again -> loop) is visited once, not forever.
    expect(relative.filter((p) => p.endsWith('x.json'))).toHaveLength(1);
  });

  it('Given a dangling symlink, When discovered, Then it is ignored', async () => {
    const result = await discoverTraceFiles([at('loop')], {});
    expect(result.ignored).toBe(1);
  });

  it('Given an S3-layout tree and no window, When discovered, Then all day files are taken and digests ignored', async () => {
    const result = await discoverTraceFiles([at('s3')], {});
    expect(result.files).toHaveLength(4);
    expect(result.ignored).toBe(1);
    expect(result.outsideWindow).toBe(0);
  });

  it('Given a window, When discovered, Then only day folders wholly outside it are pruned', async () => {
    // Given days 10-10, 10-20, 10-30 and (org trail) 11-01, and the window [10-20 12:00, 10-30);
    // When discovered; Then 10-10 is pruned (ends before since); 10-20 kept (overlaps);
    // 10-30 kept (it may hold events from 10-29 23:xx, before until); 11-01 pruned
    // (11-01 minus a day = 10-31 >= until).
    const result = await discoverTraceFiles([at('s3')], {
      since: new Date('2026-10-20T12:00:00Z'),
      until: new Date('2026-10-30T00:00:00Z'),
    });
    expect(result.files.map((f) => path.basename(f.path))).toEqual([
      '111122223333_CloudTrail_eu-west-1_20261020T1200Z_x.json.gz',
      '111122223333_CloudTrail_eu-west-1_20261030T1200Z_x.json.gz',
    ]);
    expect(result.outsideWindow).toBe(2);
  });

  it('Given a since exactly at the end of a day folder, When discovered, Then that folder is pruned', async () => {
    const result = await discoverTraceFiles([at('s3')], { since: new Date('2026-10-11T00:00:00Z') });
    expect(result.files.map((f) => path.basename(f.path)).some((n) => n.includes('20261010'))).toBe(false);
    expect(result.outsideWindow).toBe(1);
  });

  it('Given flat files and a window, When discovered, Then they are never pruned', async () => {
    const result = await discoverTraceFiles([at('flat')], { since: new Date('2099-01-01T00:00:00Z') });
    expect(result.files).toHaveLength(6);
    expect(result.outsideWindow).toBe(0);
  });

  it('Given an explicit S3-layout file outside the window, When discovered, Then it is still taken', async () => {
    const file = at(
      's3',
      ...ACCOUNT_TRAIL,
      '2026',
      '10',
      '10',
      '111122223333_CloudTrail_eu-west-1_20261010T1200Z_x.json.gz',
    );
    const result = await discoverTraceFiles([file], { since: new Date('2099-01-01T00:00:00Z') });
    expect(result.files.map((f) => f.path)).toEqual([file]);
  });

  it('Given a missing input, When discovered, Then InputError "trail path not found"', async () => {
    const missing = at('does-not-exist');
    await expect(discoverTraceFiles([missing], {})).rejects.toThrow(InputError);
    await expect(discoverTraceFiles([missing], {})).rejects.toThrow(`trail path not found: ${missing}`);
  });

  it('Given an unreadable subdirectory, When discovered, Then it is a problem, not a failure', async () => {
    if (process.getuid?.() === 0) return; // Root reads everything.
    await touch(at('locked-parent', 'ok.json'));
    await fsp.mkdir(at('locked-parent', 'locked'));
    await fsp.chmod(at('locked-parent', 'locked'), 0o000);
    try {
      const result = await discoverTraceFiles([at('locked-parent')], {});
      expect(result.files).toHaveLength(1);
      expect(result.problems.map((p) => p.code)).toEqual(['PT-FILE-UNREADABLE']);
    } finally {
      await fsp.chmod(at('locked-parent', 'locked'), 0o700);
    }
  });
});

describe('isTraceFileName', () => {
  it.each([
    ['x/a.json', true],
    ['x/a.Json.Gz', true],
    ['x/a.ndjson', true],
    ['x/a.json.bak', false],
    ['x/.json', false],
    ['x/CloudTrail-Digest/eu-west-1/a.json.gz', false],
    ['x/cloudtrail-digest/a.json.gz', false],
    ['x/1_CloudTrail-Digest_eu-west-1_t.json.gz', false],
    ['x/a.yaml', false],
  ])('Given %s, When checked, Then %s', (file, expected) => {
    expect(isTraceFileName(file)).toBe(expected);
  });
});

describe('deliveryDayOf', () => {
  it.each([
    ['/b/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/02/f.json.gz', '2026-11-02'],
    ['/b/AWSLogs/o-abc/111122223333/CloudTrail/us-gov-west-1/2026/01/31/f.json.gz', '2026-01-31'],
    ['/sync/CloudTrail/ap-southeast-2/2025/12/31/sub/f.json.gz', '2025-12-31'],
    ['/b/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/02/30/f.json.gz', undefined],
    ['/b/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/f.json.gz', undefined],
    ['/b/CloudTrail/not a region/2026/11/02/f.json.gz', undefined],
    ['/flat/111122223333_CloudTrail_eu-west-1_20261102T1015Z_x.json.gz', undefined],
  ])('Given %s, When parsed, Then the day is %s', (file, expected) => {
    const day = deliveryDayOf(file);
    expect(day === undefined ? undefined : new Date(day).toISOString().slice(0, 10)).toBe(expected);
  });
});
