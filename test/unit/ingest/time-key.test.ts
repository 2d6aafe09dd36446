import fc from 'fast-check';
import { canonicalKeyValid, normaliseTime } from '../../../src/ingest/parse-record';
import { normalisedWindowTest, timeKeyOf, windowKeys } from '../../../src/ingest/time-window';

/**
 * Time keys (YYYYMMDDhhmmss, from the WebAssembly scanner) are judged exactly as the text they
 * stand for: canonicalKeyValid as normaliseTime, windowKeys as normalisedWindowTest.
 */
const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const canonicalShaped = fc
  .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2))
  .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
const plausible = fc
  .record({
    y: fc.constantFrom('0999', '1000', '1900', '2000', '2024', '2026', '2100', '9999'),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    s: fc.integer({ min: 0, max: 61 }),
  })
  .map(({ y, mo, d, h, mi, s }) => {
    const two = (n: number) => String(n).padStart(2, '0');
    return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}Z`;
  });

describe('canonicalKeyValid', () => {
  it.each([
    ['2026-11-05T12:00:00Z', true],
    ['2026-02-29T00:00:00Z', false],
    ['2028-02-29T00:00:00Z', true],
    ['1900-02-29T00:00:00Z', false],
    ['2000-02-29T00:00:00Z', true],
    ['2026-04-31T00:00:00Z', false],
    ['2026-12-31T23:59:59Z', true],
    ['2026-13-01T00:00:00Z', false],
    ['2026-00-01T00:00:00Z', false],
    ['2026-01-00T00:00:00Z', false],
    ['2026-01-01T24:00:00Z', false],
    ['2026-01-01T00:60:00Z', false],
    ['2026-01-01T00:00:60Z', false],
    ['0999-01-01T00:00:00Z', false],
    ['1000-01-01T00:00:00Z', true],
  ])('%s → %s, as normaliseTime', (t, valid) => {
    expect(canonicalKeyValid(timeKeyOf(t))).toBe(valid);
    expect(normaliseTime(t) === t).toBe(valid);
  });

  it('agrees with normaliseTime on any text of the canonical shape', () => {
    fc.assert(
      fc.property(fc.oneof(canonicalShaped, plausible), (t) => {
        const n = normaliseTime(t);
        expect(n === undefined || n === t).toBe(true);
        expect(canonicalKeyValid(timeKeyOf(t))).toBe(n === t);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('windowKeys', () => {
  const time = fc.date({
    min: new Date('1990-01-01T00:00:00Z'),
    max: new Date('2040-01-01T00:00:00Z'),
    noInvalidDate: true,
  });
  it('tests keys as normalisedWindowTest tests their times', () => {
    fc.assert(
      fc.property(fc.option(time), fc.option(time), time, (since, until, at) => {
        const w = { ...(since ? { since } : {}), ...(until ? { until } : {}) };
        const t = `${at.toISOString().slice(0, 19)}Z`;
        const keys = windowKeys(w)!;
        expect(timeKeyOf(t) >= keys.since && timeKeyOf(t) < keys.until).toBe(normalisedWindowTest(w)(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves bounds whose year is not four digits to the text test', () => {
    expect(windowKeys({ since: new Date('+010000-01-01T00:00:00Z') })).toBeUndefined();
    expect(windowKeys({ until: new Date('-000001-01-01T00:00:00Z') })).toBeUndefined();
    expect(windowKeys({})).toEqual({ since: -Infinity, until: Infinity });
  });
});
