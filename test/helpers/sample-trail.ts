import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGenerate } from '../../src/pipeline/run-generate';
import { renderPolicyJson } from '../../src/render';
import { SAMPLE_ACCOUNT } from './cli';

/**
 * What the query-source tests (Athena, Logs Insights, Lake) compare with: the samples' records in
 * one trail file, and the policy `generate` makes from that file for each function.
 */

/** The samples' window and the run's `now`. */
export const QUERY_WINDOW = {
  since: new Date('2026-11-01T00:00:00Z'),
  until: new Date('2026-12-01T00:00:00Z'),
};
export const QUERY_NOW = new Date('2026-12-01T00:00:00Z');

/** Every function of the samples. */
export const SAMPLE_FUNCTIONS = [
  'orders-api',
  'image-resizer',
  'report-weekly',
  'report-daily',
  'ingest-backfill',
  'legacy-cron',
];

/** The options of a `generate` run over the samples, but for its function and trail. */
export const QUERY_BASE = { accountSnapshot: SAMPLE_ACCOUNT, window: QUERY_WINDOW, now: QUERY_NOW };

export interface SampleTrailFile {
  file: string;
  /** The policy documents `generate` makes from the file for `fn`, as JSON (made once per function). */
  policyOf(fn: string): Promise<string>;
  remove(): void;
}

/** `records` written as one delivery file in a fresh folder. */
export function sampleTrailFile(records: unknown[]): SampleTrailFile {
  const dir = mkdtempSync(path.join(tmpdir(), 'pt-sample-trail-'));
  const file = path.join(dir, 'trail.json');
  writeFileSync(file, JSON.stringify({ Records: records }));
  const made = new Map<string, Promise<string>>();
  return {
    file,
    policyOf(fn) {
      let p = made.get(fn);
      if (!p) {
        p = runGenerate({ ...QUERY_BASE, function: fn, trails: [file] }).then((r) =>
          r.policies.map((d) => renderPolicyJson(d)).join('\n'),
        );
        made.set(fn, p);
      }
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
