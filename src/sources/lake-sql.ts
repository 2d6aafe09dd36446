/**
 * The CloudTrail Lake query of a target (pure): the same one scan as athena-sql.ts (the
 * principal's calls grouped, one row per distinct call with how many, first and last seen and two
 * of their ids; Lambda's own session starts; the window's other events counted per event source
 * and category), written for Lake's Trino dialect over the event data store's documented schema
 * ("Supported SQL schemas for event data stores",
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-supported-event-schemas.html):
 * `eventtime` a timestamp, `useridentity` a struct, `requestparameters` / `responseelements` /
 * `additionaleventdata` maps of string to string, `resources` an array of structs
 * `<accountid, type, arn, arnprefix>`, `readonly` / `managementevent` booleans.
 *
 * Values are written into the SQL. `StartQuery` takes an ad-hoc query as `QueryStatement` only;
 * its `QueryParameters` serve the dashboards' `QueryAlias` and nothing else (botocore
 * cloudtrail/2013-11-01/service-2.json, StartQuery: "the QueryAlias and QueryParameters
 * parameters are used only for the queries that populate the CloudTrail Lake dashboards"). This
 * is safe because every value is ours or checked before it is written:
 * - role ARNs against IAM's grammar (`arn:aws…:iam::<12 digits>:role/[\w+=,.@/-]`), role, session
 *   and function names against `[\w+=,.@-]{1,64}`, user ARNs likewise: none of these grammars
 *   holds a quote, a backslash, a space or a control character, so a value that passes cannot
 *   end a literal, and one that fails is refused (a usage error) before any request;
 * - window bounds are generated here from dates and checked against their own fixed form;
 * - each is still rendered by one function, {@link lakeLiteral}, that doubles quotes (standard
 *   SQL, as Trino reads string literals: no backslash escapes), so even a grammar that let a
 *   quote through would give one string literal;
 * - the event data store is checked against the API's pattern (`^[a-zA-Z0-9._/\-:]+$`, 3 to 256
 *   characters, service-2.json `EventDataStoreArn`) and then reduced to its ID, letters, digits and
 *   `-` only, which is what Lake takes as the FROM target ("The event data store ID—the ID portion
 *   of the event data store's ARN—is specified for the FROM value", CloudTrail Lake SQL
 *   constraints, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-limitations.html),
 *   written bare as Lake's own examples do (`FROM eds-ID`, CloudTrail Lake queries,
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-lake-queries.html).
 *
 * Lake's maps: GROUP BY cannot take a map, so the principal's maps are grouped on their JSON text
 * (`json_format(CAST(m AS JSON))`; Trino's cast of a map orders its entries by key, so equal maps
 * give equal text; were it not so, equal calls would only split over more rows, each counted). A
 * nested value is stored in the map as its JSON text, and lake.ts parses each map value back
 * when it is the JSON text of an object or an array. That is not exact: a top-level number or
 * boolean comes back as a string (`"limit": "10"`), and a string that held JSON text comes back
 * parsed. Neither widens a policy: the mapping reads names and ARNs as strings, and a value of the
 * wrong type is rejected by it (a counted finding), never read as a wildcard.
 *
 * Lake supports all Trino SELECT statements, functions and operators (query-limitations.html);
 * this query uses only what DuckDB also runs (json_format aside, see the test's local Lake), so
 * the tests execute it.
 *
 * The principal filter is a superset of what local attribution keeps (a LIKE that may match a
 * longer name): over-inclusion costs a few rows, while a call left out would break the function.
 */
import type { Target } from '../attribution';
import { UsageError } from '../errors';
import type { TimeWindow } from '../ingest';
import { DAY_COLUMN, likeLiteral } from './athena-sql';
import {
  GROUPED_COLUMNS,
  NAME,
  ROLE_ARN,
  SCANNED_COLUMNS,
  USER_ARN,
  checkValue,
  groupedExpressions,
  roleNameOf,
} from './query-rows';

export interface LakeQueryOptions {
  /** The event data store: its ID, or its ARN (`arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID`). */
  eventDataStore: string;
}

/** `QueryStatement` is at most 10,000 characters (service-2.json `QueryStatement`). */
export const LAKE_MAX_STATEMENT = 10_000;

/** The API's pattern of an event data store (`EventDataStoreArn`: ARN or ID, 3 to 256 characters). */
const EVENT_DATA_STORE = /^[a-zA-Z0-9._/\-:]{3,256}$/;
const EVENT_DATA_STORE_ARN = /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/([^/]+)$/;
/** An ID as written in FROM: letters, digits and `-` (Lake's IDs are UUIDs). */
const EVENT_DATA_STORE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{2,127}$/;
/** A window bound as written here (Trino's timestamp literal, UTC). */
const BOUND = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

/**
 * The event data store's ID, the FROM target, from its ID or ARN (see the file header); a usage
 * error for anything else.
 */
export function lakeEventDataStoreId(eventDataStore: string): string {
  const bad = () =>
    new UsageError(
      `--lake ${JSON.stringify(eventDataStore.slice(0, 80))}: expected an event data store ID or ARN (arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID)`,
    );
  if (!EVENT_DATA_STORE.test(eventDataStore)) throw bad();
  const arn = EVENT_DATA_STORE_ARN.exec(eventDataStore);
  const id = arn ? arn[1] : eventDataStore;
  if (!EVENT_DATA_STORE_ID.test(id)) throw bad();
  return id;
}

/**
 * A string literal of Lake's SQL: quoted, its quotes doubled (Trino reads no backslash escapes),
 * so that it is one literal giving back `value`, whatever `value` holds.
 */
