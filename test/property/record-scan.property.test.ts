import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { scanRecords, warmUpDocument, type ScannedRecord } from '../../src/ingest/record-scan';
import { scanRecordBytes, type ScannedBytes } from '../../src/ingest/record-scan-wasm';
import { timeKeyOf } from '../../src/ingest/time-window';

/**
 * The records of a WebAssembly scan as plain objects, as the JavaScript scanner makes them (it
 * hands out one reused object, whose eventTime is a getter). Its timeKey, which the JavaScript
 * scanner does not set, is checked here against the eventTime's text and left out.
 */
function recordsOf(scanned: ScannedBytes | undefined | null): ScannedRecord[] | undefined | null {
  if (!scanned) return scanned;
  return Array.from({ length: scanned.count }, (_, k) => {
    const r = scanned.record(k);
    const t = r.eventTime;
    const canonical = t !== undefined && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(t);
    expect(r.timeKey).toBe(canonical ? timeKeyOf(t) : undefined);
    return {
      start: r.start,
      end: r.end,
      eventTime: t,
      eventSource: r.eventSource,
      eventCategory: r.eventCategory,
      managementEvent: r.managementEvent,
      escaped: r.escaped,
      duplicateKey: r.duplicateKey,
    };
  });
}

/**
 * The record scanner against an independent judge, V8's `JSON.parse`: on adversarial delivery
 * files (nested objects whose keys are the record keys, strings that spell record boundaries,
 * `\uXXXX`-escaped keys and values, whitespace between any two tokens) it finds exactly the
 * records `JSON.parse` finds, with the same text; on damaged ones it answers "undefined" whenever
 * `JSON.parse` rejects the text or the text is not an object with a `Records` array of objects.
 */

const SAMPLE_TRAIL = path.resolve(__dirname, '../../samples/trail');
const FIELDS = ['eventTime', 'eventSource', 'eventCategory'] as const;
const RECORD_KEYS = [
  'eventVersion',
  'eventTime',
  'eventSource',
  'eventCategory',
  'managementEvent',
  'Records',
];

// ---------------------------------------------------------------------------------------------
// The oracle.

type Judged = { kind: 'invalid' } | { kind: 'other' } | { kind: 'records'; records: unknown[] };

/**
 * `text` with every raw control character (U+0000–U+001F) inside a string replaced by `x`: the
 * one thing the scanner leaves to JSON.parse of a record (record-scan.ts, "the gap"). A reference
 * lexer, kept trivially simple: outside a string `"` opens one; inside, `\` skips the next
 * character and `"` closes it.
 */
function withoutControlsInStrings(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (!inString) {
      if (ch === '"') inString = true;
      out += ch;
    } else if (ch === '\\') {
      out += ch + (text[i + 1] ?? '');
      i++;
    } else {
      if (ch === '"') inString = false;
      out += ch.charCodeAt(0) < 0x20 ? 'x' : ch;
    }
  }
  return out;
}

