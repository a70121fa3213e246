import { describe, expect, it } from 'vitest';
import { parsePrompt, renderPrompt } from '../../src/prompt/parse.js';
import type { ParsedPrompt } from '../../src/prompt/types.js';
import { randomCommand, randomPrompt } from './generators.js';
import { seededRandom } from '../random.js';
import { parseOk, parseOne } from './helpers.js';

const prompt = (text: string, params: ParsedPrompt['params'] = {}, imageUrls: string[] = []): ParsedPrompt => ({
  text,
  imageUrls,
  params,
});

/** The prompts of a parse (what a round trip must give back), or the failed result to show why. */
const promptsOf = (result: ReturnType<typeof parsePrompt>) => (result.ok ? result.prompts : result);

function expectRoundTrip(p: ParsedPrompt): void {
  const rendered = renderPrompt(p);
  expect(promptsOf(parsePrompt(rendered)), `rendered as ${JSON.stringify(rendered)}`).toStrictEqual([p]);
}

describe('renderPrompt: canonical text', () => {
  it('GIVEN text and two parameters THEN the short canonical form', () => {
    expect(renderPrompt(prompt('a cat', { chaos: 20, aspect: '16:9' }))).toBe('a cat --ar 16:9 --chaos 20');
  });

  it('GIVEN every parameter THEN they come in PARAM_NAMES order with their canonical forms', () => {
    const all = prompt(
      'a cat',
      {
        batchsize: 2,
        loop: true,
        end: 'https://e.example/e.png',
        motion: 'low',
        ow: 100,
        cw: 50,
        oref: ['https://o.example/o.png'],
        cref: ['https://c.example/1.png', 'https://c.example/2.png'],
        exp: 10,
        speed: 'relax',
        iw: 1.5,
        weird: 250,
        draft: true,
        version: '7',
        tile: true,
        sv: 4,
        sw: 200,
        sref: ['123', 'random'],
        stylize: 100,
        style: 'raw',
        stop: 80,
        seed: 42,
        quality: 0.5,
        profile: ['abc', 'def'],
        no: ['red', 'blue sky'],
        chaos: 20,
        aspect: '3:2',
      },
      ['https://i.example/1.png'],
    );
    expect(renderPrompt(all)).toBe(
      'https://i.example/1.png a cat --ar 3:2 --chaos 20 --no red, blue sky --profile abc def --quality 0.5 --seed 42' +
        ' --stop 80 --style raw --stylize 100 --sref 123 random --sw 200 --sv 4 --tile --v 7 --draft --weird 250 --iw 1.5' +
        ' --relax --exp 10 --cref https://c.example/1.png https://c.example/2.png --oref https://o.example/o.png --cw 50' +
        ' --ow 100 --motion low --end https://e.example/e.png --loop --batchsize 2',
    );
    expectRoundTrip(all);
  });

  it('GIVEN niji and an empty profile THEN --niji N and a bare --profile', () => {
    expect(renderPrompt(prompt('a cat', { profile: [], niji: '6' }))).toBe('a cat --profile --niji 6');
  });

  it('GIVEN the same prompt written with long, short and dashed forms THEN one canonical rendering', () => {
    const short = renderPrompt(parseOne('a cat --c 5 --s 10 --w 7 --v 6 --q 2 --bs 4 --raw --p x'));
    const long = renderPrompt(
      parseOne('a cat —chaos 5 —stylize 10 —weird 7 —version 6 —quality 2 —batchsize 4 —style raw —profile x'),
    );
    expect(short).toBe(
      'a cat --chaos 5 --profile x --quality 2 --style raw --stylize 10 --v 6 --weird 7 --batchsize 4',
    );
    expect(long).toBe(short);
  });

  it('GIVEN only image URLs THEN no stray spaces', () => {
    expect(renderPrompt(prompt('', { tile: true }, ['https://a.example/1.png']))).toBe(
      'https://a.example/1.png --tile',
    );
  });
});

