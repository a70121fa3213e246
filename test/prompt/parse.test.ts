import { describe, expect, it } from 'vitest';
import { parsePrompt, renderPrompt } from '../../src/prompt/parse.js';
import { parseError, parseOne } from './helpers.js';

describe('parsePrompt: text', () => {
  it('GIVEN a prompt without parameters THEN the text is trimmed and inner whitespace collapsed', () => {
    expect(parseOne('  a   cat\n on\ta  mat  ')).toEqual({ text: 'a cat on a mat', imageUrls: [], params: {} });
  });

  it('GIVEN parameters after the text THEN they are removed from the text and kept in params', () => {
    expect(parseOne('a cat --ar 16:9 --chaos 20')).toEqual({
      text: 'a cat',
      imageUrls: [],
      params: { aspect: '16:9', chaos: 20 },
    });
  });

  it('GIVEN text after a one-value parameter THEN that text stays in the prompt text', () => {
    expect(parseOne('a cat --chaos 20 on a mat')).toEqual({
      text: 'a cat on a mat',
      imageUrls: [],
      params: { chaos: 20 },
    });
  });

  it('GIVEN multi-prompt weights THEN they stay in the text', () => {
    expect(parseOne('space:: ship::2 --ar 2:3').text).toBe('space:: ship::2');
  });

  it('GIVEN a bare -- or :: or em dash in the text THEN it is text, not a parameter', () => {
    expect(parseOne('a -- b :: c — d --5')).toEqual({ text: 'a -- b :: c — d --5', imageUrls: [], params: {} });
  });

  it('GIVEN a dash inside a word THEN it is text', () => {
    expect(parseOne('a well--known cat').text).toBe('a well--known cat');
  });

  it('GIVEN no parameters THEN params is an empty object: no defaults are filled in', () => {
    expect(parseOne('a cat').params).toEqual({});
  });

  it('GIVEN an escaped comma outside a group THEN it is just a comma', () => {
    expect(parseOne('red\\, blue').text).toBe('red, blue');
  });

  it('GIVEN escaped braces and backslash THEN they are literal characters', () => {
    expect(parseOne('a \\{b\\} c\\\\ d\\e').text).toBe('a {b} c\\ d\\e');
  });
});

describe('parsePrompt: image prompts', () => {
  it('GIVEN one URL at the start THEN it is an image prompt and not text', () => {
    expect(parseOne('https://example.com/a.png a cat')).toEqual({
      text: 'a cat',
      imageUrls: ['https://example.com/a.png'],
      params: {},
    });
  });

  it('GIVEN several URLs at the start THEN all are image prompts, in order', () => {
    const prompt = parseOne('http://a.example/1.png   https://b.example/2.jpg\nhttps://c.example/3 a cat --iw 2');
    expect(prompt.imageUrls).toEqual(['http://a.example/1.png', 'https://b.example/2.jpg', 'https://c.example/3']);
    expect(prompt.text).toBe('a cat');
    expect(prompt.params).toEqual({ iw: 2 });
  });

  it('GIVEN a URL later in the text THEN it stays in the text', () => {
    expect(parseOne('https://a.example/1.png a cat like https://b.example/2.png')).toEqual({
      text: 'a cat like https://b.example/2.png',
      imageUrls: ['https://a.example/1.png'],
      params: {},
    });
  });

  it('GIVEN only image URLs and parameters THEN the prompt is valid with empty text', () => {
    expect(parseOne('https://a.example/1.png --ar 1:1')).toEqual({
      text: '',
      imageUrls: ['https://a.example/1.png'],
      params: { aspect: '1:1' },
    });
  });

  it('GIVEN a parameter before the image URL THEN the URL still starts the prompt and is an image prompt', () => {
    expect(parseOne('--seed 42 https://a.example/1.png a cat')).toEqual({
      text: 'a cat',
      imageUrls: ['https://a.example/1.png'],
      params: { seed: 42 },
    });
  });

  it('GIVEN a non-http URL at the start THEN it is text', () => {
    expect(parseOne('ftp://a.example/1.png a cat')).toEqual({
      text: 'ftp://a.example/1.png a cat',
      imageUrls: [],
      params: {},
    });
  });
});

describe('parsePrompt: --no lists', () => {
  it('GIVEN commas with uneven spacing THEN items are trimmed', () => {
    expect(parseOne('a cat --no red,blue ,  green').params.no).toEqual(['red', 'blue', 'green']);
  });

  it('GIVEN empty items THEN they are dropped', () => {
    expect(parseOne('a cat --no , red,, ,blue,').params.no).toEqual(['red', 'blue']);
  });

  it('GIVEN multi-word items THEN each item keeps its words with single spaces', () => {
    expect(parseOne('a cat --no  tall   trees, blue sky').params.no).toEqual(['tall trees', 'blue sky']);
  });

  it('GIVEN another parameter after the list THEN the list ends there', () => {
    expect(parseOne('a cat --no red, blue --ar 2:3 --chaos 5').params).toEqual({
      no: ['red', 'blue'],
      aspect: '2:3',
      chaos: 5,
    });
  });

  it('GIVEN the list at the end THEN it runs to the end of the prompt', () => {
    expect(parseOne('a cat --chaos 5 --no red sky').params).toEqual({ chaos: 5, no: ['red sky'] });
  });

  it('GIVEN an escaped comma in the list THEN it separates items like any comma', () => {
    expect(parseOne('a cat --no red\\, blue').params.no).toEqual(['red', 'blue']);
  });

  it('GIVEN only commas THEN it is an error asking for at least one item', () => {
    const error = parseError('a cat --no , ,');
    expect(error.param).toBe('no');
    expect(error.message).toMatch(/comma-separated list/);
  });
});

