/**
 * What the CLI checks in its arguments before a command runs, so that a user's mistake is one
 * line and exit 2, never an internal error after the analysis: options given twice that take one
 * value, options given without their value, `POLICY_TIGHTEN_*` environment variables (applied,
 * or ignored with a note when they name no option), and a suggestion for a mistyped option.
 */
import { UsageError } from '../errors';

/** The declared options of the command being run, as yargs reports them (`getOptions()`). */
export interface DeclaredOptions {
  key: Record<string, unknown>;
  array: string[];
  boolean: string[];
  number: string[];
  alias: Record<string, string[]>;
  hiddenOptions?: string[];
}

/** The environment variables' prefix: `POLICY_TIGHTEN_ACCOUNT_SNAPSHOT` sets `--account-snapshot`. */
export const ENV_PREFIX = 'POLICY_TIGHTEN_';

/** Environment values read as true and as false for a boolean option (case-insensitive). */
export const ENV_TRUE = ['1', 'true', 'yes', 'on'] as const;
export const ENV_FALSE = ['0', 'false', 'no', 'off', ''] as const;

/** Variables of the prefix that are not options. */
const NOT_OPTIONS = new Set(['DEBUG']);

/** Options that yargs adds itself, never set from the environment. */
const BUILT_IN = new Set(['help', 'version', '$0', '_']);

/** Is `text` one of ENV_TRUE (true), ENV_FALSE (false), or neither (undefined)? */
export function envBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if ((ENV_TRUE as readonly string[]).includes(t)) return true;
  if ((ENV_FALSE as readonly string[]).includes(t)) return false;
  return undefined;
}

/** `--name`, as the user types it. */
function flag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** Every spelling of option `key` on the command line: itself, its aliases, their camelCase. */
function spellings(key: string, options: DeclaredOptions): string[] {
  const names = new Set([key, ...(options.alias[key] ?? [])]);
  for (const n of [...names]) names.add(n.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
  return [...names];
}

/** Was option `key` given on the command line (`--key`, `--key=…`, `--no-key`, an alias)? */
function givenOnCommandLine(key: string, options: DeclaredOptions, argv: readonly string[]): boolean {
  const names = spellings(key, options);
  return argv.some((token) => {
    if (token === '--') return false;
    const m = /^--?(?:no-)?([^=]+)/.exec(token);
    return m !== null && names.includes(m[1]);
  });
}

/** Sets option `key` (and its camelCase spelling, as yargs does) in the parsed arguments. */
function setOption(
  parsed: Record<string, unknown>,
  key: string,
  value: unknown,
  options: DeclaredOptions,
): void {
  for (const name of spellings(key, options)) parsed[name] = value;
}

/**
 * Applies the `POLICY_TIGHTEN_<OPTION>` variables to the options of the command being run that
 * the command line does not give (the command line wins). Returns a note for each variable that
 * names no option of this command: those are ignored, never fatal.
 * @throws UsageError for a value that the option cannot take (naming the variable).
 */
export function applyEnvironment(
  parsed: Record<string, unknown>,
  options: DeclaredOptions,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  command: string,
): string[] {
  const notes: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(ENV_PREFIX)) continue;
    const rest = name.slice(ENV_PREFIX.length);
    if (NOT_OPTIONS.has(rest)) continue;
    const key = rest.toLowerCase().replace(/_/g, '-');
    const value = env[name] ?? '';
    if (!(key in options.key) || BUILT_IN.has(key) || (options.hiddenOptions ?? []).includes(key)) {
      notes.push(
        `${name} is not an option of ${command || 'policy-tighten'}: ignored (docs/cli.md, "Environment")`,
      );
      continue;
    }
    if (givenOnCommandLine(key, options, argv)) continue;
    if (options.boolean.includes(key)) {
      const b = envBoolean(value);
      if (b === undefined)
        throw new UsageError(
          `${name} must be one of ${[...ENV_TRUE, ...ENV_FALSE.filter((x) => x !== '')].join(', ')} (or empty): ${JSON.stringify(value.slice(0, 40))}`,
        );
      setOption(parsed, key, b, options);
    } else if (options.number.includes(key)) {
      const n = value.trim() === '' ? NaN : Number(value);
      if (!Number.isFinite(n))
        throw new UsageError(`${name} must be a number: ${JSON.stringify(value.slice(0, 40))}`);
      setOption(parsed, key, n, options);
    } else if (value === '') {
      throw new UsageError(`${name} is empty: give ${flag(key)} a value, or unset the variable`);
    } else {
      // A repeatable option takes one value from the environment (a path may hold any character).
      setOption(parsed, key, options.array.includes(key) ? [value] : value, options);
    }
  }
  return notes;
}

/**
 * Refuses what yargs would pass on as a value the command cannot use: an option that takes one
 * value given several times (yargs makes an array of them), and an option given without its
 * value (yargs makes it an empty string).
 * @throws UsageError naming the option.
 */
export function checkValues(
  parsed: Record<string, unknown>,
  options: DeclaredOptions,
  argv: readonly string[],
): void {
  for (const key of Object.keys(options.key).sort()) {
    if (BUILT_IN.has(key)) continue;
    const value = parsed[key];
    const repeatable = options.array.includes(key);
    if (Array.isArray(value) && !repeatable) {
      throw new UsageError(`${flag(key)} was given ${value.length} times: it takes one value`);
    }
    if (options.boolean.includes(key)) continue;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => v === '')) throw new UsageError(`${flag(key)} needs a value`);
    // A number option without its value parses as undefined: refused here, not taken as absent.
    // A value that is not a number is left to the command, whose message says what it takes.
    if (options.number.includes(key) && value === undefined && givenOnCommandLine(key, options, argv)) {
      throw new UsageError(`${flag(key)} needs a value`);
    }
  }
}

/** Levenshtein distance, capped: enough to suggest an option for a typo (no library needed). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The declared option closest to `typed`, if it is close enough to be what was meant. */
export function closestOption(typed: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of [...candidates].sort()) {
    if (c.length === 1 || BUILT_IN.has(c)) continue;
    const d = c.startsWith(typed) && typed.length >= 3 ? 0.5 : editDistance(typed, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(typed.length / 4)) ? best : undefined;
}

/**
 * The line for yargs's "Unknown argument(s): a, b": each unknown option with a suggestion, each
 * word that is not an option as an unexpected argument.
 */
export function unknownArgumentsMessage(
  message: string,
  options: DeclaredOptions,
  argv: readonly string[],
): string | undefined {
  const m = /^Unknown arguments?: (.*)$/.exec(message);
  if (!m) return undefined;
  const declared = Object.keys(options.key).filter((k) => !(options.hiddenOptions ?? []).includes(k));
  const parts = m[1].split(', ').map((name) => {
    const typed = argv.some((t) => t === `--${name}` || t.startsWith(`--${name}=`) || t === `-${name}`);
    if (!typed && name === argv[0]) return `unknown command ${JSON.stringify(name)}`;
    if (!typed) return `unexpected argument ${JSON.stringify(name)}`;
    const near = closestOption(name, declared);
    return `unknown option ${flag(name)}${near ? ` (did you mean ${flag(near)}?)` : ''}`;
  });
  return parts.join('; ');
}
