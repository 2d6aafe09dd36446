import yargs from 'yargs';
import { ExitCode, PolicyTightenError, VerificationError, type ExitCodeValue } from '../errors';
import {
  applyEnvironment,
  checkValues,
  envBoolean,
  unknownArgumentsMessage,
  type DeclaredOptions,
} from './arguments';
import { exitCodesEpilogue, withHelp } from './help';
import { checkOutputDir, checkOutputFile } from './output';
import { generateCommand } from './commands/generate';
import { reportCommand } from './commands/report';
import { snapshotCommand } from './commands/snapshot';
import { athenaCommand } from './commands/athena';
import { auditCommand } from './commands/audit';
import { processIo, type CliIo } from './io';

const ISSUES = 'https://github.com/policy-tighten/policy-tighten/issues';

/** The commands, for the help's list and for `help COMMAND`. */
const COMMANDS = ['generate', 'report', 'audit', 'snapshot', 'athena ddl'];

/** Options whose value is a file to write, and a directory to write into (`snapshot --out` too). */
const OUTPUT_FILES = /^(?:out|.+-out)$/;
const OUTPUT_DIRS = /^out-dir$/;

/**
 * Runs the CLI and returns the exit code (docs/cli.md). The only place that maps errors to
 * exit codes; `main` is the only place that sets the process's exit code.
 */
export async function run(
  argv: string[],
  io: CliIo = processIo(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExitCodeValue> {
  let code: ExitCodeValue = ExitCode.OK;
  const setExit = (c: ExitCodeValue) => {
    code = c;
  };
  // `help`, `help generate`: the help of the tool or of the command.
  if (argv[0] === 'help') argv = [...argv.slice(1, 2), '--help', ...argv.slice(2)];
  let usageMessage: string | undefined;
  const parser = yargs(argv);
  // yargs's own typings leave out getOptions(): the declared options of the command being run.
  const declared = () => (parser as unknown as { getOptions(): DeclaredOptions }).getOptions();
  try {
    await parser
      .scriptName('policy-tighten')
      .usage(
        'policy-tighten <command> [options]\n\nLeast-privilege IAM policies from what Lambda functions did.',
      )
      // --debug (or POLICY_TIGHTEN_DEBUG=1) prints stack traces of internal errors.
      .option('debug', { type: 'boolean', hidden: true })
      .middleware((parsed) => {
        const options = declared();
        const command = parsed._.map(String).join(' ');
        for (const note of applyEnvironment(parsed, options, argv, env, command))
          io.stderr(`policy-tighten: note: ${note}\n`);
        checkValues(parsed, options, argv);
        // Where results go is checked before the analysis: a typo costs no trail read.
        for (const key of Object.keys(options.key).sort()) {
          const value = parsed[key];
          if (typeof value !== 'string') continue;
          if (OUTPUT_DIRS.test(key) || (command === 'snapshot' && key === 'out')) checkOutputDir(key, value);
          else if (OUTPUT_FILES.test(key)) checkOutputFile(key, value);
        }
      }, true)
      .command(withHelp(generateCommand(io, setExit)))
      .command(withHelp(reportCommand(io, setExit)))
      .command(withHelp(snapshotCommand(io, setExit)))
      .command(withHelp(athenaCommand(io, setExit)))
      .command(withHelp(auditCommand(io, setExit)))
      .command('help [command]', 'Show the help of policy-tighten or of a command')
      .demandCommand(1, `name a command: ${COMMANDS.join(', ')} (policy-tighten --help lists them)`)
      .recommendCommands()
      .strict()
      .help()
      .alias('help', 'h')
      .version()
      .epilogue(exitCodesEpilogue())
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .exitProcess(false)
      .fail((msg, err) => {
        if (err) throw err;
        const options = declared();
        usageMessage =
          unknownArgumentsMessage(msg, options, argv) ??
          (msg.startsWith('Did you mean')
            ? `unknown command ${JSON.stringify(argv[0])}: d${msg.slice(1)}`
            : msg);
        throw new UsageMarker();
      })
      .parseAsync();
  } catch (err) {
    if (err instanceof UsageMarker) {
      io.stderr(`policy-tighten: ${usageMessage}\nRun 'policy-tighten --help' for usage.\n`);
      return ExitCode.USAGE;
    }
    return reportError(err, io, argv, env);
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
export function reportError(
  err: unknown,
  io: CliIo,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ExitCodeValue {
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
  if (argv.includes('--debug') || envBoolean(env.POLICY_TIGHTEN_DEBUG ?? '') === true)
    io.stderr(`${e?.stack ?? ''}\n`);
  io.stderr(`This is a bug in policy-tighten; please report it at ${ISSUES}\n`);
  return ExitCode.FAILURE;
}
