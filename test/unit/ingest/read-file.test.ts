import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { NOT_CLOUDTRAIL_REASON, readTraceFile } from '../../../src/ingest';
import { collect, FIXTURES, ids } from '../../fixtures/ingest/collect';

const fixture = (name: string): string => path.join(FIXTURES, name);

/** Binary fixtures are generated: gzip output is not stable across zlib versions. */
let tmp: string;
const generated = (name: string): string => path.join(tmp, name);

/** A delivery file big enough that gzip cut in half still holds complete records. */
function bigDelivery(count: number): string {
  const records = Array.from({ length: count }, (_, i) => ({
    eventTime: '2026-11-02T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'eu-west-1',
    eventID: `big-${i}`,
    // Random-ish padding so that gzip cannot squeeze everything into a few bytes.
    requestParameters: { bucketName: 'b', key: `k/${i}/${(i * 2654435761) % 1000003}` },
  }));
  return JSON.stringify({ Records: records });
}

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'pt-read-file-'));
  const delivery = await fsp.readFile(fixture('delivery.json'));
  await fsp.writeFile(generated('delivery.json.gz'), gzipSync(delivery));
  // A gzip file without the .gz name, and a plain file with it: detection is by magic bytes.
  await fsp.writeFile(generated('gzip-named-plain.json'), gzipSync(delivery));
  await fsp.writeFile(generated('plain-named-gzip.json.gz'), delivery);
  // Named .json.gz but neither gzip nor JSON.
  await fsp.writeFile(generated('garbage.json.gz'), Buffer.from('this is not gzip at all'));
  const big = gzipSync(bigDelivery(400));
  await fsp.writeFile(generated('big.json.gz'), big);
  await fsp.writeFile(generated('truncated.json.gz'), big.subarray(0, Math.floor(big.length / 2)));
  // Gzip magic followed by garbage.
  await fsp.writeFile(
    generated('corrupt.json.gz'),
    Buffer.concat([big.subarray(0, 10), Buffer.alloc(200, 0x55)]),
  );
  await fsp.writeFile(generated('empty.json.gz'), gzipSync(Buffer.alloc(0)));
  await fsp.writeFile(
    generated('events.jsonl.gz'),
    gzipSync(await fsp.readFile(fixture('events-one-bad-line.jsonl'))),
  );
  await fsp.writeFile(generated('unreadable.json'), delivery);
  await fsp.chmod(generated('unreadable.json'), 0o000);
});

afterAll(async () => {
  await fsp.chmod(generated('unreadable.json'), 0o600).catch(() => undefined);
  await fsp.rm(tmp, { recursive: true, force: true });
});

/** Both paths must give the same result for every well-formed layout. */
const MODES = [
  ['whole-file', undefined],
  ['streaming', { maxBufferedBytes: 16 }],
] as const;

