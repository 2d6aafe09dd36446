/** The rule data: renames, multi-action events, calls needing no permission. */
import noPermissionData from './data/no-permission.json';
import eventRulesData from './data/event-rules.json';
import resourceParamsData from './data/resource-params.json';
import type { ParamSpec } from './request-params';

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
}

export interface EventRule {
  actions: RuleActionSpec[];
  sources: string[];
  note?: string;
}

interface NoPermissionEntry {
  reason: string;
  sources: string[];
}

const noPermission = noPermissionData as {
  allEventsOf: Record<string, NoPermissionEntry>;
  events: Record<string, Record<string, NoPermissionEntry>>;
};

export const EVENT_RULES = (eventRulesData as unknown as { rules: Record<string, Record<string, EventRule>> })
  .rules;

const resourceParams = resourceParamsData as unknown as {
  services: Record<string, ParamSpec[]>;
  wildcardWhenUnresolved: Record<string, string>;
};

export const SERVICE_PARAMS = resourceParams.services;

/** Actions allowed on `*` when the request names none of their (optional) resource types. */
export const WILDCARD_WHEN_UNRESOLVED: ReadonlySet<string> = new Set(
  Object.keys(resourceParams.wildcardWhenUnresolved).filter((k) => !k.startsWith('_')),
);

/** Reason when the call needs no IAM permission, else undefined. */
export function noPermissionReason(eventSource: string, eventName: string): string | undefined {
  const all = noPermission.allEventsOf[eventSource];
  if (all) return all.reason;
  const e = noPermission.events[eventSource];
  return e && Object.prototype.hasOwnProperty.call(e, eventName) ? e[eventName].reason : undefined;
}

export function eventRule(eventSource: string, eventName: string): EventRule | undefined {
  const s = EVENT_RULES[eventSource];
  return s && Object.prototype.hasOwnProperty.call(s, eventName) ? s[eventName] : undefined;
}
