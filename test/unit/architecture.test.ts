import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The pure core takes values and returns values: no AWS SDK, no filesystem, no process. This
 * keeps it testable without fakes and lets parallel workers and other hosts reuse it.
 */
const PURE = [
  'analyze',
  'generate',
  'diff',
  'render',
  'usage',
  'attribution',
  'model',
  'implied',
  'observability',
  'report',
  'audit',
];
const FORBIDDEN =
  /^(@aws-sdk\/|node:fs|fs$|fs\/|node:zlib|zlib$|node:child_process|child_process$|node:process|process$|node:worker_threads)/;

function tsFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('architecture', () => {
  const src = path.resolve(__dirname, '../../src');
  const files = PURE.flatMap((d) => {
    try {
      return tsFiles(path.join(src, d));
    } catch {
      return [];
    }
  });

  it('has pure-core files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [path.relative(src, f), f]))(
    '%s imports no AWS SDK, filesystem or process',
    (_rel, file) => {
      const text = readFileSync(file, 'utf8');
      const imports = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map(
        (m) => m[1],
      );
      expect(imports.filter((i) => FORBIDDEN.test(i))).toEqual([]);
      expect(text).not.toMatch(/\bprocess\.(env|argv|exit|cwd|stdout|stderr)/);
    },
  );
});

describe('licences and provenance', () => {
  const src = path.resolve(__dirname, '../../src');
  const all = tsFiles(src);

  it('shipped code imports no AGPL @cloud-copilot package (only the MIT iam-data; iam-simulate is for tests)', () => {
    const offenders = all.filter((f) =>
      /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]@cloud-copilot\/(?!iam-data['"/])/.test(
        readFileSync(f, 'utf8'),
      ),
    );
    expect(offenders.map((f) => path.relative(src, f))).toEqual([]);
  });

  const dataFiles = all.length
    ? (function find(dir: string): string[] {
        return readdirSync(dir).flatMap((name) => {
          const p = path.join(dir, name);
          if (statSync(p).isDirectory()) return find(p);
          return path.basename(path.dirname(p)) === 'data' && p.endsWith('.json') ? [p] : [];
        });
      })(src)
    : [];

  it('has data files', () => expect(dataFiles.length).toBeGreaterThanOrEqual(5));

  it.each(dataFiles.map((f) => [path.relative(src, f), f]))(
    '%s names its source and licence',
    (_rel, file) => {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(typeof json._source).toBe('string');
      expect(typeof json._licence).toBe('string');
    },
  );
});
