import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PARAM_NAMES } from '../../src/prompt/types.js';
import { ProviderError } from '../../src/providers/errors.js';
import { KieAdapter } from '../../src/providers/kie.js';
import { recordToUpdate } from '../../src/providers/kie/response.js';
import { kieErrorCode, kieRefusal, taskFailure } from '../../src/providers/kie/failures.js';
import { recordDataSchema } from '../../src/providers/kie/schemas.js';
import {
  generateBody,
  gridImageOf,
  kieVariety,
  providerIndex,
  referenceOf,
  videoBody,
} from '../../src/providers/kie/request.js';
import type { ParentTask } from '../../src/providers/types.js';
import { prompt } from './support.js';

const adapter = new KieAdapter({ baseUrl: 'http://127.0.0.1:1', key: 'k', logger: pino({ level: 'silent' }) });
const options = { translation: 'auto' } as const;

describe('kie generateBody', () => {
  it('GIVEN flags THEN structured fields with Kie’s names and values, no "--" in the prompt', () => {
    const body = generateBody(
      prompt('a fighter jet in the sky --ar 16:9 --chaos 12 --stylize 250 --weird 100 --v 7 --relax'),
      options,
    );
    expect(body).toEqual({
      taskType: 'mj_txt2img',
      prompt: 'a fighter jet in the sky',
      speed: 'relaxed',
      aspectRatio: '16:9',
      version: '7',
      variety: 10,
      stylization: 250,
      weirdness: 100,
    });
  });

  it('GIVEN niji and an odd ratio THEN "niji6" and the nearest ratio; no speed means fast', () => {
    expect(generateBody(prompt('a girl --niji 6 --ar 7:4'), options)).toMatchObject({
      version: 'niji6',
      aspectRatio: '16:9',
      speed: 'fast',
    });
    expect(generateBody(prompt('a girl --niji 7'), options)).toMatchObject({ version: 'niji7' });
  });

  it('GIVEN no version THEN none is sent (Kie’s default is its latest model)', () => {
    expect(generateBody(prompt('a cat'), options)).not.toHaveProperty('version');
  });

  it('GIVEN image prompts, --sref URLs or --oref THEN their own taskType with fileUrls', () => {
    expect(generateBody(prompt('https://example.com/a.png a dog'), options)).toMatchObject({
      taskType: 'mj_img2img',
      fileUrls: ['https://example.com/a.png'],
    });
    expect(generateBody(prompt('a dog --sref https://example.com/s.png'), options)).toMatchObject({
      taskType: 'mj_style_reference',
      fileUrls: ['https://example.com/s.png'],
    });
    const omni = generateBody(prompt('a dog --oref https://example.com/o.png --ow 300 --turbo'), options);
    expect(omni).toMatchObject({ taskType: 'mj_omni_reference', fileUrls: ['https://example.com/o.png'], ow: 300 });
    expect(omni).not.toHaveProperty('speed');
  });

  it('GIVEN --ow without --oref THEN ow is not sent', () => {
    expect(generateBody(prompt('a dog --ow 300'), options)).not.toHaveProperty('ow');
  });

  it('GIVEN mixed references, style codes or an unknown version THEN invalid_input', () => {
    expect(referenceOf(prompt('https://example.com/a.png a dog --sref https://example.com/s.png'))).toHaveProperty(
      'problem',
    );
    expect(referenceOf(prompt('a dog --sref 12345'))).toHaveProperty('problem');
    expect(() => generateBody(prompt('a dog --sref random'), options)).toThrow(ProviderError);
    expect(() => generateBody(prompt('a dog --v 8'), options)).toThrow(
      expect.objectContaining({ code: 'invalid_input' }) as Error,
    );
  });

  it('GIVEN a non-Latin prompt THEN enableTranslation; GIVEN a callback and a watermark THEN both are sent', () => {
    const body = generateBody(
      { text: 'кот в шляпе', imageUrls: [], params: {} },
      { translation: 'auto', callbackUrl: 'https://bot.example/cb', waterMark: 'guild' },
    );
    expect(body).toMatchObject({ enableTranslation: true, callBackUrl: 'https://bot.example/cb', waterMark: 'guild' });
  });

  it('GIVEN a double hyphen in the text THEN it reaches Kie as one hyphen', () => {
    expect(generateBody({ text: 'a -- b', imageUrls: [], params: {} }, options).prompt).toBe('a - b');
  });

  it.each([
    [0, 0],
    [2, 0],
    [3, 5],
    [12, 10],
    [13, 15],
    [98, 100],
    [100, 100],
  ])('GIVEN chaos %i THEN variety %i', (chaos, variety) => {
    expect(kieVariety(chaos)).toBe(variety);
  });
});

