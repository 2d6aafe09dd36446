import { callsOf, generatePolicies, policySize, verifyPolicies } from '../../../src/generate';
import { ACCOUNT, s3obj, table, testCatalog, usageOf } from './helpers';

const statementsOf = (r: ReturnType<typeof generatePolicies>) => r.policies.flatMap((p) => p.Statement);

describe('generatePolicies: statements', () => {
  it('groups actions with identical resource sets, reads before writes, * statements too', async () => {
    // Given reads and writes on one table and two actions without resource type
    const catalog = await testCatalog();
    const usage = usageOf([
      ['dynamodb:PutItem', table('orders')],
      ['dynamodb:GetItem', table('orders')],
      ['dynamodb:Query', table('orders')],
      ['cloudwatch:PutMetricData', '*'],
      ['xray:PutTraceSegments', '*'],
    ]);
    // When the policy is generated
    const r = generatePolicies(usage, { catalog });
    // Then: one document, statements by service, content-derived Sids, info findings for `*`
    expect(r.policies).toHaveLength(1);
    expect(statementsOf(r).map((s) => [s.Sid?.replace(/[0-9A-F]{8}$/, '#'), s.Action, s.Resource])).toEqual([
      ['CloudwatchXrayWrite#', ['cloudwatch:PutMetricData', 'xray:PutTraceSegments'], ['*']],
      ['DynamodbReadWrite#', ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], [table('orders')]],
    ]);
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([
      ['PT-WILDCARD-RESOURCE[cloudwatch:PutMetricData]', 'info'],
      ['PT-WILDCARD-RESOURCE[xray:PutTraceSegments]', 'info'],
    ]);
    expect(verifyPolicies(r.policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual([]);
  });

  it('orders reads before writes within a service', async () => {
    const catalog = await testCatalog();
    const r = generatePolicies(
      usageOf([
        ['s3:PutObject', s3obj('b', 'out/x.json')],
        ['s3:GetObject', s3obj('b', 'in/x.json')],
      ]),
      { catalog },
    );
    expect(statementsOf(r).map((s) => s.Action)).toEqual([['s3:GetObject'], ['s3:PutObject']]);
  });

  it('gives the same Sids and bytes on every run, whatever the input order', async () => {
    const catalog = await testCatalog();
    const calls: [string, string][] = [
      ['s3:GetObject', s3obj('b', 'in/2026-11-02/a.jpg')],
      ['s3:PutObject', s3obj('b', 'out/2026-11-02/a.jpg')],
      ['sqs:SendMessage', `arn:aws:sqs:us-east-1:${ACCOUNT}:q`],
    ];
    const a = generatePolicies(usageOf(calls), { catalog });
    const b = generatePolicies(usageOf([...calls].reverse()), { catalog });
    expect(JSON.stringify(a.policies)).toBe(JSON.stringify(b.policies));
    expect(Object.keys(a.origins)).toEqual(statementsOf(a).map((s) => s.Sid));
  });

  it('keeps provenance: origins per Sid list the observed calls', async () => {
    const catalog = await testCatalog();
    const r = generatePolicies(
      usageOf([
        ['s3:GetObject', s3obj('b', 'in/2026-11-02/a.jpg')],
        ['s3:GetObject', s3obj('b', 'in/2026-11-03/b.jpg')],
      ]),
      { catalog },
    );
    const [s] = statementsOf(r);
    expect(s.Resource).toEqual([s3obj('b', 'in/*')]);
    expect(r.origins[s.Sid as string].map((o) => o.resource)).toEqual([
      s3obj('b', 'in/2026-11-02/a.jpg'),
      s3obj('b', 'in/2026-11-03/b.jpg'),
    ]);
  });

  it('lets an unresolved * absorb the action’s other resources and reports it as a warning', async () => {
    const catalog = await testCatalog();
    const usage = usageOf([['s3:GetObject', s3obj('b', 'k')]]);
    usage.entries['s3:GetObject *'] = {
      ...usage.entries[`s3:GetObject ${s3obj('b', 'k')}`],
      resource: '*',
      wildcardReason: 'no resource ARN in the event',
    };
    const r = generatePolicies(usage, { catalog });
    expect(statementsOf(r)[0].Resource).toEqual(['*']);
    expect(r.findings[0]).toMatchObject({ id: 'PT-WILDCARD-RESOURCE[s3:GetObject]', severity: 'warning' });
    expect(verifyPolicies(r.policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual([]);
  });
});

describe('generatePolicies: edge cases', () => {
  it('gives one empty document for no usage', async () => {
    const catalog = await testCatalog();
    expect(generatePolicies(usageOf([]), { catalog }).policies).toEqual([
      { Version: '2012-10-17', Statement: [] },
    ]);
  });

  it('keeps an ARN the catalog cannot type exact, and verify reports it', async () => {
    const catalog = await testCatalog();
    const usage = usageOf([['dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111122223333:weird/x']]);
    const r = generatePolicies(usage, { catalog, granularity: 'type' });
    expect(statementsOf(r)[0].Resource).toEqual(['arn:aws:dynamodb:us-east-1:111122223333:weird/x']);
    expect(verifyPolicies(r.policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual([
      'resource fits no resource type of dynamodb:GetItem: arn:aws:dynamodb:us-east-1:111122223333:weird/x',
    ]);
  });
});

describe('generatePolicies: denied calls', () => {
  const usage = () =>
    usageOf(
      [['dynamodb:GetItem', table('t')]],
      [
        ['dynamodb:DeleteItem', table('t')],
        ['dynamodb:GetItem', table('t')],
      ],
    );

  it('excludes them by default and lists them', async () => {
    const catalog = await testCatalog();
    const r = generatePolicies(usage(), { catalog });
    expect(statementsOf(r).flatMap((s) => s.Action)).toEqual(['dynamodb:GetItem']);
    expect(r.findings.map((f) => f.id)).toEqual([
      'PT-DENIED-CALL[dynamodb:DeleteItem]',
      'PT-DENIED-CALL[dynamodb:GetItem]',
    ]);
  });

  it('with includeDenied adds the ones not already allowed, in a separate statement marked Denied, last', async () => {
    const catalog = await testCatalog();
    const r = generatePolicies(usage(), { catalog, includeDenied: true });
    const st = statementsOf(r);
    expect(st.map((s) => s.Action)).toEqual([['dynamodb:GetItem'], ['dynamodb:DeleteItem']]);
    expect(st[1].Sid).toMatch(/^DynamodbWriteDenied[0-9A-F]{8}$/);
    expect(st[0].Sid).not.toMatch(/Denied/);
    expect(r.origins[st[1].Sid as string][0]).toMatchObject({ denied: true, action: 'dynamodb:DeleteItem' });
  });
});

describe('generatePolicies: quotas (a function that touched hundreds of tables and buckets)', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => String(i).padStart(4, '0'));

  it('splits into several managed policies, never widening, when one document is too big', async () => {
    // Given 300 tables and 300 buckets (about 27,000 characters of ARNs)
    const catalog = await testCatalog();
    const usage = usageOf([
      ...range(300).map((i): [string, string] => ['dynamodb:GetItem', table(`orders_${i}`)]),
      ...range(300).map((i): [string, string] => ['s3:ListBucket', `arn:aws:s3:::acme-data-${i}`]),
    ]);
    // When generated
    const r = generatePolicies(usage, { catalog, granularity: 'exact' });
    // Then several documents, each within 6,144 characters, all ARNs exact, no compaction
    expect(r.policies.length).toBeGreaterThan(1);
    expect(r.policies.length).toBeLessThanOrEqual(10);
    for (const p of r.policies) expect(policySize(p)).toBeLessThanOrEqual(6144);
    expect(r.sizes).toEqual(r.policies.map(policySize));
    const resources = statementsOf(r).flatMap((s) => s.Resource as string[]);
    expect(resources.some((x) => x.includes('*'))).toBe(false);
    expect(resources).toHaveLength(600);
    expect(r.findings.filter((f) => f.code === 'PT-COMPACTED' || f.code === 'PT-QUOTA-EXCEEDED')).toEqual([]);
    expect(verifyPolicies(r.policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual([]);
  });

  it('compacts by a shared name prefix only when 10 documents cannot hold it, and reports it', async () => {
    // Given 1,800 etl_stage tables in two regions and 200 buckets: about 115,000 characters
    const catalog = await testCatalog();
    const usage = usageOf([
      ...range(900).map((_, i): [string, string] => ['dynamodb:PutItem', table(`etl_stage_${i}`)]),
      ...range(900).map((_, i): [string, string] => [
        'dynamodb:PutItem',
        table(`etl_stage_${i}`, 'eu-west-1'),
      ]),
      ...range(200).map((i): [string, string] => ['s3:ListBucket', `arn:aws:s3:::acme-data-${i}`]),
    ]);
    const r = generatePolicies(usage, { catalog, granularity: 'exact' });
    // Then it fits, the tables are compacted per region, the buckets stay exact
    expect(r.policies.length).toBeLessThanOrEqual(10);
    for (const p of r.policies) expect(policySize(p)).toBeLessThanOrEqual(6144);
    const compacted = r.findings.filter((f) => f.code === 'PT-COMPACTED');
    expect(compacted.map((f) => f.id)).toEqual([
      `PT-COMPACTED[${table('etl_stage_*', 'eu-west-1')}]`,
      `PT-COMPACTED[${table('etl_stage_*')}]`,
    ]);
    expect(compacted[0]).toMatchObject({ severity: 'warning', count: 900 });
    const resources = statementsOf(r).flatMap((s) => s.Resource as string[]);
    expect(resources.filter((x) => x.startsWith('arn:aws:s3:::'))).toHaveLength(200);
    expect(resources.filter((x) => x.includes('*'))).toEqual([
      table('etl_stage_*', 'eu-west-1'),
      table('etl_stage_*'),
    ]);
    expect(r.findings.some((f) => f.code === 'PT-QUOTA-EXCEEDED')).toBe(false);
    expect(verifyPolicies(r.policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual([]);
  });

  it('reports PT-QUOTA-EXCEEDED and stays uncompacted when nothing can make it fit', async () => {
    // Given 2,500 buckets: bucket ARNs are never compacted (that would cross buckets)
    const catalog = await testCatalog();
    const usage = usageOf(
      range(2500).map((i): [string, string] => ['s3:ListBucket', `arn:aws:s3:::acme-data-${i}`]),
    );
    const r = generatePolicies(usage, { catalog });
    expect(r.policies.length).toBeGreaterThan(10);
    for (const p of r.policies) expect(policySize(p)).toBeLessThanOrEqual(6144);
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['PT-QUOTA-EXCEEDED[managed]', 'error']]);
    expect(
      statementsOf(r)
        .flatMap((s) => s.Resource as string[])
        .some((x) => x.includes('*')),
    ).toBe(false);
  });

  it('honours quota overrides and the inline target', async () => {
    const catalog = await testCatalog();
    const usage = usageOf(
      range(300).map((_, i): [string, string] => ['dynamodb:GetItem', table(`orders_${i}`)]),
    );
    const two = generatePolicies(usage, { catalog, quotas: { managedPoliciesPerRole: 2 } });
    expect(two.policies.length).toBeLessThanOrEqual(2);
    expect(two.findings.map((f) => f.id)).toEqual([`PT-COMPACTED[${table('orders_*')}]`]);
    const inline = generatePolicies(usage, { catalog, target: 'inline' });
    expect(inline.policies).toHaveLength(1);
    expect(policySize(inline.policies[0])).toBeLessThanOrEqual(10240);
  });
});
