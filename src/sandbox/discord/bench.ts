import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { DiscordEmulator } from './emulator.js';

/**
 * Interaction round trips per second: the emulator dispatches a slash command, an unmodified
 * discord.js client replies, and the emulator records the reply message. Not a test; run with
 * `npx tsx src/sandbox/discord/bench.ts [count] [concurrency]`.
 */
async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 1000);
  const concurrency = Number(process.argv[3] ?? 16);
  const emulator = await DiscordEmulator.start();
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.restUrl } });
  client.on(Events.InteractionCreate, async (interaction) => {
    if (interaction.isChatInputCommand()) await interaction.reply({ content: `pong ${interaction.id}` });
  });
  const ready = once(client, Events.ClientReady);
  await client.login(emulator.token);
  await ready;
  await client.application?.commands.set([{ name: 'ping', description: 'Ping' }], emulator.seed.guildId);
  const { users, channels } = emulator.seed;

  const roundTrip = async () => {
    const record = await emulator.slashCommand(
      { userId: users.alice, channelId: channels.imagine, name: 'ping' },
      { wait: 'ack' },
    );
    if (record.state !== 'acknowledged' || !record.originalMessageId)
      throw new Error(`interaction ${record.id} ended ${record.state}`);
  };

  for (let warmup = 0; warmup < 50; warmup += 1) await roundTrip();
  const sequential = await measure(Math.min(count, 500), 1, roundTrip);
  const parallel = await measure(count, concurrency, roundTrip);
  const each = (sequential.ms / sequential.count).toFixed(2);
  console.log(
    `sequential: ${sequential.perSecond.toFixed(0)} round trips/s (${sequential.count} in ${sequential.ms.toFixed(0)} ms, ${each} ms each)`,
  );
  console.log(
    `concurrency ${concurrency}: ${parallel.perSecond.toFixed(0)} round trips/s (${parallel.count} in ${parallel.ms.toFixed(0)} ms)`,
  );
  console.log(
    `messages recorded: ${emulator.messages(channels.imagine).length}, failed interactions: ${emulator.interactions({ state: 'failed' }).length}`,
  );
  await client.destroy();
  await emulator.stop();
}

async function measure(
  count: number,
  concurrency: number,
  run: () => Promise<void>,
): Promise<{ count: number; ms: number; perSecond: number }> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next += 1;
      await run();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  return { count, ms, perSecond: (count / ms) * 1000 };
}

void main();
