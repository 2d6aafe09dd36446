/**
 * A local CloudTrail Lake (JSON 1.1, `X-Amz-Target: CloudTrail_20131101.<Operation>` as SDK v3
 * sends it, or with botocore's full `targetPrefix`, see TARGET) that really runs the SQL it is sent: on a
 * DuckDB database of CloudTrail records loaded in the event data store schema AWS documents
 * ("Supported SQL schemas for event data stores",
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-supported-event-schemas.html):
 * `eventtime` a TIMESTAMP, `useridentity` a struct, `requestparameters` / `responseelements` /
 * `additionaleventdata` MAP(VARCHAR, VARCHAR) with nested values stored as their JSON text (and
 * numbers and booleans as their text), `resources` a list of `{accountid, type, arn, arnprefix}`,
 * `readonly` / `managementevent` BOOLEAN.
 *
 * What differs from Trino, and only that, is bridged here, never the query's structure:
 * - `json_format(json)` (Trino: JSON to its text) does not exist in DuckDB, whose JSON type is
 *   already text: it is defined as a macro, `CAST(j AS VARCHAR)`. No SQL text is rewritten for it.
 * - Lake resolves the FROM target, an event data store ID (a UUID, written bare as Lake's docs
 *   do), to its table; DuckDB would read the ID's `-` as minus, so `FROM <id>` is given to DuckDB
 *   as `FROM "<id>"`. Another ID is not found, and the query FAILED, as in Lake.
 *
 * StartQuery answers a QueryId (a UUID); DescribeQuery goes QUEUED → RUNNING → FINISHED over
 * successive polls, with `QueryStatistics.BytesScanned`; GetQueryResults pages by MaxQueryResults
 * (capped by `pageSize` to force several pages) with NextToken, each row a list of single-key
 * objects `{column: value}` with every value text (a NULL is sent as JSON null). Failures,
 * timeouts, throttling and queries that never finish can be injected; CancelQuery is recorded.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { ServerResponse } from 'node:http';
import { loadTable, readAll } from '../duckdb-trail';
import { startEndpoint, type LocalEndpoint } from './server';

const S = 'VARCHAR';
const MAP = `MAP(${S}, ${S})`;
/** The documented CloudTrail event columns, in DuckDB's type syntax. */
export const LAKE_COLUMNS_DDL: Record<string, string> = {
  eventversion: S,
  useridentity: `STRUCT(type ${S}, principalid ${S}, arn ${S}, accountid ${S}, accesskeyid ${S}, username ${S}, sessioncontext STRUCT(attributes STRUCT(creationdate TIMESTAMP, mfaauthenticated ${S}), sessionissuer STRUCT(type ${S}, principalid ${S}, arn ${S}, accountid ${S}, username ${S}), webidfederationdata STRUCT(federatedprovider ${S}, attributes ${MAP}), sourceidentity ${S}, ec2roledelivery ${S}, ec2issuedinvpc ${S}), onbehalfof STRUCT(userid ${S}, identitystorearn ${S}), inscopeof STRUCT(sourcearn ${S}, sourceaccount ${S}, issuertype ${S}, credentialsissuedto ${S}), invokedby ${S}, identityprovider ${S})`,
  eventtime: 'TIMESTAMP',
  eventsource: S,
  eventname: S,
  awsregion: S,
  sourceipaddress: S,
  useragent: S,
  errorcode: S,
  errormessage: S,
  requestparameters: MAP,
  responseelements: MAP,
  additionaleventdata: MAP,
  requestid: S,
  eventid: S,
  readonly: 'BOOLEAN',
  resources: `STRUCT(accountid ${S}, type ${S}, arn ${S}, arnprefix ${S})[]`,
  eventtype: S,
  apiversion: S,
  managementevent: 'BOOLEAN',
  recipientaccountid: S,
  sharedeventid: S,
  annotation: S,
  vpcendpointid: S,
  serviceeventdetails: MAP,
  addendum: MAP,
  edgedevicedetails: MAP,
  insightdetails: MAP,
  eventcategory: S,
  tlsdetails: `STRUCT(tlsversion ${S}, ciphersuite ${S}, clientprovidedhostheader ${S})`,
  sessioncredentialfromconsole: S,
  eventjson: S,
  eventjsonchecksum: S,
};

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null =>
  v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
/** `2026-11-02T10:15:00Z` → `2026-11-02 10:15:00` (Lake's timestamps are UTC, without a zone). */
const time = (v: unknown): string | null =>
  typeof v === 'string' ? v.replace('T', ' ').replace(/Z$/, '') : null;
const bool = (v: unknown): boolean | null =>
  typeof v === 'boolean' ? v : typeof v === 'string' ? v.toLowerCase() === 'true' : null;

/** An object as Lake's map<string,string>: nested values as JSON text, scalars as their text. */
function map(v: unknown): Record<string, string | null> | null {
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  return Object.fromEntries(Object.entries(v as Raw).map(([k, x]) => [k, str(x)]));
}

