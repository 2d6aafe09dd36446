import { rule } from '../../../src/audit/rules/PT-AUDIT-UNUSED-ROLE';
import type { UnusedRole } from '../../../src/report';
import { report, role, roleArn, state, trailInput, usage } from './fixtures-roles';

function unused(kind: UnusedRole['kind']): UnusedRole {
  return {
    name: 'r',
    arn: roleArn('r'),
    lastActivity: '2025-03-14T00:00:00Z',
    kind,
    reason: 'no call in the window',
    createDate: '2024-01-01T00:00:00Z',
    roleLastUsed: { date: '2025-03-14T00:00:00Z', region: 'us-east-1' },
  };
}
const S = state([role('r')]);

describe('PT-AUDIT-UNUSED-ROLE', () => {
  it('needs the trail', () => expect(rule.needs).toEqual(['trail']));

  it('passes when the report names no unused role', async () => {
    expect(await rule.check(await trailInput(S, usage(), report()))).toEqual([]);
  });

  it.each([
    ['role', 'made no call in the window'],
    ['orphaned-execution-role', 'no function uses'],
  ] as const)('fails (low): %s', async (kind, message) => {
    const [f] = await rule.check(await trailInput(S, usage(), report({ unusedRoles: [unused(kind)] })));
    expect(f.severity).toBe('low');
    expect(f.message).toContain(message);
    expect(f.evidence).toContain('IAM RoleLastUsed: 2025-03-14T00:00:00Z in us-east-1');
    expect(f.fix).toContain('aws iam delete-role --role-name r');
  });

  it('a partial read is info, never "unused"', async () => {
    const r = report({ unusedRoles: [unused('role')], coverage: { ...report().coverage, partial: true } });
    const [f] = await rule.check(await trailInput(S, usage(), r));
    expect(f.severity).toBe('info');
  });
});
