import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import requiredData from '../../src/analyze/data/required-fields.json';
import { normaliseEventName } from '../../src/analyze/normalise';
import { loadCatalog, type Catalog } from '../../src/catalog/catalog';
import { runGenerate } from '../../src/pipeline/run-generate';
import { renderPolicyJson } from '../../src/render';
import { SAMPLE_ACCOUNT, SAMPLE_TRAIL, sampleRecordsOf, type SampleRecord } from '../helpers/cli';

/**
 * A damaged or forged record never widens a policy: a malformed copy of a real event of the
 * function (a field its API requires removed, `resources` or `requestParameters` of the wrong
 * shape, a wrong-typed or wildcard resource name) added to the trail leaves the policy byte for
 * byte as it was, and the result says it is partial.
 */
const REQUIRED = requiredData.events as Record<string, Record<string, string[]>>;
type Rec = SampleRecord;

const FUNCTION = 'orders-api';
const records: Rec[] = sampleRecordsOf(FUNCTION).filter((r) => !r.errorCode);

type Mutation = (r: Rec) => Rec | undefined;
const MUTATIONS: Record<string, Mutation> = {
  'a field its API requires removed': (r) => {
    const f = REQUIRED[String(r.eventSource)]?.[normaliseEventName(String(r.eventName))]?.[0];
    if (!f || !r.requestParameters) return undefined;
    const rp = { ...r.requestParameters };
    delete rp[f];
    return { ...r, requestParameters: rp };
  },
  'resources not a list': (r) => ({ ...r, resources: 'arn:aws:dynamodb:us-east-1:111122223333:table/*' }),
  'requestParameters not an object': (r) => ({ ...r, requestParameters: 'tableName=*' as unknown as null }),
  'a resource name of the wrong type': (r) => {
    const f = REQUIRED[String(r.eventSource)]?.[normaliseEventName(String(r.eventName))]?.[0];
    if (!f || !r.requestParameters) return undefined;
    return { ...r, requestParameters: { ...r.requestParameters, [f]: 42 } };
  },
  'a wildcard in the resources ARN': (r) =>
    Array.isArray(r.resources) && r.resources.length > 0
      ? {
          ...r,
          resources: [
            { type: 'AWS::DynamoDB::Table', ARN: 'arn:aws:dynamodb:us-east-1:111122223333:table/*' },
          ],
        }
      : undefined,
};

describe('malformed copies of real events never change the policy', () => {
  let dir: string;
  let catalog: Catalog;
  let baseline: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'pt-malformed-'));
    catalog = await loadCatalog();
    const r = await runGenerate({
      function: FUNCTION,
      trails: [SAMPLE_TRAIL],
      accountSnapshot: SAMPLE_ACCOUNT,
      window: { since: new Date('2026-11-01'), until: new Date('2026-12-01') },
      catalog,
    });
    baseline = renderPolicyJson({ policies: r.policies });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('for any event of the function and any damage', async () => {
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: records.length - 1 }),
        fc.constantFrom(...Object.keys(MUTATIONS)),
        async (i, m) => {
          const copy = MUTATIONS[m](records[i]);
          if (!copy) return;
          tried++;
          const file = path.join(dir, `bad-${i}-${m.replace(/\W+/g, '-')}.json`);
          writeFileSync(
            file,
            JSON.stringify({ Records: [{ ...copy, eventID: 'ffffffff-ffff-4fff-8fff-ffffffffffff' }] }),
          );
          const r = await runGenerate({
            function: FUNCTION,
            trails: [SAMPLE_TRAIL, file],
            accountSnapshot: SAMPLE_ACCOUNT,
            window: { since: new Date('2026-11-01'), until: new Date('2026-12-01') },
            catalog,
          });
          rmSync(file);
          expect(
            `${m}: ${renderPolicyJson({ policies: r.policies }) === baseline ? 'unchanged' : 'CHANGED'}`,
          ).toBe(`${m}: unchanged`);
          expect(`${m}: partial ${r.partial}`).toBe(`${m}: partial true`);
        },
      ),
      { numRuns: 40, seed: 20261201 },
    );
    expect(tried).toBeGreaterThan(20);
  });
});
