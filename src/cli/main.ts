import yargs from 'yargs';
import { ExitCode, PolicyTightenError, VerificationError, type ExitCodeValue } from '../errors';
import { generateCommand } from './commands/generate';
import { reportCommand } from './commands/report';
import { snapshotCommand } from './commands/snapshot';
import { athenaCommand } from './commands/athena';
import { processIo, type CliIo } from './io';

const ISSUES = 'https://github.com/policy-tighten/policy-tighten/issues';

/**
 * Runs the CLI and returns the exit code (docs/cli.md). The only place that maps errors to
 * exit codes; `main` is the only place that sets the process's exit code.
 */
export async function run(argv: string[], io: CliIo = processIo()): Promise<ExitCodeValue> {
  let code: ExitCodeValue = ExitCode.OK;
  const setExit = (c: ExitCodeValue) => {
    code = c;
  };
  let usageMessage: string | undefined;
  try {
    await yargs(argv)
      .scriptName('policy-tighten')
      .env('POLICY_TIGHTEN')
      // --debug (or POLICY_TIGHTEN_DEBUG=1) prints stack traces of internal errors.
      .option('debug', { type: 'boolean', hidden: true })
      .command(generateCommand(io, setExit))
      .command(reportCommand(io, setExit))
      .command(snapshotCommand(io, setExit))
      .command(athenaCommand(io, setExit))
      .demandCommand(1, 'name a command: generate, report, snapshot, athena ddl')
      .strict()
      .help()
      .version()
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .exitProcess(false)
      .fail((msg, err) => {
        if (err) throw err;
        usageMessage = msg;
        throw new UsageMarker();
      })
      .parseAsync();
  } catch (err) {
    if (err instanceof UsageMarker) {
      io.stderr(`policy-tighten: ${usageMessage}\nRun 'policy-tighten --help' for usage.\n`);
      return ExitCode.USAGE;
    }
    return reportError(err, io, argv);
  }
  return code;
}

class UsageMarker extends Error {}

/** Entry point of bin/policy-tighten.js. */
export function main(argv: string[]): void {
  run(argv).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = ExitCode.FAILURE;
    },
  );
}

/**
 * Prints an error that stopped a run and returns its exit code: the tool's typed errors carry
 * their code; anything else is an internal error (a bug), with a stack trace under --debug.
 */
export function reportError(err: unknown, io: CliIo, argv: readonly string[]): ExitCodeValue {
  if (PolicyTightenError.is(err)) {
    io.stderr(`policy-tighten: ${err.message}\n`);
    if (err instanceof VerificationError) {
      for (const f of err.failures.slice(0, 50)) io.stderr(`  ${f}\n`);
      io.stderr(`This is a bug in policy-tighten; please report it at ${ISSUES}\n`);
    }
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  io.stderr(`policy-tighten: internal error: ${e?.message ?? String(err)}\n`);
  if (argv.includes('--debug') || process.env.POLICY_TIGHTEN_DEBUG) io.stderr(`${e?.stack ?? ''}\n`);
  io.stderr(`This is a bug in policy-tighten; please report it at ${ISSUES}\n`);
  return ExitCode.FAILURE;
}
