import type { Argv, CommandModule } from 'yargs';
import { UsageError, ExitCode, type ExitCodeValue } from '../../errors';
import { parseTimeBound } from '../../ingest';
import { runGenerate } from '../../pipeline/run-generate';
import { loadConfig } from '../../config';
import type { Granularity } from '../../generate';
import { renderPolicyJson, renderProvenanceJson } from '../../render';
import type { CliIo } from '../io';
import { writeOutput } from '../output';
import { renderSummary } from '../summary';

/** Parsed flags of `generate`. */
export interface GenerateArgs {
  function?: string;
  role?: string;
  principal?: string;
  trail?: string[];
  'account-snapshot'?: string;
  offline?: boolean;
  since: string;
  until?: string;
  region?: string;
  format: string;
  out?: string;
  'include-denied'?: boolean;
  'provenance-out'?: string;
  granularity: string;
  config?: string;
  inline?: boolean;
}

/** `policy-tighten generate`: the least-privilege policy of one function, role or principal. */
export function generateCommand(
  io: CliIo,
  setExit: (code: ExitCodeValue) => void,
): CommandModule<object, GenerateArgs> {
  return {
    command: 'generate',
    describe: 'Generate the least-privilege policy of a function, role or principal from what it did',
    builder: (y: Argv) =>
      y
        .option('function', {
          type: 'string',
          describe: 'Lambda function name (its execution role is analysed)',
        })
        .option('role', { type: 'string', describe: 'IAM role name or ARN' })
        .option('principal', { type: 'string', describe: 'Role, user or assumed-role session ARN' })
        .conflicts('function', ['role', 'principal'])
        .conflicts('role', 'principal')
        .option('trail', {
          type: 'string',
          array: true,
          describe: 'CloudTrail file or directory (repeatable; .json, .json.gz, JSON lines)',
        })
        .option('account-snapshot', {
          type: 'string',
          describe: 'Account snapshot directory (see docs/snapshot.md)',
        })
        .option('offline', { type: 'boolean', default: false, describe: 'Make no AWS call at all' })
        .option('since', {
          type: 'string',
          default: '90d',
          describe: 'Start of the window: duration (90d, 12h) or ISO date',
        })
        .option('until', { type: 'string', describe: 'End of the window (exclusive): duration or ISO date' })
        .option('region', {
          type: 'string',
          describe: 'Region of the function, when its name exists in several',
        })
        .option('granularity', {
          type: 'string',
          choices: ['exact', 'prefix', 'type'],
          default: 'prefix',
          describe:
            'How far resources are generalised: exact ARNs; prefix (S3 keys to their shared folder, log streams to their group); type (all of a type within its bucket, account and region)',
        })
        .option('inline', {
          type: 'boolean',
          default: false,
          describe:
            'Size the result as one inline policy (10,240 characters) instead of up to 10 managed policies (6,144 each)',
        })
        .option('config', {
          type: 'string',
          describe:
            'Config file with finding suppressions {"suppressions":[{"id","reason"}]} (docs/generation.md)',
        })
        .option('format', { type: 'string', choices: ['json'], default: 'json', describe: 'Output format' })
        .option('out', { type: 'string', describe: 'Write the result to this file instead of stdout' })
        .option('provenance-out', {
          type: 'string',
          describe:
            'Also write why each permission is there (count, first/last seen, sample event ids) as JSON',
        })
        .option('include-denied', {
          type: 'boolean',
          default: false,
          describe: 'Also allow calls that were denied (the function tried them and lacks them)',
        }) as unknown as Argv<GenerateArgs>,
    handler: async (args) => {
      const trails = args.trail ?? [];
      if (trails.length === 0) {
        throw new UsageError(
          args.offline
            ? '--offline needs a trail: pass --trail PATH (a CloudTrail file or directory)'
            : 'no trail source given: pass --trail PATH (live sources such as LookupEvents are not available yet)',
        );
      }
      const now = io.now();
      const window = {
        since: parseTimeBound(args.since, now),
        ...(args.until !== undefined ? { until: parseTimeBound(args.until, now) } : {}),
      };
      if (window.until && window.since >= window.until)
        throw new UsageError('--since must be before --until');

      let lastShown = 0;
      const config = args.config !== undefined ? await loadConfig(args.config) : undefined;
      const result = await runGenerate({
        granularity: args.granularity as Granularity,
        inline: args.inline ?? false,
        ...(config ? { config } : {}),
        ...(args.function !== undefined ? { function: args.function } : {}),
        ...(args.role !== undefined ? { role: args.role } : {}),
        ...(args.principal !== undefined ? { principal: args.principal } : {}),
        ...(args.region !== undefined ? { region: args.region } : {}),
        trails,
        ...(args['account-snapshot'] !== undefined ? { accountSnapshot: args['account-snapshot'] } : {}),
        window,
        includeDenied: args['include-denied'] ?? false,
        ...(io.stderrIsTTY
          ? {
              progress: (done: number, total: number) => {
                const t = Date.now();
                if (done === total || t - lastShown > 200) {
                  lastShown = t;
                  io.stderr(`\r  reading trail files: ${done}/${total}${done === total ? '\n' : ''}`);
                }
              },
            }
          : {}),
      });

      await writeOutput(
        io,
        args.out,
        renderPolicyJson(
          result.policies.length <= 1
            ? (result.policies[0] ?? { Version: '2012-10-17', Statement: [] })
            : { policies: result.policies },
        ),
      );
      if (args['provenance-out'] !== undefined) {
        await writeOutput(
          io,
          args['provenance-out'],
          renderProvenanceJson({
            target: result.targetDisplay,
            window: {
              since: window.since.toISOString(),
              ...(window.until ? { until: window.until.toISOString() } : {}),
            },
            stats: result.usage.stats,
            entries: Object.values(result.usage.entries),
            denied: Object.values(result.usage.denied),
            findings: result.findings,
            statements: result.origins,
          }),
        );
      }
      io.stderr(renderSummary(result, window));
      setExit(result.partial ? ExitCode.PARTIAL : ExitCode.OK);
    },
  };
}
