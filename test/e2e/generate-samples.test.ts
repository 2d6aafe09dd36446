import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { generateSample, ROOT, runCli, SAMPLE_ACCOUNT, SAMPLE_TRAIL, SAMPLE_WINDOW } from '../helpers/cli';

/** The sample functions and the golden policy of each (test/golden/samples/<name>.json). */
const FUNCTIONS = ['orders-api', 'image-resizer', 'report-daily', 'report-weekly'];
const GOLDEN = path.join(ROOT, 'test', 'golden', 'samples');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const generate = generateSample;

describe('policy-tighten generate on samples/ (spawned CLI)', () => {
  it.each(FUNCTIONS)('%s: prints the golden policy and exits 0', (fn) => {
    // When the README's quick-start command runs for this function
    const r = generate(fn);
    // Then it succeeds, prints the summary on stderr and the policy on stdout
    expect(r.stderr).toContain(`policy-tighten generate: function ${fn}`);
    expect(r.status).toBe(0);
    const file = path.join(GOLDEN, `${fn}.json`);
    if (UPDATE) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, r.stdout);
    }
    // A missing golden file fails (UPDATE_GOLDEN=1 writes it): a test must be able to fail.
    expect(existsSync(file)).toBe(true);
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
  });

  it('gives byte-identical output on every run', () => {
    const a = generate('orders-api');
    const b = generate('orders-api');
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe(b.stderr);
  });

  it('says when the role is shared and keeps only the function’s own calls', () => {
    const daily = generate('report-daily');
    expect(daily.stderr).toMatch(/PT-SHARED-ROLE\[arn:aws:iam::111122223333:role\/reports-role\]/);
    expect(daily.stderr).toMatch(/report-daily, report-weekly/);
    expect(daily.stdout).not.toEqual(generate('report-weekly').stdout);
  });

  it('reports the denied call and adds it only with --include-denied', () => {
    const plain = generate('orders-api');
    expect(plain.stderr).toContain('PT-DENIED-CALL[dynamodb:DeleteItem]');
    // Only the role's own Deny guardrail names it, never an Allow
    const allowed = (out: string) =>
      (JSON.parse(out) as { Statement: { Effect: string; Action?: string[] }[] }).Statement.filter(
        (s) => s.Effect === 'Allow',
      ).flatMap((s) => s.Action ?? []);
    expect(allowed(plain.stdout)).not.toContain('dynamodb:DeleteItem');
    const withDenied = generate('orders-api', ['--include-denied']);
    expect(allowed(withDenied.stdout)).toContain('dynamodb:DeleteItem');
  });

  it('says the role is shared from the trail alone, without a snapshot', () => {
    const r = runCli([
      'generate',
      '--function',
      'report-weekly',
      '--trail',
      SAMPLE_TRAIL,
      '--offline',
      ...SAMPLE_WINDOW,
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('PT-SHARED-ROLE[arn:aws:iam::111122223333:role/reports-role]');
    expect(r.stderr).toContain('role session names in the trail (report-daily, report-weekly)');
  });

  it('writes the provenance of every permission with --provenance-out', () => {
    const out = path.join(ROOT, 'dist-test', 'orders-api.provenance.json');
    const r = generate('orders-api', ['--provenance-out', out]);
    expect(r.status).toBe(0);
    const prov = JSON.parse(readFileSync(out, 'utf8'));
    const getItem = prov.permissions.find(
      (p: { action: string; resource: string }) =>
        p.action === 'dynamodb:GetItem' &&
        p.resource === 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
    );
    expect(getItem).toMatchObject({ origins: ['observed'], regions: ['us-east-1'] });
    expect(getItem.count).toBeGreaterThan(10);
    expect(getItem.sampleEventIds).toHaveLength(3);
    expect(prov.denied.map((d: { action: string }) => d.action)).toEqual(['dynamodb:DeleteItem']);
  });

  it('works without a snapshot: the function is found by its role session name, and says what is missing', () => {
    // Given no account snapshot, the trail alone
    const r = runCli([
      'generate',
      '--function',
      'image-resizer',
      '--trail',
      SAMPLE_TRAIL,
      '--offline',
      ...SAMPLE_WINDOW,
    ]);
    // Then the observed calls are all there, and the implied needs are reported missing
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('PT-IMPLIED-UNRESOLVED[no-account-snapshot]');
    const file = path.join(GOLDEN, 'image-resizer.no-snapshot.json');
    if (UPDATE || !existsSync(file)) writeFileSync(file, r.stdout);
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
    const withSnapshot = JSON.parse(readFileSync(path.join(GOLDEN, 'image-resizer.json'), 'utf8'));
    const actions = (doc: { Statement: { Action: string[] }[] }) => doc.Statement.flatMap((st) => st.Action);
    expect(actions(withSnapshot)).toEqual(expect.arrayContaining(actions(JSON.parse(r.stdout))));
    expect(actions(JSON.parse(r.stdout))).not.toContain('logs:PutLogEvents');
  });

  it('takes options from POLICY_TIGHTEN_* environment variables', () => {
    const r = runCli(['generate', '--trail', SAMPLE_TRAIL, ...SAMPLE_WINDOW], {
      env: {
        POLICY_TIGHTEN_FUNCTION: 'image-resizer',
        POLICY_TIGHTEN_ACCOUNT_SNAPSHOT: SAMPLE_ACCOUNT,
        POLICY_TIGHTEN_OFFLINE: 'true',
        POLICY_TIGHTEN_DEBUG: '1',
      },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(GOLDEN, 'image-resizer.json'), 'utf8'));
  });

  it('takes --role and --principal', () => {
    const byRole = runCli([
      'generate',
      '--role',
      'reports-role',
      '--trail',
      SAMPLE_TRAIL,
      '--offline',
      ...SAMPLE_WINDOW,
    ]);
    expect(byRole.status).toBe(0);
    const policy = JSON.parse(byRole.stdout);
    const actions = policy.Statement.flatMap((s: { Action: string[] }) => s.Action);
    // The role's policy covers both functions that share it
    expect(actions).toEqual(expect.arrayContaining(['sns:Publish', 'ssm:GetParameter']));
    const byPrincipal = runCli([
      'generate',
      '--principal',
      'arn:aws:iam::111122223333:role/reports-role',
      '--trail',
      SAMPLE_TRAIL,
      '--offline',
      ...SAMPLE_WINDOW,
    ]);
    expect(byPrincipal.stdout).toBe(byRole.stdout);
  });

  it('writes --out atomically and nothing on stdout', () => {
    const out = path.join(ROOT, 'dist-test', 'orders-api.json');
    const r = generate('orders-api', ['--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(GOLDEN, 'orders-api.json'), 'utf8'));
  });
});

describe('usage and input errors are one clear line', () => {
  it.each([
    [['generate', '--trail', SAMPLE_TRAIL], 2, /give exactly one of --function, --role or --principal/],
    [['generate', '--function', 'orders-api'], 2, /LookupEvents reads one region: pass --region REGION/],
    [['generate', '--function', 'x', '--role', 'y', '--trail', SAMPLE_TRAIL], 2, /mutually exclusive/],
    [
      ['generate', '--function', 'orders-api', '--trail', SAMPLE_TRAIL, '--since', 'yesterday'],
      2,
      /yesterday/,
    ],
    [
      ['generate', '--function', 'orders-api', '--trail', '/nonexistent/trail'],
      1,
      /trail path not found: \/nonexistent\/trail/,
    ],
    [
      [
        'generate',
        '--function',
        'orders-api',
        '--trail',
        SAMPLE_TRAIL,
        '--account-snapshot',
        '/nonexistent/snap',
      ],
      1,
      /account snapshot not found/,
    ],
    [
      ['generate', '--function', 'no-such-fn', '--trail', SAMPLE_TRAIL, '--account-snapshot', SAMPLE_ACCOUNT],
      1,
      /function no-such-fn not found/,
    ],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
  ])('%j → exit %d', (args, status, message) => {
    const r = runCli(args as string[]);
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('generate options beyond the defaults', () => {
  const dir = path.join(ROOT, 'dist-test');

  it('--granularity exact keeps observed ARNs and splits into {"policies":[…]} when quotas force it', () => {
    const r = generate('image-resizer', ['--granularity', 'exact']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.policies.length).toBeGreaterThan(1);
    for (const doc of out.policies) {
      expect(JSON.stringify(doc).replace(/\s/g, '').length).toBeLessThanOrEqual(6144);
    }
    expect(r.stderr).toContain('PT-COMPACTED[');
  });

  it('--inline sizes the result as one inline policy, compacting only as a reported last resort', () => {
    const r = generate('image-resizer', ['--granularity', 'exact', '--inline']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.Version).toBe('2012-10-17');
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(10240);
    // Cut where no later date outgrows it (docs/generation.md), not at incoming/2026-11-0*
    expect(r.stderr).toMatch(/PT-COMPACTED\[arn:aws:s3:::acme-uploads-111122223333\/incoming\/\*\]/);
    expect(r.stderr).toContain('6 statement(s) in 1 document(s)');
  });

  it('an unused function: no events, only what its configuration implies, said plainly', () => {
    const r = generate('legacy-cron');
    // No data is not evidence: removals are not presented as safe (exit 6)
    expect(r.status).toBe(6);
    expect(r.stderr).toMatch(/PT-THIN-EVIDENCE\[no-calls\]/);
    expect(r.stderr).toMatch(/evidence: INSUFFICIENT/);
    expect(r.stderr).toMatch(
      /PT-NO-EVENTS\[target\]: no events of function legacy-cron .*only what its configuration implies; it may be unused/,
    );
    const actions = JSON.parse(r.stdout).Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('--config suppresses a finding with its reason and the exit code follows', () => {
    mkdirSync(dir, { recursive: true });
    const config = path.join(dir, 'suppress.json');
    writeFileSync(
      config,
      JSON.stringify({
        suppressions: [
          { id: 'PT-DENIED-CALL[dynamodb:DeleteItem]', reason: 'deletes go through the admin API' },
        ],
      }),
    );
    const r = generate('orders-api', ['--config', config]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /suppr\.\s+PT-DENIED-CALL\[dynamodb:DeleteItem\].*\[suppressed: deletes go through the admin API\]/,
    );
    expect(r.stderr).toContain('1 suppressed');
  });

  it('a suppression without a reason is a clear one-line error', () => {
    mkdirSync(dir, { recursive: true });
    const config = path.join(dir, 'bad-suppress.json');
    writeFileSync(config, JSON.stringify({ suppressions: [{ id: 'PT-DENIED-CALL[dynamodb:DeleteItem]' }] }));
    const r = generate('orders-api', ['--config', config]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('reason');
  });
});
