import {
  BUILTIN_DETECTOR,
  benignReason,
  environmentOf,
  isKmsCiphertext,
  isSecretReference,
  printableName,
  shannonEntropy,
} from '../../../src/audit/secrets';
import { secretlintDetector, type SecretlintModules } from '../../../src/audit/secrets/secretlint';
import { PolicyTightenError } from '../../../src/errors';
import { FALSE_POSITIVES, kmsCiphertext, leaks, TRUE_POSITIVES } from './fixtures-secrets';

/**
 * The corpus over policy-tighten's own rules (the secretlint adapter is run for real by
 * test/e2e/audit-secrets.test.ts, over dist/, because Jest cannot load ES modules).
 */
describe('secret detector: true positives', () => {
  it.each(TRUE_POSITIVES.map(([n, v, k, r]) => [n, k, r, v] as const))(
    '%s is %s (%s)',
    async (name, kind, rule, value) => {
      const hits = await BUILTIN_DETECTOR.scan([{ name, value }]);
      expect(hits.map((h) => h.rule)).toContain(rule);
      expect(hits.find((h) => h.rule === rule)?.kind).toBe(kind);
      expect(hits.every((h) => h.variable === name)).toBe(true);
      for (const h of hits) expect(leaks(JSON.stringify(h), value)).toBe(false);
    },
  );
});

describe('secret detector: false positives', () => {
  it.each(FALSE_POSITIVES.map(([n, v, why]) => [n, why, v] as const))(
    '%s is fine (%s)',
    async (name, _why, value) => {
      expect(await BUILTIN_DETECTOR.scan([{ name, value }])).toEqual([]);
    },
  );
});

describe('secret detector: edges', () => {
  it('a 40-character secret key under a neutral name counts next to an access key id', async () => {
    const secret = 'q8Jr2LxWm5Tn0Vb7Yc1Hd4Kf9Pg3Rs6Uz2Ae8Bi5';
    expect(
      (await BUILTIN_DETECTOR.scan([{ name: 'UPLOAD_KEY', value: secret }])).map((h) => h.rule),
    ).not.toContain('pt/aws-secret-access-key');
    const both = await BUILTIN_DETECTOR.scan([
      { name: 'UPLOAD_KEY', value: secret },
      { name: 'UPLOAD_ID', value: 'AKIAQ3EGRXPLM7T4VW2N' },
    ]);
    expect(both.filter((h) => h.variable === 'UPLOAD_KEY').map((h) => h.rule)).toContain(
      'pt/aws-secret-access-key',
    );
  });

  it('an access key id inside a longer value (a credentials line) still counts', async () => {
    const hits = await BUILTIN_DETECTOR.scan([
      { name: 'CONFIG', value: 'id=AKIAQ3EGRXPLM7T4VW2N;region=eu-west-1' },
    ]);
    expect(hits.map((h) => h.rule)).toEqual(['pt/aws-access-key-id']);
  });

  it('IAM unique ids of roles and users (AROA, AIDA) are not keys', async () => {
    expect(await BUILTIN_DETECTOR.scan([{ name: 'ROLE_ID', value: 'AROAQ3EGRXPLM7T4VW2NX' }])).toEqual([]);
  });

  it('a shape inside a path-like value still counts; a reference never does', async () => {
    expect(
      (await BUILTIN_DETECTOR.scan([{ name: 'X', value: '/tmp/AKIAQ3EGRXPLM7T4VW2N' }])).map((h) => h.rule),
    ).toEqual(['pt/aws-access-key-id']);
    expect(isSecretReference('X', '{{resolve:secretsmanager:a/b}}')).toBeDefined();
  });

  it('hits are sorted by variable, then rule, and merged', async () => {
    const hits = await BUILTIN_DETECTOR.scan([
      { name: 'Z_PASSWORD', value: 'Summer-Orchard-42' },
      { name: 'A_URL', value: 'postgres://a:Tr0ub4dor-x@db:5432/x' },
    ]);
    expect(hits.map((h) => h.variable)).toEqual(['A_URL', 'Z_PASSWORD']);
  });
});

