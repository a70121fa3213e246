import { describe, expect, it } from 'vitest';
import { AcedataAdapter } from '../../src/providers/acedata.js';
import { failureCode } from '../../src/providers/acedata/failures.js';
import {
  acedataAction,
  buildImagineBody,
  buildVideoBody,
  qualityField,
  renderAcedataPrompt,
} from '../../src/providers/acedata/request.js';
import { followUpsFromActions, updateFromRecord, updateFromResult } from '../../src/providers/acedata/response.js';
import { taskRecordSchema } from '../../src/providers/acedata/schemas.js';
import { ProviderError } from '../../src/providers/errors.js';
import { PARAM_NAMES } from '../../src/prompt/types.js';
import type { ParentTask, SubmitRequest } from '../../src/providers/types.js';
import { prompt, silentLogger } from './acedata-support.js';

const parsed = prompt('a glass city', {
  aspect: '3:2',
  stylize: 250,
  no: ['cars', 'people'],
  seed: 42,
  speed: 'turbo',
  version: '6.1',
});

function parent(imageCount: number, handle: string | undefined = '1234567890123456789'): ParentTask {
  return {
    action: imageCount === 1 ? 'upscale' : 'imagine',
    taskId: 't-parent',
    handle,
    prompt: parsed,
    imageCount,
    loadImage: () => Promise.reject(new Error('unused')),
  };
}

describe('renderAcedataPrompt', () => {
  it('GIVEN parameters THEN they follow the text as flags, except speed (which is the mode field)', () => {
    expect(renderAcedataPrompt(parsed)).toBe('a glass city --ar 3:2 --no cars, people --seed 42 --stylize 250 --v 6.1');
  });

  it('GIVEN image URLs THEN they lead; literal braces become parentheses so Midjourney does not permute them', () => {
    expect(renderAcedataPrompt(prompt('a {red} door', { tile: true }, ['https://x.test/a.png']))).toBe(
      'https://x.test/a.png a (red) door --tile',
    );
  });

  it('GIVEN qualities THEN AceData spells them .25/.5/1/2/4', () => {
    expect([0.25, 0.5, 1, 2, 4].map(qualityField)).toEqual(['.25', '.5', '1', '2', '4']);
  });
});

describe('acedataAction', () => {
  it.each([
    [{ prompt: parsed }, 'generate'],
    [{ followUp: { action: 'upscale', index: 1, type: 'default' }, parent: parent(4) }, 'upscale1'],
    [{ followUp: { action: 'upscale', index: 4, type: 'default' }, parent: parent(4) }, 'upscale4'],
    [{ followUp: { action: 'upscale', index: 1, type: '2x' }, parent: parent(1) }, 'upscale_2x'],
    [{ followUp: { action: 'upscale', index: 1, type: '4x' }, parent: parent(1) }, 'upscale_4x'],
    [{ followUp: { action: 'vary', index: 2, strength: 'strong' }, parent: parent(4) }, 'variation2'],
    [{ followUp: { action: 'vary', index: 1, strength: 'strong' }, parent: parent(1) }, 'variation_strong'],
    [{ followUp: { action: 'vary', index: 1, strength: 'subtle' }, parent: parent(1) }, 'variation_subtle'],
    [{ followUp: { action: 'reroll' }, parent: parent(4) }, 'reroll'],
    [{ followUp: { action: 'zoom', index: 1, factor: 2 }, parent: parent(1) }, 'zoom_out_2x'],
    [{ followUp: { action: 'zoom', index: 1, factor: 1.5 }, parent: parent(1) }, 'zoom_out_1_5x'],
    [{ followUp: { action: 'pan', index: 1, direction: 'right' }, parent: parent(1) }, 'pan_right'],
    [{ followUp: { action: 'pan', index: 1, direction: 'down' }, parent: parent(1) }, 'pan_down'],
  ] as [SubmitRequest, string][])('GIVEN %o THEN %s', (request, expected) => {
    expect(acedataAction(request)).toBe(expected);
  });

  it.each([
    [{ followUp: { action: 'upscale', index: 1, type: 'subtle' }, parent: parent(4) }, 'unsupported'],
    [{ followUp: { action: 'upscale', index: 1, type: 'creative' }, parent: parent(1) }, 'unsupported'],
    [{ followUp: { action: 'vary', index: 1, strength: 'subtle' }, parent: parent(4) }, 'unsupported'],
    [{ followUp: { action: 'reroll' }, parent: parent(1) }, 'unsupported'],
    [{ followUp: { action: 'zoom', index: 1, factor: 2 }, parent: parent(4) }, 'unsupported'],
    [{ followUp: { action: 'pan', index: 3, direction: 'up' }, parent: parent(4) }, 'unsupported'],
    [{ followUp: { action: 'upscale', index: 5, type: 'default' }, parent: parent(4) }, 'invalid_input'],
    [{ followUp: { action: 'vary', index: 0, strength: 'strong' }, parent: parent(4) }, 'invalid_input'],
  ] as [SubmitRequest, string][])('GIVEN %o THEN %s', (request, code) => {
    expect(() => acedataAction(request)).toThrow(expect.objectContaining({ code }));
  });
});

