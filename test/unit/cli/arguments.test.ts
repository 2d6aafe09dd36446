import { closestOption, editDistance, envBoolean, unknownArgumentsMessage } from '../../../src/cli/arguments';

describe('argument helpers', () => {
  it.each([
    ['1', true],
    ['TRUE', true],
    ['yes', true],
    [' on ', true],
    ['0', false],
    ['false', false],
    ['No', false],
    ['off', false],
    ['', false],
    ['maybe', undefined],
    ['2', undefined],
  ])('envBoolean(%j) is %s', (text, expected) => {
    expect(envBoolean(text)).toBe(expected);
  });

  it.each([
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['same', 'same', 0],
    ['fucntion', 'function', 2],
  ])('editDistance(%j, %j) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  const OPTIONS = [
    'function',
    'role',
    'principal',
    'trail',
    'account-snapshot',
    'since',
    'until',
    'out',
    'diff-out',
  ];
  it.each([
    ['fucntion', 'function'],
    ['acount-snapshot', 'account-snapshot'],
    ['account', 'account-snapshot'],
    ['trails', 'trail'],
    ['sinse', 'since'],
    ['zzzzzz', undefined],
    ['x', undefined],
  ])('closestOption(%j) is %j', (typed, expected) => {
    expect(closestOption(typed, OPTIONS)).toBe(expected);
  });

  it('tells options from stray words', () => {
    const options = { key: { function: true }, array: [], boolean: [], number: [], alias: {} };
    expect(
      unknownArgumentsMessage('Unknown arguments: fucntion, stray', options, ['--fucntion', 'x', 'stray']),
    ).toBe('unknown option --fucntion (did you mean --function?); unexpected argument "stray"');
    expect(unknownArgumentsMessage('Missing required argument: bucket', options, [])).toBeUndefined();
  });
});
