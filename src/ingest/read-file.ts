/**
 * Reading one trace file into raw event objects.
 *
 * Formats: a CloudTrail delivery file `{"Records":[…]}`, a JSON array of events (exports), JSON
 * lines (one event per line) and a single event object; each optionally gzipped. Gzip is detected
 * by its magic bytes, not by the name, because renamed and double-handled files are common in
 * exports.
 *
 * Memory: files whose decompressed content fits in `maxBufferedBytes` are read whole and parsed
 * with `JSON.parse` (several times faster than a streaming parser); larger ones are stream-parsed
 * so that only one event at a time is held. Bad input never throws: it comes back as a
 * {@link FileProblem} (and as `sink.malformed` calls for single bad items).
 */
import { createReadStream, promises as fsp, readFile } from 'fs';
import { Readable, Transform, Writable } from 'stream';
import { pipeline } from 'stream/promises';
import { StringDecoder } from 'string_decoder';
import { createGunzip, gunzip } from 'zlib';
import { promisify } from 'util';

const gunzipAsync = promisify(gunzip);
const readFileAsync = promisify(readFile);
/**
 * Output chunk of the in-memory gunzip. A single-member gzip ends with its uncompressed size
 * (ISIZE, RFC 1952, modulo 2^32): a chunk one byte larger takes the whole output, so zlib hands
 * it back without a concatenating copy. ISIZE is only a hint (a multi-member file or a forged
 * trailer gets more chunks, or a larger one): it is bounded by 16 MiB and by the largest ratio
 * deflate can reach (1032:1); without it, about the expected output (CloudTrail files compress
 * 10-15×).
 */
function gunzipChunk(raw: Buffer): number {
  const isize = raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0;
  const bound = Math.min(16 * 1024 * 1024, raw.length * 1032);
  if (isize > 0 && isize < bound) return Math.max(16 * 1024, isize + 1);
  return Math.min(1024 * 1024, Math.max(16 * 1024, raw.length * 16));
}
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { describeFsError, errorMessage, type FileProblem } from './discover';
import { scanRecords, type ScannedRecord } from './record-scan';
import { scanRecordBytes, type ScannedBytes } from './record-scan-wasm';

/** Receives what a file holds, item by item, so that the caller decides what to keep. */
export interface RecordSink {
  /** One JSON object found where an event is expected (not yet validated: see parseRecord). */
  record(value: unknown): void;
  /** An item that is not even a JSON object (a bad JSON line, a number in `Records`). */
  malformed(reason: string): void;
}

/** What {@link readTraceFile} found in a file. */
export interface FileReadOutcome {
  /** The layout recognised; `none` when the file was not read as events at all. */
  format: 'records' | 'array' | 'jsonl' | 'single' | 'lookup-events' | 'none';
  /** Number of `sink.record` calls made. */
  records: number;
  /** Set when the file (or its end, for damaged files) could not be used. */
  problem?: FileProblem;
}

/** Options of {@link readTraceFile}. */
export interface ReadTraceFileOptions {
  /**
   * Decompressed size up to which a file is read whole and parsed with `JSON.parse`; larger files
   * are stream-parsed. Default {@link DEFAULT_MAX_BUFFERED_BYTES}.
   */
  maxBufferedBytes?: number;
  /** For one principal: the records that cannot be its are counted, not parsed. */
  prefilter?: Prefilter;
  /** Called as a streamed file is read: bytes read so far and the file's size (raw bytes). */
  onBytes?: (read: number, size: number) => void;
}

/**
 * The shortcut for one principal (issue 11): in a delivery file read whole, each record's exact
 * extent is found without parsing it (record-scan-wasm.ts, record-scan.ts). A record whose raw
 * text contains none of the `needles`, escapes nothing (no backslash: an escape could hide a
 * name) and has its time plainly at its top level cannot be the principal's: it goes to
 * `skipped` with the few fields the run counts (time, source, category), unparsed and
 * unvalidated. Every other record is parsed and goes to the sink as usual.
 */