describe('buildImagineBody', () => {
  it('GIVEN an imagine with a callback THEN async, the callback, split images, mode and billing fields', () => {
    expect(buildImagineBody({ prompt: parsed }, undefined, 'https://bot.test/cb')).toEqual({
      action: 'generate',
      prompt: 'a glass city --ar 3:2 --no cars, people --seed 42 --stylize 250 --v 6.1',
      mode: 'turbo',
      version: '6.1',
      split_images: true,
      async: true,
      callback_url: 'https://bot.test/cb',
    });
  });

  it('GIVEN a follow-up THEN the parent image_id and no prompt', () => {
    expect(
      buildImagineBody({ followUp: { action: 'vary', index: 3, strength: 'strong' }, parent: parent(4) }, '99'),
    ).toEqual({
      action: 'variation3',
      image_id: '99',
      mode: 'turbo',
      version: '6.1',
      split_images: true,
      async: true,
    });
  });

  it('GIVEN a follow-up without a handle THEN invalid_input', () => {
    expect(() => buildImagineBody({ followUp: { action: 'reroll' }, parent: parent(4, undefined) }, undefined)).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });
});

describe('followUpsFromActions', () => {
  it('GIVEN an upscale’s actions THEN 2x/4x, subtle/strong, zoom and pan on image 1; unknown actions are skipped', () => {
    expect(
      followUpsFromActions([
        'upscale_4x',
        'variation_subtle',
        'zoom_out_1_5x',
        'pan_up',
        'variation_region',
        'remix_magic',
      ]),
    ).toEqual([
      { action: 'upscale', index: 1, type: '4x' },
      { action: 'vary', index: 1, strength: 'subtle' },
      { action: 'zoom', index: 1, factor: 1.5 },
      { action: 'pan', index: 1, direction: 'up' },
    ]);
  });
});

