import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { z } from 'zod';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { MAX_GUILD_TERMS } from '../src/moderation/filter.js';
import { isModerator } from '../src/moderation/gate.js';
import { moderatorTextFor, type ModeratorText } from '../src/moderation/text.js';

/** `/mod`: the block list, the server's banned terms and the audit log (moderators only). */
export const modDefinition = new SlashCommandBuilder()
  .setName('mod')
  .setDescription('Moderation: block list, banned terms, audit log')
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages)
  .addSubcommand((sub) =>
    sub
      .setName('block')
      .setDescription('Stop a member from making images')
      .addUserOption((option) => option.setName('user').setDescription('Who').setRequired(true)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('unblock')
      .setDescription('Let a blocked member make images again')
      .addUserOption((option) => option.setName('user').setDescription('Who').setRequired(true)),
  )
  .addSubcommand((sub) => sub.setName('list').setDescription('Show blocked members'))
  .addSubcommand((sub) => sub.setName('log').setDescription('Show recent moderation decisions'))
  .addSubcommandGroup((group) =>
    group
      .setName('banword')
      .setDescription('This server’s own banned terms')
      .addSubcommand((sub) =>
        sub
          .setName('add')
          .setDescription('Ban a term')
          .addStringOption((option) =>
            option.setName('term').setDescription('A word or phrase').setRequired(true).setMaxLength(60),
          ),
      )
      .addSubcommand((sub) =>
        sub
          .setName('remove')
          .setDescription('Allow a term again')
          .addStringOption((option) =>
            option.setName('term').setDescription('A word or phrase').setRequired(true).setMaxLength(60),
          ),
      )
      .addSubcommand((sub) => sub.setName('list').setDescription('Show this server’s banned terms')),
  );

const termSchema = (say: ModeratorText) =>
  z.string().trim().toLowerCase().min(2, say.termTooShort).max(60, say.termTooLong);

async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const guildId = interaction.guildId ?? '';
  const settings = await context.stores.guilds.get(guildId);
  // Discord hides /mod from members without Manage Messages, but a server can change that: check anyway.
  const say = moderatorTextFor(interaction);
  if (!isModerator(interaction, settings)) {
    await interaction.reply({
      content: say.onlyModeratorsCommand,
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const reply = (content: string) =>
    interaction.reply({
      content: content.slice(0, 2000),
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  const { moderation } = context.stores;
  const at = context.now();
  const moderatorId = interaction.user.id;
  const group = interaction.options.getSubcommandGroup(false);
  const sub = interaction.options.getSubcommand(true);
  if (group === 'banword') {
    if (sub === 'list') {
      const terms = await moderation.terms(guildId);
      await reply(say.termsList(terms));
      return;
    }
    const term = termSchema(say).safeParse(interaction.options.getString('term', true));
    if (!term.success) {
      await reply(term.error.issues[0]!.message);
      return;
    }
    if (sub === 'add') {
      const terms = await moderation.terms(guildId);
      if (terms.length >= MAX_GUILD_TERMS && !terms.includes(term.data)) {
        await reply(say.tooManyTerms(terms.length));
        return;
      }
    }
    await moderation.setTerm(guildId, term.data, sub === 'add');
    await moderation.log(guildId, {
      at,
      moderatorId,
      action: sub === 'add' ? 'banword_add' : 'banword_remove',
      detail: term.data,
    });
    await reply(sub === 'add' ? say.termBanned(term.data) : say.termAllowed(term.data));
    return;
  }
  switch (sub) {
    case 'block':
    case 'unblock': {
      const user = interaction.options.getUser('user', true);
      await moderation.setBlocked(guildId, user.id, sub === 'block');
      await moderation.log(guildId, { at, moderatorId, action: sub, targetUserId: user.id });
      await reply(sub === 'block' ? say.blocked(user.id) : say.unblocked(user.id));
      return;
    }
    case 'list': {
      const blocked = await moderation.blockedUsers(guildId);
      await reply(say.blockList(blocked));
      return;
    }
    case 'log': {
      const entries = (await moderation.auditLog(guildId)).slice(-15).reverse();
      await reply(entries.length > 0 ? entries.map((entry) => say.entry(entry)).join('\n') : say.noDecisions);
      return;
    }
    default:
      await reply(say.unknownSubcommand(sub));
  }
}

export const mod: SlashCommand = { definition: modDefinition.toJSON(), execute };
