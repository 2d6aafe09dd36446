import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, SAMPLE_TRAIL, SAMPLE_WINDOW, sampleRecords } from '../helpers/cli';

/**
 * Attribution that cannot be spoofed or merged (no snapshot): a session named after the function
 * under another role never adds that role's calls; ambiguity is a usage error; no data is never 0.
 */
type Rec = Record<string, unknown> & { userIdentity: Record<string, unknown>; eventID: string };

const records = (): Rec[] => sampleRecords() as Rec[];

/** A copy of an orders-api call, made by `roleArn` with a session named orders-api. */
function spoofed(base: Rec, roleArn: string, n: number): Rec {
  const account = roleArn.split(':')[4];
  const role = roleArn.split('/').pop();
  return {
    ...base,
    eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    eventName: 'DeleteTable',
    requestParameters: { tableName: 'customers' },
    resources: undefined,
    recipientAccountId: account,
    userIdentity: {
      ...base.userIdentity,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/orders-api`,
      accountId: account,
      sessionContext: {
        sessionIssuer: { type: 'Role', arn: roleArn, accountId: account, userName: role },
        attributes: { creationDate: '2026-11-02T00:00:00Z', mfaAuthenticated: 'false' },
      },
    },
  };
}

const generate = (trails: string[], extra: string[] = []) =>
  runCli(['generate', ...trails.flatMap((t) => ['--trail', t]), '--offline', ...SAMPLE_WINDOW, ...extra]);

describe('attribution without a snapshot', () => {
  let dir: string;
  let base: Rec;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pt-attr-'));
    base = records().find(
      (r) =>
        r.eventName === 'GetItem' &&
        String((r.userIdentity as { arn?: string }).arn).endsWith('/orders-api') &&
        r.awsRegion === 'us-east-1',
    ) as Rec;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('excludes another role’s sessions named after the function, and says so', () => {
    const extra = path.join(dir, 'spoof.json');
    writeFileSync(
      extra,
      JSON.stringify({
        Records: [1, 2, 3].map((n) => spoofed(base, 'arn:aws:iam::111122223333:role/admin', n)),
      }),
    );
    const r = generate([SAMPLE_TRAIL, extra], ['--function', 'orders-api']);
    expect(r.stderr).toMatch(/PT-SESSION-ELSEWHERE\[orders-api\]/);
    expect(r.stderr).toMatch(/arn:aws:iam::111122223333:role\/admin \(3 events\)/);
    expect(r.stderr).toMatch(/function orders-api \(role arn:aws:iam::111122223333:role\/orders-api-role\)/);
    expect(r.stdout).not.toContain('dynamodb:DeleteTable');
    expect(r.stdout).toContain('dynamodb:GetItem');
    expect(r.status).toBe(0);
  });

  it('is a usage error when the trail cannot tell which role runs the function', () => {
    // Given only the function's calls (no Lambda AssumeRole records) and a spoofed role's calls
    const only = path.join(dir, 'no-assume');
    mkdirSync(only);
    const calls = records().filter((r) => r.eventName !== 'AssumeRole');
    writeFileSync(
      path.join(only, 'trail.json'),
      JSON.stringify({ Records: [...calls, spoofed(base, 'arn:aws:iam::111122223333:role/admin', 9)] }),
    );
    const r = generate([only], ['--function', 'orders-api']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/appear under 2 roles .*pass --role ARN or --account-snapshot/);
    expect(r.stdout).toBe('');
  });

  it('--role NAME matching roles of two accounts is a usage error asking for the ARN', () => {
    const other = path.join(dir, 'org.json');
    writeFileSync(
      other,
      JSON.stringify({ Records: [spoofed(base, 'arn:aws:iam::444455556666:role/orders-api-role', 20)] }),
    );
    const r = generate([SAMPLE_TRAIL, other], ['--role', 'orders-api-role']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/role orders-api-role exists in 2 accounts .*pass the role ARN/);
  });

  it('no call of the target: one clear line and exit 6, never an empty policy on 0', () => {
    const r = generate([SAMPLE_TRAIL], ['--function', 'no-such-function']);
    expect(r.status).toBe(6);
    expect(r.stderr).toMatch(/NO DATA: no call of function no-such-function/);
  });
});
