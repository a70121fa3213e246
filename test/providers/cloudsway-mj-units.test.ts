import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PARAM_NAMES, type ParsedPrompt } from '../../src/prompt/types.js';
import { CloudswayMjAdapter } from '../../src/providers/cloudsway-mj.js';
import { cloudswayBaseUrl } from '../../src/providers/cloudsway/base-url.js';
import { cloudswayErrorMapper } from '../../src/providers/cloudsway/errors.js';
import { CLOUDSWAY_MJ_PARAMETERS } from '../../src/providers/cloudsway-mj/capabilities.js';
import { jobToUpdate, readProgress } from '../../src/providers/cloudsway-mj/response.js';
import { mjJobSchema } from '../../src/providers/cloudsway-mj/schemas.js';
import {
  diffusionText,
  remixPrompt,
  upstreamOutpaint,
  wholeFrameMask,
} from '../../src/providers/cloudsway-mj/request.js';
import { readDiffusionText } from '../../src/sandbox/providers/cloudsway/mj-flags.js';
import { jobPhase, type SimJob } from '../../src/sandbox/providers/cloudsway/mj-jobs.js';
import { prompt } from './support.js';

const job = (fields: Record<string, unknown>) => jobToUpdate(mjJobSchema.parse({ id: 'j1', ...fields }));
const adapter = new CloudswayMjAdapter({
  baseUrl: 'http://127.0.0.1:1/v1/ai',
  endpointPath: 'x',
  key: 'k',
  logger: pino({ level: 'silent' }),
});

describe('diffusionText', () => {
  it('GIVEN URLs, words and flags THEN URLs first, then words, then flags in canonical order', () => {
    const text = diffusionText(
      prompt('https://a.example/1.png https://a.example/2.png two cats --turbo --seed 7 --ar 3:2 --iw 1.5 --raw'),
      CLOUDSWAY_MJ_PARAMETERS,
    );
    expect(text).toBe(
      'https://a.example/1.png https://a.example/2.png two cats --ar 3:2 --seed 7 --style raw --iw 1.5 --turbo',
    );
  });

  it('GIVEN refused parameters THEN they never reach the text', () => {
    const parsed: ParsedPrompt = {
      text: 'a cat',
      imageUrls: [],
      params: { profile: ['abc'], motion: 'low', loop: true, batchsize: 2, chaos: 5 },
    };
    expect(diffusionText(parsed, CLOUDSWAY_MJ_PARAMETERS)).toBe('a cat --chaos 5');
  });

  it('GIVEN literal braces THEN they become parentheses (Cloudsway has no permutations)', () => {
    expect(diffusionText({ text: 'a {red} cat', imageUrls: [], params: {} }, CLOUDSWAY_MJ_PARAMETERS)).toBe(
      'a (red) cat',
    );
  });

  it('GIVEN every accepted parameter THEN the simulator reads the text back without complaint', () => {
    const text = diffusionText(
      prompt(
        'a cat --ar 2:1 --c 10 --no dogs, birds --q 2 --seed 1 --stop 90 --s 250 --sref 123 --sw 50 --sv 4 --tile --v 7 --draft --w 10 --exp 5 --cref https://a.example/c.png --cw 50 --oref https://a.example/o.png --ow 100 --relax',
      ),
      CLOUDSWAY_MJ_PARAMETERS,
    );
    expect(readDiffusionText(text)).toMatchObject({
      ok: true,
      flags: { aspect: '2:1', speed: 'relax', seed: 1, version: '7' },
    });
  });

  it('GIVEN a vary THEN the remix prompt is the words only', () => {
    expect(remixPrompt(prompt('https://a.example/1.png a big dog --ar 2:1'))).toBe('a big dog');
    expect(remixPrompt({ text: 'a {big} dog', imageUrls: [], params: {} })).toBe('a (big) dog');
    expect(remixPrompt({ text: '', imageUrls: ['https://a.example/1.png'], params: {} })).toBeUndefined();
  });
});

