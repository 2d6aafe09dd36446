import table from '../../../src/audit/data/runtimes.json';
import { rule } from '../../../src/audit/rules/PT-AUDIT-RUNTIME-EOS';
import { fn, input, role, state } from './fixtures-roles';

async function run(runtime: string | undefined, now: string) {
  const f = fn('a', 'r', 'us-east-1', runtime ? { runtime } : {});
  return rule.check(await input(state([role('r')], [f]), { now: new Date(now) }));
}

describe('PT-AUDIT-RUNTIME-EOS', () => {
  it('needs nothing; the table cites its source and date', () => {
    expect(rule.needs).toEqual([]);
    expect(table._source).toContain('https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html');
    expect(table.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const r of Object.values(table.runtimes)) expect(r.deprecation).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each([
    ['supported, far from deprecation: passes', 'python3.12', '2026-12-01', undefined],
    ['past deprecation: high', 'nodejs16.x', '2026-12-01', 'high'],
    ['on the deprecation day: high', 'nodejs20.x', '2026-04-30T00:00:00Z', 'high'],
    ['within 180 days: medium', 'nodejs22.x', '2026-12-01', 'medium'],
    ['181 days before: passes', 'nodejs22.x', '2026-10-31', undefined],
    ['OS-only, supported: info', 'provided.al2023', '2026-12-01', 'info'],
    ['OS-only, deprecated: high', 'provided', '2026-12-01', 'high'],
    ['unknown runtime: info', 'cobol1.x', '2026-12-01', 'info'],
  ])('%s', async (_n, runtime, now, severity) => {
    const out = await run(runtime, now);
    expect(out[0]?.severity).toBe(severity);
  });

  it('an unknown runtime says it is not in the dated table', async () => {
    const [f] = await run('cobol1.x', '2026-12-01');
    expect(f.message).toContain(`unknown runtime "cobol1.x": not in the table (dated ${table.tableDate})`);
  });

  it('a container image (no runtime) is not checked', async () => {
    expect(await run(undefined, '2026-12-01')).toEqual([]);
  });

  it('evidence gives the three dates and the fix a successor', async () => {
    const [f] = await run('nodejs16.x', '2026-12-01');
    expect(f.evidence).toContain('deprecation: 2024-06-12 (passed)');
    expect(f.evidence).toContain('block function create: 2027-02-01 (in 62 days)');
    expect(f.fix).toContain('--runtime nodejs24.x');
  });
});
