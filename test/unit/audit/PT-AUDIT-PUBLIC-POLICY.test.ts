import { rule } from '../../../src/audit/rules/PT-AUDIT-PUBLIC-POLICY';
import { runAuditRules } from '../../../src/audit';
import { ACCOUNT, fnArn, input, policyDoc, REGION, state } from './fixtures-exposure';

const INVOKE = { Action: 'lambda:InvokeFunction' };

function check(statements: Record<string, unknown>[]) {
  const s = state({
    functionPolicies: [
      {
        functionName: 'api',
        functionArn: fnArn('api'),
        region: REGION,
        document: policyDoc('api', statements),
      },
    ],
  });
  return rule.check(input(s)) as ReturnType<typeof rule.check> & unknown[];
}

describe('PT-AUDIT-PUBLIC-POLICY', () => {
  const cases: [string, Record<string, unknown>, 'critical' | 'high' | undefined][] = [
    ['Principal * without condition', { ...INVOKE, Principal: '*' }, 'critical'],
    ['{"AWS":"*"} without condition', { ...INVOKE, Principal: { AWS: '*' } }, 'critical'],
    ['{"AWS":["*", account]}', { ...INVOKE, Principal: { AWS: ['*', ACCOUNT] } }, 'critical'],
    [
      'Allow with NotPrincipal',
      { ...INVOKE, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } },
      'critical',
    ],
    [
      '* scoped by StringEquals aws:PrincipalOrgID',
      { ...INVOKE, Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } },
      undefined,
    ],
    [
      '* scoped by StringEquals AWS:SourceAccount (key case-insensitive)',
      { ...INVOKE, Principal: '*', Condition: { StringEquals: { 'AWS:SourceAccount': ACCOUNT } } },
      undefined,
    ],
    [
      '* scoped by aws:PrincipalAccount',
      {
        ...INVOKE,
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': [ACCOUNT, '444455556666'] } },
      },
      undefined,
    ],
    [
      '* with StringLike aws:PrincipalOrgID "o-*" does not scope',
      { ...INVOKE, Principal: '*', Condition: { StringLike: { 'aws:PrincipalOrgID': 'o-*' } } },
      'critical',
    ],
    [
      '* with StringEqualsIfExists does not scope',
      { ...INVOKE, Principal: '*', Condition: { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } } },
      'critical',
    ],
    [
      '* with StringNotEquals does not scope',
      {
        ...INVOKE,
        Principal: '*',
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': '999999999999' } },
      },
      'critical',
    ],
    [
      '* with ForAllValues:StringEquals does not scope',
      {
        ...INVOKE,
        Principal: '*',
        Condition: { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abc123' } },
      },
      'critical',
    ],
    [
      '* with a policy variable does not scope',
      {
        ...INVOKE,
        Principal: '*',
        Condition: { StringEquals: { 'aws:PrincipalAccount': '${aws:username}' } },
      },
      'critical',
    ],
    [
      '* with Null condition does not scope',
      { ...INVOKE, Principal: '*', Condition: { Null: { 'aws:SourceArn': 'false' } } },
      'critical',
    ],
    [
      '* with only aws:SourceIp stays public',
      { ...INVOKE, Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
      'critical',
    ],
    [
      'InvokeFunctionUrl to * with FunctionUrlAuthType NONE',
      {
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
      },
      'critical',
    ],
    [
      'InvokeFunctionUrl to * with FunctionUrlAuthType AWS_IAM: every AWS account',
      {
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '*',
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      },
      'high',
    ],
    [
      'InvokeFunction to * with FunctionUrlAuthType AWS_IAM is still public',
      { ...INVOKE, Principal: '*', Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } } },
      'critical',
    ],
    ['another account', { ...INVOKE, Principal: { AWS: 'arn:aws:iam::444455556666:root' } }, undefined],
    ['s3 service without source', { ...INVOKE, Principal: { Service: 's3.amazonaws.com' } }, 'high'],
    [
      'sns service with ArnLike aws:SourceArn fixed',
      {
        ...INVOKE,
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:sns:${REGION}:${ACCOUNT}:topic` } },
      },
      undefined,
    ],
    [
      'events with ArnLike aws:SourceArn wildcard in own account scopes',
      {
        ...INVOKE,
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:events:${REGION}:${ACCOUNT}:rule/*` } },
      },
      undefined,
    ],
    [
      'events with ArnLike aws:SourceArn wildcard account does not scope',
      {
        ...INVOKE,
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:events:${REGION}:*:rule/x` } },
      },
      'high',
    ],
    [
      's3 with ArnLike bucket wildcard does not scope',
      {
        ...INVOKE,
        Principal: { Service: 's3.amazonaws.com' },
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::data-*' } },
      },
      'high',
    ],
    [
      's3 with StringEquals aws:SourceAccount',
      {
        ...INVOKE,
        Principal: { Service: 's3.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
      undefined,
    ],
    [
      'service with aws:PrincipalOrgID only is not source-scoped',
      {
        ...INVOKE,
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
      },
      'high',
    ],
    ['Deny statements are not exposures', { ...INVOKE, Effect: 'Deny', Principal: '*' }, undefined],
  ];

  it.each(cases)('%s', (_name, statement, expected) => {
    const findings = check([statement]) as { severity: string }[];
    if (expected === undefined) expect(findings).toEqual([]);
    else {
      expect(findings).toHaveLength(1);
      expect(findings[0].severity).toBe(expected);
    }
  });

  it('one finding per policy: the worst statement sets the severity, each statement is evidence', () => {
    const findings = check([
      { ...INVOKE, Principal: { Service: 's3.amazonaws.com' } },
      { ...INVOKE, Principal: '*' },
    ]) as { id: string; severity: string; evidence: string[]; message: string }[];
    expect(findings).toHaveLength(1);
    expect(findings[0].id).toBe(`PT-AUDIT-PUBLIC-POLICY[${fnArn('api')}]`);
    expect(findings[0].severity).toBe('critical');
    expect(findings[0].evidence).toHaveLength(2);
    expect(findings[0].evidence[0]).toMatch(/^statement s1: .*s3\.amazonaws\.com/);
    expect(findings[0].message).toContain('1 statement open to every principal and 1 service statement');
  });

  it('is not run when the state holds no function policies; no policy is no finding', async () => {
    const skipped = await runAuditRules([rule], input(state({})));
    expect(skipped.skipped.map((s) => s.rule)).toEqual(['PT-AUDIT-PUBLIC-POLICY']);
    const ran = await runAuditRules([rule], input(state({ functionPolicies: [] })));
    expect(ran.rulesRun).toEqual(['PT-AUDIT-PUBLIC-POLICY']);
    expect(ran.findings).toEqual([]);
  });
});
