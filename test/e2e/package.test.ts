import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runCli, SAMPLE_ACCOUNT, SAMPLE_GENERATE, SAMPLE_TRAIL } from '../helpers/cli';

/**
 * Install and run as a package (issue 12): the tarball `npm pack` makes, installed into a fresh
 * project and globally, runs the CLI as the README says and exposes the documented library API
 * (docs/api.md), and only that.
 *
 * The tarball is packed with --ignore-scripts from the dist/ that `npm test` has just built: the
 * package's `prepare` script (clean, then build) would otherwise delete and rewrite dist/ while
 * other test files, running in parallel, spawn the CLI from it.
 */

const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};
const GENERATE = SAMPLE_GENERATE;

/**
 * The environment of the npm children: this one without npm's own variables. Under `npm test`
 * they name this repository (npm_config_local_prefix …), and an install must not touch it.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|init_cwd$)/i.test(k)) env[k] = v;
  return env;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, env: childEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ status: code, stdout, stderr });
      },
    );
  });
}

function expectOk(r: Run, what: string): void {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stderr}`);
}

function expectPolicyDocument(text: string): void {
  const doc = JSON.parse(text) as { Version?: unknown; Statement?: unknown };
  expect(doc.Version).toBe('2012-10-17');
  expect(Array.isArray(doc.Statement)).toBe(true);
  for (const s of doc.Statement as Record<string, unknown>[]) {
    expect(['Allow', 'Deny']).toContain(s.Effect);
    expect(s.Action ?? s.NotAction).toBeDefined();
    expect(s.Resource ?? s.NotResource).toBeDefined();
  }
}

const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline'];

describe('the packed package (npm pack → npm install)', () => {
  let tmp: string;
  let project: string;
  let global: string;
  let tarball: string;
  let packed: string[];

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
    }
    tmp = mkdtempSync(path.join(os.tmpdir(), 'policy-tighten-package-'));
    project = path.join(tmp, 'project');
    global = path.join(tmp, 'global');
    mkdirSync(project);
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }),
    );

    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
    expectOk(pack, 'npm pack');
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(tmp, info.filename);
    packed = info.files.map((f) => f.path);

    // The local and the global install, side by side (each is mostly reading the npm cache).
    const [local, glob] = await Promise.all([
      run('npm', [...NPM_INSTALL, tarball], project),
      run('npm', [...NPM_INSTALL, '-g', '--prefix', global, tarball], tmp),
    ]);
    expectOk(local, 'npm install <tarball>');
    expectOk(glob, 'npm install -g --prefix <dir> <tarball>');
  }, 240_000);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('ships the CLI, the built library with its types, the runtime assets, and nothing test-only', () => {
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/policy-tighten.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/pipeline/file-worker.js',
      'dist/lambda/scheduled-report.js',
      'dist/ingest/record-scan.wasm',
      'dist/analyze/data/LICENSE-iam-dataset.txt',
      'dist/analyze/data/event-rules.json',
      'templates/aws/scheduled-report.yaml',
      'templates/github/policy-review.yml',
      'docs/api.md',
      'docs/cli.md',
    ]) {
      expect(packed).toContain(f);
    }
    const stray = packed.filter(
      (f) =>
        /\.(map|tsbuildinfo)$/.test(f) || /^(src|test|scripts|samples|dist-all|dist-test|\.ci)\//.test(f),
    );
    expect(stray).toEqual([]);
    expect(packed.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('puts policy-tighten on the project’s PATH: --help and the README’s generate command', async () => {
    const help = await run(path.join(project, 'node_modules', '.bin', 'policy-tighten'), ['--help'], project);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('policy-tighten generate');

    const gen = await run('npx', ['--no-install', 'policy-tighten', ...GENERATE], project);
    expect(gen.stderr).toContain('policy-tighten generate: function orders-api');
    expect(gen.status).toBe(0);
    expectPolicyDocument(gen.stdout);
    // The installed package gives the same bytes as this checkout.
    expect(gen.stdout).toBe(runCli(GENERATE).stdout);
  });

  it('require("policy-tighten") gives the documented API; internals are refused by the exports map', async () => {
    const probe = `
      const lib = require('policy-tighten');
      const out = {
        runGenerate: typeof lib.runGenerate,
        runReport: typeof lib.runReport,
        renderPolicyJson: typeof lib.renderPolicyJson,
        parseTimeBound: typeof lib.parseTimeBound,
        usageExit: lib.ExitCode.USAGE,
        usageError: new lib.UsageError('x') instanceof lib.PolicyTightenError,
        version: require('policy-tighten/package.json').version,
      };
      try { require('policy-tighten/dist/cli/main.js'); out.deep = 'loaded'; } catch (e) { out.deep = e.code; }
      process.stdout.write(JSON.stringify(out));`;
    const r = await run(process.execPath, ['-e', probe], project);
    expectOk(r, 'node -e require(policy-tighten)');
    expect(JSON.parse(r.stdout)).toEqual({
      runGenerate: 'function',
      runReport: 'function',
      renderPolicyJson: 'function',
      parseTimeBound: 'function',
      usageExit: 2,
      usageError: true,
      version: PKG.version,
      deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    });

    // A run through the library: the same policy as the CLI.
    const viaLib = `
      const lib = require('policy-tighten');
      lib.runGenerate({
        function: 'orders-api',
        trails: [${JSON.stringify(SAMPLE_TRAIL)}],
        accountSnapshot: ${JSON.stringify(SAMPLE_ACCOUNT)},
        window: { since: lib.parseTimeBound('2026-11-01', new Date()) },
      }).then((r) => process.stdout.write(lib.renderPolicyJson(r.policies[0])));`;
    const lib = await run(process.execPath, ['-e', viaLib], project);
    expectOk(lib, 'runGenerate through the installed package');
    expectPolicyDocument(lib.stdout);
  });

  it('ships types that TypeScript resolves through the exports map', async () => {
    writeFileSync(
      path.join(project, 'use.ts'),
      [
        "import { runGenerate, ExitCode, type RunGenerateOptions, type PolicyDocument } from 'policy-tighten';",
        "const options: RunGenerateOptions = { function: 'orders-api', trails: ['trail'], window: {} };",
        'const job: (o: RunGenerateOptions) => Promise<{ policies: PolicyDocument[] }> = runGenerate;',
        'export const used: [unknown, unknown, number] = [options, job, ExitCode.PARTIAL];',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('installs globally: <prefix>/bin/policy-tighten --version', async () => {
    const r = await run(path.join(global, 'bin', 'policy-tighten'), ['--version'], tmp);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });
});

describe('bin/policy-tighten.js without dist/ (a clone not built)', () => {
  it('prints one line saying how to build, and exits 1', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'policy-tighten-unbuilt-'));
    try {
      cpSync(path.join(ROOT, 'bin'), path.join(tmp, 'bin'), { recursive: true });
      const r = spawnSync(process.execPath, [path.join(tmp, 'bin', 'policy-tighten.js'), '--help'], {
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'policy-tighten: not built: run `npm run build` (or install the package, which builds it)\n',
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