export function lakeLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `… LIKE '<pattern>' ESCAPE '\'` of a pattern whose literal parts are already escaped. */
function like(column: string, pattern: string): string {
  return `${column} LIKE ${lakeLiteral(pattern)} ESCAPE '\\'`;
}

/** The principal filter, its values written as literals (see the file header). */
function principalFilter(target: Target): string {
  const issuer = 'useridentity.sessioncontext.sessionissuer.arn';
  const assumed = "useridentity.type = 'AssumedRole'";
  if (target.kind === 'user') {
    const arn = checkValue(target.userArn, USER_ARN, 'user');
    return `(useridentity.type = 'IAMUser' AND useridentity.arn = ${lakeLiteral(arn)})`;
  }
  if (target.roleArn) {
    const arn = checkValue(target.roleArn, ROLE_ARN, 'role');
    const session = `%:assumed-role/${likeLiteral(roleNameOf(arn))}/%`;
    return `(${assumed} AND (${issuer} = ${lakeLiteral(arn)} OR (${issuer} IS NULL AND ${like('useridentity.arn', session)})))`;
  }
  if (target.roleName) {
    const name = likeLiteral(checkValue(target.roleName, NAME, 'role'));
    return `(${assumed} AND (${like(issuer, `%/${name}`)} OR ${like('useridentity.arn', `%:assumed-role/${name}/%`)}))`;
  }
  const fn = likeLiteral(checkValue(target.functionName, NAME, 'function'));
  return `(${assumed} AND ${like('useridentity.arn', `%/${fn}`)})`;
}

/**
 * Every principal's calls (the account-wide report, as athena-sql.ts): role sessions and IAM
 * users, and Lambda's `Invoke` data events (invocations of the function they name).
 */
const ACCOUNT_CALLS =
  "(useridentity.type IN ('AssumedRole', 'IAMUser') OR (eventsource = 'lambda.amazonaws.com' AND eventname IN ('Invoke', 'InvokeAsync')))";

/** Lambda's own session starts (`sts:AssumeRole` by lambda.amazonaws.com): attribution needs them. */
const LAMBDA_SESSIONS =
  "(eventsource = 'sts.amazonaws.com' AND eventname = 'AssumeRole' AND useridentity.invokedby = 'lambda.amazonaws.com')";

/** A window bound as a timestamp literal (`eventtime` is a timestamp, in UTC). */
function timestampLiteral(d: Date, what: string): string {
  const text = Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 23).replace('T', ' ');
  if (!BOUND.test(text)) throw new UsageError(`the window's ${what} cannot be queried: not a valid time`);
  return `TIMESTAMP ${lakeLiteral(text)}`;
}

/** A map column as deterministic JSON text (GROUP BY cannot take a map). */
function mapText(column: string): string {
  return `json_format(CAST(${column} AS JSON))`;
}

/** The columns of a grouped row, in order (query-rows.ts); every value is text. */
export const LAKE_COLUMNS = GROUPED_COLUMNS;

/**
 * The query of `target`'s calls in `window` over the event data store (see the file header). Rows
 * with `matched` `'true'` are the principal's (and Lambda's session starts), grouped by every
 * field the mapping reads; the others are counted per event source and category (coverage, data
 * events). Without a target (the account-wide report), every principal's calls, grouped per UTC
 * day too (`day`, `yyyy-MM-dd`). Every output column is text: booleans `'true'`/`'false'`, times
 * `yyyy-MM-dd HH:mm:ss[.SSS]`, maps and resources JSON text.
 */
export function lakeQuery(
  target: Target | undefined,
  window: TimeWindow,
  now: Date,
  options: LakeQueryOptions,
): string {
  const from = lakeEventDataStoreId(options.eventDataStore);
  const principal = target ? principalFilter(target) : ACCOUNT_CALLS;
  const since = timestampLiteral(window.since ?? new Date(0), 'start');
  const until = timestampLiteral(window.until ?? now, 'end');
  const grouped = groupedExpressions(mapText, target ? undefined : 'CAST(eventtime AS DATE)');
  const text = (c: string) => `CAST(${c} AS VARCHAR) AS ${c}`;
  const sql = [
    `SELECT ${text('matched')}, ${LAKE_COLUMNS.slice(1, 8).join(', ')}, ${text('readonly')},`,
    `  ${LAKE_COLUMNS.slice(9, 19).join(', ')},`,
    `  ${mapText('resources')} AS resources, ${text('calls')}, ${text('first_seen')}, ${text('last_seen')},`,
    `  first_id, last_id${target ? '' : `, ${text(DAY_COLUMN)}`}`,
    'FROM (',
    `  SELECT ${grouped.join(',\n    ')},`,
    '    count(*) AS calls, min(eventtime) AS first_seen, max(eventtime) AS last_seen,',
    '    min(eventid) AS first_id, max(eventid) AS last_id',
    '  FROM (',
    `    SELECT coalesce(${principal} OR ${LAMBDA_SESSIONS}, false) AS matched,`,
    `      ${SCANNED_COLUMNS.join(', ')}`,
    `    FROM ${from}`,
    `    WHERE eventtime >= ${since} AND eventtime < ${until}`,
    '  ) AS scoped',
    `  GROUP BY ${grouped.map((_, i) => i + 1).join(', ')}`,
    ') AS grouped',
    'ORDER BY matched, eventsource, eventname, first_seen, first_id',
  ].join('\n');
  if (sql.length > LAKE_MAX_STATEMENT)
    throw new UsageError(
      `the CloudTrail Lake query is ${sql.length} characters, over Lake's ${LAKE_MAX_STATEMENT}`,
    );
  return sql;
}
