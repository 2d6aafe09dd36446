import { parseInvocationMetrics } from '../../../src/account/snapshot';

const F = 'get-metric-data-us-east-1.json';
const result = (extra: Record<string, unknown>) => ({
  Id: 'f0',
  Label: 'orders-api',
  Timestamps: ['2026-11-03T00:00:00+00:00', '2026-11-02T00:00:00+00:00'],
  Values: [5, 7],
  StatusCode: 'Complete',
  ...extra,
});

describe('parseInvocationMetrics (aws cloudwatch get-metric-data export)', () => {
  it('reads the datapoints per function label, sorted by time, from one page or several', () => {
    const one = parseInvocationMetrics({ MetricDataResults: [result({})] }, 'us-east-1', F);
    expect(one).toEqual([
      {
        region: 'us-east-1',
        functionName: 'orders-api',
        points: [
          { time: '2026-11-02T00:00:00.000Z', value: 7 },
          { time: '2026-11-03T00:00:00.000Z', value: 5 },
        ],
      },
    ]);
    const pages = parseInvocationMetrics(
      [
        { MetricDataResults: [result({})] },
        { MetricDataResults: [result({ Label: 'idle', Timestamps: [], Values: [] })] },
      ],
      'us-east-1',
      F,
    );
    expect(pages.map((m) => [m.functionName, m.points.length])).toEqual([
      ['idle', 0],
      ['orders-api', 2],
    ]);
  });

  it.each([
    ['a truncated result', result({ StatusCode: 'PartialData' }), /PartialData, not Complete/],
    [
      'a label that is no function name',
      result({ Label: 'Invocations of orders-api' }),
      /no Label naming a function/,
    ],
    ['timestamps and values of different lengths', result({ Values: [1] }), /different lengths/],
    ['a negative or non-numeric value', result({ Values: [1, 'x'] }), /invalid datapoint/],
    [
      'an unparseable timestamp',
      result({ Timestamps: ['yesterday', '2026-11-02T00:00:00Z'] }),
      /invalid datapoint/,
    ],
  ])('rejects %s, naming the file', (_name, bad, message) => {
    expect(() => parseInvocationMetrics({ MetricDataResults: [bad] }, 'us-east-1', F)).toThrow(message);
    expect(() => parseInvocationMetrics({ MetricDataResults: [bad] }, 'us-east-1', F)).toThrow(F);
  });

  it('rejects a file that is not the output of get-metric-data', () => {
    expect(() => parseInvocationMetrics({ Datapoints: [] }, 'us-east-1', F)).toThrow(/not the output of/);
  });
});
