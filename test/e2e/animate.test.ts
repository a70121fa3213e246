import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import type { KieSimulator } from '../../src/sandbox/providers/kie-simulator.js';
import type { MessageView } from '../../src/sandbox/discord/index.js';
import { videoFrameSize } from '../../src/sandbox/providers/kit/video.js';
import { buttonLabels, jobIdOf, startE2E, type E2E } from './support.js';

/** A finished animation: its video is attached, or linked when it is too large. */
const animated = (message: MessageView) =>
  message.attachments.length > 0 || /too large to attach|\(failed\)/.test(message.content);

function videoBytes(e2e: E2E, message: MessageView): Buffer {
  const attachment = message.attachments[0];
  if (!attachment) throw new Error(`no attachment on ${message.content}`);
  const bytes = e2e.sandbox.emulator.attachmentBytes(attachment.id);
  if (!bytes) throw new Error('attachment bytes missing');
  return Buffer.from(bytes);
}

async function upscaleOf(e2e: E2E, userId: string, prompt: string): Promise<MessageView> {
  const grid = await e2e.resultOf(await e2e.imagine(userId, prompt));
  return e2e.resultOf(await e2e.click(userId, grid, 'U3'));
}

describe('Animate and Extend on Kie', () => {
  let e2e: E2E;
  let simulator: KieSimulator;
  beforeAll(async () => {
    e2e = await startE2E('kie');
    simulator = e2e.sandbox.simulators.get('kie') as KieSimulator;
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN an upscale THEN Animate (High motion) sends mj_video with that image and the video arrives as an MP4 attachment', async () => {
    const { alice } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, alice, 'a kite over dunes');
    expect(buttonLabels(upscale).at(-1)).toEqual(['Animate (High motion)', 'Animate (Low motion)']);

    const video = await e2e.resultOf(await e2e.click(alice, upscale, 'Animate (High motion)'), animated);
    expect(video.content.split('\n')[0]).toBe(`**a kite over dunes** - Animated (High motion) by <@${alice}> (fast)`);
    expect(video.attachments).toHaveLength(1);
    expect(video.attachments[0]?.filename).toMatch(/-video\.mp4$/);
    expect(videoBytes(e2e, video).subarray(4, 8).toString('latin1')).toBe('ftyp');

    const submitted = simulator.submissions.filter((submission) => submission.path === '/api/v1/mj/generate').at(-1);
    expect(submitted?.body).toMatchObject({ taskType: 'mj_video', motion: 'high', videoBatchSize: 1 });
    const fileUrls = (submitted?.body as { fileUrls: string[] }).fileUrls;
    expect(fileUrls).toHaveLength(1);
    // The one image is the upscale Kie made (its file, not the grid's).
    const upscaleTask = simulator.submissions.find((submission) => submission.path === '/api/v1/mj/generateUpscale');
    expect(fileUrls[0]).toContain(`kie-${upscaleTask?.taskId ?? '?'}-`);
    expect(buttonLabels(video)).toEqual([['Extend']]);
  });

  it('GIVEN an animation THEN Extend asks generateVideoExtend for that video and the longer one arrives', async () => {
    const { bob } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, bob, 'rain on a window');
    const video = await e2e.resultOf(await e2e.click(bob, upscale, 'Animate (Low motion)'), animated);
    expect(video.content.split('\n')[0]).toBe(`**rain on a window** - Animated (Low motion) by <@${bob}> (fast)`);
    const animation = simulator.submissions.filter((submission) => submission.path === '/api/v1/mj/generate').at(-1);

    const extended = await e2e.resultOf(await e2e.click(bob, video, 'Extend'), animated);
    expect(extended.content.split('\n')[0]).toBe(`**rain on a window** - Extended video 1 by <@${bob}> (fast)`);
    expect(extended.attachments[0]?.filename).toMatch(/\.mp4$/);
    expect(jobIdOf(extended)).not.toBe(jobIdOf(video));
    const extend = simulator.submissions.filter((submission) => submission.path === '/api/v1/mj/generateVideoExtend');
    expect(extend.map((submission) => [submission.code, submission.body])).toEqual([
      [200, { taskType: 'mj_video_extend_auto', taskId: animation?.taskId, index: 0 }],
    ]);
    // An extension can be extended again.
    expect(buttonLabels(extended)).toEqual([['Extend']]);
  });

  it('GIVEN a grid THEN no Animate button: Kie animates one image, not four', async () => {
    const { alice } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a quiet harbour'));
    expect(
      buttonLabels(grid)
        .flat()
        .some((label) => label.startsWith('Animate')),
    ).toBe(false);
  });
});

