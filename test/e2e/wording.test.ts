import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, imageSize, startE2E, type E2E } from './support.js';
import type { KieSimulator } from '../../src/sandbox/providers/kie-simulator.js';

/** What a member reads about their own job is what happened: their prompt as typed, the speed it ran at. */
describe('the lines a member reads (apixo)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('apixo');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a prompt with short forms in an order of its own THEN the message shows it as typed', async () => {
    const result = await e2e.resultOf(
      await e2e.imagine(e2e.seed.users.alice, 'a cat   --stylize 250 --c 20 --v 7'),
      finished,
      20_000,
    );
    expect(result.content.split('\n')[0]).toMatch(/^\*\*a cat --stylize 250 --c 20 --v 7\*\* - <@\d+> \(fast\)$/);
  });

  it('GIVEN relax as the server default on a provider without it THEN the tag shows the speed used, and the notice names the default added', async () => {
    const { mia, alice } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { speed: 'relax' });
    try {
      const result = await e2e.resultOf(await e2e.imagine(alice, 'a quiet bay'), finished, 20_000);
      const [headline = '', ...rest] = result.content.split('\n');
      expect(headline).toMatch(/^\*\*a quiet bay\*\* - <@\d+> \(fast\)$/);
      expect(rest.join('\n')).toContain('Server defaults: --relax');
      expect(rest.join('\n')).toContain('the image is made at --fast speed');
    } finally {
      await e2e.slash(mia, 'settings', { clear: 'speed' });
    }
  });

  it('GIVEN an attached image prompt THEN the headline counts it instead of showing its URL', async () => {
    const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const command = await e2e.imagine(e2e.seed.users.alice, 'in watercolor', {
      image: { filename: 'ref.png', contentType: 'image/png', bytes },
    });
    const result = await e2e.resultOf(command, finished, 20_000);
    const headline = result.content.split('\n')[0] ?? '';
    expect(headline).toMatch(/^\*\*\(1 image\) in watercolor\*\*/);
    expect(headline).not.toContain('/attachments/');
  });
});

describe('progress in one vocabulary (cloudsway-mj, whose status comments are Chinese)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    // Slower than the other e2e tests, so that the message shows several stages while it runs.
    e2e = await startE2E('cloudsway-mj', { timeScale: 0.02 });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it("GIVEN a job that is queued, runs and finishes THEN every state the message showed is in our words, none in the provider's", async () => {
    const shown: string[] = [];
    const record = ({ message }: { message: { content: string } }) =>
      void shown.push(message.content.split('\n')[0] ?? '');
    e2e.sandbox.emulator.events.on('message.update', record);
    try {
      await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, 'a red bird --ar 16:9'), finished, 30_000);
    } finally {
      e2e.sandbox.emulator.events.off('message.update', record);
    }
    const tags = shown.map((line) => (/\) *$/.test(line) ? (/ - <@\d+> (.*)$/.exec(line)?.[1] ?? line) : line));
    expect(tags.length).toBeGreaterThan(1);
    for (const tag of tags) {
      expect(tag).not.toMatch(/\p{Script=Han}/u);
      expect(tag).toMatch(
        /^\((?:Waiting to start|Queued(?:, position \d+)?|(?:Queued|Running|Finishing), \d+:\d\d\) \(fast|\d+%\) \(fast|fast)\)$/,
      );
    }
  });
});

describe('upscales of an upscale (apixo)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('apixo');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN Upscale (2x) and (4x) on an upscale THEN the results are two and four times its size', async () => {
    const { alice } = e2e.seed.users;
    const grid = await e2e.resultOf(await e2e.imagine(alice, 'a lighthouse'), finished, 20_000);
    const upscale = await e2e.resultOf(await e2e.click(alice, grid, 'U2'), finished, 20_000);
    const base = await imageSize(e2e, upscale);
    for (const [label, factor] of [
      ['Upscale (2x)', 2],
      ['Upscale (4x)', 4],
    ] as const) {
      const again = await e2e.resultOf(await e2e.click(alice, upscale, label), finished, 20_000);
      expect(await imageSize(e2e, again)).toEqual({ width: base.width * factor, height: base.height * factor });
    }
  }, 60_000);
});

/** `/settings translate` decides whether the provider is asked to translate; Kie is one that can be asked. */
describe('the translate setting (kie)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  const translationAsked = () => {
    const kie = e2e.sandbox.simulators.get('kie') as KieSimulator;
    const last = kie.submissions.filter((submission) => submission.path === '/api/v1/mj/generate').at(-1);
    return (last?.body as { enableTranslation?: boolean } | undefined)?.enableTranslation === true;
  };

  it('GIVEN translate on, the default, THEN a prompt not in English is sent with translation asked', async () => {
    await e2e.resultOf(await e2e.imagine(e2e.seed.users.alice, '一只红色的鸟'), finished, 20_000);
    expect(translationAsked()).toBe(true);
  });

  it('GIVEN translate turned off THEN the same prompt is sent as it is', async () => {
    const { mia, alice } = e2e.seed.users;
    await e2e.slash(mia, 'settings', { translate: false });
    try {
      await e2e.resultOf(await e2e.imagine(alice, '一只红色的鸟'), finished, 20_000);
      expect(translationAsked()).toBe(false);
    } finally {
      await e2e.slash(mia, 'settings', { translate: true });
    }
  });
});

describe('the translate setting where the provider decides (cloudsway-mj)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('cloudsway-mj');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN a provider that reads every language itself THEN /settings says the setting does not change it', async () => {
    const shown = e2e.ephemeralOf(await e2e.slash(e2e.seed.users.mia, 'settings', { translate: false }));
    expect(shown?.content).toMatch(/\*\*Translate:\*\* off: Cloudsway MaaS-MJ reads prompts in any language itself/);
  });
});
