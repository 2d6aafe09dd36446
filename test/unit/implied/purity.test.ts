import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** src/implied and src/observability are pure: no AWS SDK, no filesystem, no process. */
const FORBIDDEN =
  /^(@aws-sdk\/|node:fs|fs$|fs\/|node:zlib|zlib$|node:child_process|child_process$|node:process|process$|node:worker_threads)/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('purity of implied and observability', () => {
  const src = path.resolve(__dirname, '../../../src');
  const all = ['implied', 'observability'].flatMap((d) => files(path.join(src, d)));

  it('has files to check', () => expect(all.length).toBeGreaterThanOrEqual(4));

  it.each(all.map((f) => [path.relative(src, f), f]))(
    '%s imports no AWS SDK, filesystem or process',
    (_r, file) => {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map(
        (m) => m[1],
      );
      expect(imports.filter((i) => FORBIDDEN.test(i))).toEqual([]);
      expect(text).not.toMatch(/\bprocess\.(env|argv|exit|cwd|stdout|stderr)/);
    },
  );

  it('data files carry provenance', () => {
    for (const d of ['implied', 'observability']) {
      for (const f of readdirSync(path.join(src, d, 'data')).filter((n) => n.endsWith('.json'))) {
        const json = JSON.parse(readFileSync(path.join(src, d, 'data', f), 'utf8')) as Record<
          string,
          unknown
        >;
        expect(typeof json._source).toBe('string');
        expect(typeof json._licence).toBe('string');
      }
    }
  });
});