export interface Prefilter {
  needles: readonly string[];
  skipped(record: ScannedRecord): void;
}

/** Default for `maxBufferedBytes`: 64 MiB, well above real delivery files (a few MB unzipped). */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** The reason given for valid JSON that holds no CloudTrail events. */
export const NOT_CLOUDTRAIL_REASON =
  'JSON is not CloudTrail: expected {"Records":[…]}, an array of events or JSON lines';

/** How far the streaming path looks ahead to tell JSON lines from one big object. */
const PEEK_LIMIT_BYTES = 1024 * 1024;
/** JSON lines are recognised when one of the first few non-blank lines is a JSON object. */
const JSONL_PROBE_LINES = 5;

/**
 * Reads one trace file and hands each event object to `sink`.
 *
 * Never throws for bad input (unreadable, damaged gzip, invalid JSON, not CloudTrail, empty); the
 * outcome's `problem` says what was wrong. Records delivered before damage (a truncated gzip)
 * stay delivered. Errors thrown by the sink itself are rethrown: they are the caller's bugs.
 *
 * @param file - path of the file.
 * @param sink - receives the items.
 * @param options - memory limit for the whole-file fast path.
 */
export async function readTraceFile(
  file: string | ByteSource,
  sink: RecordSink,
  options: ReadTraceFileOptions = {},
): Promise<FileReadOutcome> {
  const source = typeof file === 'string' ? localSource(file) : file;
  const name = source.name;
  const max = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const problem = (code: FileProblem['code'], reason: string): FileProblem => ({ file: name, code, reason });

  let size: number;
  try {
    size = await source.size();
  } catch (err) {
    return none(problem('PT-FILE-UNREADABLE', `cannot read file: ${source.describeError(err)}`));
  }

  let gzip: boolean;
  if (size <= max) {
    // Fast path: one read of the raw bytes, decompressed in memory if needed.
    let raw: Buffer;
    try {
      raw = await source.readAll();
    } catch (err) {
      return none(problem('PT-FILE-UNREADABLE', `cannot read file: ${source.describeError(err)}`));
    }
    gzip = isGzipHeader(raw);
    if (!gzip && raw.length <= max) return parseWhole(raw, name, false, sink, options.prefilter);
    if (gzip) {
      const content = await gunzipBounded(raw, max);
      if (content.kind === 'whole') return parseWhole(content.buffer, name, true, sink, options.prefilter);
      // Too big to buffer, or damaged: the streaming path delivers what precedes the damage.
    }
  } else {
    try {
      gzip = isGzipHeader(await source.head(2));
    } catch (err) {
      return none(problem('PT-FILE-UNREADABLE', `cannot read file: ${source.describeError(err)}`));
    }
  }
  return streamFile(source, gzip, sink, options.onBytes ? (n) => options.onBytes?.(n, size) : undefined);
}

/**
 * The bytes of one trace unit: a local file, an S3 object, … (the trace-source seam). Every
 * method may throw; the reader turns failures into PT-FILE-UNREADABLE naming `name`.
 */
export interface ByteSource {
  /** What findings call it: a path, or `s3://bucket/key`. */
  name: string;
  /** Size in bytes (compressed size for gzip). Throws when the unit is missing or not a file. */
  size(): Promise<number>;
  readAll(): Promise<Buffer>;
  /** The first `n` bytes (or fewer). */
  head(n: number): Promise<Buffer>;
  /** The content as a stream (for units too big to buffer). */
  stream(): Readable;
  /** One line for an error of this source, never the content. */
  describeError(err: unknown): string;
}

