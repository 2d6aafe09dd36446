import { copyFileSync, mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';

import { loadAccountSnapshot, parseAuthorizationDetails } from '../../../src/account/snapshot';
import { InputError, PolicyTightenError } from '../../../src/errors';
import { describeWithCorpora } from '../../helpers/corpora';
import { CORPORA, tmpDir } from './helpers';

const CLOUDSPLAINING = path.join(CORPORA, 'cloudsplaining-authz-details');
const CLOUDMAPPER = path.join(
  CORPORA,
  'cloudmapper-demo-authz-details/account-data/demo/us-east-1/iam-get-account-authorization-details.json',
);

let tmp: ReturnType<typeof tmpDir>;
beforeEach(() => {
  tmp = tmpDir('snapshot');
});
afterEach(() => tmp.cleanup());

function snapshotFrom(file: string): string {
  copyFileSync(file, path.join(tmp.dir, 'authorization-details.json'));
  return tmp.dir;
}
function write(name: string, content: unknown): void {
  writeFileSync(path.join(tmp.dir, name), typeof content === 'string' ? content : JSON.stringify(content));
}
async function loadError(dir: string): Promise<InputError> {
  try {
    await loadAccountSnapshot(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect(PolicyTightenError.is(e)).toBe(true);
    expect((e as Error).message).not.toMatch(/\n/);
    return e as InputError;
  }
  throw new Error('expected loadAccountSnapshot to fail');
}

const role = (name: string, extra: Record<string, unknown> = {}) => ({
  Path: '/',
  RoleName: name,
  Arn: `arn:aws:iam::111122223333:role/${name}`,
  RolePolicyList: [],
  AttachedManagedPolicies: [],
  ...extra,
});

describeWithCorpora('loadAccountSnapshot: real snapshots', () => {
  test('cloudsplaining example.json (78 roles, 44 users, 84 policies)', async () => {
    const state = await loadAccountSnapshot(
      snapshotFrom(path.join(CLOUDSPLAINING, 'examples/files/example.json')),
    );
    expect(state.roles).toHaveLength(78);
    expect(state.users).toHaveLength(44);
    expect(state.policies).toHaveLength(84);
    expect(state.functions).toEqual([]);
    expect(state.eventSourceMappings).toEqual([]);
    expect(state.roles.filter((r) => r.lastUsedDate)).toHaveLength(26);
    expect(state.roles.reduce((n, r) => n + r.inlinePolicies.length, 0)).toBe(36);
    expect(state.roles.reduce((n, r) => n + r.attachedPolicyArns.length, 0)).toBe(60);
    expect(state.roles.filter((r) => r.path.startsWith('/aws-service-role/'))).toHaveLength(8);
    expect(state.roles.filter((r) => r.path === '/aws-reserved/sso.amazonaws.com/')).toHaveLength(2);
    expect(state.policies.filter((p) => p.arn.startsWith('arn:aws:iam::aws:policy/'))).toHaveLength(38);
    expect(state.policies.every((p) => p.document && p.defaultVersionId)).toBe(true);
    // sorted, and dates normalised to ISO 8601
    expect(state.roles.map((r) => r.arn)).toEqual(state.roles.map((r) => r.arn).sort());
    expect(
      state.roles.every(
        (r) => !r.createDate || /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.createDate),
      ),
    ).toBe(true);

    const quickSetup = state.roles.find(
      (r) => r.roleName === 'AWS-QuickSetup-EnableCRecording-1clff_ap-northeast-1',
    );
    expect(quickSetup).toMatchObject({
      arn: 'arn:aws:iam::200611803367:role/AWS-QuickSetup-EnableCRecording-1clff_ap-northeast-1',
      path: '/',
      roleId: 'AROAS5NLFGDTVAEPEVY6N',
      createDate: '2022-08-07T12:55:43.000Z',
      trustPolicy: { Statement: [{ Principal: { Service: 'ssm.amazonaws.com' } }] },
    });
    expect(quickSetup!.inlinePolicies.map((p) => p.name)).toEqual([
      'AWS-QuickSetup-CFGRecording-PolicyForAutomation-ap-northeast-1-1clff',
      'SSMQuickSetupEnableExplorerInlinePolicy',
    ]);
    const policy = state.policies.find((p) => p.name === 'privesc8-AttachGroupPolicy');
    expect(policy).toEqual({
      arn: 'arn:aws:iam::200611803367:policy/privesc8-AttachGroupPolicy',
      name: 'privesc8-AttachGroupPolicy',
      defaultVersionId: 'v1',
      document: {
        Version: '2012-10-17',
        Statement: [{ Action: 'iam:AttachGroupPolicy', Effect: 'Allow', Resource: '*' }],
      },
    });
  });

  test('cloudsplaining test snapshot (3 roles, 32 policies)', async () => {
    const state = await loadAccountSnapshot(
      snapshotFrom(path.join(CLOUDSPLAINING, 'test/files/example-authz-details.json')),
    );
    expect([state.roles.length, state.users.length, state.policies.length]).toEqual([3, 3, 32]);
  });

  test('cloudmapper demo (4 roles, empty Path, no RoleLastUsed, a policy without Arn)', async () => {
    const state = await loadAccountSnapshot(snapshotFrom(CLOUDMAPPER));
    expect(state.roles.map((r) => [r.roleName, r.path])).toEqual([
      ['bad_role', '/'],
      ['exfiller', '/'],
      ['level3', '/'],
      ['level1', '/service-role/'],
    ]);
    expect(state.roles.some((r) => r.lastUsedDate)).toBe(false);
    expect(state.users.map((u) => u.userName)).toEqual(['USER', 'USER_WITH_BAD_INLINE_POLICY']);
    expect(state.policies.map((p) => p.arn)).toEqual([
      'arn:aws:iam::123456789012:policy/BAD_MFA_POLICY',
      'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM',
    ]);
    const ssm = state.policies[1];
    expect(ssm.defaultVersionId).toBe('v8');
    expect(JSON.stringify(ssm.document)).toContain('ssm:UpdateInstanceInformation');
    const bad = state.roles[0];
    expect(bad.attachedPolicyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM']);
    expect(bad.trustPolicy).toEqual({
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: '*' } }],
      Version: '2012-10-17',
    });
    expect(bad.inlinePolicies).toEqual([
      {
        name: 'dostuff',
        document: { Statement: [{ Action: ['*'], Effect: 'Allow', Resource: '*' }], Version: '2012-10-17' },
      },
    ]);
  });

  test('a JSON array that is not authorization details is rejected by name', async () => {
    const err = await loadError(
      snapshotFrom(
        path.join(
          CLOUDSPLAINING,
          'test/files/scanning/test_authorization_file_details_missing_constraints_v2.json',
        ),
      ),
    );
    expect(err.message).toMatch(
      /^authorization-details\.json: page 1: not the output of `aws iam get-account-authorization-details`/,
    );
  });
});