describe('renderPrompt: escaping', () => {
  it('GIVEN braces in text THEN they are escaped and read back literally', () => {
    const p = prompt('a {curly} cat');
    expect(renderPrompt(p)).toBe('a \\{curly\\} cat');
    expectRoundTrip(p);
  });

  it('GIVEN a --no item containing { THEN it is escaped so it is not a group', () => {
    const p = prompt('a cat', { no: ['x{y', 'z}'] });
    expect(renderPrompt(p)).toBe('a cat --no x\\{y, z\\}');
    expectRoundTrip(p);
  });

  it('GIVEN a --no item ending in a backslash THEN the backslash does not swallow the separating comma', () => {
    const p = prompt('a cat', { no: ['back\\', 'slash'] });
    expect(renderPrompt(p)).toBe('a cat --no back\\\\, slash');
    expectRoundTrip(p);
  });

  it('GIVEN a backslash not before a special character THEN it is written as is', () => {
    expect(renderPrompt(prompt('a\\b c\\'))).toBe('a\\b c\\');
  });

  it('GIVEN a backslash before a brace THEN both are escaped', () => {
    const p = prompt('a\\{b');
    expect(renderPrompt(p)).toBe('a\\\\\\{b');
    expectRoundTrip(p);
  });

  it('GIVEN commas in text and URLs THEN they need no escape', () => {
    const p = prompt('red, white, blue', { end: 'https://e.example/a,b.png' }, ['https://i.example/x,y.png']);
    expect(renderPrompt(p)).toBe('https://i.example/x,y.png red, white, blue --end https://e.example/a,b.png');
    expectRoundTrip(p);
  });
});

describe('round trip: parsePrompt(renderPrompt(p)) gives back p', () => {
  const representative: [string, ParsedPrompt][] = [
    ['plain text', prompt('a cat')],
    ['image prompt only', prompt('', {}, ['https://a.example/1.png', 'http://b.example/2.png'])],
    ['multi-prompt weights', prompt('space:: ship::2 --', { iw: 0.25 })],
    ['tiny image weight', prompt('a cat', { iw: 1e-7 })],
    ['huge aspect', prompt('a cat', { aspect: '123456789012345678901234567890:7' })],
    ['every speed', prompt('a cat', { speed: 'turbo' })],
    ['niji with draft', prompt('a cat', { niji: '7', draft: true })],
    ['iw 2 with 5.2', prompt('a cat', { iw: 2, version: '5.2' })],
    ['URL in text', prompt('like https://later.example/x.png', {}, ['https://a.example/1.png'])],
    ['unicode and lookalikes', prompt('日本 — – --5 well--known 🐱', { no: ['— dash', '::'] })],
  ];

  it.each(representative)('GIVEN %s THEN it round-trips', (_title, p) => {
    expectRoundTrip(p);
  });

  it('GIVEN 2000 generated valid prompts THEN every one round-trips', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const p = randomPrompt(seededRandom(seed));
      const rendered = renderPrompt(p);
      expect(promptsOf(parsePrompt(rendered)), `seed ${seed}: ${JSON.stringify(rendered)}`).toStrictEqual([p]);
    }
  });

  it('GIVEN 2000 generated commands THEN every prompt parsed from them round-trips', () => {
    let checked = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const command = randomCommand(seededRandom(seed));
      const result = parsePrompt(command);
      if (!result.ok) continue;
      for (const p of result.prompts) {
        expect(promptsOf(parsePrompt(renderPrompt(p))), `seed ${seed}: ${JSON.stringify(command)}`).toStrictEqual([p]);
        checked++;
      }
    }
    // Guards against a generator that only ever makes invalid commands, which would check nothing.
    expect(checked).toBeGreaterThan(500);
  });

  it('GIVEN a rendered prompt THEN rendering its parse gives the same text', () => {
    for (const p of parseOk('a {red, blue} {bird, fish} --no {x\\, y, z} --ar {1:1, 2:3}', { maxPrompts: 16 })) {
      const rendered = renderPrompt(p);
      const again = parsePrompt(rendered);
      expect(again.ok && renderPrompt(again.prompts[0]!)).toBe(rendered);
    }
  });
});
