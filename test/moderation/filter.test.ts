import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_TERMS,
  compilePromptFilter,
  createPromptFilter,
  stripNoParameter,
  type FilterVerdict,
} from '../../src/moderation/filter.js';

/**
 * Short words that the built-in list leaves out on purpose but that a guild may ban. With them live,
 * the innocent prompts below exercise whole-word matching instead of passing for want of a term.
 */
const SUBSTRING_BAIT = ['ass', 'tit', 'dick', 'cock', 'shit', 'cum'];
const filter = createPromptFilter({ extraTerms: SUBSTRING_BAIT });
const check = (text: string): FilterVerdict => filter.check({ text });

describe('prompt filter: innocent prompts pass', () => {
  it.each([
    ['grass field at noon', 'ass'],
    ['a class photo', 'ass'],
    ['bass guitar on a stage', 'ass'],
    ["assassin's creed style", 'ass'],
    ['a 455 horsepower engine', 'ass: a number is not leetspeak'],
    ['Scunthorpe at dusk', 'cunt'],
    ['a cocktail bar', 'cock'],
    ['a cockatoo in a cockpit', 'cock'],
    ["my therapist's office", 'rapist'],
    ['grapes and a rapeseed field', 'rape'],
    ['Essex coastline, sussex downs, Middlesex', 'sex'],
    ['analysis chart next to an analytics dashboard', 'anal'],
    ['the annals of history', 'anal: a double letter is never shortened'],
    ['shiitake mushrooms', 'shit'],
    ['title: The Great Escape', 'tit'],
    ['a Dickens novel', 'dick'],
    ['a documentary still of a cucumber', 'cum'],
    ['heroines of Greek myth', 'heroin: "es" is no ending after n'],
    ['a Methodist chapel by a methane flare', 'meth'],
    ['a pedometer', 'pedo'],
    ['Penistone railway station', 'penis'],
    ['spiced apple cider', 'spic: a c takes a k before -ed'],
    ['in the style of Edward Gorey', 'gore: "y" is no ending'],
    ['a sexy sports car', 'sex: "y" is no ending, and sexy is PG-13'],
    ['hello kitty plush toy', 'none: kitty is not listed'],
  ])('GIVEN %j (hiding %s) THEN it passes', (text) => {
    expect(check(text)).toEqual({ ok: true });
  });

  it.each([
    ['pussy willow branches', 'pussy'],
    ['nude lipstick color palette', 'nude'],
    ['a Gore-Tex jacket', 'gore'],
    ['Al Gore at a podium', 'gore'],
    ['a same-sex couple at their wedding', 'sex'],
    ['a naked mole rat seen with the naked eye', 'naked'],
  ])('GIVEN %j (%s inside an allowed phrase) THEN it passes', (text) => {
    expect(check(text)).toEqual({ ok: true });
  });

  it('GIVEN the guild bait terms on their own THEN they are caught, so the rows above test the matching', () => {
    for (const term of SUBSTRING_BAIT) expect(check(`a ${term}`)).toEqual({ ok: false, category: 'custom', term });
  });
});

describe('prompt filter: --no is not checked', () => {
  it('GIVEN a parsed prompt with --no nudity THEN it passes, and the same words in the text do not', () => {
    expect(filter.check({ text: 'a quiet mountain landscape', params: { no: ['nudity', 'gore'] } })).toEqual({
      ok: true,
    });
    expect(check('a quiet mountain landscape, nudity')).toMatchObject({ ok: false, term: 'nudity' });
  });

  it('GIVEN a raw prompt with --no nudity THEN stripping --no lets it pass', () => {
    const raw = 'a quiet mountain landscape --no nudity, gore --ar 16:9';
    expect(check(raw)).toMatchObject({ ok: false });
    expect(check(stripNoParameter(raw))).toEqual({ ok: true });
  });

  it.each([
    ['a landscape --no nudity, gore --ar 16:9', 'a landscape --ar 16:9'],
    ['a landscape —no nudity —ar 16:9', 'a landscape —ar 16:9'],
    ['a landscape --NO nudity', 'a landscape'],
    ['--no nudity a landscape --chaos 5 --no gore', '--chaos 5'],
    ['a landscape --ar 16:9 nude --no gore', 'a landscape --ar 16:9 nude'],
    ['a nocturne --nocturnal', 'a nocturne --nocturnal'],
  ])('GIVEN %j THEN stripNoParameter gives %j', (raw, stripped) => {
    expect(stripNoParameter(raw)).toBe(stripped);
  });
});

