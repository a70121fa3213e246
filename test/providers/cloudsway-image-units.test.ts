import { pino } from 'pino';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PARAM_NAMES } from '../../src/prompt/types.js';
import { CloudswayImageAdapter } from '../../src/providers/cloudsway-image.js';
import {
  generationBody,
  imagePrompt,
  imageQuality,
  imageSize,
  varyInstruction,
} from '../../src/providers/cloudsway-image/request.js';
import { sniffContentType, toResultImages } from '../../src/providers/cloudsway-image/response.js';
import { prompt } from './support.js';

const adapter = new CloudswayImageAdapter({
  baseUrl: 'http://127.0.0.1:1/v1/ai',
  endpointPath: 'x',
  key: 'k',
  logger: pino({ level: 'silent' }),
});

describe('Image-1 translation', () => {
  it.each([
    [undefined, '1024x1024'],
    ['1:1', '1024x1024'],
    ['6:5', '1024x1024'],
    ['5:4', '1536x1024'],
    ['3:2', '1536x1024'],
    ['16:9', '1536x1024'],
    ['21:9', '1536x1024'],
    ['2:3', '1024x1536'],
    ['9:16', '1024x1536'],
  ])('GIVEN --ar %s THEN size %s', (aspect, size) => {
    expect(imageSize(aspect)).toBe(size);
  });

  it('GIVEN --q and --draft THEN quality low, medium or high; nothing given leaves it to the provider', () => {
    expect([0.25, 0.5, 1, 2, 4].map((quality) => imageQuality({ quality }))).toEqual([
      'low',
      'low',
      'medium',
      'high',
      'high',
    ]);
    expect(imageQuality({ draft: true })).toBe('low');
    expect(imageQuality({ draft: true, quality: 2 })).toBe('high');
    expect(imageQuality({})).toBeUndefined();
  });

  it('GIVEN --no THEN an exclusion sentence, punctuated after the text', () => {
    expect(imagePrompt(prompt('a bowl of fruit --no pears, grapes'))).toBe(
      'a bowl of fruit. Do not include: pears, grapes.',
    );
    expect(imagePrompt(prompt('Look at this! --no pears'))).toBe('Look at this! Do not include: pears.');
    expect(imagePrompt(prompt('a bowl of fruit'))).toBe('a bowl of fruit');
  });

  it('GIVEN any prompt THEN the generation body has no --flag and asks for four images', () => {
    const body = generationBody(
      prompt('a cat --ar 9:16 --stylize 900 --chaos 50 --seed 3 --v 7 --relax --q .5 --no dogs'),
      'gpt-image-1',
    );
    expect(body).toEqual({
      prompt: 'a cat. Do not include: dogs.',
      model: 'gpt-image-1',
      n: 4,
      size: '1024x1536',
      quality: 'low',
    });
    expect(JSON.stringify(body)).not.toContain('--');
  });

  it('GIVEN a vary THEN strong and subtle instructions differ and both carry the prompt', () => {
    const parsed = prompt('a lighthouse at dusk --no boats');
    const strong = varyInstruction(parsed, 'strong');
    const subtle = varyInstruction(parsed, 'subtle');
    expect(strong).not.toBe(subtle);
    for (const instruction of [strong, subtle])
      expect(instruction).toContain('a lighthouse at dusk. Do not include: boats.');
    expect(subtle).toContain('keep the composition');
  });
});

describe('Image-1 responses', () => {
  it('GIVEN PNG, JPEG and WebP bytes THEN each is labelled by its own signature', async () => {
    const base = sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } });
    expect(sniffContentType((await base.clone().png().toBuffer()).toString('base64'))).toBe('image/png');
    expect(sniffContentType((await base.clone().jpeg().toBuffer()).toString('base64'))).toBe('image/jpeg');
    expect(sniffContentType((await base.clone().webp().toBuffer()).toString('base64'))).toBe('image/webp');
    expect(sniffContentType(Buffer.from('hello world').toString('base64'))).toBe('application/octet-stream');
  });

  it('GIVEN fewer images than asked THEN rejected placeholders keep the positions', () => {
    const images = toResultImages(
      { data: [{ b64_json: 'iVBORw0KGgoAAAANSUhEUg==' }, { url: 'https://x.example/2.png' }] },
      4,
    );
    expect(images.map((image) => image.kind)).toEqual(['base64', 'url', 'rejected', 'rejected']);
  });
});

describe('CloudswayImageAdapter tables', () => {
  it('GIVEN the parameter table THEN every parameter is listed, nothing is native, and each says why', () => {
    expect(Object.keys(adapter.parameters).sort()).toEqual([...PARAM_NAMES].sort());
    for (const support of Object.values(adapter.parameters)) {
      expect(support.handling).not.toBe('native');
      expect(support.note).toBeTruthy();
    }
  });

  it('GIVEN an --ar that is not one of the three THEN a notice names the ratio it becomes', () => {
    const check = adapter.checkPrompt(prompt('a cat --ar 16:9'));
    expect(check).toEqual({ ok: true, notices: [expect.stringContaining('3:2') as unknown], speed: 'fast' });
  });

  it('GIVEN --fast THEN no notice; --turbo, --niji THEN notices, never errors', () => {
    expect(adapter.checkPrompt(prompt('a cat --fast'))).toEqual({ ok: true, notices: [], speed: 'fast' });
    const check = adapter.checkPrompt(prompt('a cat --turbo --niji 6'));
    expect(check.ok).toBe(true);
    expect(check.ok ? check.notices : []).toHaveLength(2);
  });

  it('GIVEN the declared actions THEN every emulated one has a sentence and the provider is synchronous', () => {
    expect(adapter.capabilities.synchronous).toBe(true);
    expect(Object.keys(adapter.capabilities.emulated).sort()).toEqual([
      'pan',
      'reroll',
      'square',
      'upscale',
      'vary',
      'zoom',
    ]);
    expect(adapter.capabilities.actions.upscale).toEqual(['default']);
  });
});
