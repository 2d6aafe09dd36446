import { attribute, lambdaSessionOf, type Target } from '../../../src/attribution';
import { UsageError } from '../../../src/errors';
import { parseRecord } from '../../../src/ingest';
import { lakeMapColumn, lakeRowsToResult, recordOfLakeRow } from '../../../src/sources/lake';
import {
  LAKE_COLUMNS,
  LAKE_MAX_STATEMENT,
  lakeEventDataStoreId,
  lakeLiteral,
  lakeQuery,
} from '../../../src/sources/lake-sql';
import { lakeDb, type LakeDb } from '../../helpers/aws-local/lake';
import { sampleRecords } from '../../helpers/cli';

/**
 * The CloudTrail Lake query builder (pure): values checked against IAM's grammar and written as
 * single literals, the event data store reduced to its ID, the window as timestamp literals, a
 * principal filter that keeps at least every event local attribution would (run on DuckDB over
 * the samples in Lake's schema), and the rows' maps and resources read back as a record's.
 */
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
const NOW = new Date('2026-12-01T00:00:00Z');
const EDS = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const ROLE = 'arn:aws:iam::111122223333:role/reports-role';
const opts = { eventDataStore: EDS };

const fnTarget = (functionName: string, roleArn?: string): Target => ({
  kind: 'function',
  functionName,
  ...(roleArn ? { roleArn } : {}),
  display: `function ${functionName}`,
});

/** A Lake string literal read back (standard SQL: '' is a quote, nothing else escapes). */
function readLiteral(text: string): string {
  const m = /^'((?:[^']|'')*)'$/s.exec(text);
  if (!m) throw new Error(`not one literal: ${text}`);
  return m[1].replace(/''/g, "'");
}

describe('the event data store', () => {
  test.each([
    [EDS, EDS],
    [`arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/${EDS}`, EDS],
    [`arn:aws-cn:cloudtrail:cn-north-1:111122223333:eventdatastore/${EDS}`, EDS],
  ])('%s → FROM %s', (input, id) => {
    expect(lakeEventDataStoreId(input)).toBe(id);
    expect(lakeQuery(fnTarget('f1'), WINDOW, NOW, { eventDataStore: input })).toContain(`\n    FROM ${id}\n`);
  });

  test.each([
    ['ab'],
    ['x'.repeat(257)],
    [`${EDS};`],
    [`${EDS} UNION SELECT 1`],
    [`"${EDS}"`],
    [`${EDS}'`],
    ['a.b'],
    ['db:table'],
    [`arn:aws:cloudtrail:eu-west-1:111122223333:trail/${EDS}`],
    [`arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/a.b`],
    [`arn:aws:cloudtrail:eu-west-1:1111:eventdatastore/${EDS}`],
    ['-abc'],
  ])('%j is refused (a usage error naming --lake)', (input) => {
    expect(() => lakeEventDataStoreId(input)).toThrow(UsageError);
    expect(() => lakeEventDataStoreId(input)).toThrow(/^--lake /);
  });
});

