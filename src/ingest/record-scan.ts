/**
 * A structural scanner for CloudTrail delivery files (`{"Records":[{…},{…}]}`): finds each
 * record's exact character range and a few of its top-level fields without building the record,
 * so that a caller interested in one principal can `JSON.parse` only the records whose raw text
 * may mention it, and still count the others.
 *
 * Soundness: the scanner is a JSON validator (ECMA-404 / RFC 8259, the grammar `JSON.parse`
 * implements), not a heuristic split, with one deliberate gap. Validated, everywhere in the
 * document:
 * - structure: objects, arrays, `,` and `:` placement, no trailing commas, every bracket matched
 *   by its own kind, members as `"key": value`;
 * - strings: terminated; every backslash starts one of `\" \\ \/ \b \f \n \r \t \uXXXX` (4 hex
 *   digits, either case); lone surrogates are accepted, as `JSON.parse` accepts them;
 * - numbers: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`;
 * - literals `true`, `false`, `null`;
 * - whitespace: only space, tab, LF and CR between tokens (so a BOM is rejected, as by
 *   `JSON.parse`), and nothing but whitespace after the top-level object.
 *
 * The gap: a raw U+0000–U+001F inside a string, which `JSON.parse` rejects, is not looked for
 * (the search cost a third of the scan). It cannot move a boundary (only `"` and `\` end or
 * escape in a string), so the extents are the same; a record that holds one is either parsed by
 * the caller, whose `JSON.parse` rejects it (a malformed event), or only counted.
 *
 * Hence `scanRecords(text)` is defined exactly when `JSON.parse(text')` succeeds, `text'` being
 * `text` with every raw control character inside a string replaced by a letter, and yields an
 * object (not an array) whose `Records` (the last one, if the key is repeated; a key written
 * with escapes, such as `"Rec\u006frds"`, counts) is an array of objects (not arrays, not null);
 * and for every valid document it finds exactly the records `JSON.parse` finds.
 *
 * Not done: decoding. Strings are not decoded, except a top-level key that contains an escape
 * (decoded with `JSON.parse` of that key alone, to recognise `Records`). Inside a record, keys are
 * compared on their raw text, so a field key written with escapes is not recognised as that
 * field; the record is then flagged {@link ScannedRecord.escaped} and the caller must parse it.
 * Numbers are checked but not converted. Nothing nested in a record is extracted.
 *
 * Allocation: one {@link ScannedRecord} per record plus the extracted field strings (V8 may
 * represent a slice of 13 or more characters as a view of `text`, which keeps `text` alive as
 * long as the slice is: copy or intern a field before storing it for long).
 */

/** One top-level record of a `{"Records":[…]}` document, found without parsing it. */
export interface ScannedRecord {
  /** `text.slice(start, end)` is exactly the record's JSON object text. */
  start: number;
  end: number;
  /**
   * Top-level (depth 1 within the record) string fields, only when their value is a JSON string
   * WITHOUT any backslash escape (else undefined: the caller parses the record). With a repeated
   * key the last occurrence counts, as in `JSON.parse`.
   */
  eventTime?: string;
  /**
   * The eventTime above as the number YYYYMMDDhhmmss, when its text has the shape
   * `DDDD-DD-DDTDD:DD:DDZ` (D a digit; ranges unchecked: see canonicalKeyValid). Only the
   * WebAssembly scanner sets it, so that a counted record's time is judged without a string.
   */
  timeKey?: number;
  eventSource?: string;
  eventCategory?: string;
  /** Top-level `managementEvent` when it is the literal true or false. */
  managementEvent?: boolean;
  /** True when the record's text contains a backslash anywhere (the caller must parse it: an escape can hide a name). */
  escaped: boolean;
  /**
   * True when one of the four keys above occurs more than once at the record's top level,
   * compared on the raw key text (a forged or odd record: the caller must parse it).
   */
  duplicateKey: boolean;
}

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT0 = 0x30;
const DIGIT9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

const IN_OBJECT = 1;
const IN_ARRAY = 2;

