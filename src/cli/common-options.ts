/**
 * Options and helpers shared by the commands that read a trail and an account state (`generate`,
 * `report`): one definition of the sources, the window and the progress line.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors';
import { defaultWorkers, type Workers } from '../pipeline/worker-pool';
import type { QuerySource } from '../sources';
import type { CliIo } from './io';

/** `--trail`, `--account-snapshot`, `--offline`, `--since`, `--until`, `--profile`. */
export function withSourceOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('trail', {
      type: 'string',
      array: true,
      describe:
        'CloudTrail file or directory, or s3://bucket/prefix of a trail bucket (repeatable; .json, .json.gz, JSON lines)',
    })
    .option('lookup-events', {
      type: 'boolean',
      describe:
        "Read CloudTrail's event history (LookupEvents: management events of the last 90 days, one region); the default of generate without --trail",
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
    .option('until', {
      type: 'string',
      describe: 'End of the window (exclusive): duration or ISO date',
    })
    .option('profile', {
      type: 'string',
      describe:
        'AWS profile of the shared config (else the standard credential chain: AWS_* variables, SSO …)',
    })
    .option('workers', {
      type: 'number',
      describe: `Threads that read the trail files: this one and N−1 workers (default: one per core, here ${defaultWorkers()}, for trails of 16 MB and more)`,
    }) as unknown as Argv<T>;
}

/** `--format` (alias `--output`, as in the AWS CLI) over a command's formats, `json` by default. */
export function formatOption(formats: Record<string, { describe: string }>) {
  return {
    alias: 'output',
    type: 'string',
    choices: Object.keys(formats),
    default: 'json',
    describe: `Output format: ${Object.entries(formats)
      .map(([k, f]) => `${k} (${f.describe})`)
      .join('; ')}`,
  } as const;
}

/** `--region` of the account-wide commands: where Lambda functions are read live. */
export const LIVE_REGIONS_OPTION = {
  type: 'string',
  array: true,
  describe: 'Regions whose Lambda functions are read live (default: the configured region)',
} as const;

/** `--workers`, checked: a whole number from 1 to 64; absent, one per core for a large trail. */
export function workersOf(value: number | undefined): Workers {
  if (value === undefined) return 'auto';
  if (!Number.isInteger(value) || value < 1 || value > 64)
    throw new UsageError(
      `--workers must be a whole number from 1 to 64: ${JSON.stringify(String(value).slice(0, 20))}`,
    );
  return value;
}

/** A progress line on stderr when it is a TTY (at most five updates a second), else undefined. */
export function progressOf(
  io: CliIo,
): ((done: number, total: number, bytes?: { read: number; size: number }) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  let lastShown = 0;
  const mb = (n: number) => (n / 1e6).toFixed(0);
  return (done, total, bytes) => {
    const t = Date.now();
    if (done === total || t - lastShown > 200) {
      lastShown = t;
      // A file streamed for long (an export of hundreds of MB) shows how far it has got.
      const inFile = bytes && done < total ? ` (${mb(bytes.read)}/${mb(bytes.size)} MB of a large file)` : '';
      io.stderr(`\r  reading trail files: ${done}/${total}${inFile}\x1b[K${done === total ? '\n' : ''}`);
    }
  };
}

/**
 * A progress line for LookupEvents on stderr when it is a TTY: pages and events so far, and the
 * pace the quota allows (2 requests a second: 100 events a second at most).
 */
export function lookupProgressOf(
  io: CliIo,
): ((pages: number, events: number, done: boolean) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  const start = Date.now();
  return (pages, events, done) => {
    const s = Math.max(1, Math.round((Date.now() - start) / 1000));
    io.stderr(
      `\r  LookupEvents: ${pages} pages, ${events} events in ${s} s (at most 2 pages a second)${done ? '\n' : ''}`,
    );
  };
}

/** `--athena-*`, `--log-group`, `--query-timeout`: a query engine over the trail. */
export function withQueryOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('athena-table', {
      type: 'string',
      describe:
        'Query the trail with Athena: DATABASE.TABLE in the CloudTrail table layout (`policy-tighten athena ddl` prints it)',
    })
    .option('athena-workgroup', { type: 'string', describe: 'Athena workgroup (default: primary)' })
    .option('athena-output', {
      type: 'string',
      describe: "s3:// location for Athena's results, unless the workgroup sets one",
    })
    .option('athena-date-partition', {
      type: 'string',
      default: 'timestamp',
      describe:
        "The table's yyyy/MM/dd partition column, filtered to the window's days ('none': no such column)",
    })
    .option('log-group', {
      type: 'string',
      array: true,
      describe: "Query the trail's CloudWatch Logs log group with Logs Insights (repeatable)",
    })
    .option('lake', {
      type: 'string',
      describe:
        'Query a CloudTrail Lake event data store (ID or ARN; for existing Lake customers: Lake is closed to new ones)',
    })
    .option('query-timeout', {
      type: 'string',
      default: '15m',
      describe: 'Deadline of one Athena, Logs Insights or Lake query (30s, 15m, 1h)',
    })
    .conflicts('athena-table', ['log-group', 'lake'])
    .conflicts('log-group', 'lake') as unknown as Argv<T>;
}

/** The query flags of a command. */
export interface QueryFlags {
  'athena-table'?: string;
  'athena-workgroup'?: string;
  'athena-output'?: string;
  'athena-date-partition'?: string;
  'log-group'?: string[];
  lake?: string;
  'query-timeout'?: string;
}

/** The query engines, by the flag that chooses them. */
export type QueryKind = 'athena' | 'logs' | 'lake';

/** How the CLI names an engine. */
export const QUERY_ENGINE: Record<QueryKind, string> = {
  athena: 'Athena',
  logs: 'CloudWatch Logs Insights',
  lake: 'CloudTrail Lake',
};

/** The engine the flags choose, with its deadline in milliseconds; undefined for none. */
export function queryFlagsOf(args: QueryFlags): { kind: QueryKind; timeoutMs: number } | undefined {
  const kind: QueryKind | undefined =
    args['athena-table'] !== undefined
      ? 'athena'
      : (args['log-group'] ?? []).length > 0
        ? 'logs'
        : args.lake !== undefined
          ? 'lake'
          : undefined;
  if (!kind) return undefined;
  const text = args['query-timeout'] ?? '15m';
  const m = /^(\d{1,6})(s|m|h)?$/.exec(text.trim());
  if (!m || Number(m[1]) === 0)
    throw new UsageError(
      `--query-timeout must be a duration (30s, 15m, 1h): ${JSON.stringify(text.slice(0, 40))}`,
    );
  const unit = m[2] === 'h' ? 3_600_000 : m[2] === 'm' ? 60_000 : 1000;
  const output = args['athena-output'];
  if (output !== undefined && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(output))
    throw new UsageError(
      `--athena-output must be an s3://bucket/prefix: ${JSON.stringify(output.slice(0, 80))}`,
    );
  return { kind, timeoutMs: Number(m[1]) * unit };
}

/** `Athena: 1 query, 7 requests, 412 rows, 3.1 MB scanned`: what a query source cost. */
export function querySummary(source: QuerySource): string {
  const c = source.counters;
  const mb = c.bytesScanned / 1_000_000;
  const scanned = mb >= 1000 ? `${(mb / 1000).toFixed(1)} GB` : `${mb.toFixed(1)} MB`;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : w.endsWith('y') ? '' : 's'}`;
  return `${source.name}: ${c.queries} ${c.queries === 1 ? 'query' : 'queries'}, ${plural(c.requests, 'request')}, ${plural(c.rows, 'row')}, ${scanned} scanned`;
}