describe('HD video on Kie (/settings hd_video)', () => {
  let e2e: E2E;
  let simulator: KieSimulator;
  beforeAll(async () => {
    e2e = await startE2E('kie');
    simulator = e2e.sandbox.simulators.get('kie') as KieSimulator;
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  const animate = async (userId: string, prompt: string) => {
    const upscale = await upscaleOf(e2e, userId, prompt);
    const video = await e2e.resultOf(await e2e.click(userId, upscale, 'Animate (High motion)'), animated);
    const submitted = simulator.submissions.filter((submission) => submission.path === '/api/v1/mj/generate').at(-1);
    return { video, body: submitted?.body as Record<string, unknown>, frame: videoFrameSize(videoBytes(e2e, video)) };
  };

  it('GIVEN the server turns HD video on THEN Animate asks for mj_video_hd and its video is larger; off again THEN mj_video', async () => {
    const { alice, mia } = e2e.seed.users;
    const on = e2e.ephemeralOf(await e2e.slash(mia, 'settings', { hd_video: true }));
    expect(on?.content).toContain('**HD video:** on');

    const hd = await animate(alice, 'a lighthouse in fog');
    expect(hd.video.content.split('\n')[0]).toBe(
      `**a lighthouse in fog** - Animated (High motion) by <@${alice}> (fast)`,
    );
    expect(hd.body).toMatchObject({ taskType: 'mj_video_hd', motion: 'high', videoBatchSize: 1 });
    expect(hd.body.fileUrls).toHaveLength(1);

    const off = e2e.ephemeralOf(await e2e.slash(mia, 'settings', { hd_video: false }));
    expect(off?.content).toContain('**HD video:** off');
    const standard = await animate(alice, 'a lighthouse at dawn');
    expect(standard.body).toMatchObject({ taskType: 'mj_video', motion: 'high' });
    expect(standard.frame?.width).toBeGreaterThan(0);
    expect(hd.frame).toEqual({
      width: (standard.frame?.width ?? 0) * 1.5,
      height: (standard.frame?.height ?? 0) * 1.5,
    });
  });
});

describe('an animation larger than the attachment limit', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie', {
      simulator: { imageEdge: 64, videoBytes: 300 * 1024 },
      emulator: { limits: { attachmentBytesPerFile: 256 * 1024 } },
    });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a 300 KiB video and a 256 KiB limit THEN it arrives as a link, with Extend', async () => {
    const { alice } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, alice, 'a moth at a lamp');
    const video = await e2e.resultOf(await e2e.click(alice, upscale, 'Animate (High motion)'), animated);
    expect(video.attachments).toEqual([]);
    const link = /The video is too large to attach here: (\S+)/.exec(video.content)?.[1];
    expect(link).toMatch(/\/files\/kie-[a-z0-9]+-0_0\.mp4$/);
    const response = await fetch(link ?? '');
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThanOrEqual(300 * 1024);
    expect(buttonLabels(video)).toEqual([['Extend']]);
  });
});

describe('Animate and Extend on AceData', () => {
  let e2e: E2E;
  let simulator: AcedataSimulator;
  beforeAll(async () => {
    e2e = await startE2E('acedata');
    simulator = e2e.sandbox.simulators.get('acedata') as AcedataSimulator;
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN an upscale THEN Animate (Low motion) posts /midjourney/videos with its URL and the four videos arrive, each with Extend', async () => {
    const { alice } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, alice, 'a lantern festival');
    expect(buttonLabels(upscale).at(-1)).toEqual(['Animate (High motion)', 'Animate (Low motion)']);

    const video = await e2e.resultOf(await e2e.click(alice, upscale, 'Animate (Low motion)'), animated);
    expect(video.content.split('\n')[0]).toBe(`**a lantern festival** - Animated (Low motion) by <@${alice}> (fast)`);
    expect(video.attachments.map((attachment) => attachment.filename.replace(/^[a-z0-9]+-/, ''))).toEqual([
      'video1.mp4',
      'video2.mp4',
      'video3.mp4',
      'video4.mp4',
    ]);
    expect(videoBytes(e2e, video).subarray(4, 8).toString('latin1')).toBe('ftyp');
    const [animation] = simulator.videoSubmissions;
    expect(animation).toMatchObject({ action: 'generate', prompt: 'a lantern festival --motion low', async: true });
    // The first frame is the upscale AceData made: its own full-size image.
    expect(String(animation?.image_url)).toMatch(/\/files\/acedata\/[0-9a-f-]+\/image\.png\?ex=/);
    expect(buttonLabels(video)).toEqual([['Extend 1', 'Extend 2', 'Extend 3', 'Extend 4']]);

    const extended = await e2e.resultOf(await e2e.click(alice, video, 'Extend 2'), animated);
    expect(extended.content.split('\n')[0]).toBe(`**a lantern festival** - Extended video 2 by <@${alice}> (fast)`);
    expect(extended.attachments).toHaveLength(4);
    const [first] = [...simulator.videos.all()];
    expect(simulator.videoSubmissions[1]).toMatchObject({
      action: 'extend',
      video_id: first?.videoId,
      video_index: 1,
      prompt: 'a lantern festival',
    });
  });

  it('GIVEN /settings hd_video on AceData, which the bot asks for one kind of video THEN it says Animate there is the same either way', async () => {
    const shown = e2e.ephemeralOf(await e2e.slash(e2e.seed.users.mia, 'settings', { hd_video: true }));
    expect(shown?.content).toContain('**HD video:** on: Animate on AceDataCloud is the same either way');
  });
});

