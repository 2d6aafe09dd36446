/**
 * Walks the mapping case table `test/cases/mapping/*.json`: each file is an array of
 * `{ name, event, expected: { kind, permissions?, findingCodes? } }`.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { createMapper, type Mapper } from '../../../src/analyze';
import { loadCatalog } from '../../../src/catalog';
import type { MappingResult } from '../../../src/model/mapping';
import type { TrailEvent } from '../../../src/model/trail-event';

interface MappingCase {
  name: string;
  skip?: boolean;
  event: TrailEvent;
  expected: {
    kind: MappingResult['kind'];
    permissions?: { action: string; resource: string }[];
    findingCodes?: string[];
  };
}

const dir = join(__dirname, '..', '..', 'cases', 'mapping');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

let mapper: Mapper;
beforeAll(async () => {
  mapper = createMapper(await loadCatalog());
});

function findingCodes(r: MappingResult): string[] {
  if (r.kind === 'mapped') return r.findings.map((f) => f.code).sort();
  if (r.kind === 'unmapped' || r.kind === 'rejected') return [r.finding.code];
  return [];
}

const byKey = (a: { action: string; resource: string }, b: { action: string; resource: string }): number =>
  `${a.action} ${a.resource}`.localeCompare(`${b.action} ${b.resource}`);

test('the case table has at least 80 cases', () => {
  const n = files.reduce(
    (acc, f) => acc + (JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown[]).length,
    0,
  );
  expect(n).toBeGreaterThanOrEqual(80);
});

for (const file of files) {
  const cases = JSON.parse(readFileSync(join(dir, file), 'utf8')) as MappingCase[];
  describe(file, () => {
    for (const c of cases) {
      (c.skip ? test.skip : test)(c.name, async () => {
        await mapper.prepare(c.event);
        const r = mapper.map(c.event);
        expect(r.kind).toBe(c.expected.kind);
        if (c.expected.permissions) {
          expect(r.kind === 'mapped').toBe(true);
          const got =
            r.kind === 'mapped' ? r.permissions.map((p) => ({ action: p.action, resource: p.resource })) : [];
          expect(got.sort(byKey)).toEqual([...c.expected.permissions].sort(byKey));
        }
        if (c.expected.findingCodes) expect(findingCodes(r)).toEqual([...c.expected.findingCodes].sort());
        if (r.kind === 'mapped') {
          for (const p of r.permissions) expect(p.resource === '*').toBe(p.wildcardReason !== undefined);
        }
        if (r.kind === 'rejected' || r.kind === 'unmapped') {
          expect(r.finding.sampleEventIds).toEqual([c.event.eventId]);
          expect(r.finding.count).toBe(1);
        }
      });
    }
  });
}
