import {
  InteractionContextType,
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { z } from 'zod';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { isReservedShortcut } from '../src/discord/prepare-prompt.js';
import { describeErrors, readDefaultVersion } from '../src/discord/prompt-input.js';
import { promptPolicyText } from '../src/discord/prompt-text.js';
import { refusals } from '../src/discord/text.js';
import { localeOf } from '../src/i18n/locale.js';
import { parsePrompt } from '../src/prompt/parse.js';
import { PREFERENCE_LIMITS, shortcutNameSchema, type MemberPreferences } from '../src/store/member-preferences.js';
import { preferTextFor } from './prefer-text.js';
import { settingsTextFor } from './text.js';

/** Defaults a member can clear, back to the server's. */
const CLEARABLE = {
  version: 'Version',
  speed: 'Speed',
  aspect: 'Aspect ratio',
  stylize: 'Stylize',
  all: 'All of them',
} as const;

/** `/prefer`: a member's own Remix mode, suffix, `--name` shortcuts and defaults, in this server. */
export const preferDefinition = new SlashCommandBuilder()
  .setName('prefer')
  .setDescription('Your own preferences in this server')
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((command) =>
    command
      .setName('remix')
      .setDescription('Edit the prompt before V, Vary, 🔄, zoom and pan (toggles without a value)')
      .addBooleanOption((option) => option.setName('on').setDescription('On or off')),
  )
  .addSubcommand((command) =>
    command
      .setName('suffix')
      .setDescription('Text added to the end of every prompt you write (none: clear it)')
      .addStringOption((option) =>
        option
          .setName('value')
          .setDescription('For example --ar 16:9 --s 250')
          .setMaxLength(PREFERENCE_LIMITS.suffixLength),
      ),
  )
  .addSubcommandGroup((group) =>
    group
      .setName('option')
      .setDescription('Shortcuts: --name in a prompt stands for the parameters you stored')
      .addSubcommand((command) =>
        command
          .setName('set')
          .setDescription('Store a shortcut')
          .addStringOption((option) =>
            option
              .setName('name')
              .setDescription('The name you type after --')
              .setRequired(true)
              .setMaxLength(PREFERENCE_LIMITS.nameLength + 2),
          )
          .addStringOption((option) =>
            option
              .setName('value')
              .setDescription('What it stands for, e.g. --ar 2:3 --s 400')
              .setRequired(true)
              .setMaxLength(PREFERENCE_LIMITS.valueLength),
          ),
      )
      .addSubcommand((command) => command.setName('list').setDescription('Show your shortcuts'))
      .addSubcommand((command) =>
        command
          .setName('delete')
          .setDescription('Delete a shortcut')
          .addStringOption((option) =>
            option
              .setName('name')
              .setDescription('The shortcut’s name')
              .setRequired(true)
              .setMaxLength(PREFERENCE_LIMITS.nameLength + 2),
          ),
      ),
  )
  .addSubcommand((command) =>
    command
      .setName('defaults')
      .setDescription('Your own defaults, under your prompt and over the server’s (none: show them)')
      .addStringOption((option) =>
        option.setName('version').setDescription('Model version, e.g. 7 or niji 6').setMaxLength(10),
      )
      .addStringOption((option) =>
        option
          .setName('speed')
          .setDescription('Speed')
          .addChoices(
            { name: '🐇 Fast', value: 'fast' },
            { name: '🐢 Relax', value: 'relax' },
            { name: '⚡ Turbo', value: 'turbo' },
          ),
      )
      .addStringOption((option) => option.setName('aspect').setDescription('Aspect ratio, e.g. 16:9').setMaxLength(11))
      .addIntegerOption((option) =>
        option.setName('stylize').setDescription('Stylize, 0–1000').setMinValue(0).setMaxValue(1000),
      )
      .addStringOption((option) =>
        option
          .setName('clear')
          .setDescription('Go back to the server’s default')
          .addChoices(...Object.entries(CLEARABLE).map(([value, name]) => ({ name, value }))),
      ),
  );

type Answer =
  | { ok: true; change?: (current: MemberPreferences) => MemberPreferences; say: string }
  | {
      ok: false;
      say: string;
    };

/** `--Portrait` and `portrait` name the same shortcut. */
const bareName = (raw: string) => raw.trim().replace(/^--/, '').toLowerCase();

function optionSet(interaction: ChatInputCommandInteraction, current: MemberPreferences): Answer {
  const say = preferTextFor(interaction);
  const locale = localeOf(interaction.locale);
  const name = bareName(interaction.options.getString('name', true));
  const value = interaction.options.getString('value', true).trim().replace(/\s+/g, ' ');
  if (!shortcutNameSchema.safeParse(name).success)
    return { ok: false, say: say.shortcutName(PREFERENCE_LIMITS.nameLength) };
  if (isReservedShortcut(name)) return { ok: false, say: say.reservedName(name) };
  if (!Object.hasOwn(current.options, name) && Object.keys(current.options).length >= PREFERENCE_LIMITS.options)
    return { ok: false, say: say.tooManyShortcuts(PREFERENCE_LIMITS.options) };
  // Checked now with the prompt's own rules, so a typo is found here and not in every prompt later.
  const probe = parsePrompt(`x ${value}`, { locale, maxPrompts: 1 });
  if (!probe.ok) {
    const policy = promptPolicyText(locale);
    const errors = probe.errors.map((error) => ({ ...error, message: policy.inShortcut(name, error.message) }));
    return { ok: false, say: describeErrors(refusals(locale).promptHasProblem, errors, refusals(locale)) };
  }
  return {
    ok: true,
    change: (preferences) => ({ ...preferences, options: { ...preferences.options, [name]: value } }),
    say: say.shortcutSaved(name, value),
  };
}

/** A suffix is checked with the prompt's own rules when it is set, not in every prompt later. */
function checkSuffix(interaction: ChatInputCommandInteraction, suffix: string): Answer {
  const locale = localeOf(interaction.locale);
  const probe = parsePrompt(`x ${suffix}`, { locale, maxPrompts: 1 });
  if (probe.ok) return { ok: true, say: '' };
  return { ok: false, say: describeErrors(refusals(locale).promptHasProblem, probe.errors, refusals(locale)) };
}

function defaults(interaction: ChatInputCommandInteraction, serverRemix: boolean, current: MemberPreferences): Answer {
  const say = preferTextFor(interaction);
  const options = interaction.options;
  const changes: Partial<MemberPreferences> = {};
  const version = options.getString('version');
  if (version?.trim()) {
    const read = readDefaultVersion(version, localeOf(interaction.locale), settingsTextFor(interaction).unknownVersion);
    if (!read.ok) return { ok: false, say: read.message };
    changes.version = read.version;
  }
  const speed = z.enum(['fast', 'relax', 'turbo']).safeParse(options.getString('speed'));
  if (speed.success) changes.speed = speed.data;
  const aspect = options.getString('aspect');
  if (aspect?.trim()) {
    if (!/^\d+:\d+$/.test(aspect.trim())) return { ok: false, say: say.aspectShape };
    changes.aspect = aspect.trim();
  }
  const stylize = options.getInteger('stylize');
  if (stylize !== null) changes.stylize = stylize;
  const clear = options.getString('clear');
  if (clear && Object.hasOwn(CLEARABLE, clear)) {
    const keys =
      clear === 'all' ? (['version', 'speed', 'aspect', 'stylize'] as const) : [clear as keyof typeof changes];
    for (const key of keys) if (!(key in changes)) Object.assign(changes, { [key]: undefined });
  }
  if (Object.keys(changes).length === 0) return { ok: true, say: say.show(current, serverRemix) };
  return {
    ok: true,
    change: (preferences) => ({ ...preferences, ...changes }),
    say: `${say.saved}\n${say.show({ ...current, ...changes }, serverRemix)}`,
  };
}

async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  const say = preferTextFor(interaction);
  const guildId = interaction.guildId ?? '';
  const userId = interaction.user.id;
  const current = await context.stores.members.get(guildId, userId);
  const server = await context.stores.guilds.get(guildId);
  const group = interaction.options.getSubcommandGroup(false);
  const command = interaction.options.getSubcommand(true);
  let answer: Answer;
  if (group === 'option' && command === 'set') answer = optionSet(interaction, current);
  else if (group === 'option' && command === 'list') {
    const entries = Object.entries(current.options).sort(([a], [b]) => a.localeCompare(b));
    answer = { ok: true, say: entries.length > 0 ? say.shortcutList(entries) : say.noShortcuts };
  } else if (group === 'option') {
    const name = bareName(interaction.options.getString('name', true));
    answer = Object.hasOwn(current.options, name)
      ? {
          ok: true,
          change: (preferences) => ({
            ...preferences,
            options: Object.fromEntries(Object.entries(preferences.options).filter(([key]) => key !== name)),
          }),
          say: say.shortcutDeleted(name),
        }
      : { ok: false, say: say.noSuchShortcut(name) };
  } else if (command === 'remix') {
    const on = interaction.options.getBoolean('on') ?? !(current.remix ?? server.remix);
    answer = { ok: true, change: (preferences) => ({ ...preferences, remix: on }), say: say.remix(on) };
  } else if (command === 'suffix') {
    const suffix = interaction.options.getString('value')?.trim().replace(/\s+/g, ' ');
    answer = suffix ? checkSuffix(interaction, suffix) : { ok: true, say: '' };
    if (answer.ok)
      answer = {
        ok: true,
        change: (preferences) => ({ ...preferences, suffix: suffix || undefined }),
        say: suffix ? say.suffixSet(suffix) : say.suffixCleared,
      };
  } else answer = defaults(interaction, server.remix, current);
  if (answer.ok && answer.change) await context.stores.members.update(guildId, userId, answer.change);
  await interaction.reply({
    content: answer.say.slice(0, 2000),
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

export const prefer: SlashCommand = { definition: preferDefinition.toJSON(), execute };
