import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { launchJobs, replyPrivately, type LaunchInteraction } from '../src/discord/launch.js';
import { applyGuildDefaults, describeErrors, isImageType } from '../src/discord/prompt-input.js';
import { refusals, refusalsFor } from '../src/discord/text.js';
import { localeOf } from '../src/i18n/locale.js';
import { parsePrompt } from '../src/prompt/parse.js';
import { PROVIDER_NAMES } from '../src/providers/index.js';

/** `/imagine prompt:<text> [image]`: a prompt with Midjourney parameters, and an optional image prompt. */
export const imagineDefinition = new SlashCommandBuilder()
  .setName('imagine')
  .setDescription('Create images from a prompt')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((option) =>
    option
      .setName('prompt')
      .setDescription('What to imagine, with parameters like --ar 16:9 --chaos 20')
      .setRequired(true)
      .setMaxLength(6000),
  )
  .addAttachmentOption((option) =>
    option.setName('image').setDescription('An image to use as an image prompt').setRequired(false),
  );

async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const text = interaction.options.getString('prompt', true);
  const image = interaction.options.getAttachment('image');
  if (image && !isImageType(image.contentType)) {
    await replyPrivately(interaction, refusalsFor(interaction).attachmentType(image.contentType));
    return;
  }
  await imagineText(interaction, context, text, image?.url);
}

/**
 * What /imagine does with a prompt: parse it, add the server's defaults, check it against the
 * server's provider and launch its jobs. /describe's and /shorten's buttons imagine through it too.
 */
export async function imagineText(
  interaction: LaunchInteraction,
  context: BotContext,
  text: string,
  imageUrl?: string,
): Promise<void> {
  const locale = localeOf(interaction.locale);
  const say = refusals(locale);
  const guildId = interaction.guildId ?? '';
  const settings = await context.stores.guilds.get(guildId);
  const provider =
    settings.provider && context.adapters.has(settings.provider) ? settings.provider : context.config.defaultProvider;
  if (!provider) {
    await replyPrivately(interaction, say.noProvider);
    return;
  }
  const parsed = parsePrompt(imageUrl ? `${imageUrl} ${text}` : text, {
    maxPrompts: context.config.maxPromptsPerCommand,
    locale,
  });
  if (!parsed.ok) {
    await replyPrivately(interaction, describeErrors(say.promptHasProblem, parsed.errors, say));
    return;
  }
  const adapter = context.jobs.adapter(provider);
  const withDefaults = parsed.prompts.map((prompt, index) =>
    applyGuildDefaults({ ...prompt, typed: parsed.typed[index] }, settings),
  );
  const prompts = withDefaults.map(({ prompt }) => prompt);
  const checks = prompts.map((prompt) => adapter.checkPrompt(prompt));
  const refused = checks.flatMap((check) => (check.ok ? [] : check.errors));
  if (refused.length > 0) {
    await replyPrivately(interaction, describeErrors(say.providerCannotTake(PROVIDER_NAMES[provider]), refused, say));
    return;
  }
  await launchJobs(
    interaction,
    context,
    prompts.map((prompt, index) => {
      const check = checks[index]!;
      return {
        provider,
        guildId,
        channelId: interaction.channelId,
        userId: interaction.user.id,
        // The speed it really runs at, which the message's tag shows.
        speed: (check.ok ? check.speed : undefined) ?? prompt.params.speed ?? 'fast',
        prompt,
        notices: [...serverDefaults(withDefaults[index]!.added), ...(check.ok ? check.notices : [])],
      };
    }),
  );
}

/** The notice for flags the server's defaults added, which the headline (the prompt as typed) does not show. */
function serverDefaults(added: readonly string[]): string[] {
  return added.length > 0 ? [`Server defaults: ${added.join(' ')}`] : [];
}

export const imagine: SlashCommand = { definition: imagineDefinition.toJSON(), execute };
