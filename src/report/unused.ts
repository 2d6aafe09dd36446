/**
 * The unused-access report (docs/report.md): from the account state and one account-wide read of
 * the trail, which roles and functions show no activity in the window, how much of each role's
 * granted access went unused, and which execution roles several functions share. Pure: the
 * caller loads the catalog services the policies name (diff's loadServicesFor) and the implied
 * services (loadImpliedServices).
 *
 * "No data is not evidence": a role younger than the window and a function changed inside it are
 * not judged; a role IAM saw used inside the window but the trail did not is not called unused;
 * each verdict names the signals it rests on and those that were unavailable; what the trail
 * cannot show is counted apart and listed in the coverage.
 */
import { currentPoliciesOf } from '../account/current-policies';
import { functionsUsingRole } from '../account/lookup';
import type { Catalog } from '../catalog/catalog';
import { accessLevelOf, evaluate, parsePolicies } from '../diff';
import { actionsOfStatement } from '../diff/carry-over';
import { ACCESS_LEVEL_ORDER } from '../diff/types';
import { impliedPermissions } from '../implied';
import { PARTIAL_CODES } from '../model';
import type {
  AccountAggregate,
  AccountState,
  Finding,
  FunctionInfo,
  PrincipalActivity,
  RoleInfo,
} from '../model';
import { OBSERVABILITY_CATEGORIES, trailCannotShow, type ObservabilityCategory } from '../observability';
import { addFinding, emptyAggregate } from '../usage';
import {
  MAX_LISTED_ACTIONS,
  type ActivityDay,
  type NotJudged,
  type ReportCoverage,
  type RolePermissions,
  type SharedRole,
  type UnusedFunction,
  type UnusedReport,
  type UnusedRole,
} from './types';

export interface UnusedReportInput {
  state: AccountState;
  account: AccountAggregate;
  catalog: Catalog;
  window: { since: Date; until: Date };
}

const DAY = 86_400_000;
const LAMBDA_SOURCE = 'lambda.amazonaws.com';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function maxTime(...times: (string | null | undefined)[]): string | null {
  let out: string | null = null;
  for (const t of times) if (t && (out === null || t > out)) out = t;
  return out;
}

function iso(d: Date): string {
  return d.toISOString();
}

function day(t: string | undefined): string {
  return t ? t.slice(0, 10) : 'never';
}

/** Service-linked roles belong to AWS services: never reported. */
function isServiceLinked(role: RoleInfo): boolean {
  return role.path.startsWith('/aws-service-role/');
}

/** Does the role's trust policy let Lambda assume it? */
function trustsLambda(role: RoleInfo): boolean {
  const statements = role.trustPolicy?.Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  return list.some((s) => {
    if (typeof s !== 'object' || s === null) return false;
    const st = s as { Effect?: unknown; Principal?: { Service?: unknown } };
    const svc = st.Principal?.Service;
    const services = Array.isArray(svc) ? svc : [svc];
    return st.Effect === 'Allow' && services.includes(LAMBDA_SOURCE);
  });
}

function principalOf(input: UnusedReportInput, role: RoleInfo): PrincipalActivity | undefined {
  return input.account.principals[role.arn] ?? input.account.principals[`role/${role.roleName}`];
}

function judgeRoles(input: UnusedReportInput, since: string) {
  const unused: UnusedRole[] = [];
  const notJudged: NotJudged[] = [];
  const judged = input.state.roles.filter((r) => !isServiceLinked(r));
  for (const role of judged) {
    const p = principalOf(input, role);
    if ((p?.usage.stats.attributed ?? 0) > 0) continue;
    const lastUsed = role.lastUsedDate;
    if (role.createDate && role.createDate > since) {
      notJudged.push({
        name: role.roleName,
        arn: role.arn,
        reason: `created ${day(role.createDate)}, inside the window: too new to judge`,
      });
      continue;
    }
    if (lastUsed && lastUsed >= since) {
      notJudged.push({
        name: role.roleName,
        arn: role.arn,
        reason: `IAM last used it on ${day(lastUsed)}${role.lastUsedRegion ? ` in ${role.lastUsedRegion}` : ''}, inside the window, but the trail holds none of its calls: the trail may not cover that region or service`,
      });
      continue;
    }
    const functions = functionsUsingRole(input.state, role.arn);
    const orphaned = trustsLambda(role) && functions.length === 0;
    const iam = lastUsed
      ? `IAM last used it on ${day(lastUsed)}${role.lastUsedRegion ? ` in ${role.lastUsedRegion}` : ''}`
      : 'IAM reports no use';
    unused.push({
      name: role.roleName,
      arn: role.arn,
      lastActivity: lastUsed ?? null,
      kind: orphaned ? 'orphaned-execution-role' : 'role',
      reason:
        `no call in the window; ${iam}` +
        (orphaned ? '; a Lambda execution role (trusted by lambda.amazonaws.com) that no function uses' : ''),
      createDate: role.createDate ?? null,
      roleLastUsed: lastUsed ? { date: lastUsed, region: role.lastUsedRegion ?? null } : null,
    });
  }
  return { unused, notJudged, count: judged.length };
}

