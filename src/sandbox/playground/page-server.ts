import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../logger.js';
import type { DiscordEmulator } from '../discord/index.js';
import { isProxied, proxyToEmulator } from './proxy.js';
import { createVendorResolver } from './vendor.js';
import { playgroundWorld } from './world.js';

const STATIC_FOLDER = fileURLToPath(new URL('./static/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

export class PlaygroundPortError extends Error {
  readonly code = 'port_in_use';
  constructor(port: number, cause: unknown) {
    super(`Port ${port} on 127.0.0.1 is in use: set PLAYGROUND_PORT to another port, or to 0 for any free one`, {
      cause,
    });
    this.name = 'PlaygroundPortError';
  }
}

/**
 * The page's own server on 127.0.0.1: the page (static/), the browser packages it imports
 * (/vendor/), the seeded world (/api/world), and the emulator routes it uses, proxied so that the
 * page, its API and the images share one origin.
 */
export async function startPageServer(options: {
  emulator: DiscordEmulator;
  port: number;
  logger: Logger;
}): Promise<PageServer> {
  const { emulator, logger } = options;
  const vendorFile = createVendorResolver();

  let port = 0;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? 'GET';
    const refusal = refuse(request, port);
    if (refusal) return sendText(response, 403, refusal);
    const path = URL.parse(request.url ?? '/', 'http://playground')?.pathname;
    if (path === undefined) return sendText(response, 400, 'Malformed request target');
    if (isProxied(method, path)) return proxyToEmulator(request, response, emulator.baseUrl);
    if (method !== 'GET' && method !== 'HEAD') return sendText(response, 405, 'Method not allowed');
    if (path === '/') return sendFile(response, `${STATIC_FOLDER}index.html`);
    if (path === '/api/world') return sendJson(response, playgroundWorld(emulator));
    // One flat folder: a name with a slash or a leading dot never leaves it.
    const staticName = /^\/static\/([\w-][\w.-]*)$/.exec(path)?.[1];
    if (staticName) return sendFile(response, STATIC_FOLDER + staticName);
    const vendored = path.startsWith('/vendor/') ? vendorFile(path) : undefined;
    if (vendored) return sendFile(response, vendored);
    return sendText(response, 404, `Nothing at ${path}`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error, url: request.url }, 'playground request failed');
      if (!response.headersSent) sendText(response, 500, 'The playground server failed; see its log');
      else response.destroy();
    });
  });
  await listen(server, options.port);
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Event streams never end by themselves.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The names this page is served under; anything else in Host is a rebound DNS name or a stray proxy. */
const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Why a request is refused, or undefined. The playground acts as every member of its guild, so
 * only the page itself may drive it: the Host must be this loopback address (a DNS-rebinding page
 * sends its own name), a browser's Origin must be the page's, and writes must be JSON (a
 * cross-site form or `text/plain` fetch cannot send that without a preflight this server never
 * grants: it sends no CORS headers at all).
 */
function refuse(request: IncomingMessage, port: number): string | undefined {
  const allowed = LOCAL_HOSTS.map((host) => `${host}:${port}`);
  if (!allowed.includes(request.headers.host ?? ''))
    return 'This playground answers only on its own address (127.0.0.1).';
  const origin = request.headers.origin;
  if (origin !== undefined && !allowed.some((host) => origin === `http://${host}`))
    return 'Requests from other sites are not accepted.';
  const writes = request.method !== 'GET' && request.method !== 'HEAD';
  if (writes && !/^application\/json(?:;|$)/i.test(request.headers['content-type'] ?? ''))
    return 'Send JSON (Content-Type: application/json).';
  return undefined;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PlaygroundPortError(port, error) : error),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

async function sendFile(response: ServerResponse, file: string): Promise<void> {
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) return sendText(response, 404, 'Not found');
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': found.size,
    // The page changes while someone works on it; the library files are small and local.
    'Cache-Control': 'no-cache',
  });
  createReadStream(file).pipe(response);
}

function sendJson(response: ServerResponse, value: unknown): void {
  response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(value));
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