describe('upstreamOutpaint', () => {
  const target = { jobId: 'job-1', imageNo: 0 };

  it('GIVEN a zoom THEN /tob/outpaint with the factor as scale, and no remixPrompt without Remix', () => {
    expect(upstreamOutpaint({ action: 'zoom', index: 1, factor: 1.5 }, target, undefined)).toEqual({
      path: '/tob/outpaint',
      body: { jobId: 'job-1', imageNo: 0, scale: 1.5 },
    });
  });

  it('GIVEN each pan THEN /tob/pan with Youchuan’s direction code (0 down, 1 right, 2 up, 3 left) and scale 1.5', () => {
    const codes = (['down', 'right', 'up', 'left'] as const).map(
      (direction) => upstreamOutpaint({ action: 'pan', index: 1, direction }, target, undefined).body.direction,
    );
    expect(codes).toEqual([0, 1, 2, 3]);
    expect(upstreamOutpaint({ action: 'pan', index: 1, direction: 'up' }, target, undefined)).toMatchObject({
      path: '/tob/pan',
      body: { scale: 1.5 },
    });
  });

  it('GIVEN a Remix edit THEN its words, without images or flags, are the remixPrompt', () => {
    const remix = prompt('https://a.example/1.png a red lighthouse --ar 16:9 --chaos 5');
    expect(upstreamOutpaint({ action: 'zoom', index: 1, factor: 2 }, target, remix).body.remixPrompt).toBe(
      'a red lighthouse',
    );
    const flagsOnly = prompt('https://a.example/1.png --ar 16:9');
    expect(upstreamOutpaint({ action: 'zoom', index: 1, factor: 2 }, target, flagsOnly).body).not.toHaveProperty(
      'remixPrompt',
    );
  });
});

describe('wholeFrameMask', () => {
  it.each([
    ['1:1', false, 1024, 1024],
    ['1:1', true, 2048, 2048],
    ['16:9', false, 1365, 768],
  ])('GIVEN %s (upscaled %s) THEN a %ix%i frame covered corner to corner', (aspect, upscaled, width, height) => {
    expect(wholeFrameMask(aspect, upscaled)).toEqual({
      areas: [{ width, height, points: [0, 0, width, 0, width, height, 0, height] }],
    });
  });

  it.each(['1:10', '10:1', '1:4', '4:1', '7:3'])(
    'GIVEN the extreme ratio %s THEN both sides stay within 500–4096',
    (aspect) => {
      for (const upscaled of [false, true]) {
        const [area] = wholeFrameMask(aspect, upscaled).areas;
        for (const side of [area!.width, area!.height]) {
          expect(side).toBeGreaterThanOrEqual(500);
          expect(side).toBeLessThanOrEqual(4096);
        }
      }
    },
  );
});

describe('jobToUpdate', () => {
  it('GIVEN statuses 0 and 1 THEN queued and running, with the comment and an optional progress', () => {
    expect(job({ status: 0, comment: '已创建', urls: [] })).toEqual({
      taskId: 'j1',
      state: 'queued',
      statusText: '已创建',
    });
    expect(job({ status: '1', progress: '30%' })).toMatchObject({ state: 'running', progress: 30 });
  });

  it('GIVEN status 2 before the URLs fill in THEN still running', () => {
    expect(job({ status: 2, urls: [], seed: 5 }).state).toBe('running');
    expect(job({ status: 2, urls: null }).state).toBe('running');
  });

  it('GIVEN status 2 with one empty URL THEN that image is a rejected placeholder with its audit', () => {
    const update = job({
      status: 2,
      seed: 99,
      urls: ['http://x/1.png', '', 'http://x/3.png', 'http://x/4.png'],
      audits: ['approved', 'sensitive', 'approved', 'approved'],
    });
    expect(update).toMatchObject({ state: 'succeeded', seed: '99', progress: 100 });
    expect(update.images).toEqual([
      { kind: 'url', url: 'http://x/1.png' },
      { kind: 'rejected', rejected: true, reason: 'sensitive' },
      { kind: 'url', url: 'http://x/3.png' },
      { kind: 'url', url: 'http://x/4.png' },
    ]);
  });

  it('GIVEN status 2 with every URL empty THEN failed for moderation', () => {
    expect(job({ status: 2, urls: ['', '', '', ''], audits: ['a', 'b', 'c', 'd'] })).toMatchObject({
      state: 'failed',
      failure: { code: 'content_rejected' },
    });
  });

  it.each([
    ['JobStatusReject', 'content_rejected'],
    ['JobStatusTextReject', 'content_rejected'],
    ['JobStatusCreditNotEnough', 'credits'],
    ['JobStatusMaxConcurrentLimited', 'rate_limited'],
    ['JobStatusInvalidImagePromptLink', 'invalid_input'],
    ['JobStatusTimeout', 'transient'],
    ['失败', 'unknown'],
  ])('GIVEN status 3 with comment %s THEN failure code %s', (comment, code) => {
    const update = job({ status: 3, comment });
    expect(update).toMatchObject({ state: 'failed', failure: { code, providerMessage: comment } });
    expect(update.failure?.userMessage.length).toBeGreaterThan(10);
  });

  it('GIVEN seed 0 (not yet known) THEN no seed', () => {
    expect(job({ status: 1, seed: 0 }).seed).toBeUndefined();
  });

  it('GIVEN progress in several spellings THEN 0–100 or nothing', () => {
    expect([
      readProgress('30%'),
      readProgress(' 45 '),
      readProgress(0.3),
      readProgress(100),
      readProgress('soon'),
      readProgress(null),
    ]).toEqual([30, 45, 30, 100, undefined, undefined]);
  });
});

