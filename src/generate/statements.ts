/**
 * Content-derived Sids and the canonical statement order.
 *
 * Sid: `<Services><Access>[Denied]<HASH>`, e.g. `DynamodbReadWrite1A2B3C4D`: the services of the
 * actions (PascalCase), the access levels they cover (Read = List and Read, Write, Tagging,
 * Permissions), `Denied` for statements of denied calls added by `includeDenied`, and the first
 * 8 hex digits of a SHA-256 of the content. Same content, same Sid, on every run.
 *
 * Order, so that the policy reads top to bottom like a summary of what the function does:
 * observed statements before denied ones; then by service (the first service of the statement,
 * alphabetically); within a service, reads before writes (by the lowest access level, then the
 * highest: List/Read, Write, Tagging, Permissions management); then by first action and first
 * resource.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog';
import type { PolicyStatement } from '../model';
import { conditionKey } from './conditions';
import type { DraftStatement } from './types';

const ACCESS_RANK: Record<string, number> = {
  List: 0,
  Read: 0,
  Write: 1,
  Tagging: 2,
  'Permissions management': 3,
};
const ACCESS_WORD = ['Read', 'Write', 'Tagging', 'Permissions'];

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
}

function services(actions: readonly string[]): string[] {
  return Array.from(new Set(actions.map((a) => a.slice(0, a.indexOf(':')).toLowerCase()))).sort();
}

function ranks(actions: readonly string[], catalog: Catalog): number[] {
  const r = new Set<number>();
  for (const a of actions) {
    const level = catalog.action(a)?.accessLevel;
    r.add(level !== undefined && level in ACCESS_RANK ? ACCESS_RANK[level] : 1);
  }
  return Array.from(r).sort((x, y) => x - y);
}

/** The content-derived Sid of a statement (see the file header). */
export function statementSid(s: DraftStatement, catalog: Catalog): string {
  const hash = createHash('sha256')
    .update(
      JSON.stringify(
        s.condition ? [s.actions, s.resources, s.denied, s.condition] : [s.actions, s.resources, s.denied],
      ),
    )
    .digest('hex')
    .slice(0, 8)
    .toUpperCase();
  const svc = services(s.actions).map(pascal).join('').slice(0, 40);
  const access = ranks(s.actions, catalog)
    .map((r) => ACCESS_WORD[r])
    .join('');
  return `${svc}${access}${s.denied ? 'Denied' : ''}${hash}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Canonical order (see the file header). Returns a new array. */
export function sortStatements(statements: readonly DraftStatement[], catalog: Catalog): DraftStatement[] {
  const keyed = statements.map((s) => {
    const r = ranks(s.actions, catalog);
    return { s, svc: services(s.actions)[0] ?? '', lo: r[0] ?? 0, hi: r[r.length - 1] ?? 0 };
  });
  keyed.sort(
    (x, y) =>
      Number(x.s.denied) - Number(y.s.denied) ||
      compare(x.svc, y.svc) ||
      x.lo - y.lo ||
      x.hi - y.hi ||
      compare(x.s.actions[0] ?? '', y.s.actions[0] ?? '') ||
      compare(x.s.resources.join('\n'), y.s.resources.join('\n')) ||
      compare(conditionKey(x.s.condition), conditionKey(y.s.condition)),
  );
  return keyed.map((k) => k.s);
}

/** The emitted statement: fixed key order is the renderer's job; arrays sorted here. */
export function toPolicyStatement(s: DraftStatement, catalog: Catalog): PolicyStatement {
  return {
    Sid: statementSid(s, catalog),
    Effect: 'Allow',
    Action: [...s.actions],
    Resource: [...s.resources],
    ...(s.condition ? { Condition: structuredClone(s.condition) } : {}),
  };
}
