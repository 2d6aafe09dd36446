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
  DEFAULT_QUERY_TIMEOUT_MS,
  emptyCounters,
  failedQuery,
  oneLine,
  pollUntilDone,
  type GroupedRecord,
  type PollOptions,
  type QueryResult,
  type QueryScope,
  type QuerySource,
} from './query';
import { jsonColumn, recordOfRow, splitRows, type ColumnDecoders, type Row } from './query-rows';

export type LakePort = Pick<CloudTrailClient, 'send'>;

export interface LakeSourceOptions extends PollOptions {
  /** The event data store (`--lake`): its ID or ARN. */
  eventDataStore: string;
}

const MAX_POLL_MS = 5000;
/** `MaxQueryResults` is 1 to 1,000 (service-2.json). */
const PAGE = 1000;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A map column (`json_format(CAST(m AS JSON))`) as the trail record's object: each value that is
 * the JSON text of an object or an array parsed back, the others as they are (strings, nulls).
 * Anything but an object is passed on as it is, so that the parser rejects the row.
 */
export function lakeMapColumn(text: string | undefined): unknown {
  const value = jsonColumn(text);
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
  const value = jsonColumn(text);
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

/** How Lake's columns decode: maps with JSON text inside, resources in Lake's field order. */
const LAKE_DECODERS: ColumnDecoders = {
  requestParameters: lakeMapColumn,
  responseElements: lakeMapColumn,
  resources: resourcesColumn,
};

/** A grouped row of the principal as a trail record and its counts. */
export function recordOfLakeRow(row: Row): GroupedRecord {
  return recordOfRow(row, LAKE_DECODERS);
}

/** Splits rows into the principal's grouped records and the window's other events. */
export function lakeRowsToResult(rows: Row[]): Pick<QueryResult, 'records' | 'others'> {
  return splitRows(rows, LAKE_DECODERS);
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
  const problem = (reason: string): QueryResult => failedQuery(name, reason);
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

      const qid = queryId;
      const timeoutS = Math.round((options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS) / 1000);
      const failure = await pollUntilDone(
        async () => {
          counters.requests++;
          try {
            const got = await client.send(new ct.DescribeQueryCommand({ QueryId: qid }));
            const state = got.QueryStatus;
            const scanned = got.QueryStatistics?.BytesScanned;
            if (state === 'FINISHED') {
              if (typeof scanned === 'number') counters.bytesScanned += scanned;
              return 'done';
            }
            if (state !== undefined && ENDED[state])
              return { ended: `CloudTrail Lake query ${qid} ${ENDED[state]}: ${oneLine(got.ErrorMessage)}` };
            return undefined;
          } catch (err) {
            return {
              ended: `CloudTrail Lake query ${qid} status unknown: ${describeAwsError(err, 'cloudtrail:DescribeQuery')}`,
            };
          }
        },
        async () => {
          counters.requests++;
          await client.send(new ct.CancelQueryCommand({ QueryId: qid })).catch(() => undefined);
          return `CloudTrail Lake query ${qid} did not finish within ${timeoutS} s and was cancelled`;
        },
        options,
        MAX_POLL_MS,
      );
      if (failure) return problem(failure);

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