describe('updateFromRecord: pending detection', () => {
  const record = (extra: Record<string, unknown>) =>
    taskRecordSchema.parse({ id: 'task-1', request: { action: 'generate' }, ...extra });
  const finished = {
    success: true,
    task_id: 'task-1',
    image_id: '555',
    image_url: 'https://cdn.test/grid.png?width=512',
    raw_image_url: 'https://cdn.test/grid.png',
    progress: 100,
    actions: ['upscale1', 'reroll'],
  };

  it('GIVEN no response THEN queued', () => {
    expect(updateFromRecord(record({}))).toEqual({ taskId: 'task-1', state: 'queued' });
  });

  it('GIVEN a partial response without success THEN running with its progress and preview, never finished', () => {
    expect(updateFromRecord(record({ response: { progress: 45, image_url: 'https://cdn.test/p.webp' } }))).toEqual({
      taskId: 'task-1',
      state: 'running',
      progress: 45,
      previewUrl: 'https://cdn.test/p.webp',
    });
    expect(updateFromRecord(record({ response: { data: [] } })).state).toBe('running');
  });

  it('GIVEN success true but progress below 100 (a streamed line) THEN running', () => {
    expect(updateFromRecord(record({ response: { ...finished, progress: 75, actions: [] } })).state).toBe('running');
  });

  it('GIVEN a finished grid without sub_image_urls THEN the full-size grid as gridImage, the handle and follow-ups', () => {
    expect(updateFromRecord(record({ image_id: '555', response: finished }))).toEqual({
      taskId: 'task-1',
      state: 'succeeded',
      progress: 100,
      handle: '555',
      gridImage: { kind: 'url', url: 'https://cdn.test/grid.png' },
      followUps: [{ action: 'upscale', index: 1, type: 'default' }, { action: 'reroll' }],
    });
  });

  it('GIVEN sub_image_urls THEN four images and no grid', () => {
    const urls = ['a', 'b', 'c', 'd'].map((name) => `https://cdn.test/${name}.png`);
    const update = updateFromRecord(record({ response: { ...finished, sub_image_urls: urls } }));
    expect(update.images).toEqual(urls.map((url) => ({ kind: 'url', url })));
    expect(update.gridImage).toBeUndefined();
  });

  it('GIVEN an upscale result THEN one image', () => {
    const update = updateFromRecord(
      record({
        request: { action: 'upscale3' },
        response: { ...finished, actions: ['upscale_2x'], sub_image_urls: [] },
      }),
    );
    expect(update.images).toEqual([{ kind: 'url', url: 'https://cdn.test/grid.png' }]);
  });

  it.each(['complete', 'succeeded', 'success'])(
    'GIVEN state %s and a result without success THEN succeeded',
    (state) => {
      const { success: _success, ...withoutSuccess } = finished;
      expect(updateFromRecord(record({ state, response: withoutSuccess })).state).toBe('succeeded');
    },
  );

  it.each(['failed', 'error', 'cancelled'])('GIVEN state %s THEN failed', (state) => {
    expect(updateFromRecord(record({ state })).state).toBe('failed');
    expect(updateFromRecord(record({ state, response: { progress: 30 } })).state).toBe('failed');
  });

  it('GIVEN state succeeded but no response yet THEN still running (the URLs are not there)', () => {
    expect(updateFromRecord(record({ state: 'succeeded' })).state).toBe('running');
  });

  it('GIVEN success false with a banned-prompt message THEN failed as content_rejected', () => {
    const update = updateFromRecord(
      record({ response: { success: false, error: { code: 'bad_request', message: 'Banned prompt detected: gore' } } }),
    );
    expect(update).toMatchObject({
      state: 'failed',
      failure: { code: 'content_rejected', providerCode: 'bad_request' },
    });
  });

  it('GIVEN an empty record THEN invalid_input (an unknown task), not "queued" forever', () => {
    expect(() => updateFromRecord(taskRecordSchema.parse({}), 'missing')).toThrow(ProviderError);
  });

  it('GIVEN a callback-shaped result THEN the same reading', () => {
    expect(updateFromResult('task-1', { ...finished, sub_image_urls: [] }).gridImage).toEqual({
      kind: 'url',
      url: 'https://cdn.test/grid.png',
    });
  });
});

describe('failureCode', () => {
  it.each([
    [{ status: 402, code: 'payment_required' }, 'credits'],
    [{ status: 403, code: 'used_up', message: 'Your balance is not enough' }, 'credits'],
    [{ status: 400, code: 'bad_request', message: 'insufficient quota' }, 'credits'],
    [{ status: 401, code: 'invalid_token' }, 'auth'],
    [{ status: 403, code: 'forbidden', message: 'Forbidden' }, 'auth'],
    [{ status: 400, code: 'token_mismatched' }, 'auth'],
    [{ status: 400, code: 'api_not_implemented' }, 'unsupported'],
    [{ status: 429, code: 'too_many_requests' }, 'rate_limited'],
    [{ status: 500, code: 'api_error', message: 'fetch failed' }, 'transient'],
    [{ status: 503 }, 'transient'],
    [{ code: 'bad_request', message: 'Unrecognized argument(s): `-c`' }, 'invalid_input'],
    [{ code: 'invalid_request', message: 'Invalid parameter' }, 'invalid_input'],
    [{ code: 'forbidden', message: 'Banned prompt detected' }, 'content_rejected'],
    [{ code: 'forbidden', message: 'This request is forbidden' }, 'content_rejected'],
    [{ status: 400, code: 'bad_request', message: 'The prompt failed moderation (nsfw)' }, 'content_rejected'],
    [{ code: 'something_new' }, 'unknown'],
  ] as const)('GIVEN %o THEN %s', (facts, code) => {
    expect(failureCode(facts)).toBe(code);
  });
});