describe('values become literals only after IAM grammar', () => {
  test.each([["it's"], ["'); DROP TABLE x; --"], ["''"], ['plain'], ['back\\slash'], ["a'b'c'"]])(
    'lakeLiteral(%j) is one literal giving back the value',
    (v) => {
      expect(readLiteral(lakeLiteral(v))).toBe(v);
    },
  );

  test.each([
    ["orders-api' OR '1'='1"],
    ['x"; DROP TABLE t; --'],
    ['a\\b'],
    ['a b'],
    ['a\nb'],
    ['a’b'],
    [''],
    ['x'.repeat(65)],
  ])('a function name %j is refused before any SQL is written', (name) => {
    expect(() => lakeQuery(fnTarget(name), WINDOW, NOW, opts)).toThrow(UsageError);
    expect(() => lakeQuery(fnTarget(name), WINDOW, NOW, opts)).toThrow(/cannot be queried/);
  });

  test.each([
    ["arn:aws:iam::111122223333:role/x'y"],
    ['arn:aws:iam::111122223333:role/x y'],
    ['arn:aws:iam::1111:role/x'],
    ['arn:aws:sts::111122223333:assumed-role/x/y'],
  ])('a role ARN %j is refused', (arn) => {
    expect(() => lakeQuery(fnTarget('f1', arn), WINDOW, NOW, opts)).toThrow(/^role .* cannot be queried/);
  });

  test('a role name, a user ARN: checked the same way', () => {
    const role = (roleName: string): Target => ({ kind: 'role', roleName, display: roleName });
    const user = (userArn: string): Target => ({ kind: 'user', userArn, display: userArn });
    expect(() => lakeQuery(role("r'"), WINDOW, NOW, opts)).toThrow(/cannot be queried/);
    expect(() => lakeQuery(user("arn:aws:iam::111122223333:user/u'"), WINDOW, NOW, opts)).toThrow(
      /cannot be queried/,
    );
    expect(lakeQuery(role('reports_role'), WINDOW, NOW, opts)).toContain(
      "useridentity.sessioncontext.sessionissuer.arn LIKE '%/reports\\_role' ESCAPE '\\' OR useridentity.arn LIKE '%:assumed-role/reports\\_role/%' ESCAPE '\\'",
    );
    expect(lakeQuery(user('arn:aws:iam::111122223333:user/ci'), WINDOW, NOW, opts)).toContain(
      "(useridentity.type = 'IAMUser' AND useridentity.arn = 'arn:aws:iam::111122223333:user/ci')",
    );
  });

  test("a name's LIKE wildcards are escaped: orders_api matches only itself", () => {
    const sql = lakeQuery(fnTarget('orders_api'), WINDOW, NOW, opts);
    expect(sql).toContain("useridentity.arn LIKE '%/orders\\_api' ESCAPE '\\'");
  });

  test('with a role ARN: the issuer ARN exactly, or the session ARN by role name when there is no issuer', () => {
    const sql = lakeQuery(fnTarget('report-weekly', ROLE), WINDOW, NOW, opts);
    expect(sql).toContain(
      `(useridentity.type = 'AssumedRole' AND (useridentity.sessioncontext.sessionissuer.arn = '${ROLE}' OR (useridentity.sessioncontext.sessionissuer.arn IS NULL AND useridentity.arn LIKE '%:assumed-role/reports-role/%' ESCAPE '\\')))`,
    );
  });

  test('the longest role ARN IAM allows still fits in a QueryStatement', () => {
    const arn = `arn:aws-us-gov:iam::111122223333:role/${'p/'.repeat(255)}r`;
    expect(lakeQuery(fnTarget('f'.repeat(64), arn), WINDOW, NOW, opts).length).toBeLessThan(
      LAKE_MAX_STATEMENT,
    );
  });
});

describe('the window', () => {
  test('bounds are timestamp literals (eventtime is a timestamp), start inclusive, end exclusive', () => {
    const sql = lakeQuery(fnTarget('f1'), WINDOW, NOW, opts);
    expect(sql).toContain(
      "WHERE eventtime >= TIMESTAMP '2026-11-01 00:00:00.000' AND eventtime < TIMESTAMP '2026-12-01 00:00:00.000'",
    );
  });

  test('an open window runs from the epoch to now', () => {
    const sql = lakeQuery(fnTarget('f1'), {}, new Date('2026-12-03T04:05:06.789Z'), opts);
    expect(sql).toContain(
      "eventtime >= TIMESTAMP '1970-01-01 00:00:00.000' AND eventtime < TIMESTAMP '2026-12-03 04:05:06.789'",
    );
  });

  test.each([[new Date(NaN)], [new Date('+010000-01-01T00:00:00Z')], [new Date('-000001-01-01T00:00:00Z')]])(
    'a bound %s is refused',
    (d) => {
      expect(() => lakeQuery(fnTarget('f1'), { since: d }, NOW, opts)).toThrow(UsageError);
    },
  );
});

