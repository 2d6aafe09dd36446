import type { Argv, CommandModule } from 'yargs';
import { UsageError, ExitCode, type ExitCodeValue } from '../../errors';
import { parseTimeBound } from '../../ingest';
import { runGenerate } from '../../pipeline/run-generate';
import { loadConfig } from '../../config';
import type { Granularity } from '../../generate';
import { renderCanonicalJson, renderFindingsJson, renderProvenanceJson } from '../../render';
import { addQuerySource, awsInputsOf } from '../aws';
import {
  lookupProgressOf,
  progressOf,
  queryFlagsOf,
  querySummary,
  formatOption,
  withQueryOptions,
  withSourceOptions,
  workersOf,
  type QueryFlags,
} from '../common-options';
import { FORMATS } from '../formats';
import type { CliIo } from '../io';
import { writeOutput } from '../output';
import { writePolicyDir, writePolicyFiles } from '../policy-files';
import { renderSummary } from '../summary';

/** Parsed flags of `generate`. */
export interface GenerateArgs extends QueryFlags {
  function?: string;
  role?: string;
  principal?: string;
  trail?: string[];
  'account-snapshot'?: string;
  offline?: boolean;
  profile?: string;
  'lookup-events'?: boolean;
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
  'diff-out'?: string;
  'fail-on-change'?: boolean;
  'drop-unobservable'?: boolean;
  'min-window': string;
  'policy-name'?: string;
  workers?: number;
  'out-dir'?: string;
  'findings-out'?: string;
}

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

