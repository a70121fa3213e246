import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './config.js';
import { discordRestAgent } from './discord/rest-agent.js';
import { createLogger, type Logger } from './logger.js';

export interface DiscordProxyOptions {
  /** Where Discord's API is (the emulator's REST base in tests); default discord.com. */
  upstream?: string;
  host: string;
  port: number;
  /** Discord's global limit per bot token, which no response header announces before a 429. */
  globalPerSecond: number;
  logger: Logger;
}

export interface RunningDiscordProxy {
  port: number;
  /** What the bots set as DISCORD_API_URL. */
  apiUrl: string;
  stop(): Promise<void>;
}

/**
 * One @discordjs/proxy in front of Discord for every bot process, so the global and per-route
 * limits are counted once instead of once per process. Its REST client waits out a limit it
 * knows (queued per bucket, learnt from Discord's headers) rather than sending into a 429, and
 * does not retry: the bots' own clients retry a 5xx, so a failure is never retried twice over.
 *
 * Both packages are loaded from their ES module builds: @discordjs/proxy checks `instanceof`
 * against @discordjs/rest's error classes, which fails against discord.js's CommonJS copies.
 */
export async function startDiscordProxy(options: DiscordProxyOptions): Promise<RunningDiscordProxy> {
  // Optional engines: loaded only by the proxy, never by a bot.
  const { REST, RESTEvents } = await import('@discordjs/rest');
  const { proxyRequests } = await import('@discordjs/proxy');
  const { logger } = options;
  const agent = discordRestAgent();
  const client = (globalRequestsPerSecond: number) => {
    const rest = new REST({
      agent,
      retries: 0,
      globalRequestsPerSecond,
      ...(options.upstream ? { api: options.upstream } : {}),
    });
    rest.on(RESTEvents.Response, (request, response) => {
      // A 429 here means a limit the proxy could not know (a bucket shared across routes, or
      // another client of the same token): worth a line, since Discord counts them.
      if (response.status === 429)
        logger.warn(
          { method: request.method, route: request.route, scope: response.headers.get('x-ratelimit-scope') },
          'Discord answered 429',
        );
    });
    return proxyRequests(rest);
  };
  // Discord's global limit is per bot token; interaction responses and webhook-token routes
  // carry no token and are outside it, so they get a client of their own, limited per route only
  // (an acknowledgement held behind the global limit would miss its 3 seconds).
  const withToken = client(options.globalPerSecond);
  const withoutToken = client(Number.MAX_SAFE_INTEGER);
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'GET' && request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    // The proxy ends the response even on an error it does not know (Discord unreachable):
    // without this it would go out as an empty 200.
    response.statusCode = 502;
    const forward = request.headers.authorization ? withToken : withoutToken;
    Promise.resolve(forward(request, response)).catch((error: unknown) => {
      logger.error({ err: error, method: request.method }, 'could not forward a request to Discord');
      if (!response.writableEnded) response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    port,
    apiUrl: `http://${shownHost}:${port}/api`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}

/** `npm run discord-proxy`: validates the environment, listens, and stops on SIGINT or SIGTERM. */
async function main(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel, pretty: config.logPretty });
  const proxy = await startDiscordProxy({
    upstream: config.discord.apiUrl,
    ...config.discordProxy,
    logger,
  });
  logger.info(
    { port: proxy.port, apiUrl: proxy.apiUrl, upstream: config.discord.apiUrl ?? 'https://discord.com/api' },
    'discord proxy listening',
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      void proxy.stop().then(() => process.exit(0));
    });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(loadConfig());
