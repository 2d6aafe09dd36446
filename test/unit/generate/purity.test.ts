import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../helpers/cli';

/** The generator is a pure core (STYLE §3.1) and the AGPL simulator stays out of src/. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

describe('src/generate imports', () => {
  it.each(files(path.join(ROOT, 'src', 'generate')).map((f) => path.relative(ROOT, f)))(
    '%s is pure',
    (file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const imports = Array.from(text.matchAll(/from '([^']+)'/g), (m) => m[1]);
      expect(
        imports.filter((i) => /^(node:)?(fs|child_process|zlib)|^@aws-sdk\/|iam-simulate/.test(i)),
      ).toEqual([]);
      expect(text).not.toMatch(/\bprocess\./);
    },
  );

  it('no file of src/ imports @cloud-copilot/iam-simulate (AGPL, tests only)', () => {
    const offenders = files(path.join(ROOT, 'src')).filter((f) =>
      /(from|import|require\()\s*\(?'@cloud-copilot\/iam-simulate/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
