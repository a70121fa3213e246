import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { discordRestAgent } from '../../src/discord/rest-agent.js';
import { createLogger } from '../../src/logger.js';
import { createAdapters } from '../../src/providers/index.js';
import type { ProviderAdapter, TaskUpdate } from '../../src/providers/types.js';
import type { MessageView } from '../../src/sandbox/discord/index.js';
import type { KieSimulator } from '../../src/sandbox/providers/kie-simulator.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/run.js';
import { openKeyv } from '../../src/store/keyv.js';
import { finished, TIME_SCALE } from './support.js';

const logger = createLogger({ level: 'silent' });
const prompt = { text: 'an old lighthouse', imageUrls: [], params: {}, typed: 'an old lighthouse' };

/** Polls a task the way the bot would, until it is done. */
async function settle(adapter: ProviderAdapter, taskId: string): Promise<TaskUpdate> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const update = await adapter.status(taskId, { signal: AbortSignal.timeout(5_000) });
    if (update.state === 'succeeded' || update.state === 'failed') return update;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`task ${taskId} did not finish`);
}

const urls = (update: TaskUpdate) =>
  (update.images ?? []).map((image) => {
    if (image.kind !== 'url') throw new Error('Kie returns URLs');
    return { kind: 'url', url: image.url };
  });

/**
 * Buttons on messages posted before the follow-up type, over job records of schema 1, still work:
 * the records below are JSON literals in the form the bot wrote them up to commit 03869e6
 * (`imageIndex` and `options`), the buttons carry the custom IDs it made then, and the tasks they
 * name are real ones on the Kie simulator. A new bot process then starts on that store.
 */