const F_TIME = 1;
const F_SOURCE = 2;
const F_CATEGORY = 4;
const F_MANAGEMENT = 8;

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Which of the extracted fields the raw key `text[from, to)` names, or 0. */
function fieldOf(text: string, from: number, to: number): number {
  // A distinguishing character first: many CloudTrail keys share these lengths (`eventName`,
  // `userAgent`, `sourceIPAddress`, …).
  const n = to - from;
  if (n === 9) return text.charCodeAt(from + 5) === 0x54 && text.startsWith('eventTime', from) ? F_TIME : 0;
  if (n === 11) {
    return text.charCodeAt(from + 5) === 0x53 && text.startsWith('eventSource', from) ? F_SOURCE : 0;
  }
  if (n === 13) {
    return text.charCodeAt(from + 5) === 0x43 && text.startsWith('eventCategory', from) ? F_CATEGORY : 0;
  }
  if (n === 15) {
    return text.charCodeAt(from) === 0x6d && text.startsWith('managementEvent', from) ? F_MANAGEMENT : 0;
  }
  return 0;
}

/**
 * The scan's state, at module level so that skipString is one function for every document (a
 * closure made per document was a new call target each time, and V8 threw away the optimised
 * scanner at every file). One scan runs at a time: scanDocument is synchronous.
 */
let doc = '';
let docLen = 0;
/** Index of the next backslash at or after the last search point (docLen when none). */
let docNextBackslash = -1;
/** Escapes seen so far: a record is `escaped` when this grew while it was scanned. */
let docEscapes = 0;

/** `i` is at an opening quote in the document being scanned: the index after the closing one, or -1. */
function skipString(i: number): number {
  const t = doc;
  let p = i + 1;
  for (;;) {
    const q = t.indexOf('"', p);
    if (q < 0) return -1;
    if (docNextBackslash < p) {
      const b = t.indexOf('\\', p);
      docNextBackslash = b < 0 ? docLen : b;
    }
    const b = docNextBackslash;
    if (b < q) {
      docEscapes++;
      const c = t.charCodeAt(b + 1);
      if (c === 0x75 /* u */) {
        if (
          !isHex(t.charCodeAt(b + 2)) ||
          !isHex(t.charCodeAt(b + 3)) ||
          !isHex(t.charCodeAt(b + 4)) ||
          !isHex(t.charCodeAt(b + 5))
        ) {
          return -1;
        }
        p = b + 6;
      } else if (
        c === QUOTE ||
        c === BACKSLASH ||
        c === 0x2f /* / */ ||
        c === 0x62 /* b */ ||
        c === 0x66 /* f */ ||
        c === 0x6e /* n */ ||
        c === 0x72 /* r */ ||
        c === 0x74 /* t */
      ) {
        p = b + 2;
      } else {
        return -1;
      }
      continue;
    }
    return q + 1;
  }
}

/**
 * One pass over the document: an iterative parser (no recursion: nesting depth is
 * attacker-controlled) that validates every token and records, in passing, the extent and the
 * top-level fields of each item of the document's `Records` array. Depths: the document object
 * is 1, the `Records` array 2, a record 3 (its members are read at depth 3).
 */
