/**
 * Validation of one raw CloudTrail record into a {@link TrailEvent}.
 *
 * Every field of a trace is attacker-controlled (anyone able to call an API in the account shapes
 * request parameters, session names, user agents), so types are checked strictly and the reasons
 * for rejecting a record never quote the record: they may end up in terminals and reports.
 */
import { createHash } from 'crypto';
import type { Identity, TrailEvent, TrailResource } from '../model/trail-event';
import { validCalendarDate } from './time-window';

/** Result of {@link parseRecord}: an event, or a short reason that contains no input. */
export type ParseRecordResult = { ok: true; event: TrailEvent } | { ok: false; reason: string };

const MAX_NAME_LENGTH = 128;
const EVENT_NAME = /^[A-Za-z0-9._-]+$/;
const EVENT_SOURCE = /^[a-z0-9.-]+$/;
const MAX_EVENT_ID_LENGTH = 256;
/**
 * ISO-8601-like times as found in traces: CloudTrail's `2023-07-10T11:40:01Z`, milliseconds from
 * exports, and Panther's `2023-07-10 11:40:01.123456789` without a zone (taken as UTC, which is
 * what CloudTrail records). Looser forms (`Jan 1 2020`) would be read in the machine's local time
 * by `Date.parse`, so they are refused.
 */
const EVENT_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const ASSUMED_ROLE_ARN = /^arn:[a-z0-9-]+:sts::[^:]*:assumed-role\/[^/]+\/(.+)$/;

/**
 * Checks and normalises one raw record.
 *
 * Rejected (with a reason naming the field, never its value):
 * - anything but a JSON object;
 * - `eventSource` or `eventName` missing, not a string, over 128 characters, or with characters
 *   outside `[a-z0-9.-]` (source) or `[A-Za-z0-9._-]` (name) — these become IAM action names;
 * - `eventTime` (or, for Logstash-mangled exports, `@timestamp`) missing or unparseable;
 * - `awsRegion`, `eventID` present but not strings; `requestParameters`, `responseElements`,
 *   `additionalEventData` present but not objects.
 *
 * Normalised: `eventTime` to `YYYY-MM-DDTHH:MM:SSZ` (UTC, milliseconds dropped); a missing `eventID`
 * to `sha256:<32 hex>` of the record's JSON (deterministic, so re-reading a file gives the same
 * ids); `managementEvent`/`readOnly` from booleans or `"True"`/`"false"` strings; `userIdentity`
 * flattened into {@link Identity}. `null` counts as absent everywhere, as exports null-fill.
 * Optional fields of the wrong type are dropped rather than rejected: they do not decide what an
 * event means.
 *
 * @param raw - one item from a trace file.
 */
export function parseRecord(raw: unknown): ParseRecordResult {
  if (!isPlainObject(raw)) return fail('record is not a JSON object');

  const eventSource = checkName(raw.eventSource, 'eventSource', EVENT_SOURCE);
  if (typeof eventSource !== 'string') return eventSource;
  const eventName = checkName(raw.eventName, 'eventName', EVENT_NAME);
  if (typeof eventName !== 'string') return eventName;

  const timeField = raw.eventTime ?? raw['@timestamp'];
  if (timeField === undefined || timeField === null) return fail('eventTime missing');
  if (typeof timeField !== 'string') return fail('eventTime is not a string');
  const eventTime = normaliseTime(timeField);
  if (eventTime === undefined) return fail('eventTime unparseable');

  let awsRegion = '';
  if (raw.awsRegion !== undefined && raw.awsRegion !== null) {
    if (typeof raw.awsRegion !== 'string') return fail('awsRegion is not a string');
    awsRegion = raw.awsRegion;
  }

  let eventId: string;
  if (raw.eventID === undefined || raw.eventID === null || raw.eventID === '') {
    eventId = derivedId(raw);
  } else if (typeof raw.eventID !== 'string') {
    return fail('eventID is not a string');
  } else if (raw.eventID.length > MAX_EVENT_ID_LENGTH || hasControlCharacters(raw.eventID)) {
    return fail('eventID too long or with control characters');
  } else {
    eventId = raw.eventID;
  }

  const objects: Partial<Record<'requestParameters' | 'responseElements' | 'additionalEventData', object>> =
    {};
  for (const field of ['requestParameters', 'responseElements', 'additionalEventData'] as const) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    if (!isPlainObject(value)) return fail(`${field} is not an object`);
    objects[field] = value;
  }

  const event: TrailEvent = {
    eventId,
    eventTime,
    eventSource,
    eventName,
    awsRegion,
    identity: parseIdentity(raw.userIdentity),
  };
  setString(event, 'recipientAccountId', raw.recipientAccountId);
  setString(event, 'errorCode', raw.errorCode);
  setString(event, 'eventCategory', raw.eventCategory);
  setString(event, 'eventType', raw.eventType);
  setString(event, 'sourceIPAddress', raw.sourceIPAddress);
  const readOnly = parseBoolean(raw.readOnly);
  if (readOnly !== undefined) event.readOnly = readOnly;
  const managementEvent = parseBoolean(raw.managementEvent);
  if (managementEvent !== undefined) event.managementEvent = managementEvent;
  if (objects.requestParameters)
    event.requestParameters = objects.requestParameters as Record<string, unknown>;
  if (objects.responseElements) event.responseElements = objects.responseElements as Record<string, unknown>;
  if (objects.additionalEventData) {
    event.additionalEventData = objects.additionalEventData as Record<string, unknown>;
  }
  if (raw.resources !== undefined && raw.resources !== null) {
    // A damaged `resources` must not silently become "no resource" (which would widen to `*`).
    const resources = parseResources(raw.resources);
    if (!resources) return fail('resources is not a list of {ARN, type, accountId} objects');
    event.resources = resources;
  }
  return { ok: true, event };
}

