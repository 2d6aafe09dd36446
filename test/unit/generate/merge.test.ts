import { canMerge, mergeStatements } from '../../../src/generate/merge';
import type { DraftStatement } from '../../../src/generate';

/** CDK-style merge tests (aws-iam/test/merge-statements.test.ts): tables of statements. */
type S = { a: string[]; r: string[]; denied?: boolean };

function draft(s: S): DraftStatement {
  return { actions: [...s.a].sort(), resources: [...s.r].sort(), denied: s.denied ?? false, origins: [] };
}
function norm(xs: DraftStatement[]): S[] {
  return xs
    .map((x) => ({ a: x.actions, r: x.resources, ...(x.denied ? { denied: true } : {}) }))
    .sort((p, q) => JSON.stringify(p).localeCompare(JSON.stringify(q)));
}
/** The statements merge into exactly `expected`. */
function assertMerged(input: S[], expected: S[]) {
  expect(norm(mergeStatements(input.map(draft)))).toEqual(norm(expected.map(draft)));
}
/** The statements stay as they are. */
function assertNoMerge(input: S[]) {
  assertMerged(input, input);
}

describe('mergeStatements', () => {
  test.each<[string, S[], S[]]>([
    [
      'equal resources: union of actions',
      [
        { a: ['s3:GetObject'], r: ['R1'] },
        { a: ['s3:PutObject'], r: ['R1'] },
      ],
      [{ a: ['s3:GetObject', 's3:PutObject'], r: ['R1'] }],
    ],
    [
      'equal actions: union of resources',
      [
        { a: ['s3:GetObject'], r: ['R1'] },
        { a: ['s3:GetObject'], r: ['R2'] },
      ],
      [{ a: ['s3:GetObject'], r: ['R1', 'R2'] }],
    ],
    [
      'to a fixpoint: a merge makes two other statements mergeable',
      [
        { a: ['a:A'], r: ['R1'] },
        { a: ['a:B'], r: ['R1'] },
        { a: ['a:A', 'a:B'], r: ['R2'] },
      ],
      [{ a: ['a:A', 'a:B'], r: ['R1', 'R2'] }],
    ],
    [
      'three with equal resources',
      [
        { a: ['a:A'], r: ['*'] },
        { a: ['b:B'], r: ['*'] },
        { a: ['c:C'], r: ['*'] },
      ],
      [{ a: ['a:A', 'b:B', 'c:C'], r: ['*'] }],
    ],
  ])('%s', (_name, input, expected) => {
    assertMerged(input, expected);
  });

  test.each<[string, S[]]>([
    [
      'different actions and resources (merging would allow a:A on R2)',
      [
        { a: ['a:A'], r: ['R1'] },
        { a: ['a:B'], r: ['R2'] },
      ],
    ],
    [
      'subset resources are not merged (would widen the smaller one)',
      [
        { a: ['a:A'], r: ['R1'] },
        { a: ['a:B'], r: ['R1', 'R2'] },
      ],
    ],
    [
      'observed and denied statements stay apart',
      [
        { a: ['a:A'], r: ['R1'] },
        { a: ['a:B'], r: ['R1'], denied: true },
      ],
    ],
  ])('no merge: %s', (_name, input) => {
    assertNoMerge(input);
  });

  it('keeps the origins of every part', () => {
    const a = { ...draft({ a: ['a:A'], r: ['R'] }), origins: [{ action: 'a:A', resource: 'R' } as never] };
    const b = { ...draft({ a: ['a:B'], r: ['R'] }), origins: [{ action: 'a:B', resource: 'R' } as never] };
    expect(mergeStatements([a, b])[0].origins).toHaveLength(2);
  });

  it('canMerge states the rule', () => {
    expect(canMerge(draft({ a: ['a:A'], r: ['R'] }), draft({ a: ['a:B'], r: ['R'] }))).toBe(true);
    expect(canMerge(draft({ a: ['a:A'], r: ['R'] }), draft({ a: ['a:B'], r: ['Q'] }))).toBe(false);
  });
});
