/**
 * CloudTrail records in an embedded SQL engine (DuckDB), in the table schema AWS documents for
 * Athena ("Create the table for CloudTrail logs in Athena using partition projection",
 * https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html):
 * lower-case columns, `useridentity` and `resources` as structs, `requestparameters`,
 * `responseelements` and `additionaleventdata` as JSON text, and the `timestamp` partition
 * (`yyyy/MM/dd`). The tool's Athena SQL runs on it unchanged, its parameters bound.
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const S = 'VARCHAR';
/** The documented columns, in DuckDB's type syntax. */
export const TRAIL_COLUMNS: Record<string, string> = {
  eventversion: S,
  useridentity: `STRUCT(type ${S}, principalid ${S}, arn ${S}, accountid ${S}, invokedby ${S}, accesskeyid ${S}, username ${S}, onbehalfof STRUCT(userid ${S}, identitystorearn ${S}), sessioncontext STRUCT(attributes STRUCT(mfaauthenticated ${S}, creationdate ${S}), sessionissuer STRUCT(type ${S}, principalid ${S}, arn ${S}, accountid ${S}, username ${S}), ec2roledelivery ${S}, webidfederationdata STRUCT(federatedprovider ${S}, attributes MAP(${S}, ${S}))))`,
  eventtime: S,
  eventsource: S,
  eventname: S,
  awsregion: S,
  sourceipaddress: S,
  useragent: S,
  errorcode: S,
  errormessage: S,
  requestparameters: S,
  responseelements: S,
  additionaleventdata: S,
  requestid: S,
  eventid: S,
  readonly: S,
  resources: `STRUCT(arn ${S}, accountid ${S}, type ${S})[]`,
  eventtype: S,
  apiversion: S,
  recipientaccountid: S,
  serviceeventdetails: S,
  sharedeventid: S,
  vpcendpointid: S,
  eventcategory: S,
  tlsdetails: `STRUCT(tlsversion ${S}, ciphersuite ${S}, clientprovidedhostheader ${S})`,
  timestamp: S,
};

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null =>
  v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** One record as the CloudTrail SerDe would present it (lower-case names, JSON text columns). */
function row(r: Raw): Raw {
  const u = (r.userIdentity ?? {}) as Raw;
  const sc = (u.sessionContext ?? undefined) as Raw | undefined;
  const issuer = (sc?.sessionIssuer ?? undefined) as Raw | undefined;
  const attrs = (sc?.attributes ?? undefined) as Raw | undefined;
  const time = String(r.eventTime ?? '');
  return {
    eventversion: str(r.eventVersion),
    useridentity: {
      type: str(u.type),
      principalid: str(u.principalId),
      arn: str(u.arn),
      accountid: str(u.accountId),
      invokedby: str(u.invokedBy),
      accesskeyid: str(u.accessKeyId),
      username: str(u.userName),
      onbehalfof: null,
      sessioncontext: sc
        ? {
            attributes: attrs
              ? { mfaauthenticated: str(attrs.mfaAuthenticated), creationdate: str(attrs.creationDate) }
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
            ec2roledelivery: null,
            webidfederationdata: null,
          }
        : null,
    },
    eventtime: str(r.eventTime),
    eventsource: str(r.eventSource),
    eventname: str(r.eventName),
    awsregion: str(r.awsRegion),
    sourceipaddress: str(r.sourceIPAddress),
    useragent: str(r.userAgent),
    errorcode: str(r.errorCode),
    errormessage: str(r.errorMessage),
    requestparameters: json(r.requestParameters),
    responseelements: json(r.responseElements),
    additionaleventdata: json(r.additionalEventData),
    requestid: str(r.requestID),
    eventid: str(r.eventID),
    readonly: r.readOnly === undefined || r.readOnly === null ? null : String(r.readOnly),
    resources: Array.isArray(r.resources)
      ? (r.resources as Raw[]).map((x) => ({
          arn: str(x.ARN),
          accountid: str(x.accountId),
          type: str(x.type),
        }))
      : null,
    eventtype: str(r.eventType),
    apiversion: str(r.apiVersion),
    recipientaccountid: str(r.recipientAccountId),
    serviceeventdetails: json(r.serviceEventDetails),
    sharedeventid: str(r.sharedEventID),
    vpcendpointid: str(r.vpcEndpointId),
    eventcategory: str(r.eventCategory),
    tlsdetails: null,
    timestamp: time.slice(0, 10).replace(/-/g, '/'),
  };
}

export interface TrailDb {
  connection: DuckDBConnection;
  /** Runs SQL with positional parameters; every value as Athena's results give it (text or undefined). */
  query(
    sql: string,
    params: (string | number)[],
  ): Promise<{ columns: string[]; rows: (string | undefined)[][] }>;
  close(): void;
}

/**
 * Creates table `qualified` (already quoted) with `columns` (name → DuckDB type) in `connection`
 * and loads `rows` (objects in the table's shape) through an NDJSON file, so that DuckDB itself
 * casts nested values to the declared types.
 */
export async function loadTable(
  connection: DuckDBConnection,
  qualified: string,
  columns: Record<string, string>,
  rows: unknown[],
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pt-duck-'));
  try {
    const file = path.join(dir, 'rows.ndjson');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const cols = Object.entries(columns)
      .map(([k, t]) => `"${k}" ${t}`)
      .join(', ');
    const spec = Object.entries(columns)
      .map(([k, t]) => `'${k}': '${t}'`)
      .join(', ');
    await connection.run(`CREATE TABLE ${qualified} (${cols})`);
    if (rows.length > 0)
      await connection.run(
        `INSERT INTO ${qualified} SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = {${spec}})`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `sql` and gives every value as the engines' results do: text, or undefined for null. */
export async function readAll(
  connection: DuckDBConnection,
  sql: string,
  params?: (string | number)[],
): Promise<{ columns: string[]; rows: (string | undefined)[][] }> {
  const reader = await connection.runAndReadAll(sql, params as DuckDBValue[] | undefined);
  const rows = reader
    .getRowsJson()
    .map((r) =>
      r.map((v) =>
        v === null || v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v),
      ),
    );
  return { columns: reader.columnNames(), rows };
}

/** A DuckDB database holding `records` as `"<db>"."<table>"`. */
export async function trailDb(records: Raw[], db = 'trail', table = 'cloudtrail_logs'): Promise<TrailDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`CREATE SCHEMA "${db}"`);
  await loadTable(connection, `"${db}"."${table}"`, TRAIL_COLUMNS, records.map(row));
  return {
    connection,
    query: (sql, params) => readAll(connection, sql, params),
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
