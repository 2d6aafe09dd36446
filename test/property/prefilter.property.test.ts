import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { attribute, needlesOf, type Target } from '../../src/attribution';
import { emptyAggregate } from '../../src/usage';
import { scanFile } from '../../src/pipeline/process-file';

/**
 * The one-principal shortcut (read-file.ts, Prefilter) never drops a record of the principal:
 * random delivery files with the role's name elsewhere (other roles whose names contain it,
 * request parameters that mention it), escaped characters (`\uXXXX`, `\/`) and odd spacing give
 * exactly the events, counts, coverage and data-event sources of the full parse.
 */
const ACCOUNT = '111122223333';
const TARGET: Target = {
  kind: 'role',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/app-role`,
  display: 'role app-role',
};
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
const ROLES = ['app-role', 'app-role2', 'xapp-role', 'service/app-role', 'other'];

/** A tiny deterministic PRNG (mulberry32), so that a failing case replays. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * JSON with random whitespace between tokens and random escapes inside strings, at `rate` (0:
 * only those JSON requires, so that most records are counted by the shortcut, not parsed).
 */
function write(value: unknown, rnd: () => number, rate: number): string {
  const ws = () => [' ', '', '\n', '\t  ', ''][Math.floor(rnd() * 5)];
  if (typeof value === 'string') {
    let out = '"';
    for (const ch of value) {
      const code = ch.charCodeAt(0);
      if (ch === '"' || ch === '\\') out += `\\${ch}`;
      else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else if (ch === '/' && rnd() < rate * 7) out += '\\/';
      else if (rnd() < rate) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += ch;
    }
    return `${out}"`;
  }
  if (Array.isArray(value))
    return `[${ws()}${value.map((v) => write(v, rnd, rate)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (value && typeof value === 'object')
    return `{${ws()}${Object.entries(value)
      .map(([k, v]) => `${write(k, rnd, rate)}${ws()}:${ws()}${write(v, rnd, rate)}`)
      .join(`${ws()},${ws()}`)}${ws()}}`;
  return JSON.stringify(value);
}

const spec = fc.record({
  // Half the records are another principal's, which the shortcut counts without parsing.
  role: fc.oneof(
    { weight: 4, arbitrary: fc.constant('other') },
    { weight: 4, arbitrary: fc.constantFrom(...ROLES) },
  ),
  session: fc.constantFrom('fn-a', 'fn-b', 'app-role'),
  issuer: fc.boolean(),
  day: fc.integer({ min: 25, max: 60 }),
  source: fc.constantFrom('s3.amazonaws.com', 'dynamodb.amazonaws.com', 'sqs.amazonaws.com'),
  data: fc.boolean(),
  mention: fc.constantFrom(
    undefined,
    undefined,
    undefined,
    'app-role',
    'arn:aws:iam::111122223333:role/app-role',
    '},{"eventVersion":"1"',
  ),
  nested: fc.boolean(),
  // Mostly the day above; else times at the edges of validity and of the window, which the
  // WebAssembly scanner's time keys must judge as normaliseTime and the window test do.
  time: fc.option(
    fc.constantFrom(
      '2026-11-31T12:00:00Z',
      '2026-11-05T24:00:00Z',
      '2026-11-05T12:60:00Z',
      '2026-11-05T12:00:60Z',
      '2026-02-29T00:00:00Z',
      '2028-02-29T00:00:00Z',
      '0999-11-05T00:00:00Z',
      '2026-00-05T00:00:00Z',
      '2026-11-05T12:00:00.123Z',
      '2026-11-30T23:59:59Z',
      '2026-12-01T00:00:00Z',
      '2026-11-01T00:00:00Z',
      '2026-10-31T23:59:59Z',
      '2026-1x-05T00:00:00Z',
    ),
    { freq: 4 },
  ),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

function recordOf(s: Spec, i: number): Record<string, unknown> {
  const time = s.time ?? new Date(Date.UTC(2026, 9, s.day, 12, 0, i % 60)).toISOString().slice(0, 19) + 'Z';
  const roleName = s.role.slice(s.role.lastIndexOf('/') + 1);
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${s.session}`,
      accountId: ACCOUNT,
      ...(s.issuer
        ? {
            sessionContext: {
              sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/${s.role}` },
            },
          }
        : {}),
    },
    eventTime: time,
    eventSource: s.source,
    eventName: 'GetObject',
    awsRegion: 'eu-west-1',
    requestParameters: {
      bucketName: 'b1',
      key: s.mention ?? `k${i}`,
      ...(s.nested
        ? { items: [{ eventVersion: 'x', eventTime: '2030-01-01T00:00:00Z' }, { eventSource: 'evil' }] }
        : {}),
    },
    eventID: `e${i}`,
    ...(s.data ? { eventCategory: 'Data', managementEvent: false } : { eventCategory: 'Management' }),
    recipientAccountId: ACCOUNT,
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pt-prefilter-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(file: string, needles: readonly string[] | undefined) {
  const agg = emptyAggregate();
  const kept = await scanFile(file, agg, WINDOW, (e) => attribute(e, TARGET) === 'match', undefined, needles);
  return { ids: kept.map((e) => e.eventId).sort(), agg };
}

test('the needles of a role target are its name', () => {
  expect(needlesOf(TARGET)).toEqual(['app-role']);
  expect(needlesOf({ kind: 'function', functionName: 'f', display: 'f' })).toBeUndefined();
});

test('with and without the shortcut: the same events of the principal, counts, coverage and data events', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(spec, { minLength: 1, maxLength: 40 }),
      fc.integer(),
      fc.constantFrom(0, 0, 0.0005, 0.03),
      async (specs, seed, rate) => {
        const file = path.join(dir, `trail-${n++}.json`);
        const records = specs.map(recordOf);
        writeFileSync(file, write({ Records: records }, prng(seed), rate));
        const full = await read(file, undefined);
        const fast = await read(file, needlesOf(TARGET));
        expect(fast.ids).toEqual(full.ids);
        expect(fast.agg.stats).toEqual(full.agg.stats);
        expect(fast.agg.coverage).toEqual(full.agg.coverage);
        expect(fast.agg.dataEventSources).toEqual(full.agg.dataEventSources);
        expect(fast.agg.roleSessions[TARGET.roleArn as string]).toEqual(
          full.agg.roleSessions[TARGET.roleArn as string],
        );
      },
    ),
    { numRuns: 200 },
  );
});

test('control: with a needle the records do not contain, the shortcut drops the principal (so the property can fail)', async () => {
  const file = path.join(dir, 'control.json');
  const records = [0, 1, 2].map((i) =>
    recordOf(
      {
        role: 'app-role',
        session: 'fn-a',
        issuer: true,
        day: 40,
        source: 's3.amazonaws.com',
        data: false,
        mention: undefined,
        nested: false,
        time: null,
      },
      i,
    ),
  );
  writeFileSync(file, JSON.stringify({ Records: records }));
  const full = await read(file, undefined);
  expect(full.ids).toHaveLength(3);
  expect((await read(file, ['no-such-name'])).ids).toEqual([]);
  expect((await read(file, ['app-role'])).ids).toEqual(full.ids);
});
