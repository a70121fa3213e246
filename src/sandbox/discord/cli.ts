import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DiscordEmulator } from './emulator.js';

/**
 * `npm run emulator [-- --port N --token T --no-seed]`: runs the emulator alone and prints what a
 * bot needs to connect (REST base URL for discord.js `rest.api`, control API, token).
 */
const argsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(0),
  token: z
    .string()
    .regex(/^[\w.-]{20,}$/, 'expects a bot-token-like string (letters, digits, dots, dashes; 20+)')
    .optional(),
  host: z.string().default('127.0.0.1'),
  'no-seed': z.boolean().default(false),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      token: { type: 'string' },
      host: { type: 'string' },
      'no-seed': { type: 'boolean' },
    },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`emulator: ${z.prettifyError(parsed.error)}`);
    process.exit(2);
  }
  const args = parsed.data;
  const emulator = await DiscordEmulator.start({
    port: args.port,
    host: args.host,
    seed: !args['no-seed'],
    ...(args.token ? { token: args.token } : {}),
  });
  const lines = [
    'Discord emulator running',
    `  REST base URL (discord.js rest.api, DISCORD_API_URL): ${emulator.restUrl}`,
    `  Gateway:        ${emulator.gatewayUrl}`,
    `  Control API:    ${emulator.controlUrl}`,
    `  Bot token:      ${emulator.token}`,
    `  Application id: ${emulator.applicationId}`,
  ];
  if (emulator.seeded) {
    const { seed } = emulator;
    lines.push(
      `  Guild "Playground": ${seed.guildId}  #imagine ${seed.channels.imagine}  #mod-log ${seed.channels.modLog}`,
      `  Users: alice ${seed.users.alice}  bob ${seed.users.bob}  lucia (es-ES) ${seed.users.lucia}` +
        `  mia (moderator) ${seed.users.mia}`,
    );
  }
  console.log(lines.join('\n'));
  const stop = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
