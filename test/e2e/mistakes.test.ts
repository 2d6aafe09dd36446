import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, SAMPLE_ACCOUNT, SAMPLE_GENERATE, SAMPLE_TRAIL } from '../helpers/cli';

/**
 * The documented mistakes (docs/cli.md, "Mistakes, and what they give"), made with the real CLI:
 * each is one line on stderr and exit 2, before any file is read (no summary), and leaves no
 * file behind; an unknown POLICY_TIGHTEN_ variable is a note, not a failure.
 */
const tmp = mkdtempSync(path.join(tmpdir(), 'pt-mistakes-'));
const aFile = path.join(tmp, 'a-file');
writeFileSync(aFile, 'x');
const GENERATE = SAMPLE_GENERATE;

const CASES: [what: string, args: string[], env: Record<string, string>, line: RegExp][] = [
  [
    '--since twice',
    [...GENERATE, '--since', '2026-11-02'],
    {},
    /^policy-tighten: --since was given 2 times: it takes one value$/,
  ],
  [
    '--out twice',
    [...GENERATE, '--out', `${tmp}/a.json`, '--out', `${tmp}/b.json`],
    {},
    /--out was given 2 times/,
  ],
  [
    '--account-snapshot twice',
    [...GENERATE, '--account-snapshot', SAMPLE_ACCOUNT],
    {},
    /--account-snapshot was given 2 times/,
  ],
  ['--out without a value', [...GENERATE, '--out'], {}, /^policy-tighten: --out needs a value$/],
  ['--workers without a value', [...GENERATE, '--workers'], {}, /^policy-tighten: --workers needs a value$/],
  ['--out naming a directory', [...GENERATE, '--out', tmp], {}, /--out ".*" is a directory: name a file/],
  ['--out under a file', [...GENERATE, '--out', `${aFile}/x.json`], {}, /is a file, not a directory/],
  ['--diff-out naming a directory', [...GENERATE, '--diff-out', tmp], {}, /--diff-out ".*" is a directory/],
  [
    'a mistyped option',
    ['generate', '--fucntion', 'x'],
    {},
    /unknown option --fucntion \(did you mean --function\?\)/,
  ],
  ['a mistyped command', ['generat'], {}, /unknown command "generat": did you mean generate\?/],
  [
    'a bad boolean in the environment',
    GENERATE,
    { POLICY_TIGHTEN_INLINE: 'maybe' },
    /POLICY_TIGHTEN_INLINE must be one of 1, true/,
  ],
  [
    'audit --lookup-events without a trail',
    ['audit', '--account-snapshot', SAMPLE_ACCOUNT, '--lookup-events'],
    { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local' },
    /^policy-tighten: audit reads the account-wide trail/,
  ],
  [
    'report --region offline',
    ['report', '--unused', '--trail', SAMPLE_TRAIL, '--offline', '--region', 'us-east-1'],
    {},
    /--region names the regions whose Lambda functions are read live/,
  ],
];

describe('user mistakes: one line, exit 2, nothing read or left behind', () => {
  it.each(CASES)('%s', (_what, args, env, line) => {
    const r = runCli(args, { cwd: tmp, env });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(line);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).not.toContain('policy-tighten generate:');
    expect(r.stdout).toBe('');
    expect(readdirSync(tmp).sort()).toEqual(['a-file']);
  });
});

describe('help and the environment', () => {
  it.each([
    [['-h']],
    [['--help']],
    [['help']],
    [['generate', '-h']],
    [['help', 'generate']],
    [['report', '--help']],
  ])('%j prints help and exits 0', (args) => {
    const r = runCli(args);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Exit codes');
    if (args.includes('generate')) expect(r.stdout).toMatch(/What to analyse[\s\S]*--function/);
  });

  it('an unknown POLICY_TIGHTEN_ variable is ignored with a note; a known one applies, =yes is true', () => {
    const r = runCli(GENERATE, {
      env: {
        POLICY_TIGHTEN_NO_SUCH_OPTION: '1',
        POLICY_TIGHTEN_INLINE: 'yes',
        POLICY_TIGHTEN_FORMAT: 'terraform',
      },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      'policy-tighten: note: POLICY_TIGHTEN_NO_SUCH_OPTION is not an option of generate: ignored',
    );
    expect(r.stdout).toContain('resource "aws_iam_role_policy"');
  });

  it('the command line wins over the environment', () => {
    const r = runCli([...GENERATE, '--format', 'json'], { env: { POLICY_TIGHTEN_FORMAT: 'terraform' } });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).Version).toBe('2012-10-17');
  });

  it('--output is --format', () => {
    const r = runCli([...GENERATE, '--output', 'terraform']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('resource "aws_iam_policy"');
  });
});
