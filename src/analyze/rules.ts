/** The rule data: renames, multi-action events, calls needing no permission or having no action. */
import noPermissionData from './data/no-permission.json';
import eventRulesData from './data/event-rules.json';
import apiGatewayData from './data/apigateway-operations.json';
import unmappableData from './data/unmappable.json';
import resourceParamsData from './data/resource-params.json';
import type { ParamSpec } from './request-params';

/**
 * Conditions on request fields. A field is a path: `a.b` reads nested objects, `a[]` every element
 * of an array (`transactItems[].put`, `statements[].statement`); a condition holds when any value
 * found at the path satisfies it.
 */
export interface WhenSpec {
  /** Any of these request fields is present. */
  present?: string[];
  /** None of these request fields is present. */
  absent?: string[];
  /** A request field is a string matching the pattern. */
  matches?: { param: string; pattern: string; flags?: string };
}

export interface RuleActionSpec {
  action: string;
  when?: WhenSpec;
  /** Fields giving this action's resource (instead of the service's fields and the event's resources). */
  params?: ParamSpec[];
  /** Fixed ARN variable bindings (e.g. `ObjectName: *` for DeleteObjects). */
  bind?: Record<string, string>;
  /**
   * ARN template overriding the catalog's formats (API Gateway paths): `${Partition}`, `${Region}`,
   * `${Account}` from the event, any other `${field}` from a top-level string request field.
   */
  arn?: string;
  /** `implied-by-call`: an extra action on another resource than the call's own (PassRole, copy source). */
  origin?: 'implied-by-call';
}

export interface EventRule {
  actions: RuleActionSpec[];
  sources: string[];
  note?: string;
  /** Rows (1-121) of research/mapping/cases.json this rule encodes. */
  rows?: number[];
}

interface ReasonEntry {
  reason: string;
  sources: string[];
  rows?: number[];
}

const noPermission = noPermissionData as {
  allEventsOf: Record<string, ReasonEntry>;
  events: Record<string, Record<string, ReasonEntry>>;
};

const unmappable = unmappableData as { events: Record<string, Record<string, ReasonEntry>> };

type RuleTable = Record<string, Record<string, EventRule>>;

function mergeRules(...tables: RuleTable[]): RuleTable {
  const out: RuleTable = {};
  for (const t of tables)
    for (const [src, byName] of Object.entries(t)) out[src] = { ...out[src], ...byName };
  return out;
}

export const EVENT_RULES: RuleTable = mergeRules(
  (eventRulesData as unknown as { rules: RuleTable }).rules,
  (apiGatewayData as unknown as { rules: RuleTable }).rules,
);

const resourceParams = resourceParamsData as unknown as {
  services: Record<string, ParamSpec[]>;
  wildcardWhenUnresolved: Record<string, string>;
};

export const SERVICE_PARAMS = resourceParams.services;

/** Actions allowed on `*` when the request names none of their (optional) resource types. */
export const WILDCARD_WHEN_UNRESOLVED: ReadonlySet<string> = new Set(
  Object.keys(resourceParams.wildcardWhenUnresolved).filter((k) => !k.startsWith('_')),
);

const has = (o: object | undefined, k: string): boolean =>
  o !== undefined && Object.prototype.hasOwnProperty.call(o, k);

/** Reason when the call needs no IAM permission, else undefined. */
export function noPermissionReason(eventSource: string, eventName: string): string | undefined {
  const all = noPermission.allEventsOf[eventSource];
  if (all) return all.reason;
  const e = noPermission.events[eventSource];
  return e && has(e, eventName) ? e[eventName].reason : undefined;
}

/** Reason when the call is known to have no IAM action (explicitly unmappable), else undefined. */
export function unmappableReason(eventSource: string, eventName: string): string | undefined {
  const e = unmappable.events[eventSource];
  return e && has(e, eventName) ? e[eventName].reason : undefined;
}

export function eventRule(eventSource: string, eventName: string): EventRule | undefined {
  const s = EVENT_RULES[eventSource];
  return s && has(s, eventName) ? s[eventName] : undefined;
}

/** Maximum values collected from one path (arrays in CloudTrail requests are bounded by the APIs). */
const MAX_PATH_VALUES = 1000;

/** Compile a request-field path (`a.b`, `a[].b`) once into a reader returning the values found. */
export function compilePath(path: string): (params: Record<string, unknown> | undefined) => unknown[] {
  const steps = path
    .split('.')
    .map((s) => (s.endsWith('[]') ? { key: s.slice(0, -2), each: true } : { key: s, each: false }));
  return (params) => {
    let cur: unknown[] = params === undefined ? [] : [params];
    for (const { key, each } of steps) {
      const next: unknown[] = [];
      for (const v of cur) {
        if (v === null || typeof v !== 'object' || Array.isArray(v) || !has(v, key)) continue;
        const x = (v as Record<string, unknown>)[key];
        if (x === undefined || x === null) continue;
        if (each) {
          if (Array.isArray(x)) for (const e of x.slice(0, MAX_PATH_VALUES)) next.push(e);
        } else next.push(x);
        if (next.length > MAX_PATH_VALUES) break;
      }
      cur = next;
    }
    return cur.filter((v) => v !== undefined && v !== null);
  };
}
