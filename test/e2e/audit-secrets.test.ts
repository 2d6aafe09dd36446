import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli, SAMPLE_ACCOUNT } from '../helpers/cli';
import { FALSE_POSITIVES, leaks, TRUE_POSITIVES } from '../unit/audit/fixtures-secrets';

/**
 * The real secret detector (our rules + secretlint's recommended preset, ES modules loaded by
 * import()) over the built dist/, in a child `node`: Jest's runtime cannot load ES modules, so
 * the unit tests stand a detector in for secretlint and this file runs the real one.
 */
const DIST = path.join(ROOT, 'dist', 'audit', 'secrets');

function scanInChild(
  variables: { name: string; value: string }[],
): { variable: string; rule: string; kind: string }[][] {
  const script = `
    const { loadSecretlintDetector } = require(${JSON.stringify(path.join(DIST, 'secretlint.js'))});
    const { scanWith } = require(${JSON.stringify(path.join(DIST, 'index.js'))});
    let input = '';
    process.stdin.on('data', (d) => (input += d));
    process.stdin.on('end', async () => {
      const sl = await loadSecretlintDetector();
      const out = [];
      for (const v of JSON.parse(input)) out.push(await scanWith([v], sl));
      process.stdout.write(JSON.stringify(out));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], {
    input: JSON.stringify(variables),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { variable: string; rule: string; kind: string }[][];
}

describe('audit secrets: the real detector over dist/', () => {
  const tp = scanInChild(TRUE_POSITIVES.map(([name, value]) => ({ name, value })));
  const fp = scanInChild(FALSE_POSITIVES.map(([name, value]) => ({ name, value })));

  it.each(TRUE_POSITIVES.map(([n, , k, r], i) => [n, k, r, i] as const))(
    '%s is found (%s, %s)',
    (_n, _k, rule, i) => {
      expect(tp[i].map((h) => h.rule)).toContain(rule);
      expect(leaks(JSON.stringify(tp[i]), TRUE_POSITIVES[i][1])).toBe(false);
    },
  );

  it.each(FALSE_POSITIVES.map(([n, , why], i) => [n, why, i] as const))('%s is fine (%s)', (_n, _why, i) => {
    expect(fp[i]).toEqual([]);
  });

  it('secretlint itself adds its rules (GitHub and Slack tokens, connection strings, AWS secret keys)', () => {
    const rules = new Set(tp.flat().map((h) => h.rule));
    for (const r of [
      'secretlint/github/GITHUB_TOKEN',
      'secretlint/aws/AWSSecretAccessKey',
      'secretlint/database-connection-string/PostgreSQLConnection',
    ])
      expect(rules).toContain(r);
  });
});

describe('audit secrets: the CLI', () => {
  it('names the function, the variables and the rules, and prints no value anywhere', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pt-audit-secrets-'));
    copyFileSync(
      path.join(SAMPLE_ACCOUNT, 'authorization-details.json'),
      path.join(dir, 'authorization-details.json'),
    );
    const variables = {
      ...Object.fromEntries(TRUE_POSITIVES.map(([n, v]) => [n, v])),
      DB_SECRET_ARN: FALSE_POSITIVES[0][1],
      LOG_LEVEL: 'INFO',
    };
    writeFileSync(
      path.join(dir, 'functions-eu-west-1.json'),
      JSON.stringify({
        Functions: [
          {
            FunctionName: 'leaky-fn',
            FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:leaky-fn',
            Role: 'arn:aws:iam::123456789012:role/leaky-fn-role',
            Runtime: 'nodejs20.x',
            Environment: { Variables: variables },
          },
          {
            FunctionName: 'clean-fn',
            FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:clean-fn',
            Role: 'arn:aws:iam::123456789012:role/clean-fn-role',
            Runtime: 'nodejs20.x',
            Environment: {
              Variables: Object.fromEntries(FALSE_POSITIVES.map(([n, v], i) => [`${n}_${i}`, v])),
            },
          },
        ],
      }),
    );
    const r = runCli(['audit', '--account-snapshot', dir, '--offline']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: { id: string; severity: string; evidence: string[] }[] };
    const secrets = out.findings.filter((f) => f.id.startsWith('PT-AUDIT-ENV-SECRET['));
    expect(secrets.map((f) => f.id)).toEqual([
      'PT-AUDIT-ENV-SECRET[arn:aws:lambda:eu-west-1:123456789012:function:leaky-fn]',
    ]);
    expect(secrets[0].severity).toBe('critical');
    for (const [name, value] of TRUE_POSITIVES) {
      expect(r.stdout).toContain(name);
      expect(leaks(r.stdout, value)).toBe(false);
      expect(leaks(r.stderr, value)).toBe(false);
    }
  });
});
