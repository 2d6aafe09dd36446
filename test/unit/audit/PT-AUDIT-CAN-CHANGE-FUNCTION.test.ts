import { rule } from '../../../src/audit/rules/PT-AUDIT-CAN-CHANGE-FUNCTION';
import { grantsOn, rolePolicies, userPolicies } from '../../../src/audit/exposure/can-change';
import { currentPoliciesOfUser } from '../../../src/account/current-policies';
import type { AuditFinding } from '../../../src/audit';
import type {
  AccountAggregate,
  AccountState,
  GroupInfo,
  ManagedPolicyInfo,
  PolicyDocument,
  UserInfo,
} from '../../../src/model';
import { emptyAccountAggregate, principalActivity } from '../../../src/usage';
import { simulate } from '../../property/simulate';
import { ACCOUNT, fn, input, LAMBDA_TRUST, REGION, role, roleArn, state } from './fixtures-exposure';

const API = fn('api', 'api-role');
const WORKER = fn('worker', 'worker-role');

function run(roles: ReturnType<typeof role>[], extra: Parameters<typeof input>[1] = {}) {
  const s = state({ roles, functions: [API, WORKER] });
  return (rule.check(input(s, extra)) as AuditFinding[]).filter((f) => f.subject.arn === API.arn);
}

const ALLOW_UPDATE = { Effect: 'Allow', Action: 'lambda:UpdateFunctionCode', Resource: API.arn };