function judgeFunctions(input: UnusedReportInput, since: string, until: string) {
  const { state, account } = input;
  const unused: UnusedFunction[] = [];
  const notJudged: NotJudged[] = [];
  const invokeEvents = (account.base.dataEventSources[LAMBDA_SOURCE] ?? 0) > 0;
  const metricRegions = new Set(state.metricRegions ?? []);
  for (const fn of state.functions) {
    const role = state.roles.find((r) => r.arn === fn.roleArn);
    const roleName = role?.roleName ?? fn.roleArn.split('/').pop() ?? fn.roleArn;
    const p = role ? principalOf(input, role) : account.principals[fn.roleArn];
    const session = p?.sessions[fn.name];
    const checked: string[] = [`calls by ${roleName} sessions named ${fn.name}: ${session?.count ?? 0}`];
    const unavailable: string[] = [];
    let active = (session?.count ?? 0) > 0;
    let last = session?.lastSeen ?? null;
    let invocationSignal = false;
    if (invokeEvents) {
      const inv = account.invocations[`${fn.region}:${fn.name}`];
      checked.push(`Lambda Invoke data events: ${inv?.count ?? 0}`);
      invocationSignal = true;
      if (inv) {
        active = true;
        last = maxTime(last, inv.lastSeen);
      }
    } else unavailable.push('Lambda Invoke data events: none in the trail (not logged)');
    const metric = state.invocationMetrics?.find((m) => m.region === fn.region && m.functionName === fn.name);
    if (metric) {
      const points = metric.points.filter((x) => x.time >= since && x.time < until && x.value > 0);
      const sum = points.reduce((n, x) => n + x.value, 0);
      checked.push(`Invocations metric: ${sum} in the window`);
      invocationSignal = true;
      if (sum > 0) {
        active = true;
        last = maxTime(last, points[points.length - 1].time);
      }
    } else
      unavailable.push(
        metricRegions.has(fn.region)
          ? `Invocations metric: the ${fn.region} export has no result for ${fn.name}`
          : `Invocations metric: no export for ${fn.region} in the snapshot`,
      );
    if (active) continue;
    const modified =
      typeof fn.config.LastModified === 'string' ? normaliseLambdaTime(fn.config.LastModified) : null;
    if (modified && modified >= since) {
      notJudged.push({
        name: fn.name,
        arn: fn.arn,
        reason: `modified ${day(modified)}, inside the window: recently changed, not judged`,
      });
      continue;
    }
    unused.push({
      name: fn.name,
      arn: fn.arn,
      region: fn.region,
      roleArn: fn.roleArn,
      lastActivity: last,
      reason: invocationSignal
        ? 'no invocation and no call in the window'
        : 'no call by its role in the window; no invocation signal was available (a function that calls no AWS API looks the same)',
      confidence: invocationSignal ? 'invocations' : 'calls-only',
      signals: { checked, unavailable },
      lastModified: modified,
    });
  }
  return { unused, notJudged };
}

