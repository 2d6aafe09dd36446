import { UsageError } from '../../../src/errors';
import { inWindow, normalisedWindowTest, parseTimeBound, type TimeWindow } from '../../../src/ingest';

const NOW = new Date('2026-11-10T12:00:00Z');

describe('parseTimeBound', () => {
  it.each([
    ['90d', '2026-08-12T12:00:00.000Z'],
    ['12h', '2026-11-10T00:00:00.000Z'],
    ['30m', '2026-11-10T11:30:00.000Z'],
    ['2w', '2026-10-27T12:00:00.000Z'],
    ['0d', '2026-11-10T12:00:00.000Z'],
  ])('Given the duration %s, When parsed, Then it is now minus that duration', (text, expected) => {
    expect(parseTimeBound(text, NOW).toISOString()).toBe(expected);
  });

  it.each([
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-11-01T10:15:00Z', '2026-11-01T10:15:00.000Z'],
    ['2026-11-01T10:15Z', '2026-11-01T10:15:00.000Z'],
    ['2026-11-01T10:15:00.123456Z', '2026-11-01T10:15:00.123Z'],
    ['2026-11-01T12:15:00+02:00', '2026-11-01T10:15:00.000Z'],
    ['2026-11-01T05:15:00-0500', '2026-11-01T10:15:00.000Z'],
    ['2026-11-01t10:15:00z', '2026-11-01T10:15:00.000Z'],
  ])('Given the ISO time %s, When parsed, Then it is read in UTC or its own offset', (text, expected) => {
    // Given an ISO date or date-time; When parsed; Then the instant does not depend on the local zone.
    expect(parseTimeBound(text, NOW).toISOString()).toBe(expected);
  });

  it.each([
    ['yesterday'],
    [''],
    ['90'],
    ['90x'],
    ['-5d'],
    ['2026-13-01'],
    ['2026-02-30'],
    ['2025-02-29'],
    ['2026-11-01T10:15:00'],
    ['2026-11-01T25:00:00Z'],
    ['2026-11-01T10:15:00+25:00'],
    ['999999999w'],
    ['1 day'],
  ])('Given the invalid value %j, When parsed, Then a one-line UsageError names it', (text) => {
    // Given a value that is no accepted form; When parsed; Then a usage error (exit 2) names it.
    let error: unknown;
    try {
      parseTimeBound(text, NOW);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain(JSON.stringify(text));
    expect(message).not.toContain('\n');
    expect((error as UsageError).exitCode).toBe(2);
  });
});

describe('inWindow', () => {
  const since = new Date('2026-11-01T00:00:00Z');
  const until = new Date('2026-11-02T00:00:00Z');

  it('Given a window, When testing its bounds, Then since is inclusive and until exclusive', () => {
    expect(inWindow('2026-11-01T00:00:00Z', { since, until })).toBe(true);
    expect(inWindow('2026-11-01T23:59:59Z', { since, until })).toBe(true);
    expect(inWindow('2026-11-02T00:00:00Z', { since, until })).toBe(false);
    expect(inWindow('2026-10-31T23:59:59Z', { since, until })).toBe(false);
  });

  it('Given half-open windows, When testing, Then the open side accepts everything', () => {
    expect(inWindow('1999-01-01T00:00:00Z', { until })).toBe(true);
    expect(inWindow('2999-01-01T00:00:00Z', { since })).toBe(true);
    expect(inWindow('2999-01-01T00:00:00Z', { until })).toBe(false);
  });

  it('Given an unparseable time, When the window has a bound, Then it is outside; When open, inside', () => {
    expect(inWindow('not a time', { since })).toBe(false);
    expect(inWindow('not a time', {})).toBe(true);
  });
});

describe('normalisedWindowTest', () => {
  const windows: TimeWindow[] = [
    { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    { since: new Date('2026-11-01T00:00:00.500Z'), until: new Date('2026-11-30T23:59:59.200Z') },
    { since: new Date('2026-11-05T10:00:00Z') },
    { until: new Date('2026-11-05T10:00:00.001Z') },
    {},
    { since: new Date('+010000-01-01T00:00:00Z') },
  ];
  it('Given normalised times, When tested, Then it answers as inWindow (bounds with milliseconds included)', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (const w of windows) {
      const test = normalisedWindowTest(w);
      const times = [
        '2026-11-01T00:00:00Z',
        '2026-10-31T23:59:59Z',
        '2026-11-30T23:59:59Z',
        '2026-12-01T00:00:00Z',
      ];
      for (let k = 0; k < 2000; k++) {
        const ms = Date.UTC(2026, 9, 25) + (next() % (40 * 86_400)) * 1000;
        times.push(`${new Date(ms).toISOString().slice(0, 19)}Z`);
      }
      for (const t of times) expect([t, test(t)]).toEqual([t, inWindow(t, w)]);
    }
  });
});
