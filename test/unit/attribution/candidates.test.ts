import { checkAttribution, type Target } from '../../../src/attribution';
import { emptyAggregate } from '../../../src/usage';

const A = 'arn:aws:iam::111122223333:role/fn-role';
const B = 'arn:aws:iam::111122223333:role/admin';
const C = 'arn:aws:iam::444455556666:role/fn-role';

function usage(roles: Record<string, number>, lambda: Record<string, Record<string, number>> = {}) {
  const u = emptyAggregate();
  u.attributedRoles = roles;
  u.lambdaSessions = lambda;
  return u;
}
const fn: Target = { kind: 'function', functionName: 'fn', display: 'function fn' };

describe('attribution check (no snapshot)', () => {
  it('one role: names it', () => {
    const r = checkAttribution(fn, usage({ [A]: 3 }));
    expect(r).toEqual({
      status: 'ok',
      target: { ...fn, roleArn: A, display: `function fn (role ${A})` },
      findings: [],
    });
  });

  it('no call: unchanged', () => {
    expect(checkAttribution(fn, usage({}))).toEqual({ status: 'ok', target: fn, findings: [] });
  });

  it('two roles, Lambda started fn on one: narrows to it and reports the other', () => {
    const r = checkAttribution(fn, usage({ [A]: 3, [B]: 2 }, { [A]: { fn: 1 } }));
    expect(r.status).toBe('narrow');
    if (r.status !== 'narrow') return;
    expect(r.target.roleArn).toBe(A);
    expect(r.findings.map((f) => [f.id, f.count])).toEqual([['PT-SESSION-ELSEWHERE[fn]', 2]]);
  });

  it('two roles, Lambda evidence for another session name only: ambiguous', () => {
    const r = checkAttribution(fn, usage({ [A]: 3, [B]: 2 }, { [A]: { other: 1 } }));
    expect(r.status).toBe('ambiguous');
  });

  it('two roles, both started by Lambda: ambiguous', () => {
    expect(checkAttribution(fn, usage({ [A]: 3, [B]: 2 }, { [A]: { fn: 1 }, [B]: { fn: 1 } })).status).toBe(
      'ambiguous',
    );
  });

  it('--role NAME across two accounts: ambiguous; one account: named', () => {
    const role: Target = { kind: 'role', roleName: 'fn-role', display: 'role fn-role' };
    expect(checkAttribution(role, usage({ [A]: 1, [C]: 1 })).status).toBe('ambiguous');
    const one = checkAttribution(role, usage({ [A]: 1 }));
    expect(one.status === 'ok' && one.target.roleArn).toBe(A);
  });

  it('with the role known, nothing to check', () => {
    const known: Target = { ...fn, roleArn: A };
    expect(checkAttribution(known, usage({ [A]: 1, [B]: 1 }))).toEqual({
      status: 'ok',
      target: known,
      findings: [],
    });
  });
});