/** Is `value` a valid `eventSource` (what parseRecord accepts)? */
export function isEventSource(value: string): boolean {
  return value.length > 0 && value.length <= MAX_NAME_LENGTH && EVENT_SOURCE.test(value);
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function checkName(value: unknown, field: string, pattern: RegExp): string | { ok: false; reason: string } {
  if (value === undefined || value === null) return fail(`${field} missing`);
  if (typeof value !== 'string') return fail(`${field} is not a string`);
  if (value.length === 0) return fail(`${field} missing`);
  if (value.length > MAX_NAME_LENGTH) return fail(`${field} longer than ${MAX_NAME_LENGTH} characters`);
  if (!pattern.test(value)) return fail(`${field} has invalid characters`);
  return value;
}

/** `YYYY-MM-DDTHH:MM:SSZ` with valid hours, minutes and seconds. */
const CANONICAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

/** The `YYYY-MM-DD` of the last canonical times found valid (the hottest path of normaliseTime): a file's records share a few days. */
const validDays = ['', '', '', ''];
let nextValidDay = 0;

/** Two decimal digits at `i` as a number; 100 when either is not a digit. */
function twoDigits(t: string, i: number): number {
  const a = t.charCodeAt(i) - 0x30;
  const b = t.charCodeAt(i + 1) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : 100;
}

/** Is `t` `YYYY-MM-DDTHH:MM:SSZ` (valid clock) on the day last found valid? Same answer as CANONICAL_TIME plus the day check, without them. */
function isCanonicalOfKnownDay(t: string): boolean {
  return (
    t.length === 20 &&
    t.charCodeAt(10) === 0x54 /* T */ &&
    t.charCodeAt(13) === 0x3a /* : */ &&
    t.charCodeAt(16) === 0x3a &&
    t.charCodeAt(19) === 0x5a /* Z */ &&
    twoDigits(t, 11) <= 23 &&
    twoDigits(t, 14) <= 59 &&
    twoDigits(t, 17) <= 59 &&
    knownDay(t)
  );
}

function knownDay(t: string): boolean {
  for (const d of validDays) if (d !== '' && t.startsWith(d)) return true;
  return false;
}

/** Days (YYYYMMDD) last found valid by canonicalKeyValid. */
const validDayKeys = [-1, -1, -1, -1];
let nextValidDayKey = 0;

/**
 * For an event time whose text has the shape `DDDD-DD-DDTDD:DD:DDZ` (D a digit), given as the
 * number YYYYMMDDhhmmss: is it valid, i.e. does normaliseTime accept the text (and return it
 * unchanged)? The same checks as CANONICAL_TIME plus the day's range, on numbers
 * (test/unit/ingest/time-key.test.ts holds it to normaliseTime).
 */
export function canonicalKeyValid(key: number): boolean {
  const hms = key % 1_000_000;
  if (Math.floor(hms / 10000) > 23 || Math.floor(hms / 100) % 100 > 59 || hms % 100 > 59) return false;
  const day = (key - hms) / 1_000_000;
  if (
    day === validDayKeys[0] ||
    day === validDayKeys[1] ||
    day === validDayKeys[2] ||
    day === validDayKeys[3]
  )
    return true;
  const y = Math.floor(day / 10000);
  const mo = Math.floor(day / 100) % 100;
  const d = day % 100;
  if (!(y >= 1000 && validCalendarDate(y, mo, d))) return false;
  validDayKeys[nextValidDayKey] = day;
  nextValidDayKey = (nextValidDayKey + 1) % validDayKeys.length;
  return true;
}

/**
 * Normalises an event time to `YYYY-MM-DDTHH:MM:SSZ`, or undefined when it is not a valid time.
 *
 * @param text - the raw time.
 */
export function normaliseTime(text: string): string | undefined {
  if (text.length > 64) return undefined;
  // Hottest path: canonical, of a day already seen valid (records of a file share a few days).
  if (isCanonicalOfKnownDay(text)) return text;
  // Hot path: CloudTrail's own format, already canonical; only the day needs a range check.
  const c = CANONICAL_TIME.exec(text);
  if (c) {
    const y = Number(c[1]);
    const mo = Number(c[2]);
    const d = Number(c[3]);
    if (!(y >= 1000 && validCalendarDate(y, mo, d))) return undefined;
    validDays[nextValidDay] = text.slice(0, 10);
    nextValidDay = (nextValidDay + 1) % validDays.length;
    return text;
  }
  const m = EVENT_TIME.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y); // Date.UTC maps years 0-99 to 19xx.
  // A rolled-over day (02-30 → 03-02) means the input was not a real date.
  if (date.getUTCDate() !== d) return undefined;
  const zone = m[7]?.toUpperCase();
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    date.setTime(date.getTime() - sign * offsetMinutes * 60_000);
  }
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) return undefined;
  return `${date.toISOString().slice(0, 19)}Z`;
}

