/**
 * Options and helpers shared by the commands that read a trail and an account state (`generate`,
 * `report`): one definition of the sources, the window and the progress line.
 */
import type { Argv } from 'yargs';
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
    }) as unknown as Argv<T>;
}

/** A progress line on stderr when it is a TTY (at most five updates a second), else undefined. */
export function progressOf(io: CliIo): ((done: number, total: number) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  let lastShown = 0;
  return (done, total) => {
    const t = Date.now();
    if (done === total || t - lastShown > 200) {
      lastShown = t;
      io.stderr(`\r  reading trail files: ${done}/${total}${done === total ? '\n' : ''}`);
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
