import type { EmulatorCore } from './core.js';
import { serializeContext } from './core.js';
import { EmulatorUsageError } from './errors.js';
import { hasPermission, Permission } from './permissions.js';
import { type MessageJson, messageJson } from './state/serialize.js';
import type { StoredMessage } from './state/types.js';

/** A message as the control API shows it: Discord's JSON plus who may see it (ephemeral). */
export interface MessageView extends MessageJson {
  /** The only user who sees this ephemeral message; null for everyone. */
  visible_to: string | null;
  /** Users this message notified when it was sent (edits notify no one). */
  notified: string[];
}

export interface ViewOptions {
  /** See the channel as this user: their ephemeral messages included, others' left out. */
  as?: string;
}

export function messageView(core: EmulatorCore, message: StoredMessage): MessageView {
  return { ...messageJson(message, serializeContext(core)), visible_to: message.visibleTo, notified: message.notified };
}

function visibleTo(message: StoredMessage, viewer: string | undefined): boolean {
  return message.visibleTo === null || message.visibleTo === viewer;
}

/** A channel's messages, oldest first, as `options.as` sees them (without it: public messages only). */
export function channelMessages(core: EmulatorCore, channelId: string, options: ViewOptions = {}): MessageView[] {
  const channel = core.store.requireChannel(channelId);
  if (
    options.as !== undefined &&
    !hasPermission(core.store.channelPermissions(channel, options.as), Permission.ViewChannel)
  ) {
    throw new EmulatorUsageError(403, 'missing_access', `User ${options.as} cannot see channel ${channelId}`);
  }
  return core.store
    .messagesIn(channelId)
    .filter((message) => visibleTo(message, options.as))
    .map((message) => messageView(core, message));
}

export interface WaitOptions extends ViewOptions {
  /** Real-time limit; defaults to 5 s. */
  timeoutMs?: number;
}

/**
 * Resolves with the first message of the channel (existing or arriving, created or edited) that
 * satisfies `predicate`. Listens to message events; it never polls.
 */
export function waitForMessage(
  core: EmulatorCore,
  channelId: string,
  predicate: (message: MessageView) => boolean,
  options: WaitOptions = {},
): Promise<MessageView> {
  const existing = channelMessages(core, channelId, options).find(predicate);
  if (existing) return Promise.resolve(existing);
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const check = ({ message }: { message: StoredMessage }) => {
      if (message.channelId !== channelId || !visibleTo(message, options.as)) return;
      const view = messageView(core, message);
      if (!predicate(view)) return;
      cleanup();
      resolve(view);
    };
    const timer = setTimeout(() => {
      cleanup();
      const seen = channelMessages(core, channelId, options).map((message) => JSON.stringify(message.content));
      reject(
        new Error(`No message in channel ${channelId} matched within ${timeoutMs} ms; messages: [${seen.join(', ')}]`),
      );
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      core.events.off('message.create', check);
      core.events.off('message.update', check);
    };
    core.events.on('message.create', check);
    core.events.on('message.update', check);
  });
}
