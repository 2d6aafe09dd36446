/**
 * Writing the proposal into a repository (`--out FILE`), so that the pull request's diff is the
 * review: an existing JSON policy file is updated in place (its indentation kept, so only the
 * permissions show as changed); split policies get one file per document (`FILE`, `FILE-2` …),
 * and numbered files left over from an earlier, larger split are removed.
 *
 * `--out-dir DIR` writes the same numbered documents as `DIR/<policy name>.json`, each exactly the
 * canonical single-policy output, plus `DIR/manifest.json` (docs/apply.md): what each file is,
 * its size against the quota, and what it replaces.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

import { DEFAULT_QUOTAS, policySize } from '../generate';
import type { PolicyDocument, PolicyRef } from '../model';
import { renderCanonicalJson, renderPolicyJson } from '../render';
import type { CliIo } from './io';
import { OutputError, writeFileAtomic, writeOutput } from './output';

/** The indentation of an existing JSON file (2 spaces when unknown or the file is new). */
async function indentOf(file: string): Promise<string | number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return 2;
  }
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? m[1] : 2;
}

function reindent(json: string, indent: string | number): string {
  return indent === 2 ? json : `${JSON.stringify(JSON.parse(json), null, indent)}\n`;
}

/** `policy.json`, 2 → `policy-2.json`. */
export function numberedPath(file: string, n: number): string {
  if (n === 1) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${n}${ext}`;
}

/**
 * Writes each document to its own file and returns the paths written and removed.
 */
export async function writePolicyFiles(
  io: CliIo,
  out: string,
  policies: readonly PolicyDocument[],
): Promise<{ written: string[]; removed: string[] }> {
  const written: string[] = [];
  for (let i = 0; i < policies.length; i++) {
    const file = numberedPath(out, i + 1);
    await writeOutput(io, file, reindent(renderPolicyJson(policies[i]), await indentOf(file)));
    written.push(file);
  }
  return { written, removed: await removeStaleNumbered(out, policies.length) };
}

/**
 * Removes the numbered siblings of `out` (`FILE-N` for N beyond `count`) that an earlier, larger
 * split left: they would still grant what they hold. Returns the paths removed.
 */
async function removeStaleNumbered(out: string, count: number): Promise<string[]> {
  const dir = path.dirname(out);
  const ext = path.extname(out);
  const stem = path.basename(out, ext);
  const pattern = new RegExp(
    `^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)${ext.replace('.', '\\.')}$`,
  );
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    names = [];
  }
  for (const name of names.sort()) {
    const m = pattern.exec(name);
    if (m && Number(m[1]) > count && Number(m[1]) >= 2) {
      await rm(path.join(dir, name));
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}

/** What `--out-dir` writes the documents for. */
export interface OutDirInput {
  policies: readonly PolicyDocument[];
  /** `NAME`, `NAME-2` … (one per document). */
  policyNames: readonly string[];
  /** Inline role policies instead of customer managed policies. */
  inline: boolean;
  target: { display: string; function?: string; role?: string; roleArn?: string };
  /** The role's current identity policies, when the account state holds them. */
  current?: { policies: readonly PolicyRef[]; unknown: readonly string[] };
}

/** One document of `manifest.json`. */
export interface ManifestFile {
  file: string;
  policyName: string;
  statements: number;
  /** Characters as IAM counts them (no whitespace). */
  characters: number;
}

/** `manifest.json` of `--out-dir` (docs/apply.md). */
export interface OutDirManifest {
  manifestVersion: 1;
  target: OutDirInput['target'];
  /** `managed`: customer managed policies to attach; `inline`: inline policies of the role. */
  policyType: 'managed' | 'inline';
  quota: {
    /** Characters per document (managed) or of all inline documents of the role (inline). */
    characters: number;
    per: 'policy' | 'role';
    /** Managed policies a role may have attached (the default quota). */
    managedPoliciesPerRole?: number;
  };
  files: ManifestFile[];
  totalCharacters: number;
  /** Every document within the size quota, and (managed) no more documents than the role may attach. */
  withinQuota: boolean;
  /**
   * The role's current identity policies that the documents replace, and what to do with each
   * once the new ones are in place; null when the account state was not read.
   */
  replaces: {
    policies: (Pick<PolicyRef, 'kind' | 'name' | 'arn'> & {
      afterApply: 'detach' | 'delete' | 'new-version' | 'overwritten';
    })[];
    /** Attached policies whose document is unknown (not in the account state). */
    unknownDocuments: string[];
  } | null;
}

/** The manifest of `--out-dir` (pure; the same input gives the same bytes). */
export function outDirManifest(input: OutDirInput): OutDirManifest {
  const names = new Set(input.policyNames);
  const files = input.policies.map((doc, i) => ({
    file: `${input.policyNames[i]}.json`,
    policyName: input.policyNames[i],
    statements: doc.Statement.length,
    characters: policySize(doc),
  }));
  const totalCharacters = files.reduce((n, f) => n + f.characters, 0);
  const withinQuota = input.inline
    ? totalCharacters <= DEFAULT_QUOTAS.inlinePolicySizePerRole
    : files.length <= DEFAULT_QUOTAS.managedPoliciesPerRole &&
      files.every((f) => f.characters <= DEFAULT_QUOTAS.managedPolicySize);
  const afterApply = (ref: PolicyRef): 'detach' | 'delete' | 'new-version' | 'overwritten' => {
    if (ref.kind === 'inline') return input.inline && names.has(ref.name) ? 'overwritten' : 'delete';
    return ref.kind === 'managed' && !input.inline && names.has(ref.name) ? 'new-version' : 'detach';
  };
  return {
    manifestVersion: 1,
    target: input.target,
    policyType: input.inline ? 'inline' : 'managed',
    quota: input.inline
      ? { characters: DEFAULT_QUOTAS.inlinePolicySizePerRole, per: 'role' }
      : {
          characters: DEFAULT_QUOTAS.managedPolicySize,
          per: 'policy',
          managedPoliciesPerRole: DEFAULT_QUOTAS.managedPoliciesPerRole,
        },
    files,
    totalCharacters,
    withinQuota,
    replaces: input.current
      ? {
          policies: input.current.policies
            .filter((r) => r.kind !== 'boundary')
            .map((r) => ({
              kind: r.kind,
              name: r.name,
              ...(r.arn !== undefined ? { arn: r.arn } : {}),
              afterApply: afterApply(r),
            }))
            .sort((a, b) =>
              a.name < b.name ? -1 : a.name > b.name ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0,
            ),
          unknownDocuments: [...input.current.unknown].sort(),
        }
      : null,
  };
}

/**
 * `--out-dir DIR`: one canonical IAM policy document per split policy (`DIR/NAME.json`,
 * `DIR/NAME-2.json` …, named like `--out`'s numbered files), stale numbered documents of an
 * earlier, larger split removed, then `DIR/manifest.json`. Each file is written atomically.
 */
export async function writePolicyDir(
  dir: string,
  input: OutDirInput,
): Promise<{ written: string[]; removed: string[]; manifest: OutDirManifest }> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new OutputError(`cannot create --out-dir ${dir}: ${(e as Error).message}`, { cause: e });
  }
  const base = path.join(dir, `${input.policyNames[0]}.json`);
  const written: string[] = [];
  for (let i = 0; i < input.policies.length; i++) {
    const file = numberedPath(base, i + 1);
    await writeFileAtomic(file, renderPolicyJson(input.policies[i]));
    written.push(file);
  }
  const removed = await removeStaleNumbered(base, input.policies.length);
  const manifest = outDirManifest(input);
  await writeFileAtomic(path.join(dir, 'manifest.json'), renderCanonicalJson(manifest));
  return { written, removed, manifest };
}
