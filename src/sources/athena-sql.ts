/**
 * The Athena query of a target (pure): one scan of the window that returns the principal's calls
 * grouped (one row per distinct call, with how many, first and last seen, two of their ids) and
 * the window's other events counted per event source. Written for Athena engine v3 (Trino) over
 * the CloudTrail table AWS documents (`athena ddl`); it uses only what DuckDB also runs, so the
 * tests execute it unchanged.
 *
 * Every value (role ARN, session name, window bounds) is an execution parameter (`?`), never
 * part of the SQL text; the table's identifiers are validated and quoted. Values are checked
 * too, so that a parameter can only ever be the literal it claims to be.
 *
 * The principal filter is a superset of what local attribution keeps (a LIKE that may match a
 * longer name): over-inclusion costs a few rows, while a call left out would break the function.
 */
import type { Target } from '../attribution';
import { UsageError } from '../errors';
import type { TimeWindow } from '../ingest';
import {
  DAY_COLUMN,
  GROUPED_COLUMNS,
  NAME,
  ROLE_ARN,
  SCANNED_COLUMNS,
  USER_ARN,
  checkValue,
  groupedExpressions,
  roleNameOf,
} from './query-rows';

/** The SQL and its positional parameters (strings or integers), in order. */
export interface AthenaQuery {
  sql: string;
  params: (string | number)[];
}

export interface AthenaQueryOptions {
  /** `DB.TABLE` (or `CATALOG.DB.TABLE`): letters, digits and `_` only. */
  table: string;
  /**
   * The table's date partition column (`timestamp` in AWS's partition-projection table, values
   * `yyyy/MM/dd`): filtered so that only the window's days are scanned. `undefined`: none.
   */
  datePartition?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

/** `"db"."table"` from `db.table`; a usage error for anything else. */
export function athenaTableName(table: string): string {
  const parts = table.split('.');
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => IDENTIFIER.test(p)))
    throw new UsageError(
      `--athena-table ${JSON.stringify(table.slice(0, 80))}: expected DATABASE.TABLE (letters, digits, _)`,
    );
  return parts.map((p) => `"${p.toLowerCase()}"`).join('.');
}

/** A partition column name, checked. */
function columnName(name: string): string {
  if (!IDENTIFIER.test(name))
    throw new UsageError(`--athena-date-partition ${JSON.stringify(name.slice(0, 40))}: not a column name`);
  return `"${name.toLowerCase()}"`;
}

/** A LIKE pattern matching `text` literally (with `ESCAPE '\'`). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * An execution parameter as Athena takes it: the literal's SQL text. Athena substitutes each
 * value as a literal (`'text'` for a string), so a string is quoted with its quotes doubled,
 * and can only ever be one string literal.
 */
export function athenaLiteral(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('an Athena parameter must be an integer or a string');
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

/** The principal filter and its parameters (see the file header). */
function principalFilter(target: Target): AthenaQuery {
  const issuer = 'useridentity.sessioncontext.sessionissuer.arn';
  const assumed = "useridentity.type = 'AssumedRole'";
  if (target.kind === 'user') {
    const arn = checkValue(target.userArn, USER_ARN, 'user');
    return { sql: "(useridentity.type = 'IAMUser' AND useridentity.arn = ?)", params: [arn] };
  }
  if (target.roleArn) {
    const arn = checkValue(target.roleArn, ROLE_ARN, 'role');
    return {
      sql: `(${assumed} AND (${issuer} = ? OR (${issuer} IS NULL AND useridentity.arn LIKE ? ESCAPE '\\')))`,
      params: [arn, `%:assumed-role/${likeLiteral(roleNameOf(arn))}/%`],
    };
  }
  if (target.roleName) {
    const name = checkValue(target.roleName, NAME, 'role');
    return {
      sql: `(${assumed} AND (${issuer} LIKE ? ESCAPE '\\' OR useridentity.arn LIKE ? ESCAPE '\\'))`,
      params: [`%/${likeLiteral(name)}`, `%:assumed-role/${likeLiteral(name)}/%`],
    };
  }
  const fn = checkValue(target.functionName, NAME, 'function');
  return { sql: `(${assumed} AND useridentity.arn LIKE ? ESCAPE '\\')`, params: [`%/${likeLiteral(fn)}`] };
}

/**
 * Every principal's calls (the account-wide report): role sessions and IAM users, and Lambda's
 * `Invoke` data events (invocations of the function they name).
 */
const ACCOUNT_CALLS =
  "(useridentity.type IN ('AssumedRole', 'IAMUser') OR (eventsource = 'lambda.amazonaws.com' AND eventname IN ('Invoke', 'InvokeAsync')))";

/** Lambda's own session starts (`sts:AssumeRole` by lambda.amazonaws.com): attribution needs them. */
const LAMBDA_SESSIONS =
  "(eventsource = 'sts.amazonaws.com' AND eventname = 'AssumeRole' AND useridentity.invokedby = 'lambda.amazonaws.com')";

/** `yyyy/MM/dd` of a time (UTC). */
function day(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '/');
}

/** CloudTrail's eventTime form of a bound. */
function eventTimeOf(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** The columns of a grouped row, in order (query-rows.ts). */
export const ATHENA_COLUMNS = GROUPED_COLUMNS;

export { DAY_COLUMN } from './query-rows';

/**
 * The query of `target`'s calls in `window` (see the file header). Rows with `matched` true are
 * the principal's (and Lambda's session starts), grouped by every field the mapping reads; the
 * others are counted per event source and category (coverage, data events).
 */
export function athenaQuery(
  target: Target | undefined,
  window: TimeWindow,
  now: Date,
  options: AthenaQueryOptions,
): AthenaQuery {
  const table = athenaTableName(options.table);
  // Without a target (the report), every principal's calls, grouped per UTC day too.
  const principal = target ? principalFilter(target) : { sql: ACCOUNT_CALLS, params: [] as string[] };
  const since = window.since ?? new Date(0);
  const until = window.until ?? now;
  const where = ['eventtime >= ?', 'eventtime < ?'];
  const params: (string | number)[] = [eventTimeOf(since), eventTimeOf(until)];
  if (options.datePartition) {
    const col = columnName(options.datePartition);
    where.push(`${col} >= ?`, `${col} <= ?`);
    params.push(day(since), day(until));
  }
  // The principal's parameters come first: the inner SELECT precedes the WHERE clause.
  const allParams = [...principal.params, ...params];
  const grouped = groupedExpressions((c) => c, target ? undefined : 'substr(eventtime, 1, 10)');
  const sql = [
    `SELECT ${ATHENA_COLUMNS.slice(0, 19).join(', ')},`,
    `  CAST(resources AS JSON) AS resources, calls, first_seen, last_seen, first_id, last_id${target ? '' : `, ${DAY_COLUMN}`}`,
    'FROM (',
    `  SELECT ${grouped.join(',\n    ')},`,
    '    count(*) AS calls, min(eventtime) AS first_seen, max(eventtime) AS last_seen,',
    '    min(eventid) AS first_id, max(eventid) AS last_id',
    '  FROM (',
    `    SELECT coalesce(${principal.sql} OR ${LAMBDA_SESSIONS}, false) AS matched,`,
    `      ${SCANNED_COLUMNS.join(', ')}`,
    `    FROM ${table}`,
    `    WHERE ${where.join(' AND ')}`,
    '  ) AS scoped',
    `  GROUP BY ${grouped.map((_, i) => i + 1).join(', ')}`,
    ') AS grouped',
    'ORDER BY matched, eventsource, eventname, first_seen, first_id',
  ].join('\n');
  return { sql, params: allParams };
}
