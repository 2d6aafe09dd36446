import { accountStateFrom, parseAuthorizationDetails } from '../../../src/account/snapshot';
import { currentPoliciesOfUser } from '../../../src/account/current-policies';
import { InputError } from '../../../src/errors';

// Field names as in botocore iam/2010-05-08 service-2.json (UserDetail, GroupDetail, PolicyDetail,
// AttachedPolicy, AttachedPermissionsBoundary).
const ACCOUNT = '111122223333';
const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }] };

const details = {
  UserDetailList: [
    {
      Path: '/',
      UserName: 'zed',
      UserId: 'AIDAZED',
      Arn: `arn:aws:iam::${ACCOUNT}:user/zed`,
      CreateDate: '2024-01-01T00:00:00Z',
    },
    {
      Path: '/',
      UserName: 'alice',
      UserId: 'AIDAALICE',
      Arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      CreateDate: '2024-01-01T00:00:00Z',
      // URL-encoded, as the IAM API returns it.
      UserPolicyList: [
        { PolicyName: 'z-own', PolicyDocument: encodeURIComponent(JSON.stringify(doc)) },
        { PolicyName: 'a-own', PolicyDocument: doc },
      ],
      GroupList: ['ops', 'deployers', 'ops'],
      AttachedManagedPolicies: [
        { PolicyName: 'deploy', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy` },
        { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      ],
      PermissionsBoundary: {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
      },
      Tags: [{ Key: 'k', Value: 'v' }],
    },
  ],
  GroupDetailList: [
    {
      Path: '/',
      GroupName: 'ops',
      GroupId: 'AGPAOPS',
      Arn: `arn:aws:iam::${ACCOUNT}:group/ops`,
      CreateDate: '2024-01-01T00:00:00Z',
      GroupPolicyList: [{ PolicyName: 'g', PolicyDocument: encodeURIComponent(JSON.stringify(doc)) }],
      AttachedManagedPolicies: [],
    },
    {
      Path: '/',
      GroupName: 'deployers',
      GroupId: 'AGPADEP',
      Arn: `arn:aws:iam::${ACCOUNT}:group/deployers`,
      CreateDate: '2024-01-01T00:00:00Z',
      GroupPolicyList: [],
      AttachedManagedPolicies: [{ PolicyName: 'deploy', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy` }],
    },
  ],
  RoleDetailList: [],
  Policies: [],
};

describe('parseAuthorizationDetails: users and groups', () => {
  const iam = parseAuthorizationDetails(details);

  it("keeps each user's inline policies (decoded), attached policies, groups and boundary, sorted", () => {
    expect(iam.users).toEqual([
      {
        userName: 'alice',
        arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
        inlinePolicies: [
          { name: 'a-own', document: doc },
          { name: 'z-own', document: doc },
        ],
        attachedPolicyArns: [
          `arn:aws:iam::${ACCOUNT}:policy/deploy`,
          'arn:aws:iam::aws:policy/ReadOnlyAccess',
        ],
        groupNames: ['deployers', 'ops'],
        permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
      },
      {
        userName: 'zed',
        arn: `arn:aws:iam::${ACCOUNT}:user/zed`,
        inlinePolicies: [],
        attachedPolicyArns: [],
        groupNames: [],
      },
    ]);
  });

  it('keeps the groups with their inline and attached policies, sorted by ARN', () => {
    expect(iam.groups).toEqual([
      {
        groupName: 'deployers',
        arn: `arn:aws:iam::${ACCOUNT}:group/deployers`,
        inlinePolicies: [],
        attachedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/deploy`],
      },
      {
        groupName: 'ops',
        arn: `arn:aws:iam::${ACCOUNT}:group/ops`,
        inlinePolicies: [{ name: 'g', document: doc }],
        attachedPolicyArns: [],
      },
    ]);
  });

  it('no groups: the state has none (the field is left out)', () => {
    expect(parseAuthorizationDetails({ ...details, GroupDetailList: [] }).groups).toBeUndefined();
  });

  it('malformed entries are one InputError line naming the user or group', () => {
    expect(() => parseAuthorizationDetails({ UserDetailList: [{ UserName: 'u' }] })).toThrow(
      /UserDetailList\[0\] has no UserName or Arn/,
    );
    expect(() => parseAuthorizationDetails({ GroupDetailList: [{ GroupName: 'g' }] })).toThrow(
      /GroupDetailList\[0\] has no GroupName or Arn/,
    );
    expect(() =>
      parseAuthorizationDetails({
        UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::1:user/u', UserPolicyList: [{}] }],
      }),
    ).toThrow(InputError);
    expect(() =>
      parseAuthorizationDetails({
        UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::1:user/u', GroupList: [3] }],
      }),
    ).toThrow(/user u: GroupList\[0\] is not a group name/);
  });

  it('the account state carries them; currentPoliciesOfUser reads own, group and boundary policies', () => {
    const state = accountStateFrom({
      authorizationDetails: details,
      functions: [],
      mappings: [],
      metrics: [],
    } as unknown as Parameters<typeof accountStateFrom>[0]);
    expect(state.groups?.map((g) => g.groupName)).toEqual(['deployers', 'ops']);
    const cp = currentPoliciesOfUser(state, `arn:aws:iam::${ACCOUNT}:user/alice`)!;
    expect(cp.identity.map((p) => p.ref.name)).toEqual(['a-own', 'z-own', 'ops/g']);
    expect(cp.unknown).toEqual([
      `arn:aws:iam::${ACCOUNT}:policy/boundary`,
      `arn:aws:iam::${ACCOUNT}:policy/deploy`,
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
  });
});