describe('loadAccountSnapshot: policy documents', () => {
  const doc = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
  };
  const trust = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };

  test('URL-encoded documents (raw IAM API) decode like CLI objects', async () => {
    write('authorization-details.json', {
      RoleDetailList: [
        role('fn-role', {
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
          RolePolicyList: [
            { PolicyName: 'inline', PolicyDocument: encodeURIComponent(JSON.stringify(doc, null, 2)) },
          ],
          AttachedManagedPolicies: [{ PolicyName: 'p', PolicyArn: 'arn:aws:iam::111122223333:policy/p' }],
          RoleLastUsed: { LastUsedDate: '2026-11-04T21:13:05+00:00', Region: 'eu-west-1' },
        }),
      ],
      UserDetailList: [],
      Policies: [
        {
          PolicyName: 'p',
          Arn: 'arn:aws:iam::111122223333:policy/p',
          DefaultVersionId: 'v2',
          PolicyVersionList: [
            { VersionId: 'v1', IsDefaultVersion: false, Document: encodeURIComponent('{"Statement":[]}') },
            { VersionId: 'v2', IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify(doc)) },
          ],
        },
      ],
    });
    const state = await loadAccountSnapshot(tmp.dir);
    expect(state.roles[0]).toEqual({
      roleName: 'fn-role',
      arn: 'arn:aws:iam::111122223333:role/fn-role',
      path: '/',
      lastUsedDate: '2026-11-04T21:13:05.000Z',
      lastUsedRegion: 'eu-west-1',
      trustPolicy: trust,
      inlinePolicies: [{ name: 'inline', document: doc }],
      attachedPolicyArns: ['arn:aws:iam::111122223333:policy/p'],
    });
    expect(state.policies[0]).toEqual({
      arn: 'arn:aws:iam::111122223333:policy/p',
      name: 'p',
      defaultVersionId: 'v2',
      document: doc,
    });
  });

  test('without IsDefaultVersion the DefaultVersionId picks the version', () => {
    const s = parseAuthorizationDetails({
      Policies: [
        {
          PolicyName: 'p',
          Arn: 'arn:aws:iam::111122223333:policy/p',
          DefaultVersionId: 'v3',
          PolicyVersionList: [
            { VersionId: 'v1', Document: { Statement: [] } },
            { VersionId: 'v3', Document: doc },
          ],
        },
      ],
    });
    expect(s.policies[0].document).toEqual(doc);
  });

  test('several pages in one file are merged', () => {
    const s = parseAuthorizationDetails([
      { RoleDetailList: [role('b')], UserDetailList: [], Policies: [], IsTruncated: true, Marker: 'x' },
      {
        RoleDetailList: [role('a'), role('b')],
        UserDetailList: [{ UserName: 'u', Arn: 'arn:aws:iam::111122223333:user/u' }],
      },
    ]);
    expect(s.roles.map((r) => r.roleName)).toEqual(['a', 'b']);
    expect(s.users).toEqual([
      {
        userName: 'u',
        arn: 'arn:aws:iam::111122223333:user/u',
        inlinePolicies: [],
        attachedPolicyArns: [],
        groupNames: [],
      },
    ]);
  });

  test('an undecodable document names the role and policy', async () => {
    write('authorization-details.json', {
      RoleDetailList: [
        role('fn-role', {
          RolePolicyList: [{ PolicyName: 'broken', PolicyDocument: '%7B%22Version%22%3A' }],
        }),
      ],
    });
    const err = await loadError(tmp.dir);
    expect(err.message).toMatch(
      /^authorization-details\.json: role fn-role: inline policy broken: policy document cannot be decoded/,
    );
  });

  test('an undecodable managed policy version names the policy', () => {
    expect(() =>
      parseAuthorizationDetails({
        Policies: [
          {
            PolicyName: 'p',
            Arn: 'arn:aws:iam::111122223333:policy/p',
            PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: 'not json' }],
          },
        ],
      }),
    ).toThrow(/policy p version v1: policy document cannot be decoded/);
  });
});

