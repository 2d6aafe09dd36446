import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { progressOf } from '../../src/cli/common-options';
import { runGenerate } from '../../src/pipeline/run-generate';
import { renderPolicyJson } from '../../src/render';
import { SAMPLE_ACCOUNT, sampleRecords } from '../helpers/cli';

/**
 * A file too big to buffer streams with progress: the bytes read reach the file's size, the
 * policy is that of reading it whole, and on a terminal the line says how far the file has got.
 */
const WINDOW = { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pt-large-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a streamed file reports its bytes as read; the same policy as read whole', async () => {
  const file = path.join(dir, 'export.json');
  writeFileSync(file, JSON.stringify({ Records: sampleRecords() }));
  const size = statSync(file).size;
  const seen: { done: number; total: number; read: number; size: number }[] = [];
  const args = {
    function: 'orders-api',
    region: 'us-east-1',
    trails: [file],
    accountSnapshot: SAMPLE_ACCOUNT,
    window: WINDOW,
  };
  const streamed = await runGenerate({
    ...args,
    maxBufferedBytes: 64 * 1024,
    progress: (done, total, bytes) => void (bytes && seen.push({ done, total, ...bytes })),
  });
  const whole = await runGenerate(args);
  expect(renderPolicyJson(streamed.policies[0])).toBe(renderPolicyJson(whole.policies[0]));
  expect(seen.length).toBeGreaterThan(1);
  expect(seen.every((s) => s.done === 0 && s.total === 1 && s.size === size)).toBe(true);
  expect(seen[seen.length - 1].read).toBe(size);
  for (let i = 1; i < seen.length; i++) expect(seen[i].read).toBeGreaterThanOrEqual(seen[i - 1].read);
});

test('the terminal line: files done, and the MB of a large file being read', () => {
  let err = '';
  const progress = progressOf({
    stdout: () => {},
    stderr: (t) => (err += t),
    stderrIsTTY: true,
    now: () => new Date(),
  });
  progress?.(0, 1, { read: 123_000_000, size: 500_000_000 });
  progress?.(1, 1);
  expect(err).toContain('reading trail files: 0/1 (123/500 MB of a large file)');
  expect(err.endsWith('reading trail files: 1/1\x1b[K\n')).toBe(true);
});