function judge(text: string): Judged {
  let doc: unknown;
  try {
    doc = JSON.parse(withoutControlsInStrings(text));
  } catch {
    return { kind: 'invalid' };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { kind: 'other' };
  const records = (doc as { Records?: unknown }).Records;
  if (!Array.isArray(records)) return { kind: 'other' };
  const allObjects = records.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
  return allObjects ? { kind: 'records', records } : { kind: 'other' };
}

/** How often the WebAssembly scanner answered, and deferred to the JavaScript one (null). */
const wasmAnswers = { answered: 0, deferred: 0 };

/**
 * The WebAssembly scanner on the UTF-8 bytes of `text` answers exactly as the JavaScript one on
 * their latin1 view (or defers), and its byte search agrees with Buffer#indexOf.
 */
function expectWasmAgrees(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  const fast = scanRecordBytes(bytes);
  if (fast === null) {
    wasmAnswers.deferred++;
    return;
  }
  wasmAnswers.answered++;
  expect(recordsOf(fast)).toEqual(scanRecords(bytes.toString('latin1')));
  if (fast) {
    for (const needle of ['"', 'Records', 'eventTime', bytes.subarray(1, 4).toString('latin1')]) {
      const n = Buffer.from(needle, 'latin1');
      for (const from of [0, 1, Math.floor(bytes.length / 2), bytes.length - 1]) {
        expect(fast.find(n, from)).toBe(bytes.indexOf(n, from));
      }
    }
  }
}

/** (a) and the soundness half of (d): `scanRecords` agrees with the oracle. Returns the scan. */
function expectAgrees(text: string): ScannedRecord[] | undefined {
  expectWasmAgrees(text);
  const judged = judge(text);
  const scanned = scanRecords(text);
  if (judged.kind !== 'records') {
    expect(scanned).toBeUndefined();
    return undefined;
  }
  expect(scanned).toBeDefined();
  expect(scanned!.length).toBe(judged.records.length);
  scanned!.forEach((r, i) => {
    expect(JSON.parse(withoutControlsInStrings(text.slice(r.start, r.end)))).toEqual(judged.records[i]);
    // The range is the object itself, not surrounding whitespace.
    expect(text[r.start]).toBe('{');
    expect(text[r.end - 1]).toBe('}');
  });
  return scanned;
}

// ---------------------------------------------------------------------------------------------
// Generators: each produces JSON text (with its own serialiser), never a value; the value is
// whatever `JSON.parse` makes of it.

const ws = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r'), minLength: 1, maxLength: 4 }),
  },
);

const hex4 = (u: number, upper: boolean): string => {
  const h = u.toString(16).padStart(4, '0');
  return `\\u${upper ? h.toUpperCase() : h}`;
};
const SHORT: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** String contents in one of four encodings: minimal, all `\u` (lower / upper hex), or mixed with `\/`. */
function encode(s: string, mode: number): string {
  let out = '';
  for (let k = 0; k < s.length; k++) {
    const ch = s[k];
    const u = s.charCodeAt(k);
    if (mode === 1 || mode === 2) out += hex4(u, mode === 2);
    else if (mode === 3 && ch === '/') out += '\\/';
    else if (mode === 3 && (ch === '"' || ch === '}')) out += hex4(u, k % 2 === 0);
    else if (SHORT[ch] !== undefined && (mode === 0 || u >= 0x20)) out += SHORT[ch];
    else if (u < 0x20) out += hex4(u, mode === 3);
    else out += ch;
  }
  return out;
}

const FRAGMENTS = [
  '},{"eventVersion":',
  '"},{"eventVersion":"1.08","eventTime":"2026-11-03T16:20:08Z"}',
  ']}',
  '"',
  '\\',
  '\\"',
  '\\u0022',
  '\\u007d',
  ']',
  '}',
  '[',
  '{',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  '\ud800',
  'é',
  '😀',
  '/',
  ',',
  ':',
  ' ',
  'eventVersion',
  '"Records":[',
];
const fragment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
);
/** An adversarial string value, as its JSON text. */
const advString = fc
  .array(fc.tuple(fragment, fc.nat(3)), { maxLength: 5 })
  .map((parts) => `"${parts.map(([s, m]) => encode(s, m)).join('')}"`);

