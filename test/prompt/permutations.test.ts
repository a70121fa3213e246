import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../../src/prompt/parse.js';
import { parseError, parseErrors, parseOk } from './helpers.js';

const texts = (input: string, options?: { maxPrompts?: number }): string[] =>
  parseOk(input, options).map((prompt) => prompt.text);

describe('permutations', () => {
  it('GIVEN one group THEN there is one prompt per option', () => {
    expect(texts('a {red, blue} bird')).toEqual(['a red bird', 'a blue bird']);
  });

  it('GIVEN two groups THEN the product, the first group varying slowest', () => {
    expect(texts('a {red, blue} {bird, fish}')).toEqual(['a red bird', 'a red fish', 'a blue bird', 'a blue fish']);
  });

  it('GIVEN nested groups THEN the inner options are spliced into the outer list', () => {
    expect(texts('a {red, {light, dark} blue} bird')).toEqual(['a red bird', 'a light blue bird', 'a dark blue bird']);
  });

  it('GIVEN a group in a parameter value THEN each prompt has its own value', () => {
    expect(parseOk('a bird --ar {1:1, 16:9}').map((prompt) => prompt.params)).toEqual([
      { aspect: '1:1' },
      { aspect: '16:9' },
    ]);
  });

  it('GIVEN a group holding whole parameters THEN each option is parsed on its own', () => {
    expect(parseOk('a bird {--tile, --chaos 5}').map((prompt) => prompt.params)).toEqual([
      { tile: true },
      { chaos: 5 },
    ]);
  });

  it('GIVEN an escaped comma in a group THEN it is a literal comma, not a separator', () => {
    expect(texts('a {red\\, white, blue} flag')).toEqual(['a red, white flag', 'a blue flag']);
  });

  it('GIVEN an escaped comma in a --no group THEN the expanded value is split like any --no list', () => {
    expect(parseOk('a flag --no {red\\, white, blue}').map((prompt) => prompt.params.no)).toEqual([
      ['red', 'white'],
      ['blue'],
    ]);
  });

  it('GIVEN an empty option THEN it expands to nothing at that place', () => {
    expect(texts('a {big, } bird')).toEqual(['a big bird', 'a bird']);
  });

  it('GIVEN escaped braces THEN they are not a group', () => {
    expect(texts('a \\{red, blue\\} bird')).toEqual(['a {red, blue} bird']);
  });

  it.each([
    ['a {red, blue bird', '{ without a matching }'],
    ['a red, blue} bird', '} without a matching {'],
    ['a {red, {blue} bird', '{ without a matching }'],
  ])('GIVEN the unbalanced %j THEN one error explains braces', (input, problem) => {
    const error = parseError(input);
    expect(error.param).toBeUndefined();
    expect(error.message).toContain(problem);
    expect(error.message).toContain('{red, blue}');
  });
});

describe('--repeat', () => {
  it.each(['repeat', 'r'])('GIVEN --%s 3 THEN three equal prompts', (form) => {
    const prompts = parseOk(`a cat --${form} 3 --chaos 5`);
    expect(prompts).toEqual(Array.from({ length: 3 }, () => ({ text: 'a cat', imageUrls: [], params: { chaos: 5 } })));
  });

  it('GIVEN repeats THEN the copies are separate objects', () => {
    const [first, second] = parseOk('a cat --no red --r 2');
    first!.params.no!.push('blue');
    expect(second!.params.no).toEqual(['red']);
  });

  it('GIVEN repeat and permutations THEN each expansion is repeated in place', () => {
    expect(texts('a {red, blue} bird --r 2')).toEqual(['a red bird', 'a red bird', 'a blue bird', 'a blue bird']);
  });

  it('GIVEN a group in the repeat value THEN each expansion has its own count', () => {
    expect(texts('a {red --r 1, blue --r 3} bird')).toEqual([
      'a red bird',
      'a blue bird',
      'a blue bird',
      'a blue bird',
    ]);
  });

  it.each([1, 40])('GIVEN the edge %s THEN it is accepted (with a limit that allows it)', (count) => {
    expect(parseOk(`a cat --repeat ${count}`, { maxPrompts: 40 })).toHaveLength(count);
  });

  it.each([0, 41])('GIVEN %s, one past an edge, THEN the error gives the range', (count) => {
    expect(parseErrors(`a cat --repeat ${count}`, { maxPrompts: 100 })).toEqual([
      { param: 'repeat', message: `--repeat must be a whole number from 1 to 40 (got ${count}).` },
    ]);
  });

  it('GIVEN --repeat without a value THEN it is an error', () => {
    expect(parseError('a cat --r')).toEqual({
      param: 'repeat',
      message: '--r needs a value: a whole number from 1 to 40.',
    });
  });
});

describe('the prompt limit', () => {
  const limitMessage = (count: number | string, limit: number): string =>
    `This command would make ${count} prompts, but the limit is ${limit} per command. Use fewer {…} options or a smaller --repeat.`;

  it('GIVEN exactly 10 prompts from a repeat THEN it is accepted', () => {
    expect(parseOk('a cat --r 10')).toHaveLength(10);
  });

  it('GIVEN 11 prompts from a repeat THEN it is an error on repeat saying 11 and the limit', () => {
    expect(parseError('a cat --r 11')).toEqual({ param: 'repeat', message: limitMessage(11, 10) });
  });

  it('GIVEN exactly 10 prompts from permutations × repeat THEN it is accepted', () => {
    expect(parseOk('a {red, blue} cat --r 5')).toHaveLength(10);
  });

  it('GIVEN 12 prompts from permutations × repeat THEN it is an error on repeat', () => {
    expect(parseError('a {red, blue, green} cat --r 4')).toEqual({ param: 'repeat', message: limitMessage(12, 10) });
  });

  it('GIVEN 10 permutations THEN it is accepted', () => {
    expect(parseOk('{a, b, c, d, e} {1, 2}')).toHaveLength(10);
  });

  it('GIVEN 11 permutations THEN it is an error without param', () => {
    expect(parseError('{a, b, c, d, e, f, g, h, i, j, k} cat')).toEqual({ message: limitMessage(11, 10) });
  });

  it('GIVEN a huge product of groups THEN the error gives the exact count without building it', () => {
    const input = Array.from({ length: 64 }, () => '{a, b}').join(' ');
    expect(parseError(input)).toEqual({ message: limitMessage('18446744073709551616', 10) });
  });

  it('GIVEN options.maxPrompts THEN that limit is used instead', () => {
    expect(parseOk('a cat --r 3', { maxPrompts: 3 })).toHaveLength(3);
    expect(parseError('a cat --r 4', { maxPrompts: 3 })).toEqual({ param: 'repeat', message: limitMessage(4, 3) });
    expect(parseOk('a {b, c, d, e, f, g, h, i, j, k, l, m} cat', { maxPrompts: 12 })).toHaveLength(12);
  });

  it('GIVEN too many prompts and another problem THEN both are reported', () => {
    const result = parsePrompt('a cat --r 20 --chaos 101');
    expect(result.ok ? [] : result.errors.map((error) => error.param)).toEqual(['chaos', 'repeat']);
  });
});
