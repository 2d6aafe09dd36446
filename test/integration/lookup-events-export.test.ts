import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