describe.each(MODES)('readTraceFile (%s path)', (_mode, options) => {
  it('Given a CloudTrail delivery file, When read, Then every record is delivered in order', async () => {
    // Given delivery.json with 3 events; When read; Then 3 records, format records, no problem.
    const { outcome, records, malformed } = await collect(fixture('delivery.json'), options);
    expect(outcome).toEqual({ format: 'records', records: 3 });
    expect(ids(records)).toEqual([
      '11111111-1111-1111-1111-111111111111',
      '22222222-2222-2222-2222-222222222222',
      '33333333-3333-3333-3333-333333333333',
    ]);
    expect(malformed).toEqual([]);
  });

  it('Given a gzipped delivery file, When read, Then it is decompressed', async () => {
    const { outcome, records } = await collect(generated('delivery.json.gz'), options);
    expect(outcome).toEqual({ format: 'records', records: 3 });
    expect(records).toHaveLength(3);
  });

  it('Given gzip named .json and plain JSON named .gz, When read, Then both work (magic bytes decide)', async () => {
    expect((await collect(generated('gzip-named-plain.json'), options)).outcome).toEqual({
      format: 'records',
      records: 3,
    });
    expect((await collect(generated('plain-named-gzip.json.gz'), options)).outcome).toEqual({
      format: 'records',
      records: 3,
    });
  });

  it('Given a delivery file with non-object items, When read, Then they go to malformed and objects to records', async () => {
    // Given 10 items of which 2 are not objects; When read; Then 8 records (validation is
    // parseRecord's job) and 2 malformed reasons naming the position only.
    const { outcome, records, malformed } = await collect(fixture('delivery-bad-events.json'), options);
    expect(outcome).toEqual({ format: 'records', records: 8 });
    expect(records).toHaveLength(8);
    expect(malformed).toEqual(['Records[7]: not a JSON object', 'Records[8]: not a JSON object']);
  });

  it('Given {"Records": []}, When read, Then it is a valid delivery file with no records', async () => {
    const { outcome } = await collect(fixture('records-empty.json'), options);
    expect(outcome).toEqual({ format: 'records', records: 0 });
  });

  it('Given a JSON array export with a UTF-8 BOM, When read, Then the BOM is skipped', async () => {
    const { outcome, records, malformed } = await collect(fixture('export-with-bom.json'), options);
    expect(outcome).toEqual({ format: 'array', records: 2 });
    expect(ids(records)).toEqual(['b1', 'b2']);
    expect(malformed).toEqual(['item[2]: not a JSON object']);
  });

  it('Given JSON lines with a bad line, When read, Then the bad lines are reported by number and the rest kept', async () => {
    // Given 5 lines: ok, truncated, blank, an array, ok (CRLF on line 1); When read; Then 2 records.
    const { outcome, records, malformed } = await collect(fixture('events-one-bad-line.jsonl'), options);
    expect(outcome).toEqual({ format: 'jsonl', records: 2 });
    expect(ids(records)).toEqual(['l1', 'l5']);
    expect(malformed).toEqual(['line 2: invalid JSON', 'line 4: not a JSON object']);
  });

  it('Given gzipped JSON lines, When read, Then they are read like plain ones', async () => {
    const { outcome, malformed } = await collect(generated('events.jsonl.gz'), options);
    expect(outcome).toEqual({ format: 'jsonl', records: 2 });
    expect(malformed).toHaveLength(2);
  });

  it('Given a large gzipped delivery file, When read, Then all 400 records arrive', async () => {
    const { outcome, records } = await collect(generated('big.json.gz'), options);
    expect(outcome).toEqual({ format: 'records', records: 400 });
    expect(ids(records)[399]).toBe('big-399');
  });

  it.each([['authorization-details.json'], ['foo.json'], ['number.json'], ['array-not-events.json']])(
    'Given valid JSON that is not CloudTrail (%s), When read, Then PT-FILE-NOT-CLOUDTRAIL',
    async (name) => {
      // Given JSON of another shape; When read; Then one clear problem and nothing delivered.
      const { outcome, records, malformed } = await collect(fixture(name), options);
      expect(outcome).toEqual({
        format: 'none',
        records: 0,
        problem: { file: fixture(name), code: 'PT-FILE-NOT-CLOUDTRAIL', reason: NOT_CLOUDTRAIL_REASON },
      });
      expect(records).toEqual([]);
      expect(malformed).toEqual([]);
    },
  );

  it.each([['empty.json'], ['whitespace.json']])(
    'Given an empty or blank file (%s), When read, Then PT-FILE-EMPTY',
    async (name) => {
      const { outcome } = await collect(fixture(name), options);
      expect(outcome.format).toBe('none');
      expect(outcome.problem?.code).toBe('PT-FILE-EMPTY');
    },
  );

  it('Given a gzip of nothing, When read, Then PT-FILE-EMPTY', async () => {
    const { outcome } = await collect(generated('empty.json.gz'), options);
    expect(outcome.problem).toEqual({
      file: generated('empty.json.gz'),
      code: 'PT-FILE-EMPTY',
      reason: 'file is empty (after gunzip)',
    });
  });

  it('Given a file without read permission, When read, Then PT-FILE-UNREADABLE (no throw)', async () => {
    // Root ignores file modes, so the check only means something for other users.
    if (process.getuid?.() === 0) return;
    const { outcome } = await collect(generated('unreadable.json'), options);
    expect(outcome.problem?.code).toBe('PT-FILE-UNREADABLE');
    expect(outcome.problem?.reason).toBe('cannot read file: permission denied (EACCES)');
  });

  it('Given a missing file or a directory, When read, Then PT-FILE-UNREADABLE (no throw)', async () => {
    expect((await collect(generated('missing.json'), options)).outcome.problem).toEqual({
      file: generated('missing.json'),
      code: 'PT-FILE-UNREADABLE',
      reason: 'cannot read file: not found (ENOENT)',
    });
    expect((await collect(tmp, options)).outcome.problem?.reason).toBe(
      'cannot read file: not a regular file',
    );
  });

  it('Given a truncated gzip, When read, Then the records before the damage arrive and the file is UNREADABLE', async () => {
    // Given big.json.gz cut in half; When read; Then some (not all) complete records, in order,
    // and a problem naming the gzip damage.
    const { outcome, records } = await collect(generated('truncated.json.gz'), options);
    expect(outcome.problem).toEqual({
      file: generated('truncated.json.gz'),
      code: 'PT-FILE-UNREADABLE',
      reason: 'corrupt or truncated gzip: unexpected end of file',
    });
    expect(outcome.format).toBe('records');
    expect(outcome.records).toBe(records.length);
    expect(records.length).toBeGreaterThan(10);
    expect(records.length).toBeLessThan(400);
    expect(ids(records).slice(0, 3)).toEqual(['big-0', 'big-1', 'big-2']);
  });

  it('Given gzip magic followed by garbage, When read, Then PT-FILE-UNREADABLE naming gzip', async () => {
    const { outcome, records } = await collect(generated('corrupt.json.gz'), options);
    expect(outcome.problem?.code).toBe('PT-FILE-UNREADABLE');
    expect(outcome.problem?.reason).toMatch(/^corrupt or truncated gzip: /);
    expect(records).toEqual([]);
  });

  it('Given a .json.gz that is neither gzip nor JSON, When read, Then a problem, never a throw', async () => {
    const { outcome } = await collect(generated('garbage.json.gz'), options);
    expect(outcome.format).toBe('none');
    expect(outcome.problem?.code).toBe('PT-FILE-NOT-CLOUDTRAIL');
    expect(outcome.problem?.reason).toMatch(/^not/);
  });
});

