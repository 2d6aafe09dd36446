import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGenerate } from '../../src/pipeline/run-generate';

/**
 * RunInstances with an instance profile needs iam:PassRole on the profile's role, which only the
 * account snapshot names (InstanceProfileList): resolved from it, else `*` with a finding.
 */
const A = '123456789012';
const launcher = `arn:aws:iam::${A}:role/launcher`;
const web = `arn:aws:iam::${A}:role/web-role`;

function event() {
  return {
    eventVersion: '1.09',
    eventID: '11111111-1111-4111-8111-111111111111',
    eventTime: '2026-11-02T10:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    awsRegion: 'us-east-1',
    recipientAccountId: A,
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${A}:assumed-role/launcher/ci`,
      accountId: A,
      sessionContext: { sessionIssuer: { type: 'Role', arn: launcher, accountId: A, userName: 'launcher' } },
    },
    requestParameters: {
      instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890', minCount: 1, maxCount: 1 }] },
      iamInstanceProfile: { arn: `arn:aws:iam::${A}:instance-profile/web` },
    },
  };
}

describe('iam:PassRole of an instance profile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pt-profile-'));
    writeFileSync(path.join(dir, 'trail.json'), JSON.stringify({ Records: [event()] }));
    const snapshot = path.join(dir, 'account');
    mkdirSync(snapshot);
    writeFileSync(
      path.join(snapshot, 'authorization-details.json'),
      JSON.stringify({
        RoleDetailList: [
          { RoleName: 'launcher', Arn: launcher, RolePolicyList: [], AttachedManagedPolicies: [] },
          {
            RoleName: 'web-role',
            Arn: web,
            InstanceProfileList: [
              { InstanceProfileName: 'web', Arn: `arn:aws:iam::${A}:instance-profile/web` },
            ],
          },
        ],
        Policies: [],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const actions = (r: Awaited<ReturnType<typeof runGenerate>>, action: string) =>
    Object.values(r.usage.entries)
      .filter((e) => e.action === action)
      .map((e) => e.resource);

  it('resolves the role from the snapshot', async () => {
    const r = await runGenerate({
      role: launcher,
      trails: [path.join(dir, 'trail.json')],
      accountSnapshot: path.join(dir, 'account'),
      window: {},
    });
    expect(actions(r, 'iam:PassRole')).toEqual([web]);
  });

  it('without a snapshot: `*`, with a finding saying why', async () => {
    const r = await runGenerate({ role: launcher, trails: [path.join(dir, 'trail.json')], window: {} });
    expect(actions(r, 'iam:PassRole')).toEqual(['*']);
    expect(r.findings.find((f) => f.id === 'PT-UNRESOLVED-RESOURCE[iam:PassRole]')?.message).toMatch(
      /instance profile .*account snapshot/,
    );
  });
});