describe('kie follow-up indices', () => {
  const grid: ParentTask = {
    action: 'imagine',
    taskId: 'grid',
    prompt: prompt('a cat'),
    imageCount: 4,
    loadImage: () => Promise.reject(new Error('unused')),
  };

  it('GIVEN the bot’s 1-based index THEN upscale gets 0–3 and vary 1–4 with the doc’s bases', () => {
    expect([1, 2, 3, 4].map((index) => providerIndex(gridImageOf(grid, index).index, 0))).toEqual([0, 1, 2, 3]);
    expect([1, 2, 3, 4].map((index) => providerIndex(gridImageOf(grid, index).index, 1))).toEqual([1, 2, 3, 4]);
  });

  it('GIVEN an upscale parent THEN its grid image, or unsupported without an origin', () => {
    const upscale = {
      ...grid,
      action: 'upscale' as const,
      taskId: 'up',
      imageCount: 1,
      origin: { taskId: 'grid', index: 3 },
    };
    expect(gridImageOf(upscale, 1)).toEqual({ taskId: 'grid', index: 3 });
    expect(() => gridImageOf({ ...upscale, origin: undefined }, 1)).toThrow(
      expect.objectContaining({ code: 'unsupported' }) as Error,
    );
    expect(() => gridImageOf(grid, 5)).toThrow(expect.objectContaining({ code: 'invalid_input' }) as Error);
  });
});

describe('kie failures', () => {
  it.each([
    [400, 'invalid_input'],
    [401, 'auth'],
    [402, 'credits'],
    [404, 'invalid_input'],
    [422, 'invalid_input'],
    [429, 'rate_limited'],
    [455, 'transient'],
    [500, 'transient'],
    [501, 'unknown'],
    [505, 'unsupported'],
  ] as const)('GIVEN code %i THEN %s', (code, expected) => {
    expect(kieErrorCode(code, 'x')).toBe(expected);
  });

  it('GIVEN a 200 carrying an error code THEN the body code wins and no HTTP status is claimed', () => {
    const error = kieRefusal('kie POST /api/v1/mj/generate', 402, {
      code: 402,
      msg: 'Insufficient credits',
      data: null,
    });
    expect(error).toMatchObject({
      code: 'credits',
      status: undefined,
      providerCode: '402',
      providerMessage: 'Insufficient credits',
    });
    expect(error.message).toContain('kie POST /api/v1/mj/generate');
  });

  it('GIVEN a refusal about banned words THEN content_rejected', () => {
    expect(kieRefusal('kie', 400, { code: 400, msg: 'Banned prompt detected' }, 400).code).toBe('content_rejected');
  });

  it('GIVEN failed tasks THEN moderation, input and generation failures', () => {
    expect(taskFailure(2, 400, 'Banned prompt: the content violates the usage policy')).toMatchObject({
      code: 'content_rejected',
      providerCode: '400',
    });
    expect(taskFailure(2, 422, 'fileUrls: cannot fetch image')).toMatchObject({ code: 'invalid_input' });
    expect(taskFailure(3, 501, 'generation failed')).toMatchObject({ code: 'unknown' });
    expect(taskFailure(3, null, null)).toMatchObject({ code: 'unknown', providerCode: 'successFlag 3' });
  });
});

describe('kie recordToUpdate', () => {
  const read = (data: unknown) => recordToUpdate(recordDataSchema.parse(data));

  it('GIVEN successFlag 0 THEN running with no progress', () => {
    expect(read({ taskId: 't', successFlag: 0, resultInfoJson: null })).toEqual({
      taskId: 't',
      state: 'running',
      statusText: 'generating',
    });
  });

  it('GIVEN success with resultInfoJson as an object of {resultUrl} items THEN four URL images', () => {
    const urls = [0, 1, 2, 3].map((n) => `https://tempfile.aiquickdraw.com/v/x_0_${n}.jpeg`);
    const update = read({
      taskId: 't',
      successFlag: 1,
      resultInfoJson: { resultUrls: urls.map((resultUrl) => ({ resultUrl })) },
      completeTime: '2024-03-20T10:30:00Z',
    });
    expect(update.images).toEqual(urls.map((url) => ({ kind: 'url', url })));
  });

  it('GIVEN resultInfoJson as a JSON string THEN it is read the same', () => {
    const update = read({
      taskId: 't',
      successFlag: 1,
      resultInfoJson: JSON.stringify({ resultUrls: [{ resultUrl: 'https://x/1.png' }] }),
    });
    expect(update.images).toEqual([{ kind: 'url', url: 'https://x/1.png' }]);
  });

  it('GIVEN successFlag 2 and 3 THEN failed with Kie’s words kept for the log', () => {
    expect(read({ taskId: 't', successFlag: 2, errorCode: 400, errorMessage: 'Banned prompt' })).toMatchObject({
      state: 'failed',
      statusText: 'failed',
      failure: { code: 'content_rejected' },
    });
    expect(read({ taskId: 't', successFlag: 3, errorCode: 501, errorMessage: 'upstream failed' })).toMatchObject({
      state: 'failed',
      statusText: 'generation failed',
      failure: { code: 'unknown', providerMessage: 'upstream failed' },
    });
  });
});

