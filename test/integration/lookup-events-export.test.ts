import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTraceFile } from '../../src/ingest';
import { runGenerate } from '../../src/pipeline/run-generate';
import { renderPolicyJson } from '../../src/render';
import { SAMPLE_ACCOUNT, sampleRecords } from '../helpers/cli';

/**
 * The `aws cloudtrail lookup-events` export as a local trail file: each event's record is the
 * JSON string in `CloudTrailEvent`. The same records as delivery files give the same policy.
 */
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pt-lookup-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exportOf = (records: Record<string, unknown>[]) => ({
  Events: records.map((r) => ({
    EventId: r.eventID,
    EventName: r.eventName,
    EventTime: r.eventTime,
    EventSource: r.eventSource,
    Resources: [],
    CloudTrailEvent: JSON.stringify(r),
  })),
});

test('a lookup-events export gives the policy of the same records as delivery files', async () => {
  // Management events only (what LookupEvents returns): the samples' data events are left out of both.
  const management = sampleRecords().filter(
    (r) => (r as { eventCategory?: string }).eventCategory !== 'Data',
  );
  const file = path.join(dir, 'lookup-events.json');
  writeFileSync(file, JSON.stringify(exportOf(management)));
  const delivery = path.join(dir, 'delivery.json');
  writeFileSync(delivery, JSON.stringify({ Records: management }));
  const a = await runGenerate({
    function: 'report-weekly',
    trails: [delivery],
    accountSnapshot: SAMPLE_ACCOUNT,
    window: WINDOW,
  });
  const b = await runGenerate({
    function: 'report-weekly',
    trails: [file],
    accountSnapshot: SAMPLE_ACCOUNT,
    window: WINDOW,
  });
  expect(b.usage.stats.eventsRead).toBe(management.length);
  expect(renderPolicyJson(b.policies[0])).toBe(renderPolicyJson(a.policies[0]));
});

test('an item without a CloudTrailEvent JSON object is malformed, the rest is read', async () => {
  const [one] = sampleRecords();
  const file = path.join(dir, 'damaged.json');
  writeFileSync(
    file,
    JSON.stringify({
      Events: [
        { CloudTrailEvent: JSON.stringify(one) },
        { EventId: 'x' },
        { CloudTrailEvent: '{"eventName":' },
      ],
    }),
  );
  const records: unknown[] = [];
  const malformed: string[] = [];
  const outcome = await readTraceFile(file, {
    record: (r) => records.push(r),
    malformed: (m) => malformed.push(m),
  });
  expect(outcome.format).toBe('lookup-events');
  expect(records).toEqual([one]);
  expect(malformed).toEqual([
    'Events[1] has no CloudTrailEvent string',
    'Events[2].CloudTrailEvent is not a JSON object',
  ]);
});

describe('an export too big to buffer is streamed, with the same outcome as read whole', () => {
  test.each([
    ['plain', false],
    ['gzip', true],
  ])('%s: the same records and malformed events, the same policy', async (_name, gzip) => {
    const management = sampleRecords().filter(
      (r) => (r as { eventCategory?: string }).eventCategory !== 'Data',
    );
    const body = exportOf(management) as { Events: unknown[] };
    body.Events.splice(3, 0, { EventId: 'x' }, { CloudTrailEvent: '[1]' });
    const text = JSON.stringify(body, null, 1);
    const file = path.join(dir, gzip ? 'big-export.json.gz' : 'big-export.json');
    writeFileSync(file, gzip ? gzipSync(text) : text);
    const read = async (maxBufferedBytes?: number) => {
      const records: unknown[] = [];
      const malformed: string[] = [];
      const outcome = await readTraceFile(
        file,
        { record: (r) => records.push(r), malformed: (m) => malformed.push(m) },
        maxBufferedBytes !== undefined ? { maxBufferedBytes } : {},
      );
      return { outcome, records, malformed };
    };
    const whole = await read();
    const streamed = await read(1024);
    expect(streamed.outcome).toEqual(whole.outcome);
    expect(streamed.outcome.format).toBe('lookup-events');
    expect(streamed.records).toEqual(whole.records);
    expect(streamed.records).toHaveLength(management.length);
    expect(streamed.malformed).toEqual([
      'Events[3] has no CloudTrailEvent string',
      'Events[4].CloudTrailEvent is not a JSON object',
    ]);
    const args = {
      function: 'report-weekly',
      trails: [file],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: WINDOW,
    };
    const a = await runGenerate(args);
    const b = await runGenerate({ ...args, maxBufferedBytes: 1024 });
    expect(renderPolicyJson(b.policies[0])).toBe(renderPolicyJson(a.policies[0]));
  });

  test('a streamed object with neither Records nor Events is not CloudTrail', async () => {
    const file = path.join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ Items: sampleRecords().slice(0, 20) }, null, 1));
    const outcome = await readTraceFile(
      file,
      { record: () => undefined, malformed: () => undefined },
      { maxBufferedBytes: 256 },
    );
    expect(outcome.problem?.code).toBe('PT-FILE-NOT-CLOUDTRAIL');
  });
});
