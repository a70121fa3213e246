import { describe, expect, it } from 'vitest';
import type { Params } from '../../src/prompt/types.js';
import { parseError, parseOne } from './helpers.js';

/** Whole-number parameters: every form, and the inclusive range. */
const WHOLE_NUMBERS: { name: keyof Params; forms: string[]; min: number; max: number }[] = [
  { name: 'chaos', forms: ['chaos', 'c'], min: 0, max: 100 },
  { name: 'seed', forms: ['seed'], min: 0, max: 4_294_967_295 },
  { name: 'stop', forms: ['stop'], min: 1, max: 100 },
  { name: 'stylize', forms: ['stylize', 's'], min: 0, max: 1000 },
  { name: 'sw', forms: ['sw'], min: 0, max: 1000 },
  { name: 'sv', forms: ['sv'], min: 1, max: 6 },
  { name: 'weird', forms: ['weird', 'w'], min: 0, max: 3000 },
  { name: 'exp', forms: ['exp'], min: 0, max: 100 },
  { name: 'cw', forms: ['cw'], min: 0, max: 100 },
  { name: 'ow', forms: ['ow'], min: 1, max: 1000 },
];

describe.each(WHOLE_NUMBERS)('--$name (a whole number from $min to $max)', ({ name, forms, min, max }) => {
  const form = forms[0]!;

  it.each([min, max])('GIVEN the edge %s THEN it is accepted', (value) => {
    expect(parseOne(`a cat --${form} ${value}`).params).toEqual({ [name]: value });
  });

  it.each([min - 1, max + 1])('GIVEN %s, one past an edge, THEN the error names the range', (value) => {
    const error = parseError(`a cat --${form} ${value}`);
    expect(error.param).toBe(name);
    expect(error.message).toBe(`--${form} must be a whole number from ${min} to ${max} (got ${value}).`);
  });

  it('GIVEN a fraction THEN it is rejected as not whole', () => {
    expect(parseError(`a cat --${form} ${min + 0.5}`).message).toContain('whole number');
  });

  it.each(forms)('GIVEN the form --%s THEN the value is stored under the canonical name', (given) => {
    expect(parseOne(`a cat --${given} ${max}`).params).toEqual({ [name]: max });
  });
});

describe('--iw (a number from 0 to 3)', () => {
  it.each([0, 3, 1.75])('GIVEN %s THEN it is accepted', (value) => {
    expect(parseOne(`a cat --iw ${value}`).params).toEqual({ iw: value });
  });

  it.each(['-0.1', '3.01'])('GIVEN %s THEN the error names the range', (value) => {
    const error = parseError(`a cat --iw ${value}`);
    expect(error).toEqual({ param: 'iw', message: `--iw must be a number from 0 to 3 (got ${value}).` });
  });

  it('GIVEN version 5.x THEN 2 is the upper edge', () => {
    expect(parseOne('a cat --iw 2 --v 5.2').params).toEqual({ iw: 2, version: '5.2' });
    expect(parseError('a cat --iw 2.01 --v 5.1').param).toBe('iw');
  });
});

describe('--quality (.25, .5, 1, 2 or 4)', () => {
  it.each([
    ['.25', 0.25],
    ['0.5', 0.5],
    ['1', 1],
    ['2', 2],
    ['4', 4],
  ])('GIVEN %s THEN it is stored as %s', (raw, value) => {
    expect(parseOne(`a cat --q ${raw}`).params).toEqual({ quality: value });
    expect(parseOne(`a cat --quality ${raw}`).params).toEqual({ quality: value });
  });

  it.each(['0.125', '.2', '3', '8'])('GIVEN %s THEN the error lists the allowed values', (raw) => {
    expect(parseError(`a cat --quality ${raw}`)).toEqual({
      param: 'quality',
      message: `--quality must be one of .25, .5, 1, 2 or 4 (got ${raw}).`,
    });
  });
});

describe('--batchsize (1, 2 or 4)', () => {
  it.each(['bs', 'batchsize'])('GIVEN --%s with 1, 2 and 4 THEN each is accepted', (form) => {
    for (const value of [1, 2, 4]) expect(parseOne(`a cat --${form} ${value}`).params).toEqual({ batchsize: value });
  });

  it.each(['0', '3', '5'])('GIVEN %s THEN the error lists 1, 2 or 4', (raw) => {
    expect(parseError(`a cat --bs ${raw}`)).toEqual({
      param: 'batchsize',
      message: `--bs must be one of 1, 2 or 4 (got ${raw}).`,
    });
  });
});