describe('loadAccountSnapshot: errors', () => {
  test('missing directory', async () => {
    const dir = path.join(tmp.dir, 'nope');
    expect((await loadError(dir)).message).toBe(`account snapshot not found: ${dir}`);
  });

  test('a file instead of a directory', async () => {
    write('x.json', '{}');
    expect((await loadError(path.join(tmp.dir, 'x.json'))).message).toMatch(
      /^account snapshot is not a directory: /,
    );
  });

  test('missing authorization-details.json says how to make it', async () => {
    write('functions.json', { Functions: [] });
    const err = await loadError(tmp.dir);
    expect(err.message).toContain('authorization-details.json');
    expect(err.message).toContain(
      `aws iam get-account-authorization-details > ${path.join(tmp.dir, 'authorization-details.json')}`,
    );
  });

  test('invalid JSON names the file', async () => {
    write('authorization-details.json', '{"RoleDetailList": [');
    expect((await loadError(tmp.dir)).message).toMatch(/^authorization-details\.json: invalid JSON \(/);
  });

  test('empty file', async () => {
    write('authorization-details.json', '  \n');
    expect((await loadError(tmp.dir)).message).toBe('authorization-details.json: file is empty');
  });

  test('wrong shape: object without the GAAD lists', async () => {
    write('authorization-details.json', { Roles: [] });
    expect((await loadError(tmp.dir)).message).toMatch(/^authorization-details\.json: not the output of/);
  });

  test('wrong shape: a list that is not an array', async () => {
    write('authorization-details.json', { RoleDetailList: {} });
    expect((await loadError(tmp.dir)).message).toBe(
      'authorization-details.json: RoleDetailList is not an array',
    );
  });

  test('wrong shape: role without a name', async () => {
    write('authorization-details.json', { RoleDetailList: [{ Arn: 'arn:aws:iam::111122223333:role/x' }] });
    expect((await loadError(tmp.dir)).message).toBe(
      'authorization-details.json: RoleDetailList[0] has no RoleName or Arn',
    );
  });

  test('invalid functions file names the file', async () => {
    write('authorization-details.json', { RoleDetailList: [] });
    write('functions-eu-west-1.json', '{"Functions": [}');
    expect((await loadError(tmp.dir)).message).toMatch(/^functions-eu-west-1\.json: invalid JSON/);
  });

  test('functions file of the wrong shape', async () => {
    write('authorization-details.json', { RoleDetailList: [] });
    write('functions.json', { EventSourceMappings: [] });
    expect((await loadError(tmp.dir)).message).toBe(
      'functions.json: not the output of `aws lambda list-functions` (expected {"Functions": […]})',
    );
  });

  test('event source mappings file of the wrong shape', async () => {
    write('authorization-details.json', { RoleDetailList: [] });
    write('event-source-mappings.json', { EventSourceMappings: [{ FunctionArn: 'x' }] });
    expect((await loadError(tmp.dir)).message).toBe(
      'event-source-mappings.json: EventSourceMappings[0] has no UUID or FunctionArn',
    );
  });
});

describe('loadAccountSnapshot: functions and event source mappings', () => {
  const fn = (name: string, region: string, roleName: string, extra: Record<string, unknown> = {}) => ({
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:${region}:111122223333:function:${name}`,
    Runtime: 'nodejs20.x',
    Role: `arn:aws:iam::111122223333:role/${roleName}`,
    Handler: 'index.handler',
    ...extra,
  });

  test('any number of functions*.json files, region from the ARN, raw config kept', async () => {
    write('authorization-details.json', { RoleDetailList: [role('a-role'), role('b-role')] });
    write('functions-us-east-1.json', {
      Functions: [fn('zeta', 'us-east-1', 'a-role'), fn('alpha', 'us-east-1', 'b-role')],
    });
    write('functions-eu-west-1.json', { Functions: [fn('alpha', 'eu-west-1', 'b-role', { Timeout: 30 })] });
    // the same function listed twice counts once
    write('functions.json', [{ Functions: [fn('zeta', 'us-east-1', 'a-role')] }]);
    mkdirSync(path.join(tmp.dir, 'functions-old'));
    write('notes.txt', 'ignored');
    const state = await loadAccountSnapshot(tmp.dir);
    expect(state.functions.map((f) => [f.name, f.region, f.roleArn, f.runtime])).toEqual([
      ['alpha', 'eu-west-1', 'arn:aws:iam::111122223333:role/b-role', 'nodejs20.x'],
      ['alpha', 'us-east-1', 'arn:aws:iam::111122223333:role/b-role', 'nodejs20.x'],
      ['zeta', 'us-east-1', 'arn:aws:iam::111122223333:role/a-role', 'nodejs20.x'],
    ]);
    expect(state.functions[0].config).toEqual(fn('alpha', 'eu-west-1', 'b-role', { Timeout: 30 }));
  });

  test('event-source-mappings*.json is optional and parsed when present', async () => {
    write('authorization-details.json', { RoleDetailList: [] });
    const m = {
      UUID: '6f1e2d3c-0000-4000-8000-000000000001',
      BatchSize: 10,
      EventSourceArn: 'arn:aws:sqs:us-east-1:111122223333:jobs',
      FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:worker',
      State: 'Enabled',
    };
    write('event-source-mappings-us-east-1.json', { EventSourceMappings: [m] });
    const state = await loadAccountSnapshot(tmp.dir);
    expect(state.eventSourceMappings).toEqual([
      {
        uuid: m.UUID,
        functionArn: m.FunctionArn,
        eventSourceArn: m.EventSourceArn,
        state: 'Enabled',
        config: m,
      },
    ]);
  });

  test('a function without Role is rejected by name', async () => {
    write('authorization-details.json', { RoleDetailList: [] });
    write('functions.json', {
      Functions: [{ FunctionName: 'f', FunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:f' }],
    });
    expect((await loadError(tmp.dir)).message).toBe('functions.json: function f has no Role');
  });
});
