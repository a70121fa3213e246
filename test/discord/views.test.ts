import { describe, expect, it } from 'vitest';
import { parseCustomId } from '../../src/discord/custom-id.js';
import { jobView } from '../../src/discord/views.js';
import { fullCapabilities, makeJob } from '../fixtures/jobs.js';
import type { Job } from '../../src/jobs/job.js';

const now = 1_000_000 + 42_000;
const labels = (view: ReturnType<typeof jobView>) =>
  view.components.map((row) => row.components.map((button) => button.label || button.emoji?.name));

describe('job messages', () => {
  it("GIVEN a job waiting to start THEN it reads like the Midjourney bot's", () => {
    const view = jobView(makeJob(), { now, capabilities: fullCapabilities() });
    expect(view.content.split('\n')[0]).toBe('**a red bird --ar 16:9** - <@1100000000000000020> (Waiting to start)');
    expect(view.content).toContain('-# Job `abc234`');
    // Its only button: ❌, which its owner may press to take it out of the queue.
    expect(labels(view)).toEqual([['Cancel']]);
    expect(parseCustomId(view.components[0]!.components[0]!.custom_id)).toEqual({ kind: 'cancel', jobId: 'abc234' });
  });

  it('GIVEN a running job THEN ❌ Cancel is under it; GIVEN it was cancelled THEN the message says so and has no buttons', () => {
    const running = makeJob({ state: 'running', submittedAt: 1_000_000 });
    expect(labels(jobView(running, { now, capabilities: fullCapabilities() }))).toEqual([['Cancel']]);
    const cancelled = jobView({ ...running, state: 'cancelled' }, { now, capabilities: fullCapabilities() });
    expect(cancelled.content.split('\n')[0]).toMatch(/\(cancelled\)$/);
    expect(cancelled.content).toContain('Cancelled by its owner.');
    expect(cancelled.components).toEqual([]);
  });

  it('GIVEN a queued job THEN its position is shown', () => {
    expect(jobView(makeJob(), { now, capabilities: fullCapabilities(), queuePosition: 2 }).content).toContain(
      '(Queued, position 2)',
    );
  });

  it('GIVEN progress THEN the percent and speed; GIVEN none THEN the state and elapsed time', () => {
    const running = makeJob({ state: 'running', submittedAt: 1_000_000 });
    expect(jobView({ ...running, progress: 37 }, { now, capabilities: fullCapabilities() }).content).toContain(
      '(37%) (fast)',
    );
    expect(jobView(running, { now, capabilities: fullCapabilities() }).content).toContain('(Running, 0:42) (fast)');
    // The provider's own words never reach the member; their stage does.
    const shown = (statusText: string) =>
      jobView({ ...running, statusText }, { now, capabilities: fullCapabilities() }).content;
    expect(shown('已创建')).toContain('(Queued, 0:42) (fast)');
    expect(shown('执行中')).toContain('(Running, 0:42) (fast)');
    expect(shown('JobStatusSuccess')).toContain('(Finishing, 0:42) (fast)');
    expect(shown('已创建')).not.toMatch(/\p{Script=Han}/u);
  });

  it('GIVEN Animate running with its first frame THEN the frame is the preview and a line says the video is being made', () => {
    const animating = makeJob({
      action: 'animate',
      followUp: { action: 'animate', index: 1, motion: 'high' },
      previewUrl: 'https://x/upscale.png',
      submittedAt: 1_000_000,
    });
    const queued = jobView(animating, { now, capabilities: fullCapabilities() });
    expect(queued).not.toHaveProperty('previewUrl');
    expect(queued.content).not.toContain('The video is being made');
    const running = jobView({ ...animating, state: 'running' }, { now, capabilities: fullCapabilities() });
    expect(running.previewUrl).toBe('https://x/upscale.png');
    expect(running.content.split('\n').slice(0, 2)).toEqual([
      '**a red bird --ar 16:9** - Animated (High motion) by <@1100000000000000020> (Running, 0:42) (fast)',
      'The video is being made from this image.',
    ]);
  });

  it('GIVEN a finished grid THEN U1–U4 🔄 / V1–V4 carry the job and image number', () => {
    const job = makeJob({
      state: 'succeeded',
      images: Array.from({ length: 4 }, (_, index) => ({ kind: 'url' as const, url: `https://x/${index}.png` })),
    });
    const view = jobView(job, { now, capabilities: fullCapabilities() });
    expect(view.content.split('\n')[0]).toBe('**a red bird --ar 16:9** - <@1100000000000000020> (fast)');
    expect(labels(view)).toEqual([
      ['U1', 'U2', 'U3', 'U4', '🔄'],
      ['V1', 'V2', 'V3', 'V4'],
    ]);
    expect(parseCustomId(view.components[0]!.components[1]!.custom_id)).toEqual({
      kind: 'follow-up',
      jobId: 'abc234',
      followUp: { action: 'upscale', index: 2, type: 'subtle' },
    });
    expect(parseCustomId(view.components[1]!.components[2]!.custom_id)).toEqual({
      kind: 'follow-up',
      jobId: 'abc234',
      followUp: { action: 'vary', index: 3, strength: 'strong' },
    });
  });

  it("GIVEN one image rejected by the provider's moderation THEN its U and V buttons are disabled", () => {
    const images = [
      { kind: 'url' as const, url: 'https://x/0.png' },
      { kind: 'rejected' as const, rejected: true as const },
      { kind: 'url' as const, url: 'https://x/2.png' },
      { kind: 'url' as const, url: 'https://x/3.png' },
    ];
    const view = jobView(makeJob({ state: 'succeeded', images }), { now, capabilities: fullCapabilities() });
    const disabled = view.components.flatMap((row) =>
      row.components.filter((button) => button.disabled).map((button) => button.label),
    );
    expect(disabled).toEqual(['U2', 'V2']);
  });

  it('GIVEN a provider without reroll or vary THEN those buttons are absent', () => {
    const job = makeJob({ state: 'succeeded', images: [{ kind: 'url', url: 'https://x/0.png' }] });
    const view = jobView(
      { ...job, images: Array.from({ length: 4 }, () => job.images![0]!) },
      { now, capabilities: fullCapabilities({ reroll: false, vary: [] }) },
    );
    expect(labels(view)).toEqual([['U1', 'U2', 'U3', 'U4']]);
  });

  it('GIVEN an upscale THEN "Image #2" and the follow-ups its provider supports', () => {
    const job = makeJob({
      action: 'upscale',
      followUp: { action: 'upscale', index: 2, type: 'subtle' },
      parentId: 'parent1',
      state: 'succeeded',
      images: [{ kind: 'url', url: 'https://x/u.png' }],
    });
    const view = jobView(job, { now, capabilities: fullCapabilities() });
    expect(view.content.split('\n')[0]).toBe('**a red bird --ar 16:9** - Image #2 <@1100000000000000020>');
    expect(labels(view)).toEqual([
      ['Upscale (Subtle)', 'Upscale (Creative)'],
      ['Vary (Strong)', 'Vary (Subtle)'],
      ['Zoom Out 2x', 'Zoom Out 1.5x', 'Custom Zoom', 'Make Square'],
      ['⬅️', '➡️', '⬆️', '⬇️'],
    ]);
  });

  it('GIVEN a square upscale, or one a Make Square made THEN no Make Square, Custom Zoom still', () => {
    const upscale = (overrides: Partial<Job>) =>
      makeJob({
        action: 'upscale',
        followUp: { action: 'upscale', index: 1, type: 'default' },
        state: 'succeeded',
        images: [{ kind: 'url', url: 'https://x/u.png' }],
        ...overrides,
      });
    const square = upscale({ prompt: { text: 'a red bird', imageUrls: [], params: {} } });
    const squared = upscale({ aspect: '1:1' });
    for (const job of [square, squared]) {
      const zooms = labels(jobView(job, { now, capabilities: fullCapabilities() }))[2];
      expect(zooms).toEqual(['Zoom Out 2x', 'Zoom Out 1.5x', 'Custom Zoom']);
    }
  });

  it.each([
    ['creative', 'Upscaled (Creative)'],
    ['subtle', 'Upscaled (Subtle)'],
    ['2x', 'Upscaled (2x)'],
    ['4x', 'Upscaled (4x)'],
  ] as const)(
    'GIVEN an upscale of image #2 upscaled again %s THEN "%s by", as Midjourney says it, and the file keeps #2',
    (type, done) => {
      const job = makeJob({
        action: 'upscale',
        followUp: { action: 'upscale', index: 1, type },
        imageNumber: 2,
        parentId: 'upscale2',
        state: 'succeeded',
        images: [{ kind: 'url', url: 'https://x/u.png' }],
      });
      const view = jobView(job, { now, capabilities: fullCapabilities() });
      expect(view.content.split('\n')[0]).toBe(`**a red bird --ar 16:9** - ${done} by <@1100000000000000020> (fast)`);
      expect(view.content).not.toContain('Image #1');
    },
  );

  it("GIVEN the provider's own list of follow-ups THEN only those are offered", () => {
    const job = makeJob({
      action: 'upscale',
      followUp: { action: 'upscale', index: 1, type: 'default' },
      state: 'succeeded',
      images: [{ kind: 'url', url: 'https://x/u.png' }],
      followUps: [{ action: 'vary', index: 1, strength: 'subtle' }],
    });
    expect(labels(jobView(job, { now, capabilities: fullCapabilities() }))).toEqual([['Vary (Subtle)']]);
  });

  it('GIVEN variations THEN "Variations (Strong) by"', () => {
    const job = makeJob({
      action: 'vary',
      followUp: { action: 'vary', index: 1, strength: 'strong' },
      state: 'succeeded',
      images: [],
    });
    expect(jobView(job, { now, capabilities: fullCapabilities() }).content.split('\n')[0]).toBe(
      '**a red bird --ar 16:9** - Variations (Strong) by <@1100000000000000020> (fast)',
    );
  });

  it('GIVEN a failure THEN the user sentence, and no stack or provider internals', () => {
    const job = makeJob({
      state: 'failed',
      failure: {
        code: 'credits',
        userMessage: 'Out of credits.',
        providerCode: 'Account_Fee_Not_Enough',
        providerMessage: 'secret internals',
      },
    });
    const view = jobView(job, { now, capabilities: fullCapabilities() });
    expect(view.content).toContain('(failed)');
    expect(view.content).toContain('Out of credits.');
    expect(view.content).not.toContain('secret internals');
  });

  it('GIVEN ignored parameters THEN they are named in the message', () => {
    const job = makeJob({ notices: ['--tile is ignored by Kie.ai.'] });
    expect(jobView(job, { now, capabilities: fullCapabilities() }).content).toContain(
      '-# --tile is ignored by Kie.ai.',
    );
  });

  it('GIVEN a prompt trying to ping everyone or break the bold THEN it is neutralised', () => {
    const job = makeJob({ prompt: { text: 'hi @everyone **bold**', imageUrls: [], params: {} } });
    const first = jobView(job, { now, capabilities: fullCapabilities() }).content.split('\n')[0]!;
    expect(first).not.toContain('@everyone');
    expect(first).toContain('\\*\\*bold\\*\\*');
  });

  it('GIVEN a very long prompt THEN the message stays within 2000 characters', () => {
    const job = makeJob({
      prompt: { text: 'x '.repeat(3000).trim(), imageUrls: [], params: {} },
      notices: ['n'.repeat(300)],
    });
    expect(jobView(job, { now, capabilities: fullCapabilities() }).content.length).toBeLessThanOrEqual(2000);
  });
});

describe('the prompt shown in messages', () => {
  it('GIVEN what the member typed THEN it is shown in their spelling, image URLs as a count, and the rest after them', async () => {
    const { promptShown } = await import('../../src/discord/status-text.js');
    const url = 'http://127.0.0.1:44649/attachments/1/2/ref.png?ex=abc&is=def&hm=0123456789';
    expect(
      promptShown({
        text: 'in watercolor',
        imageUrls: [url],
        params: { quality: 4 },
        typed: `${url} in watercolor --q 4`,
      }),
    ).toBe('(1 image) in watercolor --q 4');
    expect(
      promptShown({ text: 'a cat', imageUrls: [url, `${url}2`], params: {}, typed: `--ar 2:3 ${url} ${url}2 a cat` }),
    ).toBe('(2 images) --ar 2:3 a cat');
    // A record from before the typed text was kept is shown rendered.
    expect(promptShown({ text: 'a cat', imageUrls: [], params: { quality: 4 } })).toBe('a cat --quality 4');
  });
});