describe('--version and --niji', () => {
  const versions = ['1', '2', '3', '4', '5', '5.1', '5.2', '6', '6.1', '7', '8', '8.1'];

  it.each(versions)('GIVEN --v %s THEN it is accepted as a string', (version) => {
    expect(parseOne(`a cat --v ${version}`).params).toEqual({ version });
    expect(parseOne(`a cat --version ${version}`).params).toEqual({ version });
  });

  it('GIVEN 6.0 THEN it means version 6', () => {
    expect(parseOne('a cat --v 6.0').params).toEqual({ version: '6' });
  });

  it.each(['0', '5.3', '8.2', '9', 'seven'])('GIVEN --v %s THEN the error lists the versions', (raw) => {
    const error = parseError(`a cat --v ${raw}`);
    expect(error.param).toBe('version');
    expect(error.message).toBe(`--v must be one of ${versions.slice(0, -1).join(', ')} or 8.1 (got ${raw}).`);
  });

  it.each(['5', '6', '7'])('GIVEN --niji %s THEN it is accepted', (niji) => {
    expect(parseOne(`a cat --niji ${niji}`).params).toEqual({ niji });
  });

  it.each(['4', '8'])('GIVEN --niji %s THEN the error lists 5, 6 or 7', (raw) => {
    expect(parseError(`a cat --niji ${raw}`)).toEqual({
      param: 'niji',
      message: `--niji must be one of 5, 6 or 7 (got ${raw}).`,
    });
  });
});

describe('word choices', () => {
  it.each(['raw', 'cute', 'expressive', 'original', 'scenic'])('GIVEN --style %s THEN it is accepted', (style) => {
    expect(parseOne(`a cat --style ${style}`).params).toEqual({ style });
  });

  it('GIVEN --raw THEN it means --style raw', () => {
    expect(parseOne('a cat --raw').params).toEqual({ style: 'raw' });
  });

  it('GIVEN an unknown style THEN the error lists the styles', () => {
    expect(parseError('a cat --style fancy')).toEqual({
      param: 'style',
      message: '--style must be one of raw, cute, expressive, original or scenic (got fancy).',
    });
  });

  it.each(['low', 'high'])('GIVEN --motion %s THEN it is accepted', (motion) => {
    expect(parseOne(`a cat --motion ${motion}`).params).toEqual({ motion });
  });

  it('GIVEN --motion medium THEN the error lists low or high', () => {
    expect(parseError('a cat --motion medium')).toEqual({
      param: 'motion',
      message: '--motion must be one of low or high (got medium).',
    });
  });
});

describe('--aspect (positive whole numbers W:H)', () => {
  it.each([
    ['ar', '1:1', '1:1'],
    ['aspect', '139:100', '139:100'],
    ['ar', '016:09', '16:9'],
    ['ar', '123456789012345678901234567890:1', '123456789012345678901234567890:1'],
  ])('GIVEN --%s %s THEN it is stored as %s', (form, raw, aspect) => {
    expect(parseOne(`a cat --${form} ${raw}`).params).toEqual({ aspect });
  });

  it.each(['0:1', '1:0', '1.39:1', '16x9', '-1:2', '16:9:1'])(
    'GIVEN %s THEN the error says what an aspect looks like',
    (raw) => {
      expect(parseError(`a cat --ar ${raw}`)).toEqual({
        param: 'aspect',
        message: `--ar must be two whole numbers above 0 with a colon between them, like 16:9 (got ${raw}).`,
      });
    },
  );
});

describe('URL values', () => {
  it('GIVEN --end with a URL THEN it is stored', () => {
    expect(parseOne('a cat --end https://a.example/last.png').params).toEqual({ end: 'https://a.example/last.png' });
  });

  it.each([
    ['end', 'last.png', 'end'],
    ['cref', 'ftp://a.example/x.png', 'cref'],
    ['oref', 'https://a.example/x.png not-a-url', 'oref'],
    ['sref', 'https://a.example/x.png style', 'sref'],
  ])('GIVEN --%s %s THEN it is an error saying URLs are needed', (form, value, param) => {
    const error = parseError(`a cat --${form} ${value}`);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(/URL/);
  });

  it('GIVEN a bad profile code THEN the error says what codes are made of', () => {
    expect(parseError('a cat --p ok1 b@d').message).toBe(
      '--p must be profile codes made of letters, digits, - and _, separated by spaces or commas (got b@d).',
    );
  });
});

describe('switches', () => {
  it.each([
    ['--tile', { tile: true }],
    ['--draft', { draft: true }],
    ['--loop', { loop: true }],
    ['--fast', { speed: 'fast' }],
    ['--relax', { speed: 'relax' }],
    ['--turbo', { speed: 'turbo' }],
  ])('GIVEN %s THEN params are %j', (flag, params) => {
    expect(parseOne(`a cat ${flag}`).params).toEqual(params);
  });
});
