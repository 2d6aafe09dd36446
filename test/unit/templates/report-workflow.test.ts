import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  calls,
  loadWorkflow,
  removeScratch,
  runStep,
  sandbox,
  script,
  untrustedExpressions,
  FAKE_AWS,
  type Workflow,
} from './workflow-harness';

/**
 * The scheduled unused-access report workflow users copy into .github/workflows/. Its shell
 * steps are also run here, with fake `aws` and `policy-tighten` commands (and once with the real,
 * built policy-tighten on the samples), so the window, the metric export, the download, the
 * three report runs sharing one cache and the exit-code gate are checked by behaviour rather
 * than by text.
 */

const { root, text: workflowText, workflow, jobs, steps, find } = loadWorkflow('unused-report.yml');

const windowStep = find('window', (s) => s.id === 'window');
const snapshotStep = find('snapshot', (s) => script(s).includes('get-account-authorization-details'));
const metricsStep = find('metrics', (s) => script(s).includes('aws cloudwatch get-metric-data'));
const trailStep = find('trail download', (s) => script(s).includes('aws s3 sync'));
const restoreStep = find('cache restore', (s) => (s.uses ?? '').startsWith('actions/cache/restore@'));
const saveStep = find('cache save', (s) => (s.uses ?? '').startsWith('actions/cache/save@'));
const reportStep = find('report', (s) => s.id === 'report');
const summaryStep = find('summary', (s) => script(s).includes('GITHUB_STEP_SUMMARY'));
const uploadStep = find('upload', (s) => (s.uses ?? '').startsWith('actions/upload-artifact@'));
const gateStep = find('gate', (s) => script(s).includes('case "$CODE"'));

afterAll(removeScratch);

/** Every key and scalar of a parsed document: the workflow without its comments. */
function scalars(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(scalars);
  if (node !== null && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => [k, ...scalars(v)]);
  return node === null || node === undefined ? [] : [String(node)];
}

/** Hard-coded account IDs and ARNs among the values of a workflow text (comments are not values). */
function hardCoded(text: string): string[] {
  return scalars(parse(text)).flatMap((s) => [
    ...(s.match(/(?<![0-9])[0-9]{12}(?![0-9])/g) ?? []),
    ...(s.match(/arn:aws[a-z-]*:/g) ?? []),
  ]);
}

/** The three report command lines, continuation lines joined, split into tokens. */
const reportRuns = script(reportStep)
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((l) => l.trim().startsWith('policy-tighten report '))
  .map((l) => l.trim().split(/\s+/));
const flagValue = (tokens: string[], flag: string) => tokens[tokens.indexOf(flag) + 1];

const utcDay = (offsetDays: number): string => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offsetDays))
    .toISOString()
    .slice(0, 10);
};

