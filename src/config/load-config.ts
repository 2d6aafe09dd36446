/**
 * Reads the configuration file (I/O edge). The format is JSON:
 * `{ "suppressions": [ { "id": "PT-WILDCARD-RESOURCE[xray:PutTraceSegments]", "reason": "…" } ] }`.
 * Unknown keys are rejected, so that a typo does not silently drop a suppression.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors';
import { suppressionProblem, type PolicyTightenConfig } from './suppressions';

/** Validates a parsed config value; `where` names it in messages. */
export function parseConfig(value: unknown, where: string): PolicyTightenConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${where}: must be a JSON object such as {"suppressions": []}`);
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (k !== 'suppressions')
      throw new InputError(`${where}: unknown key ${JSON.stringify(k)} (known: suppressions)`);
  }
  const list = obj.suppressions ?? [];
  if (!Array.isArray(list)) throw new InputError(`${where}: "suppressions" must be an array`);
  const suppressions = list.map((s: unknown, i) => {
    const at = `${where}: suppressions[${i}]`;
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      throw new InputError(`${at} must be an object {"id": …, "reason": …}`);
    }
    const entry = s as Record<string, unknown>;
    for (const k of Object.keys(entry)) {
      if (k !== 'id' && k !== 'reason')
        throw new InputError(`${at}: unknown key ${JSON.stringify(k)} (known: id, reason)`);
    }
    const problem = suppressionProblem(entry);
    if (problem) throw new InputError(`${at}: ${problem}`);
    return { id: entry.id as string, reason: (entry.reason as string).trim() };
  });
  return { suppressions };
}

/**
 * Loads and validates a configuration file.
 * @throws InputError (exit 1) with a one-line message when the file is missing, unreadable, not
 * JSON, or invalid (for example a suppression without a reason).
 */
export async function loadConfig(path: string): Promise<PolicyTightenConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `config file not found: ${path}`
        : `config file ${path} cannot be read (${code ?? 'error'})`,
      { cause: err },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`config file ${path} is not valid JSON: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
  return parseConfig(value, `config file ${path}`);
}