describe('AcedataAdapter: declared capabilities and prompt checks', () => {
  const adapter = new AcedataAdapter({ baseUrl: 'http://127.0.0.1:9', key: 'k', logger: silentLogger() });

  it('GIVEN the parameter table THEN every canonical parameter has a decision', () => {
    expect(Object.keys(adapter.parameters).sort()).toEqual([...PARAM_NAMES].sort());
    expect(adapter.parameters.speed.handling).toBe('mapped');
    expect(['motion', 'end', 'loop', 'batchsize'].map((name) => adapter.parameters[name as 'motion'].handling)).toEqual(
      ['refused', 'refused', 'refused', 'refused'],
    );
  });

  it('GIVEN video parameters THEN the prompt is refused', () => {
    const check = adapter.checkPrompt(prompt('a wave', { motion: 'high', loop: true }));
    expect(check.ok).toBe(false);
    expect(!check.ok && check.errors.map((error) => error.param)).toEqual(['motion', 'loop']);
  });

  it('GIVEN a version AceData does not list THEN the prompt is refused; Niji versions pass', () => {
    expect(adapter.checkPrompt(prompt('a wave', { version: '5' })).ok).toBe(false);
    expect(adapter.checkPrompt(prompt('a wave', { niji: '6' }))).toEqual({ ok: true, notices: [] });
  });

  it('GIVEN one image prompt without text THEN refused; two images alone are a blend', () => {
    expect(adapter.checkPrompt(prompt('', {}, ['https://x.test/a.png'])).ok).toBe(false);
    expect(adapter.checkPrompt(prompt('', {}, ['https://x.test/a.png', 'https://x.test/b.png'])).ok).toBe(true);
    expect(
      adapter.checkPrompt(
        prompt(
          '',
          {},
          Array.from({ length: 6 }, (_, index) => `https://x.test/${index}.png`),
        ),
      ).ok,
    ).toBe(false);
  });
});

describe('--hd on AceData', () => {
  const adapter = new AcedataAdapter({ baseUrl: 'http://127.0.0.1:9', key: 'k', logger: silentLogger() });

  it.each(['8', '8.1'])(
    'GIVEN --hd with --v %s THEN accepted, sent as the hd field and kept out of the text',
    (version) => {
      const hd = prompt('a marble hall', { hd: true, version });
      expect(adapter.checkPrompt(hd)).toEqual({ ok: true, notices: [] });
      const body = buildImagineBody({ prompt: hd }, undefined);
      expect(body).toMatchObject({ hd: true, version, prompt: `a marble hall --v ${version}` });
    },
  );

  it('GIVEN --v 8 without --hd THEN no hd field is sent', () => {
    expect(buildImagineBody({ prompt: prompt('a marble hall', { version: '8' }) }, undefined)).not.toHaveProperty('hd');
  });

  it.each([[{}], [{ version: '7' }], [{ niji: '7' }]])(
    'GIVEN --hd with %j THEN refused, naming the versions that have it',
    (params) => {
      expect(adapter.checkPrompt(prompt('a marble hall', { hd: true, ...params }))).toEqual({
        ok: false,
        errors: [
          { param: 'hd', message: 'AceDataCloud makes --hd (2K) images with --v 8 or --v 8.1 only; add one of them.' },
        ],
      });
    },
  );
});

describe('buildVideoBody', () => {
  const upscale: ParentTask = {
    ...parent(1),
    imageUrl: (index) => (index === 1 ? 'https://cdn.example/u.png' : undefined),
  };

  it('GIVEN Animate on an upscale THEN generate from its URL, motion in the prompt, async', () => {
    expect(buildVideoBody({ followUp: { action: 'animate', index: 1, motion: 'high' }, parent: upscale })).toEqual({
      action: 'generate',
      prompt: 'a glass city --motion high',
      image_url: 'https://cdn.example/u.png',
      mode: 'turbo',
      async: true,
    });
  });

  it('GIVEN Animate on a grid THEN unsupported, and Extend on an animation THEN its video_id and a 0-based index', () => {
    expect(() =>
      buildVideoBody({ followUp: { action: 'animate', index: 1, motion: 'low' }, parent: parent(4) }),
    ).toThrow(ProviderError);
    const animation: ParentTask = { ...parent(0, '1751816807896311'), action: 'animate', videoCount: 4 };
    expect(buildVideoBody({ followUp: { action: 'extend', index: 3 }, parent: animation }, 'https://bot/cb')).toEqual({
      action: 'extend',
      prompt: 'a glass city',
      video_id: '1751816807896311',
      video_index: 2,
      mode: 'turbo',
      async: true,
      callback_url: 'https://bot/cb',
    });
  });
});