function scanDocument(t: string): ScannedRecord[] | undefined {
  const len = t.length;
  doc = t;
  docLen = len;
  docNextBackslash = -1;
  docEscapes = 0;

  // The last `Records` member's items (null: that member is not an array of objects), and the
  // list being filled while its array is open.
  let result: ScannedRecord[] | null = null;
  let collecting: ScannedRecord[] | null = null;
  // What the key just read means: a top-level `Records` key, or a record field (F_*).
  let recordsKey = false;
  let field = 0;
  // The record being scanned.
  let recStart = 0;
  let recEscapes = 0;
  let eventTime: string | undefined;
  let eventSource: string | undefined;
  let eventCategory: string | undefined;
  let managementEvent: boolean | undefined;
  let seen = 0;
  let duplicateKey = false;

  let stack = new Uint8Array(64);
  let sp = 0;
  let i = 0;
  let c = t.charCodeAt(0);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++i);
  if (c !== LBRACE) return undefined;
  /** The next token is a member's key (`"key"`, whitespace, `:`, whitespace) at i. */
  let expectKey = false;
  for (;;) {
    if (expectKey) {
      expectKey = false;
      if (c !== QUOTE) return undefined;
      const before = docEscapes;
      const end = skipString(i);
      if (end < 0) return undefined;
      if (sp === 3) {
        if (collecting !== null) field = fieldOf(t, i + 1, end - 1);
      } else if (sp === 1) {
        recordsKey =
          docEscapes === before
            ? end - i === 9 && t.startsWith('Records', i + 1)
            : // eslint-disable-next-line no-control-regex -- the gap: a raw control character is a letter here
              JSON.parse(t.slice(i, end).replace(/[\u0000-\u001f]/g, 'x')) === 'Records';
      }
      i = end;
      c = t.charCodeAt(i);
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++i);
      if (c !== COLON) return undefined;
      c = t.charCodeAt(++i);
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++i);
    }
    // A value starts at i; c is its first character.
    if (sp < 4) {
      if (sp === 1) {
        if (recordsKey) {
          recordsKey = false;
          collecting = c === LBRACKET ? [] : null;
          result = collecting;
        }
      } else if (sp === 2) {
        if (collecting !== null && c !== LBRACE) {
          collecting = null; // an item of Records that is not an object
          result = null;
        }
      } else if (field !== 0) {
        // A record field: its value is kept when it is a string without docEscapes (or, for
        // managementEvent, a boolean literal).
        const f = field;
        field = 0;
        if ((seen & f) !== 0) duplicateKey = true;
        seen |= f;
        if (f === F_MANAGEMENT) {
          managementEvent = c === 0x74 ? true : c === 0x66 ? false : undefined;
        } else {
          let value: string | undefined;
          if (c === QUOTE) {
            const before = docEscapes;
            const end = skipString(i);
            if (end < 0) return undefined;
            if (docEscapes === before) value = t.slice(i + 1, end - 1);
            i = end;
            c = -1; // consumed
          }
          if (f === F_TIME) eventTime = value;
          else if (f === F_SOURCE) eventSource = value;
          else eventCategory = value;
        }
      }
    }
    if (c === LBRACE || c === LBRACKET) {
      if (sp === stack.length) {
        const grown = new Uint8Array(sp * 2);
        grown.set(stack);
        stack = grown;
      }
      if (c === LBRACE && sp === 2 && collecting !== null) {
        recStart = i;
        recEscapes = docEscapes;
        eventTime = eventSource = eventCategory = managementEvent = undefined;
        seen = 0;
        duplicateKey = false;
      }
      stack[sp++] = c === LBRACE ? IN_OBJECT : IN_ARRAY;
      const open = c;
      c = t.charCodeAt(++i);
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++i);
      if (open === LBRACE) {
        if (c !== RBRACE) {
          expectKey = true;
          continue;
        }
      } else if (c !== RBRACKET) {
        continue;
      }
      // An empty container: i is at its closing bracket, which the loop below consumes.
    } else {
      if (c === QUOTE) {
        i = skipString(i);
      } else if (c === 0x74 /* t */) {
        i = t.startsWith('true', i) ? i + 4 : -1;
      } else if (c === 0x66 /* f */) {
        i = t.startsWith('false', i) ? i + 5 : -1;
      } else if (c === 0x6e /* n */) {
        i = t.startsWith('null', i) ? i + 4 : -1;
      } else if (c !== -1) {
        // A number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        if (c === MINUS) c = t.charCodeAt(++i);
        if (c === DIGIT0) {
          c = t.charCodeAt(++i);
        } else if (c > DIGIT0 && c <= DIGIT9) {
          do c = t.charCodeAt(++i);
          while (c >= DIGIT0 && c <= DIGIT9);
        } else {
          return undefined;
        }
        if (c === DOT) {
          c = t.charCodeAt(++i);
          if (!(c >= DIGIT0 && c <= DIGIT9)) return undefined;
          do c = t.charCodeAt(++i);
          while (c >= DIGIT0 && c <= DIGIT9);
        }
        if (c === LOWER_E || c === UPPER_E) {
          c = t.charCodeAt(++i);
          if (c === PLUS || c === MINUS) c = t.charCodeAt(++i);
          if (!(c >= DIGIT0 && c <= DIGIT9)) return undefined;
          do c = t.charCodeAt(++i);
          while (c >= DIGIT0 && c <= DIGIT9);
        }
      }
      if (i < 0) return undefined;
      c = t.charCodeAt(i);
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++i);
    }
    // After a value, at i (whitespace skipped, c its character): close containers or go on.
    for (;;) {
      const kind = stack[sp - 1];
      if (c === COMMA) {
        c = t.charCodeAt(++i);
        while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++i);
        expectKey = kind === IN_OBJECT;
        break;
      }
      if (c !== (kind === IN_OBJECT ? RBRACE : RBRACKET)) return undefined;
      if (sp === 3 && kind === IN_OBJECT && collecting !== null) {
        collecting.push({
          start: recStart,
          end: i + 1,
          eventTime,
          eventSource,
          eventCategory,
          managementEvent,
          escaped: docEscapes !== recEscapes,
          duplicateKey,
        });
      } else if (sp === 2 && collecting !== null) {
        collecting = null; // the Records array is closed
      }
      if (--sp === 0) {
        // Only whitespace may follow, read without going past the end (a read past it costs the
        // optimised scanner a deoptimisation at every document).
        for (i++; i < len; i++) {
          c = t.charCodeAt(i);
          if (!(c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) return undefined;
        }
        return result ?? undefined;
      }
      c = t.charCodeAt(++i);
      while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = t.charCodeAt(++i);
    }
  }
}

