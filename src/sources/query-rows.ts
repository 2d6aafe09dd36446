/**
 * The grouped rows of the SQL engines (Athena, CloudTrail Lake): the trail's columns both
 * queries read, the columns of a grouped row, and a row turned back into a trail record and its
 * counts. Each engine brings only how its JSON columns decode (Lake's maps, the field order of
 * its resources).
 */
import { UsageError } from '../errors';
import type { GroupedRecord, OtherEvents, QueryResult } from './query';

/** What a target's values must be before they reach any query (IAM's and Lambda's own rules). */
export const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
export const USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:user\/[\w+=,.@/-]{1,512}$/;
export const NAME = /^[\w+=,.@-]{1,64}$/;

/** `value` when it matches `re`; a usage error naming `what` otherwise. */
export function checkValue(value: string | undefined, re: RegExp, what: string): string {
  if (value === undefined || !re.test(value))
    throw new UsageError(
      `${what} ${JSON.stringify((value ?? '').slice(0, 80))} cannot be queried: not a valid name`,
    );
  return value;
}

/** The role name in a role ARN (the last path segment). */
export function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The table's columns the queries read (the documented CloudTrail schemas of both engines). */
export const SCANNED_COLUMNS = [
  'eventsource',
  'eventname',
  'awsregion',
  'recipientaccountid',
  'errorcode',
  'eventcategory',
  'eventtype',
  'readonly',
  'useridentity',
  'sourceipaddress',
  'requestparameters',
  'responseelements',
  'resources',
  'eventtime',
  'eventid',
] as const;

/** The columns of a grouped row, in order (the outer SELECT's names). */
export const GROUPED_COLUMNS = [
  'matched',
  'eventsource',
  'eventname',
  'awsregion',
  'recipientaccountid',
  'errorcode',
  'eventcategory',
  'eventtype',
  'readonly',
  'identity_type',
  'identity_arn',
  'identity_account',
  'identity_principal',
  'identity_invokedby',
  'issuer_arn',
  'issuer_type',
  'service_host',
  'requestparameters',
  'responseelements',
  'resources',
  'calls',
  'first_seen',
  'last_seen',
  'first_id',
  'last_id',
] as const;

/**
 * The grouping expressions of the SQL engines' queries, in GROUPED_COLUMNS order up to
 * `resources` (then the day of the account-wide query): what only the principal's rows keep,
 * the others collapsing to their event source and category. `json` writes a map column as
 * groupable text (Lake's maps; Athena's columns are text already); `day` the UTC day of a call.
 */
export function groupedExpressions(json: (column: string) => string, day?: string): string[] {
  const m = (expr: string, as: string) => `CASE WHEN matched THEN ${expr} END AS ${as}`;
  return [
    'matched',
    'eventsource',
    m('eventname', 'eventname'),
    m('awsregion', 'awsregion'),
    m('recipientaccountid', 'recipientaccountid'),
    m('errorcode', 'errorcode'),
    'eventcategory',
    m('eventtype', 'eventtype'),
    m('readonly', 'readonly'),
    m('useridentity.type', 'identity_type'),
    m('useridentity.arn', 'identity_arn'),
    m('useridentity.accountid', 'identity_account'),
    m('useridentity.principalid', 'identity_principal'),
    m('useridentity.invokedby', 'identity_invokedby'),
    m('useridentity.sessioncontext.sessionissuer.arn', 'issuer_arn'),
    m('useridentity.sessioncontext.sessionissuer.type', 'issuer_type'),
    // Only a service host means something to the mapping (a call made on the caller's behalf).
    m("CASE WHEN sourceipaddress LIKE '%.amazonaws.com' THEN sourceipaddress END", 'service_host'),
    m(json('requestparameters'), 'requestparameters'),
    // A service principal's call is never the principal's: its response (credentials) is not needed.
    m(`CASE WHEN useridentity.type <> 'AWSService' THEN ${json('responseelements')} END`, 'responseelements'),
    m('resources', 'resources'),
    ...(day ? [m(day, DAY_COLUMN)] : []),
  ];
}

/** The extra column of the account-wide queries: the UTC day of the calls (activity per day). */
export const DAY_COLUMN = 'day';

/** A result row by column name; an absent value is NULL. */
export type Row = Record<string, string | undefined>;

/** How an engine's JSON columns become the record's fields. */
export interface ColumnDecoders {
  requestParameters(text: string | undefined): unknown;
  responseElements(text: string | undefined): unknown;
  resources(text: string | undefined): unknown;
}

/** A JSON column: the value, or the text itself when it is not JSON (the parser rejects it). */
export function jsonColumn(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A grouped row of the principal as a trail record and its counts. */
export function recordOfRow(row: Row, decode: ColumnDecoders): GroupedRecord {
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
    requestParameters: decode.requestParameters(row.requestparameters),
    responseElements: decode.responseElements(row.responseelements),
    resources: decode.resources(row.resources),
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
export function splitRows(rows: Row[], decode: ColumnDecoders): Pick<QueryResult, 'records' | 'others'> {
  const records: GroupedRecord[] = [];
  const others: OtherEvents[] = [];
  for (const row of rows) {
    if (row.matched === 'true') records.push(recordOfRow(row, decode));
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
