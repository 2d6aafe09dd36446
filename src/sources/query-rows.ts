/**
 * The grouped rows of the SQL engines (Athena, CloudTrail Lake): the trail's columns both
 * queries read, the columns of a grouped row, and a row turned back into a trail record and its
 * counts. Each engine brings only how its JSON columns decode (Lake's maps, the field order of
 * its resources).
 */
import type { GroupedRecord, OtherEvents, QueryResult } from './query';

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
