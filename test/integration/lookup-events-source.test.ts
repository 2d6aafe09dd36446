import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lookupProgressOf } from '../../src/cli/common-options';
import { lookupEvents } from '../../src/sources/lookup-events';
import { runGenerate } from '../../src/pipeline/run-generate';
import { renderPolicyJson } from '../../src/render';
import { runCliAsync, SAMPLE_ACCOUNT, SAMPLE_WINDOW, sampleRecords } from '../helpers/cli';
import { startLocalCloudTrail, type LocalEndpoint } from '../helpers/aws-local/server';

/**
 * LookupEvents as the source (`--lookup-events`, and `generate` without `--trail`): the real SDK
 * against a local CloudTrail (JSON 1.1, pages of 50, a throttle): the same policy as the same
 * management events in a file, and the CLI says that data events are not in it.
 */
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
const NOW = new Date('2026-12-01T00:00:00Z');
const management = sampleRecords().filter((r) => (r as { eventCategory?: string }).eventCategory !== 'Data');

let ct: LocalEndpoint;
let dir: string;
beforeAll(async () => {
  ct = await startLocalCloudTrail(management, 1);
  dir = mkdtempSync(path.join(tmpdir(), 'pt-lookup-src-'));
  writeFileSync(path.join(dir, 'management.json'), JSON.stringify({ Records: management }));
});
afterAll(async () => {
  await ct.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every page is read (and a throttle retried): the policy of the same events in a file', async () => {
  const client = new CloudTrailClient({
    endpoint: ct.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    retryMode: 'adaptive',
    maxAttempts: 10,
  });
  const args = { function: 'report-weekly', accountSnapshot: SAMPLE_ACCOUNT, window: WINDOW, now: NOW };
  const file = await runGenerate({ ...args, trails: [path.join(dir, 'management.json')] });
  const history = await runGenerate({
    ...args,
    trails: [],
    sources: { lookupEvents: { client, region: 'eu-west-1' }, now: NOW },
  });
  expect(history.usage.stats.eventsRead).toBe(management.length);
  expect(renderPolicyJson(history.policies[0])).toBe(renderPolicyJson(file.policies[0]));
  // ceil(n / 50) pages, plus the throttled request the SDK retried.
  expect(ct.requests.length).toBe(Math.ceil(management.length / 50) + 1);
});

test('the CLI: generate without --trail reads the event history, and says data events are not in it', async () => {
  const env = {
    AWS_ENDPOINT_URL_CLOUDTRAIL: ct.url,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const base = [
    'generate',
    '--function',
    'report-weekly',
    '--account-snapshot',
    SAMPLE_ACCOUNT,
    ...SAMPLE_WINDOW,
  ];
  const local = await runCliAsync([...base, '--trail', path.join(dir, 'management.json'), '--offline']);
  const live = await runCliAsync([...base, '--region', 'eu-west-1'], { env });
  expect(live.stderr).toMatch(/LookupEvents.*data events .* are not in it/);
  expect(live.stdout).toBe(local.stdout);
  expect(live.status).toBe(local.status);
  const offline = await runCliAsync([...base, '--offline']);
  expect(offline.status).toBe(2);
  expect(offline.stderr).toMatch(/--offline needs a trail/);
});

test('on a terminal, the progress line counts pages and events and ends with the last page', () => {
  let err = '';
  const progress = lookupProgressOf({
    stdout: () => {},
    stderr: (t) => (err += t),
    stderrIsTTY: true,
    now: () => NOW,
  });
  progress?.(1, 50, false);
  progress?.(2, 73, true);
  expect(err).toMatch(
    /^\r {2}LookupEvents: 1 pages, 50 events in \d+ s .*\r {2}LookupEvents: 2 pages, 73 events in \d+ s \(at most 2 pages a second\)\n$/s,
  );
  expect(
    lookupProgressOf({ stdout: () => {}, stderr: () => {}, stderrIsTTY: false, now: () => NOW }),
  ).toBeUndefined();
});

test('the reader keeps to the quota itself: at least 550 ms between two requests, no throttling caused', async () => {
  const client = new CloudTrailClient({
    endpoint: ct.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  let now = 0;
  const sent: number[] = [];
  const before = ct.requests.length;
  const history = await lookupEvents(client, WINDOW, NOW, {
    region: 'eu-west-1',
    clock: () => now,
    sleep: async (ms) => void (now += ms),
    progress: () => {
      sent.push(now);
      now += 120; // each page takes a while to arrive
    },
  });
  expect(history.problems).toEqual([]);
  expect(history.requests).toBe(ct.requests.length - before);
  expect(history.requests).toBe(Math.ceil(management.length / 50));
  for (let i = 1; i < sent.length; i++) expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(550);
});
