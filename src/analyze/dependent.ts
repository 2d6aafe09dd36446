/**
 * Dependent permissions: what a successful call needed beyond its own action, because AWS
 * authorises it separately (data/dependent-permissions.json, each entry with its source):
 *
 * - **tag on create**: a create call that carries tags also needs the service's tagging action on
 *   the new resource (`ec2:CreateTags` for a tagged `RunInstances`, `ssm:AddTagsToResource` for a
 *   tagged `PutParameter`, `iam:TagRole` …). Its resource is the created resource: the call's own
 *   ARN (`same`), or for EC2 the created resource types' ARNs with `*` for the ids not known before
 *   the call (`created-type`, in the event's account and region).
 * - **iam:PassRole** for each role the call hands to a service (a function's role, a state
 *   machine's role …). An instance profile names its role only in the account snapshot: the
 *   permission waits for it (a correlation key the pipeline fills from the snapshot), else stays
 *   on `*` with a finding.
 *
 * Pure; values are checked against IAM's constraints and never reach a policy otherwise.
 */
import type { Catalog } from '../catalog/catalog';
import type { RequiredPermission } from '../model/mapping';
import type { TrailEvent } from '../model/trail-event';
import { fillArnTemplate } from './arn-template';
import data from './data/dependent-permissions.json';
import { normaliseEventName } from './normalise';
import { compilePath } from './rules';

interface TagRule {
  eventSource: string;
  eventNames: string[];
  /** Request field whose presence (non-empty) means the call carried tags. */
  field?: string;
  /** EC2: the field listing the created resource types that carry tags. */
  typesField?: string;
  action: string;
  resource: 'same' | 'created-type';
  ref: string;
}

interface PassRoleRule {
  eventSource: string;
  eventNames: string[];
  field: string;
  kind: 'role' | 'instance-profile';
  ref: string;
}

const TAG_RULES = data.tagOnCreate as TagRule[];
const PASS_RULES = data.passRole as PassRoleRule[];

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const PROFILE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):instance-profile\/[\w+=,.@/-]{1,512}$/;
const EC2_TYPE = /^[a-z][a-z0-9-]{0,63}$/;

function key(eventSource: string, eventName: string): string {
  return `${eventSource}\u0000${eventName}`;
}

const tagIndex = new Map<string, TagRule[]>();
for (const r of TAG_RULES)
  for (const n of r.eventNames)
    tagIndex.set(key(r.eventSource, n), [...(tagIndex.get(key(r.eventSource, n)) ?? []), r]);
const passIndex = new Map<string, PassRoleRule[]>();
for (const r of PASS_RULES)
  for (const n of r.eventNames)
    passIndex.set(key(r.eventSource, n), [...(passIndex.get(key(r.eventSource, n)) ?? []), r]);

const paths = new Map<string, ReturnType<typeof compilePath>>();
function values(params: Record<string, unknown> | undefined, path: string): unknown[] {
  let f = paths.get(path);
  if (!f) paths.set(path, (f = compilePath(path)));
  return f(params);
}

function nonEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return v !== undefined && v !== null && v !== '';
}

/** The IAM service prefixes the dependent permissions of this event may need (catalog loading). */
export function dependentPrefixes(eventSource: string, eventName: string): string[] {
  const k = key(eventSource, normaliseEventName(eventName));
  const out = new Set<string>();
  for (const r of tagIndex.get(k) ?? []) out.add(r.action.split(':')[0]);
  if (passIndex.has(k)) out.add('iam');
  return [...out];
}

/** Every action the data can emit (the catalog test checks each exists). */
export function dependentActions(): string[] {
  return [
    ...new Set([...TAG_RULES.map((r) => r.action), ...(PASS_RULES.length ? ['iam:PassRole'] : [])]),
  ].sort();
}

export interface DependentContext {
  catalog: Catalog;
  event: TrailEvent;
  /** Partition, Region, Account of the event. */
  base: Record<string, string>;
  /** The call's own permissions (observed), for `same`. */
  primary: readonly RequiredPermission[];
}

export interface DependentResult {
  permissions: RequiredPermission[];
  /** Reasons a dependent permission had to stay on `*` (for PT-UNRESOLVED-RESOURCE). */
  unresolved: { action: string; reason: string }[];
}

