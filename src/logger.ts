import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/**
 * Paths pino censors before a line is written. Secrets are redacted by configuration, not by care:
 * an error that carries a request (undici, discord.js) or a config object is safe to log.
 */
export const REDACT_PATHS = [
  'token',
  'key',
  'apiKey',
  'secret',
  'password',
  'authorization',
  'Authorization',
  '*.token',
  '*.key',
  '*.apiKey',
  '*.secret',
  '*.interactionToken',
  '*.callbackSecret',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.*.headers.authorization',
  '*.*.headers.Authorization',
  '*.*.*.headers.authorization',
  'err.requestBody',
  'discord.token',
  'config.discord.token',
  'providers.*.key',
  '*.providers.*.key',
];

export interface LoggerOptions {
  level: string;
  pretty?: boolean;
  /** Values that must never be written, whatever path they hide in (configured keys and tokens). */
  secrets?: readonly string[];
  destination?: DestinationStream;
}

/**
 * Replaces any configured secret found inside a string. Path redaction cannot see a key that was
 * interpolated into a message or a URL, so the formatter scrubs the whole serialised line as well.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('[Redacted]');
  }
  return scrubbed;
}

/**
 * Tokens that travel in URL paths, where no path redaction reaches them: interaction and webhook
 * tokens (discord.js puts the route in `DiscordAPIError.url` and in its messages) and the per-job
 * secret of a callback URL. Each is replaced, the route around it kept.
 */
const TOKENS_IN_PATHS =
  /(\/(?:interactions|webhooks)\/\d+\/)[\w.-]{20,}|(\/callbacks\/[a-z-]+\/[a-z0-9]+\/)[a-f0-9]{32}/g;

export function scrubTokens(text: string): string {
  return text.replace(
    TOKENS_IN_PATHS,
    (_match, route?: string, callback?: string) => `${route ?? callback ?? ''}[Redacted]`,
  );
}

function scrubbingStream(target: DestinationStream, secrets: readonly string[]): DestinationStream {
  return { write: (line: string) => target.write(scrubSecrets(scrubTokens(line), secrets)) };
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 4);
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
  const destination =
    options.destination ??
    (options.pretty
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : pino.destination({ dest: 1, sync: false }));
  return pino(base, scrubbingStream(destination, secrets));
}
