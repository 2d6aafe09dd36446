/**
 * What `--help` shows beyond each option's line: a usage line that says what is required, the
 * options in groups, examples, and the exit codes. Added around each command's own builder, so
 * the commands declare their options and this file only arranges them.
 */
import type { Argv, CommandModule } from 'yargs';
import { EXIT_CODES } from '../errors';

/** `--help`'s closing lines: examples, the exit codes (docs/cli.md) and the environment. */
export function exitCodesEpilogue(examples: readonly [command: string, what: string][] = []): string {
  const shown = examples.flatMap(([cmd, what]) => [`  ${what}:`, `    ${cmd}`]);
  const rows = EXIT_CODES.map((c) => `  ${String(c.code).padStart(2)}  ${c.name.padEnd(22)} ${c.when}`);
  return [
    ...(shown.length > 0 ? ['Examples:', ...shown, ''] : []),
    'Exit codes (5, 1 and 2 stop the run; otherwise the first of 3, 6, 4, 7 or 8, else 0):',
    ...rows,
    '',
    'Every option can be set as POLICY_TIGHTEN_<OPTION> (POLICY_TIGHTEN_ACCOUNT_SNAPSHOT=DIR); the',
    'command line wins. Booleans take 1, true, yes, on or 0, false, no, off. Docs: docs/cli.md.',
  ].join('\n');
}

interface CommandHelp {
  usage: string;
  groups: [title: string, options: string[]][];
  examples: [command: string, what: string][];
}

const TRAIL = 'samples/trail';
const SNAPSHOT = 'samples/account';

/** The options of withSourceOptions and withQueryOptions that say where the calls come from. */
const SOURCES = [
  'trail',
  'lookup-events',
  'athena-table',
  'athena-workgroup',
  'athena-output',
  'athena-date-partition',
  'log-group',
  'lake',
  'query-timeout',
  'since',
  'until',
];

/** The help of each command, by its name. */
const HELP: Record<string, CommandHelp> = {
  generate: {
    usage:
      'policy-tighten generate (--function NAME | --role NAME|ARN | --principal ARN) [source] [options]\n\n' +
      'The least-privilege policy of one function, role or principal, from what it did in the window.',
    groups: [
      [
        'What to analyse (one of --function, --role, --principal is required):',
        ['function', 'role', 'principal', 'region'],
      ],
      ['Where the calls come from (default: CloudTrail event history):', SOURCES],
      ['Account state:', ['account-snapshot', 'offline', 'profile']],
      [
        'Output:',
        [
          'format',
          'out',
          'out-dir',
          'diff-out',
          'findings-out',
          'provenance-out',
          'policy-name',
          'granularity',
          'inline',
          'config',
        ],
      ],
      ['Review and CI:', ['fail-on-change', 'min-window', 'drop-unobservable', 'include-denied']],
      ['Performance:', ['workers']],
    ],
    examples: [
      [
        `policy-tighten generate --function orders-api --trail ${TRAIL} --account-snapshot ${SNAPSHOT} --offline --since 2026-11-01`,
        'the samples, offline',
      ],
      [
        'policy-tighten generate --function orders-api --profile prod --region eu-west-1',
        'live: event history and account',
      ],
      [
        'policy-tighten generate --role orders-api-role --trail s3://my-trail-bucket/AWSLogs/ --format markdown',
        'a pull-request review',
      ],
      [
        'policy-tighten generate --function orders-api --athena-table cloudtrail.logs --fail-on-change',
        'a CI gate (exit 4 on change)',
      ],
    ],
  },
  report: {
    usage:
      'policy-tighten report --unused [source] [options]\n\n' +
      'Unused roles, functions and permissions, and shared execution roles, of the whole account.',
    groups: [
      ['Report (required):', ['unused']],
      ['Where the calls come from:', [...SOURCES, 'cache']],
      ['Account state:', ['account-snapshot', 'offline', 'profile', 'region']],
      ['Output and CI:', ['format', 'out', 'findings-out', 'fail-on-unused']],
      ['Performance:', ['workers']],
    ],
    examples: [
      [
        `policy-tighten report --unused --trail ${TRAIL} --account-snapshot ${SNAPSHOT} --offline --since 2026-11-01 --format html --out report.html`,
        'the samples',
      ],
      [
        'policy-tighten report --unused --athena-table cloudtrail.logs --cache .cache --fail-on-unused',
        'a scheduled run',
      ],
    ],
  },
  audit: {
    usage:
      'policy-tighten audit (--account-snapshot DIR --offline | [--profile P] [--region R …]) [--trail PATH …] [options]\n\n' +
      "The account's Lambda functions and roles against AWS's Lambda security advice (docs/audit.md).",
    groups: [
      [
        'Account state (required: a snapshot, or live access):',
        ['account-snapshot', 'offline', 'profile', 'region'],
      ],
      ['What the functions did (optional; checks that need it are listed as not run):', SOURCES],
      ['Output and CI:', ['format', 'out', 'iac', 'fail-on', 'as-of']],
      ['Performance:', ['workers']],
    ],
    examples: [
      [
        `policy-tighten audit --account-snapshot ${SNAPSHOT} --trail ${TRAIL} --offline --since 2026-11-01`,
        'the samples',
      ],
      [
        'policy-tighten audit --profile prod --region us-east-1 --format sarif --iac infra/main.tf --out audit.sarif --fail-on high',
        'code scanning in CI',
      ],
    ],
  },
  snapshot: {
    usage:
      'policy-tighten snapshot --out DIR [--region R …] [--profile P]\n\nThe live account state, written for offline runs.',
    groups: [['Options:', ['out', 'region', 'profile']]],
    examples: [
      ['policy-tighten snapshot --out account --region us-east-1 --region eu-west-1', 'two regions'],
    ],
  },
  'athena ddl': {
    usage:
      'policy-tighten athena ddl --bucket B [options]\n\nThe Athena table of a CloudTrail bucket (partition projection), for --athena-table.',
    groups: [
      [
        'Options:',
        ['bucket', 'prefix', 'organization-id', 'account', 'region', 'start', 'database', 'table', 'out'],
      ],
    ],
    examples: [
      [
        'policy-tighten athena ddl --bucket my-trail-bucket --account 111122223333 --region us-east-1',
        'one account',
      ],
    ],
  },
};

/** The option names HELP places in groups, per command (a test holds them to the declared ones). */
export function groupedOptions(command: string): string[] {
  return (HELP[command]?.groups ?? []).flatMap(([, options]) => options);
}

/** `command` with its help arranged: usage, groups, examples, exit codes. */
export function withHelp<T, U>(command: CommandModule<T, U>): CommandModule<T, U> {
  const name = String(command.command);
  const help = HELP[name];
  const builder = command.builder as (y: Argv<T>) => Argv<U>;
  return {
    ...command,
    builder: (y: Argv<T>) => {
      let b = builder(y);
      if (help) {
        b = b.usage(help.usage);
        for (const [title, options] of help.groups) b = b.group(options, title);
      }
      return b.epilogue(exitCodesEpilogue(help?.examples));
    },
  };
}
