import { attribute, type Target } from '../../../src/attribution';
import type { Identity, TrailEvent } from '../../../src/model';

const ACCT = '111122223333';
function session(role: string, sess: string, extra: Partial<Identity> = {}): TrailEvent {
  return {
    eventId: 'x',
    eventTime: '2026-11-02T00:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    identity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCT}:assumed-role/${role}/${sess}`,
      issuerArn: `arn:aws:iam::${ACCT}:role/${role}`,
      issuerType: 'Role',
      sessionName: sess,
      ...extra,
    },
  };
}

describe('attribute', () => {
  const fn: Target = {
    kind: 'function',
    functionName: 'report-daily',
    roleArn: `arn:aws:iam::${ACCT}:role/reports-role`,
    display: '',
  };
  it.each([
    ['the function’s own session', session('reports-role', 'report-daily'), 'match'],
    [
      'a call made on its behalf (invokedBy)',
      session('reports-role', 'report-daily', { invokedBy: 'secretsmanager.amazonaws.com' }),
      'match',
    ],
    ['another function sharing the role', session('reports-role', 'report-weekly'), 'other-function'],
    ['another role', session('orders-api-role', 'report-daily'), 'no'],
  ])('%s', (_name, event, expected) => {
    expect(attribute(event, fn)).toBe(expected);
  });

  it('never attributes a service principal’s own calls', () => {
    const e = session('reports-role', 'report-daily');
    e.identity = { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' };
    expect(attribute(e, fn)).toBe('no');
    expect(attribute(e, { kind: 'role', roleName: 'reports-role', display: '' })).toBe('no');
  });

  it('matches a function by session name when no snapshot tells its role', () => {
    expect(
      attribute(session('any-role', 'report-daily'), {
        kind: 'function',
        functionName: 'report-daily',
        display: '',
      }),
    ).toBe('match');
    expect(
      attribute(session('any-role', 'other'), {
        kind: 'function',
        functionName: 'report-daily',
        display: '',
      }),
    ).toBe('no');
  });

  it('matches a role by name or ARN, and users by ARN', () => {
    expect(
      attribute(session('reports-role', 'a'), { kind: 'role', roleName: 'reports-role', display: '' }),
    ).toBe('match');
    expect(
      attribute(session('reports-role', 'a'), {
        kind: 'role',
        roleArn: `arn:aws:iam::${ACCT}:role/reports-role`,
        display: '',
      }),
    ).toBe('match');
    const user: TrailEvent = {
      ...session('r', 's'),
      identity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCT}:user/deployer` },
    };
    expect(
      attribute(user, { kind: 'user', userArn: `arn:aws:iam::${ACCT}:user/deployer`, display: '' }),
    ).toBe('match');
  });
});