/** Every state each message went through, from the emulator's message events. */
function recordMessages(e2e: E2E): Map<string, { content: string; embeds: { image?: { url?: string } }[] }[]> {
  const seen = new Map<string, { content: string; embeds: { image?: { url?: string } }[] }[]>();
  const record = ({ message }: { message: { id: string; content: string; embeds: unknown[] } }) =>
    seen.set(message.id, [
      ...(seen.get(message.id) ?? []),
      { content: message.content, embeds: message.embeds as { image?: { url?: string } }[] },
    ]);
  e2e.sandbox.emulator.events.on('message.create', record);
  e2e.sandbox.emulator.events.on('message.update', record);
  return seen;
}

const MAKING = 'The video is being made from this image.';

describe('the first frame shows as progress while the video is made', () => {
  let e2e: E2E | undefined;
  afterEach(async () => {
    await e2e?.stop();
    e2e = undefined;
  });

  it('GIVEN Kie, which gives no preview THEN the progress message shows the upscale with a line saying the video is being made', async () => {
    // Slower than the other tests, so the running state is seen before the video arrives.
    e2e = await startE2E('kie', { timeScale: 0.05 });
    const simulator = e2e.sandbox.simulators.get('kie') as KieSimulator;
    const messages = recordMessages(e2e);
    const { alice } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, alice, 'a paper boat');
    const click = await e2e.click(alice, upscale, 'Animate (High motion)');
    const video = await e2e.resultOf(click, animated, 30_000);
    expect(video.attachments).toHaveLength(1);

    const states = messages.get(video.id) ?? [];
    const running = states.filter((state) => state.content.includes(MAKING));
    expect(running.length).toBeGreaterThan(0);
    const upscaleTask = simulator.submissions.find((submission) => submission.path === '/api/v1/mj/generateUpscale');
    // The image shown is the upscale Kie made: the frame the video starts from.
    for (const state of running) {
      expect(state.content).toMatch(/Animated \(High motion\) by <@\d+> \(Running, \d+:\d{2}\) \(fast\)/);
      expect(state.embeds[0]?.image?.url).toContain(`kie-${upscaleTask?.taskId ?? '?'}-`);
    }
    // Every running state came before the video, and the video's message drops both.
    expect(states.findIndex((state) => state.content.includes(MAKING))).toBeLessThan(states.length - 1);
    expect(video.embeds).toEqual([]);
    expect(video.content).not.toContain(MAKING);
  });

  it('GIVEN AceData THEN its cover (the first frame) shows while the video is made, with the same line', async () => {
    e2e = await startE2E('acedata', { timeScale: 0.05 });
    const messages = recordMessages(e2e);
    const { bob } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, bob, 'a paper lantern');
    const video = await e2e.resultOf(await e2e.click(bob, upscale, 'Animate (Low motion)'), animated, 30_000);
    expect(video.attachments).toHaveLength(4);

    const running = (messages.get(video.id) ?? []).filter((state) => state.content.includes(MAKING));
    expect(running.length).toBeGreaterThan(0);
    for (const state of running) expect(state.embeds[0]?.image?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
    // AceData reports percent and its cover: at least one running state shows the cover it made for the video.
    expect(running.some((state) => /\/cover\.png/.test(state.embeds[0]?.image?.url ?? ''))).toBe(true);
    expect(video.embeds).toEqual([]);
  });
});

describe('no Animate where the provider makes no video', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-mj');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a Cloudsway MaaS-MJ upscale THEN no Animate button', async () => {
    const { alice } = e2e.seed.users;
    const upscale = await upscaleOf(e2e, alice, 'a glass harbour');
    expect(
      buttonLabels(upscale)
        .flat()
        .some((label) => label.startsWith('Animate')),
    ).toBe(false);
  });
});