/** A local file as a byte source. */
export function localSource(file: string): ByteSource {
  return {
    name: file,
    async size() {
      const stats = await fsp.stat(file);
      if (!stats.isFile()) throw new NotAFile();
      return stats.size;
    },
    // The callback API: fs.promises.readFile costs about 0.8 ms more per file (FileHandle).
    readAll: () => readFileAsync(file),
    async head(n) {
      const handle = await fsp.open(file, 'r');
      try {
        const header = Buffer.alloc(n);
        const { bytesRead } = await handle.read(header, 0, n, 0);
        return header.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    stream: () => createReadStream(file),
    describeError: (err) => (err instanceof NotAFile ? 'not a regular file' : describeFsError(err)),
  };
}

class NotAFile extends Error {}

/** Bytes already in memory as a byte source (LookupEvents pages, units handed to a worker). */
export function memorySource(name: string, bytes: Uint8Array): ByteSource {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    name,
    size: () => Promise.resolve(buffer.length),
    readAll: () => Promise.resolve(buffer),
    head: (n) => Promise.resolve(buffer.subarray(0, n)),
    stream: () => Readable.from([buffer]),
    describeError: (err) => String((err as Error)?.message ?? err),
  };
}

function none(problem: FileProblem): FileReadOutcome {
  return { format: 'none', records: 0, problem };
}

function isGzipHeader(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

type Buffered = { kind: 'whole'; buffer: Buffer } | { kind: 'too-big' } | { kind: 'damaged' };

/** Decompresses into a chunk list, giving up as soon as the total passes `max`. */
async function gunzipBounded(raw: Buffer, max: number): Promise<Buffered> {
  // One call on libuv's thread pool (the main thread parses other files meanwhile), with large
  // output chunks and a hard cap on the output size, so a gzip bomb stops at `max` bytes.
  try {
    const buffer = await gunzipAsync(raw, {
      chunkSize: gunzipChunk(raw),
      maxOutputLength: Math.max(1, max),
    });
    return { kind: 'whole', buffer };
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
      ? { kind: 'too-big' }
      : { kind: 'damaged' };
  }
}

// ---------------------------------------------------------------------------------------------
// Whole-file path
// ---------------------------------------------------------------------------------------------

function parseWhole(
  buffer: Buffer,
  file: string,
  gzip: boolean,
  sink: RecordSink,
  prefilter?: Prefilter,
): FileReadOutcome {
  const scanned = scanBytes(buffer, sink, prefilter);
  if (scanned) return scanned;
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM, as in permiso's exports.
  const start = firstNonWhitespace(text);
  if (start < 0) {
    return none({
      file,
      code: 'PT-FILE-EMPTY',
      reason: gzip ? 'file is empty (after gunzip)' : 'file is empty',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (looksLikeJsonLines(text)) return deliverLines(text, file, sink);
    return none(invalidJsonProblem(file, text, start, err, gzip));
  }
  return deliverValue(value, file, sink);
}

/**
 * A well-formed delivery file is scanned over its bytes: by the WebAssembly scanner
 * (record-scan-wasm.ts), or, where it defers, by the JavaScript one on their latin1 view (one
 * character per byte: a copy, not a UTF-8 decode). Offsets are byte offsets either way. UTF-8
 * never puts an ASCII byte inside a multi-byte character, so JSON's structure (all ASCII) and the
 * needles' bytes are found at the same places as in the decoded text; only the records that may
 * be the principal's (without a prefilter: all of them) are decoded, as UTF-8, and parsed, one at
 * a time, so that a record's objects die young instead of the whole file's living at once.
 * Anything else (not an object, not a delivery file, invalid JSON) returns undefined: the caller
 * decodes and parses the whole file, and says what is wrong.
 */
function scanBytes(
  buffer: Buffer,
  sink: RecordSink,
  prefilter: Prefilter | undefined,
): FileReadOutcome | undefined {
  const bom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  let start = bom;
  while (
    start < buffer.length &&
    (buffer[start] === 0x20 || buffer[start] === 0x0a || buffer[start] === 0x0d || buffer[start] === 0x09)
  )
    start++;
  if (buffer[start] !== 0x7b /* { */) return undefined; // an array, JSON lines, empty: JSON.parse's path
  const body = bom ? buffer.subarray(bom) : buffer;
  // WebAssembly over the bytes; the JavaScript scanner (on their latin1 view) where it defers.
  const fast = scanRecordBytes(body);
  if (fast) return deliverScanned(body, fast, sink, prefilter);
  const scanned = fast === null ? scanRecords(body.toString('latin1')) : undefined;
  if (!scanned) return undefined;
  return deliverScanned(body, new ScannedList(scanned, body), sink, prefilter);
}

/** The JavaScript scanner's records in the shape of the WebAssembly one's. */
class ScannedList implements ScannedBytes {
  constructor(
    private readonly records: readonly ScannedRecord[],
    private readonly body: Buffer,
  ) {}

  get count(): number {
    return this.records.length;
  }

  record(k: number): ScannedRecord {
    return this.records[k];
  }

  find(needle: Buffer, from: number): number {
    return this.body.indexOf(needle, from);
  }
}

/** The records of a scanned delivery file: parsed where they may be the principal's, else skipped. */
function deliverScanned(
  body: Buffer,
  records: ScannedBytes,
  sink: RecordSink,
  prefilter: Prefilter | undefined,
): FileReadOutcome {
  // Needles as bytes (their UTF-8). The next place of each at or after the current record:
  // records come in order, so one search per occurrence (a search per record would run on far
  // past each record's end).
  const needles = (prefilter?.needles ?? []).map((n) => Buffer.from(n, 'utf8'));
  const next = needles.map((n) => records.find(n, 0));
  let delivered = 0;
  for (let i = 0; i < records.count; i++) {
    const r = records.record(i);
    if (
      prefilter !== undefined &&
      !r.escaped &&
      !r.duplicateKey &&
      (r.timeKey !== undefined || r.eventTime !== undefined) &&
      r.eventSource !== undefined &&
      !mentions(records, needles, next, r)
    ) {
      prefilter.skipped(r);
      continue;
    }
    const value = tryParse(body.toString('utf8', r.start, r.end));
    if (isPlainObject(value)) {
      sink.record(value);
      delivered++;
    } else {
      // The scanner's gap (a raw control character in a string) is caught here, for this record only.
      sink.malformed(`Records[${i}]: ${value === INVALID ? 'invalid JSON' : 'not a JSON object'}`);
    }
  }
  return { format: 'records', records: delivered };
}

/**
 * Does record `r` hold one of `needles`? `next[k]` is the place of needle k at or after the
 * previous record (-1: none left), moved on past `r.start` when it lies before.
 */
function mentions(
  records: ScannedBytes,
  needles: readonly Buffer[],
  next: number[],
  r: ScannedRecord,
): boolean {
  for (let k = 0; k < needles.length; k++) {
    let at = next[k];
    if (at >= 0 && at < r.start) next[k] = at = records.find(needles[k], r.start);
    if (at >= 0 && at + needles[k].length <= r.end) return true;
  }
  return false;
}

/** Hands the items of a parsed document to the sink, according to its shape. */
function deliverValue(value: unknown, file: string, sink: RecordSink): FileReadOutcome {
  if (Array.isArray(value)) {
    const gate = new EventGate(sink, true);
    deliverItems(value, 'item', gate);
    return gate.finish() ? { format: 'array', records: gate.records } : notCloudTrail(file);
  }
  if (isPlainObject(value)) {
    if (Array.isArray(value.Records)) {
      // The delivery-file envelope is proof enough: no gate.
      const gate = new EventGate(sink, false);
      deliverItems(value.Records, 'Records', gate);
      return { format: 'records', records: gate.records };
    }
    if (value.Records === undefined && ('eventName' in value || 'eventSource' in value)) {
      sink.record(value);
      return { format: 'single', records: 1 };
    }
    if (Array.isArray(value.Events) && value.Records === undefined)
      return deliverLookupEvents(value.Events, file, sink);
  }
  return notCloudTrail(file);
}

/** Longest `CloudTrailEvent` string parsed (a CloudTrail record is at most 256 KB). */
const MAX_LOOKUP_EVENT_CHARS = 1024 * 1024;

/**
 * The `aws cloudtrail lookup-events` output (`{"Events":[{"CloudTrailEvent":"<JSON>"}, …]}`, one
 * page or an array of pages is read as one file): each event's record is the JSON string in
 * `CloudTrailEvent`. An item without it, or whose string is not a JSON object, is malformed.
 */
function deliverLookupEvents(events: unknown[], file: string, sink: RecordSink): FileReadOutcome {
  const gate = new EventGate(sink, true);
  events.forEach((e, i) => deliverLookupEvent(e, i, gate));
  return gate.finish() ? { format: 'lookup-events', records: gate.records } : notCloudTrail(file);
}

/** One item of a lookup-events output: its CloudTrailEvent record, or a malformed event. */
function deliverLookupEvent(e: unknown, i: number, sink: RecordSink): void {
  const text = isPlainObject(e) ? e.CloudTrailEvent : undefined;
  if (typeof text !== 'string' || text.length > MAX_LOOKUP_EVENT_CHARS) {
    sink.malformed(`Events[${i}] has no CloudTrailEvent string`);
    return;
  }
  const record = tryParse(text);
  if (record === INVALID || !isPlainObject(record))
    sink.malformed(`Events[${i}].CloudTrailEvent is not a JSON object`);
  else sink.record(record);
}

function notCloudTrail(file: string): FileReadOutcome {
  return none({ file, code: 'PT-FILE-NOT-CLOUDTRAIL', reason: NOT_CLOUDTRAIL_REASON });
}

function deliverItems(items: unknown[], label: string, sink: RecordSink): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isPlainObject(item)) sink.record(item);
    else sink.malformed(`${label}[${i}]: not a JSON object`);
  }
}

/** Objects without both of these keys in the first items of an array mean "some other JSON". */
const EVENT_KEYS = ['eventName', 'eventSource'];
/** Non-event objects seen before an array or JSON-lines file is declared not CloudTrail. */
const GATE_NON_EVENTS = 10;
/** Items held at most while undecided, so that an array of a million numbers stays bounded. */
const GATE_MAX_PENDING = 1000;

/**
 * Holds back the first items of an array or JSON-lines file until one looks like an event.
 *
 * Arrays and JSON lines carry no envelope saying "CloudTrail", and other tools' output has the
 * same shapes (an IAM report is an array of objects): without this check such a file would yield a
 * stream of per-record rejections instead of one clear "not CloudTrail" problem.
 */
class EventGate implements RecordSink {
  records = 0;
  private state: 'undecided' | 'events' | 'not-events';
  private pending: ({ value: unknown } | { reason: string })[] = [];
  private nonEvents = 0;

  constructor(
    private readonly sink: RecordSink,
    gated: boolean,
  ) {
    this.state = gated ? 'undecided' : 'events';
  }

  /** True once the file has been judged not to hold events; the rest of it can be skipped. */
  get rejected(): boolean {
    return this.state === 'not-events';
  }

  record(value: unknown): void {
    if (this.state === 'events') {
      this.sink.record(value);
      this.records++;
      return;
    }
    if (this.state === 'not-events') return;
    this.pending.push({ value });
    if (isPlainObject(value) && EVENT_KEYS.some((key) => key in value)) {
      this.release();
    } else if (++this.nonEvents >= GATE_NON_EVENTS || this.pending.length >= GATE_MAX_PENDING) {
      this.reject();
    }
  }

  malformed(reason: string): void {
    if (this.state === 'events') {
      this.sink.malformed(reason);
      return;
    }
    if (this.state === 'not-events') return;
    this.pending.push({ reason });
    if (this.pending.length >= GATE_MAX_PENDING) this.reject();
  }

  /** Ends the file: true when it holds events (or nothing at all), false when it is other JSON. */
  finish(): boolean {
    if (this.state === 'undecided' && this.pending.length > 0) this.reject();
    return this.state !== 'not-events';
  }

  private release(): void {
    this.state = 'events';
    const pending = this.pending;
    this.pending = [];
    for (const item of pending) {
      if ('value' in item) this.record(item.value);
      else this.sink.malformed(item.reason);
    }
  }

  private reject(): void {
    this.state = 'not-events';
    this.pending = [];
  }
}

/** True when one of the first non-blank lines is, on its own, a JSON object. */
function looksLikeJsonLines(text: string): boolean {
  let probed = 0;
  for (const { line } of lines(text)) {
    if (firstNonWhitespace(line) < 0) continue;
    if (isPlainObject(tryParse(line))) return true;
    if (++probed >= JSONL_PROBE_LINES) return false;
  }
  return false;
}

function deliverLines(text: string, file: string, sink: RecordSink): FileReadOutcome {
  const gate = new EventGate(sink, true);
  const deliverer = new LineDeliverer(gate);
  for (const { line, number } of lines(text)) {
    deliverer.line(line, number);
    if (gate.rejected) break;
  }
  return gate.finish() ? { format: 'jsonl', records: gate.records } : notCloudTrail(file);
}

/** Parses JSON lines one by one; shared by the whole-file and the streaming paths. */
class LineDeliverer {
  constructor(private readonly sink: RecordSink) {}

  line(line: string, number: number): void {
    if (firstNonWhitespace(line) < 0) return;
    const value = tryParse(line);
    if (value === INVALID) {
      this.sink.malformed(`line ${number}: invalid JSON`);
    } else if (!isPlainObject(value)) {
      this.sink.malformed(`line ${number}: not a JSON object`);
    } else if (Array.isArray(value.Records)) {
      // A delivery file per line, as some archivers write them.
      deliverItems(value.Records, `line ${number}: Records`, this.sink);
    } else {
      this.sink.record(value);
    }
  }
}

function* lines(text: string): Generator<{ line: string; number: number }> {
  let from = 0;
  let number = 1;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    const end = to > from && text.charCodeAt(to - 1) === 13 ? to - 1 : to;
    yield { line: text.slice(from, end), number };
    from = to + 1;
    number++;
  }
}

