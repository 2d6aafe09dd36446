/**
 * The mapping engine: one CloudTrail event → the IAM permission(s) it needed. Pure and synchronous
 * once the catalog services of the event are loaded (`prepare`). Expected outcomes are values.
 */
import type { Catalog, CatalogAction } from '../catalog/catalog';
import type { Finding, FindingCode, Severity } from '../model/findings';
import type { Correlation, MappingResult, RequiredPermission } from '../model/mapping';
import type { TrailEvent } from '../model/trail-event';
import { compileArnTemplate, fillArnTemplate, type CompiledArnTemplate } from './arn-template';
import { callContext } from './conditions';
import { dependentPermissions, dependentPrefixes } from './dependent';
import requiredData from './data/required-fields.json';
import { normaliseEventName, prefixOfEventSource } from './normalise';
import { extractFromParams, type Bindings, type ExtractResult, type ParamSpec } from './request-params';
import { resolveServiceResources } from './services';
import {
  compilePath,
  eventRule,
  noPermissionReason,
  SERVICE_PARAMS,
  unmappableReason,
  WILDCARD_WHEN_UNRESOLVED,
  type WhenSpec,
} from './rules';
import {
  EVENT_NAME_RE,
  EVENT_SOURCE_RE,
  isAccount,
  isRegion,
  parseArn,
  partitionOfRegion,
  constraintOf,
  escapeIamLiteral,
} from './validate';

/** `arn:<partition>:s3:::<bucket>/` and the key. */
const S3_OBJECT_ARN_RE = /^(arn:aws[a-z-]*:s3:::[^/]+\/)(.+)$/s;

const REQUIRED = requiredData.events as Record<string, Record<string, string[]>>;

export interface Mapper {
  /** Load what `map` needs for this event; undefined (no promise) when it is already loaded. */
  prepare(event: TrailEvent): Promise<void> | undefined;
  /** Sync and pure given the loaded catalog; works whether or not the event has `errorCode`. */
  map(event: TrailEvent): MappingResult;
}

type Params = Record<string, unknown> | undefined;

interface CompiledAction {
  action: CatalogAction;
  /** ARN formats of the action's resource types (empty: the action has none). */
  templates: CompiledArnTemplate[];
  when?: (params: Params) => boolean;
  params?: ParamSpec[];
  bind?: Record<string, string>;
  origin?: 'implied-by-call';
  /** ARN template of the rule (API Gateway paths) and its request-field variables. */
  arn?: { template: string; fields: string[] };
}

type ResolvedRule =
  | {
      kind: 'mapped';
      actions: CompiledAction[];
      serviceParams: ParamSpec[];
      /** Actions of the rule that are implied by the call (on another resource than its own). */
      implied?: ReadonlySet<string>;
    }
  | { kind: 'no-permission'; reason: string }
  | { kind: 'unmapped'; code: FindingCode; detail: string; message: string };

const BASE_VARIABLES = new Set(['Partition', 'Region', 'Account']);
const INVALID = '<invalid>';

function makeFinding(
  code: FindingCode,
  detail: string,
  severity: Severity,
  message: string,
  event: TrailEvent,
): Finding {
  return { id: `${code}[${detail}]`, code, severity, message, count: 1, sampleEventIds: [event.eventId] };
}

/** Longest request string a `matches` condition looks at (PartiQL statements are at most 8 KiB). */
const MAX_MATCH_LENGTH = 8192;

function compileWhen(when: WhenSpec): (params: Params) => boolean {
  const present = (when.present ?? []).map(compilePath);
  const absent = (when.absent ?? []).map(compilePath);
  const matchPath = when.matches ? compilePath(when.matches.param) : undefined;
  const re = when.matches ? new RegExp(when.matches.pattern, when.matches.flags) : undefined;
  return (p) => {
    if (present.length > 0 && !present.some((get) => get(p).length > 0)) return false;
    if (absent.some((get) => get(p).length > 0)) return false;
    if (matchPath && re) {
      const hit = matchPath(p).some(
        (v) => typeof v === 'string' && v.length <= MAX_MATCH_LENGTH && re.test(v),
      );
      if (!hit) return false;
    }
    return true;
  };
}

const ARN_VARIABLE_RE = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;
/** Values allowed in an ARN path segment taken from a request field (API Gateway ids, names). */
const PATH_SEGMENT_RE = /^[A-Za-z0-9._~$-]{1,256}$/;
/** A service host name (`invokedBy`, `sourceIPAddress` of service calls). */
const SERVICE_HOST_RE = /^[a-z0-9.-]{1,128}\.amazonaws\.com$/;

