import type { Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors';
import { parseTimeBound } from '../../ingest';
import { runReport, type ReportResult } from '../../pipeline/run-report';
import { renderCanonicalJson, renderFindingsJson } from '../../render';
import { renderReportHtml } from '../../render/report-html';
import { renderReportMarkdown } from '../../render/report-markdown';
import type { UnusedReport } from '../../report';
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
import { renderReportSummary } from '../summary';

/** Parsed flags of `report`. */
export interface ReportArgs extends QueryFlags {
  unused?: boolean;
  trail?: string[];
  'account-snapshot'?: string;
  offline?: boolean;
  profile?: string;
  since: string;
  until?: string;
  format: string;
  out?: string;
  'fail-on-unused'?: boolean;
  cache?: string;
  region?: string[];
  workers?: number;
  'findings-out'?: string;
}

const REPORT_FORMATS: Record<string, { describe: string; render: (r: UnusedReport) => string }> = {
  json: { describe: 'the report as JSON (docs/report.md)', render: (r) => renderCanonicalJson(r) },
  markdown: { describe: 'a job summary', render: renderReportMarkdown },
  html: { describe: 'one self-contained page with charts, filters and sorting', render: renderReportHtml },
};

/** `policy-tighten report --unused`: unused roles, functions and permissions, shared roles. */
export function reportCommand(
  io: CliIo,
  setExit: (code: ExitCodeValue) => void,
): CommandModule<object, ReportArgs> {
  return {
    command: 'report',
    describe: 'Report unused roles, unused functions, unused permissions and shared roles of the account',
    builder: (y: Argv) =>
      withQueryOptions(withSourceOptions(y))
        .option('unused', { type: 'boolean', describe: 'The unused-access report (required)' })
        .option('region', LIVE_REGIONS_OPTION)
        .option('format', formatOption(REPORT_FORMATS))
        .option('out', { type: 'string', describe: 'Write the report to this file instead of stdout' })
        .option('cache', {
          type: 'string',
          describe:
            'Keep what was read per delivery folder in DIR: a daily run reads only new or changed folders (same bytes out)',
        })
        .option('fail-on-unused', {
          type: 'boolean',
          default: false,
          describe: 'Exit 7 when the report names an unused role or function (scheduled pipelines)',
        })
        .option('findings-out', {
          type: 'string',
          describe:
            'Also write every finding as JSON (listing order, canonical; the summary lists the first 40)',
        }) as unknown as Argv<ReportArgs>,
    handler: async (args) => {
      if (!args.unused) throw new UsageError('name the report: --unused (the only report so far)');
      const now = io.now();
      const since = parseTimeBound(args.since, now);
      const until = args.until !== undefined ? parseTimeBound(args.until, now) : now;
      const format = REPORT_FORMATS[args.format];
      if (!format) throw new UsageError(`unknown --format ${args.format}`);
      const progress = progressOf(io);
      const { inputs, querySource } = accountWideInputsOf(
        args,
        (line) => io.stderr(line),
        lookupProgressOf(io),
      );
      const result = await runReport({
        ...inputs,
        workers: workersOf(args.workers),
        trails: args.trail ?? [],
        ...(args['account-snapshot'] !== undefined ? { accountSnapshot: args['account-snapshot'] } : {}),
        window: { since, until },
        now,
        ...(args.cache !== undefined ? { cacheDir: args.cache } : {}),
        ...(progress ? { progress } : {}),
      });
      await writeOutput(io, args.out, format.render(result.report));
      if (args['findings-out'] !== undefined) {
        await writeOutput(io, args['findings-out'], renderFindingsJson(result.report.findings));
      }
      if (querySource) io.stderr(`  ${querySummary(querySource)}\n`);
      io.stderr(
        renderReportSummary(
          result,
          args['findings-out'] !== undefined ? { findingsOut: args['findings-out'] } : {},
        ),
      );
      setExit(reportExitCode(result, args['fail-on-unused'] ?? false));
    },
  };
}

/** Partial (3) before no data (6) before unused found under --fail-on-unused (7). */
export function reportExitCode(result: ReportResult, failOnUnused: boolean): ExitCodeValue {
  if (result.partial) return ExitCode.PARTIAL;
  if (result.noData) return ExitCode.INSUFFICIENT_EVIDENCE;
  const s = result.report.summary;
  if (failOnUnused && s.unusedRoles + s.unusedFunctions > 0) return ExitCode.UNUSED_FOUND;
  return ExitCode.OK;
}
