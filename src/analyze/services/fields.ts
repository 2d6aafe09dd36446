/** Reading and validating request fields inside resolvers (a bad value throws RejectedValue). */
import { checkValue, constraintOf, parseArn, type CheckKind, type ParsedArn } from '../validate';
import { RejectedValue } from './types';

export const MAX_ITEMS = 1000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A nested field by dotted path, with case-insensitive first letter (`tableName` / `TableName`). */
export function field(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
  const alt = name[0] === name[0].toLowerCase() ? name[0].toUpperCase() + name.slice(1) : name;
  return Object.prototype.hasOwnProperty.call(obj, alt) ? obj[alt] : undefined;
}

/** A string field checked against `kind`; undefined when absent; throws when present and invalid. */
export function text(obj: unknown, name: string, path: string, kind?: CheckKind): string | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new RejectedValue(path, 'string');
  if (kind) {
    const c = checkValue(kind, v);
    if (c) throw new RejectedValue(path, c);
  }
  return v;
}

/** An ARN field (validated); undefined when absent. */
export function arnText(obj: unknown, name: string, path: string): ParsedArn | undefined {
  const v = text(obj, name, path);
  if (v === undefined) return undefined;
  const p = parseArn(v);
  if (!p) throw new RejectedValue(path, constraintOf('arn'));
  return p;
}

/** Check a value already read. */
export function check(value: string, path: string, kind: CheckKind): string {
  const c = checkValue(kind, value);
  if (c) throw new RejectedValue(path, c);
  return value;
}

/** An array field of at most MAX_ITEMS elements; undefined when absent. */
export function list(obj: unknown, name: string, path: string): unknown[] | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > MAX_ITEMS)
    throw new RejectedValue(path, `array of at most ${MAX_ITEMS} items`);
  return v;
}

/** Keys of an object field (at most MAX_ITEMS); undefined when absent. */
export function keysOf(obj: unknown, name: string, path: string): string[] | undefined {
  const v = field(obj, name);
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length > MAX_ITEMS) throw new RejectedValue(path, `object of at most ${MAX_ITEMS} keys`);
  return keys;
}

export { isObject };
