import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { runCli, SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../helpers/cli';
import { sarifValidator } from '../helpers/sarif';
import { expectGolden } from '../helpers/golden';

/**
 * `policy-tighten audit` end to end on the samples: every breach the samples hold is named
 * (samples/README.md, "What audit finds"), in JSON, Markdown, HTML and SARIF, against golden files
 * (test/golden/audit-samples/; `UPDATE_GOLDEN=1` rewrites them, a missing one fails); no secret
 * value of the samples reaches any output; exit codes of --fail-on and of a run without a trail.
 */
const AUDIT = [
  'audit',
  '--account-snapshot',
  SAMPLE_ACCOUNT,
  '--trail',
  SAMPLE_TRAIL,
  '--offline',
  '--since',
  '2026-11-01',
  '--until',
  '2026-12-01',
  // The dated rule (runtime end of support) judges as of the samples' last day, not today.
  '--as-of',
  '2026-12-01',
];
const ENV = {};

function golden(name: string, text: string): void {
  expectGolden('audit-samples', name, text);
}

/** Every environment variable value of the samples' functions longer than 8 characters. */
function sampleValues(): string[] {
  const dir = SAMPLE_ACCOUNT;
  return readdirSync(dir)
    .filter((f) => f.startsWith('functions-'))
    .flatMap((f) => {
      const doc = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as {
        Functions: { Environment?: { Variables?: Record<string, string> } }[];
      };
      return doc.Functions.flatMap((fn) => Object.values(fn.Environment?.Variables ?? {}));
    })
    .filter((v) => v.length > 8);
}

describe('audit on the samples', () => {
  it.each([
    ['json', 'audit.json'],
    ['markdown', 'audit.md'],
    ['html', 'audit.html'],
    ['sarif', 'audit.sarif'],
  ])('--format %s matches its golden file, exit 0, and holds no secret value', (format, file) => {
    const r = runCli([...AUDIT, '--format', format], { env: ENV });
    expect(r.stderr).toMatch(/12 rule\(s\) run, 0 not run/);
    expect(r.status).toBe(0);
    golden(file, r.stdout);
    const secrets = JSON.parse(readFileSync(path.join(SAMPLE_ACCOUNT, 'functions-us-east-1.json'), 'utf8'))
      .Functions.flatMap((fn: { Environment?: { Variables?: Record<string, string> } }) =>
        Object.entries(fn.Environment?.Variables ?? {}),
      )
      .filter(([k]: [string, string]) => /ACCESS_KEY/.test(k))
      .map(([, v]: [string, string]) => v);
    expect(secrets).toHaveLength(2);
    for (const v of secrets) {
      expect(r.stdout).not.toContain(v.slice(0, 8));
      expect(r.stdout).not.toContain(v.slice(-8));
      expect(r.stderr).not.toContain(v.slice(0, 8));
    }
  });

  it('names every breach the samples hold', () => {
    const j = JSON.parse(runCli(AUDIT, { env: ENV }).stdout) as {
      findings: { id: string; severity: string }[];
    };
    const ids = j.findings.map((f) => `${f.severity} ${f.id}`);
    const fn = (name: string, region = 'us-east-1') =>
      `arn:aws:lambda:${region}:111122223333:function:${name}`;
    for (const expected of [
      `critical PT-AUDIT-ENV-SECRET[${fn('legacy-cron')}]`,
      `critical PT-AUDIT-PUBLIC-POLICY[${fn('orders-webhook')}]`,
      `critical PT-AUDIT-URL-NO-AUTH[${fn('orders-webhook')}]`,
      `high PT-AUDIT-PUBLIC-POLICY[${fn('image-resizer')}]`,
      `medium PT-AUDIT-URL-CORS[${fn('orders-webhook')}]`,
      'medium PT-AUDIT-SHARED-ROLE[arn:aws:iam::111122223333:role/orders-api-role]',
      'medium PT-AUDIT-SHARED-ROLE[arn:aws:iam::111122223333:role/reports-role]',
      'medium PT-AUDIT-OVER-PRIVILEGED[arn:aws:iam::111122223333:role/orders-api-role]',
      `low PT-AUDIT-SECRET-NO-CMK[${fn('orders-api')}]`,
      `low PT-AUDIT-UNUSED-FUNCTION[${fn('legacy-cron')}]`,
      'low PT-AUDIT-UNUSED-ROLE[arn:aws:iam::111122223333:role/etl-legacy-role]',
    ])
      expect(ids).toContain(expected);
    // The functions whose resource policy names its source are not public.
    expect(ids.filter((i) => i.includes('PT-AUDIT-PUBLIC-POLICY'))).toHaveLength(2);
  });

  it('no sample value of an environment variable reaches any output', () => {
    const outs = ['json', 'markdown', 'html', 'sarif'].map((f) =>
      runCli([...AUDIT, '--format', f], { env: ENV }),
    );
    for (const v of sampleValues().filter(
      (x) => !/^arn:|^\/|^\{\{resolve:|^https?:\/\/|^[a-z0-9.-]+$/.test(x),
    ))
      for (const r of outs) expect(`${r.stdout}${r.stderr}`).not.toContain(v);
  });

  it('the SARIF of the samples is valid SARIF 2.1.0 (the official schema)', () => {
    const validate = sarifValidator();
    const sarif = JSON.parse(runCli([...AUDIT, '--format', 'sarif'], { env: ENV }).stdout) as unknown;
    expect(validate(sarif)).toBe(true);
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
  });

  it('--fail-on critical exits 8; --fail-on with nothing at that level exits 0', () => {
    expect(runCli([...AUDIT, '--fail-on', 'critical'], { env: ENV }).status).toBe(8);
  });

  it('without a trail, the rules that judge use are listed as not run, never as passed', () => {
    const r = runCli(['audit', '--account-snapshot', SAMPLE_ACCOUNT, '--offline', '--as-of', '2026-12-01'], {
      env: ENV,
    });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { skipped: { rule: string; reason: string }[]; rulesRun: string[] };
    expect(j.skipped.map((s) => s.rule)).toEqual([
      'PT-AUDIT-OVER-PRIVILEGED',
      'PT-AUDIT-SECRET-NO-CMK',
      'PT-AUDIT-UNUSED-FUNCTION',
      'PT-AUDIT-UNUSED-ROLE',
    ]);
    for (const s of j.skipped) expect(s.reason).toMatch(/no trail/);
    expect(r.stderr).toMatch(/not run: PT-AUDIT-UNUSED-ROLE: no trail/);
  });
});
