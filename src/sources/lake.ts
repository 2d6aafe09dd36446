/**
 * The CloudTrail Lake source (`--lake EVENT_DATA_STORE`), for existing Lake customers (Lake is
 * closed to new customers since 2026-05-31; existing event data stores keep working). The query
 * of lake-sql.ts runs over the event data store through `StartQuery`, is polled with backoff under
 * an overall deadline (`DescribeQuery`: QUEUED, RUNNING, then FINISHED, FAILED, CANCELLED or
 * TIMED_OUT), cancelled past it (`CancelQuery`), and its rows are read page by page
 * (`GetQueryResults`, at most 1,000 a page, each row a list of single-key objects
 * `{column: value}`), then turned into grouped records for the local mapping. Operations and
 * shapes: botocore cloudtrail/2013-11-01/service-2.json. A query that fails, is cancelled, times
 * out or is cut short is a problem: the result is partial, never a smaller policy.
 *
 * Lake's maps hold nested values as JSON text: each map value that is the JSON text of an object
 * or an array is parsed back, others stay strings (see lake-sql.ts for what that cannot restore).
 */
import type { CloudTrailClient, GetQueryResultsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { describeAwsError, sdk } from '../sdk';
import { lakeEventDataStoreId, lakeQuery } from './lake-sql';
import {
  emptyCounters,
  type GroupedRecord,
  type OtherEvents,
  type QueryResult,
  type QueryScope,
  type QuerySource,
} from './query';

export type LakePort = Pick<CloudTrailClient, 'send'>;

export interface LakeSourceOptions {
  /** The event data store (`--lake`): its ID or ARN. */
  eventDataStore: string;
  /** Overall deadline of one query. @default 900000 (15 minutes) */
  timeoutMs?: number;
  /** First wait between two status polls; it grows to 5 s. @default 500 */
  pollMs?: number;
  /** Waits (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds now (tests pass a fake clock). */
  clock?: () => number;
}

const MAX_POLL_MS = 5000;
/** `MaxQueryResults` is 1 to 1,000 (service-2.json). */
const PAGE = 1000;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Text from AWS for a message: one line, no control characters, bounded. */
function oneLine(text: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (text ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON text, or the text itself when it is not JSON (the parser then rejects the row). */
function jsonText(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A map column (`json_format(CAST(m AS JSON))`) as the trail record's object: each value that is
 * the JSON text of an object or an array parsed back, the others as they are (strings, nulls).
 * Anything but an object is passed on as it is, so that the parser rejects the row.
 */
export function lakeMapColumn(text: string | undefined): unknown {
  const value = jsonText(text);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = v;
    if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) continue;
    try {
      const nested: unknown = JSON.parse(v);
      if (typeof nested === 'object' && nested !== null) out[k] = nested;
    } catch {
      // Text that only looks like JSON stays text.
    }
  }
  return out;
}

/**
 * The `resources` column: objects `{accountid, type, arn, arnprefix}` (Trino's cast of a named
 * row) or arrays in the schema's field order `[accountid, type, arn, arnprefix]` (Presto's), as a
 * trail record's `resources`. Anything else is passed on as it is, so that the parser rejects it.
 */
function resourcesColumn(text: string | undefined): unknown {
  const value = jsonText(text);
  if (value === undefined || value === null || !Array.isArray(value)) return value;
  const out: unknown[] = [];
  for (const item of value) {
    let r: Record<string, unknown>;
    if (Array.isArray(item) && item.length === 4)
      r = { accountid: item[0], type: item[1], arn: item[2], arnprefix: item[3] };
    else if (isObject(item)) r = item;
    else return value;
    const resource: Record<string, unknown> = {};
    if (r.accountid !== undefined && r.accountid !== null) resource.accountId = r.accountid;
    if (r.type !== undefined && r.type !== null) resource.type = r.type;
    if (r.arn !== undefined && r.arn !== null) resource.ARN = r.arn;
    if (r.arnprefix !== undefined && r.arnprefix !== null) resource.ARNPrefix = r.arnprefix;
    out.push(resource);
  }
  return out;
}

type Row = Record<string, string | undefined>;

/** A grouped row of the principal as a trail record and its counts. */
export function recordOfLakeRow(row: Row): GroupedRecord {
  const issuer =
    row.issuer_arn !== undefined || row.issuer_type !== undefined
      ? { sessionIssuer: { arn: row.issuer_arn, type: row.issuer_type } }
      : undefined;
  const record = {
    eventTime: row.first_seen,
    eventID: row.first_id,
    eventSource: row.eventsource,
    eventName: row.eventname,
    awsRegion: row.awsregion,
    recipientAccountId: row.recipientaccountid,
    errorCode: row.errorcode,
    eventCategory: row.eventcategory,
    eventType: row.eventtype,
    readOnly: row.readonly,
    sourceIPAddress: row.service_host,
    userIdentity: {
      type: row.identity_type,
      arn: row.identity_arn,
      accountId: row.identity_account,
      principalId: row.identity_principal,
      invokedBy: row.identity_invokedby,
      ...(issuer ? { sessionContext: issuer } : {}),
    },
    requestParameters: lakeMapColumn(row.requestparameters),
    responseElements: lakeMapColumn(row.responseelements),
    resources: resourcesColumn(row.resources),
  };
  return {
    record,
    count: Number(row.calls),
    firstSeen: row.first_seen ?? '',
    lastSeen: row.last_seen ?? '',
    sampleEventIds: [row.first_id, row.last_id].filter((id): id is string => typeof id === 'string'),
  };
}

/** Splits rows into the principal's grouped records and the window's other events. */
export function lakeRowsToResult(rows: Row[]): Pick<QueryResult, 'records' | 'others'> {
  const records: GroupedRecord[] = [];
  const others: OtherEvents[] = [];
  for (const row of rows) {
    if (row.matched === 'true') records.push(recordOfLakeRow(row));
    else
      others.push({
        eventSource: row.eventsource ?? '',
        ...(row.eventcategory !== undefined ? { eventCategory: row.eventcategory } : {}),
        count: Number(row.calls),
        firstSeen: row.first_seen ?? '',
        lastSeen: row.last_seen ?? '',
      });
  }
  return { records, others };
}

/** One result row (a list of single-key objects) by column name; a null is an absent key. */
function rowOf(cells: Record<string, string>[]): Row {
  const row: Row = {};
  for (const cell of cells ?? [])
    for (const [k, v] of Object.entries(cell ?? {})) if (typeof v === 'string') row[k] = v;
  return row;
}

/** Ends of a query that are not FINISHED, as said in findings. */
const ENDED: Record<string, string> = {
  FAILED: 'failed',
  CANCELLED: 'was cancelled',
  TIMED_OUT: 'timed out in CloudTrail Lake',
};

/** A CloudTrail Lake query source over `options.eventDataStore` (see the file header). */
export function lakeSource(client: LakePort, options: LakeSourceOptions): QuerySource {
  // Checked now: a bad --lake is a usage error before any request.
  const id = lakeEventDataStoreId(options.eventDataStore);
  const name = `lake://${id}`;
  const counters = emptyCounters();
  const sleep = options.sleep ?? defaultSleep;
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 900_000;
  const problem = (reason: string): QueryResult => ({
    name,
    records: [],
    others: [],
    problems: [{ file: name, code: 'PT-FILE-UNREADABLE', reason }],
  });
  return {
    name,
    counters,
    async run(scope: QueryScope): Promise<QueryResult> {
      // Values are checked and written before any request (a usage error otherwise).
      const sql = lakeQuery(scope.target, scope.window, scope.now, options);
      const ct = sdk.cloudtrail();
      let queryId: string | undefined;
      counters.queries++;
      counters.requests++;
      try {
        queryId = (await client.send(new ct.StartQueryCommand({ QueryStatement: sql }))).QueryId;
      } catch (err) {
        return problem(
          `CloudTrail Lake query could not start: ${describeAwsError(err, 'cloudtrail:StartQuery')}`,
        );
      }
      if (!queryId) return problem('CloudTrail Lake query could not start: no query id in the answer');

      const deadline = clock() + timeoutMs;
      let wait = options.pollMs ?? 500;
      for (;;) {
        let state: string | undefined;
        let reason: string | undefined;
        counters.requests++;
        try {
          const got = await client.send(new ct.DescribeQueryCommand({ QueryId: queryId }));
          state = got.QueryStatus;
          reason = got.ErrorMessage;
          const scanned = got.QueryStatistics?.BytesScanned;
          if (state === 'FINISHED' && typeof scanned === 'number') counters.bytesScanned += scanned;
        } catch (err) {
          return problem(
            `CloudTrail Lake query ${queryId} status unknown: ${describeAwsError(err, 'cloudtrail:DescribeQuery')}`,
          );
        }
        if (state === 'FINISHED') break;
        if (state !== undefined && ENDED[state])
          return problem(`CloudTrail Lake query ${queryId} ${ENDED[state]}: ${oneLine(reason)}`);
        if (clock() + wait > deadline) {
          counters.requests++;
          await client.send(new ct.CancelQueryCommand({ QueryId: queryId })).catch(() => undefined);
          return problem(
            `CloudTrail Lake query ${queryId} did not finish within ${Math.round(timeoutMs / 1000)} s and was cancelled`,
          );
        }
        await sleep(wait);
        wait = Math.min(MAX_POLL_MS, Math.ceil(wait * 1.5));
      }

      const rows: Row[] = [];
      // Rows already read would make a smaller policy look whole: a cut is a partial result.
      const cut = (reason: string): QueryResult => ({
        ...problem(`CloudTrail Lake results of ${queryId} ${reason} after ${rows.length} rows`),
        ...lakeRowsToResult(rows),
      });
      let token: string | undefined;
      let total: number | undefined;
      do {
        counters.requests++;
        let page: GetQueryResultsCommandOutput;
        try {
          page = await client.send(
            new ct.GetQueryResultsCommand({
              QueryId: queryId,
              MaxQueryResults: PAGE,
              ...(token ? { NextToken: token } : {}),
            }),
          );
        } catch (err) {
          return cut(`could not be read (${describeAwsError(err, 'cloudtrail:GetQueryResults')})`);
        }
        if (page.QueryStatus !== undefined && page.QueryStatus !== 'FINISHED')
          return cut(`ended ${page.QueryStatus}: ${oneLine(page.ErrorMessage)}`);
        for (const cells of page.QueryResultRows ?? []) rows.push(rowOf(cells));
        const t = page.QueryStatistics?.TotalResultsCount;
        if (typeof t === 'number') total = t;
        token = page.NextToken;
      } while (token);
      counters.rows += rows.length;
      if (total !== undefined && rows.length < total) return cut(`stopped short of ${total} rows`);
      return { name, problems: [], ...lakeRowsToResult(rows) };
    },
  };
}
