import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { callsOf, generatePolicies, verifyPolicies, type Granularity } from '../../../src/generate';
import { renderPolicyJson } from '../../../src/render';
import { ROOT, sampleRecordsOf } from '../../helpers/cli';
import { replayRecords } from '../../helpers/replay';
import { simulate } from '../../property/simulate';
import { SAMPLE_FUNCTIONS, sampleUsage } from './samples-helper';

/**
 * Golden policies of the samples at each granularity:
 * test/golden/granularity/<fn>.<granularity>.json. `UPDATE_GOLDEN=1` rewrites them; review the
 * diff like a policy change.
 */
const GOLDEN = path.join(ROOT, 'test', 'golden', 'granularity');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const GRANULARITIES: Granularity[] = ['exact', 'prefix', 'type'];

const cases = SAMPLE_FUNCTIONS.flatMap((fn) => GRANULARITIES.map((g) => [fn, g] as const));

describe('golden policies of the samples per granularity', () => {
  it.each(cases)('%s at %s', async (fn, granularity) => {
    // Given the sample function's usage
    const { usage, catalog } = await sampleUsage(fn);
    // When its policy is generated at this granularity
    const result = generatePolicies(usage, { catalog, granularity });
    const text = renderPolicyJson(
      result.policies.length === 1 ? result.policies[0] : { policies: result.policies },
    );
    // Then it passes self-verification and matches the golden file
    expect(verifyPolicies(result.policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual(
      [],
    );
    const file = path.join(GOLDEN, `${fn}.${granularity}.json`);
    if (UPDATE) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, text);
    }
    // A missing golden fails (UPDATE_GOLDEN=1 writes it).
    expect(existsSync(file)).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it.each(cases)('%s at %s: iam-simulate allows every observed call', async (fn, granularity) => {
    const { usage, catalog } = await sampleUsage(fn);
    const { policies } = generatePolicies(usage, { catalog, granularity });
    // Every successful call with the context AWS evaluates (from the raw record), and what the
    // configuration needs outside any call.
    const { denied } = await replayRecords(sampleRecordsOf(fn), policies, usage, catalog);
    for (const e of Object.values(usage.entries).filter((x) => x.count === 0)) {
      const result = await simulate(policies, e.action, e.resource);
      if (result !== 'Allowed') denied.push(`${e.action} ${e.resource}: ${result}`);
    }
    expect(denied).toEqual([]);
  });

  it('image-resizer at prefix reads incoming/* and writes thumbnails/*: keeps working tomorrow', async () => {
    const { usage, catalog } = await sampleUsage('image-resizer');
    const { policies } = generatePolicies(usage, { catalog });
    const s3 = policies[0].Statement.filter((s) => (s.Action as string[])[0].startsWith('s3:'));
    expect(s3.map((s) => [s.Action, s.Resource])).toEqual([
      [['s3:GetObject'], ['arn:aws:s3:::acme-uploads-111122223333/incoming/*']],
      [['s3:PutObject'], ['arn:aws:s3:::acme-uploads-111122223333/thumbnails/*']],
    ]);
  });

  it('image-resizer at exact needs compaction to fit 10 managed policies, and says so', async () => {
    const { usage, catalog } = await sampleUsage('image-resizer');
    const r = generatePolicies(usage, { catalog, granularity: 'exact' });
    expect(r.policies.length).toBeLessThanOrEqual(10);
    expect(r.findings.some((f) => f.code === 'PT-COMPACTED')).toBe(true);
  });
});
