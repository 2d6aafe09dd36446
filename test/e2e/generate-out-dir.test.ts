import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PolicyDocument } from '../../src/model';
import { generateSample, sampleRecordsOf } from '../helpers/cli';
import { replayRecords } from '../helpers/replay';
import { sampleUsage } from '../unit/generate/samples-helper';

/** `generate --out-dir DIR` (docs/apply.md): one IAM document per policy and a manifest. */

interface Manifest {
  manifestVersion: number;
  target: { display: string; function?: string; role?: string; roleArn?: string };
  policyType: 'managed' | 'inline';
  quota: { characters: number; per: string; managedPoliciesPerRole?: number };
  files: { file: string; policyName: string; statements: number; characters: number }[];
  totalCharacters: number;
  withinQuota: boolean;
  replaces: {
    policies: { kind: string; name: string; arn?: string; afterApply: string }[];
    unknownDocuments: string[];
  } | null;
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'pt-outdir-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file of the directory, with its bytes. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
  );
}

/** Checks that `text` is exactly a canonical IAM policy document and returns it. */
function policyDocument(text: string): PolicyDocument {
  const doc = JSON.parse(text) as PolicyDocument;
  expect(Object.keys(doc)).toEqual(['Version', 'Statement']);
  expect(doc.Version).toBe('2012-10-17');
  expect(Array.isArray(doc.Statement) && doc.Statement.length > 0).toBe(true);
  for (const s of doc.Statement) {
    expect(['Allow', 'Deny']).toContain(s.Effect);
    expect(Object.keys(s)[0]).toBe('Sid');
  }
  // The canonical rendering of the single-policy output: 2-space indent, trailing newline
  expect(text).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  return doc;
}

