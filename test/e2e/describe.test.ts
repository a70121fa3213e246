import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InteractionRecord, MessageView } from '../../src/sandbox/discord/index.js';
import type { AcedataSimulator } from '../../src/sandbox/providers/acedata-simulator.js';
import type { KieSimulator } from '../../src/sandbox/providers/kie-simulator.js';
import { buttonLabels, finished, startE2E, type E2E } from './support.js';

const hasButtons = (message: MessageView) => message.components.length > 0;

/** The private answer a deferred interaction ended with (its "thinking…" placeholder is deleted first). */
async function privateAnswer(e2e: E2E, interaction: InteractionRecord): Promise<MessageView> {
  const emulator = e2e.sandbox.emulator;
  return vi.waitFor(
    () => {
      const ids = emulator.interaction(interaction.id)?.responseMessageIds ?? [];
      const answer = ids
        .map((id) => emulator.message(id))
        .find((message) => message && (message.flags & 64) !== 0 && (message.flags & 128) === 0);
      if (!answer) throw new Error(`no private answer yet to ${interaction.name}`);
      return answer;
    },
    { timeout: 10_000, interval: 20 },
  );
}

async function teal(): Promise<Buffer> {
  return sharp({ create: { width: 12, height: 8, channels: 3, background: '#33cccc' } })
    .png()
    .toBuffer();
}

/** The prompts a describe or shorten message lists, without their keycap numbers. */
function listedPrompts(message: MessageView): string[] {
  return message.content
    .split('\n')
    .filter((line) => /^[1-5]\uFE0F\u20E3 /u.test(line))
    .map((line) => line.replace(/^[1-5]\uFE0F\u20E3 /u, ''));
}

