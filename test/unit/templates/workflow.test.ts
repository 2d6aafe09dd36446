import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  calls,
  loadWorkflow,
  removeScratch,
  runStep,
  sandbox,
  script,
  untrustedExpressions,
  FAKE_AWS,
} from './workflow-harness';

/**
 * The pull-request review workflow users copy into .github/workflows/. Its shell steps are also
 * run here, with fake `aws` and `policy-tighten` commands, so the exit-code contract, the gate
 * and the input validation are checked by behaviour rather than by text.
 */

const { root, workflow, jobs, steps, find } = loadWorkflow('policy-review.yml');

const functionsStep = find('function list', (s) => s.id === 'list');
const validateStep = find('validate', (s) => script(s).includes('TRAIL_BUCKET" =~'));
const snapshotStep = find('snapshot', (s) => script(s).includes('get-account-authorization-details'));
const trailStep = find('trail download', (s) => script(s).includes('aws s3 sync'));
const generateStep = find('generate', (s) => script(s).includes('policy-tighten generate'));
const commentStep = find('comment', (s) => (s.uses ?? '').startsWith('actions/github-script@'));
const summaryStep = find('summary', (s) => script(s).includes('GITHUB_STEP_SUMMARY'));
const gateStep = find('gate', (s) => script(s).includes('case "$CODE"'));

afterAll(removeScratch);