describe('PT-AUDIT-CAN-CHANGE-FUNCTION', () => {
  const cases: [string, Record<string, unknown>[], string | undefined, RegExp | undefined][] = [
    ['no grant', [{ Effect: 'Allow', Action: 'lambda:GetFunction', Resource: '*' }], undefined, undefined],
    ['UpdateFunctionCode on the ARN', [ALLOW_UPDATE], 'medium', /deployer: update-code \(/],
    [
      'lambda:Update* on *',
      [{ Effect: 'Allow', Action: 'lambda:Update*', Resource: '*' }],
      'medium',
      /update-code, update-configuration/,
    ],
    [
      'AddPermission',
      [
        {
          Effect: 'Allow',
          Action: 'lambda:AddPermission',
          Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:*`,
        },
      ],
      'medium',
      /add-permission/,
    ],
    [
      'another function only',
      [{ Effect: 'Allow', Action: 'lambda:*', Resource: WORKER.arn }],
      undefined,
      undefined,
    ],
    [
      'denied explicitly',
      [
        { Effect: 'Allow', Action: 'lambda:*', Resource: '*' },
        { Effect: 'Deny', Action: 'lambda:*', Resource: API.arn },
      ],
      undefined,
      undefined,
    ],
    [
      'conditional grant reported as conditional',
      [{ ...ALLOW_UPDATE, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
      'medium',
      /deployer: conditional: update-code/,
    ],
    [
      'PassRole on the execution role alone is not enough',
      [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn('api-role') }],
      undefined,
      undefined,
    ],
    [
      'PassRole + CreateFunction',
      [
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn('api-role') },
        { Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: '*' },
      ],
      'medium',
      /pass-role-create-function/,
    ],
    [
      'PassRole conditioned on iam:PassedToService lambda counts as allowed',
      [
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: '*',
          Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        },
        { Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: API.arn },
      ],
      'medium',
      /deployer: pass-role-create-function \(/,
    ],
    [
      'PassRole conditioned otherwise stays conditional',
      [
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/team': 'a' } },
        },
        { Effect: 'Allow', Action: 'lambda:CreateFunction', Resource: '*' },
      ],
      'medium',
      /conditional: pass-role-create-function/,
    ],
  ];

  it.each(cases)('%s', (_n, statements, expected, evidence) => {
    const findings = run([role('deployer', statements)]);
    if (expected === undefined) return expect(findings).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe(expected);
    expect(findings[0].id).toBe(`PT-AUDIT-CAN-CHANGE-FUNCTION[${API.arn}]`);
    if (evidence) expect(findings[0].evidence.join('\n')).toMatch(evidence);
  });

  it("another function's execution role that can change it: high", () => {
    const [f] = run([
      role('worker-role', [ALLOW_UPDATE], { trustPolicy: LAMBDA_TRUST }),
      role('deployer', [ALLOW_UPDATE]),
    ]);
    expect(f.severity).toBe('high');
    expect(f.message).toContain('2 roles can change api');
    expect(f.message).toContain("1 of them a workload's role (worker-role)");
    expect(f.evidence[0]).toBe(`${roleArn('deployer')}: update-code (not a workload role)`);
    expect(f.evidence[1]).toBe(`${roleArn('worker-role')}: update-code (execution role of worker)`);
    expect(f.fix).toContain('policy-tighten generate --function worker');
  });

  it('its own execution role that can update it is a finding, not excluded', () => {
    const [f] = run([role('api-role', [ALLOW_UPDATE], { trustPolicy: LAMBDA_TRUST })]);
    expect(f.severity).toBe('high');
    expect(f.evidence[0]).toContain('(its own execution role)');
  });

  it('a workload role with only a conditional grant stays medium', () => {
    const [f] = run([
      role('worker-role', [
        { ...ALLOW_UPDATE, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
      ]),
    ]);
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('(1 only under a condition)');
  });

  it('a permissions boundary caps the grant', () => {
    const boundary = {
      arn: `arn:aws:iam::${ACCOUNT}:policy/b`,
      name: 'b',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] },
    };
    const s = state({
      roles: [role('deployer', [ALLOW_UPDATE], { permissionsBoundaryArn: boundary.arn })],
      policies: [boundary],
      functions: [API],
    });
    expect(rule.check(input(s))).toEqual([]);
  });

  it('caps the list, sorted, with a count; notes IAM users and unknown managed policies', () => {
    const roles = Array.from({ length: 23 }, (_, i) =>
      role(`r${String(i).padStart(2, '0')}`, [ALLOW_UPDATE]),
    );
    roles.push(role('opaque', [], { attachedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/missing`] }));
    const s = state({
      roles,
      functions: [API],
      users: [{ userName: 'alice', arn: `arn:aws:iam::${ACCOUNT}:user/alice` }],
    });
    const [f] = rule.check(input(s)) as AuditFinding[];
    expect(f.evidence[0].startsWith(roleArn('r00'))).toBe(true);
    expect(f.evidence[19].startsWith(roleArn('r19'))).toBe(true);
    expect(f.evidence[20]).toBe('… and 3 more roles');
    expect(f.evidence.join('\n')).toContain(
      '1 role holds managed policies the account state lacks, not judged for them: opaque',
    );
    expect(f.evidence.join('\n')).toContain('1 IAM user not judged');
  });

  it('with a trail: who called the APIs in the region, without claiming which function', () => {
    const usage: AccountAggregate = emptyAccountAggregate();
    const p = principalActivity(usage, roleArn('deployer'));
    p.usage.entries['lambda:UpdateFunctionCode *'] = {
      action: 'lambda:UpdateFunctionCode',
      resource: '*',
      count: 4,
      firstSeen: '2026-11-01T00:00:00Z',
      lastSeen: '2026-11-02T00:00:00Z',
      regions: [REGION],
      sampleEventIds: [],
      origins: [],
      notes: [],
    };
    const q = principalActivity(usage, roleArn('elsewhere'));
    q.usage.entries['lambda:UpdateFunctionCode *'] = {
      ...p.usage.entries['lambda:UpdateFunctionCode *'],
      regions: ['eu-west-1'],
    };
    const [f] = run([role('deployer', [ALLOW_UPDATE])], {
      usage,
      window: { since: '2026-11-01T00:00:00.000Z', until: '2026-11-30T00:00:00.000Z' },
    });
    expect(f.basis).toBe('configuration and trail');
    expect(f.evidence).toContain(`${roleArn('deployer')} called lambda:UpdateFunctionCode 4× in ${REGION}`);
    expect(f.evidence.join('\n')).toContain('not necessarily this one');
    expect(f.evidence.join('\n')).not.toContain('elsewhere');
  });

  it('is deterministic', () => {
    const roles = [role('b', [ALLOW_UPDATE]), role('a', [ALLOW_UPDATE])];
    expect(JSON.stringify(run(roles))).toBe(JSON.stringify(run([...roles].reverse())));
  });
});

