import { randomBytes } from 'node:crypto';
import {
  DiscordAPIError,
  DiscordjsError,
  DiscordjsErrorCodes,
  MessageFlags,
  type ButtonInteraction,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import { isStoreUnavailable } from '../store/errors.js';
import { cancelJob } from './cancel.js';
import type { BotContext, MessageCommand, SlashCommand } from './context.js';
import { parseCustomId, type ModOperation, type PromptListAction } from './custom-id.js';
import { openCustomZoom, submitCustomZoom } from './custom-zoom.js';
import { requestFollowUp } from './follow-up.js';
import { REMIX_FIELD } from './remix.js';
import { choosePreset, openRegion, submitPreset } from './region-button.js';
import { refusalsFor } from './text.js';

/** Errors Discord returns when an interaction is already gone or answered: nothing useful to do. */
const HARMLESS_CODES = new Set([10062, 40060]);

/**
 * Past this, an interaction that nothing has answered yet is acknowledged privately ("thinking…"),
 * whatever its handler waits on: Discord fails an interaction left unanswered for 3 s. Handlers
 * that know they may be slow answer earlier on their own (see answerInTime); this is the net.
 */
export const SAFETY_NET_MS = 2_500;

export interface ComponentHandlers {
  /** Moderator buttons (`mod` custom IDs). */
  moderation?: (interaction: ButtonInteraction, operation: ModOperation, jobId: string) => Promise<void>;
  /** /describe's and /shorten's buttons (imagine prompt N, 🔄 describe again). */
  promptList?: (interaction: ButtonInteraction, action: PromptListAction) => Promise<void>;
}

/**
 * Routes interactions to handlers and is the one place their errors are caught: the user gets a
 * short sentence with a reference id (reply or follow-up, depending on what was already sent),
 * the log gets the rest. Nothing reaches the user's screen as a stack trace.
 */
export function createRouter(
  commands: readonly SlashCommand[],
  context: BotContext,
  handlers: ComponentHandlers = {},
  messageCommands: readonly MessageCommand[] = [],
) {
  const byName = new Map(commands.map((command) => [command.definition.name, command]));
  const messageCommandsByName = new Map(messageCommands.map((command) => [command.definition.name, command]));

  async function fail(interaction: RepliableInteraction, error: unknown): Promise<void> {
    const reference = randomBytes(3).toString('hex');
    context.logger.error({ err: error, interactionId: interaction.id, reference }, 'interaction handler failed');
    if (error instanceof DiscordAPIError && HARMLESS_CODES.has(Number(error.code))) return;
    // A store that cannot be read refuses the request (a blocked member is never let through for
    // want of the block list): nothing was done, and trying again shortly is the right advice.
    const say = refusalsFor(interaction);
    const content = isStoreUnavailable(error) ? say.storeUnavailable : say.somethingWrong(reference);
    try {
      // A "thinking…" placeholder (see answerInTime) is not left standing over the failure.
      if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
      if (interaction.deferred || interaction.replied)
        await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
      else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    } catch (replyError) {
      context.logger.warn({ err: replyError, reference }, 'could not tell the user about a failure');
    }
  }

  return async function route(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) {
      const command = byName.get(interaction.commandName);
      await command?.autocomplete?.(interaction, context).catch(async (error: unknown) => {
        context.logger.warn({ err: error }, 'autocomplete failed');
        // An empty list answers the member at once; no answer would leave the menu loading.
        if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      });
      return;
    }
    if (!interaction.isRepliable()) return;
    let caught: Promise<void> | undefined;
    /** Whether the handler ran to its end: then whatever it answered stands. */
    let handled = false;
    const net = setTimeout(() => {
      if (interaction.replied || interaction.deferred) return;
      context.logger.warn({ interactionId: interaction.id }, 'no answer yet; acknowledging privately');
      caught = interaction.deferReply({ flags: MessageFlags.Ephemeral }).then(
        () => undefined,
        // The handler's own answer got there first.
        () => undefined,
      );
    }, SAFETY_NET_MS);
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) {
          await interaction.reply({
            content: refusalsFor(interaction).unknownCommand(interaction.commandName),
            flags: MessageFlags.Ephemeral,
          });
          return;
        }
        await command.execute(interaction, context);
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = messageCommandsByName.get(interaction.commandName);
        if (!command) {
          await interaction.reply({
            content: refusalsFor(interaction).unknownCommand(interaction.commandName),
            flags: MessageFlags.Ephemeral,
          });
          return;
        }
        await command.execute(interaction, context);
      } else if (interaction.isStringSelectMenu()) {
        const action = parseCustomId(interaction.customId);
        if (action?.kind === 'region-preset') await choosePreset(interaction, context, action.jobId, action.index);
        else await interaction.reply({ content: refusalsFor(interaction).oldButton, flags: MessageFlags.Ephemeral });
      } else if (interaction.isButton()) {
        const action = parseCustomId(interaction.customId);
        if (!action || action.kind === 'region-preset' || action.kind === 'region-prompt') {
          await interaction.reply({
            content: refusalsFor(interaction).oldButton,
            flags: MessageFlags.Ephemeral,
          });
        } else if (action.kind === 'remix') {
          // A modal's ID on a button is not one the bot made.
          await interaction.reply({ content: refusalsFor(interaction).oldButton, flags: MessageFlags.Ephemeral });
        } else if (action.kind === 'mod') {
          if (handlers.moderation) await handlers.moderation(interaction, action.operation, action.jobId);
          else
            await interaction.reply({
              content: refusalsFor(interaction).moderationDisabled,
              flags: MessageFlags.Ephemeral,
            });
        } else if (action.kind === 'region') {
          await openRegion(interaction, context, action.jobId, action.index);
        } else if (action.kind === 'cancel') {
          await cancelJob(interaction, context, action.jobId);
        } else if (action.kind === 'follow-up') {
          await requestFollowUp(interaction, context, action.jobId, action.followUp, 'offer');
        } else if (action.kind === 'custom-zoom') {
          await openCustomZoom(interaction, action.jobId, action.index);
        } else if (
          handlers.promptList &&
          (action.kind === 'describe' || action.kind === 'shorten' || action.kind === 'describe-again')
        ) {
          await handlers.promptList(interaction, action);
        } else {
          await interaction.reply({ content: refusalsFor(interaction).oldButton, flags: MessageFlags.Ephemeral });
        }
      } else if (interaction.isModalSubmit()) {
        const action = parseCustomId(interaction.customId);
        if (action?.kind === 'remix' && interaction.isFromMessage()) {
          const edited = interaction.fields.getTextInputValue(REMIX_FIELD);
          await requestFollowUp(interaction, context, action.jobId, action.followUp, { edited });
        } else if (action?.kind === 'region-prompt') {
          await submitPreset(interaction, context, action.jobId, action.index, action.preset);
        } else if (action?.kind === 'custom-zoom-modal' && interaction.isFromMessage()) {
          await submitCustomZoom(interaction, context, action.jobId, action.index);
        } else {
          await interaction.reply({ content: refusalsFor(interaction).oldButton, flags: MessageFlags.Ephemeral });
        }
      }
      handled = true;
    } catch (error) {
      await caught;
      // The handler answered after the net did: its placeholder says so below.
      const late =
        caught !== undefined &&
        error instanceof DiscordjsError &&
        error.code === DiscordjsErrorCodes.InteractionAlreadyReplied;
      if (!late) await fail(interaction, error);
    } finally {
      clearTimeout(net);
      await caught;
      // The net's placeholder, still standing over a handler that failed after it: say so.
      if (caught && !handled && interaction.deferred && !interaction.replied)
        await interaction.editReply(refusalsFor(interaction).tooSlow).catch(() => undefined);
    }
  };
}