/** A given string, as JSON text, usually minimally encoded, sometimes with escapes. */
const textOf = (s: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(s, fc.nat(9)).map(([v, m]) => `"${encode(v, m < 6 ? 0 : m - 6)}"`);

/** A plain string value (no escapes needed), such as real field values. */
const plainString = fc.oneof(
  fc.constantFrom('2026-11-03T16:20:08Z', 'dynamodb.amazonaws.com', 'Management', 'Data', '', '1.09'),
  fc.string({
    unit: fc.constantFrom('a', 'Z', '.', ':', '-', ' ', 'é', '😀', '}', ']', '{', ','),
    maxLength: 12,
  }),
);

const keyName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...RECORD_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom('requestParameters', 'userIdentity', 'a', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
);

const NUMBERS = [
  '0',
  '-0',
  '1',
  '-12',
  '3.25',
  '1e5',
  '1E+2',
  '2.5e-3',
  '-0.0',
  '1e400',
  '123456789012345678901234567890',
];
const scalar = fc.oneof(
  fc.constantFrom('true', 'false', 'null', ...NUMBERS),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  advString,
  textOf(plainString),
);

interface Member {
  key: string;
  text: string;
}
const memberText = (k: string, value: string, w: string[]) => `${w[0]}${k}${w[1]}:${w[2]}${value}${w[3]}`;
const wss = (n: number) => fc.array(ws, { minLength: n, maxLength: n });

const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc
    .tuple(ws, fc.array(fc.tuple(tie('value'), wss(2)), { maxLength: 4 }))
    .map(([w, items]) => `[${items.length === 0 ? w : items.map(([v, [a, b]]) => a + v + b).join(',')}]`),
  object: fc
    .tuple(ws, fc.array(fc.tuple(textOf(keyName), tie('value'), wss(4)), { maxLength: 4 }))
    .map(([w, ms]) => `{${ms.length === 0 ? w : ms.map(([k, v, w4]) => memberText(k, v, w4)).join(',')}}`),
}));

/** A top-level member of a record; `key` is the decoded key (for the duplicate-key oracle). */
const recordMember: fc.Arbitrary<Member> = fc
  .oneof(
    fc
      .tuple(
        fc.constantFrom(...FIELDS),
        fc.oneof({ weight: 4, arbitrary: textOf(plainString) }, { weight: 1, arbitrary: advString }, value),
      )
      .map(([key, v]) => ({ key, v })),
    fc
      .tuple(fc.constant('managementEvent'), fc.oneof(fc.constantFrom('true', 'false'), value))
      .map(([key, v]) => ({ key, v })),
    fc
      .tuple(fc.constantFrom('requestParameters', 'responseElements', 'eventVersion', 'Records'), value)
      .map(([key, v]) => ({ key, v })),
    fc.tuple(keyName, value).map(([key, v]) => ({ key, v })),
  )
  .chain(({ key, v }) =>
    fc.tuple(textOf(fc.constant(key)), wss(4)).map(([k, w]) => ({ key, text: memberText(k, v, w) })),
  );

interface GenRecord {
  text: string;
  keys: string[];
}
const record: fc.Arbitrary<GenRecord> = fc
  .tuple(ws, fc.array(recordMember, { maxLength: 7 }))
  .map(([w, ms]) => ({
    text: `{${ms.length === 0 ? w : ms.map((m) => m.text).join(',')}}`,
    keys: ms.map((m) => m.key),
  }));

/** A member of the document other than `Records`. */
const otherMember = fc
  .tuple(
    textOf(keyName.filter((k) => k !== 'Records')),
    fc.oneof(
      value,
      record.map((r) => r.text),
    ),
    wss(4),
  )
  .map(([k, v, w]) => memberText(k, v, w));

interface GenDoc {
  text: string;
  records: GenRecord[];
}
const recordsKey = fc.constantFrom(
  '"Records"',
  '"Records"',
  '"Records"',
  '"Rec\\u006frds"',
  '"\\u0052ecords"',
);
const doc: fc.Arbitrary<GenDoc> = fc
  .tuple(
    wss(3),
    fc.array(otherMember, { maxLength: 2 }),
    recordsKey,
    wss(5),
    fc.oneof(
      { weight: 8, arbitrary: fc.array(fc.tuple(record, wss(2)), { maxLength: 6 }) },
      { weight: 1, arbitrary: fc.array(fc.tuple(record, wss(2)), { minLength: 40, maxLength: 80 }) },
    ),
    fc.array(otherMember, { maxLength: 2 }),
  )
  .map(([w, before, rk, rw, recs, after]) => {
    const arr = recs.length === 0 ? rw[4] : recs.map(([r, [a, b]]) => a + r.text + b).join(',');
    const recordsMember = `${rw[0]}${rk}${rw[1]}:${rw[2]}[${arr}]${rw[3]}`;
    return {
      text: `${w[0]}{${[...before, recordsMember, ...after].join(',')}}${w[2]}`,
      records: recs.map(([r]) => r),
    };
  });