describe('policy-review workflow: structure', () => {
  it('runs on pull requests touching the policy files, and by hand', () => {
    // Given the parsed workflow (YAML 1.2: `on` stays a string key)
    const triggers = workflow.on;
    // Then it runs on pull_request with a paths filter and on workflow_dispatch
    expect(Object.keys(triggers)).toEqual(expect.arrayContaining(['pull_request', 'workflow_dispatch']));
    const paths = (triggers.pull_request as { paths: string[] }).paths;
    expect(paths).toEqual(expect.arrayContaining(['policies/**']));
  });

  it('asks for exactly the permissions it needs', () => {
    expect(workflow.permissions).toEqual({
      'pull-requests': 'write',
      contents: 'read',
      'id-token': 'write',
    });
  });

  it('reviews a matrix of functions, validated before use, defaulting to the example orders-api', () => {
    const review = jobs.find((j) => j.strategy?.matrix);
    expect(review?.strategy?.matrix?.function).toMatch(/fromJSON\(/);
    expect(review?.env?.FN).toBe('${{ matrix.function }}');
    expect(functionsStep.env?.FUNCTIONS).toContain("'orders-api'");
    expect(script(functionsStep)).toContain('^[A-Za-z0-9_-]{1,64}$');
    expect(script(validateStep)).toContain('^[A-Za-z0-9_-]{1,64}$');
    // Fork pull requests get no OIDC token: the review job skips them
    expect(review?.if).toContain('head.repo.full_name == github.repository');
  });

  it('installs the pinned policy-tighten version, by default the current release', () => {
    const install = find('install', (s) => script(s).includes('npm install -g'));
    const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(install.env?.POLICY_TIGHTEN_VERSION).toBe(`\${{ vars.POLICY_TIGHTEN_VERSION || '${version}' }}`);
    expect(script(install)).toContain('"policy-tighten@$POLICY_TIGHTEN_VERSION"');
  });

  it('configures AWS credentials through OIDC with the role from a repository variable', () => {
    const aws = find('aws credentials', (s) =>
      (s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(aws.uses).toBe('aws-actions/configure-aws-credentials@v4');
    expect(aws.with?.['role-to-assume']).toBe('${{ vars.POLICY_TIGHTEN_ROLE_ARN }}');
    expect(aws.with?.['aws-region']).toBeDefined();
  });

  it('runs generate with the review flags, capturing the exit code without failing the step', () => {
    // Given the generate command lines, continuation lines joined
    const lines = script(generateStep)
      .replace(/\\\n\s*/g, ' ')
      .split('\n');
    const at = lines.findIndex(
      (l) => l.includes('policy-tighten generate') && l.includes('--format markdown'),
    );
    const tokens = lines[at].trim().split(/\s+/);
    const value = (flag: string) => tokens[tokens.indexOf(flag) + 1];
    // Then it has every flag of the review run
    for (const flag of [
      '--format',
      '--out',
      '--diff-out',
      '--fail-on-change',
      '--offline',
      '--account-snapshot',
      '--trail',
    ]) {
      expect(tokens).toContain(flag);
    }
    expect(value('--function')).toBe('"$FN"');
    expect(value('--format')).toBe('markdown');
    expect(value('--out')).toBe('"review-$FN.md"');
    expect(value('--diff-out')).toBe('"diff-$FN.json"');
    expect(value('--trail')).toBe('trail');
    expect(value('--account-snapshot')).toBe('snapshot');
    // And the code is captured right after it, with errexit off
    expect(lines.slice(0, at).map((l) => l.trim())).toContain('set +e');
    expect(lines[at + 1].trim()).toBe('code=$?');
    // And the policy itself is written where the PR diff shows it
    expect(lines.some((l) => l.includes('--format json --out "policies/$FN.json"'))).toBe(true);
  });

  it('finds its sticky comment by the hidden marker and updates or creates it', () => {
    const js = String(commentStep.with?.script);
    expect(commentStep.uses).toBe('actions/github-script@v7');
    expect(js).toContain('<!-- policy-tighten:review:');
    for (const call of [
      'github.paginate',
      'github.rest.issues.listComments',
      'updateComment',
      'createComment',
      'fs.readFileSync',
      "'github-actions[bot]'",
    ]) {
      expect(js).toContain(call);
    }
    expect(commentStep.if).toContain("github.event_name == 'pull_request'");
  });

  it('appends the review to the job summary', () => {
    expect(script(summaryStep)).toContain('cat "review-$FN.md" >> "$GITHUB_STEP_SUMMARY"');
  });

  it('adds the change to the committed policy to the job summary', () => {
    // Given a repository with a committed policy that the run regenerated differently
    const box = sandbox();
    const git = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: box.dir });
    git('init', '-q');
    mkdirSync(path.join(box.dir, 'policies'));
    writeFileSync(path.join(box.dir, 'policies/orders-api.json'), '{"Statement":["old"]}\n');
    git('add', 'policies');
    git('commit', '-qm', 'policy');
    writeFileSync(path.join(box.dir, 'policies/orders-api.json'), '{"Statement":["new"]}\n');
    writeFileSync(path.join(box.dir, 'review-orders-api.md'), '# review\n');
    // When the summary step runs
    const run = runStep(summaryStep, { FN: 'orders-api' }, box);
    // Then the summary has the review, then the diff
    expect(run.status).toBe(0);
    const summary = readFileSync(path.join(box.dir, '.step-summary'), 'utf8');
    expect(summary.startsWith('# review\n')).toBe(true);
    expect(summary).toContain('-{"Statement":["old"]}');
    expect(summary).toContain('+{"Statement":["new"]}');
  });

  it('pins every action to a major version', () => {
    const uses = steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses.length).toBeGreaterThanOrEqual(5);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@v\d+$/);
  });

  it('interpolates no input or event value into a script: they go through env', () => {
    const scripts = steps.flatMap((s) =>
      [s.run, s.with?.script].filter((x): x is string => typeof x === 'string'),
    );
    expect(scripts.length).toBeGreaterThan(5);
    for (const text of scripts) expect(untrustedExpressions(text)).toEqual([]);
    // Stricter, for this template: no expression at all inside a script
    for (const text of scripts) expect(text).not.toContain('${{');
  });

  it('the injection check catches the classic mistakes', () => {
    expect(untrustedExpressions('echo "${{ github.event.pull_request.title }}"')).toHaveLength(1);
    expect(untrustedExpressions('for f in ${{inputs.functions}}; do :; done')).toHaveLength(1);
    expect(untrustedExpressions('git checkout ${{ github.head_ref }}')).toHaveLength(1);
    expect(untrustedExpressions('echo "$FN" ${{ runner.temp }}')).toEqual([]);
  });

  it('sets no POLICY_TIGHTEN_* variable where policy-tighten runs (it reads them as options)', () => {
    const review = jobs.find((j) => j.steps.includes(generateStep));
    const names = Object.keys({ ...workflow.env, ...review?.env, ...generateStep.env });
    expect(names.filter((n) => n.startsWith('POLICY_TIGHTEN_'))).toEqual([]);
  });

  it('the README names the variables and the permissions of the workflow role', () => {
    const readme = readFileSync(path.join(root, 'templates/github/README.md'), 'utf8');
    for (const word of [
      'POLICY_TIGHTEN_ROLE_ARN',
      'TRAIL_BUCKET',
      'TRAIL_PREFIX',
      'AWS_REGION',
      'POLICY_TIGHTEN_GATE',
      'iam:GetAccountAuthorizationDetails',
      'lambda:ListFunctions',
      'lambda:ListEventSourceMappings',
      's3:ListBucket',
      's3:GetObject',
      'kms:Decrypt',
    ]) {
      expect(readme).toContain(word);
    }
  });
});