describe('kie parseCallback', () => {
  it('GIVEN the documented success body with plain string URLs THEN succeeded', () => {
    const body = {
      code: 200,
      msg: 'success',
      data: {
        taskId: 'mj_task_12345',
        promptJson: '{"prompt":"x"}',
        resultUrls: ['https://e/1.png', 'https://e/2.png', 'https://e/3.png', 'https://e/4.png'],
      },
    };
    const update = adapter.parseCallback(body);
    expect(update).toMatchObject({ taskId: 'mj_task_12345', state: 'succeeded' });
    expect(update.images).toHaveLength(4);
    expect(adapter.parseCallback(body)).toEqual(update);
  });

  it('GIVEN the documented failure body THEN failed, code unknown, Kie’s message kept', () => {
    const update = adapter.parseCallback({
      code: 500,
      msg: 'Image generation failed',
      data: { taskId: 'mj_task_12345', promptJson: '{}', resultUrls: [] },
    });
    expect(update).toMatchObject({
      state: 'failed',
      failure: { code: 'unknown', providerCode: '500', providerMessage: 'Image generation failed' },
    });
  });

  it('GIVEN something else THEN invalid_input', () => {
    expect(() => adapter.parseCallback({ code: 200 })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }) as Error,
    );
  });
});

describe('kie checkPrompt', () => {
  it('GIVEN chaos off the 5-step grid THEN a notice says what it becomes', () => {
    expect(adapter.checkPrompt(prompt('a cat --chaos 12'))).toEqual({
      ok: true,
      notices: ['--chaos 12 becomes 10: Kie takes steps of 5.'],
    });
  });

  it('GIVEN mixed references or refused parameters THEN errors', () => {
    expect(adapter.checkPrompt(prompt('https://example.com/a.png a cat --oref https://example.com/o.png')).ok).toBe(
      false,
    );
    const check = adapter.checkPrompt(prompt('a cat --tile --cref https://example.com/c.png'));
    expect(check.ok ? [] : check.errors.map((error) => error.param)).toEqual(['tile', 'cref']);
  });

  it('GIVEN --ow alone or a speed with --oref THEN notices', () => {
    expect(adapter.checkPrompt(prompt('a cat --ow 200'))).toMatchObject({
      ok: true,
      notices: ['--ow is ignored without --oref.'],
    });
    expect(adapter.checkPrompt(prompt('a cat --oref https://example.com/o.png --turbo'))).toMatchObject({
      ok: true,
      notices: [expect.stringContaining('--turbo')],
    });
  });

  it('declares every canonical parameter and honest capabilities', () => {
    // HD video is mj_video_hd, chosen by the server (/settings hd_video), not by a prompt parameter.
    expect(adapter.capabilities.actions.videoHd).toBe(true);
    expect(Object.keys(adapter.parameters).sort()).toEqual([...PARAM_NAMES].sort());
    // Animate is mj_video on an upscale; Extend is generateVideoExtend.
    expect(adapter.capabilities.actions.video).toBe(true);
    expect(adapter.capabilities.actions.videoExtend).toBe(true);
    expect(adapter.capabilities.progress).toBe(false);
    expect(adapter.capabilities.timing.recommendedPollSeconds).toBe(30);
  });
});

describe('kie videoBody', () => {
  const upscale: ParentTask = {
    action: 'upscale',
    taskId: 't-up',
    prompt: prompt('a kite over dunes --ar 3:2'),
    imageCount: 1,
    imageUrl: (index) => (index === 1 ? 'https://cdn.example/u.png' : undefined),
    loadImage: () => Promise.reject(new Error('not loaded: Kie takes the URL')),
  };

  it('GIVEN Animate THEN mj_video with the upscale as the one file, the motion and one video', () => {
    expect(videoBody(upscale, 'low')).toEqual({
      taskType: 'mj_video',
      prompt: 'a kite over dunes',
      fileUrls: ['https://cdn.example/u.png'],
      motion: 'low',
      videoBatchSize: 1,
    });
  });

  it('GIVEN Animate with HD asked THEN the same body as mj_video_hd', () => {
    expect(videoBody(upscale, 'high', true)).toEqual({ ...videoBody(upscale, 'high'), taskType: 'mj_video_hd' });
  });
});
