import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PARAM_NAMES, type ParsedPrompt } from '../../src/prompt/types.js';
import { ApixoAdapter } from '../../src/providers/apixo.js';
import { toUpdate } from '../../src/providers/apixo/response.js';
import { apixoRefusal, taskFailure } from '../../src/providers/apixo/failures.js';
import { statusDataSchema } from '../../src/providers/apixo/schemas.js';
import {
  regionInput,
  fieldFallback,
  followUpTarget,
  imagineInput,
  needsTranslation,
  sanitisePromptText,
} from '../../src/providers/apixo/request.js';
import { ProviderError } from '../../src/providers/errors.js';
import type { ParentTask } from '../../src/providers/types.js';
import { prompt } from './support.js';

function parent(overrides: Partial<ParentTask> = {}): ParentTask {
  return {
    action: 'imagine',
    taskId: 'task_grid',
    prompt: prompt('a cat'),
    imageCount: 4,
    loadImage: () => Promise.reject(new Error('not used')),
    ...overrides,
  };
}

const adapter = new ApixoAdapter({ baseUrl: 'http://127.0.0.1:1/api/v1', key: 'k', logger: pino({ level: 'silent' }) });

describe('apixo imagineInput', () => {
  it('GIVEN flags THEN they become structured fields of the new generation and never text', () => {
    const input = imagineInput(prompt('a red fox --ar 16:9 --chaos 20 --stylize 500 --weird 250 --v 7 --turbo'), {
      fieldNames: 'new',
      translation: 'auto',
    });
    expect(input).toEqual({
      mode: 'text-to-image',
      prompt: 'a red fox',
      version: 'v7',
      speed: 'turbo',
      aspect_ratio: '16:9',
      variety: 20,
      stylization: 500,
      weirdness: 250,
    });
  });

  it('GIVEN the old generation THEN the old names are used', () => {
    const input = imagineInput(prompt('a red fox --ar 2:3 --c 5 --s 50 --w 10'), {
      fieldNames: 'old',
      translation: 'auto',
    });
    expect(input).toMatchObject({ aspect: '2:3', chaos: 5, stylize: 50, weird: 10 });
    expect(input).not.toHaveProperty('aspect_ratio');
  });

  it('GIVEN both generations THEN every value is sent under both names', () => {
    const input = imagineInput(prompt('a red fox --ar 2:3 --c 5'), { fieldNames: 'both', translation: 'auto' });
    expect(input).toMatchObject({ aspect: '2:3', aspect_ratio: '2:3', chaos: 5, variety: 5 });
  });

  it('GIVEN niji, relax and an unsupported ratio THEN niji maps, relax runs fast and the ratio is the nearest', () => {
    const input = imagineInput(prompt('a girl --niji 6 --relax --ar 7:4'), { fieldNames: 'new', translation: 'auto' });
    expect(input).toMatchObject({ version: 'niji 6', speed: 'fast', aspect_ratio: '16:9' });
  });

  it('GIVEN no version or speed THEN the documented defaults are sent explicitly', () => {
    expect(imagineInput(prompt('a cat'), { fieldNames: 'new', translation: 'auto' })).toMatchObject({
      version: 'v6.1',
      speed: 'fast',
    });
  });

  it('GIVEN leading image URLs THEN the mode is image-to-image with image_urls', () => {
    const input = imagineInput(prompt('https://example.com/a.png https://example.com/b.png a dog in a park'), {
      fieldNames: 'new',
      translation: 'auto',
    });
    expect(input).toMatchObject({
      mode: 'image-to-image',
      prompt: 'a dog in a park',
      image_urls: ['https://example.com/a.png', 'https://example.com/b.png'],
    });
  });

  it('GIVEN a non-Latin prompt THEN enableTranslation is asked for, unless translation is off', () => {
    const text: ParsedPrompt = { text: '一个温馨的咖啡馆', imageUrls: [], params: {} };
    expect(imagineInput(text, { fieldNames: 'new', translation: 'auto' }).enableTranslation).toBe(true);
    expect(imagineInput(text, { fieldNames: 'new', translation: 'off' })).not.toHaveProperty('enableTranslation');
    expect(needsTranslation('a café, 16:9 — naïve')).toBe(false);
    expect(needsTranslation('кот в шляпе')).toBe(true);
  });

  it('GIVEN a double hyphen inside the text THEN no "--" reaches APIXO (it would cut the prompt there)', () => {
    expect(sanitisePromptText('left -- right ---> on')).toBe('left - right -> on');
    const input = imagineInput(
      { text: 'a cat -- wearing a hat', imageUrls: [], params: {} },
      { fieldNames: 'new', translation: 'auto' },
    );
    expect(String(input.prompt)).not.toContain('--');
    expect(input.prompt).toBe('a cat - wearing a hat');
  });
});