function compileArnOverride(template: string): { template: string; fields: string[] } {
  const fields = [...template.matchAll(ARN_VARIABLE_RE)]
    .map((m) => m[1])
    .filter((v) => !BASE_VARIABLES.has(v));
  return { template, fields };
}

/**
 * When an AWS service made the call for the caller (forward access sessions): the service's host.
 * `invokedBy` set, or (without it) a `sourceIPAddress` that is a service host on the caller's own
 * role session. `null`: a service made the call, but it names no valid host (`AWS Internal`).
 */
function onBehalfHost(event: TrailEvent): string | null | undefined {
  const by = event.identity?.invokedBy;
  let host: string;
  if (typeof by === 'string' && by.length > 0) host = by;
  else {
    const ip = event.sourceIPAddress;
    if (event.identity?.type !== 'AssumedRole' || typeof ip !== 'string' || !SERVICE_HOST_RE.test(ip))
      return undefined;
    host = ip;
  }
  return SERVICE_HOST_RE.test(host) ? host : null;
}

/** Events that are no call of the principal: service events, sign-ins, service principals. */
function notACallReason(event: TrailEvent): string | undefined {
  if (event.eventType === 'AwsServiceEvent')
    return 'AWS service event (eventType AwsServiceEvent): made by the service, not an API call of the principal';
  if (event.eventType === 'AwsConsoleSignIn') return 'console sign-in event: needs no IAM action';
  if (event.identity?.type === 'AWSService')
    return 'made by an AWS service principal (userIdentity.type AWSService), not by the principal: no permission of its policy';
  return undefined;
}

function prefixOfAction(action: string): string {
  return action.slice(0, action.indexOf(':'));
}

