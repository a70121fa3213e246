import { MessageFlag } from '../constants.js';
import type { EmulatorCore } from '../core.js';
import { serializeContext } from '../core.js';
import { discordErrors } from '../errors.js';
import { tokenExpired } from '../interactions/lifecycle.js';
import { responseOrigin } from '../interactions/response-origin.js';
import { deleteMessage, editMessage, postMessage } from '../messages.js';
import type { BucketCheck } from '../rate-limit.js';
import { messageJson } from '../state/serialize.js';
import type { InteractionRecord, StoredMessage } from '../state/types.js';
import { parseMessageBody } from '../validate/message.js';
import {
  majorParameter,
  messageEditBucket,
  noContent,
  ok,
  type RestContext,
  type RestResult,
  type RestRoute,
} from './route.js';

/**
 * Interaction webhooks: `/webhooks/{application}/{interaction token}` for follow-ups and for the
 * original response. No Authorization header; the token in the path is the credential, valid for
 * 15 minutes (receiving-and-responding.mdx:351,432), after which Discord answers 401 50027.
 */
function requireInteraction({ core, params }: RestContext): InteractionRecord {
  if (params.webhook !== core.applicationId) throw discordErrors.unknownWebhook();
  const record = core.store.interactionByToken(params.token ?? '');
  // A failed interaction's token was invalidated when its 3 seconds ran out.
  if (!record || record.state === 'failed' || tokenExpired(core, record)) throw discordErrors.invalidWebhookToken();
  return record;
}

function requireResponseMessage(context: RestContext, record: InteractionRecord): StoredMessage {
  const id = context.params.message === '@original' ? record.originalMessageId : context.params.message;
  const belongs =
    id !== null && id !== undefined && (id === record.originalMessageId || record.responseMessageIds.includes(id));
  const message = belongs ? context.core.store.messages.get(id) : undefined;
  if (!message) throw discordErrors.unknownMessage();
  return message;
}

function followUp(context: RestContext): RestResult {
  const { core } = context;
  const record = requireInteraction(context);
  // The webhook exists only once the interaction is acknowledged (emulator's reading; unverified).
  if (record.state !== 'acknowledged') throw discordErrors.unknownWebhook();
  const body = parseMessageBody(context.body.json);
  const ephemeral = ((body.flags ?? 0) & MessageFlag.Ephemeral) !== 0;
  const origin = responseOrigin(core, record, { ephemeral, originalResponseMessageId: record.originalMessageId });
  const message = postMessage(core, origin, body, context.body.files);
  record.responseMessageIds.push(message.id);
  core.events.emit('interaction.update', { interaction: record });
  return context.query.get('wait') === 'true' ? ok(messageJson(message, serializeContext(core))) : noContent();
}

function getMessage(context: RestContext): RestResult {
  const message = requireResponseMessage(context, requireInteraction(context));
  return ok(messageJson(message, serializeContext(context.core)));
}

function patchMessage(context: RestContext): RestResult {
  const record = requireInteraction(context);
  const message = requireResponseMessage(context, record);
  const edited = editMessage(
    context.core,
    message,
    parseMessageBody(context.body.json, [], message.flags),
    context.body.files,
  );
  return ok(messageJson(edited, serializeContext(context.core)));
}

function removeMessage(context: RestContext): RestResult {
  const record = requireInteraction(context);
  deleteMessage(context.core, requireResponseMessage(context, record));
  return noContent();
}

function webhookBucket(core: EmulatorCore, params: Record<string, string>, name: string): BucketCheck {
  return { name, major: majorParameter(params), window: core.limits.defaultRoute, scope: 'user' };
}

/** Edits of interaction messages also count against their channel's shared edit bucket. */
function editBuckets(core: EmulatorCore, params: Record<string, string>): BucketCheck[] {
  const own = webhookBucket(core, params, 'PATCH /webhooks/:webhook/:token/messages/:message');
  const channelId = core.store.interactionByToken(params.token ?? '')?.channelId;
  return channelId ? [own, { ...messageEditBucket(core, channelId), scope: 'shared' }] : [own];
}

const base = '/webhooks/:webhook/:token';

export const webhookRoutes: readonly RestRoute[] = [
  { method: 'POST', template: base, auth: 'none', handle: followUp },
  { method: 'GET', template: `${base}/messages/:message`, auth: 'none', handle: getMessage },
  { method: 'PATCH', template: `${base}/messages/:message`, auth: 'none', buckets: editBuckets, handle: patchMessage },
  { method: 'DELETE', template: `${base}/messages/:message`, auth: 'none', handle: removeMessage },
];