describe('Cloudsway error bodies', () => {
  const map = cloudswayErrorMapper('cloudsway-mj');
  it.each([
    [402, { code: 402, message: '余额不足', reason: 'Account_Fee_Not_Enough' }, 'credits'],
    [402, { code: 402, message: 'x', reason: 'No_More_Relax_Credit' }, 'credits'],
    [403, { code: 403, message: 'x', reason: 'Msg_Sensitive' }, 'content_rejected'],
    [403, { code: 403, message: 'x', reason: 'Relax_Not_Allow' }, 'unsupported'],
    [429, { code: 429, message: 'x', reason: 'Max_Concurrent_Limited' }, 'rate_limited'],
    [503, { code: 503, message: 'x', reason: 'Server_Busy' }, 'transient'],
    [405, { code: 405, message: 'x', reason: 'Not_Support' }, 'unsupported'],
    [400, { code: 400, message: 'x', reason: 'Job_ReUpscale_Not_Support' }, 'unsupported'],
    [404, { code: 404, message: 'job not found' }, 'invalid_input'],
    [
      429,
      { error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota', param: null } },
      'credits',
    ],
    [
      400,
      { error: { message: 'blocked', type: 'image_generation_user_error', code: 'moderation_blocked', param: null } },
      'content_rejected',
    ],
    [401, { error: { message: 'bad key', type: 'invalid_request_error', code: null, param: null } }, 'auth'],
    [429, '429 Too Many Requests', 'rate_limited'],
    [429, 'quota: insufficient_quota', 'credits'],
    [502, '<html>502 Bad Gateway</html>', 'transient'],
    [404, { message: 'no route POST /v1/ai/x/tob/variation' }, 'invalid_input'],
    [418, 'teapot', 'unknown'],
  ])('GIVEN HTTP %i with %j THEN %s', (status, body, code) => {
    const error = map(status, body, {});
    expect(error?.code).toBe(code);
    expect(error?.status).toBe(status);
  });

  it('GIVEN a Relax_Not_Allow refusal THEN the user reads what to do', () => {
    expect(map(403, { code: 403, message: 'x', reason: 'Relax_Not_Allow' }, {})?.userMessage).toContain('--relax');
  });
});

describe('CloudswayMjAdapter.checkPrompt and tables', () => {
  it('GIVEN Cloudsway-refused and video parameters THEN refusals naming them', () => {
    const check = adapter.checkPrompt(prompt('a cat --profile abc --motion low --bs 2'));
    expect(check.ok).toBe(false);
    const params = check.ok ? [] : check.errors.map((error) => error.param);
    expect(params).toEqual(expect.arrayContaining(['profile', 'motion', 'batchsize']));
  });

  it('GIVEN versions THEN 6, 6.1, 7 and niji 6 pass and v5.2 does not', () => {
    for (const ok of ['--v 6', '--v 6.1', '--v 7', '--niji 6'])
      expect(adapter.checkPrompt(prompt(`a cat ${ok}`)).ok).toBe(true);
    expect(adapter.checkPrompt(prompt('a cat --v 5.2'))).toMatchObject({ ok: false, errors: [{ param: 'version' }] });
  });

  it('GIVEN words under 8192 but URLs and flags over it THEN refused', () => {
    const urls = Array.from({ length: 5 }, (_, index) => `https://example.com/${'a'.repeat(1700)}${index}.png`);
    const check = adapter.checkPrompt({ text: 'cat', imageUrls: urls, params: {} });
    expect(check).toMatchObject({
      ok: false,
      errors: [{ message: expect.stringContaining('image links and parameters') as unknown }],
    });
    expect(adapter.checkPrompt({ text: 'cat', imageUrls: urls.slice(0, 1), params: {} }).ok).toBe(true);
  });

  it('GIVEN the parameter table THEN every canonical parameter is present and non-native ones say why', () => {
    expect(Object.keys(adapter.parameters).sort()).toEqual([...PARAM_NAMES].sort());
    for (const support of Object.values(adapter.parameters))
      if (support.handling !== 'native') expect(support.note).toBeTruthy();
    expect(Object.keys(adapter.capabilities.emulated).sort()).toEqual(['reroll', 'vary']);
    // Youchuan refuses to upscale an upscale; both types upscale the grid image it came from again.
    expect(adapter.capabilities.actions.upscaleAgain).toEqual(['subtle', 'creative']);
  });

  it('GIVEN base paths with stray slashes THEN one clean URL', () => {
    expect(cloudswayBaseUrl('https://genaiapi.cloudsway.net/v1/ai/', '/abc/')).toBe(
      'https://genaiapi.cloudsway.net/v1/ai/abc',
    );
    expect(cloudswayBaseUrl('https://genaiapi.cloudsway.net/v1/ai/abc', undefined)).toBe(
      'https://genaiapi.cloudsway.net/v1/ai/abc',
    );
  });
});

describe('the simulator’s own reading of text', () => {
  it.each([
    ['a cat --repeat 2', 'repeat'],
    ['a cat --p', 'profile'],
    ['a {red,blue} cat', 'permutation'],
    ['a cat --bs 2', 'video'],
    ['a cat --loop', 'video'],
    ['a cat --public', 'stealth'],
    ['a cat --bogus', 'Unrecognized'],
    ['a cat --ar 1.5:1', 'integer ratios'],
    ['a cat --draft --v 6', 'version 7'],
    ['a cat --fast --relax', 'only one'],
    ['a cat --chaos 101', 'from 0 to 100'],
  ])('GIVEN %s THEN refused (%s)', (text, words) => {
    const read = readDiffusionText(text);
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.message).toContain(words);
  });

  it('GIVEN a finished job within the URL lag THEN status 2 without URLs, then with', () => {
    const simJob = { createdAt: 0, durationMs: 40_000 } as SimJob;
    expect(jobPhase(simJob, 1_000, 3_000)).toEqual({ status: 0 });
    expect(jobPhase(simJob, 21_000, 3_000)).toMatchObject({ status: 1 });
    expect(jobPhase(simJob, 41_000, 3_000)).toEqual({ status: 2, urlsReady: false });
    expect(jobPhase(simJob, 43_000, 3_000)).toEqual({ status: 2, urlsReady: true });
    expect(jobPhase({ ...simJob, failure: 'JobStatusReject' }, 41_000, 3_000)).toEqual({ status: 3 });
  });
});

describe('Cloudsway MaaS-MJ refusals read as one sentence', () => {
  const adapter = new CloudswayMjAdapter({
    baseUrl: 'http://127.0.0.1:9/v1/ai',
    endpointPath: 'x',
    key: 'k',
    logger: pino({ level: 'silent' }),
  });
  const refusal = (params: ParsedPrompt['params']) => {
    const check = adapter.checkPrompt({ text: 'a cat', imageUrls: [], params });
    return check.ok ? '' : (check.errors[0]?.message ?? '');
  };

  it('GIVEN --profile THEN the reason follows a colon, with no parentheses inside parentheses', () => {
    expect(refusal({ profile: ['abc'] })).toBe(
      '--profile is not supported by Cloudsway MaaS-MJ: Cloudsway does not offer personalization profiles yet.',
    );
  });

  it('GIVEN --motion THEN the refusal does not suggest that video can be made here', () => {
    const message = refusal({ motion: 'low' });
    expect(message).toMatch(/^--motion is not supported by Cloudsway MaaS-MJ: /);
    expect(message).not.toMatch(/video tasks/);
    expect(message).toContain('still images');
  });
});