describe('apixo followUpTarget', () => {
  it('GIVEN a 1-based bot index THEN it is converted to the configured base', () => {
    expect(followUpTarget(parent(), 1, 0)).toEqual({ taskId: 'task_grid', imageIndex: 0 });
    expect(followUpTarget(parent(), 4, 0)).toEqual({ taskId: 'task_grid', imageIndex: 3 });
    expect(followUpTarget(parent(), 1, 1)).toEqual({ taskId: 'task_grid', imageIndex: 1 });
    expect(followUpTarget(parent(), 4, 1)).toEqual({ taskId: 'task_grid', imageIndex: 4 });
  });

  it('GIVEN an upscale parent with its origin THEN the grid image it came from is the target', () => {
    const upscale = parent({
      action: 'upscale',
      taskId: 'task_up',
      imageCount: 1,
      origin: { taskId: 'task_grid', index: 3 },
    });
    expect(followUpTarget(upscale, 1, 0)).toEqual({ taskId: 'task_grid', imageIndex: 2 });
  });

  it('GIVEN an index outside the parent THEN invalid_input', () => {
    expect(() => followUpTarget(parent(), 5, 0)).toThrow(expect.objectContaining({ code: 'invalid_input' }) as Error);
    expect(() => followUpTarget(parent(), 0, 0)).toThrow(ProviderError);
  });
});

describe('apixo fieldFallback', () => {
  const refusal = (message: string) =>
    apixoRefusal('apixo POST /generateTask/midjourney', 400, { code: 400, message }, 400);

  it('GIVEN a refusal naming a new-generation field we sent THEN the old generation is next', () => {
    expect(
      fieldFallback(refusal('Invalid parameter: unknown field input.aspect_ratio'), 'new', { aspect_ratio: '1:1' }),
    ).toBe('old');
  });

  it('GIVEN a refusal naming an old-generation field THEN the new generation is next; from both, the other one', () => {
    expect(fieldFallback(refusal('unknown field: weird'), 'old', { weird: 5 })).toBe('new');
    expect(fieldFallback(refusal('unknown field input.variety'), 'both', { variety: 5, chaos: 5 })).toBe('old');
  });

  it('GIVEN a refusal about something else, a field we did not send, or credits THEN no fallback', () => {
    expect(
      fieldFallback(refusal('Invalid parameter: input.prompt is required'), 'new', { aspect_ratio: '1:1' }),
    ).toBeUndefined();
    expect(fieldFallback(refusal('unknown field input.aspect_ratio'), 'new', { prompt: 'x' })).toBeUndefined();
    expect(fieldFallback(refusal('Insufficient credits'), 'new', { aspect_ratio: '1:1' })).toBeUndefined();
    // "weirdness" must not be read as the old "weird".
    expect(fieldFallback(refusal('weirdness must be at most 3000'), 'old', { weird: 5 })).toBeUndefined();
  });
});

describe('apixo failures', () => {
  it('GIVEN the doc’s insufficient-credits body on a 400 THEN credits', () => {
    const error = apixoRefusal(
      'apixo POST /generateTask/midjourney',
      400,
      { code: 400, message: 'Insufficient credits', data: null },
      400,
    );
    expect(error).toMatchObject({
      code: 'credits',
      status: 400,
      providerCode: '400',
      providerMessage: 'Insufficient credits',
    });
    expect(error.message).toContain('apixo POST /generateTask/midjourney');
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [402, 'credits'],
    [404, 'invalid_input'],
    [429, 'rate_limited'],
    [500, 'transient'],
    [503, 'transient'],
  ] as const)('GIVEN HTTP %i THEN %s', (status, code) => {
    expect(apixoRefusal('apixo', status, { code: status, message: 'x' }, status).code).toBe(code);
  });

  it('GIVEN failCodes THEN content, input and unknown failures', () => {
    expect(taskFailure('CONTENT_VIOLATION', 'Content does not meet safety guidelines')).toMatchObject({
      code: 'content_rejected',
      providerCode: 'CONTENT_VIOLATION',
    });
    expect(taskFailure('INVALID_IMAGE_URL', 'cannot fetch')).toMatchObject({ code: 'invalid_input' });
    expect(taskFailure('INVALID_TASK_ID', 'Invalid previous task ID')).toMatchObject({ code: 'invalid_input' });
    expect(taskFailure('SOMETHING_NEW', 'upstream error')).toMatchObject({
      code: 'unknown',
      providerMessage: 'upstream error',
    });
  });
});

