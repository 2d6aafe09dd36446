/**
 * Test harness for the workflow templates (templates/github/*.yml): their YAML as typed objects,
 * and their shell steps run as GitHub Actions runs them, with fake commands in a scratch bin/.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
export interface Job {
  if?: string;
  env?: Record<string, string>;
  permissions?: unknown;
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
export interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const root = path.resolve(__dirname, '../../..');

/** A workflow template of templates/github, parsed, with a lookup of its steps. */
export function loadWorkflow(name: string) {
  const file = path.join(root, 'templates/github', name);
  const text = readFileSync(file, 'utf8');
  const workflow = parse(text) as Workflow;
  const jobs = Object.values(workflow.jobs);
  const steps = jobs.flatMap((j) => j.steps);
  /** The one step that `test` picks (throws when none or several do). */
  const find = (what: string, test: (s: Step) => boolean): Step => {
    const found = steps.filter(test);
    if (found.length !== 1) throw new Error(`expected one ${what} step, found ${found.length}`);
    return found[0];
  };
  return { root, file, text, workflow, jobs, steps, find };
}

/** A step's script (empty for `uses:` steps). */
export const script = (s: Step): string => s.run ?? '';

const scratch: string[] = [];
/** Removes the scratch directories (call from afterAll). */
export function removeScratch(): void {
  scratch.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
}

/** A scratch directory with a bin/ of fake commands that log their arguments to calls.log. */
export function sandbox(fakes: Record<string, string> = {}): { dir: string; bin: string; log: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'pt-workflow-'));
  scratch.push(dir);
  const bin = path.join(dir, '.bin');
  mkdirSync(bin);
  const log = path.join(dir, '.calls.log');
  for (const [name, body] of Object.entries(fakes)) {
    const file = path.join(bin, name);
    writeFileSync(
      file,
      `#!/usr/bin/env bash\nprintf '%s\\x1f' ${JSON.stringify(name)} "$@" >> "$CALLS_LOG"\necho >> "$CALLS_LOG"\n${body}\n`,
    );
    chmodSync(file, 0o755);
  }
  return { dir, bin, log };
}

export function calls(log: string): string[][] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\x1f').slice(0, -1));
}

export interface StepRun {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
}

/** Runs a step's script as GitHub Actions does with `shell: bash`. */
export function runStep(
  step: Step,
  env: Record<string, string>,
  box = sandbox(),
): StepRun & { box: ReturnType<typeof sandbox> } {
  const outputFile = path.join(box.dir, '.github-output');
  writeFileSync(outputFile, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script(step)], {
    cwd: box.dir,
    encoding: 'utf8',
    env: {
      PATH: `${box.bin}:${process.env.PATH ?? ''}`,
      HOME: box.dir,
      CALLS_LOG: box.log,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: path.join(box.dir, '.step-summary'),
      ...env,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { status: result.status, stdout: result.stdout + result.stderr, outputs, box };
}

/** The `${{ }}` expressions of a script that read values an outsider can set (script injection). */
export function untrustedExpressions(text: string): string[] {
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)]
    .map((m) => m[1].trim())
    .filter((e) => /\b(inputs\.|github\.event\.|github\.head_ref\b)/.test(e));
}

/** A fake `aws`: the caller's account for `sts get-caller-identity`, `{}` for anything else. */
export const FAKE_AWS = `case "$1 $2" in
  "sts get-caller-identity") echo 123456789012 ;;
  *) echo '{}' ;;
esac`;