// ---------------------------------------------------------------------------------------------

describe('scanRecords on valid adversarial delivery files', () => {
  it('the generator makes valid delivery files (else the properties below prove little)', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const judged = judge(d.text);
        expect(judged.kind).toBe('records');
        if (judged.kind === 'records') expect(judged.records.length).toBe(d.records.length);
      }),
      { numRuns: 300 },
    );
  });

  it('(a) finds every record, with exactly the text JSON.parse reads as that record', () => {
    fc.assert(
      fc.property(doc, (d) => {
        expect(expectAgrees(d.text)).toBeDefined();
      }),
      { numRuns: 800 },
    );
  });

  it('(b) extracts the top-level fields exactly when the record has no escape', () => {
    let checkedStrings = 0;
    let checkedBooleans = 0;
    let duplicates = 0;
    fc.assert(
      fc.property(doc, (d) => {
        const scanned = scanRecords(d.text)!;
        const parsed = (JSON.parse(d.text) as { Records: Record<string, unknown>[] }).Records;
        scanned.forEach((r, i) => {
          const p = parsed[i];
          const keys = d.records[i].keys;
          const duplicated = [...FIELDS, 'managementEvent'].some(
            (f) => keys.filter((k) => k === f).length > 1,
          );
          for (const f of FIELDS) {
            const got = r[f];
            // Never a string that needed decoding, whatever the flags.
            if (got !== undefined) expect(got).not.toContain('\\');
            if (r.escaped) continue;
            if (typeof p[f] === 'string') {
              expect(got).toBe(p[f]);
              checkedStrings++;
            } else {
              expect(got).toBeUndefined();
            }
          }
          if (!r.escaped) {
            if (typeof p.managementEvent === 'boolean') {
              expect(r.managementEvent).toBe(p.managementEvent);
              checkedBooleans++;
            } else {
              expect(r.managementEvent).toBeUndefined();
            }
            // Raw keys are the decoded keys: the flag is exact.
            expect(r.duplicateKey).toBe(duplicated);
            if (duplicated) duplicates++;
          } else if (r.duplicateKey) {
            // Raw keys equal implies decoded keys equal.
            expect(duplicated).toBe(true);
          }
        });
      }),
      { numRuns: 1000 },
    );
    // The property was exercised, not vacuous.
    expect(checkedStrings).toBeGreaterThan(250);
    expect(checkedBooleans).toBeGreaterThan(150);
    expect(duplicates).toBeGreaterThan(80);
  });

  it('(c) escaped is true iff the record text contains a backslash', () => {
    let escaped = 0;
    let plain = 0;
    fc.assert(
      fc.property(doc, (d) => {
        for (const r of scanRecords(d.text)!) {
          const hasBackslash = d.text.slice(r.start, r.end).includes('\\');
          expect(r.escaped).toBe(hasBackslash);
          if (hasBackslash) escaped++;
          else plain++;
        }
      }),
      { numRuns: 600 },
    );
    expect(escaped).toBeGreaterThan(100);
    expect(plain).toBeGreaterThan(100);
  });
});

