/**
 * A structural scanner for CloudTrail delivery files (`{"Records":[{…},{…}]}`): finds each
 * record's exact character range and a few of its top-level fields without building the record,
 * so that a caller interested in one principal can `JSON.parse` only the records whose raw text
 * may mention it, and still count the others.
 *
 * Soundness: the scanner is a complete JSON validator (ECMA-404 / RFC 8259, the grammar
 * `JSON.parse` implements), not a heuristic split. Validated, everywhere in the document:
 * - structure: objects, arrays, `,` and `:` placement, no trailing commas, every bracket matched
 *   by its own kind, members as `"key": value`;
 * - strings: terminated; no raw U+0000–U+001F inside (found with one lazily advanced search, not
 *   per character); every backslash starts one of `\" \\ \/ \b \f \n \r \t \uXXXX` (4 hex
 *   digits, either case); lone surrogates are accepted, as `JSON.parse` accepts them;
 * - numbers: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`;
 * - literals `true`, `false`, `null`;
 * - whitespace: only space, tab, LF and CR between tokens (so a BOM is rejected, as by
 *   `JSON.parse`), and nothing but whitespace after the top-level object.
 * Hence `scanRecords(text)` is defined exactly when `JSON.parse(text)` succeeds and yields an
 * object (not an array) whose `Records` (the last one, if the key is repeated; a key written
 * with escapes, such as `"Rec\u006frds"`, counts) is an array of objects (not arrays, not null).
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

/**
 * The longest run without a character JSON forbids raw inside a string: sticky, so that after
 * `test` from `lastIndex = k`, `lastIndex` is the first such character at or after k (or the
 * length). About 2.5× faster in V8 than searching for the class itself.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL_RE = /[^\u0000-\u001f]*/y;

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
 * One scan of one text. Every method takes the index of the first character of a token and
 * returns the index just after it, or -1 on a syntax error.
 */
class Scanner {
  private readonly text: string;
  private readonly len: number;
  /** Index of the next raw control character at or after the last search point (len when none). */
  private nextControl = -1;
  /** Index of the next backslash at or after the last search point (len when none). */
  private nextBackslash = -1;
  /** Escapes seen so far: a record is `escaped` when this grew while it was scanned. */
  escapes = 0;
  /** Open containers of {@link skipValue}; reused across values. */
  private stack = new Uint8Array(64);

  constructor(text: string) {
    this.text = text;
    this.len = text.length;
  }

  skipWs(i: number): number {
    const t = this.text;
    let c = t.charCodeAt(i);
    while (c <= 0x20 && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) c = t.charCodeAt(++i);
    return i;
  }

  /** `i` is at the opening quote. */
  skipString(i: number): number {
    const t = this.text;
    let p = i + 1;
    for (;;) {
      const q = t.indexOf('"', p);
      if (q < 0) return -1;
      if (this.nextBackslash < p) {
        const b = t.indexOf('\\', p);
        this.nextBackslash = b < 0 ? this.len : b;
      }
      const b = this.nextBackslash;
      if (b < q) {
        this.escapes++;
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
      // The string is text[i + 1, q): no raw control character may lie in it.
      if (this.nextControl <= i) {
        NO_CONTROL_RE.lastIndex = i + 1;
        NO_CONTROL_RE.test(t);
        this.nextControl = NO_CONTROL_RE.lastIndex;
      }
      if (this.nextControl < q) return -1;
      return q + 1;
    }
  }

  skipNumber(i: number): number {
    const t = this.text;
    let c = t.charCodeAt(i);
    if (c === MINUS) c = t.charCodeAt(++i);
    if (c === DIGIT0) {
      c = t.charCodeAt(++i);
    } else if (c > DIGIT0 && c <= DIGIT9) {
      do c = t.charCodeAt(++i);
      while (c >= DIGIT0 && c <= DIGIT9);
    } else {
      return -1;
    }
    if (c === DOT) {
      c = t.charCodeAt(++i);
      if (!(c >= DIGIT0 && c <= DIGIT9)) return -1;
      do c = t.charCodeAt(++i);
      while (c >= DIGIT0 && c <= DIGIT9);
    }
    if (c === LOWER_E || c === UPPER_E) {
      c = t.charCodeAt(++i);
      if (c === PLUS || c === MINUS) c = t.charCodeAt(++i);
      if (!(c >= DIGIT0 && c <= DIGIT9)) return -1;
      do c = t.charCodeAt(++i);
      while (c >= DIGIT0 && c <= DIGIT9);
    }
    return i;
  }

  /** A string, number or literal (not a container). */
  skipScalar(i: number): number {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === QUOTE) return this.skipString(i);
    if (c === 0x74 /* t */) return t.startsWith('true', i) ? i + 4 : -1;
    if (c === 0x66 /* f */) return t.startsWith('false', i) ? i + 5 : -1;
    if (c === 0x6e /* n */) return t.startsWith('null', i) ? i + 4 : -1;
    return this.skipNumber(i);
  }

