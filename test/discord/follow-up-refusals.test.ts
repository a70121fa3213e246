import { Events, MessageFlags, type Client } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { parseConfig } from '../../src/config.js';
import type { BotContext } from '../../src/discord/context.js';
import { createRouter } from '../../src/discord/router.js';
import type { Job } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import { createAdapters } from '../../src/providers/index.js';
import { DiscordEmulator, type InteractionRecord } from '../../src/sandbox/discord/index.js';
import { openKeyv } from '../../src/store/keyv.js';
import { createStores, type Stores } from '../../src/store/stores.js';
import { makeJob } from '../fixtures/jobs.js';
import { connectClient } from '../sandbox/discord/support/discord-client.js';

const logger = createLogger({ level: 'silent' });
const IMAGES = [1, 2, 3, 4].map((index) => ({ kind: 'url' as const, url: `https://cdn.example/${index}.png` }));

/**
 * The rules a follow-up (/upscale, /vary, a button) must pass before any job exists, each refused
 * with its own sentence. The real commands and router, a real store, the adapters' real
 * capabilities; nothing reaches a provider on these paths, so none runs.
 */
describe('follow-ups refused before any job exists', () => {
  let emulator: DiscordEmulator;
  let client: Client<true>;
  let stores: Stores;
  let close: () => Promise<void>;
  let secretChannel: string;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    secretChannel = emulator.createChannel(emulator.seed.guildId, {
      name: 'alice-only',
      overwrites: [
        { id: emulator.seed.guildId, type: 'role', deny: ['ViewChannel'] },
        { id: emulator.seed.users.alice, type: 'member', allow: ['ViewChannel'] },
      ],
    }).id;
    client = await connectClient(emulator);
    await client.application.commands.set(
      commands.map((command) => command.definition),
      emulator.seed.guildId,
    );
    const keyv = await openKeyv('sqlite://:memory:', logger);
    stores = createStores(keyv, logger);
    close = () => keyv.disconnect();
    const config = parseConfig({ KIE_KEY: 'kie-test-key', KIE_BASE_URL: 'http://127.0.0.1:9' });
    // What the refusal paths read: the store, the adapters' capabilities and the logger.
    const context = {
      config,
      logger,
      stores,
      adapters: createAdapters(config, { logger }),
      now: Date.now,
      publicBaseUrl: () => undefined,
    } as unknown as BotContext;
    const route = createRouter(commands, context);
    client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  });
  afterAll(async () => {
    await client.destroy();
    await close();
    await emulator.stop();
  });

  const grid = (id: string, overrides: Partial<Job> = {}) =>
    makeJob({
      id,
      guildId: emulator.seed.guildId,
      channelId: emulator.seed.channels.imagine,
      userId: emulator.seed.users.alice,
      state: 'succeeded',
      taskId: `task-${id}`,
      images: IMAGES,
      ...overrides,
    });

  beforeEach(async () => {
    for (const job of [
      grid('griddone'),
      grid('deleted1', { visibility: 'deleted' }),
      grid('rejected', { visibility: 'rejected' }),
      grid('pending1', { visibility: 'pending_approval' }),
      grid('secret12', { channelId: secretChannel }),
      grid('running1', { state: 'running', images: undefined }),
      grid('withheld', { images: [IMAGES[0]!, { kind: 'rejected', rejected: true }, IMAGES[2]!, IMAGES[3]!] }),
      grid('upscaled', {
        action: 'upscale',
        followUp: { action: 'upscale', index: 2, type: 'default' },
        parentId: 'griddone',
        images: [IMAGES[1]!],
      }),
    ])
      await stores.jobs.save(job);
  });

  const run = (userId: string, name: 'upscale' | 'vary', options: Record<string, unknown>) =>
    emulator.slashCommand({ userId, channelId: emulator.seed.channels.imagine, name, options }, { wait: 'ack' });
  const answer = (interaction: InteractionRecord) =>
    emulator
      .messages(interaction.channelId, { as: interaction.userId })
      .filter(
        (message) =>
          (message.flags & MessageFlags.Ephemeral) !== 0 && message.interaction_metadata?.id === interaction.id,
      )
      .map((message) => message.content)
      .join('\n');

  it.each([
    ['an unknown job', 'upscale', { job: 'unknown12', image: 1 }, /I don't know job `unknown12`/],
    ['a job a moderator deleted', 'upscale', { job: 'deleted1', image: 1 }, /A moderator removed job `deleted1`/],
    ['a job a moderator rejected', 'vary', { job: 'rejected', image: 1 }, /A moderator removed job `rejected`/],
    ['a job waiting for approval', 'upscale', { job: 'pending1', image: 1 }, /waiting for a moderator's approval/],
    ['a job in a channel the member cannot see', 'upscale', { job: 'secret12', image: 1 }, /a channel you can't see/],
    ['a job still running', 'vary', { job: 'running1', image: 1 }, /has not finished yet/],
    [
      'an image the provider withheld',
      'upscale',
      { job: 'withheld', image: 2 },
      /Image #2 of job `withheld` was withheld/,
    ],
    [
      'an image number the job does not have',
      'vary',
      { job: 'upscaled', image: 3 },
      /Job `upscaled` has one image, so there is no image 3/,
    ],
  ] as const)(
    'GIVEN %s THEN it is refused with its reason and no job is made',
    async (_case, name, options, reason) => {
      const interaction = await run(emulator.seed.users.bob, name, options);
      expect(interaction.ephemeral).toBe(true);
      expect(answer(interaction)).toMatch(reason);
      expect(await stores.jobs.recentOf(emulator.seed.guildId, emulator.seed.users.bob)).toEqual([]);
    },
  );

  it('GIVEN a server where only owners may use their jobs THEN another member is refused, naming the owner', async () => {
    await stores.guilds.update(emulator.seed.guildId, { buttons: 'owner' });
    try {
      const interaction = await run(emulator.seed.users.bob, 'upscale', { job: 'griddone', image: 1 });
      expect(answer(interaction)).toContain(`Only <@${emulator.seed.users.alice}> can use the buttons on their jobs`);
    } finally {
      await stores.guilds.update(emulator.seed.guildId, { buttons: 'anyone' });
    }
  });

  it('GIVEN a strength the provider does not offer on this image THEN it says what was asked, why not, and what can be done', async () => {
    // Kie offers only Vary (Strong) on a grid image. (The sentence is the behaviour here.)
    const interaction = await run(emulator.seed.users.bob, 'vary', { job: 'griddone', image: 1, strength: 'subtle' });
    expect(interaction.ephemeral).toBe(true);
    expect(answer(interaction)).toBe("Vary (Subtle) isn't available: Kie.ai offers only Vary (Strong) on this image.");
    expect(await stores.jobs.recentOf(emulator.seed.guildId, emulator.seed.users.bob)).toEqual([]);
  });

  it('GIVEN an upscale type the provider does not offer on an upscale THEN it names what that image offers', async () => {
    const interaction = await run(emulator.seed.users.bob, 'upscale', { job: 'upscaled', image: 1, type: 'creative' });
    expect(answer(interaction)).toBe(
      "Upscale (Creative) isn't available: Kie.ai offers only Vary (Strong), Animate (High motion) and Animate (Low motion) on this image.",
    );
  });

  it.each([
    ['upscale', { job: 'upscaled', image: 2 }],
    ['vary', { job: 'upscaled', image: 2 }],
  ] as const)(
    'GIVEN /%s image:2 on a one-image upscale THEN it says the job has one image and what it offers',
    async (name, options) => {
      const interaction = await run(emulator.seed.users.bob, name, options);
      expect(answer(interaction)).toBe(
        'Job `upscaled` has one image, so there is no image 2. Kie.ai offers Vary (Strong), Animate (High motion) and Animate (Low motion) on image 1.',
      );
      expect(await stores.jobs.recentOf(emulator.seed.guildId, emulator.seed.users.bob)).toEqual([]);
    },
  );
});
