import {
  ChannelType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from '../src/config.js';
import type { BotContext, SlashCommand } from '../src/discord/context.js';
import { readDefaultVersion } from '../src/discord/prompt-input.js';
import { localeOf } from '../src/i18n/locale.js';
import { PROVIDER_NAMES } from '../src/providers/index.js';
import { FORBIDDABLE, type Forbiddable, type GuildSettings } from '../src/store/stores.js';
import { settingsTextFor } from './text.js';

/** Settings that can be cleared, back to their default (an option can only set a value, never unset one). */
const CLEARABLE = {
  mod_channel: { name: 'Moderation channel (no mirror)', key: 'modChannelId' },
  mod_role: { name: 'Moderator role (Manage Messages only)', key: 'modRoleId' },
  provider: { name: 'Provider (the bot’s default)', key: 'provider' },
  version: { name: 'Default version (the provider’s)', key: 'version' },
  speed: { name: 'Default speed (fast)', key: 'speed' },
  aspect: { name: 'Default aspect ratio (1:1)', key: 'aspect' },
  forbid: { name: 'Forbidden speeds and parameters (none)', key: 'forbidden' },
} as const satisfies Record<string, { name: string; key: keyof GuildSettings }>;

/** `/settings`: the server's provider and defaults (Manage Server only). Without options it shows them. */
export const settingsDefinition = new SlashCommandBuilder()
  .setName('settings')
  .setDescription('Show or change this server’s image settings')
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addStringOption((option) =>
    option
      .setName('provider')
      .setDescription('The image service')
      .addChoices(...PROVIDER_IDS.map((id) => ({ name: PROVIDER_NAMES[id], value: id }))),
  )
  .addStringOption((option) =>
    option.setName('version').setDescription('Default model version, e.g. 7 or niji 6').setMaxLength(10),
  )
  .addStringOption((option) =>
    option
      .setName('speed')
      .setDescription('Default speed')
      .addChoices(
        { name: '🐇 Fast', value: 'fast' },
        { name: '🐢 Relax', value: 'relax' },
        { name: '⚡ Turbo', value: 'turbo' },
      ),
  )
  .addStringOption((option) =>
    option.setName('aspect').setDescription('Default aspect ratio, e.g. 16:9').setMaxLength(11),
  )
  .addStringOption((option) =>
    option
      .setName('buttons')
      .setDescription('Who may click a job’s buttons')
      .addChoices({ name: 'Anyone', value: 'anyone' }, { name: 'Only the job’s owner', value: 'owner' }),
  )
  .addIntegerOption((option) =>
    option.setName('concurrency').setDescription('Jobs one member may run at once').setMinValue(1).setMaxValue(12),
  )
  .addIntegerOption((option) =>
    option.setName('queue').setDescription('Jobs that may wait in this server’s queue').setMinValue(0).setMaxValue(100),
  )
  .addBooleanOption((option) =>
    option.setName('translate').setDescription('Ask the provider to translate prompts not in English (on by default)'),
  )
  .addChannelOption((option) =>
    option
      .setName('mod_channel')
      .setDescription('Where results are mirrored for moderators')
      .addChannelTypes(ChannelType.GuildText),
  )
  .addRoleOption((option) =>
    option.setName('mod_role').setDescription('A role that may use moderator buttons and /mod'),
  )
  .addBooleanOption((option) => option.setName('approval').setDescription('Hold results for a moderator’s approval'))
  .addIntegerOption((option) =>
    option
      .setName('daily_limit')
      .setDescription('Jobs per member per day (0: unlimited; moderators exempt)')
      .setMinValue(0)
      .setMaxValue(10_000),
  )
  .addBooleanOption((option) =>
    option.setName('remix').setDescription('Remix mode for members who have not chosen with /prefer remix'),
  )
  .addBooleanOption((option) =>
    option.setName('hd_video').setDescription('Animate makes HD videos where the provider can (they cost more)'),
  )
  .addStringOption((option) =>
    option
      .setName('forbid')
      .setDescription('Speeds and costly parameters to refuse, e.g. "turbo quality" (clear: forbid nothing)')
      .setMaxLength(100),
  )
  .addStringOption((option) =>
    option
      .setName('clear')
      .setDescription('Go back to the default for one setting')
      .addChoices(...Object.entries(CLEARABLE).map(([value, { name }]) => ({ name, value }))),
  );

/** Reads the options given; version and aspect are checked with the prompt parser's own rules. */
function readChanges(
  interaction: ChatInputCommandInteraction,
  context: BotContext,
): { ok: true; changes: Partial<GuildSettings> } | { ok: false; message: string } {
  const say = settingsTextFor(interaction);
  const options = interaction.options;
  const changes: Partial<GuildSettings> = {};
  const provider = options.getString('provider') as (typeof PROVIDER_IDS)[number] | null;
  if (provider) {
    if (!context.adapters.has(provider)) {
      const configured = [...context.adapters.keys()].map((id) => PROVIDER_NAMES[id]);
      return { ok: false, message: say.providerNotConfigured(PROVIDER_NAMES[provider], configured) };
    }
    changes.provider = provider;
  }
  const version = options.getString('version');
  if (version?.trim()) {
    const read = readDefaultVersion(version, localeOf(interaction.locale), say.unknownVersion);
    if (!read.ok) return read;
    changes.version = read.version;
  }
  const aspect = options.getString('aspect');
  if (aspect) {
    const parsed = z
      .string()
      .regex(/^\d+:\d+$/, say.aspectShape)
      .safeParse(aspect.trim());
    if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message };
    changes.aspect = parsed.data;
  }
  const speed = options.getString('speed');
  if (speed) changes.speed = speed as GuildSettings['speed'];
  const buttons = options.getString('buttons');
  if (buttons) changes.buttons = buttons as GuildSettings['buttons'];
  const numbers = {
    concurrency: options.getInteger('concurrency'),
    queueLimit: options.getInteger('queue'),
    dailyLimit: options.getInteger('daily_limit'),
  };
  for (const [name, value] of Object.entries(numbers)) if (value !== null) Object.assign(changes, { [name]: value });
  const translate = options.getBoolean('translate');
  if (translate !== null) changes.translate = translate;
  const approval = options.getBoolean('approval');
  if (approval !== null) changes.approvalMode = approval;
  const remix = options.getBoolean('remix');
  if (remix !== null) changes.remix = remix;
  const hdVideo = options.getBoolean('hd_video');
  if (hdVideo !== null) changes.hdVideo = hdVideo;
  const forbid = options.getString('forbid');
  if (forbid?.trim()) {
    const read = readForbidden(forbid, say);
    if (!read.ok) return read;
    changes.forbidden = read.forbidden;
  }
  const channel = options.getChannel('mod_channel');
  if (channel) changes.modChannelId = channel.id;
  const role = options.getRole('mod_role');
  if (role) changes.modRoleId = role.id;
  const clear = options.getString('clear');
  if (clear) {
    const setting = Object.hasOwn(CLEARABLE, clear) ? CLEARABLE[clear as keyof typeof CLEARABLE] : undefined;
    if (!setting) return { ok: false, message: say.noSuchSetting(clear) };
    if (setting.key in changes) return { ok: false, message: say.setAndCleared(setting.name.replace(/ \(.*\)$/, '')) };
    Object.assign(changes, { [setting.key]: undefined });
  }
  return { ok: true, changes };
}