/**
 * The problem for text that is not JSON. Text that starts like JSON is taken for a damaged
 * (truncated) trace file; anything else (YAML, CSV, binary) is simply not CloudTrail. The parser's
 * own message is not used: V8 quotes the offending input, which is attacker-controlled.
 */
function invalidJsonProblem(
  file: string,
  text: string,
  start: number,
  err: unknown,
  gzip: boolean,
): FileProblem {
  const message = errorMessage(err) ?? '';
  const position = /at position (\d+)/.exec(message);
  let where = '';
  if (position) {
    where = ` at ${lineAndColumn(text, Number(position[1]))}`;
  } else if (/end of JSON input/i.test(message)) {
    where = `: unexpected end of input at ${lineAndColumn(text, text.length)}`;
  }
  const first = text[start];
  const gzHint = !gzip && /\.gz$/i.test(file) ? 'not gzip despite the .gz name, and ' : '';
  if (first === '{' || first === '[') {
    return {
      file,
      code: 'PT-FILE-UNREADABLE',
      reason: `${gzHint}invalid JSON${where} (damaged or truncated file?)`,
    };
  }
  return { file, code: 'PT-FILE-NOT-CLOUDTRAIL', reason: `${gzHint}not JSON: invalid JSON${where}` };
}

function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${position - lineStart + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Streaming path
// ---------------------------------------------------------------------------------------------

/** `records-lines`: the first line is a whole delivery file (minified `{"Records":[…]}` + newline). */
type StreamFormat = 'records' | 'records-lines' | 'array' | 'jsonl' | 'empty' | 'other';

/** Stream-parses a file too big to buffer (or a damaged gzip, to keep what precedes the damage). */
async function streamFile(
  input: ByteSource,
  gzip: boolean,
  sink: RecordSink,
  onBytes?: (read: number) => void,
): Promise<FileReadOutcome> {
  const file = input.name;
  const fileStream = input.stream();
  if (onBytes) {
    let read = 0;
    fileStream.on('data', (chunk: Buffer) => onBytes((read += chunk.length)));
  }
  const source: Readable = gzip ? fileStream.pipe(createGunzip()) : fileStream;
  if (gzip) fileStream.on('error', (err) => source.destroy(err));

  const iterator = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let sinkError: unknown;
  const guardedSink: RecordSink = {
    record(value) {
      try {
        sink.record(value);
      } catch (err) {
        sinkError ??= err;
        throw err;
      }
    },
    malformed(reason) {
      try {
        sink.malformed(reason);
      } catch (err) {
        sinkError ??= err;
        throw err;
      }
    },
  };

  let format: StreamFormat = 'other';
  let gate: EventGate | undefined;
  let firstPicked: string | undefined;
  try {
    const peeked = await peek(iterator);
    format = peeked.format;
    if (format === 'empty' && !peeked.error) {
      return none({
        file,
        code: 'PT-FILE-EMPTY',
        reason: gzip ? 'file is empty (after gunzip)' : 'file is empty',
      });
    }
    if (format === 'other' && !peeked.error) {
      return none({
        file,
        code: 'PT-FILE-NOT-CLOUDTRAIL',
        reason: 'not JSON: invalid JSON at the start of the file',
      });
    }
    if (format === 'empty' || format === 'other') throw peeked.error; // A read error during the peek.

    const content = Readable.from(replay(peeked.head, iterator, peeked.error), { objectMode: false });
    const activeGate = new EventGate(guardedSink, format === 'array' || format === 'jsonl');
    gate = activeGate;

    if (format === 'jsonl' || format === 'records-lines') {
      const deliverer = new LineDeliverer(activeGate);
      const decoder = new StringDecoder('utf8');
      let pending = '';
      let number = 1;
      for await (const chunk of content as AsyncIterable<Buffer>) {
        pending += decoder.write(chunk);
        // Slice each line out once and keep only the unfinished tail, so long chunks stay linear.
        let from = 0;
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', from)) {
          deliverer.line(pending.slice(from, nl).replace(/\r$/, ''), number++);
          from = nl + 1;
        }
        pending = pending.slice(from);
        if (activeGate.rejected) break;
      }
      if (!activeGate.rejected) deliverer.line(pending + decoder.end(), number);
      if (!activeGate.finish()) return notCloudTrail(file);
      return { format: format === 'jsonl' ? 'jsonl' : 'records', records: activeGate.records };
    }

    // A top-level object streams its `Records` (a delivery file) or its `Events` (the
    // `aws cloudtrail lookup-events` output, each record a JSON string in CloudTrailEvent).
    let pickedKey: string | undefined;
    const stages: unknown[] = [content, parser({ streamValues: false })];
    if (format === 'records') {
      stages.push(
        pick({
          filter: (stack: readonly (string | number | null)[]) => {
            if (stack.length !== 1) return false;
            const key = stack[0];
            if (key !== 'Records' && key !== 'Events') return false;
            // The first array found decides: a file holds one of them.
            pickedKey ??= key;
            return key === pickedKey;
          },
        }),
        new Transform({
          objectMode: true,
          transform(token: { name: string }, _encoding, callback) {
            firstPicked ??= token.name;
            callback(null, token);
          },
        }),
      );
    }
    const events = () => pickedKey === 'Events';
    stages.push(
      streamArray(),
      new Writable({
        objectMode: true,
        write(item: { key: number; value: unknown }, _encoding, callback) {
          try {
            if (events()) deliverLookupEvent(item.value, item.key, activeGate);
            else if (isPlainObject(item.value)) activeGate.record(item.value);
            else
              activeGate.malformed(
                `${format === 'records' ? 'Records' : 'item'}[${item.key}]: not a JSON object`,
              );
            // Stop reading a big file as soon as it is known not to be CloudTrail.
            callback(activeGate.rejected ? new NotCloudTrailSignal() : null);
          } catch (err) {
            callback(err as Error);
          }
        },
      }),
    );
    await (pipeline as (...streams: unknown[]) => Promise<void>)(...stages);
    if ((format === 'records' && firstPicked === undefined) || !activeGate.finish())
      return notCloudTrail(file);
    return { format: events() ? 'lookup-events' : format, records: activeGate.records };
  } catch (err) {
    if (sinkError !== undefined) throw sinkError;
    if (err instanceof NotCloudTrailSignal) return notCloudTrail(file);
    const notAnArray = format === 'records' && firstPicked !== undefined && firstPicked !== 'startArray';
    return {
      format:
        format === 'empty' || format === 'other' ? 'none' : format === 'records-lines' ? 'records' : format,
      records: gate?.records ?? 0,
      problem: streamProblem(file, err, notAnArray, input.describeError),
    };
  } finally {
    // Destroying the gunzip stream does not close the file it was piped from: close both.
    source.destroy();
    fileStream.destroy();
  }
}

