import { loadCatalog, type Catalog } from '../../../src/catalog/catalog';
import { loadImpliedServices } from '../../../src/implied';
import { runGenerate } from '../../../src/pipeline/run-generate';
import type { AccountState, FunctionInfo, RoleInfo } from '../../../src/model';
import { runReport } from '../../../src/pipeline/run-report';
import { buildUnusedReport } from '../../../src/report';
import { addCoverage, addSessionCall, emptyAccountAggregate, principalActivity } from '../../../src/usage';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../../helpers/cli';

const A = '111122223333';
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
const lambdaTrust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

function role(name: string, extra: Partial<RoleInfo> = {}): RoleInfo {
  return {
    roleName: name,
    arn: `arn:aws:iam::${A}:role/${name}`,
    path: '/',
    createDate: '2025-01-01T00:00:00Z',
    trustPolicy: lambdaTrust,
    inlinePolicies: [
      {
        name: 'p',
        document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }],
        },
      },
    ],
    attachedPolicyArns: [],
    ...extra,
  };
}

function fn(
  name: string,
  roleName: string,
  extra: Record<string, unknown> = {},
  region = 'us-east-1',
): FunctionInfo {
  return {
    name,
    arn: `arn:aws:lambda:${region}:${A}:function:${name}`,
    region,
    roleArn: `arn:aws:iam::${A}:role/${roleName}`,
    config: { FunctionName: name, LastModified: '2025-06-01T00:00:00.000+0000', ...extra },
  };
}

function state(
  roles: RoleInfo[],
  functions: FunctionInfo[] = [],
  extra: Partial<AccountState> = {},
): AccountState {
  return { roles, users: [], policies: [], functions, eventSourceMappings: [], ...extra };
}

/** The catalog with what the builder's callers load first (implied services, the policies' services). */
async function reportCatalog(): Promise<Catalog> {
  const catalog = await loadCatalog();
  await loadImpliedServices(catalog);
  for (const s of ['sqs', 'logs']) await catalog.ensureService(s);
  return catalog;
}