describe('policy-review workflow: function names', () => {
  it.each([
    ['orders-api', ['orders-api']],
    ['orders-api, billing_v2 orders-api', ['orders-api', 'billing_v2']],
    [`  A-1,B_2,,${'x'.repeat(64)}  `, ['A-1', 'B_2', 'x'.repeat(64)]],
    ['orders-api\nbilling\r\n\treports\n', ['orders-api', 'billing', 'reports']],
  ])('accepts %j', (input, expected) => {
    const run = runStep(functionsStep, { FUNCTIONS: input });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.outputs.list)).toEqual(expected);
  });

  it.each([
    'orders-api;id',
    '$(id)',
    '`id`',
    'a/b',
    'arn:aws:lambda:eu-west-1:123456789012:function:orders-api',
    'x'.repeat(65),
    'orders-api\n::set-output name=list::[]',
    '',
  ])('rejects %j without echoing it', (input) => {
    const run = runStep(functionsStep, { FUNCTIONS: input });
    expect(run.status).not.toBe(0);
    expect(run.outputs.list).toBeUndefined();
    if (input) expect(run.stdout).not.toContain(input.split('\n')[0]);
  });

  const valid = {
    FN: 'orders-api',
    AWS_REGION: 'eu-west-1',
    TRAIL_BUCKET: 'org-trail-bucket',
    TRAIL_PREFIX: 'AWSLogs',
    TRAIL_REGIONS: 'eu-west-1 us-east-1',
    TRAIL_DAYS: '90',
  };

  it('the review job re-checks every value', () => {
    expect(runStep(validateStep, valid).status).toBe(0);
    for (const bad of [
      { FN: 'a;b' },
      { AWS_REGION: '' },
      { TRAIL_BUCKET: 'Bad_Bucket' },
      { TRAIL_PREFIX: '../x' },
      { TRAIL_PREFIX: 'a b' },
      { TRAIL_REGIONS: 'eu-west-1 $(id)' },
      { TRAIL_DAYS: '9e9' },
      { TRAIL_DAYS: '08' },
      { TRAIL_DAYS: '0' },
    ]) {
      expect(runStep(validateStep, { ...valid, ...bad }).status).not.toBe(0);
    }
    const short = runStep(validateStep, { ...valid, TRAIL_DAYS: '14' });
    expect(short.status).toBe(0);
    expect(short.stdout).toMatch(/::warning::.*30 days/);
  });
});

