import { describe, expect, it } from 'vitest';
import { fold, formsOf, readingsOf, readWords } from '../../src/moderation/normalize.js';

describe('normalize: fold', () => {
  it.each([
    ['NÜDE', 'nude'],
    ['ｎｕｄｅ', 'nude'],
    ['ѕех', 'sex'],
    ['s\u00adex', 'sex'],
    ["therapist's", 'therapists'],
    ['Straße', 'strasse'],
  ])('GIVEN %j THEN it folds to %j', (text, folded) => {
    expect(fold(text)).toBe(folded);
  });
});

describe('normalize: readWords', () => {
  it('GIVEN separators inside a chunk THEN the pieces are words of one chunk, and whitespace starts a new chunk', () => {
    expect(readWords('blood-bath s e x').map(({ raw, chunk }) => [raw, chunk])).toEqual([
      ['blood', 0],
      ['bath', 0],
      ['s', 1],
      ['e', 2],
      ['x', 3],
    ]);
  });

  it('GIVEN a trailing exclamation mark THEN it is punctuation, while one inside a word is a letter', () => {
    expect(readWords('wow! b!tch').map(({ raw }) => raw)).toEqual(['wow', 'b!tch']);
  });
});

describe('normalize: readingsOf', () => {
  it('GIVEN plain letters THEN the only reading is the word itself', () => {
    expect(readingsOf('grass')).toEqual(['grass']);
  });

  it('GIVEN 1, ! or | THEN both i and l are read', () => {
    expect(readingsOf('l0l1')).toEqual(expect.arrayContaining(['loli', 'loll']));
    expect(readingsOf('k!ll')).toContain('kill');
  });

  it('GIVEN 00 THEN it is also read as u', () => {
    expect(readingsOf('n00d3')).toEqual(expect.arrayContaining(['noode', 'nude']));
  });

  it('GIVEN a number without letters THEN it is not read as leetspeak', () => {
    expect(readingsOf('455')).toEqual(['455']);
  });

  it('GIVEN three or more of a letter THEN the run is read as one, two and three letters, but a double is kept', () => {
    expect(readingsOf('boooobs')).toEqual(expect.arrayContaining(['bobs', 'boobs', 'booobs']));
    expect(readingsOf('annals')).toEqual(['annals']);
  });
});

describe('normalize: formsOf', () => {
  it.each([
    ['rape', ['rapes', 'raped', 'raping', 'raper', 'rapers']],
    ['slut', ['sluts', 'slutted', 'slutting']],
    ['sex', ['sexes', 'sexed', 'sexing']],
    ['orgy', ['orgies']],
  ])('GIVEN %j THEN its forms include %j', (word, forms) => {
    expect(formsOf(word)).toEqual(expect.arrayContaining([word, ...forms]));
  });

  it.each([
    ['sex', 'sexy'],
    ['gore', 'gorey'],
    ['heroin', 'heroines'],
    ['spic', 'spiced'],
    ['anal', 'annals'],
  ])('GIVEN %j THEN %j is not one of its forms', (word, other) => {
    expect(formsOf(word)).not.toContain(other);
  });
});