describe('scanRecords on damaged documents', () => {
  const STRUCTURAL = new Set(['{', '}', '[', ']', '"']);
  type Mutation = [kind: number, at: number, ch: string];
  const mutation: fc.Arbitrary<Mutation> = fc.tuple(
    fc.nat(6),
    fc.nat(),
    fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      ':',
      '\\',
      ' ',
      '\n',
      '0',
      '-',
      'e',
      '.',
      't',
      'u',
      '\u0001',
    ),
  );

  function mutate(text: string, [kind, at, ch]: Mutation): string {
    if (text.length === 0) return ch;
    const k = at % text.length;
    switch (kind) {
      case 0: // truncate
        return text.slice(0, k);
      case 1: {
        // delete a random bracket or quote
        const positions = [...text].map((c, j) => (STRUCTURAL.has(c) ? j : -1)).filter((j) => j >= 0);
        if (positions.length === 0) return text;
        const j = positions[at % positions.length];
        return text.slice(0, j) + text.slice(j + 1);
      }
      case 2: // insert a bracket or quote
        return text.slice(0, k) + '{}[]"'[at % 5] + text.slice(k);
      case 3: // insert any of a few characters
        return text.slice(0, k) + ch + text.slice(k);
      case 4: // delete any character
        return text.slice(0, k) + text.slice(k + 1);
      case 5: {
        // replace a random bracket or quote by another
        const positions = [...text].map((c, j) => (STRUCTURAL.has(c) ? j : -1)).filter((j) => j >= 0);
        if (positions.length === 0) return text;
        const j = positions[at % positions.length];
        const others = '{}[]"'.replace(text[j], '');
        return text.slice(0, j) + others[at % 4] + text.slice(j + 1);
      }
      default: // replace any character
        return text.slice(0, k) + ch + text.slice(k + 1);
    }
  }

  it('(d) never a wrong boundary, never defined for text JSON.parse rejects (but for raw controls in strings)', () => {
    let rejected = 0;
    let accepted = 0;
    fc.assert(
      fc.property(doc, fc.array(mutation, { minLength: 1, maxLength: 2 }), (d, ms) => {
        const text = ms.reduce(mutate, d.text);
        const judged = judge(text);
        expectAgrees(text);
        if (judged.kind === 'invalid') rejected++;
        else accepted++;
      }),
      { numRuns: 3000 },
    );
    expect(rejected).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(100);
  });

  it('agrees with JSON.parse on token soup', () => {
    const token = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      ':',
      ' ',
      '\n',
      '\\',
      '\\u00',
      '\\u0041',
      '"Records"',
      '"Records":[',
      '"a"',
      '1',
      '0',
      '-',
      '.',
      'e',
      '+',
      'true',
      'tru',
      'null',
      'false',
      '\t',
      '\u0001',
      'x',
    );
    fc.assert(
      fc.property(
        fc.constantFrom('', '{"Records":[', '{"Records":[{', '{"x":1,"Records":[{"a":'),
        fc.array(token, { maxLength: 14 }),
        fc.constantFrom('', '}]}', ']}', '}'),
        (head, body, tail) => {
          expectAgrees(head + body.join('') + tail);
        },
      ),
      { numRuns: 6000 },
    );
  });
});

