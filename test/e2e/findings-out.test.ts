import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSample, reportSample, SAMPLE_TRAIL } from '../helpers/cli';

/**
 * The real CLI: `--findings-out FILE` (every finding, canonical JSON, same bytes each run), the
 * summary's order and cap over thousands of empty files, and a suppression of lost input that
 * keeps the exit code 3.
 */
interface FindingsFile {
  total: number;
  lostInput: number;
  counts: Record<string, number>;
  findings: { id: string; code: string; severity: string; suppressed?: { reason: string } }[];
}

let tmp: string;
let emptyTrail: string;
const FILES = 2000;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'pt-findings-'));
  emptyTrail = path.join(tmp, 'empty');
  mkdirSync(emptyTrail);
  // Half empty files, half empty CloudTrail files ({"Records":[]}): nothing of the target.
  for (let i = 0; i < FILES; i++) {
    const name = `f${String(i).padStart(4, '0')}.json`;
    writeFileSync(path.join(emptyTrail, name), i % 2 === 0 ? '' : '{"Records":[]}');
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('--findings-out and the summary over 2,000 empty files', () => {
  it('lists PT-NO-EVENTS at the top, groups the per-file findings, writes all of them to the file', () => {
    const out = path.join(tmp, 'a', 'findings.json');
    const r = generateSample('orders-api', ['--offline', '--findings-out', out], emptyTrail);
    expect(r.status).toBe(3);
    const listed = r.stderr.split('\n').filter((l) => /^ {4}(error|warning|info|suppr\.) /.test(l));
    // The 1,000 per-file findings are one line with the total; the no-data finding follows it.
    expect(listed.length).toBeLessThan(20);
    expect(listed[0]).toMatch(/^ {4}warning PT-FILE-EMPTY\[1,000 files\] ×1,000: /);
    expect(listed[1]).toMatch(/^ {4}warning PT-NO-EVENTS\[target\]: /);
    expect(r.stderr).toContain('PT-FILE-EMPTY[1,000 files] ×1,000: file is empty (1,000 files; e.g.');
    expect(r.stderr).toMatch(/findings: 1,0\d\d \(/);
    const file = JSON.parse(readFileSync(out, 'utf8')) as FindingsFile;
    expect(file.findings.filter((f) => f.code === 'PT-FILE-EMPTY')).toHaveLength(1000);
    expect(file.total).toBe(file.findings.length);
    expect(file.lostInput).toBe(1000);
    expect(file.findings.some((f) => f.id === 'PT-NO-EVENTS[target]')).toBe(true);
    // Atomic (temp file + rename): nothing but the file is left in its folder.
    expect(readdirSync(path.dirname(out))).toEqual(['findings.json']);
  });
});

describe('suppressions on the real CLI', () => {
  it('a suppressed PT-FILE-UNREADABLE keeps exit 3, says so, and an unused suppression is reported', () => {
    const trail = path.join(tmp, 'trail');
    cpSync(SAMPLE_TRAIL, trail, { recursive: true });
    writeFileSync(path.join(trail, 'truncated.json'), '{"Records":[{"eventVersion":"1.08",');
    const config = path.join(tmp, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        suppressions: [
          { id: 'PT-FILE-UNREADABLE[*]', reason: 'known damaged delivery' },
          { id: 'PT-UNMAPPED[nosuch.amazonaws.com:Typo]', reason: 'stale entry' },
        ],
      }),
    );
    const out = path.join(tmp, 'suppressed.json');
    const r = generateSample('orders-api', ['--config', config, '--findings-out', out], trail);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(
      /suppr\.\s+PT-FILE-UNREADABLE\[.*truncated\.json\].*\[suppressed: known damaged delivery\]/,
    );
    expect(r.stderr).toMatch(
      /a suppression marks them but does not clear lost input; the result stays partial \(exit code 3\)/,
    );
    expect(r.stderr).toContain('PT-UNUSED-SUPPRESSION[PT-UNMAPPED[nosuch.amazonaws.com:Typo]]');
    expect(r.stderr).toMatch(/PARTIAL/);
    const file = JSON.parse(readFileSync(out, 'utf8')) as FindingsFile;
    const ids = file.findings.map((f) => f.id);
    expect(ids).toContain('PT-UNUSED-SUPPRESSION[PT-UNMAPPED[nosuch.amazonaws.com:Typo]]');
    // Suppressed findings come last.
    expect(file.findings.at(-1)?.suppressed).toEqual({ reason: 'known damaged delivery' });

    // The same run again writes the same bytes.
    const again = path.join(tmp, 'suppressed-2.json');
    generateSample('orders-api', ['--config', config, '--findings-out', again], trail);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it('a suppressed ordinary warning changes no exit code (0 on the samples)', () => {
    const config = path.join(tmp, 'ordinary.json');
    writeFileSync(
      config,
      JSON.stringify({
        suppressions: [{ id: 'PT-DENIED-CALL[dynamodb:DeleteItem]', reason: 'the guardrail denies it' }],
      }),
    );
    const r = generateSample('orders-api', ['--config', config]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/suppr\.\s+PT-DENIED-CALL\[dynamodb:DeleteItem\]/);
    expect(r.stderr).not.toContain('PT-UNUSED-SUPPRESSION');
  });
});

describe('report --findings-out', () => {
  it('writes the report findings as canonical JSON', () => {
    const out = path.join(tmp, 'report-findings.json');
    const r = reportSample(['--format', 'json', '--findings-out', out]);
    expect(r.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    const file = JSON.parse(text) as FindingsFile;
    expect(file.total).toBe(file.findings.length);
    expect(Object.keys(file)).toEqual(['counts', 'findings', 'lostInput', 'total']);
    expect(JSON.parse(r.stdout).findings).toHaveLength(file.total);
    expect(r.stderr).toMatch(/ {2}findings: \d/);
  });
});
