import { runAuditRules } from '../../../src/audit';
import { rule } from '../../../src/audit/rules/PT-AUDIT-ENV-SECRET';
import type { SecretDetector } from '../../../src/audit/secrets';
import { FALSE_POSITIVES, findingText, fn, input, leaks, state, TRUE_POSITIVES } from './fixtures-secrets';

/** No maintained detector beside ours (secretlint itself runs in test/e2e/audit-secrets.test.ts). */
const NONE: SecretDetector = { name: 'no other detector', scan: () => [] };
const detector = { secretDetector: NONE };
const AWS_KEY = 'q8Jr2LxWm5Tn0Vb7Yc1Hd4Kf9Pg3Rs6Uz2Ae8Bi5';
const PASSWORD = 'Summer-Orchard-42';

type Case = [
  what: string,
  variables: Record<string, string> | undefined,
  severity: string | undefined,
  names: string[],
];
const CASES: Case[] = [
  ['no Environment at all', undefined, undefined, []],
  [
    'only references and configuration',
    { DB_SECRET_ARN: FALSE_POSITIVES[0][1], LOG_LEVEL: 'INFO' },
    undefined,
    [],
  ],
  ['a password: high', { DB_PASSWORD: PASSWORD, LOG_LEVEL: 'INFO' }, 'high', ['DB_PASSWORD']],
  [
    'an AWS secret access key: critical',
    { AWS_SECRET_ACCESS_KEY: AWS_KEY },
    'critical',
    ['AWS_SECRET_ACCESS_KEY'],
  ],
  [
    'an access key id alone: high',
    { AWS_ACCESS_KEY_ID: 'AKIAQ3EGRXPLM7T4VW2N' },
    'high',
    ['AWS_ACCESS_KEY_ID'],
  ],
  ['a private key: critical', { PRIVATE_KEY: TRUE_POSITIVES[4][1] }, 'critical', ['PRIVATE_KEY']],
  [
    'several: one finding, every variable named, the worst severity',
    { DB_PASSWORD: PASSWORD, AWS_SECRET_ACCESS_KEY: AWS_KEY, TABLE_NAME: 'orders' },
    'critical',
    ['AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD'],
  ],
];

describe('PT-AUDIT-ENV-SECRET', () => {
  it.each(CASES)('%s', async (_what, variables, severity, names) => {
    const f = fn('orders-api', variables);
    const findings = await rule.check(input(state({ functions: [f] }), detector));
    if (!severity) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    const [x] = findings;
    expect(x.id).toBe(`PT-AUDIT-ENV-SECRET[${f.arn}]`);
    expect(x.severity).toBe(severity);
    expect(x.subject).toEqual({ kind: 'function', arn: f.arn, name: 'orders-api', region: f.region });
    expect(x.basis).toBe('configuration');
    expect(x.message).not.toContain('\n');
    for (const n of names) expect(x.message).toContain(n);
    expect(x.evidence.filter((l) => /detector rules? /.test(l)).map((l) => l.split(':')[0])).toEqual(names);
    expect(x.fix).toMatch(/Secrets Manager or SSM Parameter Store \(SecureString\)/);
    expect(x.fix).toMatch(/^Rotate/);
    for (const n of names) expect(leaks(findingText(x), variables![n])).toBe(false);
  });

  it('no finding field holds any true-positive value, nor a prefix or suffix of more than 4 characters', async () => {
    const variables = Object.fromEntries(TRUE_POSITIVES.map(([n, v]) => [n, v]));
    const findings = await rule.check(input(state({ functions: [fn('leaky', variables)] }), detector));
    expect(findings).toHaveLength(1);
    expect(findings[0].evidence.length).toBe(TRUE_POSITIVES.length + 1);
    const text = findingText(findings[0]);
    for (const [name, value] of TRUE_POSITIVES) {
      expect(text).toContain(name);
      expect(leaks(text, value)).toBe(false);
    }
  });

  it('a function of false positives only gives nothing', async () => {
    const functions = FALSE_POSITIVES.map(([n, v], i) => fn(`f${i}`, { [n]: v }));
    expect(await rule.check(input(state({ functions }), detector))).toEqual([]);
  });

  it('a name that is not Lambda-shaped is printed masked', async () => {
    const findings = await rule.check(
      input(state({ functions: [fn('f', { 'DB PASS\nWORD': PASSWORD })] }), detector),
    );
    expect(findings[0].message).toContain('DB?PASS?WORD');
    expect(findingText(findings[0])).not.toContain('\\n');
  });

  it('the injected detector runs beside ours, never sees secret references, and its hits count', async () => {
    const seen: string[] = [];
    const spy: SecretDetector = {
      name: 'spy',
      scan: (vars) => {
        seen.push(...vars.map((v) => v.name));
        return vars.map((v) => ({ variable: v.name, rule: 'spy/x', kind: 'token' as const }));
      },
    };
    const findings = await rule.check(
      input(state({ functions: [fn('f', { A: 'x', B: '{{resolve:ssm-secure:/a/b}}' })] }), {
        secretDetector: spy,
      }),
    );
    expect(seen).toEqual(['A']);
    expect(findings[0].evidence[0]).toBe('A: a token (detector rule spy/x)');
    expect(findings[0].evidence[1]).toMatch(/detectors: policy-tighten and spy; values are never shown/);
  });

  it('runs without a trail (needs nothing) and is deterministic', async () => {
    const s = state({ functions: [fn('b', { DB_PASSWORD: PASSWORD }), fn('a', { DB_PASSWORD: PASSWORD })] });
    const one = await runAuditRules([rule], input(s, detector));
    const two = await runAuditRules([rule], input(s, detector));
    expect(one.rulesRun).toEqual(['PT-AUDIT-ENV-SECRET']);
    expect(JSON.stringify(one)).toBe(JSON.stringify(two));
    expect(one.findings.map((f) => f.subject.name)).toEqual(['a', 'b']);
  });
});
