/**
 * Action expansion through the IAM catalog: `s3:Get*`, `*`, `NotAction: iam:*` → the catalog's
 * actions they stand for. Pure (the catalog loads its data lazily; {@link loadServicesFor} does
 * that before the synchronous expansion).
 */
import type { Catalog, CatalogAction } from '../catalog/catalog';
import { globMatch } from '../iam/glob';
import { ACCESS_LEVEL_ORDER, type AccessLevel } from './types';
import type { ParsedStatement } from './parse-policy';

function servicePart(pattern: string): string {
  const i = pattern.indexOf(':');
  return i < 0 ? pattern : pattern.slice(0, i);
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/**
 * Loads every catalog service the statements' actions can name: the named service, or all of them
 * when a service part has a wildcard (`*`, `s*:Get*`) or a statement uses NotAction (which grants
 * every action it does not exclude).
 */
export async function loadServicesFor(
  statements: readonly ParsedStatement[],
  catalog: Catalog,
): Promise<void> {
  const wanted = new Set<string>();
  let all = false;
  for (const s of statements) {
    if (s.notActions) all = true;
    for (const a of s.actions ?? []) {
      const svc = servicePart(a);
      if (hasWildcard(svc)) all = true;
      else wanted.add(svc.toLowerCase());
    }
  }
  const services = all ? catalog.serviceKeys() : [...wanted].sort();
  await Promise.all(services.filter((s) => catalog.hasService(s)).map((s) => catalog.ensureService(s)));
}

/** The services whose data is loaded: the universe of a NotAction or `*` expansion. */
function loadedServices(catalog: Catalog): string[] {
  return catalog.serviceKeys().filter((s) => catalog.isLoaded(s));
}

/**
 * The catalog actions a list of action patterns matches (case-insensitive, IAM wildcards).
 * Patterns that match no catalog action are returned in `unknown` (a grant the catalog does not
 * know: a new action, a typo, or a service the catalog lacks).
 */
export function expandActionPatterns(
  patterns: readonly string[],
  catalog: Catalog,
): { actions: CatalogAction[]; unknown: string[] } {
  const out = new Map<string, CatalogAction>();
  const unknown: string[] = [];
  for (const pattern of patterns) {
    let matched = false;
    if (!hasWildcard(pattern)) {
      const a = catalog.action(pattern);
      if (a) {
        out.set(a.name, a);
        matched = true;
      }
    } else {
      const svc = servicePart(pattern);
      const services = hasWildcard(svc)
        ? loadedServices(catalog).filter((s) => globMatch(svc, s, true))
        : [svc.toLowerCase()];
      for (const s of services) {
        for (const a of catalog.actionsOf(s)) {
          if (globMatch(pattern, a.name, true)) {
            out.set(a.name, a);
            matched = true;
          }
        }
      }
    }
    if (!matched) unknown.push(pattern);
  }
  return { actions: [...out.values()].sort(byName), unknown: [...new Set(unknown)].sort() };
}

/** Every loaded catalog action that none of the NotAction patterns matches. */
export function expandNotActions(notPatterns: readonly string[], catalog: Catalog): CatalogAction[] {
  const out: CatalogAction[] = [];
  for (const s of loadedServices(catalog)) {
    for (const a of catalog.actionsOf(s)) {
      if (!notPatterns.some((p) => globMatch(p, a.name, true))) out.push(a);
    }
  }
  return out.sort(byName);
}

/** The statement's action list or NotAction pattern matches the action (case-insensitive). */
export function statementMatchesAction(s: ParsedStatement, action: string): boolean {
  if (s.actions) return s.actions.some((p) => globMatch(p, action, true));
  return !(s.notActions ?? []).some((p) => globMatch(p, action, true));
}

/** The review's access level of a catalog action (`Permissions management, Write` → `Permissions management`). */
export function accessLevelOf(action: CatalogAction | undefined): AccessLevel {
  if (!action) return 'Unknown';
  const first = action.accessLevel.split(',')[0].trim();
  return (ACCESS_LEVEL_ORDER as readonly string[]).includes(first) ? (first as AccessLevel) : 'Unknown';
}

function byName(a: CatalogAction, b: CatalogAction): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
