import { exitCodeOf } from '../../../src/cli/commands/generate';
import { MAX_LISTED, renderFindingsLines } from '../../../src/cli/summary';
import { applySuppressions, isPartial, unusedSuppressionFindings } from '../../../src/config';
import { callsOf, generatePolicies, verifyPolicies } from '../../../src/generate';
import { compareFindings, type Finding, type Severity } from '../../../src/model';
import { findingsListing, renderFindingsJson, sortFindings } from '../../../src/render';
import { addFinding } from '../../../src/usage';
import { s3obj, table, testCatalog, usageOf } from '../generate/helpers';

const finding = (id: string, severity: Severity = 'warning', count = 1, file?: string): Finding => ({
  id,
  code: id.slice(0, id.indexOf('[')) as Finding['code'],
  severity,
  message: `m ${id}`,
  count,
  sampleEventIds: [],
  ...(file !== undefined ? { file } : {}),
});

/** The exit code of a run with these findings and suppressions (one call attributed, no diff). */
function exitWith(findings: Finding[], suppressions: { id: string; reason: string }[]) {
  const marked = applySuppressions(findings, { suppressions });
  return exitCodeOf({ partial: isPartial(marked), usage: { stats: { attributed: 1 } } }, false);
}

describe('suppressions never hide lost input', () => {
  it.each([
    ['a suppressed unreadable file', [finding('PT-FILE-UNREADABLE[a.json]')], 'PT-FILE-UNREADABLE[*]', 3],
    [
      'a suppressed malformed event',
      [finding('PT-MALFORMED-EVENT[a.json]')],
      'PT-MALFORMED-EVENT[a.json]',
      3,
    ],
    ['a suppressed unmapped event', [finding('PT-UNMAPPED[s3.amazonaws.com:X]')], 'PT-UNMAPPED[*]', 3],
    [
      'a suppressed file not CloudTrail',
      [finding('PT-FILE-NOT-CLOUDTRAIL[a.json]')],
      'PT-FILE-NOT-CLOUDTRAIL[*]',
      3,
    ],
    ['a suppressed empty file', [finding('PT-FILE-EMPTY[a.json]')], 'PT-FILE-EMPTY[*]', 3],
    ['a suppressed rejected value', [finding('PT-REJECTED-VALUE[s3:GetObject]')], 'PT-REJECTED-VALUE[*]', 3],
    [
      'a suppressed quota excess',
      [finding('PT-QUOTA-EXCEEDED[managed]', 'error')],
      'PT-QUOTA-EXCEEDED[*]',
      3,
    ],
    ['an unsuppressed unreadable file', [finding('PT-FILE-UNREADABLE[a.json]')], 'PT-COMPACTED[*]', 3],
    ['a suppressed ordinary warning', [finding('PT-COMPACTED[x*]')], 'PT-COMPACTED[*]', 0],
    ['an unsuppressed ordinary warning', [finding('PT-DENIED-CALL[s3:GetObject]')], 'PT-COMPACTED[*]', 0],
  ])('%s → exit %d', (_what, findings, id, expected) => {
    expect(exitWith(findings, [{ id, reason: 'acknowledged' }])).toBe(expected);
  });

  it('still marks the lost-input finding suppressed, and the summary says it does not clear it', () => {
    const marked = applySuppressions([finding('PT-FILE-UNREADABLE[a.json]')], {
      suppressions: [{ id: 'PT-FILE-UNREADABLE[*]', reason: 'known bad' }],
    });
    expect(marked[0].suppressed).toEqual({ reason: 'known bad' });
    const text = renderFindingsLines(marked, isPartial(marked)).join('\n');
    expect(text).toMatch(/suppr\.\s+PT-FILE-UNREADABLE\[a\.json\].*\[suppressed: known bad\]/);
    expect(text).toMatch(/does not clear lost input; the result stays partial \(exit code 3\)/);
  });

  it('reports each unused suppression once as PT-UNUSED-SUPPRESSION[id] (info); used ones are not', () => {
    const findings = [finding('PT-COMPACTED[x*]')];
    const out = unusedSuppressionFindings(findings, {
      suppressions: [
        { id: 'PT-COMPACTED[*]', reason: 'used' },
        { id: 'PT-UNMAPPED[s3.amazonaws.com:Typo]', reason: 'stale' },
        { id: 'PT-UNMAPPED[s3.amazonaws.com:Typo]', reason: 'twice' },
      ],
    });
    expect(out.map((f) => [f.id, f.code, f.severity, f.count])).toEqual([
      ['PT-UNUSED-SUPPRESSION[PT-UNMAPPED[s3.amazonaws.com:Typo]]', 'PT-UNUSED-SUPPRESSION', 'info', 1],
    ]);
    expect(out[0].message).toContain('PT-UNMAPPED[s3.amazonaws.com:Typo]');
  });
});

