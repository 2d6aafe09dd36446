/**
 * `report --cache DIR`: the account aggregate of each delivery folder (a day of one region in
 * the S3 layout) already read, so that a daily run over 90 days reads one new day, not ninety.
 *
 * An entry is keyed by the folder (as the trail path reaches it) and holds the name and version
 * (size and mtime of a file, ETag of an S3 object) of every file it was made
 * from; it is used only when the folder holds exactly those files unchanged, the tool, the IAM
 * catalog and the mapping data are the same (fingerprint), and every event of the folder lay in
 * the window then and lies in the window now (a folder at the window's edge is read again).
 * Merging is order-independent, so the result is byte-identical to a run without the cache. A
 * damaged or foreign cache file is ignored and rewritten, never trusted.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mappingFingerprint } from '../analyze';
import type { TimeWindow } from '../ingest';
import type { AccountAggregate } from '../model';

const FORMAT = 2;

/** A file as the cache knows it: its name and its version (size and mtime, or S3 ETag). */
export interface FileStamp {
  name: string;
  version: string;
}

interface Entry {
  format: number;
  fingerprint: string;
  dir: string;
  files: FileStamp[];
  /** Events of the folder that lay outside the window when it was read. */
  outsideWindow: number;
  /** First and last eventTime of the folder's events (all of them when outsideWindow is 0). */
  first?: string;
  last?: string;
  aggregate: AccountAggregate;
}

/** Counters of one run, for the summary. */
export interface CacheStats {
  foldersFromCache: number;
  filesFromCache: number;
  filesRead: number;
}

export class ReportCache {
  readonly stats: CacheStats = { foldersFromCache: 0, filesFromCache: 0, filesRead: 0 };

  private constructor(
    private readonly root: string,
    private readonly fingerprint: string,
  ) {}

  /** A cache in `dir` for this tool version and IAM catalog version. */
  static async open(dir: string, versions: { tool: string; catalog: string }): Promise<ReportCache> {
    const root = path.resolve(dir);
    await mkdir(root, { recursive: true });
    const fingerprint = `${versions.tool}/${versions.catalog}/${mappingFingerprint()}`;
    return new ReportCache(root, fingerprint);
  }

  /** The stamps of a folder's units (sorted by name). */
  static stamps(units: readonly { name: string; version: string }[]): FileStamp[] {
    return units
      .map((u) => ({ name: u.name, version: u.version }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private fileOf(dir: string): string {
    // The folder as the trail path reached it: findings name files that way, so a folder reached
    // through another path (relative, absolute) has its own entry and the output stays the same.
    const key = createHash('sha256').update(dir).digest('hex').slice(0, 32);
    return path.join(this.root, `${key}.json`);
  }

  /** The folder's cached aggregate when it is valid for these files and this window. */
  async get(
    dir: string,
    files: readonly FileStamp[],
    window: TimeWindow,
  ): Promise<AccountAggregate | undefined> {
    let entry: Entry;
    try {
      entry = JSON.parse(await readFile(this.fileOf(dir), 'utf8')) as Entry;
    } catch {
      return undefined;
    }
    if (entry.format !== FORMAT || entry.fingerprint !== this.fingerprint || entry.dir !== dir)
      return undefined;
    if (entry.outsideWindow !== 0 || JSON.stringify(entry.files) !== JSON.stringify(files)) return undefined;
    const since = window.since?.toISOString();
    const until = window.until?.toISOString();
    if (entry.first !== undefined && since !== undefined && entry.first < since) return undefined;
    if (entry.last !== undefined && until !== undefined && entry.last >= until) return undefined;
    if (typeof entry.aggregate !== 'object' || entry.aggregate === null || !entry.aggregate.base)
      return undefined;
    this.stats.foldersFromCache++;
    this.stats.filesFromCache += files.length;
    return entry.aggregate;
  }

  /** Stores a folder's aggregate (atomically: temp file + rename). */
  async put(dir: string, files: readonly FileStamp[], aggregate: AccountAggregate): Promise<void> {
    const entry: Entry = {
      format: FORMAT,
      fingerprint: this.fingerprint,
      dir,
      files: [...files],
      outsideWindow: aggregate.base.stats.eventsOutsideWindow,
      ...(aggregate.base.coverage
        ? { first: aggregate.base.coverage.first, last: aggregate.base.coverage.last }
        : {}),
      aggregate,
    };
    const file = this.fileOf(dir);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(entry), 'utf8');
    await rename(tmp, file);
  }
}