describe('/describe and /shorten on AceData', () => {
  let e2e: E2E;
  let simulator: AcedataSimulator;
  beforeAll(async () => {
    e2e = await startE2E('acedata');
    simulator = e2e.sandbox.simulators.get('acedata') as AcedataSimulator;
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN an attached image THEN four numbered prompts come back publicly, with buttons 1–4 and 🔄, from what the image is', async () => {
    const command = await e2e.slash(e2e.seed.users.alice, 'describe', {
      image: { filename: 'teal.png', contentType: 'image/png', bytes: await teal() },
    });
    const message = await e2e.resultOf(command, hasButtons);
    expect(message.flags & 64).toBe(0);
    expect(message.content.split('\n')[0]).toMatch(/^\*\*Describe\*\* - <@\d+>$/);
    const prompts = listedPrompts(message);
    expect(prompts).toHaveLength(4);
    // The simulator fetched the attachment through the link it was given: the prompts name its colour and shape.
    for (const prompt of prompts) expect(prompt).toMatch(/teal.*--ar 3:2$/);
    expect(message.content).toMatch(/-# Described by AceDataCloud · `[a-z0-9]+`/);
    expect(buttonLabels(message)).toEqual([['1', '2', '3', '4', '🔄']]);
    expect(simulator.describes).toHaveLength(1);
  });

  it('GIVEN button 2 THEN prompt 2 is imagined: AceData receives that very prompt and a grid comes back', async () => {
    const { alice, bob } = e2e.seed.users;
    const described = await e2e.resultOf(
      await e2e.slash(alice, 'describe', {
        image: { filename: 'teal.png', contentType: 'image/png', bytes: await teal() },
      }),
      hasButtons,
    );
    const chosen = listedPrompts(described)[1]!;
    const result = await e2e.resultOf(await e2e.click(bob, described, '2'), finished, 20_000);
    expect(result.attachments).toHaveLength(1);
    expect(simulator.submissions.at(-1)?.prompt).toBe(chosen);
    expect(result.content.split('\n')[0]).toContain(`**${chosen}** - <@${bob}>`);
  });

  it('GIVEN 🔄 THEN the same image is described again, in a new message with buttons of its own', async () => {
    const described = await e2e.resultOf(
      await e2e.slash(e2e.seed.users.alice, 'describe', {
        image: { filename: 'teal.png', contentType: 'image/png', bytes: await teal() },
      }),
      hasButtons,
    );
    const before = simulator.describes.length;
    const again = await e2e.resultOf(await e2e.click(e2e.seed.users.alice, described, '🔄'), hasButtons);
    expect(again.id).not.toBe(described.id);
    expect(simulator.describes).toHaveLength(before + 1);
    expect(simulator.describes.at(-1)).toBe(simulator.describes.at(-2));
    expect(listedPrompts(again)).toHaveLength(4);
    expect(again.content).not.toBe(described.content); // a list id of its own
  });

  it('GIVEN a link the provider cannot fetch THEN the member is told privately, and no list is shown', async () => {
    const reply = await privateAnswer(
      e2e,
      await e2e.slash(e2e.seed.users.alice, 'describe', { url: 'http://127.0.0.1:9/missing.png' }),
    );
    expect(reply.content).toBe(
      'AceDataCloud could not do it: The image service could not accept this request: Invalid image URL: the image could not be downloaded.',
    );
  });

  it('GIVEN neither an image nor a link, or a link that is not one THEN a short refusal says what to give', async () => {
    const none = e2e.ephemeralOf(await e2e.slash(e2e.seed.users.alice, 'describe', {}));
    expect(none?.content).toBe('Give an image (attach it) or a link to one (url), not both.');
    const bad = e2e.ephemeralOf(await e2e.slash(e2e.seed.users.alice, 'describe', { url: 'ftp://example/x.png' }));
    expect(bad?.content).toBe('The url must be an http or https link to an image.');
  });

  it('GIVEN /shorten THEN the shortened prompts come with a button each, and button 1 imagines prompt 1', async () => {
    const { alice } = e2e.seed.users;
    const long = 'a very detailed painting of a lighthouse on a rocky cliff at sunset with dramatic clouds --ar 16:9';
    const message = await e2e.resultOf(await e2e.slash(alice, 'shorten', { prompt: long }), hasButtons);
    expect(message.content.split('\n')[0]).toMatch(/^\*\*Shortened prompts\*\* - <@\d+>$/);
    const prompts = listedPrompts(message);
    expect(prompts.length).toBeGreaterThanOrEqual(3);
    for (const prompt of prompts) {
      expect(prompt.length).toBeLessThan(long.length);
      expect(prompt).toMatch(/--ar 16:9$/);
    }
    expect(buttonLabels(message)).toEqual([prompts.map((_, index) => String(index + 1))]);
    expect(simulator.shortens.at(-1)).toBe(long);
    const result = await e2e.resultOf(await e2e.click(alice, message, '1'), finished, 20_000);
    expect(result.attachments).toHaveLength(1);
    expect(simulator.submissions.at(-1)?.prompt).toBe(prompts[0]);
  });

  it('GIVEN a prompt too short to shorten THEN AceData’s refusal reaches the member privately', async () => {
    const reply = await privateAnswer(e2e, await e2e.slash(e2e.seed.users.alice, 'shorten', { prompt: 'a cat' }));
    expect(reply.content).toBe(
      'AceDataCloud could not do it: The image service could not accept this request: The prompt is too short to be shortened.',
    );
  });
});

describe('/describe where the server’s provider (Kie) cannot, and AceData is configured too', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie', { providers: ['kie', 'acedata'] });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN /describe THEN AceData describes and says so, and button 3 imagines on the server’s provider, Kie', async () => {
    const { alice } = e2e.seed.users;
    const described = await e2e.resultOf(
      await e2e.slash(alice, 'describe', {
        image: { filename: 'teal.png', contentType: 'image/png', bytes: await teal() },
      }),
      hasButtons,
    );
    expect(described.content).toContain(
      '-# Made with AceDataCloud, since Kie.ai can’t: Kie.ai has no describe endpoint.',
    );
    const chosen = listedPrompts(described)[2]!;
    const kie = e2e.sandbox.simulators.get('kie') as KieSimulator;
    const result = await e2e.resultOf(await e2e.click(alice, described, '3'), finished, 20_000);
    expect(result.attachments).toHaveLength(1);
    const sent = kie.submissions.at(-1)?.body as { prompt?: string; aspectRatio?: string } | undefined;
    expect(sent?.prompt).toBe(chosen.replace(/\s*--ar 3:2$/, ''));
    expect(sent?.aspectRatio).toBe('3:2');
  });
});

describe('/describe and /shorten where no configured provider can', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E('kie');
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('GIVEN only Kie THEN both answer privately that no provider here can, and why', async () => {
    const { alice } = e2e.seed.users;
    const describeReply = e2e.ephemeralOf(await e2e.slash(alice, 'describe', { url: 'https://example.com/a.png' }));
    expect(describeReply?.content).toBe(
      'No image service configured for this bot can describe images:\n• Kie.ai has no describe endpoint.',
    );
    const shortenReply = e2e.ephemeralOf(await e2e.slash(alice, 'shorten', { prompt: 'a long prompt to shorten' }));
    expect(shortenReply?.content).toBe(
      'No image service configured for this bot can shorten prompts:\n• Kie.ai has no shorten endpoint.',
    );
  });
});