describe('a message and a store written in the previous format', () => {
  let before: Sandbox;
  let sandbox: Sandbox;
  let gridMessage: MessageView;
  let upscaleMessage: MessageView;
  let gridTaskId: string;

  beforeAll(async () => {
    const store = `sqlite://${join(mkdtempSync(join(tmpdir(), 'old-format-')), 'bot.sqlite')}`;
    before = await startSandbox({
      logger,
      providers: ['kie'],
      defaultProvider: 'kie',
      timeScale: TIME_SCALE,
      simulator: { imageEdge: 64 },
      startBot: false,
      environment: { STORE_URL: store },
    });
    const { emulator } = before;
    const { guildId, users, channels } = emulator.seed;

    // Real tasks on the simulator: a grid, and an upscale of its image 2.
    const kie = createAdapters(parseConfig(before.environment), { logger }).get('kie')!;
    const call = () => ({ signal: AbortSignal.timeout(5_000) });
    const grid = await settle(kie, (await kie.submit({ prompt }, call())).taskId);
    gridTaskId = grid.taskId;
    const gridParent = {
      action: 'imagine' as const,
      taskId: grid.taskId,
      prompt,
      imageCount: 4,
      loadImage: () => Promise.reject(new Error('not needed')),
    };
    const upscale = await settle(
      kie,
      (await kie.submit({ followUp: { action: 'upscale', index: 2, type: 'default' }, parent: gridParent }, call()))
        .taskId,
    );

    // The messages, as the bot posted them then.
    const agent = discordRestAgent();
    const rest = new REST({ agent, api: emulator.restUrl }).setToken(emulator.token);
    const post = async (content: string, customIds: [string, string][]) =>
      (await rest.post(Routes.channelMessages(channels.imagine), {
        body: {
          content,
          components: [
            {
              type: 1,
              components: customIds.map(([label, custom_id]) => ({ type: 2, style: 2, label, custom_id })),
            },
          ],
        },
      })) as { id: string };
    const gridPost = await post(`**an old lighthouse** - <@${users.alice}> (fast)\n-# Job \`oldgrid2\``, [
      ['U3', 'mj1:u:oldgrid2:3:default'],
      ['🔄', 'mj1:r:oldgrid2'],
      ['V1', 'mj1:v:oldgrid2:1:strong'],
    ]);
    const upscalePost = await post(`**an old lighthouse** - Image #2 <@${users.alice}>\n-# Job \`oldup2345\``, [
      ['Vary (Strong)', 'mj1:v:oldup2345:1:strong'],
    ]);
    await agent.close();

    // The records, as the bot stored them then (schema 1).
    const common = {
      schema: 1,
      provider: 'kie',
      guildId,
      channelId: channels.imagine,
      userId: users.alice,
      prompt,
      notices: [],
      speed: 'fast',
      state: 'succeeded',
      visibility: 'public',
      progress: 100,
      callbackSeen: false,
      createdAt: Date.now() - 60_000,
      submittedAt: Date.now() - 59_000,
      finishedAt: Date.now() - 50_000,
      polls: 2,
      attempts: 0,
      version: 4,
      publishSeq: 1,
      publishedSeq: 1,
      shownBy: 'reply',
      translate: true,
      callbackSecret: '0123456789abcdef0123456789abcdef',
    };
    const keyv = await openKeyv(store, logger);
    await keyv.set('job:oldgrid2', {
      ...common,
      id: 'oldgrid2',
      action: 'imagine',
      options: {},
      messageId: gridPost.id,
      taskId: grid.taskId,
      images: urls(grid),
    });
    await keyv.set('job:oldup2345', {
      ...common,
      id: 'oldup2345',
      action: 'upscale',
      parentId: 'oldgrid2',
      imageIndex: 2,
      options: { upscaleType: 'default' },
      messageId: upscalePost.id,
      taskId: upscale.taskId,
      images: urls(upscale),
    });
    await keyv.disconnect();

    // A new bot on the same Discord, providers and store.
    sandbox = await startSandbox({
      logger,
      providers: ['kie'],
      defaultProvider: 'kie',
      timeScale: TIME_SCALE,
      existingEmulator: emulator,
      existingSimulators: before.simulators,
      environment: { STORE_URL: store },
    });
    gridMessage = emulator.message(gridPost.id)!;
    upscaleMessage = emulator.message(upscalePost.id)!;
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
    await before?.stop();
  });

  const lastSubmission = (path: string) =>
    (sandbox.simulators.get('kie') as KieSimulator).submissions
      .filter((submission) => submission.path.endsWith(path))
      .at(-1)?.body;

  const click = async (message: MessageView, label: string) => {
    const button = (message.components[0] as { components: { label: string; custom_id: string }[] }).components.find(
      (candidate) => candidate.label === label,
    )!;
    const interaction = await sandbox.emulator.clickButton(
      { userId: sandbox.emulator.seed.users.bob, messageId: message.id, customId: button.custom_id },
      { wait: 'ack' },
    );
    expect(interaction.failed).toBe(false);
    const messageId = interaction.originalMessageId ?? interaction.responseMessageIds[0];
    return sandbox.emulator.waitForMessage(
      interaction.channelId,
      (candidate) => candidate.id === messageId && finished(candidate),
      { timeoutMs: 15_000 },
    );
  };

  it('GIVEN U3 on an old grid THEN image 3 of that grid task is upscaled', async () => {
    const result = await click(gridMessage, 'U3');
    expect(result.attachments).toHaveLength(1);
    expect(result.content.split('\n')[0]).toBe(
      `**an old lighthouse** - Image #3 <@${sandbox.emulator.seed.users.bob}>`,
    );
    expect(lastSubmission('/generateUpscale')).toMatchObject({ taskId: gridTaskId, imageIndex: 2 }); // from 0
  });

  it('GIVEN Vary (Strong) on an old upscale of image 2 THEN the variation is of grid image 2', async () => {
    const result = await click(upscaleMessage, 'Vary (Strong)');
    expect(result.attachments).toHaveLength(1);
    expect(result.content).toContain(`Variations (Strong) by <@${sandbox.emulator.seed.users.bob}>`);
    // The upscale's grid and its image number come from the schema-1 record (parentId, imageIndex).
    expect(lastSubmission('/generateVary')).toMatchObject({ taskId: gridTaskId, imageIndex: 2 }); // from 1
  });

  it('GIVEN /vary image:2 on the old upscale THEN its record is read: it has one image', async () => {
    const interaction = await sandbox.emulator.slashCommand(
      {
        userId: sandbox.emulator.seed.users.bob,
        channelId: sandbox.emulator.seed.channels.imagine,
        name: 'vary',
        options: { job: 'oldup2345', image: 2 },
      },
      { wait: 'ack' },
    );
    const answer = sandbox.emulator.message(interaction.originalMessageId ?? interaction.responseMessageIds[0]!);
    expect(answer?.content).toMatch(/^Job `oldup2345` has one image, so there is no image 2\./);
  });
});