describe('buildUnusedReport: verdicts and the evidence they rest on', () => {
  it('judges roles: unused, orphaned, too new, used per IAM but unseen, service-linked left out', async () => {
    const catalog = await reportCatalog();
    const account = emptyAccountAggregate();
    addCoverage(account.base, '2026-11-02T00:00:00Z');
    const active = principalActivity(account, `arn:aws:iam::${A}:role/active`);
    active.usage.stats.attributed = 3;
    const s = state(
      [
        role('active'),
        role('old', { lastUsedDate: '2025-03-01T00:00:00Z', lastUsedRegion: 'us-east-1' }),
        role('orphan'),
        role('young', { createDate: '2026-11-20T00:00:00Z' }),
        role('unseen', { lastUsedDate: '2026-11-10T00:00:00Z', lastUsedRegion: 'ap-south-1' }),
        role('AWSServiceRoleForX', { path: '/aws-service-role/x.amazonaws.com/' }),
      ],
      [fn('f-old', 'old', {}), fn('f-active', 'active')],
    );
    const r = buildUnusedReport({ state: s, account, catalog, window: WINDOW });
    expect(r.unusedRoles.map((u) => [u.name, u.kind, u.lastActivity])).toEqual([
      ['old', 'role', '2025-03-01T00:00:00Z'],
      ['orphan', 'orphaned-execution-role', null],
    ]);
    expect(r.unusedRoles[1].reason).toContain('IAM reports no use');
    expect(
      r.rolesNotJudged.map((n) => [n.name, /too new/.test(n.reason), /may not cover/.test(n.reason)]),
    ).toEqual([
      ['unseen', false, true],
      ['young', true, false],
    ]);
    expect(r.summary.roles).toBe(5);
    expect(JSON.stringify(r)).not.toContain('AWSServiceRoleForX');
  });

  it('judges functions by every available signal, and says which were unavailable', async () => {
    const catalog = await reportCatalog();
    const account = emptyAccountAggregate();
    addCoverage(account.base, '2026-11-02T00:00:00Z');
    const p = principalActivity(account, `arn:aws:iam::${A}:role/r`);
    addSessionCall(p, 'calls', '2026-11-03T00:00:00Z', ['sqs:SendMessage']);
    const fns = [
      fn('calls', 'r'),
      fn('metric-only', 'r'),
      fn('idle', 'r'),
      fn('changed', 'r', { LastModified: '2026-11-25T10:00:00.000+0000' }),
      fn('elsewhere', 'r', {}, 'eu-west-1'),
    ];
    const s = state([role('r')], fns, {
      metricRegions: ['us-east-1'],
      invocationMetrics: [
        {
          region: 'us-east-1',
          functionName: 'metric-only',
          points: [{ time: '2026-11-05T00:00:00.000Z', value: 4 }],
        },
        {
          region: 'us-east-1',
          functionName: 'idle',
          points: [{ time: '2026-10-05T00:00:00.000Z', value: 9 }],
        },
      ],
    });
    const r = buildUnusedReport({ state: s, account, catalog, window: WINDOW });
    expect(r.unusedFunctions.map((f) => [f.name, f.confidence])).toEqual([
      ['elsewhere', 'calls-only'],
      ['idle', 'invocations'],
    ]);
    const idle = r.unusedFunctions.find((f) => f.name === 'idle');
    // A datapoint before the window is no activity in it.
    expect(idle?.signals.checked).toEqual([
      'calls by r sessions named idle: 0',
      'Invocations metric: 0 in the window',
    ]);
    expect(idle?.signals.unavailable).toEqual(['Lambda Invoke data events: none in the trail (not logged)']);
    const elsewhere = r.unusedFunctions.find((f) => f.name === 'elsewhere');
    expect(elsewhere?.signals.unavailable).toContain(
      'Invocations metric: no export for eu-west-1 in the snapshot',
    );
    expect(r.functionsNotJudged.map((n) => n.name)).toEqual(['changed']);
  });

  it('counts Lambda Invoke data events as invocations when the trail logs them', async () => {
    const catalog = await reportCatalog();
    const account = emptyAccountAggregate();
    addCoverage(account.base, '2026-11-02T00:00:00Z');
    account.base.dataEventSources['lambda.amazonaws.com'] = 5;
    account.invocations['us-east-1:invoked'] = {
      count: 5,
      firstSeen: '2026-11-02T00:00:00Z',
      lastSeen: '2026-11-04T00:00:00Z',
    };
    const s = state([role('r')], [fn('invoked', 'r'), fn('never', 'r')]);
    const r = buildUnusedReport({ state: s, account, catalog, window: WINDOW });
    expect(r.unusedFunctions.map((f) => [f.name, f.confidence, f.signals.checked[1]])).toEqual([
      ['never', 'invocations', 'Lambda Invoke data events: 0'],
    ]);
    expect(r.coverage.notShown.some((n) => n.startsWith('Lambda'))).toBe(false);
  });

  it('unused permissions: wildcards expanded, used and implied actions out, unobservable apart', async () => {
    const catalog = await reportCatalog();
    const account = emptyAccountAggregate();
    addCoverage(account.base, '2026-11-02T00:00:00Z');
    const p = principalActivity(account, `arn:aws:iam::${A}:role/r`);
    p.usage.stats.attributed = 1;
    p.usage.entries['sqs:SendMessage x'] = {
      action: 'sqs:SendMessage',
      resource: 'x',
      count: 1,
      firstSeen: '2026-11-02T00:00:00Z',
      lastSeen: '2026-11-02T00:00:00Z',
      regions: ['us-east-1'],
      sampleEventIds: [],
      origins: ['observed'],
      notes: [],
    };
    const r0 = role('r', {
      inlinePolicies: [
        {
          name: 'p',
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['sqs:*', 's3:GetObject', 'logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: '*',
              },
              { Effect: 'Deny', Action: 'sqs:DeleteQueue', Resource: '*' },
            ],
          },
        },
      ],
    });
    const r = buildUnusedReport({ state: state([r0], [fn('f', 'r')]), account, catalog, window: WINDOW });
    const perms = r.unusedPermissions[0];
    expect(perms.unusedActions).not.toContain('sqs:SendMessage');
    expect(perms.unusedActions).not.toContain('sqs:DeleteQueue'); // denied everywhere: not granted
    // The function's logging is implied by its configuration: used, though CloudTrail never shows it.
    expect(perms.unusedActions).not.toContain('logs:PutLogEvents');
    // S3 object reads are data events this trail does not hold: counted apart. (SQS message
    // access is visible: the role's SendMessage calls are in the trail.)
    expect(perms.unobservableActions).toEqual(['s3:GetObject']);
    expect(perms.unusedActions).toContain('sqs:ReceiveMessage');
    expect(perms.unusedActions).toContain('sqs:CreateQueue');
    expect(perms.granted).toBe(perms.used + perms.unused + perms.unobservable);
    expect(perms.unusedShare).toBeCloseTo(perms.unused / (perms.granted - perms.unobservable), 4);
  });
});

