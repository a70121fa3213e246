import { ButtonStyle, CommandType, ComponentType } from '../constants.js';
import type { EmulatorCore } from '../core.js';
import { serializeContext } from '../core.js';
import { EmulatorUsageError } from '../errors.js';
import { hasPermission, Permission } from '../permissions.js';
import { messageJson } from '../state/serialize.js';
import type { ApplicationCommand, InteractionRecord } from '../state/types.js';
import { type Component, walkComponents } from '../validate/components.js';
import { registerInteraction } from './lifecycle.js';
import { modalSubmitComponents } from './modal-submit.js';
import { type AttachmentInput, commandData } from './options.js';
import { interactionPayload, newInteractionRecord } from './payload.js';

/**
 * What an emulated user can do, with the checks the Discord client makes before it sends anything.
 * Each function records the interaction, starts its 3-second clock and dispatches it to the bot.
 */
export interface SlashCommandInput {
  userId: string;
  channelId: string;
  /** Full name as typed: `imagine`, `config set`. */
  name: string;
  options?: Record<string, unknown>;
  attachment?: AttachmentInput;
}

export interface AutocompleteInput extends SlashCommandInput {
  /** The option the user is typing into; its value is sent as the partial text. */
  focused: string;
}

/** A user picks Apps → `name` on a message (a message context-menu command, type 3). */
export interface MessageCommandInput {
  userId: string;
  messageId: string;
  /** The command's name as registered ("Send to me"). */
  name: string;
}

export interface ComponentInput {
  userId: string;
  messageId: string;
  customId: string;
  /** For select menus: the chosen values. */
  values?: string[];
}

export interface ModalSubmitInput {
  userId: string;
  /** The interaction that showed the modal; or give `customId` to take the user's latest such modal. */
  interactionId?: string;
  customId?: string;
  /** Text input values by custom_id; arrays for selects inside labels. */
  values: Record<string, string | string[]>;
}

function requireUserInChannel(core: EmulatorCore, channelId: string, userId: string, needed: bigint): void {
  const channel = core.store.requireChannel(channelId);
  const bits = core.store.channelPermissions(channel, userId);
  if (!hasPermission(bits, Permission.ViewChannel | needed)) {
    throw new EmulatorUsageError(403, 'missing_permissions', `User ${userId} cannot use that in channel ${channelId}`);
  }
}

/** A command's `default_member_permissions`, as the client applies it before showing the command. */
function requireCommandPermissions(core: EmulatorCore, command: ApplicationCommand, guildId: string, userId: string) {
  if (command.defaultMemberPermissions === null) return;
  const required = BigInt(command.defaultMemberPermissions);
  const granted = core.store.guildPermissions(guildId, userId);
  // "0" hides a command from everyone but administrators (application-commands.mdx, permissions).
  const allowed = required === 0n ? hasPermission(granted, Permission.Administrator) : hasPermission(granted, required);
  if (!allowed)
    throw new EmulatorUsageError(
      403,
      'missing_permissions',
      `User ${userId} lacks the permissions "${command.name}" requires`,
    );
}

/**
 * Apps → a command on a message: INTERACTION_CREATE type 2 whose `data` is `{ id, name, type: 3,
 * target_id, resolved: { messages } }` (interactions/receiving-and-responding.mdx, Application
 * Command Data Structure). Unlike a button's, the payload has no top-level `message`.
 */
export function dispatchMessageCommand(core: EmulatorCore, input: MessageCommandInput): InteractionRecord {
  const message = core.store.messages.get(input.messageId);
  if (!message || message.guildId === '' || (message.visibleTo !== null && message.visibleTo !== input.userId)) {
    throw new EmulatorUsageError(404, 'unknown_message', `User ${input.userId} cannot see message ${input.messageId}`);
  }
  requireUserInChannel(core, message.channelId, input.userId, Permission.UseApplicationCommands);
  const command = core.store
    .commandsFor(message.guildId)
    .find((candidate) => candidate.type === CommandType.Message && candidate.name === input.name);
  if (!command)
    throw new EmulatorUsageError(
      400,
      'unknown_command',
      `No message command "${input.name}" is registered for guild ${message.guildId}`,
    );
  requireCommandPermissions(core, command, message.guildId, input.userId);
  const data = {
    id: command.id,
    name: command.name,
    type: CommandType.Message,
    ...(command.guildId ? { guild_id: command.guildId } : {}),
    target_id: message.id,
    resolved: { messages: { [message.id]: messageJson(message, serializeContext(core)) } },
  };
  const record = newInteractionRecord(core, {
    kind: 'command',
    name: command.name,
    commandId: command.id,
    userId: input.userId,
    channelId: message.channelId,
    data,
  });
  registerInteraction(core, record, interactionPayload(core, record));
  return record;
}