describe('findings order', () => {
  it('is severity (error, warning, info, suppressed), then count descending, then id', () => {
    const list = [
      finding('PT-FAILED-CALL[Throttling]', 'info', 500),
      { ...finding('PT-QUOTA-EXCEEDED[managed]', 'error'), suppressed: { reason: 'r' } },
      finding('PT-DENIED-CALL[b]', 'warning', 2),
      finding('PT-DENIED-CALL[a]', 'warning', 2),
      finding('PT-NO-EVENTS[target]', 'warning', 1),
      finding('PT-UNMAPPED[x:y]', 'warning', 79),
      finding('PT-QUOTA-EXCEEDED[inline]', 'error', 1),
    ];
    const ids = sortFindings(list).map((f) => f.id);
    expect(ids).toEqual([
      'PT-QUOTA-EXCEEDED[inline]',
      'PT-UNMAPPED[x:y]',
      'PT-DENIED-CALL[a]',
      'PT-DENIED-CALL[b]',
      'PT-NO-EVENTS[target]',
      'PT-FAILED-CALL[Throttling]',
      'PT-QUOTA-EXCEEDED[managed]',
    ]);
    // Deterministic: any input order gives the same order.
    expect(sortFindings([...list].reverse()).map((f) => f.id)).toEqual(ids);
    expect(compareFindings(list[0], list[0])).toBe(0);
  });

  it('does not bury PT-NO-EVENTS under 2,000 per-file findings: they are one line with the total', () => {
    const files = Array.from({ length: 2000 }, (_, i) => `trail/f${String(i).padStart(4, '0')}.json`);
    const findings = [
      ...files.map((f) => finding(`PT-FILE-EMPTY[${f}]`, 'warning', 1, f)),
      finding('PT-NO-EVENTS[target]'),
    ].map((f) => (f.code === 'PT-FILE-EMPTY' ? { ...f, message: 'file is empty' } : f));
    const listing = findingsListing(findings);
    expect(listing.map((i) => i.id)).toEqual(['PT-FILE-EMPTY[2,000 files]', 'PT-NO-EVENTS[target]']);
    expect(listing[0]).toMatchObject({ count: 2000, group: { findings: 2000 } });
    expect(listing[0].message).toBe(
      'file is empty (2,000 files; e.g. trail/f0000.json, trail/f0001.json, trail/f0002.json, …)',
    );
    const lines = renderFindingsLines(findings, true);
    expect(lines[0]).toBe('  findings: 2,001 (0 error, 2,001 warning, 0 info)');
    expect(lines.slice(1, 3).some((l) => l.includes('PT-NO-EVENTS[target]'))).toBe(true);
  });

  it('lists three per-file findings one by one; groups of distinct reasons state how many', () => {
    const three = ['a', 'b', 'c'].map((f) => finding(`PT-FILE-UNREADABLE[${f}]`, 'warning', 1, f));
    expect(findingsListing(three).map((i) => i.id)).toEqual(three.map((f) => f.id));
    const four = [...three, finding('PT-FILE-UNREADABLE[d]', 'warning', 1, 'd')];
    expect(findingsListing(four)).toEqual([
      expect.objectContaining({
        id: 'PT-FILE-UNREADABLE[4 files]',
        count: 4,
        message: '4 files, 4 distinct reasons (e.g. a, b, c, …)',
      }),
    ]);
  });

  it('caps the summary at 40 lines and points to --findings-out for the rest', () => {
    const many = Array.from({ length: 1234 }, (_, i) => finding(`PT-UNMAPPED[s:E${i}]`, 'warning', i + 1));
    const lines = renderFindingsLines(many, true, 'out/findings.json');
    const listed = lines.filter((l) => l.startsWith('    warning'));
    expect(listed).toHaveLength(MAX_LISTED);
    expect(listed[0]).toBe('    warning PT-UNMAPPED[s:E1233] ×1,234: m PT-UNMAPPED[s:E1233]');
    expect(lines).toContain('    … 1,194 more findings (all of them: --findings-out out/findings.json)');
    expect(renderFindingsLines(many, true).at(-1)).toBe(
      '    … 1,194 more findings (all of them: --findings-out FILE)',
    );
  });

  it('--findings-out JSON holds every finding in listing order, canonical, same bytes for any order', () => {
    const list = [finding('PT-B[x]', 'info'), finding('PT-A[x]', 'warning'), finding('PT-FILE-EMPTY[f]')];
    const text = renderFindingsJson(list);
    expect(renderFindingsJson([...list].reverse())).toBe(text);
    const parsed = JSON.parse(text) as { findings: Finding[]; total: number; lostInput: number };
    expect(parsed.total).toBe(3);
    expect(parsed.lostInput).toBe(1);
    expect(parsed.findings.map((f) => f.id)).toEqual(['PT-A[x]', 'PT-FILE-EMPTY[f]', 'PT-B[x]']);
    expect(Object.keys(JSON.parse(text))).toEqual(['counts', 'findings', 'lostInput', 'total']);
  });
});

