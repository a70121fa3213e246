import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../../src/prompt/parse.js';

const problems = (input: string, locale?: 'en' | 'es') => {
  const result = parsePrompt(input, locale ? { locale } : {});
  return result.ok ? [] : result.errors.map((error) => error.message);
};

/** A prompt's problems are found once and worded in the member's language. */
describe('prompt problems in each language', () => {
  const inputs = [
    'a cat --chaos 101',
    'a cat --ar',
    'a cat --chaoss 5',
    'a cat --fast --relax',
    'a cat --v 6 --niji 6',
    '--v 7',
    '{a, b',
    'a cat --stealth',
    'a cat --quality 3',
  ];

  it.each(inputs)('GIVEN %j THEN Spanish finds the same problems as English, worded differently', (input) => {
    const english = problems(input);
    const spanish = problems(input, 'es');
    expect(english.length).toBeGreaterThan(0);
    expect(spanish).toHaveLength(english.length);
    spanish.forEach((sentence, index) => expect(sentence).not.toBe(english[index]));
  });

  it('GIVEN a value out of range in Spanish THEN the sentence names the flag, what was given and what is allowed', () => {
    expect(problems('a cat --chaos 101', 'es')).toEqual([
      '--chaos debe ser un número entero de 0 a 100 (se recibió 101).',
    ]);
    expect(problems('a cat --quality 3', 'es')).toEqual([
      '--quality debe ser uno de .25, .5, 1, 2 o 4 (se recibió 3).',
    ]);
  });

  it('GIVEN no locale THEN the words are English, as before', () => {
    expect(problems('a cat --chaos 101')).toEqual(['--chaos must be a whole number from 0 to 100 (got 101).']);
  });
});
