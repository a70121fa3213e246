import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * The emulator routes the page uses, and only those: the event stream, reads of commands and
 * messages, the actions a Discord user can take, and the attachment "CDN". The rest of the control
 * API (the bot token, creating users, the clock, dropping the gateway) stays off the page's origin.
 */
const PROXIED_ROUTES: readonly { method: 'GET' | 'POST'; path: RegExp }[] = [
  { method: 'GET', path: /^\/__emulator\/events$/ },
  { method: 'GET', path: /^\/__emulator\/commands$/ },
  { method: 'GET', path: /^\/__emulator\/channels\/\d+\/messages$/ },
  { method: 'POST', path: /^\/__emulator\/interactions\/(command|autocomplete|button|select)$/ },
  { method: 'POST', path: /^\/__emulator\/messages$/ },
  { method: 'GET', path: /^\/attachments\/\d+\/\d+\/[^/]+$/ },
];

/** Request headers worth passing on; hop-by-hop and browser headers are dropped. */
const FORWARDED_HEADERS = ['accept', 'content-type', 'content-length', 'last-event-id'] as const;

export function isProxied(method: string, path: string): boolean {
  return PROXIED_ROUTES.some((route) => route.method === method && route.path.test(path));
}

/**
 * Streams one request to the emulator and its answer back, server-sent events included: the
 * upstream request lives exactly as long as the browser's connection.
 */
export function proxyToEmulator(request: IncomingMessage, response: ServerResponse, emulatorOrigin: string): void {
  const headers = Object.fromEntries(
    FORWARDED_HEADERS.flatMap((name) => (request.headers[name] ? [[name, request.headers[name]]] : [])),
  );
  const upstream = httpRequest(
    new URL(request.url ?? '/', emulatorOrigin),
    { method: request.method, headers },
    (answer) => {
      // The emulator allows any origin for its own tests; the page is same-origin and needs none.
      const { 'access-control-allow-origin': _cors, ...answerHeaders } = answer.headers;
      response.writeHead(answer.statusCode ?? 502, answerHeaders);
      answer.pipe(response);
    },
  );
  upstream.on('error', (error) => {
    // The browser went away first (its close destroyed the upstream request): nobody to tell.
    if (response.destroyed) return;
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.writeHead(502, { 'Content-Type': 'application/json' });
    response.end(
      JSON.stringify({
        error: {
          code: 'emulator_unreachable',
          message: `The Discord emulator did not answer ${request.method ?? ''} ${request.url ?? ''}: ${error.message}`,
        },
      }),
    );
  });
  response.on('close', () => upstream.destroy());
  request.pipe(upstream);
}
