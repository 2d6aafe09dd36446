/**
 * Query sources: an engine that scans the trail where it lies (Athena over the trail bucket,
 * CloudWatch Logs Insights over the trail's log group) and returns the principal's calls grouped,
 * one row per distinct call with how many there were, when, and some of their ids. The rows are
 * mapped locally by the same parser, attribution and mapping as trail files.
 */
import type { Target } from '../attribution';
import type { FileProblem, TimeWindow } from '../ingest';

/** One grouped row: a CloudTrail record standing for `count` identical calls. */
export interface GroupedRecord {
  /** The record as in a trail file (validated by parseRecord like any other). */
  record: unknown;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Some of the calls' event ids. */
  sampleEventIds: string[];
}

/** Events of the window that are not the principal's: counted by the engine, not returned. */
export interface OtherEvents {
  eventSource: string;
  /** `Data` for data events. */
  eventCategory?: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

/** What a query source read. */
export interface QueryResult {
  /** Names the source in findings: `athena://db.table`, `logs://group`. */
  name: string;
  records: GroupedRecord[];
  others: OtherEvents[];
  /** Queries that failed, timed out or were cut short: the result is partial. */
  problems: FileProblem[];
}

/** Requests and volume of a query source's runs, for the run's summary line. */
export interface QueryCounters {
  queries: number;
  requests: number;
  rows: number;
  bytesScanned: number;
}

/** Whose calls to return, and when. */
export interface QueryScope {
  /** Undefined: every principal's calls (the account-wide report), grouped per day too. */
  target?: Target;
  window: TimeWindow;
  now: Date;
}

/** A query engine over the trail, injected by the CLI. */
export interface QuerySource {
  /** `athena://db.table`, `logs://group`. */
  name: string;
  /** What the engine answered, as you go (mutated by `run`). */
  counters: QueryCounters;
  run(scope: QueryScope): Promise<QueryResult>;
}

/** Fresh counters. */
export function emptyCounters(): QueryCounters {
  return { queries: 0, requests: 0, rows: 0, bytesScanned: 0 };
}

/** Waits `ms` milliseconds (the polling of the query sources; tests inject a fast one). */
export function waitFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Text from AWS (a query's failure reason) for a message: one line, no control characters, bounded. */
export function oneLine(text: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (text ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
}

/** How a query source waits for its query (tests inject a fast sleep and a fake clock). */
export interface PollOptions {
  /** Overall deadline of one query. @default 900000 (15 minutes) */
  timeoutMs?: number;
  /** First wait between two status polls; it grows by half each time, to a bound. */
  pollMs?: number;
  /** Waits (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds now (tests pass a fake clock). */
  clock?: () => number;
}

/** Default deadline of one query: 15 minutes. */
export const DEFAULT_QUERY_TIMEOUT_MS = 900_000;

/** One status request of a running query: `done`, why it ended without a result, or undefined while it runs. */
export type QueryLook = 'done' | { ended: string } | undefined;

/**
 * Polls a started query until `look` says it is done, backing off from `pollMs` (default 500) by
 * half again each time up to `maxPollMs`. Past the deadline the query is stopped (`stop`, best
 * effort, says why). Returns undefined when done, else the reason for the source's problem.
 */
export async function pollUntilDone(
  look: () => Promise<QueryLook>,
  stop: () => Promise<string>,
  options: PollOptions,
  maxPollMs: number,
): Promise<string | undefined> {
  const sleep = options.sleep ?? waitFor;
  const clock = options.clock ?? Date.now;
  const deadline = clock() + (options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  let wait = options.pollMs ?? 500;
  for (;;) {
    const state = await look();
    if (state === 'done') return undefined;
    if (state) return state.ended;
    if (clock() + wait > deadline) return stop();
    await sleep(wait);
    wait = Math.min(maxPollMs, Math.ceil(wait * 1.5));
  }
}

/** The result of a query that gave nothing usable: one unreadable-input problem naming the source. */
export function failedQuery(name: string, reason: string): QueryResult {
  return { name, records: [], others: [], problems: [{ file: name, code: 'PT-FILE-UNREADABLE', reason }] };
}