function derivedId(raw: Record<string, unknown>): string {
  // JSON.stringify keeps the file's key order, so the same record always hashes the same.
  const hex = createHash('sha256').update(JSON.stringify(raw)).digest('hex');
  return `sha256:${hex.slice(0, 32)}`;
}

function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

/** The event's resources; undefined when the field or an item has the wrong shape. */
function parseResources(value: unknown): TrailResource[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const resources: TrailResource[] = [];
  for (const item of value) {
    if (!isPlainObject(item)) return undefined;
    const { ARN: arn, type, accountId } = item;
    if (!optionalString(arn) || !optionalString(type) || !optionalString(accountId)) return undefined;
    if (arn === undefined && type === undefined) continue;
    const resource: TrailResource = {};
    if (arn !== undefined) resource.arn = arn;
    if (type !== undefined) resource.type = type;
    if (accountId !== undefined) resource.accountId = accountId;
    resources.push(resource);
  }
  return resources;
}

/**
 * Flattens `userIdentity`. Missing or not an object gives `{ type: 'Unknown' }`: the event still
 * counts for coverage, it just cannot be attributed to a role.
 */
function parseIdentity(value: unknown): Identity {
  if (!isPlainObject(value)) return { type: 'Unknown' };
  const identity: Identity = {
    type: typeof value.type === 'string' && value.type !== '' ? value.type : 'Unknown',
  };
  setString(identity, 'arn', value.arn);
  setString(identity, 'accountId', value.accountId);
  setString(identity, 'principalId', value.principalId);
  setString(identity, 'userName', value.userName);
  setString(identity, 'invokedBy', value.invokedBy);
  const sessionContext = value.sessionContext;
  if (isPlainObject(sessionContext) && isPlainObject(sessionContext.sessionIssuer)) {
    setString(identity, 'issuerArn', sessionContext.sessionIssuer.arn);
    setString(identity, 'issuerType', sessionContext.sessionIssuer.type);
  }
  if (identity.arn) {
    const session = ASSUMED_ROLE_ARN.exec(identity.arn);
    if (session) identity.sessionName = session[1].slice(session[1].lastIndexOf('/') + 1);
  }
  return identity;
}

/** Sets `target[key]` when `value` is a non-empty string; leaves it absent otherwise. */
function setString<T extends object>(target: T, key: keyof T & string, value: unknown): void {
  if (typeof value === 'string' && value !== '') (target as Record<string, unknown>)[key] = value;
}

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasControlCharacters(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(text);
}
