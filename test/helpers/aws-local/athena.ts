/**
 * A local Athena (JSON 1.1, `AmazonAthena.*`) that really runs the SQL it is sent: on a DuckDB
 * database of CloudTrail records in the documented table schema (duckdb-trail.ts), with the
 * request's execution parameters bound as the literals Athena takes them for. Queries go
 * QUEUED → RUNNING → SUCCEEDED over successive polls; results come in pages of MaxResults with
 * the header row first, as Athena's do. Failures, throttling and queries that never finish can
 * be injected.
 */
import type { ServerResponse } from 'node:http';
import type { TrailDb } from '../duckdb-trail';
import { startEndpoint, type LocalEndpoint } from './server';

export interface LocalAthenaOptions {
  /** Requests answered TooManyRequestsException before any other answer. */
  throttle?: number;
  /** Every query FAILED with this reason. */
  fail?: string;
  /** Queries stay RUNNING for ever. */
  hang?: boolean;
  /** Polls answered RUNNING before SUCCEEDED. @default 2 */
  runningPolls?: number;
}

export interface LocalAthena extends LocalEndpoint {
  /** The SQL and bound values of each query started. */
  queries: { sql: string; params: (string | number)[]; workgroup?: string; output?: string }[];
  stopped: string[];
}

/** One execution parameter's literal, as Athena reads it: a quoted string or an integer. */
export function parseAthenaLiteral(text: string): string | number {
  if (/^-?\d{1,15}$/.test(text)) return Number(text);
  const m = /^'((?:[^']|'')*)'$/s.exec(text);
  if (!m) throw new Error('not a literal');
  return m[1].replace(/''/g, "'");
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  res.end(JSON.stringify(body));
}

/** Starts the local Athena over `db`. */
export async function startLocalAthena(db: TrailDb, options: LocalAthenaOptions = {}): Promise<LocalAthena> {
  let throttle = options.throttle ?? 0;
  const executions = new Map<
    string,
    { polls: number; columns: string[]; rows: (string | undefined)[][]; error?: string; scanned: number }
  >();
  const queries: LocalAthena['queries'] = [];
  const stopped: string[] = [];
  const endpoint = await startEndpoint(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.replace(/^AmazonAthena\./, '');
    const body = JSON.parse(req.body || '{}') as Record<string, unknown>;
    if (throttle > 0) {
      throttle--;
      return answer(res, 400, { __type: 'TooManyRequestsException', Message: 'Rate exceeded' });
    }
    if (op === 'StartQueryExecution') {
      const sql = String(body.QueryString ?? '');
      let params: (string | number)[];
      try {
        params = ((body.ExecutionParameters as string[] | undefined) ?? []).map(parseAthenaLiteral);
      } catch {
        return answer(res, 400, {
          __type: 'InvalidRequestException',
          Message: 'invalid execution parameter',
        });
      }
      const workgroup = body.WorkGroup as string | undefined;
      const output = (body.ResultConfiguration as { OutputLocation?: string } | undefined)?.OutputLocation;
      queries.push({ sql, params, ...(workgroup ? { workgroup } : {}), ...(output ? { output } : {}) });
      const id = `q-${queries.length}`;
      try {
        const { columns, rows } = await db.query(sql, params);
        executions.set(id, { polls: 0, columns, rows, scanned: 1024 * 1024 * queries.length });
      } catch (err) {
        executions.set(id, {
          polls: 0,
          columns: [],
          rows: [],
          error: String((err as Error).message),
          scanned: 0,
        });
      }
      return answer(res, 200, { QueryExecutionId: id });
    }
    const id = String(body.QueryExecutionId ?? '');
    const ex = executions.get(id);
    if (!ex) return answer(res, 400, { __type: 'InvalidRequestException', Message: 'no such query' });
    if (op === 'GetQueryExecution') {
      ex.polls++;
      const running = options.hang || ex.polls <= (options.runningPolls ?? 2);
      const failed = options.fail ?? ex.error;
      const state = running ? (ex.polls === 1 ? 'QUEUED' : 'RUNNING') : failed ? 'FAILED' : 'SUCCEEDED';
      return answer(res, 200, {
        QueryExecution: {
          QueryExecutionId: id,
          Status: { State: state, ...(state === 'FAILED' ? { StateChangeReason: failed } : {}) },
          ...(state === 'SUCCEEDED' ? { Statistics: { DataScannedInBytes: ex.scanned } } : {}),
        },
      });
    }
    if (op === 'StopQueryExecution') {
      stopped.push(id);
      return answer(res, 200, {});
    }
    if (op === 'GetQueryResults') {
      const size = Number(body.MaxResults ?? 1000);
      const from = Number(body.NextToken ?? '0');
      // The header row counts as one of the first page's rows, as in Athena.
      const all = [ex.columns.map((c) => c as string | undefined), ...ex.rows];
      const page = all.slice(from, from + size);
      return answer(res, 200, {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: ex.columns.map((c) => ({ Name: c, Label: c, Type: 'varchar' })) },
          Rows: page.map((r) => ({ Data: r.map((v) => (v === undefined ? {} : { VarCharValue: v })) })),
        },
        ...(from + size < all.length ? { NextToken: String(from + size) } : {}),
      });
    }
    return answer(res, 400, { __type: 'UnknownOperationException', Message: op });
  });
  return Object.assign(endpoint, { queries, stopped });
}