/** Lambda's `2026-10-27T16:03:52.000+0000` as ISO-8601 UTC; null when unparseable. */
function normaliseLambdaTime(t: string): string | null {
  const fixed = t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(fixed);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The observability categories of each action (lower case): one lookup per granted action. */
const CATEGORIES_OF = new Map<string, ObservabilityCategory[]>();
for (const c of OBSERVABILITY_CATEGORIES)
  for (const a of c.actions)
    CATEGORIES_OF.set(a.toLowerCase(), [...(CATEGORIES_OF.get(a.toLowerCase()) ?? []), c]);

const LEVEL_RANK = new Map<string, number>(ACCESS_LEVEL_ORDER.map((l, i) => [l, i]));

function rolePermissions(input: UnusedReportInput, role: RoleInfo): RolePermissions | undefined {
  const { state, catalog, account } = input;
  const current = currentPoliciesOf(state, role.arn);
  if (!current) return undefined;
  const parsed = parsePolicies(current.identity);
  const allows = parsed.statements.filter((s) => s.effect === 'Allow');
  const denies = parsed.statements.filter((s) => s.effect === 'Deny');
  const granted = new Set<string>();
  for (const s of allows) for (const a of actionsOfStatement(s, catalog)) granted.add(a);
  for (const a of [...granted]) if (evaluate(denies, a, '*') === 'denied') granted.delete(a);
  const p = principalOf(input, role);
  const used = new Set<string>();
  for (const e of Object.values(p?.usage.entries ?? {})) used.add(e.action.toLowerCase());
  // What the functions' configuration needs (logs, VPC, pollers …) is use the trail never shows.
  for (const fn of functionsUsingRole(state, role.arn))
    for (const x of impliedOf(fn, input)) used.add(x.toLowerCase());
  const observed = new Set([...used]);
  const unused: string[] = [];
  const unobservable: string[] = [];
  let usedCount = 0;
  for (const a of [...granted].sort(cmp)) {
    if (used.has(a.toLowerCase())) {
      usedCount++;
      continue;
    }
    const hidden = (CATEGORIES_OF.get(a.toLowerCase()) ?? []).some((c) =>
      trailCannotShow(c, observed, account.base.dataEventSources),
    );
    (hidden ? unobservable : unused).push(a);
  }
  const rank = (a: string) => LEVEL_RANK.get(accessLevelOf(catalog.action(a))) ?? 99;
  unused.sort((a, b) => rank(a) - rank(b) || cmp(a, b));
  const byService: Record<string, number> = {};
  for (const a of [...unused].sort(cmp)) {
    const svc = a.slice(0, a.indexOf(':'));
    byService[svc] = (byService[svc] ?? 0) + 1;
  }
  const observable = granted.size - unobservable.length;
  return {
    name: role.roleName,
    arn: role.arn,
    granted: granted.size,
    used: usedCount,
    unused: unused.length,
    unobservable: unobservable.length,
    unusedShare: observable > 0 ? Math.round((unused.length / observable) * 10_000) / 10_000 : 0,
    unusedActions: unused.slice(0, MAX_LISTED_ACTIONS),
    unusedByService: byService,
    unobservableActions: unobservable.slice(0, MAX_LISTED_ACTIONS),
    unknownPolicies: [...current.unknown, ...parsed.problems].sort(cmp),
    idle: (p?.usage.stats.attributed ?? 0) === 0,
  };
}

function impliedOf(fn: FunctionInfo, input: UnusedReportInput): string[] {
  const r = impliedPermissions({
    fn,
    eventSourceMappings: input.state.eventSourceMappings,
    catalog: input.catalog,
  });
  return r.permissions.map((x) => x.action);
}

function sharedRoles(input: UnusedReportInput): SharedRole[] {
  const out: SharedRole[] = [];
  for (const role of input.state.roles) {
    const functions = functionsUsingRole(input.state, role.arn);
    if (new Set(functions.map((f) => f.name)).size < 2) continue;
    const p = principalOf(input, role);
    out.push({
      name: role.roleName,
      arn: role.arn,
      functions: functions
        .map((f) => {
          const s = p?.sessions[f.name];
          return {
            name: f.name,
            arn: f.arn,
            region: f.region,
            calls: s?.count ?? 0,
            lastActivity: s?.lastSeen ?? null,
            actions: [...(s?.actions ?? [])],
          };
        })
        .sort((a, b) => cmp(a.name, b.name) || cmp(a.region, b.region)),
    });
  }
  return out.sort((a, b) => cmp(a.name, b.name));
}

function activityOf(account: AccountAggregate, since: Date, until: Date): ActivityDay[] {
  const out: ActivityDay[] = [];
  const start = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = start; t < until.getTime(); t += DAY) {
    const d = new Date(t).toISOString().slice(0, 10);
    out.push({ day: d, calls: account.days[d] ?? 0 });
  }
  return out;
}

