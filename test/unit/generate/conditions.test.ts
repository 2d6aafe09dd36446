import { callsOf, generatePolicies, verifyPolicies, type Granularity } from '../../../src/generate';
import type { PermissionOrigin, PolicyStatement, UsageAggregate } from '../../../src/model';
import { addImpliedPermission, addPermission, emptyAggregate } from '../../../src/usage';
import { simulate } from '../../property/simulate';
import { ACCOUNT, event, testCatalog } from './helpers';

const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const KEY2 = `arn:aws:kms:us-east-1:${ACCOUNT}:key/99999999-12ab-34cd-56ef-1234567890ab`;
const BUCKET = 'arn:aws:s3:::acme-reports';
const VIA_SM = 'secretsmanager.us-east-1.amazonaws.com';
const VIA_SSM = 'ssm.us-east-1.amazonaws.com';

type Call = [action: string, resource: string, context?: Record<string, string>, origin?: PermissionOrigin];

function usageOf(calls: Call[]): UsageAggregate {
  const agg = emptyAggregate();
  for (const [action, resource, context, origin] of calls)
    addPermission(
      agg,
      {
        action,
        resource,
        origin: origin ?? (context ? 'on-behalf' : 'observed'),
        ...(context ? { context } : {}),
      },
      event(),
    );
  return agg;
}

