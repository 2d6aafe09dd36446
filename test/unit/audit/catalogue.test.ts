import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIT_RULES, AUDIT_SEVERITIES } from '../../../src/audit';

/**
 * The audit's rules and docs/audit.md cannot drift: each rule is one file named by its id, each
 * has a section in docs/audit.md, and every section is a rule.
 */
const ROOT = path.resolve(__dirname, '../../..');
const doc = readFileSync(path.join(ROOT, 'docs/audit.md'), 'utf8');
const files = readdirSync(path.join(ROOT, 'src/audit/rules'))
  .filter((f) => f.startsWith('PT-AUDIT-') && f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

describe('audit rules catalogue', () => {
  it('every rule file is a registered rule of the same id, and the other way round', () => {
    expect(AUDIT_RULES.map((r) => r.id)).toEqual(files);
  });

  it('rule ids are unique and sorted', () => {
    const ids = AUDIT_RULES.map((r) => r.id);
    expect(ids).toEqual([...new Set(ids)].sort());
  });

  it.each(AUDIT_RULES.map((r) => [r.id, r] as const))(
    '%s has metadata and a docs/audit.md section',
    (id, rule) => {
      expect(rule.title.length).toBeGreaterThan(5);
      expect(rule.advice.length).toBeGreaterThan(20);
      expect(AUDIT_SEVERITIES).toContain(rule.severity);
      expect(doc).toContain(`## ${id}`);
    },
  );

  it('every docs/audit.md rule section is a rule', () => {
    const sections = [...doc.matchAll(/^## (PT-AUDIT-[A-Z0-9-]+)/gm)].map((m) => m[1]).sort();
    expect(sections).toEqual(files);
  });
});
