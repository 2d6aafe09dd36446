import { currentPoliciesOf } from '../../../src/account/current-policies';
import { parseAuthorizationDetails } from '../../../src/account/snapshot';
import type { AccountState } from '../../../src/model';

const A = '111122223333';
const doc = (action: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
});

function state(): AccountState {
  const iam = parseAuthorizationDetails({
    RoleDetailList: [
      {
        RoleName: 'fn-role',
        Arn: `arn:aws:iam::${A}:role/fn-role`,
        CreateDate: '2025-01-01T00:00:00Z',
        RolePolicyList: [{ PolicyName: 'inline-one', PolicyDocument: doc('s3:GetObject') }],
        AttachedManagedPolicies: [
          { PolicyName: 'mine', PolicyArn: `arn:aws:iam::${A}:policy/mine` },
          {
            PolicyName: 'AWSLambdaBasicExecutionRole',
            PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          },
          { PolicyName: 'Unknown', PolicyArn: 'arn:aws:iam::aws:policy/SomethingNotInTheSnapshot' },
        ],
        PermissionsBoundary: {
          PermissionsBoundaryType: 'Policy',
          PermissionsBoundaryArn: `arn:aws:iam::${A}:policy/boundary`,
        },
      },
    ],
    Policies: [
      {
        PolicyName: 'mine',
        Arn: `arn:aws:iam::${A}:policy/mine`,
        DefaultVersionId: 'v2',
        PolicyVersionList: [
          { VersionId: 'v1', IsDefaultVersion: false, Document: doc('dynamodb:*') },
          { VersionId: 'v2', IsDefaultVersion: true, Document: doc('dynamodb:GetItem') },
        ],
      },
      {
        PolicyName: 'boundary',
        Arn: `arn:aws:iam::${A}:policy/boundary`,
        DefaultVersionId: 'v1',
        PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc('s3:*') }],
      },
    ],
  });
  return { ...iam, functions: [], eventSourceMappings: [] };
}

describe('current policies of a role', () => {
  it('inline, attached managed at the default version only, AWS managed from the bundle, the boundary, unknowns listed', () => {
    const c = currentPoliciesOf(state(), 'fn-role');
    expect(c?.identity.map((p) => [p.ref.kind, p.ref.name, p.ref.versionId])).toEqual([
      ['inline', 'inline-one', undefined],
      ['managed', 'mine', 'v2'],
      ['aws-managed', 'AWSLambdaBasicExecutionRole', 'v1'],
    ]);
    // Only the default version counts: v1's dynamodb:* is not a current grant
    expect(JSON.stringify(c?.identity)).not.toContain('dynamodb:*');
    expect(c?.boundary?.ref).toEqual({
      kind: 'boundary',
      name: 'boundary',
      arn: `arn:aws:iam::${A}:policy/boundary`,
      versionId: 'v1',
    });
    expect(c?.unknown).toEqual(['arn:aws:iam::aws:policy/SomethingNotInTheSnapshot']);
    expect(c?.createDate).toBe('2025-01-01T00:00:00.000Z');
  });

  it('an unknown role has none', () => {
    expect(currentPoliciesOf(state(), 'nobody')).toBeUndefined();
  });
});
