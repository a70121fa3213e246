import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

const KEY = 'sk-live-9f8e7d6c5b4a39281706';
const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.Gabcde.secretsecretsecretsecret';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { destination: destination as unknown as DestinationStream, output: () => lines.join('') };
}

describe('logger', () => {
  const config = parseConfig({ KIE_KEY: KEY, DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '1100000000000000001' });
  const secrets = [config.discord.token!, config.providers.kie!.key];

  it('GIVEN an error carrying a request with an authorization header THEN neither the key nor the token is written', async () => {
    const { destination, output } = capture();
    const logger = createLogger({ level: 'trace', destination, secrets });
    // A real undici failure, sent with the key in its headers, to a port nothing listens on.
    const failure = await request('http://127.0.0.1:1/', { headers: { authorization: `Bearer ${KEY}` } }).catch(
      (error: unknown) => error,
    );
    logger.error(
      { err: failure, request: { method: 'POST', headers: { authorization: `Bearer ${KEY}` } } },
      'provider call failed',
    );
    logger.warn({ headers: { Authorization: `Bot ${TOKEN}` }, config }, 'with the whole config');
    logger.info(`interpolated by mistake: ${KEY} and ${TOKEN}`);
    logger.child({ provider: 'kie' }).debug({ err: new Error(`upstream said key ${KEY} is wrong`) }, 'child logger');
    const text = output();
    expect(text).toContain('provider call failed');
    expect(text).toContain('child logger');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('[Redacted]');
  });

  it('GIVEN no secrets THEN ordinary fields are written unchanged', () => {
    const { destination, output } = capture();
    createLogger({ level: 'info', destination }).info({ jobId: 'abc123', guildId: '42' }, 'job started');
    expect(JSON.parse(output())).toMatchObject({ jobId: 'abc123', guildId: '42', msg: 'job started' });
  });
});

describe('logger: tokens in URL paths', () => {
  it('GIVEN a DiscordAPIError on an interaction callback and a webhook, and a callback URL THEN no token or secret is written', async () => {
    const { DiscordAPIError } = await import('discord.js');
    const interactionToken = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmFiY2RlZmdoaWprbG1ub3A';
    const callbackSecret = '0123456789abcdef0123456789abcdef';
    const { destination, output } = capture();
    const logger = createLogger({ level: 'info', destination });
    const error = new DiscordAPIError(
      { code: 10062, message: 'Unknown interaction' },
      10062,
      404,
      'POST',
      `https://discord.com/api/v10/interactions/1100000000000000042/${interactionToken}/callback`,
      {},
    );
    logger.error({ err: error }, 'interaction handler failed');
    logger.warn(
      { url: `https://discord.com/api/v10/webhooks/1100000000000000001/${interactionToken}/messages/@original` },
      'could not tell the owner',
    );
    logger.info(`calling back https://bot.example.org/callbacks/kie/abcd2345/${callbackSecret}`);
    const text = output();
    expect(text).toContain('Unknown interaction');
    expect(text).toContain('/interactions/1100000000000000042/[Redacted]/callback');
    expect(text).toContain('/webhooks/1100000000000000001/[Redacted]/messages');
    expect(text).toContain('/callbacks/kie/abcd2345/[Redacted]');
    expect(text).not.toContain(interactionToken);
    expect(text).not.toContain(callbackSecret);
  });
});
