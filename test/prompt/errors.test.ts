import { describe, expect, it } from 'vitest';
import { parseError, parseErrors, parseOne } from './helpers.js';

describe('errors: missing or malformed values', () => {
  it.each([
    ['a cat --chaos', 'chaos', '--chaos needs a value: a whole number from 0 to 100.'],
    ['a cat --c --ar 1:1', 'chaos', '--c needs a value: a whole number from 0 to 100.'],
    ['a cat --ar', 'aspect', '--ar needs a value: two whole numbers above 0 with a colon between them, like 16:9.'],
    ['a cat --niji', 'niji', '--niji needs a value: one of 5, 6 or 7.'],
    ['a cat --style --tile', 'style', '--style needs a value: one of raw, cute, expressive, original or scenic.'],
    ['a cat --end', 'end', '--end needs a value: an image URL starting with http:// or https://.'],
    ['a cat --sref', 'sref', '--sref needs a value: image URLs, numeric style codes or random, separated by spaces.'],
    [
      'a cat --cref --tile',
      'cref',
      '--cref needs a value: image URLs starting with http:// or https://, separated by spaces.',
    ],
    ['a cat --no', 'no', '--no needs a value: a comma-separated list of things to leave out, like --no text, people.'],
  ])('GIVEN %j THEN param is %s and the message says what the value may be', (input, param, message) => {
    expect(parseError(input)).toEqual({ param, message });
  });

  it.each([
    ['a cat --chaos lots', 'chaos', '--chaos must be a whole number from 0 to 100 (got lots).'],
    ['a cat --seed 12abc', 'seed', '--seed must be a whole number from 0 to 4294967295 (got 12abc).'],
    ['a cat --iw high', 'iw', '--iw must be a number from 0 to 3 (got high).'],
    [
      'a cat --ar 1.39:1',
      'aspect',
      '--ar must be two whole numbers above 0 with a colon between them, like 16:9 (got 1.39:1).',
    ],
  ])('GIVEN the malformed %j THEN the message repeats what was given', (input, param, message) => {
    expect(parseError(input)).toEqual({ param, message });
  });

  it('GIVEN several bad list items THEN one error names them all', () => {
    expect(parseError('a cat --sref 12 nope https://a.example/x.png nah')).toEqual({
      param: 'sref',
      message: '--sref must be image URLs, numeric style codes or random, separated by spaces (got nope, nah).',
    });
  });
});

describe('errors: a parameter given twice', () => {
  it.each([
    ['a cat --chaos 1 --chaos 2', 'chaos', '--chaos was given twice; give it only once.'],
    ['a cat --ar 1:1 --aspect 2:3', 'aspect', '--ar and --aspect both set --aspect; give it only once.'],
    ['a cat --c 1 --chaos 1', 'chaos', '--c and --chaos both set --chaos; give it only once.'],
    ['a cat --raw --style cute', 'style', '--raw and --style both set --style; give it only once.'],
    ['a cat --tile --tile', 'tile', '--tile was given twice; give it only once.'],
    ['a cat --hd --hd', 'hd', '--hd was given twice; give it only once.'],
    ['a cat --fast --fast', 'speed', '--fast was given twice; give it only once.'],
    ['a cat --no red --no blue', 'no', '--no was given twice; give it only once.'],
    ['a cat --p --profile abc', 'profile', '--p and --profile both set --profile; give it only once.'],
    ['a cat --repeat 2 --r 2', 'repeat', '--repeat and --r both set --repeat; give it only once.'],
  ])('GIVEN %j THEN param is %s', (input, param, message) => {
    expect(parseError(input)).toEqual({ param, message });
  });

  it('GIVEN a duplicate with a bad value THEN the bad value is reported as well', () => {
    expect(parseErrors('a cat --chaos 5 --c 500').map((error) => error.message)).toEqual([
      '--chaos and --c both set --chaos; give it only once.',
      '--c must be a whole number from 0 to 100 (got 500).',
    ]);
  });
});

