/**
 * The Athena source (`--athena-table DB.TABLE`): the query of athena-sql.ts run over the trail
 * bucket's table through `StartQueryExecution` (values as execution parameters), polled with
 * backoff under an overall deadline, its rows read page by page (`GetQueryResults`) and turned
 * into grouped records for the local mapping. A query that fails, is cancelled or times out is a
 * problem: the result is partial, never a smaller policy.
 */
import type { AthenaClient, GetQueryResultsCommandOutput } from '@aws-sdk/client-athena';
import { describeAwsError, sdk } from '../sdk';
import { athenaLiteral, athenaQuery, type AthenaQueryOptions } from './athena-sql';
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

export type AthenaPort = Pick<AthenaClient, 'send'>;

export interface AthenaSourceOptions extends AthenaQueryOptions, PollOptions {
  /** The workgroup (`--athena-workgroup`); Athena's default `primary` when absent. */
  workgroup?: string;
  /** Where Athena writes the results (`--athena-output s3://…`), unless the workgroup sets it. */
  outputLocation?: string;
}

const MAX_POLL_MS = 5000;

/**
 * The `resources` column (`CAST(resources AS JSON)`): objects `{arn, accountid, type}` (Trino) or
 * arrays `[arn, accountid, type]` (Presto's casts of rows), as a trail record's `resources`.
 * Anything else is passed on as it is, so that the parser rejects the row.
 */
function resourcesColumn(text: string | undefined): unknown {
  const value = jsonColumn(text);
  if (value === undefined || !Array.isArray(value)) return value;
  const out: unknown[] = [];
  for (const item of value) {
    if (Array.isArray(item) && item.length === 3) {
      out.push({ ARN: item[0] ?? undefined, accountId: item[1] ?? undefined, type: item[2] ?? undefined });
    } else if (item && typeof item === 'object' && !Array.isArray(item)) {
      const r = item as Record<string, unknown>;
      out.push({ ARN: r.arn ?? undefined, accountId: r.accountid ?? undefined, type: r.type ?? undefined });
    } else return value;
  }
  return out;
}

/** How Athena's columns decode: JSON text, resources as objects or arrays. */
const ATHENA_DECODERS: ColumnDecoders = {
  requestParameters: jsonColumn,
  responseElements: jsonColumn,
  resources: resourcesColumn,
};

/** A grouped row of the principal as a trail record and its counts. */
export function recordOfAthenaRow(row: Row): GroupedRecord {
  return recordOfRow(row, ATHENA_DECODERS);
}

/** Splits rows into the principal's grouped records and the window's other events. */
export function rowsToResult(rows: Row[]): Pick<QueryResult, 'records' | 'others'> {
  return splitRows(rows, ATHENA_DECODERS);
}

/** The rows of one page, by column name (the header row of the first page skipped). */
function pageRows(page: GetQueryResultsCommandOutput, first: boolean): Row[] {
  const names = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
  const rows = page.ResultSet?.Rows ?? [];
  const out: Row[] = [];
  rows.forEach((r, i) => {
    const values = (r.Data ?? []).map((d) => d.VarCharValue);
    if (first && i === 0 && values.every((v, j) => v === names[j])) return;
    const row: Row = {};
    names.forEach((n, j) => (row[n] = values[j]));
    out.push(row);
  });
  return out;
}

/** An Athena query source over `options.table` (see the file header). */
export function athenaSource(client: AthenaPort, options: AthenaSourceOptions): QuerySource {
  const name = `athena://${options.table}`;
  const counters = emptyCounters();
  const problem = (reason: string): QueryResult => failedQuery(name, reason);
  return {
    name,
    counters,
    async run(scope: QueryScope): Promise<QueryResult> {
      const q = athenaQuery(scope.target, scope.window, scope.now, options);
      const athena = sdk.athena();
      let id: string | undefined;
      counters.queries++;
      counters.requests++;
      try {
        const started = await client.send(
          new athena.StartQueryExecutionCommand({
            QueryString: q.sql,
            ExecutionParameters: q.params.map(athenaLiteral),
            ...(options.workgroup ? { WorkGroup: options.workgroup } : {}),
            ...(options.outputLocation
              ? { ResultConfiguration: { OutputLocation: options.outputLocation } }
              : {}),
          }),
        );
        id = started.QueryExecutionId;
      } catch (err) {
        return problem(
          `Athena query could not start: ${describeAwsError(err, 'athena:StartQueryExecution')}`,
        );
      }
      if (!id) return problem('Athena query could not start: no query execution id in the answer');

      const qid = id;
      const timeoutS = Math.round((options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS) / 1000);
      const failure = await pollUntilDone(
        async () => {
          counters.requests++;
          try {
            const got = await client.send(new athena.GetQueryExecutionCommand({ QueryExecutionId: qid }));
            const state = got.QueryExecution?.Status?.State;
            const scanned = got.QueryExecution?.Statistics?.DataScannedInBytes;
            if (state === 'SUCCEEDED') {
              if (typeof scanned === 'number') counters.bytesScanned += scanned;
              return 'done';
            }
            if (state === 'FAILED' || state === 'CANCELLED') {
              const how = state === 'FAILED' ? 'failed' : 'was cancelled';
              return {
                ended: `Athena query ${qid} ${how}: ${oneLine(got.QueryExecution?.Status?.StateChangeReason)}`,
              };
            }
            return undefined;
          } catch (err) {
            return {
              ended: `Athena query ${qid} status unknown: ${describeAwsError(err, 'athena:GetQueryExecution')}`,
            };
          }
        },
        async () => {
          counters.requests++;
          await client
            .send(new athena.StopQueryExecutionCommand({ QueryExecutionId: qid }))
            .catch(() => undefined);
          return `Athena query ${qid} did not finish within ${timeoutS} s and was stopped`;
        },
        options,
        MAX_POLL_MS,
      );
      if (failure) return problem(failure);

      const rows: Row[] = [];
      let token: string | undefined;
      let first = true;
      do {
        counters.requests++;
        let page: GetQueryResultsCommandOutput;
        try {
          page = await client.send(
            new athena.GetQueryResultsCommand({
              QueryExecutionId: id,
              MaxResults: 1000,
              ...(token ? { NextToken: token } : {}),
            }),
          );
        } catch (err) {
          // Rows already read would make a smaller policy look whole: the result is partial.
          return {
            ...problem(
              `Athena results of ${id} could not be read after ${rows.length} rows: ${describeAwsError(err, 'athena:GetQueryResults')}`,
            ),
            ...rowsToResult(rows),
          };
        }
        rows.push(...pageRows(page, first));
        first = false;
        token = page.NextToken;
      } while (token);
      counters.rows += rows.length;
      return { name, problems: [], ...rowsToResult(rows) };
    },
  };
}