describe('one finding per cause', () => {
  it('a * with PT-UNRESOLVED-RESOURCE gets no PT-WILDCARD-RESOURCE twin; other * keep theirs', async () => {
    const catalog = await testCatalog();
    const usage = usageOf([
      ['s3:GetObject', s3obj('b', 'k')],
      ['xray:PutTraceSegments', '*'],
    ]);
    usage.entries['dynamodb:GetItem *'] = {
      ...usage.entries[`s3:GetObject ${s3obj('b', 'k')}`],
      action: 'dynamodb:GetItem',
      resource: '*',
      wildcardReason: 'no resource ARN in the event for dynamodb:GetItem',
    };
    addFinding(usage, {
      ...finding('PT-UNRESOLVED-RESOURCE[dynamodb:GetItem]'),
      message: 'The resource of dynamodb:GetItem (from dynamodb:GetItem) could not be determined',
    });
    const r = generatePolicies(usage, { catalog });
    expect(r.findings.map((f) => f.id)).toEqual(['PT-WILDCARD-RESOURCE[xray:PutTraceSegments]']);
    // The * is still in the policy, and reported once (by the mapping's finding).
    expect(r.policies.flatMap((p) => p.Statement).some((s) => [s.Resource].flat().includes('*'))).toBe(true);
    expect(verifyPolicies(r.policies, Object.values(usage.entries).flatMap(callsOf), catalog)).toEqual([]);
  });

  it('PT-DENIED-CALL of one action on several resources states the totals, not the first item', async () => {
    const catalog = await testCatalog();
    const denied: [string, string][] = [
      ...Array.from({ length: 43 }, (): [string, string] => ['dynamodb:DeleteItem', table('orders')]),
      ...Array.from({ length: 36 }, (): [string, string] => ['dynamodb:DeleteItem', table('carts')]),
    ];
    const r = generatePolicies(usageOf([], denied), { catalog });
    const f = r.findings.find((x) => x.id === 'PT-DENIED-CALL[dynamodb:DeleteItem]');
    expect(f?.count).toBe(79);
    expect(f?.message).toBe(
      `dynamodb:DeleteItem on 2 resources (${table('carts')}, ${table('orders')}) was denied 79 time(s); not included (use --include-denied to add it)`,
    );
    expect(f?.sampleEventIds).toHaveLength(3);
  });
});
