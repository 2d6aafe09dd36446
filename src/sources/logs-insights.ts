/**
 * The CloudWatch Logs Insights source (`--log-group NAME`): a trail that delivers to a log group
 * writes one CloudTrail record (JSON) per log event. Filtering and de-duplication run in Logs
 * Insights (`StartQuery`, `GetQueryResults`); the grouped rows are mapped locally by the same
 * parser, attribution and mapping as trail files (src/pipeline/process-rows.ts).
 *
 * Three queries a window, each a pure string from {@link logsInsightsQuery}:
 * - `principal`: the target's calls (role ARN, assumed-role session ARN, function session name,
 *   IAM user ARN), grouped by every field the mapping reads. A superset of what `attribute()`
 *   keeps: over-inclusion costs rows, a call left out would break the function.
 * - `lambdaSessions`: Lambda's own `sts:AssumeRole` of execution roles (attribution needs them),
 *   grouped without `responseElements` (fresh credentials every call, read by nobody).
 * - `others`: every event of the window counted per event source and category (coverage, data
 *   events); the principal's rows are subtracted so that `others` holds only the rest.
 *
 * Logs Insights facts relied on (Logs Insights QL):
 * - commands joined by `|`; `fields … as`, `filter` with `and`/`or`/`not`, `=`, `<`, `>=`,
 *   `like /regex/`; `parse FIELD /(?<name>…)/`; `stats … by …`; `limit`:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Filter.html
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Parse.html
 * - `jsonParse(@message)` gives a map whose members are read with `.`; `jsonStringify` turns a
 *   map or list back into a string, usable as a group key; `coalesce` (general functions):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html#CWL_QuerySyntax-json-functions
 *   The members are read from the parsed message, not from discovered fields, so that a record
 *   with many fields cannot lose one to field discovery.
 * - `stats` with `count(*)`, `min`, `max`, `earliest`, `latest` (the value of the event with the
 *   earliest/latest `@timestamp`):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Stats.html
 * - at most 10,000 rows a query unless `limit` says otherwise, and 10,000 per GetQueryResults
 *   page (`nextToken` pages beyond): a full result is split by time, never trusted:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Limit.html
 *   https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html
 *   https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetQueryResults.html
 * - StartQuery's `startTime`/`endTime` are epoch seconds, both inclusive, on the log event's
 *   timestamp (delivery, not eventTime): widened by an hour each side, the `eventTime` filter is
 *   exact. Up to 50 log groups a query. `LimitExceededException`: too many concurrent queries
 *   (retried with backoff). Statuses Scheduled/Running, then Complete, Failed, Cancelled, Timeout
 *   or Unknown; queries time out after 60 minutes.
 *
 * `firstSeen`/`lastSeen`: `min`/`max` of `eventTime` (CloudTrail's `YYYY-MM-DDTHH:MM:SSZ` sorts
 * as text) and, as a fallback should the engine compare them otherwise, the `earliest`/`latest`
 * eventTime; the row's bounds are the extremes of the valid ones.
 *
 * Values from the target are checked against IAM's own constraints and quoted as literals: a
 * value that is not a valid name is a UsageError, never part of a query.
 */
import type {
  CloudWatchLogsClient,
  GetQueryResultsCommandOutput,
  ResultField,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Target } from '../attribution';
import { UsageError } from '../errors';
import type { FileProblem, TimeWindow } from '../ingest';
import { describeAwsError, sdk } from '../sdk';
import {
  DEFAULT_QUERY_TIMEOUT_MS,
  emptyCounters,
  waitFor,
  type GroupedRecord,
  type PollOptions,
  type OtherEvents,
  type QueryResult,
  type QuerySource,
} from './query';

export type CloudWatchLogsPort = Pick<CloudWatchLogsClient, 'send'>;

/** The queries of one window (see the file header). */
export interface LogsInsightsQueries {
  principal: string;
  lambdaSessions: string;
  others: string;
}

export interface LogsInsightsQueryOptions {
  /** Rows a query may return (`| limit N`). @default 10000 */
  limit?: number;
}

/** The result rows Logs Insights returns a query, unless told otherwise. */
export const LOGS_INSIGHTS_ROW_LIMIT = 10_000;

