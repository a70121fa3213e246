import { CallbackType, MessageFlag } from '../constants.js';
import type { EmulatorCore } from '../core.js';
import { serializeContext } from '../core.js';
import { discordErrors } from '../errors.js';
import { acknowledge, failIfLate } from '../interactions/lifecycle.js';
import { responseOrigin } from '../interactions/response-origin.js';
import { editMessage, postMessage } from '../messages.js';
import { messageJson } from '../state/serialize.js';
import type { InteractionRecord, StoredMessage } from '../state/types.js';
import {
  autocompleteDataSchema,
  callbackEnvelopeSchema,
  deferredDataSchema,
  modalDataSchema,
  parseCallbackData,
} from '../validate/callback.js';
import { parseForm } from '../validate/form-errors.js';
import { parseMessageBody } from '../validate/message.js';
import type { RestContext, RestResult, RestRoute } from './route.js';

const MESSAGE_CALLBACKS = [CallbackType.ChannelMessageWithSource, CallbackType.DeferredChannelMessageWithSource];

/**
 * Callback types each interaction accepts (receiving-and-responding.mdx:270-282). Discord's exact
 * reply to a misfit is not documented; the emulator answers 400 50035 at `type` (unverified).
 */
function allowedCallbacks(record: InteractionRecord): number[] {
  switch (record.kind) {
    case 'command':
      return [...MESSAGE_CALLBACKS, CallbackType.Modal];
    case 'component':
      return [...MESSAGE_CALLBACKS, CallbackType.DeferredUpdateMessage, CallbackType.UpdateMessage, CallbackType.Modal];
    case 'autocomplete':
      return [CallbackType.ApplicationCommandAutocompleteResult];
    case 'modal_submit':
      // Updating a message is possible only when the modal was opened from a message component.
      return record.messageId
        ? [...MESSAGE_CALLBACKS, CallbackType.DeferredUpdateMessage, CallbackType.UpdateMessage]
        : MESSAGE_CALLBACKS;
  }
}

function handleCallback(context: RestContext): RestResult {
  const { core, params, body } = context;
  const record = core.store.interactions.get(params.interaction ?? '');
  if (!record || record.token !== params.token) throw discordErrors.unknownInteraction();
  const envelope = parseForm(callbackEnvelopeSchema, body.json);
  if (failIfLate(core, record)) throw discordErrors.unknownInteraction();
  if (record.state === 'acknowledged') throw discordErrors.alreadyAcknowledged();
  const allowed = allowedCallbacks(record);
  if (!allowed.includes(envelope.type)) {
    const problem = { code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${allowed.join(', ')}}.` };
    throw discordErrors.invalidFormBody({ type: { _errors: [problem] } });
  }
  const message = applyCallback(core, record, envelope.type, envelope.data, context);
  acknowledge(core, record, envelope.type);
  if (context.query.get('with_response') !== 'true') return { status: 204 };
  return { status: 200, body: callbackResponse(core, record, envelope.type, message) };
}

/** Applies the callback to state; returns the message it created or changed, if any. */
function applyCallback(
  core: EmulatorCore,
  record: InteractionRecord,
  type: number,
  data: unknown,
  context: RestContext,
): StoredMessage | undefined {
  switch (type) {
    case CallbackType.ChannelMessageWithSource: {
      const payload = parseMessageBody(data, ['data']);
      const ephemeral = ((payload.flags ?? 0) & MessageFlag.Ephemeral) !== 0;
      const message = postMessage(core, responseOrigin(core, record, { ephemeral }), payload, context.body.files, [
        'data',
      ]);
      return recordResponse(record, message, ephemeral);
    }
    case CallbackType.DeferredChannelMessageWithSource: {
      const payload = parseCallbackData(deferredDataSchema, data);
      const ephemeral = ((payload?.flags ?? 0) & MessageFlag.Ephemeral) !== 0;
      // The "Bot is thinking…" placeholder that PATCH @original later fills.
      const origin = responseOrigin(core, record, { ephemeral, extraFlags: MessageFlag.Loading });
      const message = postMessage(core, origin, {}, [], ['data']);
      return recordResponse(record, message, ephemeral);
    }
    case CallbackType.DeferredUpdateMessage: {
      // For components, @original is the message the component is on.
      const target = core.store.messages.get(record.messageId ?? '');
      record.originalMessageId = record.messageId;
      record.ephemeral = target?.visibleTo != null;
      return undefined;
    }
    case CallbackType.UpdateMessage: {
      const target = core.store.messages.get(record.messageId ?? '');
      if (!target) throw discordErrors.unknownMessage();
      const payload = parseMessageBody(data, ['data'], target.flags);
      record.originalMessageId = target.id;
      record.ephemeral = target.visibleTo !== null;
      return editMessage(core, target, payload, context.body.files, ['data']);
    }
    case CallbackType.ApplicationCommandAutocompleteResult:
      record.autocompleteChoices = parseCallbackData(autocompleteDataSchema, data).choices;
      return undefined;
    case CallbackType.Modal:
      record.modal = parseCallbackData(modalDataSchema, data);
      return undefined;
    default:
      return undefined;
  }
}

function recordResponse(record: InteractionRecord, message: StoredMessage, ephemeral: boolean): StoredMessage {
  record.originalMessageId = message.id;
  record.ephemeral = ephemeral;
  record.responseMessageIds.push(message.id);
  return message;
}

/** The `?with_response=true` body discord.js turns into an InteractionCallbackResponse. */
function callbackResponse(
  core: EmulatorCore,
  record: InteractionRecord,
  type: number,
  message: StoredMessage | undefined,
) {
  return {
    interaction: {
      id: record.id,
      type: record.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: message ? (message.flags & MessageFlag.Loading) !== 0 : null,
      response_message_ephemeral: message ? record.ephemeral : null,
    },
    ...(message ? { resource: { type, message: messageJson(message, serializeContext(core)) } } : {}),
  };
}

/** Interaction callbacks are not rate limited per route (discord.js sends them through a BurstHandler). */
export const interactionRoutes: readonly RestRoute[] = [
  {
    method: 'POST',
    template: '/interactions/:interaction/:token/callback',
    auth: 'none',
    buckets: () => [],
    handle: handleCallback,
  },
];
