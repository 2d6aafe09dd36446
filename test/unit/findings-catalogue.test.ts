import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Every finding code the source can emit is documented in docs/findings.md, and every code the
 * source writes is one of the model's codes (the catalogue and the code cannot drift apart).
 */
const ROOT = path.resolve(__dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('findings catalogue', () => {
  const model = readFileSync(path.join(ROOT, 'src/model/findings.ts'), 'utf8');
  const codes = [...model.matchAll(/\| '(PT-[A-Z-]+)'/g)].map((m) => m[1]);
  const catalogue = readFileSync(path.join(ROOT, 'docs/findings.md'), 'utf8');
  // The audit's rule ids (PT-AUDIT-…) are not findings of generate and report: docs/audit.md
  // holds them, checked by test/unit/audit/catalogue.test.ts.
  const emitted = new Set(
    tsFiles(path.join(ROOT, 'src')).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/['`](PT-[A-Z]+(?:-[A-Z]+)*)[['`]/g)]
        .map((m) => m[1])
        .filter((code) => !code.startsWith('PT-AUDIT-')),
    ),
  );

  it('has codes to check', () => {
    expect(codes.length).toBeGreaterThan(20);
  });

  it.each(codes)('%s is documented in docs/findings.md', (code) => {
    expect(catalogue).toContain(`\`${code}[`);
  });

  it('every code written in src is a model code, and every model code is written somewhere', () => {
    expect([...emitted].filter((c) => !codes.includes(c)).sort()).toEqual([]);
    expect(codes.filter((c) => !emitted.has(c)).sort()).toEqual([]);
  });
});
