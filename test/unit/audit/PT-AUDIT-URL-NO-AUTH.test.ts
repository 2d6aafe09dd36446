import { rule } from '../../../src/audit/rules/PT-AUDIT-URL-NO-AUTH';
import type { AuditFinding } from '../../../src/audit';
import type { FunctionPolicyInfo, FunctionUrlInfo } from '../../../src/model';
import { fnArn, input, policyDoc, REGION, state } from './fixtures-exposure';

const URL = 'https://abc.lambda-url.us-east-1.on.aws/';

function url(authType: string): FunctionUrlInfo {
  return { functionName: 'api', functionArn: fnArn('api'), region: REGION, url: URL, authType };
}

function policy(statements: Record<string, unknown>[]): FunctionPolicyInfo[] {
  return [
    {
      functionName: 'api',
      functionArn: fnArn('api'),
      region: REGION,
      document: policyDoc('api', statements),
    },
  ];
}

const PUBLIC_URL = {
  Action: 'lambda:InvokeFunctionUrl',
  Principal: '*',
  Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
};

describe('PT-AUDIT-URL-NO-AUTH', () => {
  const cases: [string, string, FunctionPolicyInfo[] | undefined, string | undefined, RegExp | undefined][] =
    [
      ['AWS_IAM passes', 'AWS_IAM', undefined, undefined, undefined],
      ['NONE without policies read: high, says so', 'NONE', undefined, 'high', /were not read/],
      [
        'NONE with a public InvokeFunctionUrl statement: critical',
        'NONE',
        policy([PUBLIC_URL]),
        'critical',
        /s1/,
      ],
      [
        'NONE with lambda:* to * unscoped: critical',
        'NONE',
        policy([{ Action: 'lambda:*', Principal: '*' }]),
        'critical',
        undefined,
      ],
      [
        'NONE, the public statement limited to AWS_IAM: high',
        'NONE',
        policy([{ ...PUBLIC_URL, Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } } }]),
        'high',
        /grants no public/,
      ],
      [
        'NONE, the statement scoped to an org: high',
        'NONE',
        policy([{ ...PUBLIC_URL, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }]),
        'high',
        undefined,
      ],
      ['NONE, policies read, none for this function: high', 'NONE', [], 'high', /grants no public/],
    ];

  it.each(cases)('%s', (_n, authType, functionPolicies, expected, evidence) => {
    const s = state({ functionUrls: [url(authType)], ...(functionPolicies ? { functionPolicies } : {}) });
    const findings = rule.check(input(s)) as AuditFinding[];
    if (expected === undefined) return expect(findings).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe(expected);
    expect(findings[0].id).toBe(`PT-AUDIT-URL-NO-AUTH[${fnArn('api')}]`);
    if (evidence) expect(findings[0].evidence.join('\n')).toMatch(evidence);
  });
});