describe('scanRecords examples', () => {
  it('accepts its own warm-up document as JSON.parse does (else the warm-up takes the error paths)', () => {
    const text = warmUpDocument();
    const scanned = expectAgrees(text)!;
    expect(scanned).toHaveLength(12);
    // Both kinds of extracted field are exercised: escaped (undefined) and plain, and repeated keys.
    expect(scanned.some((r) => r.eventTime === undefined)).toBe(true);
    expect(scanned.some((r) => r.eventTime !== undefined)).toBe(true);
    expect(scanned.some((r) => r.duplicateKey)).toBe(true);
    expect(new Set(scanned.map((r) => r.managementEvent))).toEqual(new Set([true, false, undefined]));
  });

  function* deliveryFiles(dir: string): Generator<string> {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) yield* deliveryFiles(p);
      else if (/\.json(\.gz)?$/.test(e.name)) yield p;
    }
  }

  it('matches JSON.parse on every sample file', () => {
    let files = 0;
    let records = 0;
    for (const f of deliveryFiles(SAMPLE_TRAIL)) {
      const buf = readFileSync(f);
      const text = (f.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
      const judged = judge(text);
      const scanned = expectAgrees(text);
      if (judged.kind === 'records') {
        files++;
        records += scanned!.length;
        const parsed = judged.records as Record<string, unknown>[];
        scanned!.forEach((r, i) => {
          expect(r.duplicateKey).toBe(false);
          if (!r.escaped) {
            expect(r.eventTime).toBe(parsed[i].eventTime);
            expect(r.eventSource).toBe(parsed[i].eventSource);
            expect(r.eventCategory).toBe(parsed[i].eventCategory);
            expect(r.managementEvent).toBe(parsed[i].managementEvent);
          }
        });
      }
    }
    expect(files).toBeGreaterThan(10);
    expect(records).toBeGreaterThan(100);
  });

  it('reads the top-level fields of a record, not those nested in it or spelled in strings', () => {
    const text =
      '{"Records":[{"eventVersion":"1.09","requestParameters":{"eventTime":"forged","Records":[{"eventSource":"x"}],' +
      '"note":"},{\\"eventVersion\\":\\"1.08\\",\\"eventSource\\":\\"iam.amazonaws.com\\"}"},' +
      '"eventTime":"2026-11-03T16:20:08Z","eventSource":"s3.amazonaws.com","managementEvent":false,"eventCategory":"Data"},' +
      ' {"eventSource":"sts.amazonaws.com","eventTime":5,"managementEvent":"true"}]}';
    const [a, b] = expectAgrees(text)!;
    expect(a).toMatchObject({ escaped: true, duplicateKey: false, eventTime: '2026-11-03T16:20:08Z' });
    expect(a).toMatchObject({
      eventSource: 's3.amazonaws.com',
      eventCategory: 'Data',
      managementEvent: false,
    });
    expect(b).toEqual({
      start: text.lastIndexOf('{"eventSource"'),
      end: text.length - 2,
      eventTime: undefined,
      eventSource: 'sts.amazonaws.com',
      eventCategory: undefined,
      managementEvent: undefined,
      escaped: false,
      duplicateKey: false,
    });
  });

  it('takes the last of repeated keys, as JSON.parse does, and flags repeated record fields', () => {
    expect(expectAgrees('{"Records":[{"a":1}],"Records":[{"b":2},{"c":3}]}')).toHaveLength(2);
    expect(expectAgrees('{"Records":[{}],"Records":5}')).toBeUndefined();
    expect(expectAgrees('{"Records":5,"Records":[{}]}')).toHaveLength(1);
    expect(expectAgrees('{"Records":[1],"Records":[{}]}')).toHaveLength(1);
    const [r] = expectAgrees('{"Records":[{"eventSource":"a","eventSource":"b","managementEvent":true}]}')!;
    expect(r).toMatchObject({ eventSource: 'b', managementEvent: true, duplicateKey: true });
    const [s] = expectAgrees('{"Records":[{"eventSource":"a","eventSource":null}]}')!;
    expect(s).toMatchObject({ eventSource: undefined, duplicateKey: true });
  });

  it('recognises an escaped Records key and ignores other top-level keys', () => {
    expect(expectAgrees('{"Rec\\u006Frds":[{}]}')).toHaveLength(1);
    expect(expectAgrees('{"x":{"Records":[{}]},"Records":[{},{}],"y":[{"Records":[]}]}')).toHaveLength(2);
    expect(expectAgrees('{"records":[{}]}')).toBeUndefined();
    expect(expectAgrees('{"Records ":[{}]}')).toBeUndefined();
  });

  it('accepts JSON whitespace anywhere and nothing else', () => {
    expect(expectAgrees(' \t\r\n{ \n"Records"\t:\r[ ]\n}\n ')).toEqual([]);
    expect(expectAgrees('{"Records":[ {} , {\n"a" : [ 1 , { } ] } ]}')).toHaveLength(2);
    for (const bad of [
      '\ufeff{"Records":[]}',
      '{"Records":[]}\u00a0',
      '{"Records":[\u000b]}',
      '{"Records":[]}\u0000',
    ]) {
      expect(expectAgrees(bad)).toBeUndefined();
    }
  });

  it('rejects what is not an object with a Records array of objects', () => {
    for (const t of [
      '',
      '{}',
      '[]',
      '[{"Records":[]}]',
      'null',
      '"Records"',
      '{"Records":{}}',
      '{"Records":null}',
    ]) {
      expect(expectAgrees(t)).toBeUndefined();
    }
    for (const t of ['{"Records":[1]}', '{"Records":[[]]}', '{"Records":[null]}', '{"Records":[{},"x"]}']) {
      expect(expectAgrees(t)).toBeUndefined();
    }
  });

  it('rejects syntax errors of every kind', () => {
    const bad = [
      '{"Records":[]}x',
      '{"Records":[]}{}',
      '{"Records":[]},',
      '{"Records":[],}',
      '{"Records":[{},]}',
      '{"Records":[{"a":1,}]}',
      '{"Records":[{"a":1]}',
      '{"Records":[{"a":[1}]}',
      '{"Records":[{"a":[{"b":1]}}]}',
      '{"Records":[{"a":[{"b":1}},"c":2}]}',
      '{"Records":[{"a":{"b":[1}]}]}',
      '{"Records":[{"a" 1}]}',
      '{"Records":[{a:1}]}',
      "{'Records':[]}",
      '{"Records":[{"a":"\\x"}]}',
      '{"Records":[{"a":"\\u00g0"}]}',
      '{"Records":[{"a":"\\u00"}]}',
      '{"Records":[{"a":"\\',
      '{"Records":[{"a":"abc',
      '{"Records":[{"a":tru}]}',
      '{"Records":[{"a":True}]}',
      '{"Records":[{"a":nul}]}',
      '{"Records":[{"a":undefined}]}',
      '{"Records":[{"a":NaN}]}',
    ];
    for (const t of bad) expect(expectAgrees(t)).toBeUndefined();
  });

  it('leaves raw control characters inside strings to JSON.parse of the record (the gap), and no more', () => {
    for (const ctl of ['\t', '\n', '\u0000', '\u001f']) {
      const text = `{"Records":[{"a":"x${ctl}y"},{"b":1}]}`;
      expect(() => JSON.parse(text)).toThrow();
      const scanned = scanRecords(text)!;
      expect(scanned.map((r) => text.slice(r.start, r.end))).toEqual([`{"a":"x${ctl}y"}`, '{"b":1}']);
      // The record that holds it is rejected by the parse its caller makes.
      expect(() => JSON.parse(text.slice(scanned[0].start, scanned[0].end))).toThrow();
    }
    // Outside a string, a control character other than JSON whitespace is still a syntax error.
    expect(scanRecords('{"Records":[{"a":1\u0001}]}')).toBeUndefined();
    expect(scanRecords('{"Records":[\u0000]}')).toBeUndefined();
  });

  it('validates numbers as JSON does', () => {
    const numbers = [
      '0',
      '-0',
      '12',
      '-1.5',
      '1e5',
      '1E+5',
      '1e-5',
      '0.0',
      '01',
      '-',
      '+1',
      '.5',
      '1.',
      '1e',
      '1e+',
      '--1',
      '0x1',
      '1.2.3',
      '-01',
      'Infinity',
      '1_0',
    ];
    for (const n of numbers) {
      expectAgrees(`{"Records":[{"a":${n}}]}`);
      expectAgrees(`{"Records":[{"a":[${n}]}]}`);
      expectAgrees(`{"Records":[{"managementEvent":${n}}]}`);
    }
  });

  it('accepts the escapes JSON accepts, raw DEL, U+2028 and lone surrogates', () => {
    const [r] = expectAgrees(
      '{"Records":[{"eventSource":"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\\ud800"}]}',
    )!;
    expect(r).toMatchObject({ escaped: true, eventSource: undefined });
    const [s] = expectAgrees('{"Records":[{"eventSource":"\u007f\u2028\ud800é😀"}]}')!;
    expect(s).toMatchObject({ escaped: false, eventSource: '\u007f\u2028\ud800é😀' });
  });

  it('handles deep nesting without recursion', () => {
    const d = 100_000;
    const text = `{"Records":[{"requestParameters":${'[{"a":'.repeat(d)}1${'}]'.repeat(d)}},{}]}`;
    const scanned = scanRecords(text)!;
    expect(scanned).toHaveLength(2);
    expect(scanned[0]).toMatchObject({ start: 12, end: text.length - 5 });
    expect(scanRecords(text.slice(0, -3))).toBeUndefined();
  });

  it('handles large arrays', () => {
    const one =
      '{"eventTime":"2026-11-03T16:20:08Z","eventSource":"s3.amazonaws.com","x":{"eventTime":"no"}}';
    const text = `{"Records":[${Array.from({ length: 20_000 }, () => one).join(',')}]}`;
    const scanned = scanRecords(text)!;
    expect(scanned).toHaveLength(20_000);
    expect(scanned[19_999]).toMatchObject({
      start: 12 + 19_999 * (one.length + 1),
      eventTime: '2026-11-03T16:20:08Z',
    });
    expect(scanned.every((r) => text.slice(r.start, r.end) === one)).toBe(true);
  });
});

