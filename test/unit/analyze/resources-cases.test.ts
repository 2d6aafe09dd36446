/**
 * Walks the resource case table `test/cases/resources/*.json`: each file is an array of
 * `{ name, event, expected }` where `expected` gives the exact permissions (action + resource),
 * finding codes, correlation keys and wildcard reasons of `*` resources, what the event
 * `provides`, and for rejections the field named (and a value that must never be echoed).
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { createMapper, type Mapper } from '../../../src/analyze';
import { loadCatalog } from '../../../src/catalog';
import type { Correlation, MappingResult } from '../../../src/model/mapping';
import type { TrailEvent } from '../../../src/model/trail-event';

interface ExpectedPermission {
  action: string;
  resource: string;
  correlationKey?: string;
  wildcardReason?: string;
}

interface ResourceCase {
  name: string;
  event: TrailEvent;
  expected: {
    kind: MappingResult['kind'];
    permissions?: ExpectedPermission[];
    findingCodes?: string[];
    provides?: Correlation[];
    /** Rejections: the field the finding names. */
    field?: string;
    /** Text that must not appear in any finding message or wildcard reason (the hostile value). */
    neverEcho?: string;
  };
}

const dir = join(__dirname, '..', '..', 'cases', 'resources');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const all = files.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as ResourceCase[]] as const);

let mapper: Mapper;
beforeAll(async () => {
  mapper = createMapper(await loadCatalog());
});

function findingCodes(r: MappingResult): string[] {
  if (r.kind === 'mapped') return r.findings.map((f) => f.code).sort();
  if (r.kind === 'unmapped' || r.kind === 'rejected') return [r.finding.code];
  return [];
}

function messages(r: MappingResult): string[] {
  if (r.kind === 'mapped')
    return [...r.findings.map((f) => f.message), ...r.permissions.map((p) => p.wildcardReason ?? '')];
  if (r.kind === 'unmapped' || r.kind === 'rejected') return [r.finding.message, r.finding.id];
  return [];
}

const byKey = (a: ExpectedPermission, b: ExpectedPermission): number =>
  `${a.action} ${a.resource} ${a.correlationKey ?? ''}`.localeCompare(
    `${b.action} ${b.resource} ${b.correlationKey ?? ''}`,
  );

test('the resource case table has at least 80 cases', () => {
  expect(all.reduce((n, [, cases]) => n + cases.length, 0)).toBeGreaterThanOrEqual(80);
});

test('case names are unique', () => {
  const names = all.flatMap(([f, cases]) => cases.map((c) => `${f}:${c.name}`));
  expect(new Set(names).size).toBe(names.length);
});

for (const [file, cases] of all) {
  describe(file, () => {
    for (const c of cases) {
      test(c.name, async () => {
        await mapper.prepare(c.event);
        const r = mapper.map(c.event);
        expect([r.kind, r.kind === 'rejected' || r.kind === 'unmapped' ? r.finding.message : '']).toEqual([
          c.expected.kind,
          expect.any(String),
        ]);
        if (c.expected.permissions) {
          const got =
            r.kind === 'mapped'
              ? r.permissions.map((p) => {
                  const e: ExpectedPermission = { action: p.action, resource: p.resource };
                  if (p.correlationKey) e.correlationKey = p.correlationKey;
                  if (p.correlationKey && p.wildcardReason) e.wildcardReason = p.wildcardReason;
                  return e;
                })
              : [];
          expect(got.sort(byKey)).toEqual([...c.expected.permissions].sort(byKey));
        }
        if (c.expected.findingCodes) expect(findingCodes(r)).toEqual([...c.expected.findingCodes].sort());
        if (c.expected.provides) {
          expect(r.kind === 'mapped' ? (r.provides ?? []) : []).toEqual(c.expected.provides);
        } else if (r.kind === 'mapped') {
          expect(r.provides ?? []).toEqual([]);
        }
        if (r.kind === 'mapped') {
          for (const p of r.permissions) expect(p.resource === '*').toBe(p.wildcardReason !== undefined);
          for (const f of r.findings) expect(f.sampleEventIds).toEqual([c.event.eventId]);
        }
        if (c.expected.field) {
          expect(r.kind).toBe('rejected');
          if (r.kind === 'rejected') expect(r.finding.message).toContain(c.expected.field);
        }
        if (c.expected.neverEcho) {
          for (const m of messages(r)) expect(m).not.toContain(c.expected.neverEcho);
        }
      });
    }
  });
}
