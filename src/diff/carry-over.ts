/**
 * What the proposal must take over from the current policies, as written. Pure.
 *
 * - **Guardrails**: every explicit `Deny` statement of the role's identity policies goes into the
 *   proposal verbatim, as its own statement with its own Sid (renamed only when the Sid collides).
 *   Applying the proposal as a replacement must never drop a guardrail.
 * - **Not observable**: actions the role is granted today that this trail cannot show (data events
 *   not logged for that service, or access CloudTrail never records: data/observability.json of
 *   src/observability) are kept on their current resources and conditions, in statements copied
 *   from the granting ones, unless the user asked to drop them. No data is not evidence.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog';
import type { PolicyStatement } from '../model';
import { OBSERVABILITY_CATEGORIES, trailCannotShow } from '../observability';
import { evaluate } from './evaluate';
import { accessLevelOf, expandActionPatterns, expandNotActions, statementMatchesAction } from './expand';
import type { ParsedStatement } from './parse-policy';
import type { Grant, Guardrail, NotObservableEntry } from './types';

export interface CarryOverInput {
  /** The role's identity-policy statements (parsePolicies). */
  statements: readonly ParsedStatement[];
  catalog: Catalog;
  /** Actions the proposal allows from the trail and the configuration (any case). */
  proposalActions: readonly string[];
  /** Actions the trail showed (mapped, successful). */
  observedActions: readonly string[];
  /** eventSource → data events anywhere in the trail. */
  dataEventSources: Readonly<Record<string, number>>;
  /** `--drop-unobservable`: list them, but do not keep them. */
  dropUnobservable: boolean;
}

export interface CarryOver {
  /** Statements to put into the proposal first: guardrails, then kept unobservable grants. */
  statements: PolicyStatement[];
  guardrails: Guardrail[];
  notObservable: NotObservableEntry[];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A statement as a grant, for the review. */
export function grantOf(s: ParsedStatement): Grant {
  return {
    policy: s.policy,
    ...(s.sid ? { sid: s.sid } : {}),
    resources: [...(s.resources ?? s.notResources ?? [])],
    ...(s.notResources ? { notResource: true } : {}),
    conditional: s.condition !== undefined,
  };
}

/** The catalog actions one Allow statement grants (its Action patterns or NotAction complement). */
export function actionsOfStatement(s: ParsedStatement, catalog: Catalog): string[] {
  const actions = s.actions
    ? expandActionPatterns(s.actions, catalog).actions
    : expandNotActions(s.notActions ?? [], catalog);
  return actions.map((a) => a.name);
}

function hash(x: unknown): string {
  return createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 8).toUpperCase();
}

/** See the file header. */
export function carryOver(input: CarryOverInput): CarryOver {
  const { statements, catalog } = input;
  const guardrails: Guardrail[] = [];
  const out: PolicyStatement[] = [];
  const sids = new Set<string>();

  for (const s of statements.filter((x) => x.effect === 'Deny')) {
    let proposedSid = s.sid;
    if (proposedSid !== undefined) {
      for (let n = 2; sids.has(proposedSid); n++) proposedSid = `${s.sid}${n}`;
      sids.add(proposedSid);
    }
    const copy = { ...s.raw, ...(proposedSid !== undefined ? { Sid: proposedSid } : {}) } as PolicyStatement;
    out.push(copy);
    guardrails.push({
      policy: s.policy,
      ...(s.sid ? { sid: s.sid } : {}),
      ...(proposedSid ? { proposedSid } : {}),
      statement: copy as unknown as Record<string, unknown>,
    });
  }

  // Kinds of access this trail cannot show.
  const observed = new Set(input.observedActions.map((a) => a.toLowerCase()));
  const inProposal = new Set(input.proposalActions.map((a) => a.toLowerCase()));
  const unobservable = new Map<string, { id: string; what: string }>();
  for (const cat of OBSERVABILITY_CATEGORIES) {
    if (!trailCannotShow(cat, observed, input.dataEventSources)) continue;
    for (const a of cat.actions) {
      const canonical = catalog.action(a)?.name ?? a;
      if (!unobservable.has(canonical.toLowerCase()))
        unobservable.set(canonical.toLowerCase(), { id: cat.id, what: cat.what });
    }
  }

  const allows = statements.filter((s) => s.effect === 'Allow');
  const denies = statements.filter((s) => s.effect === 'Deny');
  const entries = new Map<string, NotObservableEntry>();
  /** Kept actions per granting statement. */
  const keptBy = new Map<ParsedStatement, string[]>();
  for (const s of allows) {
    for (const action of actionsOfStatement(s, catalog)) {
      const cat = unobservable.get(action.toLowerCase());
      if (!cat || inProposal.has(action.toLowerCase())) continue;
      // Denied everywhere already: nothing to keep.
      if (evaluate(denies, action, '*') === 'denied') continue;
      let e = entries.get(action);
      if (!e) {
        const svc = action.slice(0, action.indexOf(':'));
        e = {
          action,
          service: svc,
          accessLevel: accessLevelOf(catalog.action(action)),
          category: cat.id,
          what: cat.what,
          kept: !input.dropUnobservable,
          grants: [],
        };
        entries.set(action, e);
      }
      e.grants.push(grantOf(s));
      if (!input.dropUnobservable) {
        let list = keptBy.get(s);
        if (!list) keptBy.set(s, (list = []));
        list.push(action);
      }
    }
  }

  // One statement per granting statement, with that statement's resources and condition.
  const kept: PolicyStatement[] = [];
  for (const [s, actions] of keptBy) {
    const body: Omit<PolicyStatement, 'Sid'> = {
      Effect: 'Allow',
      Action: [...new Set(actions)].sort(cmp),
      ...(s.resources ? { Resource: [...s.resources] } : { NotResource: [...(s.notResources ?? [])] }),
      ...(s.condition ? { Condition: s.condition } : {}),
    };
    kept.push({ Sid: `KeptNotObservable${hash(body)}`, ...body });
  }
  kept.sort((a, b) => cmp(a.Sid ?? '', b.Sid ?? ''));
  const seen = new Set<string>();
  for (const k of kept) {
    if (seen.has(k.Sid ?? '')) continue; // two granting statements with the same content
    seen.add(k.Sid ?? '');
    out.push(k);
  }

  return {
    statements: out,
    guardrails,
    notObservable: [...entries.values()].sort((a, b) => cmp(a.action, b.action)),
  };
}

/** True when a statement of the parsed list grants the action at all (ignoring resources). */
export function grantsAction(statements: readonly ParsedStatement[], action: string): boolean {
  return statements.some((s) => s.effect === 'Allow' && statementMatchesAction(s, action));
}