/**
 * The records of a document whose top level is an object with a `Records` array of objects;
 * undefined for anything else or any syntax error (the caller falls back to JSON.parse, which
 * reports the error).
 *
 * @param text - the document (a latin1 view of UTF-8 bytes works as well: offsets are then byte offsets).
 */
export function scanRecords(text: string): ScannedRecord[] | undefined {
  if (!warmedUp) warmUp();
  try {
    return scanDocument(text);
  } finally {
    doc = ''; // the document is not kept alive by the module
  }
}

let warmedUp = false;

/**
 * One record of the warm-up document: every kind of token, escape, number form, nesting past the
 * initial stack, a repeated field, fields with and without escapes (so extracted fields are seen
 * both as strings and as undefined).
 */
function warmUpRecord(i: number): string {
  const deep = `${'['.repeat(70)}{}${']'.repeat(70)}`;
  const time = i % 3 === 0 ? '"2026-11-01T00:00:00\\u005a"' : `"2026-11-01T00:00:0${i % 10}Z"`;
  return (
    `{ "eventVersion":"1.08","userIdentity":{"type":"AssumedRole","n":[-1,0,10,1.5,-2.5e+3,3E-2,12e5,4e-1],` +
    `"t":true,"f":false,"z":null,"o":{},"a":[],"d":${deep}},\t"eventTime":${time},` +
    `"eventSource":"s3.amazonaws.com","eventCategory":"Management","managementEvent":${i % 2 ? 'true' : 'false'},` +
    `"s":"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D","k\\u0065y":1` +
    (i % 4 === 0 ? ',"eventSource":"s3.amazonaws.com","managementEvent":"x"' : '') +
    '}'
  );
}

/**
 * Runs the scanner once on a small document that takes every path of a valid scan. V8 optimises
 * the scanner from what it has seen run; a path first taken in the middle of a trail (a negative
 * number, an escaped field, a deep nesting) threw the optimised code away, and optimising this
 * function again costs tens of milliseconds of a core each time, in every worker.
 */
function warmUp(): void {
  warmedUp = true;
  try {
    scanDocument(warmUpDocument());
  } finally {
    doc = '';
  }
}

/** The warm-up document (valid JSON: the scanner takes its success paths; exported for its test). */
export function warmUpDocument(): string {
  const records = Array.from({ length: 12 }, (_, i) => warmUpRecord(i)).join(' ,\n');
  return `\r\n{"Recor\\u0064s":[],"other":{"x":[1,{"y":"z"}]}, "Records" : [${records}] }\n `;
}
