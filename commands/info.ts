import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { PROVIDER_NAMES } from '../src/providers/index.js';
import { counterDay } from '../src/store/job-store.js';
import { infoTextFor } from './text.js';

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
  const say = infoTextFor(interaction);
  const lines = [
    say.running(
      running.map((entry) => entry.id),
      settings.concurrency,
    ),
    say.queued(queued.map((entry) => entry.id)),
    settings.dailyLimit > 0
      ? say.allowanceLeft(Math.max(0, settings.dailyLimit - used), settings.dailyLimit, counterDay(context.now()))
      : say.allowanceUnlimited(used),
    say.provider(provider ? PROVIDER_NAMES[provider] : undefined, settings.speed ?? 'fast', settings.approvalMode),
  ];
  await interaction.reply({ content: lines.join('\n'), flags: MessageFlags.Ephemeral });
}

export const info: SlashCommand = { definition: infoDefinition.toJSON(), execute };