  /** `"key"`, whitespace, `:`, whitespace: returns the index of the member's value. */
  skipKeyColon(i: number): number {
    if (this.text.charCodeAt(i) !== QUOTE) return -1;
    i = this.skipString(i);
    if (i < 0) return -1;
    i = this.skipWs(i);
    if (this.text.charCodeAt(i) !== COLON) return -1;
    return this.skipWs(i + 1);
  }

  /** Any JSON value, iteratively (no recursion: nesting depth is attacker-controlled). */
  skipValue(i: number): number {
    const t = this.text;
    let c = t.charCodeAt(i);
    if (c !== LBRACE && c !== LBRACKET) return this.skipScalar(i);
    let stack = this.stack;
    let sp = 0;
    for (;;) {
      // Expecting a value at i, whose first character is c.
      if (c === LBRACE || c === LBRACKET) {
        if (sp === stack.length) {
          const grown = new Uint8Array(sp * 2);
          grown.set(stack);
          this.stack = stack = grown;
        }
        i = this.skipWs(i + 1);
        if (c === LBRACE) {
          stack[sp++] = IN_OBJECT;
          if (t.charCodeAt(i) !== RBRACE) {
            i = this.skipKeyColon(i);
            if (i < 0) return -1;
            c = t.charCodeAt(i);
            continue;
          }
        } else {
          stack[sp++] = IN_ARRAY;
          c = t.charCodeAt(i);
          if (c !== RBRACKET) continue;
        }
        // An empty container: i is at its closing bracket, which the loop below consumes.
      } else {
        i = this.skipScalar(i);
        if (i < 0) return -1;
        i = this.skipWs(i);
      }
      // After a value, at i (whitespace skipped): close containers or go on to the next value.
      for (;;) {
        const kind = stack[sp - 1];
        c = t.charCodeAt(i);
        if (c === COMMA) {
          i = this.skipWs(i + 1);
          if (kind === IN_OBJECT) {
            i = this.skipKeyColon(i);
            if (i < 0) return -1;
          }
          c = t.charCodeAt(i);
          break;
        }
        if (c !== (kind === IN_OBJECT ? RBRACE : RBRACKET)) return -1;
        if (--sp === 0) return i + 1;
        i = this.skipWs(i + 1);
      }
    }
  }

