import { CommandType, OptionType } from '../constants.js';
import type { EmulatorCore } from '../core.js';
import { EmulatorUsageError } from '../errors.js';
import { contentTypeFor, imageSize } from '../media.js';
import { attachmentJson, channelJson, memberJson, roleJson, userJson } from '../state/serialize.js';
import type { ApplicationCommand, StoredAttachment } from '../state/types.js';
import type { CommandOption } from '../validate/commands.js';

/** A file a user attaches to a command's attachment option. */
export interface AttachmentInput {
  filename: string;
  contentType?: string;
  /** The bytes, given directly (in process) or as base64 (control API). */
  bytes?: Uint8Array;
  base64?: string;
  /** Which attachment option receives it; defaults to the command's first attachment option. */
  option?: string;
}

export interface CommandInvocation {
  userId: string;
  guildId: string;
  channelId: string;
  /** The full name as a user types it: `imagine`, `config set`, `admin config set`. */
  name: string;
  options: Record<string, unknown>;
  attachment?: AttachmentInput;
  /** For autocomplete: the option being typed into. Required options are not enforced then. */
  focused?: string;
}

export interface CommandData {
  command: ApplicationCommand;
  data: Record<string, unknown>;
}

const refuse = (message: string) => new EmulatorUsageError(400, 'invalid_command_input', message);

/**
 * Builds an application command's `data` from loosely typed input, checked against the registered
 * command the way the Discord client checks what a user types (types, choices, ranges, required).
 */
export function commandData(core: EmulatorCore, invocation: CommandInvocation): CommandData {
  const [rootName, ...path] = invocation.name.trim().split(/\s+/);
  const command = core.store
    .commandsFor(invocation.guildId)
    .find((candidate) => candidate.type === CommandType.ChatInput && candidate.name === rootName);
  if (!command)
    throw new EmulatorUsageError(
      400,
      'unknown_command',
      `No chat input command "${rootName ?? ''}" is registered for guild ${invocation.guildId}`,
    );
  const resolved: Resolved = { users: {}, members: {}, roles: {}, channels: {}, attachments: {} };
  const { chain, leaf } = walkSubcommands(command, path);
  const values = leafOptions(core, invocation, leaf, resolved);
  const options = chain.reduceRight<unknown[]>(
    (inner, step) => [{ name: step.name, type: step.type, options: inner }],
    values,
  );
  const hasResolved = Object.values(resolved).some((entries) => Object.keys(entries).length > 0);
  const data = {
    id: command.id,
    name: command.name,
    type: CommandType.ChatInput,
    ...(command.guildId ? { guild_id: command.guildId } : {}),
    options,
    ...(hasResolved ? { resolved: pruneEmpty(resolved) } : {}),
  };
  return { command, data };
}

/** `data.resolved`: the objects behind ids in options, keyed by id. */
type Resolved = Record<'users' | 'members' | 'roles' | 'channels' | 'attachments', Record<string, unknown>>;

function pruneEmpty(resolved: Resolved): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resolved).filter(([, entries]) => Object.keys(entries).length > 0));
}

function walkSubcommands(
  command: ApplicationCommand,
  path: readonly string[],
): { chain: CommandOption[]; leaf: CommandOption[] } {
  const chain: CommandOption[] = [];
  let level = command.options;
  for (const name of path) {
    const step = level.find(
      (option) =>
        option.name === name && (option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup),
    );
    if (!step) throw refuse(`"${command.name}" has no subcommand or group "${name}" at that level`);
    chain.push(step);
    level = step.options ?? [];
  }
  if (level.some((option) => option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup)) {
    throw refuse(`"${[command.name, ...path].join(' ')}" needs a subcommand`);
  }
  return { chain, leaf: level };
}

function leafOptions(
  core: EmulatorCore,
  invocation: CommandInvocation,
  definitions: readonly CommandOption[],
  resolved: Resolved,
): unknown[] {
  const given = { ...invocation.options };
  if (invocation.attachment) {
    const target =
      invocation.attachment.option ?? definitions.find((option) => option.type === OptionType.Attachment)?.name;
    if (!target) throw refuse(`"${invocation.name}" has no attachment option`);
    given[target] = invocation.attachment;
  }
  for (const name of Object.keys(given)) {
    if (!definitions.some((option) => option.name === name))
      throw refuse(`"${invocation.name}" has no option "${name}"`);
  }
  return definitions.flatMap((definition) => {
    const value = given[definition.name];
    if (value === undefined || value === null) {
      if (definition.required && invocation.focused === undefined)
        throw refuse(`Option "${definition.name}" is required`);
      return [];
    }
    if (definition.name === invocation.focused) {
      // Autocomplete sends what the user has typed so far, as text, whatever the option's type.
      const typed = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
      return [{ name: definition.name, type: definition.type, value: typed, focused: true }];
    }
    return [
      {
        name: definition.name,
        type: definition.type,
        value: optionValue(core, invocation, definition, value, resolved),
      },
    ];
  });
}