/** Thrown inside the pipeline to stop it once the gate has rejected the file. */
class NotCloudTrailSignal extends Error {}

interface Peeked {
  format: StreamFormat;
  head: Buffer[];
  error?: unknown;
}

/**
 * Reads just enough to know the layout: the first significant character and, for an object, whether
 * the first line is a complete JSON object (JSON lines). A read error is kept, not thrown, so that
 * what was read before it is still parsed.
 */
async function peek(iterator: AsyncIterator<Buffer>): Promise<Peeked> {
  const head: Buffer[] = [];
  let bytes = 0;
  let error: unknown;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await iterator.next();
    } catch (err) {
      error = err;
      break;
    }
    if (next.done) break;
    head.push(next.value);
    bytes += next.value.length;
    const decided = decideFormat(Buffer.concat(head, bytes), false);
    if (decided) return { format: decided, head: stripBom(head) };
    if (bytes >= PEEK_LIMIT_BYTES) break;
  }
  const format = decideFormat(Buffer.concat(head, bytes), true) ?? 'other';
  return { format, head: stripBom(head), error };
}

/** The layout from the start of the content, or undefined when more bytes are needed. */
function decideFormat(head: Buffer, final: boolean): StreamFormat | undefined {
  let text = head.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const start = firstNonWhitespace(text);
  if (start < 0) return final ? 'empty' : undefined;
  if (text[start] === '[') return 'array';
  if (text[start] !== '{') return 'other';
  const nl = text.indexOf('\n', start);
  if (nl < 0) return final ? 'records' : undefined;
  const firstLine = tryParse(text.slice(start, nl));
  if (!isPlainObject(firstLine)) return 'records';
  return Array.isArray(firstLine.Records) ? 'records-lines' : 'jsonl';
}