/** One record as an event data store row (lower-case names, the documented types). */
function lakeRow(r: Raw): Raw {
  const u = (r.userIdentity ?? {}) as Raw;
  const sc = (u.sessionContext ?? undefined) as Raw | undefined;
  const issuer = (sc?.sessionIssuer ?? undefined) as Raw | undefined;
  const attrs = (sc?.attributes ?? undefined) as Raw | undefined;
  const tls = (r.tlsDetails ?? undefined) as Raw | undefined;
  return {
    eventversion: str(r.eventVersion),
    useridentity: {
      type: str(u.type),
      principalid: str(u.principalId),
      arn: str(u.arn),
      accountid: str(u.accountId),
      accesskeyid: str(u.accessKeyId),
      username: str(u.userName),
      sessioncontext: sc
        ? {
            attributes: attrs
              ? { creationdate: time(attrs.creationDate), mfaauthenticated: str(attrs.mfaAuthenticated) }
              : null,
            sessionissuer: issuer
              ? {
                  type: str(issuer.type),
                  principalid: str(issuer.principalId),
                  arn: str(issuer.arn),
                  accountid: str(issuer.accountId),
                  username: str(issuer.userName),
                }
              : null,
            webidfederationdata: null,
            sourceidentity: str(sc.sourceIdentity),
            ec2roledelivery: str(sc.ec2RoleDelivery),
            ec2issuedinvpc: str(sc.ec2IssuedInVPC),
          }
        : null,
      onbehalfof: null,
      inscopeof: null,
      invokedby: str(u.invokedBy),
      identityprovider: str(u.identityProvider),
    },
    eventtime: time(r.eventTime),
    eventsource: str(r.eventSource),
    eventname: str(r.eventName),
    awsregion: str(r.awsRegion),
    sourceipaddress: str(r.sourceIPAddress),
    useragent: str(r.userAgent),
    errorcode: str(r.errorCode),
    errormessage: str(r.errorMessage),
    requestparameters: map(r.requestParameters),
    responseelements: map(r.responseElements),
    additionaleventdata: map(r.additionalEventData),
    requestid: str(r.requestID),
    eventid: str(r.eventID),
    readonly: bool(r.readOnly),
    resources: Array.isArray(r.resources)
      ? (r.resources as Raw[]).map((x) => ({
          accountid: str(x.accountId),
          type: str(x.type),
          arn: str(x.ARN),
          arnprefix: str(x.ARNPrefix),
        }))
      : null,
    eventtype: str(r.eventType),
    apiversion: str(r.apiVersion),
    managementevent: bool(r.managementEvent),
    recipientaccountid: str(r.recipientAccountId),
    sharedeventid: str(r.sharedEventID),
    annotation: str(r.annotation),
    vpcendpointid: str(r.vpcEndpointId),
    serviceeventdetails: map(r.serviceEventDetails),
    addendum: map(r.addendum),
    edgedevicedetails: map(r.edgeDeviceDetails),
    insightdetails: map(r.insightDetails),
    eventcategory: str(r.eventCategory),
    tlsdetails: tls
      ? {
          tlsversion: str(tls.tlsVersion),
          ciphersuite: str(tls.cipherSuite),
          clientprovidedhostheader: str(tls.clientProvidedHostHeader),
        }
      : null,
    sessioncredentialfromconsole: str(r.sessionCredentialFromConsole),
    eventjson: JSON.stringify(r),
    eventjsonchecksum: null,
  };
}

export interface LakeDb {
  /** The event data store's ID (its table). */
  id: string;
  connection: DuckDBConnection;
  /** Runs Lake SQL (the FROM target bridged, see the file header); every value as text or undefined. */
  query(sql: string): Promise<{ columns: string[]; rows: (string | undefined)[][] }>;
  close(): void;
}