describe('apixo toUpdate', () => {
  const read = (data: unknown) => toUpdate(statusDataSchema.parse(data));

  it('GIVEN each documented state THEN the normalised state, with no progress', () => {
    expect(read({ taskId: 't', state: 'pending' })).toEqual({ taskId: 't', state: 'queued', statusText: 'pending' });
    expect(read({ taskId: 't', state: 'processing' })).toEqual({
      taskId: 't',
      state: 'running',
      statusText: 'processing',
    });
    expect(read({ taskId: 't', state: 'failed', failCode: 'CONTENT_VIOLATION', failMsg: 'no' })).toMatchObject({
      state: 'failed',
      failure: { code: 'content_rejected' },
    });
  });

  it('GIVEN success with resultJson as a string THEN four URL images in order', () => {
    const urls = [
      'https://r2.apixo.ai/1.png',
      'https://r2.apixo.ai/2.png',
      'https://r2.apixo.ai/3.png',
      'https://r2.apixo.ai/4.png',
    ];
    const update = read({
      taskId: 't',
      state: 'success',
      resultJson: JSON.stringify({ resultUrls: urls }),
      costTime: 41388,
    });
    expect(update.images).toEqual(urls.map((url) => ({ kind: 'url', url })));
  });

  it('GIVEN success with unreadable resultJson THEN the body is refused', () => {
    expect(() => read({ taskId: 't', state: 'success', resultJson: '{not json' })).toThrow();
    expect(() => read({ taskId: 't', state: 'success', resultJson: '{"resultUrls":[]}' })).toThrow(ProviderError);
  });
});

describe('apixo checkPrompt', () => {
  it('GIVEN --relax THEN ok with a notice; GIVEN an odd ratio THEN a nearest-ratio notice', () => {
    // …and the speed it really runs at, for the message's tag.
    expect(adapter.checkPrompt(prompt('a cat --relax'))).toEqual({
      ok: true,
      notices: [expect.stringContaining('--fast') as string],
      speed: 'fast',
    });
    const check = adapter.checkPrompt(prompt('a cat --ar 7:4'));
    expect(check).toMatchObject({ ok: true, notices: [expect.stringContaining('16:9')] });
  });

  it('GIVEN parameters APIXO cannot take THEN refusals name them; ignored ones become notices', () => {
    const check = adapter.checkPrompt(prompt('a cat --sref https://example.com/s.png --no dogs --seed 5'));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errors.map((error) => error.param)).toEqual(['no', 'sref']);
    const ignored = adapter.checkPrompt(prompt('a cat --seed 5 --q 2'));
    expect(ignored).toMatchObject({
      ok: true,
      notices: [expect.stringContaining('--quality'), expect.stringContaining('--seed')],
    });
  });

  it('GIVEN an unsupported version or only an image THEN refused', () => {
    expect(adapter.checkPrompt(prompt('a cat --v 5.2')).ok).toBe(false);
    expect(adapter.checkPrompt({ text: '', imageUrls: ['https://example.com/a.png'], params: {} }).ok).toBe(false);
  });

  it('declares every canonical parameter', () => {
    expect(adapter.parameters.aspect.handling).toBe('mapped');
    expect(adapter.parameters.motion.handling).toBe('refused');
    expect(Object.keys(adapter.parameters).sort()).toEqual([...PARAM_NAMES].sort());
  });
});

describe('apixo versions', () => {
  it('GIVEN a version APIXO does not offer THEN submit-side translation refuses it instead of sending the default', () => {
    expect(() => imagineInput(prompt('a cat --v 5.2'), { fieldNames: 'new', translation: 'auto' })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }) as Error,
    );
    expect(imagineInput(prompt('a cat --niji 7'), { fieldNames: 'new', translation: 'auto' }).version).toBe('niji 7');
    expect(imagineInput(prompt('a cat --v 6'), { fieldNames: 'new', translation: 'auto' }).version).toBe('v6');
  });
});

describe('regionInput (Vary (Region) as upload-paint)', () => {
  it('GIVEN a lasso drawn anticlockwise THEN its pixel points run clockwise on the image frame, canvas = imgPos', () => {
    const lasso: [number, number][] = [
      [0.1, 0.1],
      [0.1, 0.5],
      [0.5, 0.5],
    ];
    const input = regionInput(
      prompt('a cat'),
      'https://cdn.example/u.png',
      { width: 200, height: 100 },
      {
        area: [lasso],
        prompt: 'a dog --no cats',
      },
    );
    expect(input.mask).toEqual({ areas: [{ width: 200, height: 100, points: [100, 50, 20, 50, 20, 10] }] });
    expect(input.canvas).toEqual({ width: 200, height: 100 });
    expect(input.imgPos).toEqual({ width: 200, height: 100, x: 0, y: 0 });
    // APIXO cuts the prompt at the first "--": the member's text keeps its words.
    expect(input.prompt).toBe('a dog -no cats');
  });
});
