import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleControl } from './control/control-api.js';
import type { DiscordEmulator } from './emulator.js';
import { sendBytes, sendJson } from './http/respond.js';
import { API_PREFIX, handleRest } from './rest/api.js';

const CONTROL_PREFIX = '/__emulator';

/** Splits traffic between Discord's REST API, the attachment "CDN" and the control API. */
export async function handleHttp(
  emulator: DiscordEmulator,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://emulator.invalid');
  let path: string;
  try {
    // discord.js percent-encodes `@original` as `%40original`; route on the decoded path.
    path = decodeURIComponent(url.pathname);
  } catch {
    sendJson(response, 400, { message: '400: Bad Request', code: 0 });
    return;
  }
  try {
    if (path.startsWith(`${API_PREFIX}/`)) {
      await handleRest(emulator.core, request, response, path.slice(API_PREFIX.length), url.searchParams);
    } else if (path.startsWith('/attachments/')) {
      serveAttachment(emulator, path, response);
    } else if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      await handleControl(emulator, request, response, path.slice(CONTROL_PREFIX.length) || '/', url.searchParams);
    } else {
      sendJson(response, 404, { message: '404: Not Found', code: 0 });
    }
  } catch (error) {
    // The REST and control boundaries answer their own errors; this only catches a broken socket.
    emulator.core.log.error({ err: error, path }, 'emulator HTTP handler failed');
    if (!response.headersSent) sendJson(response, 500, { message: '500: Internal Server Error', code: 0 });
  }
}

/** `/attachments/{channel}/{attachment}/{filename}`, the emulator's stand-in for Discord's CDN. */
function serveAttachment(emulator: DiscordEmulator, path: string, response: ServerResponse): void {
  const [, , channelId, attachmentId] = path.split('/');
  const attachment = emulator.core.store.attachments.get(attachmentId ?? '');
  if (!attachment || attachment.channelId !== channelId) {
    sendJson(response, 404, { message: '404: Not Found', code: 0 });
    return;
  }
  sendBytes(response, 200, attachment.bytes, attachment.contentType);
}