describe('unused-report workflow: structure', () => {
  it('parses, and runs on a daily schedule and by hand only', () => {
    // Given the parsed workflow (YAML 1.2: `on` stays a string key)
    expect(workflow.jobs).toBeDefined();
    // Then its only triggers are schedule and workflow_dispatch
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const schedule = workflow.on.schedule as { cron: string }[];
    expect(schedule).toHaveLength(1);
    // And the schedule is once a day: a fixed minute and hour, every day
    expect(schedule[0].cron).toMatch(/^\d{1,2} \d{1,2} \* \* \*$/);
    // And the manual run takes one optional `since`
    const inputs = (workflow.on.workflow_dispatch as { inputs: Record<string, Record<string, unknown>> })
      .inputs;
    expect(Object.keys(inputs)).toEqual(['since']);
    expect(inputs.since).toMatchObject({ required: false, type: 'string' });
  });

  it('asks for exactly contents: read and id-token: write, and no job asks for more', () => {
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    for (const job of jobs) expect(job.permissions).toBeUndefined();
  });

  it('interpolates no value into a script: not even one expression inside a run', () => {
    const scripts = steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(scripts.length).toBeGreaterThanOrEqual(8);
    for (const text of scripts) expect(text).not.toContain('${{');
    // The input reaches the window step through env
    expect(windowStep.env?.SINCE_INPUT).toBe('${{ inputs.since }}');
    // And no other env value reads an input or an event
    const untrusted = steps.flatMap((s) => Object.values(s.env ?? {}).flatMap(untrustedExpressions));
    expect(untrusted).toEqual(['inputs.since']);
  });

  it('uses only known actions, each at a major version tag', () => {
    const known = [
      'actions/setup-node',
      'aws-actions/configure-aws-credentials',
      'actions/cache/restore',
      'actions/cache/save',
      'actions/upload-artifact',
    ];
    const uses = steps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses).toHaveLength(known.length);
    for (const u of uses) {
      const [action, version] = u.split('@');
      expect(known).toContain(action);
      expect(version).toMatch(/^v\d+$/);
    }
  });

  it('names no account ID, bucket or ARN: they come from repository variables', () => {
    // No 12-digit number and no ARN among the values (comments may show examples)
    expect(hardCoded(workflowText)).toEqual([]);
    // The bucket and the role are variables
    expect(jobs[0].env?.TRAIL_BUCKET).toBe('${{ vars.TRAIL_BUCKET }}');
    for (const s of steps) {
      for (const m of script(s).matchAll(/s3:\/\/([^"\s]*)/g)) expect(m[1]).toMatch(/^\$TRAIL_BUCKET\//);
    }
  });

  it('the hard-coded check sees values, not comments', () => {
    expect(hardCoded('# role arn:aws:iam::123456789012:role/x\non: push\n')).toEqual([]);
    expect(hardCoded('env:\n  ROLE: arn:aws:iam::123456789012:role/x\n')).toEqual([
      '123456789012',
      'arn:aws:',
    ]);
    expect(hardCoded("run: echo 'arn:aws-cn:s3:::b'\n")).toEqual(['arn:aws-cn:']);
    expect(hardCoded('run: aws s3 sync s3://b/AWSLogs/210987654321/ x\n')).toEqual(['210987654321']);
    expect(hardCoded('run: echo 1234567890123\n')).toEqual([]);
  });

  it('installs the pinned policy-tighten version exactly as the review workflow does', () => {
    const install = find('install', (s) => script(s).includes('npm install -g'));
    const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
      .version;
    expect(install.env?.POLICY_TIGHTEN_VERSION).toBe(`\${{ vars.POLICY_TIGHTEN_VERSION || '${version}' }}`);
    const review = parse(
      readFileSync(path.join(root, 'templates/github/policy-review.yml'), 'utf8'),
    ) as Workflow;
    const reviewInstall = Object.values(review.jobs)
      .flatMap((j) => j.steps)
      .find((s) => (s.run ?? '').includes('npm install -g'));
    expect(script(install)).toBe(reviewInstall?.run);
    // The installed binary runs, not `npx` (which could fetch another version)
    for (const s of steps) expect(script(s)).not.toMatch(/\bnpx\b/);
  });

  it('configures AWS credentials through OIDC with the role from a repository variable', () => {
    const aws = find('aws credentials', (s) =>
      (s.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'),
    );
    expect(aws.uses).toBe('aws-actions/configure-aws-credentials@v4');
    expect(aws.with?.['role-to-assume']).toBe(
      '${{ vars.POLICY_TIGHTEN_REPORT_ROLE_ARN || vars.POLICY_TIGHTEN_ROLE_ARN }}',
    );
    expect(aws.with?.['aws-region']).toBe('${{ vars.AWS_REGION }}');
    expect(aws.with?.['mask-aws-account-id']).toBe(true);
    // The validation checks the same role variable
    expect(windowStep.env?.ROLE_ARN).toBe(aws.with?.['role-to-assume']);
  });

  it('runs the report three times, JSON, HTML and Markdown, offline, on one cache and window', () => {
    expect(reportRuns.map((t) => flagValue(t, '--format'))).toEqual(['json', 'html', 'markdown']);
    expect(reportRuns.map((t) => flagValue(t, '--out'))).toEqual(['report.json', 'report.html', 'report.md']);
    for (const tokens of reportRuns) {
      expect(tokens.slice(0, 2)).toEqual(['policy-tighten', 'report']);
      for (const flag of ['--unused', '--offline', '--fail-on-unused']) expect(tokens).toContain(flag);
      expect(flagValue(tokens, '--cache')).toBe('"$CACHE_DIR"');
      expect(flagValue(tokens, '--account-snapshot')).toBe('snapshot');
      expect(flagValue(tokens, '--trail')).toBe('trail');
      expect(flagValue(tokens, '--since')).toBe('"$SINCE"');
      expect(flagValue(tokens, '--until')).toBe('"$UNTIL"');
    }
    expect(reportStep.env).toEqual({
      SINCE: '${{ steps.window.outputs.since }}',
      UNTIL: '${{ steps.window.outputs.until }}',
      DAYS: '${{ steps.window.outputs.days }}',
    });
    // The comment says why three runs read the trail only once
    expect(workflowText).toMatch(/HTML and Markdown runs take every folder from the cache/);
  });

  it('restores the cache with a dated key and a prefix, and saves it even when the gate fails', () => {
    const key = restoreStep.with?.key as string;
    const restoreKeys = String(restoreStep.with?.['restore-keys']).trim().split('\n');
    expect(restoreStep.uses).toBe('actions/cache/restore@v4');
    expect(key).toContain('${{ steps.window.outputs.today }}');
    expect(restoreKeys).toHaveLength(1);
    expect(key.startsWith(restoreKeys[0])).toBe(true);
    expect(key.slice(restoreKeys[0].length)).toBe('${{ steps.window.outputs.today }}');
    expect(restoreStep.with?.path).toBe('${{ env.CACHE_DIR }}');
    expect(jobs[0].env?.CACHE_DIR).toBe('.policy-tighten-cache');
    // Saved under the same key and path, after the report and before the gate
    expect(saveStep.with).toEqual({ path: restoreStep.with?.path, key });
    expect(saveStep.if).toContain('!cancelled()');
    expect(saveStep.if).toContain("steps.cache.outputs.cache-hit != 'true'");
    expect(restoreStep.id).toBe('cache');
    const order = [restoreStep, reportStep, saveStep, gateStep].map((s) => steps.indexOf(s));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(steps.indexOf(gateStep)).toBe(steps.length - 1);
  });

  it('publishes report.html and report.json, and the Markdown as the job summary', () => {
    expect(uploadStep.uses).toBe('actions/upload-artifact@v4');
    expect(String(uploadStep.with?.path).trim().split('\n')).toEqual(['report.html', 'report.json']);
    expect(uploadStep.if).toContain('!cancelled()');
    expect(script(summaryStep)).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(summaryStep.if).toContain('!cancelled()');
  });

  it('the gate tells 3, 6 and 7 apart and reads the codes and FAIL_ON_UNUSED through env', () => {
    for (const code of ['0', '3', '6', '7', '1', '2'])
      expect(script(gateStep)).toMatch(new RegExp(`^\\s*${code}\\)`, 'm'));
    expect(gateStep.env).toEqual({
      CODE: '${{ steps.report.outputs.code }}',
      HTML_CODE: '${{ steps.report.outputs.html_code }}',
      MARKDOWN_CODE: '${{ steps.report.outputs.markdown_code }}',
      FAIL_ON_UNUSED: '${{ vars.FAIL_ON_UNUSED }}',
    });
    expect(gateStep.if).toContain('!cancelled()');
  });

  it('sets no POLICY_TIGHTEN_* variable where policy-tighten report runs (it reads them as options)', () => {
    const names = Object.keys({ ...workflow.env, ...jobs[0].env, ...reportStep.env });
    expect(names.filter((n) => n.startsWith('POLICY_TIGHTEN_'))).toEqual([]);
  });

  it('the READMEs document the workflow, its variables, its role and its exit codes', () => {
    const readme = readFileSync(path.join(root, 'templates/github/README.md'), 'utf8');
    const at = readme.indexOf('## Scheduled unused-access report');
    expect(at).toBeGreaterThan(0);
    const section = readme.slice(at);
    expect(section).toContain('(unused-report.yml)');
    for (const word of [
      'POLICY_TIGHTEN_REPORT_ROLE_ARN',
      'FAIL_ON_UNUSED',
      'INVOCATION_METRICS',
      'TRAIL_BUCKET',
      'TRAIL_REGIONS',
      'iam:GetAccountAuthorizationDetails',
      'lambda:ListFunctions',
      'lambda:ListEventSourceMappings',
      'cloudwatch:GetMetricData',
      's3:ListBucket',
      's3:prefix',
      's3:GetObject',
      'kms:Decrypt',
      'SAM',
    ]) {
      expect(section).toContain(word);
    }
    // The role's policy is valid JSON with the actions above
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const policy = JSON.parse(json) as { Statement: { Action: string | string[] }[] };
    const actions = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.sort()).toEqual(
      [
        'cloudwatch:GetMetricData',
        'iam:GetAccountAuthorizationDetails',
        'kms:Decrypt',
        'lambda:ListEventSourceMappings',
        'lambda:ListFunctions',
        's3:GetObject',
        's3:ListBucket',
      ].sort(),
    );
    const index = readFileSync(path.join(root, 'templates/README.md'), 'utf8');
    expect(index).toContain('github/unused-report.yml');
  });
});

describe('unused-report workflow: inputs and window', () => {
  const valid = {
    ROLE_ARN: 'role-from-a-variable',
    AWS_REGION: 'eu-west-1',
    TRAIL_BUCKET: 'org-trail-bucket',
    TRAIL_PREFIX: 'AWSLogs',
    TRAIL_REGIONS: 'eu-west-1 us-east-1',
    TRAIL_DAYS: '90',
    SINCE_INPUT: '',
    FAIL_ON_UNUSED: '',
  };

  it('by default, the window starts at UTC midnight TRAIL_DAYS days ago and ends now', () => {
    const run = runStep(windowStep, valid);
    expect(run.status).toBe(0);
    expect(run.outputs.today).toBe(utcDay(0));
    expect(run.outputs.since).toBe(utcDay(-90));
    expect(run.outputs.days).toBe('90');
    expect(run.outputs.until).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(run.outputs.until.slice(0, 10)).toBe(utcDay(0));
    expect(run.stdout).not.toMatch(/::(warning|error)/);
  });

  it.each([
    ['45d', 45],
    ['400d', 400],
    [utcDay(-30), 30],
    [utcDay(-1), 1],
  ])('accepts since %j (%d days)', (since, days) => {
    const run = runStep(windowStep, { ...valid, SINCE_INPUT: since });
    expect(run.status).toBe(0);
    expect(run.outputs.days).toBe(String(days));
    expect(run.outputs.since).toBe(utcDay(-days));
  });

  it('warns about a window under 30 days', () => {
    const run = runStep(windowStep, { ...valid, SINCE_INPUT: '14d' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/::warning::.*30 days/);
  });

  it.each([
    '90d; id',
    '$(id)',
    '`id`',
    '90',
    '0d',
    '090d',
    '401d',
    '12h',
    '2026-02-30',
    '2026-9-1',
    utcDay(0),
    utcDay(3),
    utcDay(-401),
    '2026-09-01T00:00:00Z',
    'zz\n::set-output name=since::1d',
  ])('rejects since %j without echoing it', (since) => {
    const run = runStep(windowStep, { ...valid, SINCE_INPUT: since });
    expect(run.status).not.toBe(0);
    expect(run.outputs.since).toBeUndefined();
    expect(run.stdout).toContain('::error::');
    expect(run.stdout).not.toContain(since.split('\n')[0]);
  });

  it('checks every variable before use', () => {
    for (const bad of [
      { ROLE_ARN: '' },
      { AWS_REGION: '' },
      { TRAIL_BUCKET: 'Bad_Bucket' },
      { TRAIL_PREFIX: '../x' },
      { TRAIL_PREFIX: 'a b' },
      { TRAIL_REGIONS: 'eu-west-1 $(id)' },
      { TRAIL_REGIONS: ' , ' },
      { TRAIL_DAYS: '9e9' },
      { TRAIL_DAYS: '08' },
      { TRAIL_DAYS: '0' },
    ]) {
      const run = runStep(windowStep, { ...valid, ...bad });
      expect(run.status).not.toBe(0);
      expect(run.outputs).toEqual({});
    }
    const odd = runStep(windowStep, { ...valid, FAIL_ON_UNUSED: 'yes' });
    expect(odd.status).toBe(0);
    expect(odd.stdout).toMatch(/::warning::FAIL_ON_UNUSED/);
  });
});

describe('unused-report workflow: account snapshot and trail', () => {
  const aws = FAKE_AWS;

  it('snapshots IAM once and Lambda per region, with the file names of docs/snapshot.md', () => {
    const run = runStep(snapshotStep, { TRAIL_REGIONS: 'eu-west-1, us-east-1\neu-west-1' }, sandbox({ aws }));
    expect(run.status).toBe(0);
    expect(readdirSync(path.join(run.box.dir, 'snapshot')).sort()).toEqual([
      'authorization-details.json',
      'event-source-mappings-eu-west-1.json',
      'event-source-mappings-us-east-1.json',
      'functions-eu-west-1.json',
      'functions-us-east-1.json',
    ]);
    expect(calls(run.box.log).map((c) => c.slice(1).join(' '))).toEqual([
      'iam get-account-authorization-details',
      'lambda list-functions --region eu-west-1',
      'lambda list-event-source-mappings --region eu-west-1',
      'lambda list-functions --region us-east-1',
      'lambda list-event-source-mappings --region us-east-1',
    ]);
  });

  it('downloads one day folder per call, from the first day of the window to today, per region', () => {
    const today = utcDay(0);
    const run = runStep(
      trailStep,
      {
        TRAIL_BUCKET: 'org-trail',
        TRAIL_PREFIX: 'logs/AWSLogs/',
        TRAIL_REGIONS: 'eu-west-1\nus-east-1',
        TODAY: today,
        DAYS: '30',
      },
      sandbox({ aws }),
    );
    expect(run.status).toBe(0);
    const syncs = calls(run.box.log).filter((c) => c[1] === 's3');
    expect(syncs).toHaveLength(2 * 31);
    const days = Array.from({ length: 31 }, (_x, i) => utcDay(-i).replace(/-/g, '/'));
    expect(syncs).toEqual(
      ['eu-west-1', 'us-east-1'].flatMap((region) =>
        days.map((day) => [
          'aws',
          's3',
          'sync',
          `s3://org-trail/logs/AWSLogs/123456789012/CloudTrail/${region}/${day}/`,
          `trail/${region}/${day}/`,
          '--only-show-errors',
        ]),
      ),
    );
    // The trail directory exists even when nothing was downloaded (exit 6, not 1)
    expect(existsSync(path.join(run.box.dir, 'trail'))).toBe(true);
    // And the account ID is masked in the log
    expect(run.stdout).toContain('::add-mask::123456789012');
  });

  it('stops when the caller identity is not an account ID', () => {
    const run = runStep(
      trailStep,
      { TRAIL_BUCKET: 'b', TRAIL_PREFIX: 'AWSLogs', TRAIL_REGIONS: 'eu-west-1', TODAY: utcDay(0), DAYS: '3' },
      sandbox({ aws: 'echo None' }),
    );
    expect(run.status).not.toBe(0);
    expect(calls(run.box.log).filter((c) => c[1] === 's3')).toEqual([]);
  });
});

describe('unused-report workflow: Invocations metric export', () => {
  // A fake `aws cloudwatch get-metric-data`: logs each call's queries, answers one result per query
  const aws = `q=""; prev=""
for a in "$@"; do [ "$prev" = --metric-data-queries ] && q="\${a#file://}"; prev="$a"; done
[ "$PT_FAIL" = "$4" ] && exit 254
jq -c . "$q" >> "$QUERIES_LOG"
jq '{MetricDataResults: map({Id, Label, Timestamps: ["2026-11-02T00:00:00+00:00"], Values: [3],
  StatusCode: (env.PT_STATUS // "Complete")}), Messages: []}' "$q"`;

  function exportMetrics(functions: Record<string, number>, env: Record<string, string> = {}) {
    const box = sandbox({ aws });
    mkdirSync(path.join(box.dir, 'snapshot'));
    for (const [region, n] of Object.entries(functions)) {
      const list = {
        Functions: Array.from({ length: n }, (_x, i) => ({ FunctionName: `fn-${region}-${i}` })),
      };
      writeFileSync(path.join(box.dir, `snapshot/functions-${region}.json`), JSON.stringify(list));
    }
    const queriesLog = path.join(box.dir, '.queries.log');
    const run = runStep(
      metricsStep,
      {
        TRAIL_REGIONS: Object.keys(functions).join(' '),
        SINCE: '2026-09-02',
        UNTIL: '2026-12-01T05:17:00Z',
        DAYS: '90',
        QUERIES_LOG: queriesLog,
        ...env,
      },
      box,
    );
    const queries = existsSync(queriesLog)
      ? readFileSync(queriesLog, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>[])
      : [];
    const exported = (region: string) => {
      const file = path.join(box.dir, `snapshot/get-metric-data-${region}.json`);
      return existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as { MetricDataResults: { Label: string }[] })
        : undefined;
    };
    return { run, queries, exported };
  }

  it('sends one Invocations query per function, labelled with its name, daily sums over the window', () => {
    const { run, queries, exported } = exportMetrics({ 'us-east-1': 2 });
    expect(run.status).toBe(0);
    expect(queries).toEqual([
      [0, 1].map((i) => ({
        Id: `f${i}`,
        Label: `fn-us-east-1-${i}`,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: 'Invocations',
            Dimensions: [{ Name: 'FunctionName', Value: `fn-us-east-1-${i}` }],
          },
          Period: 86400,
          Stat: 'Sum',
        },
      })),
    ]);
    const call = calls(run.box.log).find((c) => c[2] === 'get-metric-data') ?? [];
    expect(call.slice(1, 5)).toEqual(['cloudwatch', 'get-metric-data', '--region', 'us-east-1']);
    expect(flagValue(call, '--start-time')).toBe('2026-09-02T00:00:00Z');
    expect(flagValue(call, '--end-time')).toBe('2026-12-01T05:17:00Z');
    expect(exported('us-east-1')?.MetricDataResults.map((r) => r.Label)).toEqual([
      'fn-us-east-1-0',
      'fn-us-east-1-1',
    ]);
  });

  it('batches 500 queries per call and merges the batches into one file per region', () => {
    const { run, queries, exported } = exportMetrics({ 'eu-west-1': 1201, 'us-east-1': 3, 'ap-south-1': 0 });
    expect(run.status).toBe(0);
    expect(queries.map((q) => q.length)).toEqual([500, 500, 201, 3]);
    for (const q of queries) expect(new Set(q.map((x) => x.Id)).size).toBe(q.length);
    const labels = exported('eu-west-1')?.MetricDataResults.map((r) => r.Label) ?? [];
    expect(labels).toEqual(Array.from({ length: 1201 }, (_x, i) => `fn-eu-west-1-${i}`));
    expect(exported('us-east-1')?.MetricDataResults).toHaveLength(3);
    // A region without functions gets no call and no file
    expect(exported('ap-south-1')).toBeUndefined();
    expect(run.stdout).not.toContain('::warning');
  });

  it('keeps a call under 100,800 datapoints: fewer queries per call for a long window', () => {
    // 400 days and today: 401 datapoints per query, 251 queries per call
    const { run, queries } = exportMetrics({ 'eu-west-1': 600 }, { DAYS: '400' });
    expect(run.status).toBe(0);
    expect(queries.map((q) => q.length)).toEqual([251, 251, 98]);
  });

  it('leaves out, with a warning, an export that failed or is incomplete', () => {
    const failed = exportMetrics({ 'eu-west-1': 2, 'us-east-1': 2 }, { PT_FAIL: 'eu-west-1' });
    expect(failed.run.status).toBe(0);
    expect(failed.exported('eu-west-1')).toBeUndefined();
    expect(failed.exported('us-east-1')?.MetricDataResults).toHaveLength(2);
    expect(failed.run.stdout).toMatch(/::warning title=policy-tighten report::eu-west-1: /);

    const partial = exportMetrics({ 'eu-west-1': 2 }, { PT_STATUS: 'PartialData' });
    expect(partial.run.status).toBe(0);
    expect(partial.exported('eu-west-1')).toBeUndefined();
    expect(partial.run.stdout).toMatch(/::warning/);
  });

  it('is skipped when INVOCATION_METRICS is false', () => {
    expect(metricsStep.if).toBe("vars.INVOCATION_METRICS != 'false'");
  });
});

describe('unused-report workflow: report runs', () => {
  // A fake policy-tighten: writes --out, exits PT_CODE
  const policyTighten = `out=""; prev=""
for a in "$@"; do [ "$prev" = --out ] && out="$a"; prev="$a"; done
[ -n "$out" ] && echo report > "$out"
exit "$PT_CODE"`;
  const env = {
    SINCE: '2026-11-01',
    UNTIL: '2026-12-01T00:00:00Z',
    DAYS: '30',
    CACHE_DIR: '.policy-tighten-cache',
  };

  it.each(['0', '1', '2', '3', '6', '7'])(
    'records exit code %s of each run and does not fail the step',
    (code) => {
      const run = runStep(
        reportStep,
        { ...env, PT_CODE: code },
        sandbox({ 'policy-tighten': policyTighten }),
      );
      expect(run.status).toBe(0);
      expect(run.outputs).toEqual({ code, html_code: code, markdown_code: code });
      const runs = calls(run.box.log).filter((c) => c[0] === 'policy-tighten');
      expect(runs.map((c) => flagValue(c, '--format'))).toEqual(['json', 'html', 'markdown']);
      for (const c of runs) {
        expect(flagValue(c, '--since')).toBe('2026-11-01');
        expect(flagValue(c, '--until')).toBe('2026-12-01T00:00:00Z');
        expect(flagValue(c, '--cache')).toBe('.policy-tighten-cache');
      }
    },
  );

  it('drops cache entries written before the window, keeps the others', () => {
    const box = sandbox({ 'policy-tighten': policyTighten });
    const cache = path.join(box.dir, '.policy-tighten-cache');
    mkdirSync(cache);
    const old = new Date(Date.now() - 40 * 86400_000);
    writeFileSync(path.join(cache, 'old.json'), '{}');
    utimesSync(path.join(cache, 'old.json'), old, old);
    writeFileSync(path.join(cache, 'recent.json'), '{}');
    const run = runStep(reportStep, { ...env, PT_CODE: '0' }, box);
    expect(run.status).toBe(0);
    expect(readdirSync(cache)).toEqual(['recent.json']);
  });

  it('with the real policy-tighten on the samples: three reports, and the second and third read nothing', () => {
    // Given the samples laid out as the download and snapshot steps leave them
    const bin = path.join(root, 'bin', 'policy-tighten.js');
    if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
      throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
    }
    const box = sandbox({
      'policy-tighten': `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"`,
    });
    cpSync(path.join(root, 'samples/trail/AWSLogs/111122223333/CloudTrail'), path.join(box.dir, 'trail'), {
      recursive: true,
    });
    cpSync(path.join(root, 'samples/account'), path.join(box.dir, 'snapshot'), { recursive: true });
    // When the report step runs (the samples name unused roles and functions: 7)
    const run = runStep(reportStep, env, box);
    // Then the three runs agree and wrote their reports
    expect(run.status).toBe(0);
    expect(run.outputs).toEqual({ code: '7', html_code: '7', markdown_code: '7' });
    const report = JSON.parse(readFileSync(path.join(box.dir, 'report.json'), 'utf8')) as {
      summary: { unusedRoles: number; unusedFunctions: number };
    };
    expect(report.summary.unusedRoles + report.summary.unusedFunctions).toBeGreaterThan(0);
    expect(readFileSync(path.join(box.dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(readFileSync(path.join(box.dir, 'report.md'), 'utf8').length).toBeGreaterThan(100);
    // And the first run read the trail, the next two took every folder from the cache
    const cacheLines = [
      ...run.stdout.matchAll(/cache: (\d+) files \((\d+) folders\) from the cache, (\d+) read/g),
    ];
    expect(cacheLines).toHaveLength(3);
    const [first, second, third] = cacheLines.map((m) => ({ cached: Number(m[1]), read: Number(m[3]) }));
    expect(first.read).toBeGreaterThan(0);
    expect(second).toEqual({ cached: first.read + first.cached, read: 0 });
    expect(third).toEqual(second);
  });
});

describe('unused-report workflow: summary', () => {
  it('appends the Markdown report to the job summary', () => {
    const box = sandbox();
    writeFileSync(path.join(box.dir, '.step-summary'), 'before\n');
    writeFileSync(path.join(box.dir, 'report.md'), '# report\n');
    const run = runStep(summaryStep, {}, box);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(box.dir, '.step-summary'), 'utf8')).toBe('before\n# report\n');
  });

  it('truncates a report over the 1 MiB a step summary holds, at a line end', () => {
    const box = sandbox();
    writeFileSync(path.join(box.dir, 'report.md'), `# report\n${'a line of the report\n'.repeat(60000)}`);
    const run = runStep(summaryStep, {}, box);
    expect(run.status).toBe(0);
    const summary = readFileSync(path.join(box.dir, '.step-summary'), 'utf8');
    expect(summary.length).toBeLessThan(1024 * 1024);
    expect(summary).toMatch(/a line of the report\n\n\n_Truncated: .*report\.html.*_\n$/);
  });

  it('writes nothing when there is no report', () => {
    const run = runStep(summaryStep, {});
    expect(run.status).toBe(0);
    expect(existsSync(path.join(run.box.dir, '.step-summary'))).toBe(false);
  });
});

describe('unused-report workflow: gate', () => {
  it.each([
    // code, HTML run code, Markdown run code, FAIL_ON_UNUSED, fails, annotation
    ['0', '0', '0', '', false, null],
    ['0', '0', '0', 'true', false, null],
    ['7', '7', '7', '', false, '::notice'],
    ['7', '7', '7', 'false', false, '::notice'],
    ['7', '7', '7', 'yes', false, '::notice'],
    ['7', '7', '7', 'true', true, '::error'],
    ['3', '3', '3', '', false, '::warning'],
    ['3', '3', '3', 'true', false, '::warning'],
    ['6', '6', '6', '', true, '::error'],
    ['6', '6', '6', 'true', true, '::error'],
    ['1', '1', '1', '', true, '::error'],
    ['2', '2', '2', '', true, '::error'],
    ['', '', '', '', true, '::error'], // the report did not run
    ['7', '1', '7', '', true, '::error'], // the HTML run failed
    ['0', '0', '3', '', true, '::error'], // the runs disagree
    ['9', '9', '9', '', true, '::error'],
  ])(
    'code %j (HTML %j, Markdown %j, FAIL_ON_UNUSED %j): fails %s',
    (code, html, md, failOn, fails, annotation) => {
      const run = runStep(gateStep, {
        CODE: code,
        HTML_CODE: html,
        MARKDOWN_CODE: md,
        FAIL_ON_UNUSED: failOn,
      });
      expect(run.status !== 0).toBe(fails);
      if (annotation) expect(run.stdout).toContain(annotation);
      else expect(run.stdout).not.toMatch(/::(notice|warning|error)/);
    },
  );

  it('names what was found, from report.json', () => {
    const box = sandbox();
    writeFileSync(
      path.join(box.dir, 'report.json'),
      JSON.stringify({ summary: { unusedRoles: 2, unusedFunctions: 1 } }),
    );
    const run = runStep(
      gateStep,
      { CODE: '7', HTML_CODE: '7', MARKDOWN_CODE: '7', FAIL_ON_UNUSED: 'true' },
      box,
    );
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain(
      '::error title=policy-tighten report::2 unused roles and 1 unused functions',
    );
  });
});
