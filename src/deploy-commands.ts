import { REST, Routes } from 'discord.js';
import { commandDefinitions } from '../commands/index.js';
import { loadConfig } from './config.js';
import { discordRestAgent } from './discord/rest-agent.js';

/**
 * Registers the slash commands: to DISCORD_DEV_GUILD_ID when set (instantly), otherwise globally
 * (Discord may take up to an hour to show global changes).
 */
const config = loadConfig();
const { token, applicationId, devGuildId, apiUrl } = config.discord;
if (!token || !applicationId) {
  process.stderr.write(
    'Configuration error: DISCORD_TOKEN is missing: deploy-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID\n',
  );
  process.exit(78);
}
const rest = new REST({ agent: discordRestAgent(), ...(apiUrl ? { api: apiUrl } : {}) }).setToken(token);
const route = devGuildId
  ? Routes.applicationGuildCommands(applicationId, devGuildId)
  : Routes.applicationCommands(applicationId);
try {
  const registered = (await rest.put(route, { body: commandDefinitions })) as unknown[];
  process.stdout.write(
    `Registered ${registered.length} commands ${devGuildId ? `in guild ${devGuildId}` : 'globally'}.\n`,
  );
} catch (error) {
  process.stderr.write(`Could not register commands: ${(error as Error).message}\n`);
  process.exit(1);
}