describe('errors: conflicting parameters', () => {
  it.each([
    ['--fast --turbo', 'got --fast and --turbo'],
    ['--relax --fast', 'got --relax and --fast'],
  ])('GIVEN %s THEN it is a speed conflict listing the three speeds', (flags, got) => {
    expect(parseError(`a cat ${flags}`)).toEqual({
      param: 'speed',
      message: `Use only one of --fast, --relax or --turbo (${got}).`,
    });
  });

  it('GIVEN --niji with --version THEN it is a niji conflict', () => {
    expect(parseError('a cat --niji 6 --v 6')).toEqual({
      param: 'niji',
      message:
        '--niji and --v cannot be used together: choose either a Niji model (--niji) or a Midjourney version (--version).',
    });
  });

  it('GIVEN --niji with an invalid --version THEN both the value and the conflict are reported', () => {
    expect(parseErrors('a cat --niji 6 --version 99').map((error) => error.param)).toEqual(['version', 'niji']);
  });

  it('GIVEN --draft with a version other than 7 THEN it is a draft error naming version 7', () => {
    expect(parseError('a cat --draft --v 6.1')).toEqual({
      param: 'draft',
      message: '--draft only works with version 7 (got --v 6.1); remove --draft or use --v 7.',
    });
  });

  it('GIVEN --draft with version 7 or no version THEN it is accepted', () => {
    expect(parseOne('a cat --draft --v 7').params).toEqual({ draft: true, version: '7' });
    expect(parseOne('a cat --draft').params).toEqual({ draft: true });
  });

  it('GIVEN --iw above 2 with a 5.x version THEN the error gives the 0–2 range', () => {
    for (const version of ['5', '5.1', '5.2']) {
      expect(parseError(`a cat --iw 2.5 --v ${version}`)).toEqual({
        param: 'iw',
        message: `--iw must be a number from 0 to 2 with version ${version} (got 2.5).`,
      });
    }
  });

  it('GIVEN --iw above 2 with version 6 THEN it is accepted', () => {
    expect(parseOne('a cat --iw 2.5 --v 6').params).toEqual({ iw: 2.5, version: '6' });
  });
});

describe('errors: unknown and unsupported parameters', () => {
  it('GIVEN --chaso THEN it suggests --chaos and param is the given name', () => {
    expect(parseError('a cat --chaso 5')).toEqual({
      param: 'chaso',
      message: 'Unknown parameter --chaso: did you mean --chaos?',
    });
  });

  it.each([
    ['stylise', 'stylize'],
    ['verison', 'version'],
    ['qualty', 'quality'],
    ['aspekt', 'aspect'],
    ['tiles', 'tile'],
    ['repeats', 'repeat'],
  ])('GIVEN --%s THEN it suggests --%s', (given, suggestion) => {
    expect(parseError(`a cat --${given}`).message).toBe(`Unknown parameter --${given}: did you mean --${suggestion}?`);
  });

  it('GIVEN an upper-case unknown name THEN param keeps the given spelling', () => {
    expect(parseError('a cat --CHASO 5')).toEqual({
      param: 'CHASO',
      message: 'Unknown parameter --CHASO: did you mean --chaos?',
    });
  });

  it('GIVEN a name far from every parameter THEN there is no suggestion', () => {
    expect(parseError('a cat --photorealistic')).toEqual({
      param: 'photorealistic',
      message: 'Unknown parameter --photorealistic: there is no parameter by that name; check the spelling.',
    });
  });

  it('GIVEN an unknown parameter in the middle of the text THEN it is still an error', () => {
    expect(parseError('a --fluffy cat').param).toBe('fluffy');
  });

  it.each(['stealth', 'public'])('GIVEN --%s THEN it is reported as not supported', (flag) => {
    const error = parseError(`a cat --${flag}`);
    expect(error.param).toBe(flag);
    expect(error.message).toMatch(new RegExp(`^--${flag} is not supported`));
  });
});

describe('errors: empty prompt', () => {
  it.each(['', '   ', '--ar 1:1 --chaos 5', '{ , }'])(
    'GIVEN %j THEN it is one empty-prompt error without param',
    (input) => {
      expect(parseError(input)).toEqual({
        message: 'The prompt is empty: describe what you want to see, or start it with an image URL.',
      });
    },
  );
});

describe('errors: collecting', () => {
  it('GIVEN several problems THEN all are reported, in the order found', () => {
    expect(
      parseErrors('a cat --chaos 101 --chaso 5 --ar 0:1 --stealth --fast --relax').map((error) => error.param),
    ).toEqual(['chaos', 'chaso', 'aspect', 'stealth', 'speed']);
  });

  it('GIVEN the same problem in every expansion THEN it is reported once', () => {
    expect(parseErrors('a {red, blue, green} cat --chaos 101')).toEqual([
      { param: 'chaos', message: '--chaos must be a whole number from 0 to 100 (got 101).' },
    ]);
  });

  it('GIVEN different problems in different expansions THEN each is reported', () => {
    expect(parseErrors('a cat --chaos {101, 102}').map((error) => error.message)).toEqual([
      '--chaos must be a whole number from 0 to 100 (got 101).',
      '--chaos must be a whole number from 0 to 100 (got 102).',
    ]);
  });
});