/** A DuckDB database holding `records` as the event data store `id`. */
export async function lakeDb(records: Raw[], id: string): Promise<LakeDb> {
  if (!/^[A-Za-z0-9-]+$/.test(id)) throw new Error('an event data store ID is letters, digits and -');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)');
  await loadTable(connection, `"${id}"`, LAKE_COLUMNS_DDL, records.map(lakeRow));
  const from = new RegExp(`\\bFROM ${id}(?![A-Za-z0-9-])`, 'g');
  return {
    id,
    connection,
    query: (sql) => readAll(connection, sql.replace(from, `FROM "${id}"`)),
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export interface LocalLakeOptions {
  /** Requests answered ThrottlingException before any other answer. */
  throttle?: number;
  /** Every query FAILED with this message. */
  fail?: string;
  /** Every query TIMED_OUT (Lake's own limit). */
  timedOut?: boolean;
  /** Queries stay RUNNING for ever. */
  hang?: boolean;
  /** Polls answered RUNNING before FINISHED. @default 2 */
  runningPolls?: number;
  /** Rows a page at most, below the request's MaxQueryResults. @default 1000 */
  pageSize?: number;
}

export interface LocalLake extends LocalEndpoint {
  /** The QueryStatement of each query started, and the request's other members. */
  queries: { sql: string; body: Record<string, unknown> }[];
  cancelled: string[];
}

/**
 * The operation in `X-Amz-Target`: botocore's `targetPrefix` (service-2.json metadata) is
 * `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`; SDK v3's AwsJson1_1Protocol sends the
 * service shape's name, `CloudTrail_20131101.<Operation>`. Both are taken.
 */
const TARGET = /^(?:com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.([A-Za-z]+)$/;
/** Bytes a query scans, per query started (1 MiB, 2 MiB, …). */
const SCANNED = 1024 * 1024;

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  res.end(JSON.stringify(body));
}

/** Starts the local Lake over `db`. */
export async function startLocalLake(db: LakeDb, options: LocalLakeOptions = {}): Promise<LocalLake> {
  let throttle = options.throttle ?? 0;
  const runs = new Map<
    string,
    {
      polls: number;
      columns: string[];
      rows: (string | undefined)[][];
      scanned: number;
      error?: string;
      state?: string;
    }
  >();
  const queries: LocalLake['queries'] = [];
  const cancelled: string[] = [];
  const endpoint = await startEndpoint(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = TARGET.exec(target)?.[1];
    if (!op) return answer(res, 400, { __type: 'UnknownOperationException', message: target });
    const body = JSON.parse(req.body || '{}') as Record<string, unknown>;
    if (throttle > 0) {
      throttle--;
      return answer(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    }
    if (op === 'StartQuery') {
      const sql = body.QueryStatement;
      if (typeof sql !== 'string' || sql.length < 1 || sql.length > 10_000)
        return answer(res, 400, { __type: 'InvalidQueryStatementException', message: 'bad statement' });
      queries.push({ sql, body });
      const id = `00000000-0000-4000-8000-${String(queries.length).padStart(12, '0')}`;
      try {
        const { columns, rows } = await db.query(sql);
        runs.set(id, { polls: 0, columns, rows, scanned: SCANNED * queries.length });
      } catch (err) {
        runs.set(id, {
          polls: 0,
          columns: [],
          rows: [],
          scanned: 0,
          error: String((err as Error).message),
        });
      }
      return answer(res, 200, { QueryId: id });
    }
    const id = String(body.QueryId ?? '');
    const run = runs.get(id);
    if (!run) return answer(res, 400, { __type: 'QueryIdNotFoundException', message: 'no such query' });
    const scanned = run.scanned;
    const state = (): string => {
      if (run.state) return run.state;
      if (options.hang || run.polls <= (options.runningPolls ?? 2))
        return run.polls <= 1 ? 'QUEUED' : 'RUNNING';
      if (options.fail ?? run.error) return 'FAILED';
      return options.timedOut ? 'TIMED_OUT' : 'FINISHED';
    };
    const message = () =>
      state() === 'FAILED'
        ? { ErrorMessage: options.fail ?? run.error }
        : state() === 'TIMED_OUT'
          ? { ErrorMessage: 'Query timed out' }
          : {};
    if (op === 'DescribeQuery') {
      run.polls++;
      return answer(res, 200, {
        QueryId: id,
        QueryStatus: state(),
        QueryStatistics: {
          EventsMatched: run.rows.length,
          EventsScanned: run.rows.length,
          ...(state() === 'FINISHED' ? { BytesScanned: scanned } : {}),
          ExecutionTimeInMillis: 10,
        },
        ...message(),
      });
    }
    if (op === 'CancelQuery') {
      cancelled.push(id);
      run.state = 'CANCELLED';
      return answer(res, 200, { QueryId: id, QueryStatus: 'CANCELLED' });
    }
    if (op === 'GetQueryResults') {
      const max = Number(body.MaxQueryResults ?? 1000);
      if (!Number.isInteger(max) || max < 1 || max > 1000)
        return answer(res, 400, { __type: 'InvalidMaxResultsException', message: 'MaxQueryResults' });
      const size = Math.min(max, options.pageSize ?? 1000);
      const token = typeof body.NextToken === 'string' ? body.NextToken : undefined;
      const from = token === undefined ? 0 : Number(/^page-(\d+)$/.exec(token)?.[1] ?? NaN);
      if (!Number.isInteger(from))
        return answer(res, 400, { __type: 'InvalidNextTokenException', message: 'NextToken' });
      if (state() !== 'FINISHED') return answer(res, 200, { QueryStatus: state(), ...message() });
      const page = run.rows.slice(from, from + size);
      return answer(res, 200, {
        QueryStatus: 'FINISHED',
        QueryStatistics: {
          ResultsCount: page.length,
          TotalResultsCount: run.rows.length,
          BytesScanned: scanned,
        },
        QueryResultRows: page.map((r) => run.columns.map((c, j) => ({ [c]: r[j] ?? null }))),
        ...(from + size < run.rows.length ? { NextToken: `page-${from + size}` } : {}),
      });
    }
    return answer(res, 400, { __type: 'UnknownOperationException', message: op });
  });
  return Object.assign(endpoint, { queries, cancelled });
}