describe('prompt filter: banned words are caught however they are written', () => {
  it.each([
    ['porn', 'porn'],
    ['a nude woman', 'nude'],
    ['NUDE', 'nude'],
    ['Nüde', 'nude'],
    ['ｎｕｄｅ', 'nude'],
    ['nudе with a Cyrillic e', 'nude'],
    ['s\u200bex with a zero-width space', 'sex'],
  ])('GIVEN %j (case, accents, lookalikes) THEN term %s is caught', (text, term) => {
    expect(check(text)).toEqual({ ok: false, category: 'sexual', term });
  });

  it.each([
    's.e.x',
    's-e-x',
    's e x',
    's_e_x',
    's*e*x',
    "s'e'x",
    'a s.e.x scene',
    'se-x',
    'p o r n',
    '5 e x',
    's.e.e.e.e.x',
  ])('GIVEN %j (spelled out or split) THEN it is caught', (text) => {
    expect(check(text)).toMatchObject({ ok: false, category: 'sexual' });
  });

  it.each([
    ['s3x', 'sex'],
    ['$ex', 'sex'],
    ['5ex', 'sex'],
    ['pr0n', 'pron'],
    ['p0rn', 'porn'],
    ['n00d', 'nood'],
    ['n00d3', 'nude'],
    ['h3nt@i', 'hentai'],
    ['SEX!!!', 'sex'],
    ['nude!girl', 'nude'],
  ])('GIVEN %j (leetspeak) THEN term %s is caught', (text, term) => {
    expect(check(text)).toEqual({ ok: false, category: 'sexual', term });
  });

  it.each([
    ['seeeex', 'sex'],
    ['pooooorn', 'porn'],
    ['s333x', 'sex'],
    ['xxxxx', 'xxx'],
  ])('GIVEN %j (stretched letters) THEN term %s is caught', (text, term) => {
    expect(check(text)).toEqual({ ok: false, category: 'sexual', term });
  });

  it.each([
    ['nudes', 'nude'],
    ['raping', 'rape'],
    ['raped', 'rape'],
    ['orgies', 'orgy'],
    ['pussies', 'pussy'],
    ['sexes', 'sex'],
    ['sluts', 'slut'],
  ])('GIVEN %j (a form of the word) THEN term %s is caught', (text, term) => {
    expect(check(text)).toEqual({ ok: false, category: 'sexual', term });
  });

  it.each(['a blood bath', 'blood  bath', 'blood-bath', 'blood_bath', 'a bloodbath', 'blood baths', 'BL00D B4TH'])(
    'GIVEN %j THEN the multi-word term "blood bath" is caught',
    (text) => {
      expect(check(text)).toEqual({ ok: false, category: 'violence_gore', term: 'blood bath' });
    },
  );

  it('GIVEN the words of a multi-word term apart THEN it is not caught', () => {
    expect(check('blood orange juice in a bath')).toEqual({ ok: true });
  });
});

describe('prompt filter: categories', () => {
  it.each([
    ['a beheaded statue', 'violence_gore', 'behead'],
    ['kkk rally', 'hate', 'kkk'],
    ['how to kill myself', 'self_harm', 'kill myself'],
    ['a heroin needle', 'drugs', 'heroin'],
    ['l0l1 art', 'minors', 'loli'],
    ['child porn', 'minors', 'child porn'],
  ])('GIVEN %j THEN category %s and term %s', (text, category, term) => {
    expect(check(text)).toEqual({ ok: false, category, term });
  });

  it('GIVEN two banned words THEN the more serious category is reported, wherever it stands', () => {
    expect(check('gore and porn')).toEqual({ ok: false, category: 'sexual', term: 'porn' });
    expect(check('porn and gore')).toEqual({ ok: false, category: 'sexual', term: 'porn' });
  });

  it('GIVEN a sexual word next to a word for a child THEN it is reported as minors', () => {
    expect(check('a nude child')).toEqual({ ok: false, category: 'minors', term: 'nude + child' });
  });

  it('GIVEN a word for a child without anything sexual THEN it passes', () => {
    expect(check('a child flying a kite')).toEqual({ ok: true });
    expect(check('Shota Imanaga pitching')).toEqual({ ok: true });
  });

  it('GIVEN a minor marker that is also a name THEN it still escalates sexual content', () => {
    expect(check('nude shota')).toEqual({ ok: false, category: 'minors', term: 'nude + shota' });
  });

  it('GIVEN a banned word beside an allowed phrase THEN the allowed phrase does not excuse it', () => {
    expect(check('a nude woman holding pussy willow')).toEqual({ ok: false, category: 'sexual', term: 'nude' });
    expect(check('pussy willow and a pussy')).toEqual({ ok: false, category: 'sexual', term: 'pussy' });
  });
});