function coverageOf(account: AccountAggregate, findings: readonly Finding[]): ReportCoverage {
  const { base } = account;
  const regions = new Set<string>();
  for (const p of Object.values(account.principals))
    for (const e of Object.values(p.usage.entries)) e.regions.forEach((r) => regions.add(r));
  const notShown: string[] = [];
  for (const cat of OBSERVABILITY_CATEGORIES) {
    if (cat.kind === 'data-event') {
      if ((base.dataEventSources[cat.eventSource ?? ''] ?? 0) === 0)
        notShown.push(`${cat.what}: no ${cat.trailWording ?? 'data events'} in the trail`);
    } else notShown.push(`${cat.what}: CloudTrail never records it`);
  }
  return {
    first: base.coverage?.first ?? null,
    last: base.coverage?.last ?? null,
    filesRead: base.stats.filesRead,
    filesSkipped: base.stats.filesSkipped,
    eventsRead: base.stats.eventsRead,
    attributedEvents: base.stats.attributed,
    regions: [...regions].sort(cmp),
    dataEvents: Object.fromEntries(Object.entries(base.dataEventSources).sort((a, b) => cmp(a[0], b[0]))),
    notShown: notShown.sort(cmp),
    partial: findings.some((f) => PARTIAL_CODES.has(f.code)),
  };
}

/** Every finding of the read and of the principals' mapping, merged by id, sorted. */
function findingsOf(account: AccountAggregate): Finding[] {
  // The usage aggregate's own merge (counts, smallest samples, severity, order-independent message).
  const merged = emptyAggregate();
  for (const agg of [account.base, ...Object.values(account.principals).map((p) => p.usage)])
    for (const f of Object.values(agg.findings)) addFinding(merged, f);
  return Object.values(merged.findings).sort((a, b) => cmp(a.id, b.id));
}

/** Builds the report (see the file header). */
export function buildUnusedReport(input: UnusedReportInput): UnusedReport {
  const { state, account, window } = input;
  const since = iso(window.since);
  const until = iso(window.until);
  const roles = judgeRoles(input, since);
  const functions = judgeFunctions(input, since, until);
  const permissions = state.roles
    .filter((r) => !isServiceLinked(r))
    .map((r) => rolePermissions(input, r))
    .filter((x): x is RolePermissions => x !== undefined && x.granted > 0)
    .sort((a, b) => b.unusedShare - a.unusedShare || b.unused - a.unused || cmp(a.name, b.name));
  const shared = sharedRoles(input);
  const findings = findingsOf(account);
  const accounts = new Set<string>();
  for (const r of state.roles) {
    const a = r.arn.split(':')[4];
    if (a) accounts.add(a);
  }
  const byName = (a: { name: string; arn: string }, b: { name: string; arn: string }) =>
    cmp(a.name, b.name) || cmp(a.arn, b.arn);
  return {
    schemaVersion: 1,
    accounts: [...accounts].sort(cmp),
    window: {
      since,
      until,
      days: Math.round(((window.until.getTime() - window.since.getTime()) / DAY) * 10) / 10,
    },
    summary: {
      roles: roles.count,
      unusedRoles: roles.unused.length,
      functions: state.functions.length,
      unusedFunctions: functions.unused.length,
      rolesNotJudged: roles.notJudged.length,
      functionsNotJudged: functions.notJudged.length,
      sharedRoles: shared.length,
      grantedActions: permissions.reduce((n, r) => n + r.granted, 0),
      unusedActions: permissions.reduce((n, r) => n + r.unused, 0),
      unobservableActions: permissions.reduce((n, r) => n + r.unobservable, 0),
    },
    coverage: coverageOf(account, findings),
    unusedRoles: roles.unused.sort(byName),
    rolesNotJudged: roles.notJudged.sort(byName),
    unusedFunctions: functions.unused.sort((a, b) => byName(a, b) || cmp(a.region, b.region)),
    functionsNotJudged: functions.notJudged.sort(byName),
    unusedPermissions: permissions,
    sharedRoles: shared,
    activity: activityOf(account, window.since, window.until),
    findings,
  };
}