/** The dependent permissions of one mapped, successful event (see the file header). */
export function dependentPermissions(ctx: DependentContext): DependentResult {
  const { event, catalog, base } = ctx;
  const api = normaliseEventName(event.eventName);
  const k = key(event.eventSource, api);
  const params = event.requestParameters;
  const permissions: RequiredPermission[] = [];
  const unresolved: DependentResult['unresolved'] = [];
  const what = `${event.eventSource.split('.')[0]}:${api}`;

  for (const r of tagIndex.get(k) ?? []) {
    const note = `${what} with tags needs ${r.action} (${r.ref})`;
    if (r.resource === 'created-type') {
      const types = values(params, r.typesField ?? '').filter(
        (t): t is string => typeof t === 'string' && EC2_TYPE.test(t),
      );
      const [svc] = r.action.split(':');
      for (const t of [...new Set(types)].sort()) {
        const rt = catalog.resourceType(svc, t);
        const arn = rt ? createdArn(rt.arn, base) : undefined;
        if (arn && !arn.includes('${'))
          permissions.push({ action: r.action, resource: arn, origin: 'dependent', note });
        else {
          permissions.push({
            action: r.action,
            resource: '*',
            origin: 'dependent',
            note,
            wildcardReason: `the tagged resource type of ${what} has no ARN format in IAM`,
          });
          unresolved.push({ action: r.action, reason: `no ARN format for the created resource type` });
        }
      }
      continue;
    }
    if (!values(params, r.field ?? '').some(nonEmpty)) continue;
    const own = ctx.primary.filter((p) => p.origin === 'observed' || p.origin === 'on-behalf');
    const targets =
      own.length > 0 ? own : [{ resource: '*', wildcardReason: `no resource ARN in the event for ${what}` }];
    for (const p of targets) {
      permissions.push({
        action: r.action,
        resource: p.resource,
        origin: 'dependent',
        note,
        ...(p.resource === '*'
          ? { wildcardReason: p.wildcardReason ?? 'the created resource is not named' }
          : {}),
      });
    }
  }

  for (const r of passIndex.get(k) ?? []) {
    const note = `${what} hands a role to the service: iam:PassRole (${r.ref})`;
    for (const v of values(params, r.field)) {
      if (r.kind === 'role') {
        if (typeof v !== 'string') continue;
        let arn: string | undefined;
        if (ROLE_ARN.test(v)) arn = v;
        else if (ROLE_NAME.test(v) && base.Account)
          arn = `arn:${base.Partition}:iam::${base.Account}:role/${v}`;
        if (arn) permissions.push({ action: 'iam:PassRole', resource: arn, origin: 'dependent', note });
        else {
          permissions.push({
            action: 'iam:PassRole',
            resource: '*',
            origin: 'dependent',
            note,
            wildcardReason: `the role handed by ${what} is not a role ARN or name`,
          });
          unresolved.push({
            action: 'iam:PassRole',
            reason: `the ${r.field} of ${what} is not a role ARN or name`,
          });
        }
        continue;
      }
      // Instance profile: {arn} or {name}; its role is known from the account snapshot only.
      const profile = v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
      const arn = typeof profile.arn === 'string' && PROFILE_ARN.test(profile.arn) ? profile.arn : undefined;
      const name =
        typeof profile.name === 'string' && ROLE_NAME.test(profile.name) ? profile.name : undefined;
      const correlationKey = arn
        ? instanceProfileKey(arn)
        : name && base.Account
          ? instanceProfileKey(`arn:${base.Partition}:iam::${base.Account}:instance-profile/${name}`)
          : undefined;
      permissions.push({
        action: 'iam:PassRole',
        resource: '*',
        origin: 'dependent',
        note,
        wildcardReason: `the role of the instance profile of ${what} is known only from the account snapshot (--account-snapshot)`,
        ...(correlationKey ? { correlationKey } : {}),
      });
    }
  }
  return { permissions, unresolved };
}

const SCOPE = new Set(['Partition', 'Region', 'Account']);

/** A created resource's ARN: the event's partition, region and account; `*` for its ids. */
function createdArn(template: string, base: Record<string, string>): string | undefined {
  const ids: Record<string, string> = {};
  for (const m of template.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) if (!SCOPE.has(m[1])) ids[m[1]] = '*';
  return fillArnTemplate(template, { ...ids, ...base });
}

/**
 * The correlation key of an instance profile: the pipeline maps it to the profile's role from the
 * account snapshot. Paths are dropped (IAM names are unique without them).
 */
export function instanceProfileKey(profileArn: string): string {
  const m = /^arn:([^:]+):iam::(\d{12}):instance-profile\/(?:.*\/)?([^/]+)$/.exec(profileArn);
  return m ? `instance-profile:${m[1]}:${m[2]}:${m[3]}` : `instance-profile:${profileArn}`;
}