describe('PT-AUDIT-CAN-CHANGE-FUNCTION against @cloud-copilot/iam-simulate', () => {
  // Unconditional cases: the rule's `allowed` must be the simulator's Allowed, and nothing else.
  const docs: [string, Record<string, unknown>[]][] = [
    ['exact ARN', [ALLOW_UPDATE]],
    ['wildcard action and resource', [{ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }]],
    ['NotAction', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]],
    ['NotResource excluding the function', [{ Effect: 'Allow', Action: 'lambda:*', NotResource: API.arn }]],
    [
      'Allow then Deny',
      [
        { Effect: 'Allow', Action: 'lambda:*', Resource: '*' },
        { Effect: 'Deny', Action: 'lambda:UpdateFunction*', Resource: '*' },
      ],
    ],
    [
      'name prefix',
      [
        {
          Effect: 'Allow',
          Action: ['lambda:UpdateFunctionConfiguration', 'lambda:AddPermission'],
          Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:ap*`,
        },
      ],
    ],
    ['other function', [{ Effect: 'Allow', Action: 'lambda:*', Resource: WORKER.arn }]],
  ];
  const actions: [string, 'update-code' | 'update-configuration' | 'add-permission'][] = [
    ['lambda:UpdateFunctionCode', 'update-code'],
    ['lambda:UpdateFunctionConfiguration', 'update-configuration'],
    ['lambda:AddPermission', 'add-permission'],
  ];

  it.each(docs)('%s', async (_n, statements) => {
    const r = role('x', statements);
    const grants = grantsOn(rolePolicies(state({ roles: [r] }), r)!, API);
    const doc = { Version: '2012-10-17', Statement: statements } as unknown as PolicyDocument;
    for (const [action, cap] of actions) {
      const sim = await simulate([doc], action, API.arn, ACCOUNT);
      expect([action, grants[cap] === 'allowed']).toEqual([action, sim === 'Allowed']);
    }
  });

  it('a conditional grant: the simulator allows it only in a request that carries the condition', async () => {
    const statements = [
      { ...ALLOW_UPDATE, Condition: { StringEquals: { 'aws:PrincipalTag/team': 'deploy' } } },
    ];
    const r = role('x', statements);
    expect(grantsOn(rolePolicies(state({ roles: [r] }), r)!, API)['update-code']).toBe('conditional');
    const doc = { Version: '2012-10-17', Statement: statements } as unknown as PolicyDocument;
    expect(await simulate([doc], 'lambda:UpdateFunctionCode', API.arn, ACCOUNT)).not.toBe('Allowed');
    expect(
      await simulate([doc], 'lambda:UpdateFunctionCode', API.arn, ACCOUNT, {
        'aws:PrincipalTag/team': 'deploy',
      }),
    ).toBe('Allowed');
  });

  it('PassRole under iam:PassedToService: the simulator allows it for Lambda only', async () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: '*',
          Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        },
      ],
    } as unknown as PolicyDocument;
    expect(
      await simulate([doc], 'iam:PassRole', roleArn('api-role'), ACCOUNT, {
        'iam:PassedToService': 'lambda.amazonaws.com',
      }),
    ).toBe('Allowed');
    expect(
      await simulate([doc], 'iam:PassRole', roleArn('api-role'), ACCOUNT, {
        'iam:PassedToService': 'ec2.amazonaws.com',
      }),
    ).not.toBe('Allowed');
  });
});

describe('PT-AUDIT-CAN-CHANGE-FUNCTION: IAM users', () => {
  const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
  const groupArn = (name: string) => `arn:aws:iam::${ACCOUNT}:group/${name}`;
  const doc = (statements: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement: statements });
  const managed = (name: string, statements: Record<string, unknown>[]): ManagedPolicyInfo => ({
    arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    name,
    defaultVersionId: 'v1',
    document: doc(statements),
  });
  const user = (name: string, extra: Partial<UserInfo> = {}): UserInfo => ({
    userName: name,
    arn: userArn(name),
    inlinePolicies: [],
    attachedPolicyArns: [],
    groupNames: [],
    ...extra,
  });
  const group = (name: string, extra: Partial<GroupInfo> = {}): GroupInfo => ({
    groupName: name,
    arn: groupArn(name),
    inlinePolicies: [],
    attachedPolicyArns: [],
    ...extra,
  });
  const deployPolicy = managed('deploy', [ALLOW_UPDATE]);
  const boundaryNoLambda = managed('no-lambda', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
  const allowAll = { Effect: 'Allow', Action: 'lambda:*', Resource: '*' };

  function runUsers(partial: Partial<AccountState>) {
    const s = state({ functions: [API, WORKER], policies: [deployPolicy, boundaryNoLambda], ...partial });
    return (rule.check(input(s)) as AuditFinding[]).filter((f) => f.subject.arn === API.arn);
  }

  const cases: [string, Partial<AccountState>, RegExp | undefined][] = [
    [
      'inline',
      { users: [user('alice', { inlinePolicies: [{ name: 'p', document: doc([ALLOW_UPDATE]) }] })] },
      /user\/alice: update-code \(IAM user\)/,
    ],
    [
      'attached managed',
      { users: [user('alice', { attachedPolicyArns: [deployPolicy.arn] })] },
      /user\/alice: update-code \(IAM user\)/,
    ],
    [
      'via a group (inline)',
      {
        users: [user('alice', { groupNames: ['deployers'] })],
        groups: [group('deployers', { inlinePolicies: [{ name: 'g', document: doc([allowAll]) }] })],
      },
      /user\/alice: update-code, update-configuration, add-permission \(IAM user\)/,
    ],
    [
      'via a group (attached managed)',
      {
        users: [user('alice', { groupNames: ['deployers'] })],
        groups: [group('deployers', { attachedPolicyArns: [deployPolicy.arn] })],
      },
      /user\/alice: update-code \(IAM user\)/,
    ],
    [
      'a boundary that removes the capability',
      {
        users: [
          user('alice', {
            inlinePolicies: [{ name: 'p', document: doc([allowAll]) }],
            permissionsBoundaryArn: boundaryNoLambda.arn,
          }),
        ],
      },
      undefined,
    ],
    [
      'a Deny in a group',
      {
        users: [
          user('alice', {
            inlinePolicies: [{ name: 'p', document: doc([ALLOW_UPDATE]) }],
            groupNames: ['locked'],
          }),
        ],
        groups: [
          group('locked', {
            inlinePolicies: [
              { name: 'deny', document: doc([{ Effect: 'Deny', Action: 'lambda:*', Resource: '*' }]) },
            ],
          }),
        ],
      },
      undefined,
    ],
    [
      "another group, not the user's",
      { users: [user('alice')], groups: [group('deployers', { attachedPolicyArns: [deployPolicy.arn] })] },
      undefined,
    ],
  ];

  it.each(cases)('%s', (_n, partial, expected) => {
    const found = runUsers(partial);
    if (!expected) {
      expect(found).toEqual([]);
      return;
    }
    expect(found).toHaveLength(1);
    const [f] = found;
    expect(f.evidence.join('\n')).toMatch(expected);
    expect(f.severity).toBe('medium');
    expect(f.message).toMatch(/^0 roles and 1 IAM user can change api/);
    expect(f.evidence.join('\n')).not.toContain('not judged');
    expect(f.evidence.join('\n')).toContain("and 1 IAM user (with their groups' policies)");
  });

  it('users are never workload roles: a workload role keeps the severity high, a user alone does not raise it', () => {
    const s = state({
      roles: [role('worker-role', [ALLOW_UPDATE], { trustPolicy: LAMBDA_TRUST })],
      users: [user('alice', { attachedPolicyArns: [deployPolicy.arn] })],
      policies: [deployPolicy],
      functions: [API, WORKER],
    });
    const [f] = (rule.check(input(s)) as AuditFinding[]).filter((x) => x.subject.arn === API.arn);
    expect(f.severity).toBe('high');
    expect(f.message).toMatch(
      /^1 role and 1 IAM user can change api or run code as its role, 1 of them a workload's role \(worker-role\)/,
    );
  });

  it('a user whose group or managed policy the state lacks: judged on the rest, named', () => {
    const [f] = runUsers({
      users: [
        user('alice', {
          inlinePolicies: [{ name: 'p', document: doc([ALLOW_UPDATE]) }],
          groupNames: ['ghost'],
          attachedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/missing`],
        }),
      ],
    });
    expect(f.evidence.join('\n')).toContain(
      '1 IAM user holds managed policies or groups the account state lacks, not judged for them: alice',
    );
    expect(f.evidence.join('\n')).not.toContain('IAM users not judged');
  });

  it("currentPoliciesOfUser: own, then each group's, the boundary; unknowns listed", () => {
    const s = state({
      users: [
        user('alice', {
          inlinePolicies: [{ name: 'own', document: doc([ALLOW_UPDATE]) }],
          attachedPolicyArns: [deployPolicy.arn],
          groupNames: ['deployers', 'ghost'],
          permissionsBoundaryArn: boundaryNoLambda.arn,
        }),
      ],
      groups: [
        group('deployers', {
          inlinePolicies: [{ name: 'g', document: doc([allowAll]) }],
          attachedPolicyArns: [deployPolicy.arn, `arn:aws:iam::${ACCOUNT}:policy/missing`],
        }),
      ],
      policies: [deployPolicy, boundaryNoLambda],
    });
    const cp = currentPoliciesOfUser(s, userArn('alice'))!;
    expect(cp.roleArn).toBe(userArn('alice'));
    expect(cp.identity.map((p) => `${p.ref.kind}:${p.ref.name}`)).toEqual([
      'inline:own',
      'managed:deploy',
      'inline:deployers/g',
    ]);
    expect(cp.boundary?.ref).toEqual({
      kind: 'boundary',
      name: 'no-lambda',
      arn: boundaryNoLambda.arn,
      versionId: 'v1',
    });
    expect(cp.unknown).toEqual([`arn:aws:iam::${ACCOUNT}:policy/missing`, 'group:ghost']);
    expect(currentPoliciesOfUser(s, userArn('bob'))).toBeUndefined();
  });

  it("against @cloud-copilot/iam-simulate: a user's own and group policies together, with a group Deny", async () => {
    const own = [{ Effect: 'Allow', Action: 'lambda:*', Resource: '*' }];
    const grp = [{ Effect: 'Deny', Action: 'lambda:UpdateFunctionCode', Resource: API.arn }];
    const u = user('alice', { inlinePolicies: [{ name: 'own', document: doc(own) }], groupNames: ['g'] });
    const s = state({
      users: [u],
      groups: [group('g', { inlinePolicies: [{ name: 'deny', document: doc(grp) }] })],
    });
    const grants = grantsOn(userPolicies(s, u)!, API);
    const docs = [doc(own), doc(grp)] as unknown as PolicyDocument[];
    for (const [action, cap] of [
      ['lambda:UpdateFunctionCode', 'update-code'],
      ['lambda:UpdateFunctionConfiguration', 'update-configuration'],
      ['lambda:AddPermission', 'add-permission'],
    ] as const) {
      const sim = await simulate(docs, action, API.arn, ACCOUNT);
      expect([action, grants[cap] === 'allowed']).toEqual([action, sim === 'Allowed']);
    }
    expect(grants['update-code']).toBeUndefined();
    expect(grants['update-configuration']).toBe('allowed');
  });
});
