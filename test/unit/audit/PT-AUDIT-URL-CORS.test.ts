import { rule } from '../../../src/audit/rules/PT-AUDIT-URL-CORS';
import type { AuditFinding } from '../../../src/audit';
import type { FunctionUrlInfo } from '../../../src/model';
import { fnArn, input, REGION, state } from './fixtures-exposure';

function url(cors: FunctionUrlInfo['cors']): FunctionUrlInfo {
  return {
    functionName: 'api',
    functionArn: fnArn('api'),
    region: REGION,
    url: 'https://abc.lambda-url.us-east-1.on.aws/',
    authType: 'NONE',
    ...(cors ? { cors } : {}),
  };
}

describe('PT-AUDIT-URL-CORS', () => {
  const cases: [string, FunctionUrlInfo['cors'], string | undefined][] = [
    ['no CORS', undefined, undefined],
    ['specific origins', { allowOrigins: ['https://app.example.com'] }, undefined],
    [
      'a literal origin containing * elsewhere is not the wildcard',
      { allowOrigins: ['https://*.example.com'] },
      undefined,
    ],
    ['* without credentials: medium', { allowOrigins: ['*'] }, 'medium'],
    [
      '* among others: medium',
      { allowOrigins: ['https://app.example.com', '*'], allowCredentials: false },
      'medium',
    ],
    [
      '* with credentials: high',
      { allowOrigins: ['*'], allowCredentials: true, allowMethods: ['*'] },
      'high',
    ],
    [
      'credentials with specific origins pass',
      { allowOrigins: ['https://app.example.com'], allowCredentials: true },
      undefined,
    ],
  ];

  it.each(cases)('%s', (_n, cors, expected) => {
    const findings = rule.check(input(state({ functionUrls: [url(cors)] }))) as AuditFinding[];
    if (expected === undefined) return expect(findings).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe(expected);
    expect(findings[0].evidence).toContain(`AllowCredentials: ${cors?.allowCredentials === true}`);
  });

  it('cuts attacker-controlled origins to one bounded line', () => {
    const long = `https://${'a'.repeat(500)}\n.example.com`;
    const [f] = rule.check(
      input(state({ functionUrls: [url({ allowOrigins: ['*', long] })] })),
    ) as AuditFinding[];
    const line = f.evidence.find((e) => e.startsWith('AllowOrigins'))!;
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThan(300);
  });
});
