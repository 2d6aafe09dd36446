/**
 * Time windows for `--since` / `--until`: parsing the user's bounds and testing event times.
 */
import { UsageError } from '../errors';

/** A half-open interval of time: `since` is inclusive, `until` exclusive. Either may be open. */
export interface TimeWindow {
  since?: Date;
  until?: Date;
}

const MINUTE_MS = 60_000;
const UNIT_MS: Record<string, number> = {
  m: MINUTE_MS,
  h: 60 * MINUTE_MS,
  d: 24 * 60 * MINUTE_MS,
  w: 7 * 24 * 60 * MINUTE_MS,
};

const DURATION = /^(\d{1,9})([mhdw])$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses one bound of a time window.
 *
 * Accepted forms:
 * - a duration back from `now`: `30m`, `12h`, `90d`, `2w`;
 * - an ISO date `2026-11-01`, meaning UTC midnight (CloudTrail times are UTC, so a local-time
 *   reading would silently shift the window by the machine's offset);
 * - an ISO date-time with `Z` or an offset: `2026-11-01T10:00:00Z`, `2026-11-01T12:00+02:00`.
 *
 * A time without a zone is refused rather than guessed, for the same reason as above.
 *
 * @param text - the flag value as typed.
 * @param now - the reference time for durations (injected so that results are reproducible).
 * @returns the instant the bound denotes.
 * @throws UsageError naming the value when it is none of the accepted forms.
 */
export function parseTimeBound(text: string, now: Date): Date {
  const value = text.trim();
  const invalid = (): UsageError =>
    new UsageError(
      `invalid time ${JSON.stringify(text)}: expected a duration (30m, 12h, 90d, 2w), ` +
        'a date (2026-11-01) or a date-time with a zone (2026-11-01T10:00:00Z)',
    );

  const duration = DURATION.exec(value);
  if (duration) {
    const ms = now.getTime() - Number(duration[1]) * UNIT_MS[duration[2]];
    return checked(ms, invalid);
  }

  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) {
    const [y, mo, d] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    if (!validCalendarDate(y, mo, d)) throw invalid();
    return checked(utc(y, mo, d, 0, 0, 0, 0), invalid);
  }

  const dateTime = DATE_TIME.exec(value.replace(/^(.{10})t/, '$1T').replace(/z$/, 'Z'));
  if (dateTime) {
    const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(dateTime[i]));
    const s = dateTime[6] === undefined ? 0 : Number(dateTime[6]);
    // Only milliseconds survive in a Date; finer digits are truncated, not rounded.
    const ms = dateTime[7] === undefined ? 0 : Number(dateTime[7].slice(0, 3).padEnd(3, '0'));
    if (!validCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59) throw invalid();
    const offsetMs = parseOffset(dateTime[8]);
    if (offsetMs === undefined) throw invalid();
    return checked(utc(y, mo, d, h, mi, s, ms) - offsetMs, invalid);
  }

  throw invalid();
}

/**
 * Tells whether an event time falls inside a window (since inclusive, until exclusive).
 *
 * @param isoTime - an ISO-8601 time, normally the normalised `TrailEvent.eventTime`.
 * @param w - the window; open bounds accept everything on that side.
 * @returns false for an unparseable time when the window has a bound (it cannot be shown to be
 *   inside), true for any time when the window is fully open.
 */
export function inWindow(isoTime: string, w: TimeWindow): boolean {
  if (!w.since && !w.until) return true;
  const t = Date.parse(isoTime);
  if (Number.isNaN(t)) return false;
  if (w.since && t < w.since.getTime()) return false;
  if (w.until && t >= w.until.getTime()) return false;
  return true;
}

/**
 * inWindow for times already normalised (`YYYY-MM-DDTHH:MM:SSZ`, what normaliseTime returns),
 * for a loop over many of them: one string comparison per bound. The bounds are rounded up to the
 * whole second, which for whole-second times is the same test (t ≥ s ⇔ t ≥ ⌈s⌉, t < u ⇔ t < ⌈u⌉),
 * and such strings sort as their times. A bound outside the years 1000–9999 (not four digits)
 * takes inWindow itself.
 *
 * @param w - the window (the test is made once per window and its dates' values).
 */
export function normalisedWindowTest(w: TimeWindow): (normalised: string) => boolean {
  const cached = TESTS.get(w);
  if (cached && cached.since === w.since?.getTime() && cached.until === w.until?.getTime())
    return cached.test;
  const test = makeWindowTest(w);
  TESTS.set(w, { since: w.since?.getTime(), until: w.until?.getTime(), test });
  return test;
}

/** normalisedWindowTest per window, checked against its dates' current values. */
const TESTS = new WeakMap<
  TimeWindow,
  { since: number | undefined; until: number | undefined; test: (t: string) => boolean }
>();

/**
 * A window bound rounded up to the whole second, normalised; undefined for no bound, null for
 * one whose year is not four digits.
 */
function boundOf(d: Date | undefined): string | null | undefined {
  if (!d) return undefined;
  const ms = d.getTime();
  if (Number.isNaN(ms)) return null;
  const iso = new Date(Math.ceil(ms / 1000) * 1000).toISOString();
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : null;
}

function makeWindowTest(w: TimeWindow): (normalised: string) => boolean {
  const since = boundOf(w.since);
  const until = boundOf(w.until);
  if (since === null || until === null) return (t) => inWindow(t, w);
  return (t) => (since === undefined || t >= since) && (until === undefined || t < until);
}

/** A normalised time (`YYYY-MM-DDTHH:MM:SSZ`) as the number YYYYMMDDhhmmss, which sorts as the time. */
export function timeKeyOf(normalised: string): number {
  return Number(
    normalised.slice(0, 4) +
      normalised.slice(5, 7) +
      normalised.slice(8, 10) +
      normalised.slice(11, 13) +
      normalised.slice(14, 16) +
      normalised.slice(17, 19),
  );
}

/**
 * normalisedWindowTest on time keys (timeKeyOf): the window's bounds as keys, `since` inclusive
 * and `until` exclusive (±Infinity when open); undefined when a bound's year is not four digits
 * (the caller then tests the time's text).
 */
export function windowKeys(w: TimeWindow): { since: number; until: number } | undefined {
  const since = boundOf(w.since);
  const until = boundOf(w.until);
  if (since === null || until === null) return undefined;
  return {
    since: since === undefined ? -Infinity : timeKeyOf(since),
    until: until === undefined ? Infinity : timeKeyOf(until),
  };
}

/** UTC epoch milliseconds; `setUTCFullYear` avoids Date.UTC's mapping of years 0-99 to 19xx. */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  date.setUTCFullYear(y);
  return date.getTime();
}

/** True when the day exists in that month (rejects 2026-02-30 instead of rolling it over). */
export function validCalendarDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(2000, mo, 0)).getUTCDate();
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 ? (leap ? 29 : 28) : daysInMonth);
}

/** `Z`, `+02:00` or `-0530` to milliseconds east of UTC; undefined when out of range. */
function parseOffset(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * MINUTE_MS;
}

/** Wraps epoch ms in a Date, refusing values outside the Date range (e.g. `999999999w`). */
function checked(ms: number, invalid: () => UsageError): Date {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw invalid();
  return date;
}