export function createMapper(catalog: Catalog): Mapper {
  const resolvedCache = new Map<string, ResolvedRule>();
  const needsCache = new Map<string, string[]>();
  /** (eventSource, eventName) keys whose catalog services are all loaded: `prepare` returns at once. */
  const ready = new Set<string>();

  function neededPrefixes(eventSource: string, eventName: string): string[] {
    const key = `${eventSource}\u0000${eventName}`;
    let needs = needsCache.get(key);
    if (!needs) {
      const set = new Set([prefixOfEventSource(eventSource)]);
      const rule = eventRule(eventSource, normaliseEventName(eventName));
      for (const a of rule?.actions ?? []) set.add(prefixOfAction(a.action));
      for (const p of dependentPrefixes(eventSource, eventName)) set.add(p);
      needs = [...set].filter((p) => catalog.hasService(p));
      needsCache.set(key, needs);
    }
    return needs;
  }

  function compileAction(name: string): CompiledAction | undefined {
    const action = catalog.action(name);
    if (!action) return undefined;
    const prefix = prefixOfAction(action.name);
    const templates: CompiledArnTemplate[] = [];
    for (const rt of action.resourceTypes) {
      const t = catalog.resourceType(prefix, rt.name);
      if (t) templates.push(compileArnTemplate(t.arn));
    }
    return { action, templates };
  }

  function resolve(eventSource: string, eventName: string): ResolvedRule {
    const name = normaliseEventName(eventName);
    const detail = `${eventSource}:${eventName}`;
    const reason = noPermissionReason(eventSource, name);
    if (reason !== undefined) return { kind: 'no-permission', reason };
    const noAction = unmappableReason(eventSource, name);
    if (noAction !== undefined) {
      return {
        kind: 'unmapped',
        code: 'PT-UNMAPPED',
        detail,
        message: `${detail} has no IAM action: ${noAction}`,
      };
    }
    const prefix = prefixOfEventSource(eventSource);
    if (!catalog.hasService(prefix)) {
      return {
        kind: 'unmapped',
        code: 'PT-UNKNOWN-SERVICE',
        detail: eventSource,
        message: `Event source ${eventSource} (IAM prefix ${prefix}) is not a service of the IAM catalog; its events are not mapped`,
      };
    }
    for (const p of neededPrefixes(eventSource, eventName)) {
      if (!catalog.isLoaded(p))
        throw new Error(`IAM catalog service ${p} is not loaded: call prepare() before map()`);
    }
    const rule = eventRule(eventSource, name);
    const serviceParams = SERVICE_PARAMS[prefix] ?? [];
    if (!rule) {
      const compiled = compileAction(`${prefix}:${name}`);
      if (!compiled) {
        return {
          kind: 'unmapped',
          code: 'PT-UNMAPPED',
          detail,
          message: `No rule maps ${detail} and there is no IAM action ${prefix}:${name} in the catalog`,
        };
      }
      return { kind: 'mapped', actions: [compiled], serviceParams };
    }
    const actions: CompiledAction[] = [];
    for (const spec of rule.actions) {
      const compiled = compileAction(spec.action);
      if (!compiled) {
        return {
          kind: 'unmapped',
          code: 'PT-UNMAPPED',
          detail,
          message: `The rule for ${detail} names IAM action ${spec.action}, which is not in the catalog`,
        };
      }
      if (spec.when) compiled.when = compileWhen(spec.when);
      if (spec.params) compiled.params = spec.params;
      if (spec.bind) compiled.bind = spec.bind;
      if (spec.origin) compiled.origin = spec.origin;
      if (spec.arn) compiled.arn = compileArnOverride(spec.arn);
      actions.push(compiled);
    }
    const implied = new Set(actions.filter((a) => a.origin).map((a) => a.action.name));
    return { kind: 'mapped', actions, serviceParams, ...(implied.size > 0 ? { implied } : {}) };
  }

  function resolved(eventSource: string, eventName: string): ResolvedRule {
    const key = `${eventSource}\u0000${eventName}`;
    let r = resolvedCache.get(key);
    if (!r) {
      r = resolve(eventSource, eventName);
      resolvedCache.set(key, r);
    }
    return r;
  }

  function rejected(event: TrailEvent, detail: string, field: string, constraint: string): MappingResult {
    return {
      kind: 'rejected',
      finding: makeFinding(
        'PT-REJECTED-VALUE',
        detail,
        'warning',
        `Rejected an event of ${detail}: ${field} breaks its constraint (${constraint}); nothing from the event is used`,
        event,
      ),
    };
  }

  function mapEvent(event: TrailEvent): MappingResult {
    const { eventSource, eventName } = event;
    if (typeof eventSource !== 'string' || !EVENT_SOURCE_RE.test(eventSource)) {
      return rejected(
        event,
        `${INVALID}:${INVALID}`,
        'eventSource',
        'host name ending in .amazonaws.com, at most 128 characters',
      );
    }
    if (typeof eventName !== 'string' || !EVENT_NAME_RE.test(eventName)) {
      return rejected(
        event,
        `${eventSource}:${INVALID}`,
        'eventName',
        'API operation name [A-Za-z][A-Za-z0-9_]{0,127}',
      );
    }
    const detail = `${eventSource}:${eventName}`;
    const notACall = notACallReason(event);
    if (notACall !== undefined) return { kind: 'no-permission', reason: notACall };
    const rule = resolved(eventSource, eventName);
    if (rule.kind === 'no-permission') return { kind: 'no-permission', reason: rule.reason };
    if (rule.kind === 'unmapped') {
      return {
        kind: 'unmapped',
        finding: makeFinding(rule.code, rule.detail, 'warning', rule.message, event),
      };
    }

    // Values that go into ARNs: region, account, the event's resources, request fields.
    const region = event.awsRegion;
    if (typeof region !== 'string' || !isRegion(region)) {
      return rejected(event, detail, 'awsRegion', 'AWS region such as us-east-1, us-gov-west-1, cn-north-1');
    }
    const recipient = event.recipientAccountId;
    if (recipient !== undefined && (typeof recipient !== 'string' || !isAccount(recipient))) {
      return rejected(event, detail, 'recipientAccountId', '12-digit account id');
    }
    const identityAccount = event.identity?.accountId;
    if (
      identityAccount !== undefined &&
      (typeof identityAccount !== 'string' || !isAccount(identityAccount))
    ) {
      return rejected(event, detail, 'userIdentity.accountId', '12-digit account id');
    }
    const eventArns: string[] = [];
    for (const r of event.resources ?? []) {
      if (r?.arn === undefined) continue;
      if (typeof r.arn !== 'string') return rejected(event, detail, 'resources[].arn', constraintOf('arn'));
      // An S3 object ARN names a key, which may hold "*", "?" and "$": escaped, not rejected.
      const s3 = S3_OBJECT_ARN_RE.exec(r.arn);
      const arn = s3 ? `${s3[1]}${escapeIamLiteral(s3[2])}` : r.arn;
      if (!parseArn(s3 ? `${s3[1]}${s3[2].replace(/[$*?]/g, '_')}` : r.arn))
        return rejected(event, detail, 'resources[].arn', constraintOf('arn'));
      eventArns.push(arn);
    }
    // A successful call of these APIs always names its resource: without the field the record is
    // damaged or forged, and must not widen the policy to `*` (data/required-fields.json).
    if (event.errorCode === undefined) {
      const api = normaliseEventName(eventName);
      for (const f of REQUIRED[eventSource]?.[api] ?? []) {
        const v = event.requestParameters?.[f];
        if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))
          return rejected(event, detail, `requestParameters.${f}`, `required by ${api} (AWS API model)`);
      }
    }
    const base: Bindings = { Partition: partitionOfRegion(region), Region: region };
    const account = recipient ?? identityAccount;
    if (account !== undefined) base.Account = account;

    const params = event.requestParameters;
    let serviceExtract: ExtractResult | undefined;
    const permissions: RequiredPermission[] = [];
    const findings: Finding[] = [];
    /** The function must keep working: allow on `*`, and report the widening. */
    const unresolved = (action: string): void => {
      permissions.push({
        action,
        resource: '*',
        origin: 'observed',
        wildcardReason: `no resource ARN in the event for ${action}`,
      });
      const f = makeFinding(
        'PT-UNRESOLVED-RESOURCE',
        action,
        'warning',
        `The resource of ${action} (from ${detail}) could not be determined from the event; it is allowed on "*"`,
        event,
      );
      if (!findings.some((x) => x.id === f.id)) findings.push(f);
    };
    const provides: Correlation[] = [];
    /** ARNs that params-based actions resolved; permissions whose ARN came from `resources` only. */
    const paramArns = new Set<string>();
    const eventOnly = new Set<RequiredPermission>();
    for (const a of rule.actions) {
      if (a.when && !a.when(params)) continue;
      const action = a.action.name;
      if (a.templates.length === 0) {
        permissions.push({ action, resource: '*', origin: 'observed', wildcardReason: 'no-resource-type' });
        continue;
      }
      if (a.arn) {
        // The rule's own ARN template (API Gateway paths): request fields fill it as path segments.
        const b: Record<string, string> = { ...base };
        for (const f of a.arn.fields) {
          const v = params?.[f];
          if (typeof v === 'string' && PATH_SEGMENT_RE.test(v)) b[f] = v;
        }
        const arn = fillArnTemplate(a.arn.template, b);
        if (arn !== undefined && !arn.includes('${')) {
          permissions.push({ action, resource: arn, origin: 'observed' });
          continue;
        }
        unresolved(action);
        continue;
      }
      // Irregular services (src/analyze/services): their resolver decides, else the data-driven path.
      const special = a.params
        ? undefined
        : resolveServiceResources({
            catalog,
            event,
            eventName: normaliseEventName(eventName),
            detail,
            action: a.action,
            base,
            eventArns,
            bind: a.bind,
          });
      if (special?.kind === 'rejected') return rejected(event, detail, special.field, special.constraint);
      if (special) {
        permissions.push(...special.permissions);
        for (const f of special.findings) if (!findings.some((x) => x.id === f.id)) findings.push(f);
        provides.push(...special.provides);
        continue;
      }
      const ex = a.params
        ? extractFromParams(params, a.params)
        : (serviceExtract ??= extractFromParams(params, rule.serviceParams));
      if (!ex.ok) return rejected(event, detail, ex.rejection.field, ex.rejection.constraint);
      const arns = new Set<string>();
      const fits = (arn: string): boolean => a.templates.some((t) => t.regex.test(arn));
      if (!a.params) for (const arn of eventArns) if (fits(arn)) arns.add(arn);
      const fromEvent = new Set(arns);
      /** ARNs the request fields name for this action (as opposed to `resources` only). */
      const own = new Set<string>();
      for (const arn of ex.value.arns) {
        if (!fits(arn)) continue;
        arns.add(arn);
        own.add(arn);
      }
      // Fill the action's ARN formats; prefer the format using the most request values.
      const sets = ex.value.bindings.length > 0 ? ex.value.bindings : [{}];
      for (const set of sets) {
        const b = { ...base, ...set, ...a.bind };
        let best: string[] = [];
        let bestRank = -1;
        for (const t of a.templates) {
          const specific = t.variables.filter((v) => !BASE_VARIABLES.has(v)).length;
          // A format fixed by region and account alone (`apps/*`) is the resource only when it is the
          // action's sole resource type.
          if (specific === 0 && a.templates.length > 1) continue;
          const filled = fillArnTemplate(t.template, b);
          if (filled === undefined) continue;
          const rank = specific * 100 + t.variables.length;
          if (rank > bestRank) [best, bestRank] = [[filled], rank];
          else if (rank === bestRank) best.push(filled);
        }
        for (const arn of best) {
          arns.add(arn);
          own.add(arn);
        }
      }
      if (arns.size === 0 && WILDCARD_WHEN_UNRESOLVED.has(action)) {
        permissions.push({ action, resource: '*', origin: 'observed', wildcardReason: 'no-resource-type' });
        continue;
      }
      if (arns.size === 0) {
        unresolved(action);
        continue;
      }
      for (const arn of [...arns].sort()) {
        const p: RequiredPermission = { action, resource: arn, origin: 'observed' };
        permissions.push(p);
        if (a.params) paramArns.add(arn);
        else if (fromEvent.has(arn) && !own.has(arn)) eventOnly.add(p);
      }
    }
    // A resource that a field names for another action of the call (CopyObject's copy source,
    // read with s3:GetObject) is not also the resource of the call's own action (s3:PutObject on
    // the destination only), although CloudTrail lists both in `resources`.
    for (const p of eventOnly) {
      if (!paramArns.has(p.resource)) continue;
      const i = permissions.indexOf(p);
      if (permissions.some((q) => q !== p && q.action === p.action && !paramArns.has(q.resource)))
        permissions.splice(i, 1);
    }
    if (permissions.length === 0) {
      return {
        kind: 'unmapped',
        finding: makeFinding(
          'PT-UNMAPPED',
          detail,
          'warning',
          `The rule for ${detail} depends on request fields this event lacks; no action could be chosen`,
          event,
        ),
      };
    }
    // Only a validated host name goes into the note and the context. kms:ViaService rests on
    // `invokedBy` alone, the field CloudTrail documents for a service acting for the caller; a
    // service host in sourceIPAddress marks the call on-behalf but sets no condition.
    const host = onBehalfHost(event);
    const invokedBy = event.identity?.invokedBy;
    const via = typeof invokedBy === 'string' && SERVICE_HOST_RE.test(invokedBy) ? invokedBy : undefined;
    for (const p of permissions) {
      if (host !== undefined)
        [p.origin, p.note] = ['on-behalf', `called by ${host ?? 'an AWS service'} on the caller's behalf`];
      else if (p.origin === 'observed' && rule.implied?.has(p.action)) p.origin = 'implied-by-call';
      const action = catalog.action(p.action);
      const context = action && callContext(event, action, region, via);
      if (context) p.context = context;
    }
    // What AWS authorised beyond the call's own action (tag on create, iam:PassRole). Rules that
    // already encode a dependent action (CreateQueue's sqs:TagQueue) keep theirs.
    const dependent = dependentPermissions({ catalog, event, base, primary: permissions });
    const own = new Set(permissions.map((p) => p.action.toLowerCase()));
    for (const u of dependent.unresolved) {
      if (own.has(u.action.toLowerCase())) continue;
      const f = makeFinding(
        'PT-UNRESOLVED-RESOURCE',
        u.action,
        'warning',
        `The resource of ${u.action} (needed by ${detail}: ${u.reason}) could not be determined; it is allowed on "*"`,
        event,
      );
      if (!findings.some((x) => x.id === f.id)) findings.push(f);
    }
    permissions.push(...dependent.permissions.filter((p) => !own.has(p.action.toLowerCase())));
    return { kind: 'mapped', permissions, findings, ...(provides.length > 0 ? { provides } : {}) };
  }

  return {
    prepare(event: TrailEvent): Promise<void> | undefined {
      const { eventSource, eventName } = event;
      if (typeof eventSource !== 'string' || !EVENT_SOURCE_RE.test(eventSource)) return undefined;
      if (typeof eventName !== 'string' || !EVENT_NAME_RE.test(eventName)) return undefined;
      const key = `${eventSource}\u0000${eventName}`;
      if (ready.has(key)) return undefined;
      const missing = neededPrefixes(eventSource, eventName).filter((p) => !catalog.isLoaded(p));
      if (missing.length === 0) {
        ready.add(key);
        return undefined;
      }
      return Promise.all(missing.map((p) => catalog.ensureService(p))).then(() => undefined);
    },
    map: mapEvent,
  };
}