export function dispatchSlashCommand(
  core: EmulatorCore,
  input: SlashCommandInput,
  focused?: string,
): InteractionRecord {
  requireUserInChannel(core, input.channelId, input.userId, Permission.UseApplicationCommands);
  const guildId = core.store.requireChannel(input.channelId).guildId;
  const { command, data } = commandData(core, {
    ...input,
    guildId,
    options: input.options ?? {},
    ...(focused !== undefined ? { focused } : {}),
  });
  requireCommandPermissions(core, command, guildId, input.userId);
  const fullName = [command.name, ...input.name.trim().split(/\s+/).slice(1)].join(' ');
  const kind = focused === undefined ? 'command' : 'autocomplete';
  const record = newInteractionRecord(core, {
    kind,
    name: fullName,
    commandId: command.id,
    userId: input.userId,
    channelId: input.channelId,
    data,
  });
  registerInteraction(core, record, interactionPayload(core, record));
  return record;
}

export function dispatchAutocomplete(core: EmulatorCore, input: AutocompleteInput): InteractionRecord {
  return dispatchSlashCommand(core, input, input.focused);
}

export function dispatchComponent(core: EmulatorCore, input: ComponentInput): InteractionRecord {
  const message = core.store.messages.get(input.messageId);
  if (!message || (message.visibleTo !== null && message.visibleTo !== input.userId)) {
    throw new EmulatorUsageError(404, 'unknown_message', `User ${input.userId} cannot see message ${input.messageId}`);
  }
  requireUserInChannel(core, message.channelId, input.userId, 0n);
  let found: Component | undefined;
  walkComponents(message.components, (component) => {
    if (!found && component.custom_id === input.customId) found = component;
  });
  if (!found)
    throw new EmulatorUsageError(
      400,
      'unknown_component',
      `Message ${message.id} has no component with custom_id "${input.customId}"`,
    );
  if (found.disabled === true)
    throw new EmulatorUsageError(400, 'component_disabled', `Component "${input.customId}" is disabled`);
  const data = componentData(found, input);
  const record = newInteractionRecord(core, {
    kind: 'component',
    name: input.customId,
    userId: input.userId,
    channelId: message.channelId,
    data,
    message,
  });
  registerInteraction(core, record, interactionPayload(core, record, message));
  return record;
}

function componentData(component: Component, input: ComponentInput): Record<string, unknown> {
  if (component.type === ComponentType.Button) {
    if (component.style === ButtonStyle.Link || component.style === ButtonStyle.Premium) {
      throw new EmulatorUsageError(400, 'not_interactive', 'Link and premium buttons do not send interactions');
    }
    return { custom_id: input.customId, component_type: ComponentType.Button };
  }
  const isSelect =
    component.type === ComponentType.StringSelect ||
    (component.type >= ComponentType.UserSelect && component.type <= ComponentType.ChannelSelect);
  if (!isSelect)
    throw new EmulatorUsageError(400, 'not_interactive', `Component type ${component.type} cannot be used`);
  const values = input.values ?? [];
  const min = typeof component.min_values === 'number' ? component.min_values : 1;
  const max = typeof component.max_values === 'number' ? component.max_values : 1;
  if (values.length < min || values.length > max)
    throw new EmulatorUsageError(400, 'invalid_values', `Select "${input.customId}" takes ${min} to ${max} values`);
  if (component.type === ComponentType.StringSelect) {
    const allowed = new Set((component.options as { value: string }[]).map((option) => option.value));
    const unknown = values.find((value) => !allowed.has(value));
    if (unknown !== undefined)
      throw new EmulatorUsageError(400, 'invalid_values', `Select "${input.customId}" has no option "${unknown}"`);
  }
  return { custom_id: input.customId, component_type: component.type, values };
}

export function dispatchModalSubmit(core: EmulatorCore, input: ModalSubmitInput): InteractionRecord {
  const source = findModalSource(core, input);
  const modal = source.modal;
  if (!modal) throw new EmulatorUsageError(404, 'unknown_modal', `Interaction ${source.id} did not show a modal`);
  if (source.modalSubmittedBy)
    throw new EmulatorUsageError(409, 'modal_already_submitted', `Modal "${modal.custom_id}" was already submitted`);
  const components = modalSubmitComponents(modal, input.values);
  const message = source.messageId ? core.store.messages.get(source.messageId) : undefined;
  const record = newInteractionRecord(core, {
    kind: 'modal_submit',
    name: modal.custom_id,
    userId: input.userId,
    channelId: source.channelId,
    data: { custom_id: modal.custom_id, components },
    ...(message ? { message } : {}),
  });
  source.modalSubmittedBy = record.id;
  core.events.emit('interaction.update', { interaction: source });
  registerInteraction(core, record, interactionPayload(core, record, message));
  return record;
}

function findModalSource(core: EmulatorCore, input: ModalSubmitInput): InteractionRecord {
  const all = [...core.store.interactions.values()];
  const source = input.interactionId
    ? core.store.interactions.get(input.interactionId)
    : all
        .reverse()
        .find(
          (record) =>
            record.userId === input.userId && record.modal?.custom_id === input.customId && !record.modalSubmittedBy,
        );
  if (!source?.modal) {
    throw new EmulatorUsageError(
      404,
      'unknown_modal',
      `No open modal ${input.interactionId ?? input.customId ?? ''} for user ${input.userId}`,
    );
  }
  if (source.userId !== input.userId)
    throw new EmulatorUsageError(403, 'not_your_modal', `The modal was shown to user ${source.userId}`);
  return source;
}
