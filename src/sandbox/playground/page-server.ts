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
    super(`Port ${port} on 127.0.0.1 is in use: set PLAYGROUND_PORT to another port, or to 0 for any free one`, { cause });
    this.name = 'PlaygroundPortError';
  }
}

/**
 * The page's own server on 127.0.0.1: the page (static/), the browser packages it imports
 * (/vendor/), the seeded world (/api/world), and the emulator routes it uses, proxied so that the
 * page, its API and the images share one origin.
 */
export async function startPageServer(options: { emulator: DiscordEmulator; port: number; logger: Logger }): Promise<PageServer> {
  const { emulator, logger } = options;
  const vendorFile = createVendorResolver();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://playground').pathname;
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
  const { port } = server.address() as AddressInfo;
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

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PlaygroundPortError(port, error) : error));
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
