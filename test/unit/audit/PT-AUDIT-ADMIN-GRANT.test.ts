import { rule } from '../../../src/audit/rules/PT-AUDIT-ADMIN-GRANT';
import { fn, input, role, state } from './fixtures-roles';

describe('PT-AUDIT-ADMIN-GRANT', () => {
  it('needs nothing (configuration only) and is high', () => {
    expect(rule.needs).toEqual([]);
    expect(rule.severity).toBe('high');
  });

  it.each([
    ['scoped grant: passes', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }], undefined],
    ['"*" on "*": fails', [{ Effect: 'Allow', Action: '*', Resource: '*' }], 'Action "*" on Resource "*"'],
    [
      '"*:*" on "*": fails',
      [{ Effect: 'Allow', Action: ['*:*'], Resource: ['*'] }],
      'Action "*" on Resource "*"',
    ],
    [
      'iam:* on one role: fails',
      [{ Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::1:role/x' }],
      'iam:*',
    ],
    ['NotAction on "*": fails', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], 'NotAction iam:*'],
    ['Deny "*" on "*": passes', [{ Effect: 'Deny', Action: '*', Resource: '*' }], undefined],
    ['"*" on one bucket: passes', [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }], undefined],
  ])('%s', async (_n, statements, expected) => {
    const out = await rule.check(await input(state([role('r', statements)], [fn('a', 'r')])));
    if (!expected) expect(out).toEqual([]);
    else {
      expect(out).toHaveLength(1);
      expect(out[0].severity).toBe('high');
      expect(out[0].evidence[0]).toContain(expected);
      expect(out[0].evidence[0]).toContain('inline:p statement 1');
      expect(out[0].fix).toContain('policy-tighten generate --function a …');
    }
  });

  it('names AdministratorAccess attached without its document, and the boundary', async () => {
    const r = role('r', [], {
      attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    });
    const [f] = await rule.check(await input(state([r], [fn('a', 'r')])));
    expect(f.evidence).toContain(
      'attached AWS managed policy AdministratorAccess (full administrator access)',
    );
  });

  it('a role no function uses is not an execution role here', async () => {
    const out = await rule.check(
      await input(state([role('r', [{ Effect: 'Allow', Action: '*', Resource: '*' }])])),
    );
    expect(out).toEqual([]);
  });
});
