import { readFileSync } from 'node:fs';
import path from 'node:path';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { athenaCommand } from '../../../src/cli/commands/athena';
import { auditCommand } from '../../../src/cli/commands/audit';
import { generateCommand } from '../../../src/cli/commands/generate';
import { reportCommand } from '../../../src/cli/commands/report';
import { snapshotCommand } from '../../../src/cli/commands/snapshot';
import { groupedOptions } from '../../../src/cli/help';
import type { CliIo } from '../../../src/cli/io';
import { EXIT_CODES } from '../../../src/errors';

/**
 * docs/cli.md cannot drift from the CLI: every option each command declares is in its table,
 * every option a table names is declared, the help places every option in a group, and the
 * exit-code table is the one `--help` prints.
 */
const ROOT = path.resolve(__dirname, '../../..');
const doc = readFileSync(path.join(ROOT, 'docs/cli.md'), 'utf8');
const io: CliIo = { stdout: () => {}, stderr: () => {}, stderrIsTTY: false, now: () => new Date(0) };
const noop = () => {};

interface Options {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  hiddenOptions: string[];
}

/** The options a command declares (its own names, not aliases or yargs's help and version). */
function declared(command: CommandModule<object, never>): string[] {
  const y = (command.builder as (y: Argv) => Argv)(yargs([]));
  const o = (y as unknown as { getOptions(): Options }).getOptions();
  // yargs lists an alias (`--output` of `--format`) as a key too; o.alias maps the option to it.
  const keys = Object.keys(o.key);
  const aliases = new Set(Object.values(o.alias).flat());
  return keys
    .filter((k) => !['help', 'version'].includes(k) && !o.hiddenOptions.includes(k) && !aliases.has(k))
    .sort();
}

/** The options docs/cli.md's table for `command` names in its first column. */
function documented(command: string): string[] {
  const start = doc.indexOf(`### \`${command}\``);
  expect(start).toBeGreaterThan(-1);
  const rest = doc.slice(start + 4);
  const end = rest.search(/\n#{2,3} /);
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^\| `--([a-z0-9-]+)`/gm)].map((m) => m[1]).sort();
}

const COMMANDS = [
  generateCommand(io, noop),
  reportCommand(io, noop),
  auditCommand(io, noop),
  snapshotCommand(io, noop),
  athenaCommand(io, noop),
] as unknown as CommandModule<object, never>[];

describe('docs/cli.md against the CLI', () => {
  it.each(COMMANDS.map((c) => [String(c.command), c] as const))(
    '%s: every declared option is documented, every documented one declared',
    (name, command) => {
      const options = declared(command);
      expect(options.length).toBeGreaterThanOrEqual(3);
      expect(documented(name)).toEqual(options);
    },
  );

  it.each(COMMANDS.map((c) => [String(c.command), c] as const))(
    '%s: --help places every option in a group',
    (name, command) => {
      expect([...groupedOptions(name)].sort()).toEqual(declared(command));
    },
  );

  it('the exit-code table is the one --help prints', () => {
    const rows = [...doc.matchAll(/^\|\s+(\d)\s+\|\s+([^|]+?)\s+\|/gm)].map((m) => [
      Number(m[1]),
      m[2].replace(/\*/g, ''),
    ]);
    expect(rows).toEqual(EXIT_CODES.map((c) => [c.code, c.name]));
  });

  it('a control: an option missing from a table is caught', () => {
    expect(documented('generate')).not.toContain('no-such-option');
    expect(declared(COMMANDS[0])).toContain('trail');
  });
});
