import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CORPORA, describeWithCorpora } from '../helpers/corpora';
import { reportSample, runCli, SAMPLE_ACCOUNT, SAMPLE_TRAIL } from '../helpers/cli';
import { expectGolden } from '../helpers/golden';

/**
 * `policy-tighten report --unused` end to end on the samples: golden JSON and Markdown
 * (test/golden/report/; `UPDATE_GOLDEN=1` rewrites them, a missing one fails), exit codes, and
 * the report over a real account's authorization details.
 */

const report = (extra: string[]) => reportSample(extra);

function golden(name: string, text: string): void {
  expectGolden('report', name, text);
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'pt-report-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('report --unused on the samples', () => {
  it.each([
    ['json', 'samples.json'],
    ['markdown', 'samples.md'],
  ])('--format %s matches its golden file, exit 0', (format, file) => {
    const r = report(['--format', format]);
    expect(r.stderr).toMatch(/unused: 2 of 8 roles, 1 of 8 functions; not judged: 4; shared roles: 1/);
    expect(r.status).toBe(0);
    golden(file, r.stdout);
  });

  it('the JSON holds the contract: unusedRoles and unusedFunctions with name, arn, lastActivity, reason', () => {
    const j = JSON.parse(report(['--format', 'json']).stdout);
    for (const item of [...j.unusedRoles, ...j.unusedFunctions]) {
      expect(typeof item.name).toBe('string');
      expect(item.arn).toMatch(/^arn:aws:/);
      expect(item.lastActivity === null || !Number.isNaN(Date.parse(item.lastActivity))).toBe(true);
      expect(item.reason.length).toBeGreaterThan(10);
    }
    expect(j.unusedRoles.map((r: { name: string }) => r.name)).toEqual([
      'etl-legacy-role',
      'legacy-cron-role',
    ]);
    expect(j.unusedFunctions.map((r: { name: string }) => r.name)).toEqual(['legacy-cron']);
  });

  it('same input, same bytes; --out writes the same report', () => {
    const a = report(['--format', 'json']).stdout;
    const out = path.join(tmp, 'r.json');
    expect(report(['--format', 'json', '--out', out]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(a);
    expect(report(['--format', 'json']).stdout).toBe(a);
  });

  it('--fail-on-unused exits 7 when something is unused', () => {
    expect(report(['--fail-on-unused']).status).toBe(7);
  });

  it('a window without events is no data: exit 6, said in one line, never "everything is unused"', () => {
    const r = reportSample([], { window: ['2026-11-10', '2026-11-20'] });
    expect(r.status).toBe(6);
    expect(r.stderr).toMatch(/NO DATA: no event of the trail lies in the window/);
  });

  it('usage errors: no --unused, no snapshot (exit 2)', () => {
    expect(runCli(['report', '--trail', SAMPLE_TRAIL, '--account-snapshot', SAMPLE_ACCOUNT]).status).toBe(2);
    const r = runCli(['report', '--unused', '--trail', SAMPLE_TRAIL, '--offline']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--account-snapshot/);
  });
});

describeWithCorpora(
  'report --unused over a real account (cloudsplaining example authorization details)',
  () => {
    it('runs and classifies every role by its evidence', () => {
      const account = path.join(tmp, 'cloudsplaining');
      mkdirSync(account, { recursive: true });
      copyFileSync(
        path.join(CORPORA, 'cloudsplaining-authz-details', 'examples', 'files', 'example.json'),
        path.join(account, 'authorization-details.json'),
      );
      const trail = path.join(tmp, 'empty-trail');
      mkdirSync(trail, { recursive: true });
      writeFileSync(path.join(trail, 'empty.json'), '{"Records":[]}');
      const r = reportSample(['--format', 'json'], { trail, account, window: ['2022-07-01', '2022-10-01'] });
      // No event in the window: the report still says what IAM's RoleLastUsed shows, and exits 6.
      expect(r.status).toBe(6);
      const j = JSON.parse(r.stdout);
      const auth = JSON.parse(readFileSync(path.join(account, 'authorization-details.json'), 'utf8'));
      const judged = auth.RoleDetailList.filter(
        (x: { Path: string }) => !x.Path.startsWith('/aws-service-role/'),
      );
      expect(j.summary.roles).toBe(judged.length);
      expect(j.unusedRoles.length + j.rolesNotJudged.length).toBe(judged.length);
      expect(j.unusedRoles.length).toBeGreaterThan(0);
      expect(j.rolesNotJudged.length).toBeGreaterThan(0);
      expect(j.unusedPermissions.length).toBeGreaterThan(0);
    });
  },
);
