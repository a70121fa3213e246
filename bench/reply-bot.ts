import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import { commandDefinitions } from '../commands/index.js';
import { discordRestAgent } from '../src/discord/rest-agent.js';
import { serveParent } from './child.js';

/**
 * The floor for acknowledgements: an unmodified discord.js client that answers every command at
 * once with a one-line reply, and does nothing else. The bot cannot answer faster than this.
 */
const environment = process.env;
const agent = discordRestAgent();
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { agent, api: environment.DISCORD_API_URL ?? '' },
});
client.on(Events.InteractionCreate, (interaction) => {
  if (interaction.isChatInputCommand())
    void interaction
      .reply({ content: `**${interaction.options.getString('prompt') ?? ''}** (Waiting to start)` })
      .catch(() => undefined);
});
const ready = once(client, Events.ClientReady);
await client.login(environment.DISCORD_TOKEN);
await ready;
await client.rest.put(
  Routes.applicationGuildCommands(environment.DISCORD_APPLICATION_ID ?? '', environment.DISCORD_DEV_GUILD_ID ?? ''),
  { body: commandDefinitions },
);
serveParent(async () => {
  await client.destroy();
  await agent.close();
});