const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const USER_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:user\/[\w+=,.@/-]{1,512}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** Log group names as CloudWatch Logs allows them. */
const LOG_GROUP = /^[\w\-./#]{1,512}$/;

function check(value: string | undefined, re: RegExp, what: string): string {
  if (value === undefined || !re.test(value))
    throw new UsageError(
      `${what} ${JSON.stringify((value ?? '').slice(0, 80))} cannot be queried in Logs Insights: not a valid name`,
    );
  return value;
}

/**
 * A Logs Insights string literal of `value`: double quotes, with `\` and `"` escaped. Values are
 * validated before (no quote, backslash or control character can reach here); a control
 * character is refused all the same, so that a literal is always one line and one token.
 */
export function qlString(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new UsageError('a query value has control characters');
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `text` matched literally inside a Logs Insights regex literal (`/…/`). */
export function qlRegexText(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new UsageError('a query value has control characters');
  return text.replace(/[.*+?^${}()|[\]\\/]/g, (c) => `\\${c}`);
}

/** The role name in a role ARN (the last path segment). */
function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

const ID = 'ct.userIdentity';
const ISSUER = `${ID}.sessionContext.sessionIssuer`;

/** The principal filter (see the file header): a superset of `attribute()`. */
function principalFilter(target: Target): string {
  // Checked even where the role alone decides: a name that cannot be a session is never queried.
  if (target.functionName !== undefined) check(target.functionName, SESSION_NAME, 'function');
  if (target.kind === 'user') {
    return `${ID}.arn = ${qlString(check(target.userArn, USER_ARN, 'user'))}`;
  }
  if (target.roleArn) {
    const arn = check(target.roleArn, ROLE_ARN, 'role');
    const name = check(roleNameOf(arn), ROLE_NAME, 'role name');
    // The issuer's ARN, or (an event without it) the role name in the assumed-role session ARN.
    return `(${ISSUER}.arn = ${qlString(arn)} or ${ID}.arn like /:assumed-role\\/${qlRegexText(name)}\\//)`;
  }
  if (target.roleName) {
    const name = check(target.roleName, ROLE_NAME, 'role');
    return (
      `(${ISSUER}.arn like /\\/${qlRegexText(name)}$/` +
      ` or ${ID}.arn like /:assumed-role\\/${qlRegexText(name)}\\//)`
    );
  }
  // --function without a role: every session named after the function (the last ARN segment).
  const fn = check(target.functionName, SESSION_NAME, 'function');
  return `${ID}.arn like /\\/${qlRegexText(fn)}$/`;
}

/** Lambda's own session starts (`sts:AssumeRole` by lambda.amazonaws.com). */
const LAMBDA_SESSIONS =
  '(ct.eventSource = "sts.amazonaws.com" and ct.eventName = "AssumeRole"' +
  ` and ${ID}.invokedBy = "lambda.amazonaws.com")`;

/** CloudTrail's eventTime form of a bound, rounded outwards to the second. */
function eventTimeOf(d: Date, up: boolean): string {
  let ms = d.getTime();
  if (up && ms % 1000 !== 0) ms += 1000 - (((ms % 1000) + 1000) % 1000);
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** The exact window on `eventTime` (since inclusive, until exclusive, as `inWindow`). */
function windowFilter(window: TimeWindow): string {
  const parts = ['ispresent(ct.eventTime)'];
  if (window.since) parts.push(`ct.eventTime >= ${qlString(eventTimeOf(window.since, false))}`);
  if (window.until) parts.push(`ct.eventTime < ${qlString(eventTimeOf(window.until, true))}`);
  return parts.join(' and ');
}

/**
 * The group key: every field the mapping reads, so that all calls of a group are the same call.
 * Each is a string (`coalesce(…, "")`), so that no event falls out of a group for a missing field.
 */
function keyFields(withResponse: boolean): { fields: string[]; names: string[] } {
  const scalar: [string, string][] = [
    ['ct.eventSource', 'k_source'],
    ['ct.eventName', 'k_name'],
    ['ct.awsRegion', 'k_region'],
    ['ct.recipientAccountId', 'k_account'],
    ['ct.errorCode', 'k_error'],
    ['ct.eventCategory', 'k_category'],
    ['ct.eventType', 'k_type'],
    ['ct.readOnly', 'k_readonly'],
    ['ct.managementEvent', 'k_management'],
    [`${ID}.type`, 'k_id_type'],
    [`${ID}.arn`, 'k_id_arn'],
    [`${ID}.accountId`, 'k_id_account'],
    [`${ID}.invokedBy`, 'k_id_invokedby'],
    [`${ISSUER}.arn`, 'k_issuer_arn'],
    [`${ISSUER}.type`, 'k_issuer_type'],
  ];
  const structured: [string, string][] = [
    ['ct.requestParameters', 'k_request'],
    ...(withResponse ? ([['ct.responseElements', 'k_response']] as [string, string][]) : []),
    ['ct.resources', 'k_resources'],
  ];
  const fields = [
    ...scalar.map(([expr, name]) => `coalesce(${expr}, "") as ${name}`),
    ...structured.map(([expr, name]) => `coalesce(jsonStringify(${expr}), "") as ${name}`),
  ];
  return { fields, names: [...scalar, ...structured].map(([, n]) => n).concat('k_service_host') };
}

function groupedQuery(filter: string, window: TimeWindow, withResponse: boolean, limit: number): string {
  const key = keyFields(withResponse);
  return [
    'fields @timestamp, @message, jsonParse(@message) as ct',
    `| filter ${windowFilter(window)}`,
    `| filter ${filter}`,
    `| fields ct.eventTime as t, ct.eventID as id, ct.sourceIPAddress as src_ip,`,
    `    ${key.fields.join(',\n    ')}`,
    // Only a service host means something to the mapping (a call made on the caller's behalf).
    '| parse src_ip /^(?<service_host>[a-z0-9.-]+\\.amazonaws\\.com)$/',
    '| fields coalesce(service_host, "") as k_service_host',
    '| stats count(*) as calls, min(t) as first_seen, max(t) as last_seen, earliest(t) as earliest_seen,',
    '    latest(t) as latest_seen, earliest(@message) as sample, earliest(id) as first_id, latest(id) as last_id',
    `    by ${key.names.join(', ')}`,
    `| limit ${limit}`,
  ].join('\n');
}

/**
 * The Logs Insights queries of `target` over `window` (pure; see the file header).
 * @throws UsageError when a value of the target is not a valid IAM name or ARN.
 */
export function logsInsightsQuery(
  target: Target,
  window: TimeWindow,
  options: LogsInsightsQueryOptions = {},
): LogsInsightsQueries {
  const limit = options.limit ?? LOGS_INSIGHTS_ROW_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new UsageError('the Logs Insights row limit must be positive');
  const principal = principalFilter(target);
  return {
    // Lambda's AssumeRole is an AWSService event (no ARN, no issuer): it never matches `principal`.
    // (No `not …` to exclude it: a missing field must never turn a call of the principal away.)
    principal: groupedQuery(principal, window, true, limit),
    lambdaSessions: groupedQuery(LAMBDA_SESSIONS, window, false, limit),
    others: [
      'fields @timestamp, jsonParse(@message) as ct',
      `| filter ${windowFilter(window)}`,
      '| fields ct.eventTime as t, coalesce(ct.eventSource, "") as k_source, coalesce(ct.eventCategory, "") as k_category',
      '| stats count(*) as calls, min(t) as first_seen, max(t) as last_seen, earliest(t) as earliest_seen,',
      '    latest(t) as latest_seen by k_source, k_category',
      `| limit ${limit}`,
    ].join('\n'),
  };
}

// ---------------------------------------------------------------------------------------------
// The source: runs the queries, splits full results, polls with backoff.

/** `timeoutMs` bounds the whole run; `pollMs` defaults to 1000 and backs off to 10 s. */
export interface LogsInsightsOptions extends PollOptions {
  /** Log groups the trail delivers to (1 to 50). */
  logGroups: string[];
  /** Rows a query may return before its window is split. @default 10000 */
  resultLimit?: number;
}

const HOUR_MS = 3_600_000;
const MAX_POLL_MS = 10_000;
const MAX_RETRY_MS = 30_000;
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

type Row = Record<string, string>;

interface Run {
  rows: Row[];
  /** Rows may be missing: the reason, for a problem. */
  problem?: string;
}

function rowOf(fields: ResultField[]): Row {
  const row: Row = {};
  for (const f of fields)
    if (typeof f.field === 'string' && typeof f.value === 'string') row[f.field] = f.value;
  return row;
}

/** The earliest and latest valid times among a row's bounds. */
function boundsOf(row: Row): { first: string; last: string } {
  const times = [row.first_seen, row.last_seen, row.earliest_seen, row.latest_seen].filter(
    (t): t is string => typeof t === 'string' && CANONICAL_TIME.test(t),
  );
  times.sort();
  return { first: times[0] ?? '', last: times[times.length - 1] ?? '' };
}

function recordOf(row: Row): GroupedRecord {
  let record: unknown = row.sample;
  if (typeof row.sample === 'string') {
    try {
      record = JSON.parse(row.sample);
    } catch {
      // Not JSON: stays a string, so that the pipeline reports the row malformed.
    }
  }
  const { first, last } = boundsOf(row);
  const ids = [row.first_id, row.last_id].filter((id): id is string => typeof id === 'string' && id !== '');
  return {
    record,
    count: Number(row.calls),
    firstSeen: first,
    lastSeen: last,
    sampleEventIds: [...new Set(ids)],
  };
}

function errorName(err: unknown): string {
  const name = (err as { name?: unknown })?.name;
  return typeof name === 'string' ? name : '';
}

function spanOf(window: { since: Date; until: Date }): string {
  return `${window.since.toISOString()}..${window.until.toISOString()}`;
}

/** The Logs Insights source over `options.logGroups` (see the file header). */
export function logsInsightsSource(client: CloudWatchLogsPort, options: LogsInsightsOptions): QuerySource {
  const groups = options.logGroups;
  if (groups.length < 1 || groups.length > 50)
    throw new UsageError(`--log-group: give 1 to 50 log groups (${groups.length} given)`);
  for (const g of groups) check(g, LOG_GROUP, '--log-group');
  const name = `logs://${groups.join(',')}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const pollMs = Math.max(0, options.pollMs ?? 1000);
  const limit = options.resultLimit ?? LOGS_INSIGHTS_ROW_LIMIT;
  const sleep = options.sleep ?? waitFor;
  const clock = options.clock ?? Date.now;
  const counters = emptyCounters();

  /** One query over one window, to its end: rows, or rows and why some may be missing. */
  const runOne = async (
    query: string,
    window: { since: Date; until: Date },
    deadline: number,
  ): Promise<Run> => {
    if (clock() >= deadline)
      return { rows: [], problem: `not started: the run's ${Math.round(timeoutMs / 1000)} s were used up` };
    const logs = sdk.logs();
    let queryId: string | undefined;
    let wait = pollMs;
    while (queryId === undefined) {
      counters.requests++;
      try {
        const started = await client.send(
          new logs.StartQueryCommand({
            logGroupNames: groups,
            startTime: Math.max(0, Math.floor((window.since.getTime() - HOUR_MS) / 1000)),
            endTime: Math.ceil((window.until.getTime() + HOUR_MS) / 1000),
            queryString: query,
            limit,
          }),
        );
        queryId = started.queryId;
        if (!queryId) return { rows: [], problem: 'StartQuery answered no query id' };
      } catch (err) {
        // Too many concurrent queries in the account: wait for a place, until the deadline.
        if (errorName(err) === 'LimitExceededException' && clock() + wait < deadline) {
          await sleep(wait);
          wait = Math.min(MAX_RETRY_MS, Math.max(1, wait * 2));
          continue;
        }
        return { rows: [], problem: `StartQuery failed: ${describeAwsError(err, 'logs:StartQuery')}` };
      }
    }
    counters.queries++;
    wait = pollMs;
    for (;;) {
      let page: GetQueryResultsCommandOutput;
      counters.requests++;
      try {
        page = await client.send(new logs.GetQueryResultsCommand({ queryId }));
      } catch (err) {
        return {
          rows: [],
          problem: `GetQueryResults failed: ${describeAwsError(err, 'logs:GetQueryResults')}`,
        };
      }
      const status = page.status ?? 'Unknown';
      if (status === 'Complete') {
        const rows = (page.results ?? []).map(rowOf);
        counters.bytesScanned += page.statistics?.bytesScanned ?? 0;
        // Later pages (GetQueryResults returns at most 10,000 rows a request).
        let token = page.nextToken;
        while (token) {
          counters.requests++;
          try {
            const more = await client.send(new logs.GetQueryResultsCommand({ queryId, nextToken: token }));
            rows.push(...(more.results ?? []).map(rowOf));
            token = more.nextToken;
          } catch (err) {
            counters.rows += rows.length;
            return {
              rows,
              problem: `GetQueryResults failed on a later page: ${describeAwsError(err, 'logs:GetQueryResults')}`,
            };
          }
        }
        counters.rows += rows.length;
        return { rows };
      }
      if (status !== 'Running' && status !== 'Scheduled') {
        return { rows: [], problem: `the query ended ${status}` };
      }
      if (clock() + wait >= deadline) {
        counters.requests++;
        try {
          await client.send(new logs.StopQueryCommand({ queryId }));
        } catch {
          // The query ends by itself at the service's own limit; the problem is said below.
        }
        return {
          rows: [],
          problem: `the query did not complete within ${Math.round(timeoutMs / 1000)} s (stopped)`,
        };
      }
      await sleep(wait);
      wait = Math.min(MAX_POLL_MS, Math.max(1, Math.round(wait * 1.5)));
    }
  };

  /** A query over `window`, split in halves while its result is full (down to a second). */
  const runSplit = async (
    build: (w: TimeWindow) => string,
    window: { since: Date; until: Date },
    deadline: number,
    what: string,
    problems: FileProblem[],
  ): Promise<Row[]> => {
    const run = await runOne(build(window), window, deadline);
    if (run.problem) {
      problems.push({
        file: name,
        code: 'PT-FILE-UNREADABLE',
        reason: `Logs Insights ${what} query of ${spanOf(window)}: ${run.problem}: the calls of that span may be missing`,
      });
      return run.rows;
    }
    if (run.rows.length < limit) return run.rows;
    const span = window.until.getTime() - window.since.getTime();
    if (span <= 1000) {
      problems.push({
        file: name,
        code: 'PT-FILE-UNREADABLE',
        reason: `Logs Insights ${what} query of ${spanOf(window)}: the result was cut at ${limit} rows in a 1-second span: calls may be missing`,
      });
      return run.rows;
    }
    // Halves on whole seconds (eventTime has no finer resolution).
    const mid = new Date(Math.ceil((window.since.getTime() + span / 2) / 1000) * 1000);
    const left = await runSplit(build, { since: window.since, until: mid }, deadline, what, problems);
    const right = await runSplit(build, { since: mid, until: window.until }, deadline, what, problems);
    return left.concat(right);
  };

  return {
    name,
    counters,
    async run(scope): Promise<QueryResult> {
      const target = scope.target;
      if (!target)
        throw new UsageError(
          '--log-group serves generate (one principal); the account-wide report reads files, s3:// or --athena-table',
        );
      const window = { since: scope.window.since ?? new Date(0), until: scope.window.until ?? scope.now };
      // Validates the target before any request.
      logsInsightsQuery(target, window, { limit });
      const deadline = clock() + timeoutMs;
      const problems: FileProblem[] = [];
      const build = (key: keyof LogsInsightsQueries) => (w: TimeWindow) =>
        logsInsightsQuery(target, w, { limit })[key];
      const principalRows = await runSplit(build('principal'), window, deadline, 'principal', problems);
      const lambdaRows = await runSplit(
        build('lambdaSessions'),
        window,
        deadline,
        'Lambda session',
        problems,
      );
      const otherRows = await runSplit(build('others'), window, deadline, 'coverage', problems);
      const records = [...principalRows, ...lambdaRows].map(recordOf);
      return { name, records, others: othersOf(otherRows, records), problems };
    },
  };
}

/** The window's events per source and category, less the principal's rows (clamped at 0). */
function othersOf(rows: Row[], records: GroupedRecord[]): OtherEvents[] {
  const totals = new Map<string, OtherEvents>();
  const keyOf = (source: string, category: string) => JSON.stringify([source, category]);
  for (const row of rows) {
    const count = Number(row.calls);
    const { first, last } = boundsOf(row);
    if (!Number.isSafeInteger(count) || count < 1 || !first) continue;
    const source = row.k_source ?? '';
    const category = row.k_category ?? '';
    const key = keyOf(source, category);
    const had = totals.get(key);
    if (had) {
      had.count += count;
      if (first < had.firstSeen) had.firstSeen = first;
      if (last > had.lastSeen) had.lastSeen = last;
    } else {
      totals.set(key, {
        eventSource: source,
        ...(category ? { eventCategory: category } : {}),
        count,
        firstSeen: first,
        lastSeen: last,
      });
    }
  }
  for (const r of records) {
    const rec = r.record as { eventSource?: unknown; eventCategory?: unknown } | null;
    if (typeof rec !== 'object' || rec === null || !Number.isSafeInteger(r.count)) continue;
    const source = typeof rec.eventSource === 'string' ? rec.eventSource : '';
    const category = typeof rec.eventCategory === 'string' ? rec.eventCategory : '';
    const had = totals.get(keyOf(source, category));
    if (had) had.count = Math.max(0, had.count - r.count);
  }
  return [...totals.values()].filter((o) => o.count > 0);
}