describe('the statement', () => {
  const sql = lakeQuery(fnTarget('orders-api'), WINDOW, NOW, opts);

  test('only SELECT, one FROM of the event data store, maps grouped on their JSON text', () => {
    expect(sql.startsWith('SELECT ')).toBe(true);
    expect(sql.match(/\bFROM \S+/g)).toEqual(['FROM (', 'FROM (', `FROM ${EDS}`]);
    expect(sql).toContain('json_format(CAST(requestparameters AS JSON))');
    expect(sql).toContain('json_format(CAST(responseelements AS JSON))');
    expect(sql).toContain('json_format(CAST(resources AS JSON)) AS resources');
    expect(sql).not.toMatch(/GROUP BY[^\n]*requestparameters/);
    for (const c of LAKE_COLUMNS) expect(sql).toMatch(new RegExp(`\\b${c}\\b`));
  });

  test('without a target (the account-wide report): every principal, grouped per UTC day too', () => {
    const all = lakeQuery(undefined, WINDOW, NOW, opts);
    expect(all).toContain("useridentity.type IN ('AssumedRole', 'IAMUser')");
    expect(all).toContain('CASE WHEN matched THEN CAST(eventtime AS DATE) END AS day');
    expect(all).toContain('CAST(day AS VARCHAR) AS day');
    expect(all).not.toContain(':assumed-role/');
    expect(sql).not.toMatch(/\bday\b/);
  });

  test('values are the only difference between two principals', () => {
    const other = lakeQuery(fnTarget('image-resizer'), WINDOW, NOW, opts);
    expect(other.replace(/'%\/image-resizer'/, "'%/orders-api'")).toBe(sql);
  });
});

describe('the principal filter keeps at least what local attribution keeps (DuckDB, samples in Lake schema)', () => {
  let db: LakeDb;
  const records = sampleRecords();
  beforeAll(async () => {
    db = await lakeDb(records, EDS);
  });
  afterAll(() => db.close());

  const targets: [string, Target][] = [
    ['function, no snapshot', fnTarget('report-weekly')],
    ['function with its role ARN', fnTarget('report-weekly', ROLE)],
    ['function with another role', fnTarget('orders-api', 'arn:aws:iam::111122223333:role/orders-api-role')],
    ['role by name', { kind: 'role', roleName: 'reports-role', display: 'reports-role' }],
    ['role by ARN', { kind: 'role', roleArn: ROLE, display: ROLE }],
  ];
  test.each(targets)('%s', async (_what, target) => {
    const { columns, rows } = await db.query(lakeQuery(target, WINDOW, NOW, opts));
    const named = rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
    const { records: grouped, others } = lakeRowsToResult(named);
    const kept = new Map<string, number>();
    for (const g of grouped) {
      const p = parseRecord(g.record);
      if (!p.ok) throw new Error(p.reason);
      const key = `${p.event.eventSource} ${p.event.eventName}`;
      kept.set(key, (kept.get(key) ?? 0) + g.count);
    }
    const want = new Map<string, number>();
    let local = 0;
    for (const r of records) {
      const p = parseRecord(r);
      if (!p.ok) continue;
      if (attribute(p.event, target) !== 'match' && !lambdaSessionOf(p.event)) continue;
      local++;
      const key = `${p.event.eventSource} ${p.event.eventName}`;
      want.set(key, (want.get(key) ?? 0) + 1);
    }
    expect(local).toBeGreaterThan(0);
    for (const [key, n] of want) expect(kept.get(key) ?? 0).toBeGreaterThanOrEqual(n);
    const total = [...grouped, ...others].reduce((s, g) => s + g.count, 0);
    expect(total).toBe(records.length);
  });
});