describe('policy-review workflow: account state and trail', () => {
  const aws = FAKE_AWS;

  it('snapshots the account with the file names of docs/snapshot.md', () => {
    const run = runStep(snapshotStep, { AWS_REGION: 'eu-west-1' }, sandbox({ aws }));
    expect(run.status).toBe(0);
    for (const f of [
      'authorization-details.json',
      'functions-eu-west-1.json',
      'event-source-mappings-eu-west-1.json',
    ]) {
      expect(readFileSync(path.join(run.box.dir, 'snapshot', f), 'utf8')).toBe('{}\n');
    }
  });

  it('downloads one day folder per day of the window, for each trail region', () => {
    // Given a 90-day window over two regions
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    const run = runStep(
      trailStep,
      {
        TRAIL_BUCKET: 'org-trail',
        TRAIL_PREFIX: 'logs/AWSLogs/',
        TRAIL_REGIONS: 'eu-west-1\nus-east-1',
        TRAIL_DAYS: '90',
      },
      sandbox({ aws }),
    );
    // Then each region's CloudTrail folder is synced, filtered to the window's days
    expect(run.status).toBe(0);
    const syncs = calls(run.box.log).filter((c) => c[1] === 's3');
    expect(syncs.map((c) => c.slice(0, 5))).toEqual([
      [
        'aws',
        's3',
        'sync',
        's3://org-trail/logs/AWSLogs/123456789012/CloudTrail/eu-west-1/',
        'trail/eu-west-1/',
      ],
      [
        'aws',
        's3',
        'sync',
        's3://org-trail/logs/AWSLogs/123456789012/CloudTrail/us-east-1/',
        'trail/us-east-1/',
      ],
    ]);
    const args = syncs[0].slice(5);
    expect(args.slice(0, 2)).toEqual(['--exclude', '*']);
    const includes = args.filter((_a, i) => args[i - 1] === '--include');
    expect(includes).toHaveLength(91);
    for (const inc of includes) expect(inc).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\*$/);
    expect(includes[0]).toBe(`${today}/*`);
    expect(new Set(includes).size).toBe(91);
    // And the account id is masked in the log
    expect(run.stdout).toContain('::add-mask::123456789012');
  });
});

describe('policy-review workflow: generate step', () => {
  // A fake policy-tighten: writes --out, exits PT_CODE for the review run, PT_POLICY_CODE otherwise
  const policyTighten = `out=""; prev=""
for a in "$@"; do [ "$prev" = --out ] && out="$a"; prev="$a"; done
[ -n "$out" ] && printf '<!-- policy-tighten:review:%s -->\\n# review\\n' "$FN" > "$out"
case " $* " in *" --fail-on-change "*) exit "$PT_CODE" ;; *) exit "\${PT_POLICY_CODE:-0}" ;; esac`;

  it.each(['0', '1', '2', '3', '4', '5', '6'])('records exit code %s and does not fail the step', (code) => {
    const run = runStep(
      generateStep,
      { FN: 'orders-api', TRAIL_DAYS: '90', PT_CODE: code },
      sandbox({ 'policy-tighten': policyTighten }),
    );
    expect(run.status).toBe(0);
    expect(run.outputs).toEqual({ code, policy_code: '0', has_review: 'true' });
    expect(existsSync(path.join(run.box.dir, 'policies/orders-api.json'))).toBe(true);
  });

  it('passes the suppressions config when the repository has one', () => {
    const box = sandbox({ 'policy-tighten': policyTighten });
    writeFileSync(path.join(box.dir, 'policy-tighten.json'), '{"suppressions":[]}');
    const run = runStep(generateStep, { FN: 'orders-api', TRAIL_DAYS: '90', PT_CODE: '0' }, box);
    const generated = calls(run.box.log).filter((c) => c[0] === 'policy-tighten');
    expect(generated).toHaveLength(2);
    for (const c of generated) {
      expect(c.slice(c.indexOf('--config'), c.indexOf('--config') + 2)).toEqual([
        '--config',
        'policy-tighten.json',
      ]);
      expect(c.slice(c.indexOf('--since'), c.indexOf('--since') + 2)).toEqual(['--since', '90d']);
    }
  });
});

