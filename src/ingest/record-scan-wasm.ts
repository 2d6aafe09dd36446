/**
 * The record scanner of record-scan.ts, run in WebAssembly over the bytes themselves
 * (record-scan.wat): the same grammar, the same gap, the same records and fields, about three
 * times faster, with no latin1 copy of the file and no optimising compiler to warm in each thread.
 *
 * `scanRecordBytes` answers like `scanRecords` on the latin1 view of the same bytes, or `null`
 * when the JavaScript scanner must decide (a top-level key written with an escape, nesting deeper
 * than 65,536, a file of tiny records, or no WebAssembly here): the caller then runs it.
 * test/property/record-scan.property.test.ts holds both to the same oracle, and to each other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScannedRecord } from './record-scan';

/** The part of the WebAssembly JavaScript API used here (the project compiles with ES2022's lib only). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface Scanner {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  scan(inPtr: number, len: number, outPtr: number, cap: number): number;
  find(inPtr: number, len: number, needleLen: number, from: number): number;
}

/**
 * A scanned document: its records, and a byte search in it. Valid until the next scan in this
 * thread (the records live in the scanner's memory).
 */
export interface ScannedBytes {
  /** How many records. */
  readonly count: number;
  /**
   * Record k, in one object that the next call fills again (no object per record: read it
   * before asking for the next). Cheapest in order, k = 0, 1, …
   */
  record(k: number): ScannedRecord;
  /** The first place of `needle` at or after `from`, or -1 (as Buffer#indexOf). */
  find(needle: Buffer, from: number): number;
}

const WASM = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The compiled module; undefined where this runtime cannot run it (the caller scans in JavaScript). */
const MODULE: object | undefined = (() => {
  try {
    return WASM ? new WASM.Module(readFileSync(path.join(__dirname, 'record-scan.wasm'))) : undefined;
  } catch {
    return undefined;
  }
})();

/** Where the document goes in the scanner's memory: after its 64 KiB nesting stack. */
const IN = 65536;
/** Zero bytes after the document (no token accepts one; the 16-byte loads stay inside). */
const PAD = 32;
const INTS_PER_RECORD = 12;
/** Needles are placed in the (then free) nesting stack; longer ones are searched by Buffer#indexOf. */
const MAX_NEEDLE = 4096;
/** A thread keeps one scanner with memory up to this size; a bigger file gets one of its own. */
const KEEP_BYTES = 32 * 1024 * 1024;

let shared: Scanner | undefined;

function newScanner(): Scanner {
  return new WASM!.Instance(MODULE!, {}).exports as Scanner;
}

/** A field's text in `bytes`, made when first read and shared by a run of records with the same bytes. */
class LazyField {
  start = -1;
  end = -1;
  /** The text of the run this record belongs to, once some record of it was read. */
  text: string | undefined = undefined;

  /** Moves to the next record's field; `same`: the same bytes as the previous record's. */
  next(start: number, end: number, same: boolean): void {
    if (!same || start < 0) this.text = undefined;
    this.start = start;
    this.end = end;
  }

  read(bytes: Buffer): string | undefined {
    if (this.start < 0) return undefined;
    return (this.text ??= bytes.toString('latin1', this.start, this.end));
  }
}

/**
 * The one record object a scan hands out. Its string fields are made only when read: a counted
 * record is judged on its timeKey, and the account pass reads none of them. Sources and
 * categories repeat from record to record; the scanner says when the bytes are the previous
 * record's, and the text is then shared.
 */
class WasmRecord implements ScannedRecord {
  start = 0;
  end = 0;
  timeKey: number | undefined = undefined;
  managementEvent: boolean | undefined = undefined;
  escaped = false;
  duplicateKey = false;
  readonly time = new LazyField();
  readonly source = new LazyField();
  readonly category = new LazyField();

  constructor(private readonly bytes: Buffer) {}

  get eventTime(): string | undefined {
    return this.time.read(this.bytes);
  }

  get eventSource(): string | undefined {
    return this.source.read(this.bytes);
  }

  get eventCategory(): string | undefined {
    return this.category.read(this.bytes);
  }
}

/** A class, so that its methods are the same functions in every file (see record-scan.ts on closures). */
class Scanned implements ScannedBytes {
  private placed: Buffer | undefined = undefined;
  private readonly current: WasmRecord;
  /** The record `current` holds (-1: none yet). */
  private at = -1;

  constructor(
    readonly count: number,
    private readonly ints: Int32Array,
    private readonly scanner: Scanner,
    private readonly bytes: Buffer,
  ) {
    this.current = new WasmRecord(bytes);
  }

  record(k: number): ScannedRecord {
    const { ints, current: r } = this;
    const o = k * INTS_PER_RECORD;
    const flags = ints[o + 9];
    // The "same bytes as the previous record's" flags hold only when k follows the last record.
    const next = k === this.at + 1;
    this.at = k;
    r.time.next(ints[o + 2], ints[o + 3], false);
    r.source.next(ints[o + 4], ints[o + 5], next && (flags & 4) !== 0);
    r.category.next(ints[o + 6], ints[o + 7], next && (flags & 8) !== 0);
    const management = ints[o + 8];
    const day = ints[o + 10];
    r.start = ints[o];
    r.end = ints[o + 1];
    r.timeKey = day >= 0 ? day * 1_000_000 + ints[o + 11] : undefined;
    r.managementEvent = management === 1 ? true : management === 2 ? false : undefined;
    r.escaped = (flags & 1) !== 0;
    r.duplicateKey = (flags & 2) !== 0;
    return r;
  }

  find(needle: Buffer, from: number): number {
    if (needle.length > MAX_NEEDLE) return this.bytes.indexOf(needle, from);
    if (this.placed !== needle) {
      new Uint8Array(this.scanner.memory.buffer).set(needle, 0);
      this.placed = needle;
    }
    return this.scanner.find(IN, this.bytes.length, needle.length, from);
  }
}

/**
 * The records of a `{"Records":[…]}` document given as bytes (UTF-8, without a BOM): as
 * `scanRecords(bytes.toString('latin1'))`, offsets being byte offsets; `null` when the
 * JavaScript scanner must decide (see the header).
 */
export function scanRecordBytes(bytes: Buffer): ScannedBytes | undefined | null {
  if (!MODULE) return null;
  const len = bytes.length;
  // Real records are many hundreds of bytes; a document of records under 128 bytes on average
  // overflows `cap` and is scanned in JavaScript instead. (The output then takes 37.5% of the
  // document's size, so that delivery files up to about 23 MB share one scanner per thread.)
  const cap = (len >>> 7) + 64;
  const out = (IN + len + PAD + 7) & ~7;
  const need = out + cap * INTS_PER_RECORD * 4;
  const scanner = need <= KEEP_BYTES ? (shared ??= newScanner()) : newScanner();
  const have = scanner.memory.buffer.byteLength;
  if (have < need) {
    try {
      scanner.memory.grow(Math.ceil((need - have) / 65536));
    } catch {
      return null; // no memory for it here: the JavaScript scanner reads the file
    }
  }
  const heap = new Uint8Array(scanner.memory.buffer);
  heap.set(bytes, IN);
  heap.fill(0, IN + len, IN + len + PAD);
  const n = scanner.scan(IN, len, out, cap);
  if (n === -1) return undefined;
  if (n < 0) return null;
  return new Scanned(n, new Int32Array(scanner.memory.buffer, out, n * INTS_PER_RECORD), scanner, bytes);
}