describe('scanRecordBytes (WebAssembly)', () => {
  it('answered for the documents above rather than deferring to JavaScript', () => {
    // expectAgrees ran it on every document generated above. The generators often escape
    // top-level keys (which it leaves to JavaScript); real delivery files never do.
    expect(wasmAnswers.answered).toBeGreaterThan(1000);
    expect(wasmAnswers.deferred).toBeLessThan(wasmAnswers.answered / 2);
  });

  it('defers to JavaScript exactly where it says it does', () => {
    const record = '{"eventTime":"2026-11-01T00:00:00Z","eventSource":"s3.amazonaws.com"}';
    // A top-level key with an escape must be decoded to tell whether it is Records.
    expect(scanRecordBytes(Buffer.from(`{"Rec\\u006frds":[${record}]}`))).toBeNull();
    // Nesting deeper than its stack.
    const deep = `{"Records":[${record}],"x":${'['.repeat(70000)}${']'.repeat(70000)}}`;
    expect(scanRecordBytes(Buffer.from(deep))).toBeNull();
    expect(scanRecords(deep)).toHaveLength(1);
    // More records than its output holds (records far smaller than real ones).
    const tiny = `{"Records":[${Array.from({ length: 300 }, () => '{}').join(',')}]}`;
    expect(scanRecordBytes(Buffer.from(tiny))).toBeNull();
    expect(scanRecords(tiny)).toHaveLength(300);
  });

  it('matches the JavaScript scanner on every sample file, and finds what Buffer#indexOf finds', () => {
    let files = 0;
    for (const f of (function* walk(dir: string): Generator<string> {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) yield* walk(p);
        else if (/\.json(\.gz)?$/.test(e.name)) yield p;
      }
    })(SAMPLE_TRAIL)) {
      const buf = readFileSync(f);
      const bytes = f.endsWith('.gz') ? gunzipSync(buf) : buf;
      const fast = scanRecordBytes(bytes);
      expect(fast).not.toBeNull();
      expect(recordsOf(fast)).toEqual(scanRecords(bytes.toString('latin1')));
      if (fast) {
        files++;
        for (const needle of ['orders-api-role', 'arn:aws:iam::', 'Z"', 'no-such-role-anywhere']) {
          const n = Buffer.from(needle);
          let at = -1;
          do {
            const expected = bytes.indexOf(n, at + 1);
            expect(fast.find(n, at + 1)).toBe(expected);
            at = expected;
          } while (at >= 0);
        }
      }
    }
    expect(files).toBeGreaterThan(10);
  });

  it('keeps one scanner per thread for ordinary files, and a larger one only for a file that needs it', () => {
    const record =
      '{"eventTime":"2026-11-01T00:00:00Z","eventSource":"s3.amazonaws.com","pad":"' +
      'x'.repeat(4000) +
      '"}';
    const big = Buffer.from(`{"Records":[${Array.from({ length: 9000 }, () => record).join(',')}]}`);
    const small = Buffer.from(`{"Records":[${record}]}`);
    const first = scanRecordBytes(big); // about 36 MB: a scanner of its own
    expect(first?.count).toBe(9000);
    expect(first?.find(Buffer.from('xxxx"}'), 0)).toBe(big.indexOf('xxxx"}'));
    expect(scanRecordBytes(small)?.count).toBe(1);
    // The big file's search still reads its own document after another scan.
    expect(first?.find(Buffer.from('xxxx"}'), 1000)).toBe(big.indexOf('xxxx"}', 1000));
  });
});
