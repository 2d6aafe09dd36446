import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { AUDIT_RULES, AUDIT_SEVERITIES, atLeast, type AuditResult, type AuditSeverity } from '../../audit';
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors';
import { parseTimeBound } from '../../ingest';
import { runAudit } from '../../pipeline/run-audit';
import {
  renderAuditHtml,
  renderAuditMarkdown,
  renderAuditSarif,
  renderCanonicalJson,
  type AuditRuleMeta,
  type IacFile,
} from '../../render';
import { accountWideInputsOf } from '../aws';
import {
  lookupProgressOf,
  progressOf,
  querySummary,
  formatOption,
  LIVE_REGIONS_OPTION,
  withQueryOptions,
  withSourceOptions,
  workersOf,
  type QueryFlags,
} from '../common-options';
import type { CliIo } from '../io';
import { writeOutput } from '../output';

/** Parsed flags of `audit`. */
export interface AuditArgs extends QueryFlags {
  trail?: string[];
  'account-snapshot'?: string;
  offline?: boolean;
  profile?: string;
  'lookup-events'?: boolean;
  since: string;
  until?: string;
  region?: string[];
  format: string;
  out?: string;
  'fail-on'?: string;
  'as-of'?: string;
  iac?: string[];
  workers?: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TOOL_VERSION: string = (require('../../../package.json') as { version: string }).version;

/** What a renderer may need besides the audit: the tool's version, the rules, the --iac files. */
export interface AuditRenderContext {
  version: string;
  rules: readonly AuditRuleMeta[];
  iac: readonly IacFile[];
}

/** The audit's output formats. */
export const AUDIT_FORMATS: Record<
  string,
  { describe: string; render: (a: AuditResult, context: AuditRenderContext) => string }
> = {
  json: { describe: 'the audit as JSON, docs/audit.md', render: (a) => renderCanonicalJson(a) },
  markdown: { describe: 'a job summary or pull-request comment', render: (a) => renderAuditMarkdown(a) },
  html: { describe: 'one self-contained page with filters', render: (a) => renderAuditHtml(a) },
  sarif: {
    describe: 'SARIF 2.1.0 for GitHub code scanning; locations from --iac',
    render: (a, c) => renderAuditSarif(a, { version: c.version, rules: c.rules, iac: c.iac }),
  },
};

/** An --iac path as SARIF wants it: relative to the repository root (the working directory), `/`. */
export function iacUri(file: string, cwd: string): string {
  const rel = path.isAbsolute(file) ? path.relative(cwd, file) : file;
  return rel
    .split(path.sep)
    .join('/')
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '');
}

/** Reads the --iac files (I/O stays in the CLI; the renderers get their text). */
export async function readIacFiles(files: readonly string[], cwd: string): Promise<IacFile[]> {
  const out: IacFile[] = [];
  for (const file of files) {
    let content: string;
    try {
      content = await readFile(path.resolve(cwd, file), 'utf8');
    } catch (e) {
      throw new UsageError(`--iac ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    out.push({ path: iacUri(file, cwd), content });
  }
  return out;
}

/** `policy-tighten audit`: AWS's Lambda security advice, from configuration and the trail. */
export function auditCommand(
  io: CliIo,
  setExit: (code: ExitCodeValue) => void,
): CommandModule<object, AuditArgs> {
  return {
    command: 'audit',
    describe: "Check the account's Lambda functions and roles against AWS's Lambda security advice",
    builder: (y: Argv) =>
      withQueryOptions(withSourceOptions(y))
        .option('region', LIVE_REGIONS_OPTION)
        .option('format', formatOption(AUDIT_FORMATS))
        .option('out', { type: 'string', describe: 'Write the audit to this file instead of stdout' })
        .option('iac', {
          type: 'string',
          array: true,
          describe:
            'Terraform (.tf) or CloudFormation/SAM (.yaml, .yml, .json) file defining the functions and roles: SARIF results point at their lines (path relative to the repository root)',
        })
        .option('as-of', {
          type: 'string',
          describe:
            'Judge the dated checks (runtime end of support) as of this date, or a duration ago (default: today)',
        })
        .option('fail-on', {
          type: 'string',
          choices: [...AUDIT_SEVERITIES],
          describe: 'Exit 8 when a finding is at least this severe (CI)',
        }) as unknown as Argv<AuditArgs>,
    handler: async (args) => {
      const now = io.now();
      const asOf = args['as-of'] !== undefined ? parseTimeBound(args['as-of'], now) : now;
      const since = parseTimeBound(args.since, now);
      const until = args.until !== undefined ? parseTimeBound(args.until, now) : now;
      const format = AUDIT_FORMATS[args.format];
      if (!format) throw new UsageError(`unknown --format ${args.format}`);
      if ((args.iac ?? []).length > 0 && args.format !== 'sarif')
        throw new UsageError('--iac places SARIF results in IaC files: it needs --format sarif');
      const iac = await readIacFiles(args.iac ?? [], process.cwd());
      const progress = progressOf(io);
      const { inputs, querySource } = accountWideInputsOf(
        args,
        (line) => io.stderr(line),
        lookupProgressOf(io),
        {
          auditParts: true,
        },
      );
      const result = await runAudit({
        ...inputs,
        workers: workersOf(args.workers),
        trails: args.trail ?? [],
        ...(args['account-snapshot'] !== undefined ? { accountSnapshot: args['account-snapshot'] } : {}),
        window: { since, until },
        now: asOf,
        ...(progress ? { progress } : {}),
      });
      for (const note of inputs.liveAccount?.notes ?? []) io.stderr(`policy-tighten: note: ${note}\n`);
      await writeOutput(
        io,
        args.out,
        format.render(result.audit, { version: TOOL_VERSION, rules: AUDIT_RULES, iac }),
      );
      if (querySource) io.stderr(`  ${querySummary(querySource)}\n`);
      io.stderr(auditSummary(result.audit));
      setExit(auditExitCode(result.audit, result.partial, args['fail-on'] as AuditSeverity | undefined));
    },
  };
}

const n = (x: number) => x.toLocaleString('en-US');

/** The summary on stderr: counts by severity, the rules skipped and why. */
export function auditSummary(audit: AuditResult): string {
  const c = audit.counts;
  const lines = [
    `policy-tighten audit: ${n(audit.findings.length)} finding(s): ${AUDIT_SEVERITIES.map((s) => `${n(c[s])} ${s}`).join(', ')}; ` +
      `${n(audit.rulesRun.length)} rule(s) run, ${n(audit.skipped.length)} not run`,
  ];
  for (const s of audit.skipped) lines.push(`  not run: ${s.rule}: ${s.reason}`);
  if (audit.partial)
    lines.push('  PARTIAL: some trail input was skipped or not mapped: activity may be missing');
  return `${lines.join('\n')}\n`;
}

/** Partial (3) before a finding at or above --fail-on (8), else 0. */
export function auditExitCode(
  audit: AuditResult,
  partial: boolean,
  failOn: AuditSeverity | undefined,
): ExitCodeValue {
  if (partial) return ExitCode.PARTIAL;
  if (failOn && audit.findings.some((f) => atLeast(f.severity, failOn))) return ExitCode.AUDIT_FAILED;
  return ExitCode.OK;
}