describe('KMS ciphertext', () => {
  it('recognises the blob layout and nothing random', () => {
    expect(isKmsCiphertext(kmsCiphertext(7))).toBe(true);
    expect(kmsCiphertext(7).startsWith('AQICAH')).toBe(true);
    // Random base64 with the same prefix but no EncryptedData structure is not ciphertext.
    const fake = `AQICAH${'Zx9Qm2Lp7Rt4Wv8Yb1Nc5Hd3Kf6Jg0S'.repeat(4)}ab`;
    expect(isKmsCiphertext(fake)).toBe(false);
    expect(isKmsCiphertext('AQICAH')).toBe(false);
  });
});

describe('entropy and names', () => {
  it.each([
    ['', 0],
    ['aaaa', 0],
    ['ab', 1],
    ['abcd', 2],
    ['0123456789abcdef', 4],
  ])('shannonEntropy(%j) = %d', (s, h) => {
    expect(shannonEntropy(s)).toBeCloseTo(h, 10);
  });

  it('benign kinds', () => {
    expect(benignReason('${AWS::Region}')).toBe('a CloudFormation expression');
    expect(benignReason('https://a.example/x')).toBe('a URL without credentials');
    expect(benignReason('https://u:p@a.example/x')).toBeUndefined();
  });

  it('names are printed in Lambda shape only', () => {
    expect(printableName('DB_PASSWORD')).toBe('DB_PASSWORD');
    expect(printableName('a b\n[c]')).toBe('a?b??c?');
    expect(printableName('X'.repeat(70))).toBe(`${'X'.repeat(64)}…`);
  });

  it('environmentOf reads Environment.Variables, string values only, sorted', () => {
    expect(environmentOf({ Environment: { Variables: { B: '1', A: '2', C: 3 } } })).toEqual([
      { name: 'A', value: '2' },
      { name: 'B', value: '1' },
    ]);
    expect(environmentOf({})).toEqual([]);
    expect(environmentOf({ Environment: { Variables: ['x'] } })).toEqual([]);
  });
});

describe('secretlint adapter (over a stand-in lintSource)', () => {
  const value = 'ghp_Zq8Lm3Xv7Rt2Wb9Nc4Hd6Kf1Pg5Js0Ye8Ua3';
  it('keeps the rule and message ids, never the message, range or data', async () => {
    const calls: unknown[] = [];
    const modules: SecretlintModules = {
      preset: { meta: { id: '@secretlint/secretlint-rule-preset-recommend' } },
      lintSource: async (args) => {
        calls.push(args);
        return {
          messages: [
            {
              ruleId: '@secretlint/secretlint-rule-github',
              messageId: 'GITHUB_TOKEN',
              message: `found GitHub Token: ${value}`,
              data: { KEY: value },
            } as never,
            { ruleId: '@secretlint/secretlint-rule-aws', messageId: 'AWSSecretAccessKey' },
            { ruleId: '@secretlint/secretlint-rule-privatekey', messageId: 'EXPOSED_PRIVATE_KEY' },
          ],
        };
      },
    };
    const hits = await secretlintDetector(modules).scan([{ name: 'GH', value }]);
    expect(hits).toEqual([
      { variable: 'GH', rule: 'secretlint/github/GITHUB_TOKEN', kind: 'token' },
      { variable: 'GH', rule: 'secretlint/aws/AWSSecretAccessKey', kind: 'aws-secret-access-key' },
      { variable: 'GH', rule: 'secretlint/privatekey/EXPOSED_PRIVATE_KEY', kind: 'private-key' },
    ]);
    expect(calls).toEqual([
      {
        source: { filePath: 'lambda-environment', content: `GH=${value}`, contentType: 'text' },
        options: {
          config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: modules.preset }] },
          maskSecrets: true,
          noPhysicFilePath: true,
        },
      },
    ]);
  });

  it('a failure names the variable, never the value nor the cause', async () => {
    const modules: SecretlintModules = {
      preset: { meta: { id: 'p' } },
      lintSource: async () => {
        throw new Error(`bad input ${value}`);
      },
    };
    const err = await Promise.resolve()
      .then(() => secretlintDetector(modules).scan([{ name: 'GH', value }]))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyTightenError);
    expect((err as Error).message).toMatch(/GH/);
    expect(leaks((err as Error).message, value)).toBe(false);
    expect((err as Error).cause).toBeUndefined();
  });
});