function optionValue(
  core: EmulatorCore,
  invocation: CommandInvocation,
  definition: CommandOption,
  value: unknown,
  resolved: Resolved,
): unknown {
  switch (definition.type) {
    case OptionType.String: {
      if (typeof value !== 'string') throw refuse(`Option "${definition.name}" expects a string`);
      const { min_length: min, max_length: max } = definition;
      if (min != null && value.length < min) throw refuse(`Option "${definition.name}" is shorter than ${min}`);
      if (max != null && value.length > max) throw refuse(`Option "${definition.name}" is longer than ${max}`);
      return checkChoice(definition, value);
    }
    case OptionType.Integer:
    case OptionType.Number: {
      const integer = definition.type === OptionType.Integer;
      if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
        throw refuse(`Option "${definition.name}" expects ${integer ? 'an integer' : 'a number'}`);
      }
      if (definition.min_value != null && value < definition.min_value)
        throw refuse(`Option "${definition.name}" is below ${definition.min_value}`);
      if (definition.max_value != null && value > definition.max_value)
        throw refuse(`Option "${definition.name}" is above ${definition.max_value}`);
      return checkChoice(definition, value);
    }
    case OptionType.Boolean:
      if (typeof value !== 'boolean') throw refuse(`Option "${definition.name}" expects a boolean`);
      return value;
    case OptionType.User:
    case OptionType.Mentionable:
    case OptionType.Role:
    case OptionType.Channel:
      return resolveEntity(core, invocation, definition, String(value), resolved);
    case OptionType.Attachment: {
      const attachment = storeAttachment(core, invocation.channelId, value as AttachmentInput);
      resolved.attachments[attachment.id] = attachmentJson(attachment, core.baseUrl);
      return attachment.id;
    }
    default:
      throw refuse(`Option "${definition.name}" has unsupported type ${definition.type}`);
  }
}

function checkChoice(definition: CommandOption, value: string | number): string | number {
  if (definition.choices?.length && !definition.choices.some((choice) => choice.value === value)) {
    throw refuse(
      `Option "${definition.name}" must be one of ${definition.choices.map((choice) => JSON.stringify(choice.value)).join(', ')}`,
    );
  }
  return value;
}

const ENTITY_NAMES: Record<number, string> = {
  [OptionType.User]: 'user',
  [OptionType.Channel]: 'channel',
  [OptionType.Role]: 'role',
  [OptionType.Mentionable]: 'user or role',
};

/** User, role, channel and mentionable options carry ids; Discord adds the objects to `resolved`. */
function resolveEntity(
  core: EmulatorCore,
  invocation: CommandInvocation,
  definition: CommandOption,
  id: string,
  resolved: Resolved,
): string {
  const { store } = core;
  const guild = store.requireGuild(invocation.guildId);
  const wantsUser = definition.type === OptionType.User || definition.type === OptionType.Mentionable;
  const wantsRole = definition.type === OptionType.Role || definition.type === OptionType.Mentionable;
  const user = wantsUser ? store.users.get(id) : undefined;
  if (user) {
    resolved.users[id] = userJson(user);
    const member = guild.members.get(id);
    if (member) {
      const { user: _user, ...rest } = memberJson(member, store);
      resolved.members[id] = { ...rest, permissions: store.guildPermissions(guild.id, id).toString() };
    }
    return id;
  }
  const role = wantsRole ? guild.roles.get(id) : undefined;
  if (role) {
    resolved.roles[id] = roleJson(role);
    return id;
  }
  const channel = definition.type === OptionType.Channel ? store.channels.get(id) : undefined;
  if (channel && channel.guildId === guild.id) {
    if (definition.channel_types?.length && !definition.channel_types.includes(channel.type))
      throw refuse(`Channel ${id} is not an allowed channel type`);
    resolved.channels[id] = {
      ...channelJson(channel, store),
      permissions: store.channelPermissions(channel, invocation.userId).toString(),
    };
    return id;
  }
  const expected = ENTITY_NAMES[definition.type] ?? 'valid id';
  throw refuse(`Option "${definition.name}": ${id} is not a ${expected} of guild ${guild.id}`);
}

/** Stores a user's upload so the bot can download it from the emulator like from Discord's CDN. */
export function storeAttachment(core: EmulatorCore, channelId: string, input: AttachmentInput): StoredAttachment {
  if (typeof input !== 'object' || input === null || typeof input.filename !== 'string')
    throw refuse('An attachment needs a filename and bytes');
  const bytes = input.bytes ? Buffer.from(input.bytes) : Buffer.from(input.base64 ?? '', 'base64');
  if (bytes.length > core.limits.attachmentBytesPerFile)
    throw refuse(`The file is larger than the ${core.limits.attachmentBytesPerFile}-byte upload limit`);
  const size = imageSize(bytes);
  const attachment: StoredAttachment = {
    id: core.ids.next(),
    channelId,
    filename: input.filename,
    contentType: contentTypeFor(input.filename, input.contentType),
    bytes,
    description: null,
    title: null,
    ephemeral: true,
    width: size?.width ?? null,
    height: size?.height ?? null,
  };
  core.store.attachments.set(attachment.id, attachment);
  return attachment;
}
