import { generateSample, reportSample, runCli } from '../helpers/cli';

/**
 * Parallel ingestion (worker threads) gives the same bytes as one thread: stdout and stderr of
 * `generate` and `report --unused` on the samples with 1, 2 and 3 workers (an explicit
 * `--workers` uses the pool even on a small trail).
 */
describe.each([
  ['orders-api', ['--region', 'us-east-1']],
  ['image-resizer', []],
  ['report-weekly', []],
])('generate --function %s', (fn, extra) => {
  test('1, 2 and 3 workers: the same stdout, stderr and exit code', () => {
    const one = generateSample(fn, [...extra, '--workers', '1', '--format', 'markdown']);
    expect(one.status).not.toBe(1);
    for (const n of ['2', '3']) {
      const many = generateSample(fn, [...extra, '--workers', n, '--format', 'markdown']);
      expect(many.stdout).toBe(one.stdout);
      expect(many.stderr).toBe(one.stderr);
      expect(many.status).toBe(one.status);
    }
  });
});

test('report --unused: 1 and 3 workers, the same report', () => {
  const one = reportSample(['--workers', '1']);
  const many = reportSample(['--workers', '3']);
  expect(one.status).toBe(0);
  expect(many.stdout).toBe(one.stdout);
  expect(many.stderr).toBe(one.stderr);
});

test.each([['0'], ['65'], ['1.5'], ['x']])('--workers %s is a usage error', (n) => {
  const r = runCli([
    'generate',
    '--function',
    'orders-api',
    '--trail',
    'samples/trail',
    '--offline',
    '--workers',
    n,
  ]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/--workers must be a whole number from 1 to 64/);
});