describe('prompt filter: guild terms', () => {
  const guild = createPromptFilter({ extraTerms: ['Pineapple', 'frodo baggins', 'pr0mpt', 'nude', '!', ' c++ '] });

  it.each([
    ['a pineapple', 'Pineapple'],
    ['PINEAPPLES', 'Pineapple'],
    ['p-i-n-e-a-p-p-l-e', 'Pineapple'],
    ['pïneäpple', 'Pineapple'],
    ['p1n3@pple', 'Pineapple'],
    ['Frodo  Baggins', 'frodo baggins'],
    ['fr0d0-b4ggins', 'frodo baggins'],
    ['prompt', 'pr0mpt'],
  ])('GIVEN %j THEN the guild term %j is caught as custom', (text, term) => {
    expect(guild.check({ text })).toEqual({ ok: false, category: 'custom', term });
  });

  it('GIVEN a guild term that is also built in THEN the built-in category is reported', () => {
    expect(guild.check({ text: 'nude' })).toEqual({ ok: false, category: 'sexual', term: 'nude' });
  });

  it('GIVEN guild terms that fold to less than two characters THEN they are ignored and reported', () => {
    expect(guild.ignoredTerms).toEqual(['!', ' c++ ']);
    expect(guild.check({ text: 'c code, a cat!' })).toEqual({ ok: true });
  });

  it('GIVEN another guild THEN its filter does not see these terms', () => {
    expect(createPromptFilter().check({ text: 'a pineapple' })).toEqual({ ok: true });
  });
});

describe('prompt filter: the built-in list', () => {
  it('GIVEN the built-in list THEN it is moderate in size and has no duplicates', () => {
    expect(BUILT_IN_TERMS.length).toBeGreaterThanOrEqual(60);
    expect(BUILT_IN_TERMS.length).toBeLessThanOrEqual(150);
    expect(new Set(BUILT_IN_TERMS.map(({ term }) => term)).size).toBe(BUILT_IN_TERMS.length);
  });

  it('GIVEN the built-in list THEN it leaves out words with common innocent meanings', () => {
    const terms = BUILT_IN_TERMS.map(({ term }) => term);
    for (const innocent of [
      'ass',
      'tit',
      'tits',
      'cock',
      'dick',
      'shit',
      'cum',
      'fag',
      'chink',
      'coon',
      'sexy',
      'suicide',
      'breasts',
    ]) {
      expect(terms).not.toContain(innocent);
    }
  });

  it('GIVEN each built-in term as a prompt THEN it is caught with its own category', () => {
    const plain = createPromptFilter();
    for (const { term, category } of BUILT_IN_TERMS) {
      expect(plain.check({ text: term }), term).toMatchObject({ ok: false, category });
    }
  });
});

/**
 * Guards against a catastrophic regression (a backtracking or quadratic check), with bounds a
 * loaded CI machine cannot trip: the per-check figures themselves are measured by `npm run bench`
 * (bench/hostile.ts), where they belong.
 */
describe('prompt filter: bounded work', () => {
  const timePerCheck = (text: string): number => {
    const runs = 200;
    const started = performance.now();
    for (let run = 0; run < runs; run++) filter.check({ text });
    return (performance.now() - started) / runs;
  };

  it('GIVEN a 500-character prompt THEN a check never stalls', () => {
    const text =
      'a lighthouse on a rocky coast at dusk, storm clouds, waves crashing, volumetric light, 35mm film grain, '
        .repeat(5)
        .slice(0, 500);
    expect(text).toHaveLength(500);
    expect(timePerCheck(text)).toBeLessThan(20);
  });

  it('GIVEN 500 characters of spelled-out letters THEN a check never stalls either', () => {
    const text = 'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z '.repeat(10).slice(0, 500);
    expect(timePerCheck(text)).toBeLessThan(50);
  });
});

describe('prompt filter: hostile lengths', () => {
  it('GIVEN thousands of one spelled-out letter before a spelled-out term THEN the term is still found', () => {
    expect(check(`${'a.'.repeat(2500)}s.e.x`)).toMatchObject({ ok: false, term: 'sex' });
    // The run itself is the stretched first letter: "sss…ex" reads as "sex".
    expect(check(`${'s.'.repeat(2500)}e.x`)).toMatchObject({ ok: false, term: 'sex' });
    expect(check(`${'a.'.repeat(2500)}cat`)).toEqual({ ok: true });
  });

  it('GIVEN a phrase ban and a prompt repeating its first word THEN only the whole phrase is refused', () => {
    const phrases = createPromptFilter({
      extraTerms: Array.from({ length: 300 }, (_, index) => `harbour lights ${index}`),
    });
    expect(phrases.check({ text: 'harbour sunset, '.repeat(300) })).toEqual({ ok: true });
    expect(phrases.check({ text: `${'harbour sunset, '.repeat(300)} harbour lights 299` })).toMatchObject({
      ok: false,
      category: 'custom',
    });
  });

  it('GIVEN a long term list compiled in turns THEN it reads like the one compiled at once, and the event loop ran meanwhile', async () => {
    const terms = Array.from({ length: 120 }, (_, index) => `t3rm${index} ph!ase`);
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 0);
    const compiled = await compilePromptFilter(terms);
    clearInterval(ticker);
    const atOnce = createPromptFilter({ extraTerms: terms });
    for (const text of ['term7 phlase', 't3rm119 ph!ase', 'term120 phrase', 'a calm sea'])
      expect(compiled.check({ text })).toEqual(atOnce.check({ text }));
    expect(turns).toBeGreaterThan(0);
  });
});