describe('parsePrompt: list parameters', () => {
  it('GIVEN --profile bare THEN it is an empty list', () => {
    expect(parseOne('a cat --profile --ar 1:1').params).toEqual({ profile: [], aspect: '1:1' });
  });

  it('GIVEN profile codes separated by spaces and commas THEN each code is an item', () => {
    expect(parseOne('a cat --p ab12, cd34 ef-56,gh_78').params.profile).toEqual(['ab12', 'cd34', 'ef-56', 'gh_78']);
  });

  it('GIVEN --sref with a URL, a code and random THEN all three are kept, random lower-cased', () => {
    expect(parseOne('a cat --sref https://a.example/s.png 123456 Random').params.sref).toEqual([
      'https://a.example/s.png',
      '123456',
      'random',
    ]);
  });

  it('GIVEN --cref and --oref with several URLs THEN each is a list of URLs', () => {
    expect(
      parseOne('a cat --cref https://a.example/1.png http://a.example/2.png --oref https://b.example/3.png').params,
    ).toEqual({
      cref: ['https://a.example/1.png', 'http://a.example/2.png'],
      oref: ['https://b.example/3.png'],
    });
  });
});

describe('parsePrompt: dashes and case', () => {
  it('GIVEN an em dash instead of -- THEN it is read as a parameter', () => {
    expect(parseOne('a cat —ar 16:9 —no red, blue —tile').params).toEqual({
      aspect: '16:9',
      no: ['red', 'blue'],
      tile: true,
    });
  });

  it('GIVEN en dash combinations THEN they are read as parameters too', () => {
    expect(parseOne('a cat –ar 16:9 –-chaos 5 -–seed 7 ––stop 50').params).toEqual({
      aspect: '16:9',
      chaos: 5,
      seed: 7,
      stop: 50,
    });
  });

  it('GIVEN an unknown name after an em dash THEN it is an unknown-parameter error', () => {
    expect(parseError('a cat —chaso 5').param).toBe('chaso');
  });

  it('GIVEN upper-case parameter names THEN they are recognised', () => {
    expect(parseOne('a cat --AR 16:9 --Chaos 5 --TILE --Fast').params).toEqual({
      aspect: '16:9',
      chaos: 5,
      tile: true,
      speed: 'fast',
    });
  });

  it('GIVEN upper-case word values THEN they are stored lower-case', () => {
    expect(parseOne('a cat --style RAW --motion High').params).toEqual({ style: 'raw', motion: 'high' });
  });
});

describe('parsePrompt: --hd', () => {
  it('GIVEN --hd THEN it is a flag without a value, kept as hd: true beside the version', () => {
    expect(parseOne('a marble hall --hd --v 8').params).toEqual({ hd: true, version: '8' });
  });

  it('GIVEN --HD or an em dash THEN it is read the same way', () => {
    expect(parseOne('a marble hall —HD').params).toEqual({ hd: true });
  });

  it('GIVEN --hd THEN the canonical text writes it as --hd', () => {
    expect(renderPrompt(parseOne('a marble hall --v 8.1 --hd'))).toMatch(/^a marble hall .*--hd/);
  });
});

describe('parsePrompt: result shape', () => {
  it('GIVEN a valid prompt THEN the result is ok with one prompt', () => {
    expect(parsePrompt('a cat')).toEqual({
      ok: true,
      prompts: [{ text: 'a cat', imageUrls: [], params: {} }],
      typed: ['a cat'],
    });
  });

  it('GIVEN --repeat THEN it is not part of the params', () => {
    const result = parsePrompt('a cat --repeat 2');
    expect(result.ok && result.prompts.map((prompt) => prompt.params)).toEqual([{}, {}]);
  });
});

describe('the prompt as typed', () => {
  it('GIVEN short forms, an order of its own and permutations THEN each prompt keeps its own wording, without --repeat', () => {
    const result = parsePrompt('a {red,  blue} cat --q 4   --draft --v 7 --r 2');
    expect(result.ok && result.typed).toEqual([
      'a red cat --q 4 --draft --v 7',
      'a red cat --q 4 --draft --v 7',
      'a blue cat --q 4 --draft --v 7',
      'a blue cat --q 4 --draft --v 7',
    ]);
    // What providers get is still the parsed prompt.
    expect(result.ok && result.prompts[0]?.params).toEqual({ quality: 4, draft: true, version: '7' });
  });
});