/** `30d`, `30` (days) or `720h` → days. */
export function parseMinWindow(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(d|h)?$/.exec(value.trim());
  if (!m)
    throw new UsageError(
      `--min-window must be a duration in days or hours (30d, 720h): ${JSON.stringify(value.slice(0, 40))}`,
    );
  const n = Number(m[1]);
  return m[2] === 'h' ? n / 24 : n;
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
      withQueryOptions(withSourceOptions(y))
        .option('function', {
          type: 'string',
          describe: 'Lambda function name (its execution role is analysed)',
        })
        .option('role', { type: 'string', describe: 'IAM role name or ARN' })
        .option('principal', { type: 'string', describe: 'Role, user or assumed-role session ARN' })
        .conflicts('function', ['role', 'principal'])
        .conflicts('role', 'principal')
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
        .option('format', formatOption(FORMATS))
        .option('out', {
          type: 'string',
          describe:
            'Write the result to this file instead of stdout (json: an existing policy file is updated in place; split policies go to FILE, FILE-2 …)',
        })
        .option('diff-out', {
          type: 'string',
          describe: "Also write the diff against the role's current policies as JSON (docs/review.md)",
        })
        .option('fail-on-change', {
          type: 'boolean',
          default: false,
          describe:
            'Exit 4 when the proposal removes, narrows or adds permissions (CI gate), 0 when already tight',
        })
        .option('drop-unobservable', {
          type: 'boolean',
          default: false,
          describe:
            'Remove granted access the trail cannot show (data events not logged) instead of keeping it',
        })
        .option('min-window', {
          type: 'string',
          default: '30d',
          describe:
            "Shortest window (or the role's age, if younger) for which removals are presented as safe; shorter exits 6",
        })
        .option('policy-name', {
          type: 'string',
          describe: 'Name of the proposed policy (default: <function or role>-least-privilege)',
        })
        .option('provenance-out', {
          type: 'string',
          describe:
            'Also write why each permission is there (count, first/last seen, sample event ids) as JSON',
        })
        .option('include-denied', {
          type: 'boolean',
          default: false,
          describe: 'Also allow calls that were denied (the function tried them and lacks them)',
        })
        .option('out-dir', {
          type: 'string',
          describe:
            'Write one IAM policy document per policy (DIR/<name>.json, <name>-2.json …) and DIR/manifest.json (docs/apply.md)',
        })
        .conflicts('out-dir', 'out')
        .option('findings-out', {
          type: 'string',
          describe:
            'Also write every finding as JSON (listing order, canonical; the summary lists the first 40)',
        }) as unknown as Argv<GenerateArgs>,
    handler: async (args) => {
      const trails = args.trail ?? [];
      const query = queryFlagsOf(args);
      if (trails.length === 0 && args.offline)
        throw new UsageError('--offline needs a trail: pass --trail PATH (a CloudTrail file or directory)');
      if (args.offline && (args['lookup-events'] || query))
        throw new UsageError(
          `${args['lookup-events'] ? '--lookup-events' : query?.kind === 'athena' ? '--athena-table' : query?.kind === 'lake' ? '--lake' : '--log-group'} reads AWS: it cannot be used with --offline`,
        );
      // Without a trail, CloudTrail's event history is the source (DESIGN: the default of generate).
      if (trails.length === 0 && !query) args['lookup-events'] = true;
      if (args['lookup-events'])
        io.stderr(
          "  reading CloudTrail's event history (LookupEvents): management events of the last 90 days only; data events (S3 objects, DynamoDB items, Lambda invokes …) are not in it\n",
        );
      const now = io.now();
      const window = {
        since: parseTimeBound(args.since, now),
        ...(args.until !== undefined ? { until: parseTimeBound(args.until, now) } : {}),
      };
      if (window.until && window.since >= window.until)
        throw new UsageError('--since must be before --until');

      const format = FORMATS[args.format];
      if (!format) throw new UsageError(`unknown --format ${args.format}`);
      const minWindowDays = parseMinWindow(args['min-window']);
      if (args['policy-name'] !== undefined && !POLICY_NAME.test(args['policy-name'])) {
        throw new UsageError('--policy-name must be 1-128 characters of letters, digits and +=,.@_-');
      }
      const needsDiff =
        format.needs === 'diff' || args['fail-on-change'] === true || args['diff-out'] !== undefined;
      if (needsDiff && args['account-snapshot'] === undefined && args.offline) {
        throw new UsageError(
          `${format.needs === 'diff' ? `--format ${args.format}` : args['fail-on-change'] ? '--fail-on-change' : '--diff-out'} ` +
            "compares with the role's current policies: pass --account-snapshot DIR (or drop --offline to read them live)",
        );
      }

      const outDir = args['out-dir'];

      const progress = progressOf(io);
      const config = args.config !== undefined ? await loadConfig(args.config) : undefined;
      const inputs = awsInputsOf(
        args,
        args.region !== undefined ? [args.region] : undefined,
        lookupProgressOf(io),
      );
      const querySource = addQuerySource(inputs.sources, args, (line) => io.stderr(line));
      const result = await runGenerate({
        ...inputs,
        workers: workersOf(args.workers),
        granularity: args.granularity as Granularity,
        inline: args.inline ?? false,
        now,
        minWindowDays,
        dropUnobservable: args['drop-unobservable'] ?? false,
        ...(args['policy-name'] !== undefined ? { policyName: args['policy-name'] } : {}),
        ...(config ? { config } : {}),
        ...(args.function !== undefined ? { function: args.function } : {}),
        ...(args.role !== undefined ? { role: args.role } : {}),
        ...(args.principal !== undefined ? { principal: args.principal } : {}),
        ...(args.region !== undefined ? { region: args.region } : {}),
        trails,
        ...(args['account-snapshot'] !== undefined ? { accountSnapshot: args['account-snapshot'] } : {}),
        window,
        includeDenied: args['include-denied'] ?? false,
        ...(progress ? { progress } : {}),
      });
      if (needsDiff && !result.diff) {
        throw new UsageError(
          `the account snapshot does not hold the role of ${result.targetDisplay}: the diff needs its current policies`,
        );
      }
      if (format.needs === 'role' && !result.roleName) {
        throw new UsageError(
          `--format ${args.format} needs the role's name: pass --account-snapshot DIR or --role NAME`,
        );
      }

      const header = `policy-tighten generate ${args.function !== undefined ? `--function ${result.subject}` : `--role ${result.roleName ?? result.subject}`}`;
      const rendered = format.render(result, { header, inline: args.inline ?? false });
      if (outDir !== undefined) {
        const { written, removed } = await writePolicyDir(outDir, {
          policies: result.policies,
          policyNames: result.policyNames,
          inline: args.inline ?? false,
          target: {
            display: result.targetDisplay,
            ...(args.function !== undefined ? { function: result.subject } : {}),
            ...(result.roleName !== undefined ? { role: result.roleName } : {}),
            ...(result.diff ? { roleArn: result.diff.target.roleArn } : {}),
          },
          ...(result.diff
            ? { current: { policies: result.diff.current.policies, unknown: result.diff.current.unknown } }
            : {}),
        });
        io.stderr(
          `  wrote ${written.length} policy document${written.length === 1 ? '' : 's'} and manifest.json to ${outDir}${removed.length > 0 ? `; removed stale ${removed.join(', ')}` : ''}\n`,
        );
        // The documents are in the directory; other formats (a review, IaC) still go to stdout.
        if (args.format !== 'json') await writeOutput(io, undefined, rendered);
      } else if (args.format === 'json' && args.out !== undefined && args.out !== '-') {
        const { written, removed } = await writePolicyFiles(io, args.out, result.policies);
        if (written.length > 1 || removed.length > 0) {
          io.stderr(
            `  wrote ${written.join(', ')}${removed.length > 0 ? `; removed stale ${removed.join(', ')}` : ''}\n`,
          );
        }
      } else {
        await writeOutput(io, args.out, rendered);
      }
      if (args['diff-out'] !== undefined && result.diff) {
        await writeOutput(io, args['diff-out'], renderCanonicalJson(result.diff));
      }
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
      if (args['findings-out'] !== undefined) {
        await writeOutput(io, args['findings-out'], renderFindingsJson(result.findings));
      }
      if (querySource) io.stderr(`  ${querySummary(querySource)}\n`);
      io.stderr(
        renderSummary(
          result,
          window,
          args['findings-out'] !== undefined ? { findingsOut: args['findings-out'] } : {},
        ),
      );
      setExit(exitCodeOf(result, args['fail-on-change'] ?? false));
    },
  };
}

/**
 * The exit code of a finished run (docs/cli.md): partial (3) before insufficient evidence (6: no
 * call of the target at all, or a diff that cannot present removals as safe) before changed under
 * --fail-on-change (4). No data is never 0.
 */
export function exitCodeOf(
  result: {
    partial: boolean;
    usage: { stats: { attributed: number } };
    diff?: { safeToRemove: boolean; changed: boolean };
  },
  failOnChange: boolean,
): ExitCodeValue {
  if (result.partial) return ExitCode.PARTIAL;
  if (result.usage.stats.attributed === 0) return ExitCode.INSUFFICIENT_EVIDENCE;
  if (result.diff && !result.diff.safeToRemove) return ExitCode.INSUFFICIENT_EVIDENCE;
  if (failOnChange && result.diff?.changed) return ExitCode.CHANGED;
  return ExitCode.OK;
}