describe('readTraceFile (whole-file specifics)', () => {
  it('Given a single event object, When read, Then format single with one record', async () => {
    const { outcome, records } = await collect(fixture('single-event.json'));
    expect(outcome).toEqual({ format: 'single', records: 1 });
    expect((records[0] as { eventName: string }).eventName).toBe('Decrypt');
  });

  it('Given truncated JSON, When read, Then PT-FILE-UNREADABLE with the position of the damage', async () => {
    // Given a delivery file cut mid-string; When read; Then the reason says where (line 2) and
    // quotes none of the content.
    const { outcome, records } = await collect(fixture('invalid-truncated.json'));
    expect(outcome.format).toBe('none');
    expect(outcome.problem?.code).toBe('PT-FILE-UNREADABLE');
    expect(outcome.problem?.reason).toMatch(
      /^invalid JSON.* at line 2, column \d+ \(damaged or truncated file\?\)$/,
    );
    expect(outcome.problem?.reason).not.toContain('amaz');
    expect(records).toEqual([]);
  });

  it('Given a delivery file whose one record holds a raw control character in a string, When read, Then that record alone is malformed (the scanner leaves it to its JSON.parse) and the others are read', async () => {
    const file = generated('control-in-string.json');
    const record = (id: string, value: string) =>
      `{"eventID":"${id}","eventTime":"2026-11-03T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userAgent":"${value}"}`;
    await fsp.writeFile(
      file,
      `{"Records":[${record('a', 'ok')},${record('b', 'x\ty')},${record('c', 'ok')}]}`,
    );
    const { outcome, records, malformed } = await collect(file);
    expect(outcome).toEqual({ format: 'records', records: 2 });
    expect(ids(records)).toEqual(['a', 'c']);
    expect(malformed).toEqual(['Records[1]: invalid JSON']);
  });

  it('Given YAML in a .json file, When read, Then PT-FILE-NOT-CLOUDTRAIL "not JSON"', async () => {
    const { outcome } = await collect(fixture('not-json.json'));
    expect(outcome.problem?.code).toBe('PT-FILE-NOT-CLOUDTRAIL');
    expect(outcome.problem?.reason).toMatch(/^not JSON: invalid JSON/);
    expect(outcome.problem?.reason).not.toContain('Records');
  });

  it('Given a .json.gz that is not gzip, When read, Then the reason says it is not gzip', async () => {
    const { outcome } = await collect(generated('garbage.json.gz'));
    expect(outcome.problem?.reason).toMatch(/^not gzip despite the \.gz name, and not JSON/);
  });

  it('Given a sink that throws, When read, Then the sink error propagates (a caller bug, not bad input)', async () => {
    const boom = new Error('sink failed');
    await expect(
      readTraceFile(fixture('delivery.json'), {
        record: () => {
          throw boom;
        },
        malformed: () => undefined,
      }),
    ).rejects.toBe(boom);
  });
});

