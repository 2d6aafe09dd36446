/** Small fixtures for the role and function rules' unit tests (AccountState, report, usage). */
import { loadCatalog, type Catalog } from '../../../src/catalog/catalog';
import type { AuditInput } from '../../../src/audit';
import type {
  AccountAggregate,
  AccountState,
  FunctionInfo,
  PolicyDocumentLike,
  RoleInfo,
} from '../../../src/model';
import type { RolePermissions, UnusedReport } from '../../../src/report';
import { emptyAccountAggregate, principalActivity } from '../../../src/usage';

export const A = '111122223333';
export const roleArn = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
export const fnArn = (name: string, region = 'us-east-1'): string =>
  `arn:aws:lambda:${region}:${A}:function:${name}`;
export const WINDOW = { since: '2026-11-01T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' };
export const NOW = new Date('2026-12-01T00:00:00Z');

export function role(name: string, statements: unknown[] = [], extra: Partial<RoleInfo> = {}): RoleInfo {
  return {
    roleName: name,
    arn: roleArn(name),
    path: '/',
    createDate: '2025-01-01T00:00:00Z',
    inlinePolicies: statements.length
      ? [{ name: 'p', document: { Version: '2012-10-17', Statement: statements } as PolicyDocumentLike }]
      : [],
    attachedPolicyArns: [],
    ...extra,
  };
}

export function fn(
  name: string,
  roleName: string,
  region = 'us-east-1',
  extra: Partial<FunctionInfo> = {},
): FunctionInfo {
  return {
    name,
    arn: fnArn(name, region),
    region,
    roleArn: roleArn(roleName),
    config: { FunctionName: name },
    ...extra,
  };
}

export function state(roles: RoleInfo[], functions: FunctionInfo[] = []): AccountState {
  return { roles, users: [], policies: [], functions, eventSourceMappings: [] };
}

/** An aggregate in which `roleName`'s sessions named after functions made these calls. */
export function usage(
  sessions: Record<string, Record<string, { count: number; actions: string[] }>> = {},
): AccountAggregate {
  const account = emptyAccountAggregate();
  for (const [roleName, byName] of Object.entries(sessions)) {
    const p = principalActivity(account, roleArn(roleName));
    for (const [name, s] of Object.entries(byName)) {
      p.sessions[name] = {
        count: s.count,
        firstSeen: '2026-11-02T00:00:00Z',
        lastSeen: '2026-11-20T00:00:00Z',
        actions: s.actions,
      };
      p.usage.stats.attributed += s.count;
    }
  }
  return account;
}

export function permissions(name: string, extra: Partial<RolePermissions> = {}): RolePermissions {
  return {
    name,
    arn: roleArn(name),
    granted: 10,
    used: 4,
    unused: 6,
    unobservable: 0,
    unusedShare: 0.6,
    unusedActions: [],
    unusedByService: {},
    unobservableActions: [],
    unknownPolicies: [],
    idle: false,
    ...extra,
  };
}

export function report(extra: Partial<UnusedReport> = {}): UnusedReport {
  return {
    schemaVersion: 1,
    accounts: [A],
    window: { ...WINDOW, days: 30 },
    summary: {
      roles: 0,
      unusedRoles: 0,
      functions: 0,
      unusedFunctions: 0,
      rolesNotJudged: 0,
      functionsNotJudged: 0,
      sharedRoles: 0,
      grantedActions: 0,
      unusedActions: 0,
      unobservableActions: 0,
    },
    coverage: {
      first: '2026-11-01T00:10:00Z',
      last: '2026-11-30T23:50:00Z',
      filesRead: 1,
      filesSkipped: 0,
      eventsRead: 1,
      attributedEvents: 1,
      regions: ['us-east-1'],
      dataEvents: {},
      notShown: [],
      partial: false,
    },
    unusedRoles: [],
    rolesNotJudged: [],
    unusedFunctions: [],
    functionsNotJudged: [],
    unusedPermissions: [],
    sharedRoles: [],
    activity: [],
    findings: [],
    ...extra,
  };
}

let catalog: Catalog | undefined;
export async function testCatalog(): Promise<Catalog> {
  if (!catalog) {
    catalog = await loadCatalog();
    for (const s of ['s3', 'iam', 'dynamodb', 'logs']) await catalog.ensureService(s);
  }
  return catalog;
}

export async function input(
  s: AccountState,
  extra: Partial<Omit<AuditInput, 'state' | 'catalog'>> = {},
): Promise<AuditInput> {
  return { state: s, catalog: await testCatalog(), now: NOW, ...extra };
}

/** With a trail: usage, report and window. */
export async function trailInput(
  s: AccountState,
  u: AccountAggregate,
  r: UnusedReport,
  window = WINDOW,
): Promise<AuditInput> {
  return input(s, { usage: u, report: r, window });
}