describe('policy-review workflow: gate', () => {
  it.each([
    // code, policy run code, POLICY_TIGHTEN_GATE, fails, annotation
    ['0', '0', '', false, null],
    ['3', '3', '', false, '::warning'],
    ['4', '0', '', false, '::warning'],
    ['4', '0', 'warn', false, '::warning'],
    ['4', '0', 'fail', true, '::error'],
    ['5', '5', '', true, '::error'],
    ['6', '6', '', true, '::error'],
    ['1', '1', '', true, '::error'],
    ['2', '2', '', true, '::error'],
    ['', '', '', true, '::error'], // generate did not run
    ['0', '5', '', true, '::error'], // the policy run failed
    ['7', '0', '', true, '::error'],
  ])('code %j (policy %j, gate %j): fails %s', (code, policyCode, gate, fails, annotation) => {
    const run = runStep(gateStep, { FN: 'orders-api', CODE: code, POLICY_CODE: policyCode, GATE: gate });
    expect(run.status !== 0).toBe(fails);
    if (annotation) expect(run.stdout).toContain(annotation);
    else expect(run.stdout).not.toMatch(/::(warning|error)/);
  });

  it('reads the code and the gate variable through env', () => {
    expect(gateStep.env).toEqual({
      CODE: '${{ steps.review.outputs.code }}',
      POLICY_CODE: '${{ steps.review.outputs.policy_code }}',
      GATE: '${{ vars.POLICY_TIGHTEN_GATE }}',
    });
    expect(gateStep.if).toContain('!cancelled()');
  });
});

describe('policy-review workflow: sticky comment script', () => {
  type Comment = { id: number; user: { login: string } | null; body?: string };
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;

  async function post(fn: string, review: string, comments: Comment[]) {
    const issues = {
      listComments: jest.fn(),
      updateComment: jest.fn(async () => ({ data: {} })),
      createComment: jest.fn(async () => ({ data: { id: 1000 } })),
    };
    const github = {
      rest: { issues },
      paginate: jest.fn(async (method: unknown, params: unknown) => {
        expect(method).toBe(issues.listComments);
        expect(params).toMatchObject({ owner: 'acme', repo: 'svc', issue_number: 7 });
        return comments;
      }),
    };
    const context = { repo: { owner: 'acme', repo: 'svc' }, issue: { number: 7 } };
    const fakeRequire = (m: string) => {
      expect(m).toBe('fs');
      return { readFileSync: (file: string) => (file === `review-${fn}.md` ? review : '') };
    };
    const run = new AsyncFunction(
      'require',
      'github',
      'context',
      'core',
      'process',
      String(commentStep.with?.script),
    );
    await run(fakeRequire, github, context, { info: () => undefined }, { env: { FN: fn } });
    return { ...issues, paginate: github.paginate };
  }

  const marker = '<!-- policy-tighten:review:orders-api -->';
  const review = `${marker}\n# policy-tighten review: orders-api\n`;

  it('creates the comment when there is none of its own', async () => {
    // Given a human quoting the marker and the bot's comment for another function
    const r = await post('orders-api', review, [
      { id: 1, user: { login: 'alice' }, body: review },
      {
        id: 2,
        user: { login: 'github-actions[bot]' },
        body: '<!-- policy-tighten:review:orders-api-v2 -->\nx',
      },
      { id: 3, user: null },
    ]);
    // Then a new comment is created, nothing updated
    expect(r.paginate).toHaveBeenCalledTimes(1);
    expect(r.updateComment).not.toHaveBeenCalled();
    expect(r.createComment).toHaveBeenCalledWith({
      owner: 'acme',
      repo: 'svc',
      issue_number: 7,
      body: review,
    });
  });

  it("updates the bot's comment with the marker", async () => {
    const r = await post('orders-api', review, [
      { id: 1, user: { login: 'github-actions[bot]' }, body: `${marker}\nold` },
    ]);
    expect(r.createComment).not.toHaveBeenCalled();
    expect(r.updateComment).toHaveBeenCalledWith({ owner: 'acme', repo: 'svc', comment_id: 1, body: review });
  });

  it('adds a missing marker and truncates a review too long for a comment', async () => {
    const long = `# review\n${'line of the review\n'.repeat(5000)}`;
    const r = await post('orders-api', long, []);
    const body = (r.createComment.mock.calls[0] as unknown as [{ body: string }])[0].body;
    expect(body.startsWith(`${marker}\n# review\n`)).toBe(true);
    expect(body.length).toBeLessThan(65536);
    expect(body).toContain('job summary');
  });

  it('refuses an invalid function name', async () => {
    await expect(post('a -->', review, [])).rejects.toThrow(/invalid function name/);
  });
});