/** "turbo, --q" → ['turbo', 'quality']: words or flags from the closed list, each once. */
function readForbidden(
  raw: string,
  say: ReturnType<typeof settingsTextFor>,
): { ok: true; forbidden: Forbiddable[] } | { ok: false; message: string } {
  const forbidden: Forbiddable[] = [];
  for (const word of raw
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)) {
    const bare = word.replace(/^--?/, '');
    const name = bare === 'q' ? 'quality' : bare;
    const parsed = z.enum(FORBIDDABLE).safeParse(name);
    if (!parsed.success) return { ok: false, message: say.cannotForbid(word, FORBIDDABLE) };
    if (!forbidden.includes(parsed.data)) forbidden.push(parsed.data);
  }
  return { ok: true, forbidden };
}

export function describeSettings(settings: GuildSettings, context: BotContext): string {
  const provider = settings.provider ?? context.config.defaultProvider;
  return [
    `**Provider:** ${provider ? PROVIDER_NAMES[provider] : 'none configured'}`,
    `**Defaults:** version ${settings.version ?? 'provider default'}, speed ${settings.speed ?? 'fast'}, aspect ${settings.aspect ?? '1:1'}`,
    `**Buttons:** ${settings.buttons === 'owner' ? 'only the job’s owner' : 'anyone'} · **Concurrency:** ${settings.concurrency} per member · **Queue:** ${settings.queueLimit}`,
    `**Translate:** ${describeTranslate(settings.translate, provider, context)} · **Daily limit:** ${settings.dailyLimit || 'unlimited'}`,
    `**Remix:** ${settings.remix ? 'on' : 'off'} for members who have not chosen · **Forbidden:** ${settings.forbidden.length > 0 ? settings.forbidden.map((entry) => `--${entry}`).join(', ') : 'nothing'}`,
    `**HD video:** ${describeHdVideo(settings.hdVideo, provider, context)}`,
    `**Moderation channel:** ${settings.modChannelId ? `<#${settings.modChannelId}>` : 'none'} · **Moderator role:** ${settings.modRoleId ? `<@&${settings.modRoleId}>` : 'Manage Messages'} · **Approval mode:** ${settings.approvalMode ? 'on' : 'off'}`,
  ].join('\n');
}

