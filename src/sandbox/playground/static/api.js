// The page's only way to the playground: the world snapshot, and the emulator's control API as
// the playground server proxies it (see docs/emulator.md, "Control API").

/** An answer of the control API that is not 2xx: `{error: {code, message}}`. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      json?.error?.code ?? 'http_' + response.status,
      json?.error?.message ?? `${method} ${path} answered ${response.status}`,
    );
  }
  return json;
}

export const api = {
  world: () => call('GET', '/api/world'),
  commands: (guildId) => call('GET', `/__emulator/commands?guild_id=${guildId}`),
  /** The channel as `userId` sees it (their ephemeral messages included); 403 `missing_access` if they cannot. */
  messages: (channelId, userId) => call('GET', `/__emulator/channels/${channelId}/messages?as=${userId}`),
  slashCommand: (input) => call('POST', '/__emulator/interactions/command', input),
  /** Waits for the bot's choices. */
  autocomplete: (input) => call('POST', '/__emulator/interactions/autocomplete', input),
  clickButton: (input) => call('POST', '/__emulator/interactions/button', input),
  postMessage: (input) => call('POST', '/__emulator/messages', input),
};

const EVENTS = ['message.create', 'message.update', 'message.delete', 'interaction.fail', 'spec.violation'];

/**
 * The emulator's server-sent events. `onReconnect` runs when the stream comes back after a
 * break, since events sent meanwhile are lost and the channel must be read again.
 */
export function subscribe(handlers, onReconnect) {
  const source = new EventSource('/__emulator/events');
  for (const name of EVENTS) {
    source.addEventListener(name, (event) => handlers[name]?.(JSON.parse(event.data)));
  }
  let broken = false;
  source.addEventListener('error', () => (broken = true));
  source.addEventListener('open', () => {
    if (broken) onReconnect();
    broken = false;
  });
  return source;
}
