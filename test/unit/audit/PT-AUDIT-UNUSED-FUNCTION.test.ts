import { rule } from '../../../src/audit/rules/PT-AUDIT-UNUSED-FUNCTION';
import type { UnusedFunction } from '../../../src/report';
import { fn, fnArn, report, role, roleArn, state, trailInput, usage } from './fixtures-roles';

function unused(confidence: UnusedFunction['confidence']): UnusedFunction {
  return {
    name: 'a',
    arn: fnArn('a'),
    region: 'us-east-1',
    roleArn: roleArn('r'),
    lastActivity: null,
    reason: 'no call',
    confidence,
    signals: {
      checked: ['calls by r sessions named a: 0'],
      unavailable: ['Lambda Invoke data events: none'],
    },
    lastModified: '2025-01-01T00:00:00.000Z',
  };
}
const S = state([role('r')], [fn('a', 'r')]);

describe('PT-AUDIT-UNUSED-FUNCTION', () => {
  it('needs the trail', () => expect(rule.needs).toEqual(['trail']));

  it('passes when the report names no unused function', async () => {
    expect(await rule.check(await trailInput(S, usage(), report()))).toEqual([]);
  });

  it.each([
    ['invocations', 'was not invoked and made no call', 'delete it'],
    ['calls-only', 'no invocation signal was available', 'confirm it is not invoked first'],
  ] as const)('fails (low) with confidence %s', async (confidence, message, fix) => {
    const [f] = await rule.check(
      await trailInput(S, usage(), report({ unusedFunctions: [unused(confidence)] })),
    );
    expect(f.severity).toBe('low');
    expect(f.message).toContain(message);
    expect(f.fix).toContain(fix);
    expect(f.evidence).toContain('signal unavailable: Lambda Invoke data events: none');
  });

  it('a short window is info, never "unused"', async () => {
    const w = { since: '2026-11-28T00:00:00.000Z', until: '2026-12-01T00:00:00.000Z' };
    const [f] = await rule.check(
      await trailInput(S, usage(), report({ unusedFunctions: [unused('invocations')] }), w),
    );
    expect(f.severity).toBe('info');
  });
});
