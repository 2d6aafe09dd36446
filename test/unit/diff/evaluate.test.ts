import cases from '../../cases/diff/evaluate.json';
import { evaluate, parsePolicyDocument } from '../../../src/diff';
import type { PolicyDocument } from '../../../src/model';
import { simulate } from '../../property/simulate';

interface Case {
  name: string;
  statements: unknown[];
  action: string;
  resource: string;
  expected: string;
  simulate?: boolean;
  /** The request is made under this Condition (EvaluateOptions.condition). */
  condition?: Record<string, Record<string, unknown>>;
}

const isPattern = (r: string) => r.includes('*') || r.includes('?');

describe('diff evaluator (case table test/cases/diff/evaluate.json)', () => {
  it.each((cases.cases as Case[]).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const doc = { Version: '2012-10-17', Statement: c.statements } as unknown as PolicyDocument;
    const parsed = parsePolicyDocument(doc, 'p');
    expect(parsed.problems).toEqual([]);
    expect(
      evaluate(parsed.statements, c.action, c.resource, c.condition ? { condition: c.condition } : {}),
    ).toBe(c.expected);
    // The independent evaluator agrees wherever the request is a plain ARN without conditions
    if (c.simulate !== false && !isPattern(c.resource)) {
      const sim = await simulate([doc], c.action, c.resource);
      expect(`${c.name}: ${sim === 'Allowed' ? 'allowed' : 'not allowed'}`).toBe(
        `${c.name}: ${c.expected === 'allowed' ? 'allowed' : 'not allowed'}`,
      );
    }
  });
});
