import { rule } from '../../../src/audit/rules/PT-AUDIT-SHARED-ROLE';
import { fn, input, report, role, roleArn, state, trailInput, usage } from './fixtures-roles';

describe('PT-AUDIT-SHARED-ROLE', () => {
  it('needs nothing beyond configuration', () => {
    expect(rule.needs).toEqual([]);
    expect(rule.severity).toBe('medium');
  });

  it.each([
    ['one function per role: passes', [fn('a', 'ra'), fn('b', 'rb')], []],
    ['two functions, one role: fails', [fn('a', 'r'), fn('b', 'r')], ['r']],
    [
      'one name in two regions, one role: fails (roles are global)',
      [fn('a', 'r', 'us-east-1'), fn('a', 'r', 'eu-west-1')],
      ['r'],
    ],
    [
      'same names in two regions, different roles: passes',
      [fn('a', 'r1', 'us-east-1'), fn('a', 'r2', 'eu-west-1')],
      [],
    ],
  ])('%s', async (_name, functions, shared) => {
    const s = state([role('r'), role('ra'), role('rb'), role('r1'), role('r2')], functions);
    const out = await rule.check(await input(s));
    expect(out.map((f) => f.subject.name)).toEqual(shared);
    for (const f of out) {
      expect(f.id).toBe(`PT-AUDIT-SHARED-ROLE[${roleArn(f.subject.name)}]`);
      expect(f.basis).toBe('configuration');
      expect(f.evidence.join('\n')).toContain('no trail was given');
    }
  });

  it('lists the functions with regions and gives one generate command per function', async () => {
    const s = state([role('r')], [fn('b', 'r', 'eu-west-1'), fn('a', 'r', 'us-east-1')]);
    const [f] = await rule.check(await input(s));
    expect(f.evidence[0]).toBe('2 functions have r as their execution role: a (us-east-1), b (eu-west-1)');
    expect(f.fix).toContain(
      'policy-tighten generate --function a --region us-east-1 …; policy-tighten generate --function b --region eu-west-1 …',
    );
  });

  it('with a trail: what each function used, and the same-name caveat', async () => {
    const s = state([role('r')], [fn('a', 'r', 'us-east-1'), fn('a', 'r', 'eu-west-1'), fn('b', 'r')]);
    const u = usage({ r: { a: { count: 7, actions: ['s3:GetObject', 'sqs:SendMessage'] } } });
    const [f] = await rule.check(await trailInput(s, u, report()));
    expect(f.basis).toBe('configuration and trail');
    expect(f.evidence).toContain(
      'a (eu-west-1, us-east-1): 7 calls by sessions named a, 2026-11-02T00:00:00Z to 2026-11-20T00:00:00Z; 2 actions: s3:GetObject, sqs:SendMessage',
    );
    expect(f.evidence.join('\n')).toContain('the trail cannot tell their calls apart');
    expect(f.evidence).toContain('b (us-east-1): no call by sessions named b in the window');
  });

  it('a role absent from the state is still grouped by its ARN', async () => {
    const s = state([], [fn('a', 'ghost'), fn('b', 'ghost')]);
    const [f] = await rule.check(await input(s));
    expect(f.subject).toEqual({ kind: 'role', arn: roleArn('ghost'), name: 'ghost' });
  });
});