/** The translate setting, and what the server's provider really does with prompts not in English. */
function describeTranslate(translate: boolean, provider: ProviderId | undefined, context: BotContext): string {
  const setting = translate ? 'on' : 'off';
  const adapter = provider ? context.adapters.get(provider) : undefined;
  if (!provider || !adapter) return setting;
  switch (adapter.capabilities.translation) {
    case 'on-request':
      return setting;
    case 'always':
      return `${setting}: ${PROVIDER_NAMES[provider]} reads prompts in any language itself, whatever this says`;
    case 'none':
      return `${setting}: ${PROVIDER_NAMES[provider]} can't translate, so write prompts in English`;
  }
}

/** The HD video setting, and whether the server's provider makes anything different for it. */
function describeHdVideo(hdVideo: boolean, provider: ProviderId | undefined, context: BotContext): string {
  const setting = hdVideo ? 'on' : 'off';
  const adapter = provider ? context.adapters.get(provider) : undefined;
  if (!provider || !adapter || adapter.capabilities.actions.videoHd) return setting;
  return adapter.capabilities.actions.video
    ? `${setting}: Animate on ${PROVIDER_NAMES[provider]} is the same either way`
    : `${setting}: ${PROVIDER_NAMES[provider]} makes no videos`;
}

async function execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void> {
  // Discord hides the command from others by default, but a server can override that: check anyway.
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    await interaction.reply({
      content: settingsTextFor(interaction).manageServerOnly,
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const read = readChanges(interaction, context);
  if (!read.ok) {
    await interaction.reply({ content: read.message, flags: MessageFlags.Ephemeral });
    return;
  }
  const guildId = interaction.guildId ?? '';
  const changed = Object.keys(read.changes).length > 0;
  const settings = changed
    ? await context.stores.guilds.update(guildId, read.changes)
    : await context.stores.guilds.get(guildId);
  await interaction.reply({
    content: `${changed ? 'Settings saved.\n' : ''}${describeSettings(settings, context)}`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

export const settings: SlashCommand = { definition: settingsDefinition.toJSON(), execute };
