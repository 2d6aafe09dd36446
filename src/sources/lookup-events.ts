/**
 * The LookupEvents source (`--lookup-events`): CloudTrail's event history of one region, the last
 * 90 days of management events, through `LookupEvents` (50 events a page, 2 requests a second per
 * account and region: the reader paces its requests to it, and the client's adaptive retries
 * absorb throttling that other callers of the same quota cause). The whole history of
 * the window is read, unfiltered: no lookup attribute is documented to match a role session name
 * exactly, and a filter must never drop a call of the principal. Data events are never in it.
 *
 * The pages become in-memory trace units of the one reader (a `{"Records":[…]}` per batch of
 * pages), so attribution, mapping and findings are those of trail files.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { memorySource, type FileProblem, type TimeWindow } from '../ingest';
import { describeAwsError, sdk } from '../sdk';
import { waitFor } from './query';
import type { TraceUnit } from './units';

export type CloudTrailPort = Pick<CloudTrailClient, 'send'>;

export interface LookupEventsOptions {
  region: string;
  /** Pages per trace unit. @default 20 (1,000 events) */
  pagesPerUnit?: number;
  /** Called after each page with the pages read and events so far (`done` after the last one). */
  progress?: (pages: number, events: number, done: boolean) => void;
  /**
   * Least time between two requests: the quota is 2 requests a second per account and region,
   * so the reader keeps below it itself (with a margin for clock jitter) rather than be throttled
   * and back off. @default 550
   */
  minIntervalMs?: number;
  /** Waits and the clock (tests pass fast ones). */
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

export interface LookupEventsResult {
  units: TraceUnit[];
  problems: FileProblem[];
  requests: number;
  events: number;
}

const DAY_MS = 86_400_000;

function unitOf(name: string, records: unknown[]): TraceUnit {
  const bytes = Buffer.from(JSON.stringify({ Records: records }), 'utf8');
  return {
    name,
    size: bytes.length,
    folder: name.slice(0, name.lastIndexOf('/')),
    version: `${bytes.length}`,
    source: memorySource(name, bytes),
  };
}

/** Reads the event history of the window (see the file header). */
export async function lookupEvents(
  client: CloudTrailPort,
  window: TimeWindow,
  now: Date,
  options: LookupEventsOptions,
): Promise<LookupEventsResult> {
  const out: LookupEventsResult = { units: [], problems: [], requests: 0, events: 0 };
  // The event history keeps 90 days: an earlier start is clipped (and said by the caller).
  const start = new Date(
    Math.max((window.since ?? new Date(now.getTime() - 90 * DAY_MS)).getTime(), now.getTime() - 90 * DAY_MS),
  );
  const end = window.until ?? now;
  const perUnit = options.pagesPerUnit ?? 20;
  let token: string | undefined;
  let batch: unknown[] = [];
  let pages = 0;
  const base = `lookup-events://${options.region}`;
  const flush = () => {
    if (batch.length === 0) return;
    out.units.push(unitOf(`${base}/page-${String(out.units.length + 1).padStart(6, '0')}`, batch));
    batch = [];
  };
  const interval = options.minIntervalMs ?? 550;
  const sleep = options.sleep ?? waitFor;
  const clock = options.clock ?? Date.now;
  let last: number | undefined;
  do {
    if (last !== undefined) {
      const wait = last + interval - clock();
      if (wait > 0) await sleep(wait);
    }
    last = clock();
    out.requests++;
    let page;
    try {
      page = await client.send(
        new (sdk.cloudtrail().LookupEventsCommand)({
          StartTime: start,
          EndTime: end,
          MaxResults: 50,
          ...(token ? { NextToken: token } : {}),
        }),
      );
    } catch (err) {
      out.problems.push({
        file: `${base}/page-${pages + 1}`,
        code: 'PT-FILE-UNREADABLE',
        reason: `LookupEvents failed: ${describeAwsError(err, 'cloudtrail:LookupEvents')}: the history after this page is not read`,
      });
      break;
    }
    pages++;
    for (const ev of page.Events ?? []) {
      out.events++;
      // A record that is not JSON stays a malformed event of its unit (the reader reports it).
      batch.push(typeof ev.CloudTrailEvent === 'string' ? safeParse(ev.CloudTrailEvent) : ev);
    }
    if (pages % perUnit === 0) flush();
    token = page.NextToken;
    options.progress?.(pages, out.events, !token);
  } while (token);
  flush();
  return out;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