  /** One record: `i` is at its `{`. Returns the record (with `end` = index after its `}`) or undefined. */
  scanRecord(i: number): ScannedRecord | undefined {
    const t = this.text;
    const start = i;
    const escapesBefore = this.escapes;
    let eventTime: string | undefined;
    let eventSource: string | undefined;
    let eventCategory: string | undefined;
    let managementEvent: boolean | undefined;
    let seen = 0;
    let duplicateKey = false;
    i = this.skipWs(i + 1);
    if (t.charCodeAt(i) !== RBRACE) {
      for (;;) {
        if (t.charCodeAt(i) !== QUOTE) return undefined;
        const keyEnd = this.skipString(i);
        if (keyEnd < 0) return undefined;
        const field = fieldOf(t, i + 1, keyEnd - 1);
        i = this.skipWs(keyEnd);
        if (t.charCodeAt(i) !== COLON) return undefined;
        i = this.skipWs(i + 1);
        const valueStart = i;
        const escapesBeforeValue = this.escapes;
        i = this.skipValue(i);
        if (i < 0) return undefined;
        if (field !== 0) {
          if ((seen & field) !== 0) duplicateKey = true;
          seen |= field;
          if (field === F_MANAGEMENT) {
            const c = t.charCodeAt(valueStart);
            managementEvent = c === 0x74 ? true : c === 0x66 ? false : undefined;
          } else {
            const value =
              t.charCodeAt(valueStart) === QUOTE && this.escapes === escapesBeforeValue
                ? t.slice(valueStart + 1, i - 1)
                : undefined;
            if (field === F_TIME) eventTime = value;
            else if (field === F_SOURCE) eventSource = value;
            else eventCategory = value;
          }
        }
        i = this.skipWs(i);
        const c = t.charCodeAt(i);
        if (c === RBRACE) break;
        if (c !== COMMA) return undefined;
        i = this.skipWs(i + 1);
      }
    }
    return {
      start,
      end: i + 1,
      eventTime,
      eventSource,
      eventCategory,
      managementEvent,
      escaped: this.escapes !== escapesBefore,
      duplicateKey,
    };
  }

  /**
   * The value of a top-level `Records` member, at i. Returns the index after it, with the
   * records in `out`, or `null` in `out` when the value is valid JSON but not an array of objects.
   */
  scanRecordsValue(i: number, out: { records: ScannedRecord[] | null }): number {
    const t = this.text;
    if (t.charCodeAt(i) !== LBRACKET) {
      out.records = null;
      return this.skipValue(i);
    }
    const records: ScannedRecord[] = [];
    out.records = records;
    i = this.skipWs(i + 1);
    if (t.charCodeAt(i) === RBRACKET) return i + 1;
    for (;;) {
      if (t.charCodeAt(i) === LBRACE) {
        const r = this.scanRecord(i);
        if (r === undefined) return -1;
        records.push(r);
        i = r.end;
      } else {
        out.records = null;
        i = this.skipValue(i);
        if (i < 0) return -1;
      }
      i = this.skipWs(i);
      const c = t.charCodeAt(i);
      if (c === RBRACKET) return i + 1;
      if (c !== COMMA) return -1;
      i = this.skipWs(i + 1);
    }
  }

  scanDocument(): ScannedRecord[] | undefined {
    const t = this.text;
    let i = this.skipWs(0);
    if (t.charCodeAt(i) !== LBRACE) return undefined;
    const out: { records: ScannedRecord[] | null } = { records: null };
    i = this.skipWs(i + 1);
    if (t.charCodeAt(i) !== RBRACE) {
      for (;;) {
        if (t.charCodeAt(i) !== QUOTE) return undefined;
        const escapesBefore = this.escapes;
        const keyEnd = this.skipString(i);
        if (keyEnd < 0) return undefined;
        const isRecords =
          this.escapes === escapesBefore
            ? keyEnd - i === 9 && t.startsWith('Records', i + 1)
            : JSON.parse(t.slice(i, keyEnd)) === 'Records';
        i = this.skipWs(keyEnd);
        if (t.charCodeAt(i) !== COLON) return undefined;
        i = this.skipWs(i + 1);
        if (isRecords) {
          i = this.scanRecordsValue(i, out);
        } else {
          i = this.skipValue(i);
        }
        if (i < 0) return undefined;
        i = this.skipWs(i);
        const c = t.charCodeAt(i);
        if (c === RBRACE) break;
        if (c !== COMMA) return undefined;
        i = this.skipWs(i + 1);
      }
    }
    if (this.skipWs(i + 1) !== this.len) return undefined;
    return out.records ?? undefined;
  }
}

/** The records of a document whose top level is an object with a `Records` array of objects; undefined for anything else or any syntax error (the caller falls back to JSON.parse, which reports the error). */
export function scanRecords(text: string): ScannedRecord[] | undefined {
  return new Scanner(text).scanDocument();
}
