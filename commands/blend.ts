import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { launchJobs, replyPrivately } from '../src/discord/launch.js';
import { applyDefaults, describeErrors, isImageType } from '../src/discord/prompt-input.js';
import { chooseProvider, insteadNotice } from '../src/discord/provider-choice.js';
import { promptPolicyText } from '../src/discord/prompt-text.js';
import { refusals } from '../src/discord/text.js';
import { localeOf } from '../src/i18n/locale.js';
import { parsePrompt } from '../src/prompt/parse.js';
import { cannotBlend } from '../src/providers/abilities.js';
import { toolsTextFor } from './tools-text.js';

/** Midjourney's /blend dimensions: portrait 2:3, square 1:1, landscape 3:2. */
export const BLEND_DIMENSIONS = [
  { name: 'Portrait (2:3)', value: '2:3' },
  { name: 'Square (1:1)', value: '1:1' },
  { name: 'Landscape (3:2)', value: '3:2' },
] as const;
const IMAGE_OPTIONS = ['image1', 'image2', 'image3', 'image4', 'image5'] as const;

const definition = new SlashCommandBuilder()
  .setName('blend')
  .setDescription('Blend 2 to 5 images into new ones')
  .setContexts(InteractionContextType.Guild);
for (const [position, name] of IMAGE_OPTIONS.entries()) {
  definition.addAttachmentOption((option) =>
    option
      .setName(name)
      .setDescription(position < 2 ? `Image ${position + 1} to blend` : `Image ${position + 1} to blend (optional)`)
      .setRequired(position < 2),
  );
}
definition.addStringOption((option) =>
  option
    .setName('dimensions')
    .setDescription('The shape of the result (the server’s default aspect, else square)')
    .addChoices(...BLEND_DIMENSIONS),
);

async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const locale = localeOf(interaction.locale);
  const say = refusals(locale);
  const tools = toolsTextFor(interaction);
  const images = IMAGE_OPTIONS.flatMap((name) => {
    const attachment = interaction.options.getAttachment(name);
    return attachment ? [{ name, attachment }] : [];
  });
  const wrong = images.find(({ attachment }) => !isImageType(attachment.contentType));
  if (wrong) {
    await replyPrivately(interaction, tools.notAnImage(wrong.name, wrong.attachment.contentType));
    return;
  }
  const dimensions = interaction.options.getString('dimensions');
  const typed = [...images.map(({ attachment }) => attachment.url), ...(dimensions ? ['--ar', dimensions] : [])].join(
    ' ',
  );
  const parsed = parsePrompt(typed, { maxPrompts: 1, locale });
  if (!parsed.ok) {
    await replyPrivately(interaction, describeErrors(say.promptHasProblem, parsed.errors, say));
    return;
  }
  const guildId = interaction.guildId ?? '';
  const settings = await context.stores.guilds.get(guildId);
  const member = await context.stores.members.get(guildId, interaction.user.id);
  const { prompt, added } = applyDefaults({ ...parsed.prompts[0]!, typed: parsed.typed[0] }, member, settings);
  if (context.adapters.size === 0) {
    await replyPrivately(interaction, say.noProvider);
    return;
  }
  const choice = chooseProvider(context, settings, (adapter) => cannotBlend(adapter, prompt));
  if (!choice.ok) {
    const reasons = choice.refusals.map((refusal) => ({ message: refusal.reason }));
    await replyPrivately(interaction, describeErrors(tools.noProviderCan('blend'), reasons, say));
    return;
  }
  const check = choice.adapter.checkPrompt(prompt);
  await launchJobs(interaction, context, [
    {
      provider: choice.provider,
      guildId,
      channelId: interaction.channelId,
      userId: interaction.user.id,
      speed: (check.ok ? check.speed : undefined) ?? prompt.params.speed ?? 'fast',
      prompt,
      notices: [
        ...insteadNotice(choice),
        ...(added.member.length > 0 ? [promptPolicyText(locale).yourDefaults(added.member.join(' '))] : []),
        ...(added.server.length > 0 ? [`Server defaults: ${added.server.join(' ')}`] : []),
        ...(check.ok ? check.notices : []),
      ],
    },
  ]);
}

export const blend: SlashCommand = { definition: definition.toJSON(), execute };