async function generate(usage: UsageAggregate, granularity: Granularity = 'prefix') {
  const catalog = await testCatalog();
  const r = generatePolicies(usage, { catalog, granularity });
  // Self-verification with the calls' contexts passes on every case.
  expect(verifyPolicies(r.policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual([]);
  return r;
}

const statementsOf = (r: { policies: { Statement: PolicyStatement[] }[] }) =>
  r.policies
    .flatMap((p) => p.Statement)
    .map((s) => ({ Action: s.Action, Resource: s.Resource, Condition: s.Condition }));

describe('conditions where the evidence is uniform', () => {
  it('KMS calls made only through services get kms:ViaService for exactly those services and regions', async () => {
    const usage = usageOf([
      ['kms:Decrypt', KEY, { 'kms:ViaService': VIA_SM }],
      ['kms:Decrypt', KEY, { 'kms:ViaService': VIA_SSM }],
      ['kms:Decrypt', KEY, { 'kms:ViaService': VIA_SM }],
    ]);
    const r = await generate(usage);
    expect(statementsOf(r)).toEqual([
      {
        Action: ['kms:Decrypt'],
        Resource: [KEY],
        Condition: { StringEquals: { 'kms:ViaService': [VIA_SM, VIA_SSM] } },
      },
    ]);
    expect(r.findings.filter((f) => f.code === 'PT-CONDITION-MIXED')).toEqual([]);
    // Judged by iam-simulate: through those services only; not directly, not elsewhere.
    const ok = (ctx: Record<string, string>) => simulate(r.policies, 'kms:Decrypt', KEY, undefined, ctx);
    expect(await ok({ 'kms:ViaService': VIA_SM })).toBe('Allowed');
    expect(await ok({ 'kms:ViaService': VIA_SSM })).toBe('Allowed');
    expect(await ok({})).not.toBe('Allowed');
    expect(await ok({ 'kms:ViaService': 's3.us-east-1.amazonaws.com' })).not.toBe('Allowed');
    expect(await ok({ 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' })).not.toBe('Allowed');
  });

  it('mixed evidence (one direct call) gets no condition and an info finding', async () => {
    const usage = usageOf([
      ['kms:Decrypt', KEY, { 'kms:ViaService': VIA_SM }],
      ['kms:Decrypt', KEY],
    ]);
    const r = await generate(usage);
    expect(statementsOf(r)).toEqual([{ Action: ['kms:Decrypt'], Resource: [KEY], Condition: undefined }]);
    const f = r.findings.find((x) => x.code === 'PT-CONDITION-MIXED');
    expect(f).toMatchObject({
      id: 'PT-CONDITION-MIXED[kms:ViaService kms:Decrypt]',
      severity: 'info',
      count: 1,
    });
    expect(await simulate(r.policies, 'kms:Decrypt', KEY)).toBe('Allowed');
  });

  it('a need the configuration implies (outside any call) keeps the permission unconditioned', async () => {
    const usage = usageOf([['kms:Decrypt', KEY, { 'kms:ViaService': VIA_SM }]]);
    addImpliedPermission(
      usage,
      { action: 'kms:Decrypt', resource: KEY, origin: 'implied-by-config', note: 'KMSKeyArn' },
      'us-east-1',
    );
    const r = await generate(usage);
    expect(statementsOf(r)[0].Condition).toBeUndefined();
    expect(r.findings.map((f) => f.id)).toContain('PT-CONDITION-MIXED[kms:ViaService kms:Decrypt]');
    // Lambda decrypting the environment carries no kms:ViaService of Secrets Manager.
    expect(await simulate(r.policies, 'kms:Decrypt', KEY)).toBe('Allowed');
  });

  it('too many distinct values: no condition', async () => {
    const calls: Call[] = Array.from({ length: 70 }, (_, i) => [
      's3:ListBucket',
      BUCKET,
      { 's3:prefix': `p${String(i).padStart(2, '0')}/` },
      'observed',
    ]);
    const r = await generate(usageOf(calls), 'exact');
    expect(statementsOf(r)[0].Condition).toBeUndefined();
    expect(r.findings.map((f) => f.id)).toEqual(['PT-CONDITION-MIXED[s3:prefix s3:ListBucket]']);
  });

  it('statements merge only with equal conditions', async () => {
    const usage = usageOf([
      ['kms:Decrypt', KEY, { 'kms:ViaService': VIA_SM }],
      ['kms:Decrypt', KEY2, { 'kms:ViaService': VIA_SM }],
      ['kms:GenerateDataKey', KEY, { 'kms:ViaService': VIA_SSM }],
      ['kms:Encrypt', KEY],
    ]);
    const r = await generate(usage);
    expect(statementsOf(r)).toEqual([
      {
        Action: ['kms:Decrypt'],
        Resource: [KEY, KEY2],
        Condition: { StringEquals: { 'kms:ViaService': [VIA_SM] } },
      },
      { Action: ['kms:Encrypt'], Resource: [KEY], Condition: undefined },
      {
        Action: ['kms:GenerateDataKey'],
        Resource: [KEY],
        Condition: { StringEquals: { 'kms:ViaService': [VIA_SSM] } },
      },
    ]);
    // Not widened by the merge: Decrypt through SSM, GenerateDataKey through Secrets Manager stay denied.
    expect(await simulate(r.policies, 'kms:Decrypt', KEY, undefined, { 'kms:ViaService': VIA_SSM })).not.toBe(
      'Allowed',
    );
    expect(
      await simulate(r.policies, 'kms:GenerateDataKey', KEY, undefined, { 'kms:ViaService': VIA_SM }),
    ).not.toBe('Allowed');
    // Sids differ from the unconditioned statement of the same content.
    const sids = r.policies[0].Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });
});

describe('s3:prefix for listings made only under prefixes', () => {
  const listings = (...prefixes: (string | undefined)[]): UsageAggregate =>
    usageOf(
      prefixes.map((p): Call => [
        's3:ListBucket',
        BUCKET,
        p === undefined ? undefined : { 's3:prefix': p },
        'observed',
      ]),
    );

  it.each<[Granularity, string[] | undefined]>([
    ['exact', ['reports/2026-11-02/', 'reports/2026-11-03/']],
    ['prefix', ['reports/*']],
    ['type', undefined],
  ])('at %s granularity', async (granularity, want) => {
    const r = await generate(listings('reports/2026-11-02/', 'reports/2026-11-03/'), granularity);
    expect(statementsOf(r)[0].Condition).toEqual(want ? { StringLike: { 's3:prefix': want } } : undefined);
    const list = (prefix?: string) =>
      simulate(
        r.policies,
        's3:ListBucket',
        BUCKET,
        undefined,
        prefix === undefined ? {} : { 's3:prefix': prefix },
      );
    expect(await list('reports/2026-11-02/')).toBe('Allowed');
    if (want) {
      expect(await list('private/')).not.toBe('Allowed');
      expect(await list()).not.toBe('Allowed');
    }
    if (granularity === 'prefix') expect(await list('reports/2026-11-04/')).toBe('Allowed');
  });

  it('a listing without a prefix mixes the evidence: no condition', async () => {
    const r = await generate(listings('reports/', undefined));
    expect(statementsOf(r)[0].Condition).toBeUndefined();
    expect(r.findings.map((f) => f.id)).toEqual(['PT-CONDITION-MIXED[s3:prefix s3:ListBucket]']);
  });

  it("IAM's special characters in a prefix are escaped, and the real prefix still matches", async () => {
    const r = await generate(listings('odd*dir/'), 'exact');
    expect(statementsOf(r)[0].Condition).toEqual({ StringLike: { 's3:prefix': ['odd${*}dir/'] } });
    const list = (prefix: string) =>
      simulate(r.policies, 's3:ListBucket', BUCKET, undefined, { 's3:prefix': prefix });
    expect(await list('odd*dir/')).toBe('Allowed');
    expect(await list('oddXdir/')).not.toBe('Allowed');
  });

  it('a prefix that generalises to every prefix is no condition', async () => {
    const r = await generate(listings('2026-11-02/'));
    expect(statementsOf(r)[0].Condition).toBeUndefined();
  });
});
