import { rule } from '../../../src/audit/rules/PT-AUDIT-OVER-PRIVILEGED';
import { fn, fnArn, permissions, report, role, roleArn, state, trailInput, usage } from './fixtures-roles';

const S = state([role('r')], [fn('a', 'r')]);
const U = usage({ r: { a: { count: 5, actions: ['s3:GetObject'] } } });

describe('PT-AUDIT-OVER-PRIVILEGED', () => {
  it('needs the trail', () => expect(rule.needs).toEqual(['trail']));

  it('passes when nothing granted went unused', async () => {
    const r = report({ unusedPermissions: [permissions('r', { unused: 0, unusedShare: 0, used: 10 })] });
    expect(await rule.check(await trailInput(S, U, r))).toEqual([]);
  });

  it('fails with the share, unobservable apart, and unused write / permissions management named', async () => {
    const p = permissions('r', {
      granted: 12,
      used: 2,
      unused: 8,
      unobservable: 2,
      unusedShare: 0.8,
      unusedActions: ['iam:PutRolePolicy', 's3:DeleteObject', 's3:PutObject', 's3:ListBucket'],
      unusedByService: { s3: 3, iam: 1 },
      unobservableActions: ['logs:PutLogEvents'],
    });
    const [f] = await rule.check(await trailInput(S, U, report({ unusedPermissions: [p] })));
    expect(f.severity).toBe('medium');
    expect(f.message).toBe(
      'r grants 8 actions its functions did not use in the window (80% of its observable grant), 3 of them write or permissions management',
    );
    expect(f.evidence).toContain(
      'Permissions management access granted and never used: 1 actions: iam:PutRolePolicy',
    );
    expect(f.evidence).toContain(
      'Write access granted and never used: 2 actions: s3:DeleteObject, s3:PutObject',
    );
    expect(f.evidence.join('\n')).toContain('2 more granted and unused but of a kind this trail cannot show');
    expect(f.fix).toContain('policy-tighten generate --function a …');
  });

  it.each([
    [
      'the report does not judge the role',
      report({ rolesNotJudged: [{ name: 'r', arn: roleArn('r'), reason: 'created inside the window' }] }),
      undefined,
      'does not judge r',
    ],
    [
      'a function changed inside the window',
      report({ functionsNotJudged: [{ name: 'a', arn: fnArn('a'), reason: 'modified' }] }),
      undefined,
      'does not judge a (us-east-1)',
    ],
    ['a partial read', report({ coverage: { ...report().coverage, partial: true } }), undefined, 'partial'],
    [
      'a short window',
      report(),
      { since: '2026-11-24T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' },
      'the window is 7 days',
    ],
  ])('not judged (info, never medium): %s', async (_n, base, window, reason) => {
    const r = { ...base, unusedPermissions: [permissions('r', { unusedActions: ['s3:DeleteObject'] })] };
    const [f] = await rule.check(await trailInput(S, U, r, window));
    expect(f.severity).toBe('info');
    expect(f.evidence.join('\n')).toContain(reason);
  });

  it('an idle role is left to PT-AUDIT-UNUSED-ROLE (info)', async () => {
    const r = report({ unusedPermissions: [permissions('r', { idle: true })] });
    const [f] = await rule.check(await trailInput(S, usage(), r));
    expect(f.severity).toBe('info');
    expect(f.evidence[0]).toContain('see PT-AUDIT-UNUSED-ROLE');
  });

  it('says "at least" when the listing was cut inside write access', async () => {
    const p = permissions('r', { unused: 900, unusedActions: ['s3:DeleteObject', 's3:PutObject'] });
    const [f] = await rule.check(await trailInput(S, U, report({ unusedPermissions: [p] })));
    expect(f.message).toContain('at least 2 of them');
  });
});
