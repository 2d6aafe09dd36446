import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'bin', 'policy-tighten.js');
export const SAMPLES = path.join(ROOT, 'samples');
export const SAMPLE_TRAIL = path.join(SAMPLES, 'trail');
export const SAMPLE_ACCOUNT = path.join(SAMPLES, 'account');
/** The window that holds the samples (they are fixed in time, so the default 90d would age out). */
export const SAMPLE_WINDOW = ['--since', '2026-11-01', '--until', '2026-12-01'];
/** The README's quick start: `generate` of the sample function orders-api, offline. */
export const SAMPLE_GENERATE = [
  'generate',
  '--function',
  'orders-api',
  '--trail',
  SAMPLE_TRAIL,
  '--account-snapshot',
  SAMPLE_ACCOUNT,
  '--offline',
  '--since',
  '2026-11-01',
];

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the built CLI (bin/ → dist/); `npm test` builds first. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  }
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Spawns the built CLI without blocking: for tests whose local AWS endpoints run in the test's
 * own process (a synchronous spawn would stop them from answering).
 */
export function runCliAsync(args: string[], opts: { env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ...opts.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code =
          err && typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : err
              ? null
              : 0;
        resolve({ status: code, stdout, stderr });
      },
    );
  });
}

/**
 * Runs `generate` for a sample function the way the README does: the samples' account snapshot,
 * offline, the samples' window; `trail` defaults to the samples' trail. `options` replace the
 * account snapshot or the window.
 */
export function generateSample(
  fn: string,
  extra: string[] = [],
  trail: string = SAMPLE_TRAIL,
  options: { account?: string; window?: [since: string, until: string] } = {},
): CliResult {
  const window = options.window
    ? ['--since', options.window[0], '--until', options.window[1]]
    : SAMPLE_WINDOW;
  return runCli([
    'generate',
    '--function',
    fn,
    '--trail',
    trail,
    '--account-snapshot',
    options.account ?? SAMPLE_ACCOUNT,
    '--offline',
    ...window,
    ...extra,
  ]);
}

/**
 * Runs `report --unused` on the samples the way docs/report.md does: their trail and account
 * snapshot, offline, the samples' window; `options` replace the trail, the account or the window.
 */
export function reportSample(
  extra: string[] = [],
  options: { trail?: string; account?: string; window?: [since: string, until: string] } = {},
): CliResult {
  const window = options.window
    ? ['--since', options.window[0], '--until', options.window[1]]
    : SAMPLE_WINDOW;
  return runCli([
    'report',
    '--unused',
    '--trail',
    options.trail ?? SAMPLE_TRAIL,
    '--account-snapshot',
    options.account ?? SAMPLE_ACCOUNT,
    '--offline',
    ...window,
    ...extra,
  ]);
}

/** A raw CloudTrail record of the samples (attacker-shaped data: fields as CloudTrail writes them). */
export type SampleRecord = Record<string, unknown> & {
  userIdentity: Record<string, unknown>;
  requestParameters?: Record<string, unknown> | null;
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

/** Every record of the samples' delivery files (digests left out), in file order. */
export function sampleRecords(): SampleRecord[] {
  return filesUnder(path.join(SAMPLE_TRAIL, 'AWSLogs'))
    .filter((f) => f.includes('/CloudTrail/'))
    .sort()
    .flatMap((f) => JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')).Records as SampleRecord[]);
}

/** The samples' records made by a function's role session (`…/assumed-role/<role>/<fn>`). */
export function sampleRecordsOf(fn: string): SampleRecord[] {
  return sampleRecords().filter((r) => String(r.userIdentity?.arn).endsWith(`/${fn}`));
}
