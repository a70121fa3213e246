import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../commands/index.js';
import { DiscordEmulator } from '../src/sandbox/discord/index.js';
import { runScript as run } from './run-script.js';

describe('npm run deploy-commands', () => {
  it('GIVEN a dev guild THEN every command is registered there', async () => {
    const emulator = await DiscordEmulator.start();
    try {
      const result = await run('src/deploy-commands.ts', [], {
        DISCORD_TOKEN: emulator.token,
        DISCORD_APPLICATION_ID: emulator.applicationId,
        DISCORD_API_URL: emulator.restUrl,
        DISCORD_DEV_GUILD_ID: emulator.seed.guildId,
      });
      expect(result.code, result.stderr).toBe(0);
      const registered = emulator.commands(emulator.seed.guildId).map((command) => command.name);
      expect(registered.sort()).toEqual(commandDefinitions.map((definition) => definition.name).sort());
    } finally {
      await emulator.stop();
    }
  });
});