function stripBom(head: Buffer[]): Buffer[] {
  const first = head[0];
  if (first && first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) {
    return [first.subarray(3), ...head.slice(1)];
  }
  return head;
}

/** The peeked chunks, then the rest of the source, then the read error if the peek met one. */
async function* replay(
  head: Buffer[],
  iterator: AsyncIterator<Buffer>,
  error: unknown,
): AsyncGenerator<Buffer> {
  yield* head;
  if (error !== undefined) throw error;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

function streamProblem(
  file: string,
  err: unknown,
  notAnArray: boolean,
  describe: (err: unknown) => string,
): FileProblem {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  const message = errorMessage(err) ?? 'unknown error';
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return { file, code: 'PT-FILE-UNREADABLE', reason: `corrupt or truncated gzip: ${message}` };
  }
  // A read error of the source (file system, network): the source names it.
  const sourceError =
    (typeof code === 'string' && code.startsWith('E')) ||
    (typeof err === 'object' && err !== null && '$metadata' in err);
  if (sourceError) return { file, code: 'PT-FILE-UNREADABLE', reason: `cannot read file: ${describe(err)}` };
  if (notAnArray || message.startsWith('Top-level object should be an array')) {
    return { file, code: 'PT-FILE-NOT-CLOUDTRAIL', reason: NOT_CLOUDTRAIL_REASON };
  }
  // stream-json's messages name the expected token, never the input.
  const detail = message.replace(/^Parser (cannot parse input: |has )/, '');
  return { file, code: 'PT-FILE-UNREADABLE', reason: `invalid JSON: ${detail} (damaged or truncated file?)` };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const INVALID = Symbol('invalid JSON');

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstNonWhitespace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
  }
  return -1;
}