describe('runReport on the samples', () => {
  it('names exactly the unused roles and functions, and what it does not judge', async () => {
    const { report, partial, noData } = await runReport({
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: WINDOW,
    });
    expect([partial, noData]).toEqual([false, false]);
    expect(report.unusedRoles.map((r) => [r.name, r.kind])).toEqual([
      ['etl-legacy-role', 'orphaned-execution-role'],
      ['legacy-cron-role', 'role'],
    ]);
    expect(report.unusedFunctions.map((f) => [f.name, f.region, f.confidence])).toEqual([
      ['legacy-cron', 'us-east-1', 'invocations'],
    ]);
    expect(report.rolesNotJudged.map((r) => r.name)).toEqual(['ingest-backfill-role', 'orders-webhook-role']);
    expect(report.functionsNotJudged.map((r) => r.name)).toEqual(['ingest-backfill', 'orders-webhook']);
    expect(report.sharedRoles.map((s) => [s.name, s.functions.map((f) => [f.name, f.calls > 0])])).toEqual([
      [
        'reports-role',
        [
          ['report-daily', true],
          ['report-weekly', true],
        ],
      ],
    ]);
    const weekly = report.sharedRoles[0].functions.find((f) => f.name === 'report-weekly');
    expect(weekly?.actions).toEqual(expect.arrayContaining(['s3:ListBucket', 'ssm:GetParameter']));
    expect(weekly?.actions).not.toContain('sns:Publish');
    expect(JSON.stringify(report)).not.toContain('AWSServiceRoleForSupport');
    // Activity over time: every day of the window, the trail's three days non-zero.
    expect(report.activity).toHaveLength(30);
    expect(report.activity.filter((d) => d.calls > 0).map((d) => d.day)).toEqual([
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
    ]);
  });
});

describe('the account pass equals the per-target pass', () => {
  it('each sample function session carries the calls generate attributes to it', async () => {
    const { account } = await runReport({
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: WINDOW,
    });
    const reports = account.principals[`arn:aws:iam::${A}:role/reports-role`];
    for (const name of ['report-daily', 'report-weekly']) {
      const g = await runGenerate({
        function: name,
        trails: [SAMPLE_TRAIL],
        accountSnapshot: SAMPLE_ACCOUNT,
        window: WINDOW,
      });
      expect([name, reports.sessions[name].count]).toEqual([name, g.usage.stats.attributed]);
    }
    // The role's aggregate holds the union of both functions' observed actions.
    const roleActions = new Set(Object.values(reports.usage.entries).map((e) => e.action));
    for (const s of Object.values(reports.sessions))
      for (const a of s.actions) expect(roleActions.has(a)).toBe(true);
  });
});