describe('rows read back as records', () => {
  test('a map: values holding JSON text of an object or array parsed back, the others as they are', () => {
    const column = JSON.stringify({
      bucketName: 'b',
      key: '{"S":"1"}',
      tags: '["a","b"]',
      limit: '10',
      consistentRead: 'true',
      gone: null,
      brace: '{not json',
      quoted: '"x"',
    });
    expect(lakeMapColumn(column)).toEqual({
      bucketName: 'b',
      key: { S: '1' },
      tags: ['a', 'b'],
      limit: '10',
      consistentRead: 'true',
      gone: null,
      brace: '{not json',
      quoted: '"x"',
    });
  });

  test.each([[undefined], [''], ['null'], ['[1]'], ['"text"'], ['not json']])(
    'a map column %j that is not an object is passed on as it is (the parser rejects it)',
    (text) => {
      const v = lakeMapColumn(text);
      expect(v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)).toBe(true);
      const row = {
        matched: 'true',
        requestparameters: text,
        calls: '1',
        first_seen: '2026-11-02 10:15:00.000',
      };
      const parsed = parseRecord(recordOfLakeRow(row).record);
      if (text !== undefined && text !== '' && text !== 'null') expect(parsed.ok).toBe(false);
    },
  );

  const row = (resources: string) => ({
    matched: 'true',
    eventsource: 's3.amazonaws.com',
    eventname: 'GetObject',
    awsregion: 'eu-west-1',
    identity_type: 'AssumedRole',
    resources,
    calls: '3',
    first_seen: '2026-11-02 10:15:00.000',
    last_seen: '2026-11-03 10:15:00.000',
    first_id: 'e1',
    last_id: 'e2',
  });
  const want = [
    { accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b' },
    { type: 'AWS::S3::Object', ARNPrefix: 'arn:aws:s3:::b/k/' },
  ];

  test("resources as Trino casts named rows (objects) and as Presto did (arrays in the schema's order)", () => {
    const objects = JSON.stringify([
      { accountid: '111122223333', type: 'AWS::S3::Bucket', arn: 'arn:aws:s3:::b', arnprefix: null },
      { accountid: null, type: 'AWS::S3::Object', arn: null, arnprefix: 'arn:aws:s3:::b/k/' },
    ]);
    const arrays = JSON.stringify([
      ['111122223333', 'AWS::S3::Bucket', 'arn:aws:s3:::b', null],
      [null, 'AWS::S3::Object', null, 'arn:aws:s3:::b/k/'],
    ]);
    for (const text of [objects, arrays]) {
      const g = recordOfLakeRow(row(text));
      expect((g.record as { resources: unknown }).resources).toEqual(want);
      expect(g).toMatchObject({ count: 3, sampleEventIds: ['e1', 'e2'] });
      expect(parseRecord(g.record).ok).toBe(true);
    }
  });

  test('damaged resources are passed on, and the parser rejects the row', () => {
    for (const text of ['{"a":1}', '[1,2]', '[["a","b"]]', 'oops']) {
      expect(parseRecord(recordOfLakeRow(row(text)).record).ok).toBe(false);
    }
  });

  test("Lake's times and booleans parse: first seen from `yyyy-MM-dd HH:mm:ss.SSS`, readonly 'true'", () => {
    const g = recordOfLakeRow({ ...row('[]'), readonly: 'true' });
    const p = parseRecord(g.record);
    expect(p.ok && p.event.eventTime).toBe('2026-11-02T10:15:00Z');
    expect(p.ok && p.event.readOnly).toBe(true);
  });

  test('rows not matched are counts per event source and category', () => {
    const r = lakeRowsToResult([
      {
        matched: 'false',
        eventsource: 's3.amazonaws.com',
        eventcategory: 'Data',
        calls: '12',
        first_seen: '2026-11-02 10:15:00.000',
        last_seen: '2026-11-05 00:00:00.000',
      },
    ]);
    expect(r).toEqual({
      records: [],
      others: [
        {
          eventSource: 's3.amazonaws.com',
          eventCategory: 'Data',
          count: 12,
          firstSeen: '2026-11-02 10:15:00.000',
          lastSeen: '2026-11-05 00:00:00.000',
        },
      ],
    });
  });
});