describe('readTraceFile (streaming specifics)', () => {
  const streaming = { maxBufferedBytes: 16 };

  it('Given truncated JSON, When stream-parsed, Then records before the damage arrive and PT-FILE-UNREADABLE', async () => {
    const { outcome, records } = await collect(fixture('invalid-truncated.json'), streaming);
    expect(records).toHaveLength(1);
    expect(outcome.problem?.code).toBe('PT-FILE-UNREADABLE');
    expect(outcome.problem?.reason).toMatch(/^invalid JSON: .*\(damaged or truncated file\?\)$/);
  });

  it('Given a sink that throws, When stream-parsed, Then the sink error propagates', async () => {
    const boom = new Error('sink failed');
    await expect(
      readTraceFile(
        fixture('delivery.json'),
        {
          record: () => {
            throw boom;
          },
          malformed: () => undefined,
        },
        streaming,
      ),
    ).rejects.toBe(boom);
  });

  it('Given a minified delivery file ending in a newline, When stream-parsed, Then format is records', async () => {
    const file = generated('minified-newline.json');
    await fsp.writeFile(file, bigDelivery(5) + '\n');
    const { outcome } = await collect(file, streaming);
    expect(outcome).toEqual({ format: 'records', records: 5 });
  });

  it('Given a large non-CloudTrail array, When stream-parsed, Then reading stops early with NOT-CLOUDTRAIL', async () => {
    const file = generated('big-array-not-events.json');
    await fsp.writeFile(file, JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ Name: `n${i}` }))));
    const { outcome, records } = await collect(file, streaming);
    expect(outcome.problem?.code).toBe('PT-FILE-NOT-CLOUDTRAIL');
    expect(records).toEqual([]);
  });

  it('Given {"Records": {}} (not an array), When read either way, Then NOT-CLOUDTRAIL', async () => {
    const file = generated('records-object.json');
    await fsp.writeFile(file, '{"Records": {"eventName": "x"}}');
    expect((await collect(file, streaming)).outcome.problem?.code).toBe('PT-FILE-NOT-CLOUDTRAIL');
    expect((await collect(file)).outcome.problem?.code).toBe('PT-FILE-NOT-CLOUDTRAIL');
  });
});
