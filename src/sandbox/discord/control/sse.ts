import type { ServerResponse } from 'node:http';
import type { DiscordEmulator } from '../emulator.js';
import { EMULATOR_EVENT_NAMES, type EmulatorEventMap, type EmulatorEventName } from '../events.js';
import { messageView } from '../message-views.js';

/**
 * `GET /__emulator/events`: emulator changes as server-sent events, for the playground page.
 * Each event's `data` is JSON: `{message}` for message events, `{interaction}` for interaction ones,
 * `{violation}` for `spec.violation`.
 */
export function streamEvents(emulator: DiscordEmulator, response: ServerResponse): void {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'Access-Control-Allow-Origin': '*',
  });
  response.write(': connected\n\n');
  const send = (event: EmulatorEventName, data: unknown) =>
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const listeners = EMULATOR_EVENT_NAMES.map((event) => {
    const listener = (payload: EmulatorEventMap[typeof event][0]) => send(event, eventData(emulator, payload));
    emulator.events.on(event, listener);
    return () => emulator.events.off(event, listener);
  });
  // A comment line every 15 s keeps proxies from closing an idle stream.
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  // The response closes when the client goes away; the request may have "closed" long before.
  response.on('close', () => {
    clearInterval(keepAlive);
    for (const off of listeners) off();
  });
}

function eventData(emulator: DiscordEmulator, payload: EmulatorEventMap[EmulatorEventName][0]): unknown {
  if ('message' in payload) return { message: messageView(emulator.core, payload.message) };
  if ('interaction' in payload) return { interaction: payload.interaction };
  if ('guild' in payload) return { guild: { id: payload.guild.id, name: payload.guild.name } };
  if ('channel' in payload)
    return { channel: { id: payload.channel.id, name: payload.channel.name, guildId: payload.channel.guildId } };
  if ('role' in payload)
    return { role: { id: payload.role.id, name: payload.role.name, guildId: payload.role.guildId } };
  if ('violation' in payload) return { violation: payload.violation };
  return { member: payload.member };
}
