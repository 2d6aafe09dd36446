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

/** A scanned document: its records, and a byte search in it (valid until the next scan in this thread). */
export interface ScannedBytes {
  records: ScannedRecord[];
  /** The first place of `needle` (at most 64 bytes) at or after `from`, or -1 (as Buffer#indexOf). */
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
const INTS_PER_RECORD = 10;
/** Needles are placed in the (then free) nesting stack; longer ones are searched by Buffer#indexOf. */
const MAX_NEEDLE = 4096;
/** A thread keeps one scanner with memory up to this size; a bigger file gets one of its own. */
const KEEP_BYTES = 32 * 1024 * 1024;

let shared: Scanner | undefined;

function newScanner(): Scanner {
  return new WASM!.Instance(MODULE!, {}).exports as Scanner;
}

/** A class, so that `find` is one function in every file (see record-scan.ts on closures). */
class Scanned implements ScannedBytes {
  private placed: Buffer | undefined = undefined;

  constructor(
    readonly records: ScannedRecord[],
    private readonly scanner: Scanner,
    private readonly bytes: Buffer,
  ) {}

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
  // Real records are hundreds of bytes or more; a document of smaller ones overflows `cap`
  // and is scanned in JavaScript instead.
  const cap = (len >>> 6) + 16;
  const out = (IN + len + PAD + 7) & ~7;
  const need = out + cap * INTS_PER_RECORD * 4;
  const scanner = need <= KEEP_BYTES ? (shared ??= newScanner()) : newScanner();
  const have = scanner.memory.buffer.byteLength;
  if (have < need) scanner.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Uint8Array(scanner.memory.buffer);
  heap.set(bytes, IN);
  heap.fill(0, IN + len, IN + len + PAD);
  const n = scanner.scan(IN, len, out, cap);
  if (n === -1) return undefined;
  if (n < 0) return null;
  const ints = new Int32Array(scanner.memory.buffer, out, n * INTS_PER_RECORD);
  const records: ScannedRecord[] = new Array<ScannedRecord>(n);
  // Sources and categories repeat from record to record: the scanner says when the bytes are
  // the previous record's, and the previous string is kept.
  let source: string | undefined;
  let category: string | undefined;
  for (let k = 0, o = 0; k < n; k++, o += INTS_PER_RECORD) {
    const ts = ints[o + 2];
    const ss = ints[o + 4];
    const cs = ints[o + 6];
    const flags = ints[o + 9];
    if (ss < 0) source = undefined;
    else if ((flags & 4) === 0 || source === undefined) source = bytes.toString('latin1', ss, ints[o + 5]);
    if (cs < 0) category = undefined;
    else if ((flags & 8) === 0 || category === undefined)
      category = bytes.toString('latin1', cs, ints[o + 7]);
    const management = ints[o + 8];
    records[k] = {
      start: ints[o],
      end: ints[o + 1],
      eventTime: ts >= 0 ? bytes.toString('latin1', ts, ints[o + 3]) : undefined,
      eventSource: source,
      eventCategory: category,
      managementEvent: management === 1 ? true : management === 2 ? false : undefined,
      escaped: (flags & 1) !== 0,
      duplicateKey: (flags & 2) !== 0,
    };
  }
  return new Scanned(records, scanner, bytes);
}
