import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateSample, SAMPLE_TRAIL } from '../helpers/cli';

/** The samples' trail as a trail with management events only (data event selectors off). */
function managementOnlyCopy(into: string): void {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
    );
  for (const file of walk(SAMPLE_TRAIL)) {
    if (!file.endsWith('.json.gz') || file.includes('CloudTrail-Digest')) continue;
    const doc = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
    doc.Records = doc.Records.filter((r: { eventCategory?: string }) => r.eventCategory !== 'Data');
    const out = path.join(into, path.relative(SAMPLE_TRAIL, file));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, gzipSync(JSON.stringify(doc)));
  }
}

describe('what the trail cannot show is said, not silently dropped', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pt-mgmt-'));
    managementOnlyCopy(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a trail without S3 data events: "S3 object-level access cannot be seen"', () => {
    // Given image-resizer (reads and writes S3 objects) and a trail of management events only
    const r = generateSample('image-resizer', [], dir);
    // Then the summary says why, and the object access the role has today is kept, as granted
    // today (no data is not evidence), in its own statement
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/PT-NOT-OBSERVABLE\[s3-object\]/);
    expect(r.stderr).toMatch(/S3 object-level access cannot be seen/);
    const statements = JSON.parse(r.stdout).Statement as {
      Sid: string;
      Action: string[];
      Resource: string[];
    }[];
    const kept = statements.filter((s) => s.Sid.startsWith('KeptNotObservable'));
    expect(kept).toHaveLength(1);
    expect(kept[0].Action).toContain('s3:GetObject');
    expect(kept[0].Resource).toEqual(['*']);
    expect(r.stderr).toMatch(/not observable \(kept\)/);
  });

  it('--drop-unobservable removes it knowingly, and says so', () => {
    const r = generateSample('image-resizer', ['--drop-unobservable'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('s3:GetObject');
    expect(r.stderr).toMatch(/PT-UNOBSERVABLE-DROPPED\[s3-object\]/);
  });

  it('with data events in the trail, no such finding', () => {
    const r = generateSample('image-resizer');
    expect(r.stderr).not.toMatch(/PT-NOT-OBSERVABLE\[s3-object\]/);
  });
});
