import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { PROVIDER_NAMES } from '../src/providers/index.js';
import { CounterStore } from '../src/store/stores.js';

/** `/info`: your running and queued jobs, what is left of your allowance, the server's provider and mode. */
export const infoDefinition = new SlashCommandBuilder()
  .setName('info')
  .setDescription('Your jobs, your allowance and this server’s image settings')
  .setContexts(InteractionContextType.Guild);

async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const guildId = interaction.guildId ?? '';
  const userId = interaction.user.id;
  const settings = await context.stores.guilds.get(guildId);
  const active = context.jobs.activeOf(guildId, userId);
  const running = active.filter((entry) => entry.state !== 'queued');
  const queued = active.filter((entry) => entry.state === 'queued');
  const used = await context.stores.counters.get(guildId, userId, context.now());
  const provider = settings.provider ?? context.config.defaultProvider;
  const allowance =
    settings.dailyLimit > 0
      ? `${Math.max(0, settings.dailyLimit - used)} of ${settings.dailyLimit} jobs left today (resets at 00:00 UTC, ${CounterStore.day(context.now())})`
      : `unlimited (${used} today)`;
  const lines = [
    `**Running:** ${running.length > 0 ? running.map((entry) => `\`${entry.id}\``).join(', ') : 'none'} (up to ${settings.concurrency} at once)`,
    `**Queued:** ${queued.length > 0 ? queued.map((entry) => `\`${entry.id}\``).join(', ') : 'none'}`,
    `**Allowance:** ${allowance}`,
    `**Provider:** ${provider ? PROVIDER_NAMES[provider] : 'none configured'} · **Mode:** ${settings.speed ?? 'fast'}${settings.approvalMode ? ' · results need a moderator’s approval' : ''}`,
  ];
  await interaction.reply({ content: lines.join('\n'), flags: MessageFlags.Ephemeral });
}

export const info: SlashCommand = { definition: infoDefinition.toJSON(), execute };