describe('generate --out-dir (spawned CLI)', () => {
  it('a split result: one valid IAM document per policy, a matching manifest, every call still allowed', async () => {
    // Given image-resizer at exact granularity, which needs 7 managed policies
    const dir = path.join(root, 'policies', 'image-resizer');
    const r = generateSample('image-resizer', ['--granularity', 'exact', '--out-dir', dir]);
    expect(r.stderr).toContain(`wrote 7 policy documents and manifest.json to ${dir}`);
    expect(r.status).toBe(0);
    // Then the policy goes to the directory, not to stdout
    expect(r.stdout).toBe('');
    const files = filesOf(dir);
    const names = [
      'image-resizer-least-privilege',
      ...[2, 3, 4, 5, 6, 7].map((n) => `image-resizer-least-privilege-${n}`),
    ];
    expect(Object.keys(files)).toEqual([...names.map((n) => `${n}.json`), 'manifest.json'].sort());
    const docs = names.map((n) => policyDocument(files[`${n}.json`]));

    // And the manifest describes each file against the managed quota and what it replaces
    const manifest = JSON.parse(files['manifest.json']) as Manifest;
    expect(manifest).toMatchObject({
      manifestVersion: 1,
      policyType: 'managed',
      quota: { characters: 6144, per: 'policy', managedPoliciesPerRole: 10 },
      withinQuota: true,
      target: {
        function: 'image-resizer',
        role: 'image-resizer-role',
        roleArn: 'arn:aws:iam::111122223333:role/image-resizer-role',
      },
    });
    expect(manifest.files).toEqual(
      names.map((n, i) => ({
        file: `${n}.json`,
        policyName: n,
        statements: docs[i].Statement.length,
        characters: JSON.stringify(docs[i]).length,
      })),
    );
    for (const f of manifest.files) expect(f.characters).toBeLessThanOrEqual(6144);
    expect(manifest.totalCharacters).toBe(manifest.files.reduce((n, f) => n + f.characters, 0));
    expect(manifest.replaces).toEqual({
      policies: [
        {
          kind: 'aws-managed',
          name: 'AWSLambdaBasicExecutionRole',
          arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          afterApply: 'detach',
        },
        {
          kind: 'aws-managed',
          name: 'AWSLambdaSQSQueueExecutionRole',
          arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
          afterApply: 'detach',
        },
        { kind: 'inline', name: 'config', afterApply: 'delete' },
        { kind: 'inline', name: 's3-access', afterApply: 'delete' },
      ],
      unknownDocuments: [],
    });

    // And the documents are exactly the split that `--format json` prints
    const printed = generateSample('image-resizer', ['--granularity', 'exact']);
    expect((JSON.parse(printed.stdout) as { policies: PolicyDocument[] }).policies).toEqual(docs);

    // And their union allows every successful call of the trail (iam-simulate, independent)
    const { usage, catalog } = await sampleUsage('image-resizer');
    const replay = await replayRecords(sampleRecordsOf('image-resizer'), docs, usage, catalog);
    expect(replay.checked).toBeGreaterThan(100);
    expect(replay.denied).toEqual([]);
  });

  it('--inline: one inline document, sized against the role quota; same bytes on a second run', () => {
    const dir = path.join(root, 'out');
    const a = generateSample('orders-api', ['--inline', '--out-dir', dir]);
    expect(a.status).toBe(0);
    const first = filesOf(dir);
    expect(Object.keys(first)).toEqual(['manifest.json', 'orders-api-least-privilege.json']);
    const doc = policyDocument(first['orders-api-least-privilege.json']);
    const manifest = JSON.parse(first['manifest.json']) as Manifest;
    expect(manifest.policyType).toBe('inline');
    expect(manifest.quota).toEqual({ characters: 10240, per: 'role' });
    expect(manifest.files).toEqual([
      {
        file: 'orders-api-least-privilege.json',
        policyName: 'orders-api-least-privilege',
        statements: doc.Statement.length,
        characters: JSON.stringify(doc).length,
      },
    ]);
    // The document is the single-policy output, byte for byte
    expect(first['orders-api-least-privilege.json']).toBe(generateSample('orders-api', ['--inline']).stdout);
    // Deterministic: the same input gives the same bytes, with no timestamp
    generateSample('orders-api', ['--inline', '--out-dir', dir]);
    expect(filesOf(dir)).toEqual(first);
  });

  it('removes numbered documents left by an earlier, larger split', () => {
    const dir = path.join(root, 'out');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'image-resizer-least-privilege-2.json'), '{}');
    writeFileSync(path.join(dir, 'unrelated.json'), '{}');
    const r = generateSample('image-resizer', ['--out-dir', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('removed stale');
    expect(Object.keys(filesOf(dir))).toEqual([
      'image-resizer-least-privilege.json',
      'manifest.json',
      'unrelated.json',
    ]);
  });

  it.each<[string, (root: string) => string, RegExp]>([
    [
      'a file',
      (r) => {
        writeFileSync(path.join(r, 'f'), '');
        return path.join(r, 'f');
      },
      /--out-dir .* is a file, not a directory/,
    ],
    [
      'under a file',
      (r) => {
        writeFileSync(path.join(r, 'f'), '');
        return path.join(r, 'f', 'sub');
      },
      /--out-dir ".*": ".*" is a file, not a directory/,
    ],
  ])('rejects a directory that is %s before reading the trail (exit 2)', (_, make, message) => {
    const r = generateSample('orders-api', ['--out-dir', make(root)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    // Before the analysis: no summary was printed
    expect(r.stderr).not.toContain('policy-tighten generate: function');
  });

  it('--out-dir conflicts with --out (exit 2)', () => {
    const r = generateSample('orders-api', [
      '--out-dir',
      path.join(root, 'd'),
      '--out',
      path.join(root, 'p.json'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/out-dir.*out|out.*out-dir/);
  });

  it('leaves no temp file behind when a document cannot be written (exit 1)', () => {
    const dir = path.join(root, 'out');
    // A directory where the policy file should go: the rename fails
    mkdirSync(path.join(dir, 'orders-api-least-privilege.json'), { recursive: true });
    const r = generateSample('orders-api', ['--out-dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot write');
    expect(readdirSync(dir)).toEqual(['orders-api-least-privilege.json']);
  });
});
