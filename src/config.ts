import { existsSync } from 'node:fs';
import { z } from 'zod';
import { FAILPOINT_NAMES, parseFailpoints, type FailpointName, type Failpoints } from './failpoints.js';

/** The provider ids the bot knows; each has its own adapter and simulator. */
export const PROVIDER_IDS = ['cloudsway-mj', 'cloudsway-image', 'apixo', 'acedata', 'kie'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** The prefix of each provider's variables, as `.env.example` names them (`KIE_KEY`, `CLOUDSWAY_MJ_BASE_URL`, …). */
export const PROVIDER_ENV_PREFIXES: Readonly<Record<ProviderId, string>> = {
  'cloudsway-mj': 'CLOUDSWAY_MJ',
  'cloudsway-image': 'CLOUDSWAY_IMAGE',
  apixo: 'APIXO',
  acedata: 'ACEDATA',
  kie: 'KIE',
};

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const optionalUrl = (what: string) =>
  optionalText.pipe(z.url({ protocol: /^https?$/, error: `expects an http(s) URL (${what})` }).optional());

const snowflake = (what: string) =>
  optionalText.pipe(
    z
      .string()
      .regex(/^\d{17,20}$/, `expects a Discord snowflake id (${what}), 17 to 20 digits`)
      .optional(),
  );

/** A whole-number variable with a default, checked against a range. */
const integer = (fallback: number, min: number, max: number) =>
  optionalText.transform((value, context) => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) {
      context.addIssue({ code: 'custom', message: `expects a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return number;
  });

/** `0,2,5-7` → [0, 2, 5, 6, 7]: the shards this process opens. */
const shardList = optionalText.transform((value, context) => {
  if (value === undefined) return undefined;
  const ids = new Set<number>();
  for (const part of value.split(',').map((item) => item.trim())) {
    const range = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const from = Number(range?.[1]);
    const to = Number(range?.[2] ?? range?.[1]);
    if (!range || to < from) {
      context.addIssue({
        code: 'custom',
        message: 'expects shard ids and ranges separated by commas, e.g. 0,1 or 0-3',
      });
      return z.NEVER;
    }
    for (let id = from; id <= to; id += 1) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
});

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The whole environment the bot reads. Every variable is documented in `.env.example`;
 * keep the two in step (a test compares them).
 */
export const environmentSchema = z
  .object({
    NODE_ENV: optionalText
      .pipe(z.enum(['development', 'production', 'test']).default('development'))
      .default('development'),
    LOG_LEVEL: optionalText.pipe(z.enum(LOG_LEVELS).default('info')).default('info'),
    LOG_PRETTY: optionalText.pipe(z.enum(['true', 'false']).optional()),

    DISCORD_TOKEN: optionalText.pipe(
      z
        .string()
        .regex(/^[\w.-]{20,}$/, 'expects a bot token (letters, digits, dots, dashes; 20 characters or more)')
        .optional(),
    ),
    DISCORD_APPLICATION_ID: snowflake('the application id from the Developer Portal'),
    DISCORD_DEV_GUILD_ID: snowflake('a guild where commands register instantly'),
    DISCORD_API_URL: optionalUrl('the REST base, e.g. http://127.0.0.1:8787/api for the local emulator'),
    DISCORD_PROXY_HOST: optionalText
      .pipe(
        z
          .string()
          .regex(/^[A-Za-z0-9.:-]+$/, 'expects a host name or address to listen on, e.g. 127.0.0.1 or 0.0.0.0')
          .default('127.0.0.1'),
      )
      .default('127.0.0.1'),
    DISCORD_PROXY_PORT: integer(8780, 0, 65_535),
    DISCORD_PROXY_GLOBAL_PER_SECOND: integer(50, 1, 10_000),

    DEFAULT_PROVIDER: optionalText.pipe(z.enum(PROVIDER_IDS).optional()),

    CLOUDSWAY_MJ_BASE_URL: optionalUrl('e.g. https://genaiapi.cloudsway.net/v1/ai'),
    CLOUDSWAY_MJ_ENDPOINT_PATH: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, 'expects one path segment')
        .optional(),
    ),
    CLOUDSWAY_MJ_KEY: optionalText,
    CLOUDSWAY_MJ_UPSTREAM_OUTPAINT: optionalText.pipe(z.enum(['true', 'false']).default('false')).default('false'),
    CLOUDSWAY_IMAGE_BASE_URL: optionalUrl('e.g. https://genaiapi.cloudsway.net/v1/ai'),
    CLOUDSWAY_IMAGE_ENDPOINT_PATH: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, 'expects one path segment')
        .optional(),
    ),
    CLOUDSWAY_IMAGE_KEY: optionalText,
    CLOUDSWAY_IMAGE_MODEL: optionalText.pipe(z.string().default('gpt-image-1')).default('gpt-image-1'),
    APIXO_BASE_URL: optionalUrl('e.g. https://api.apixo.ai/api/v1'),
    APIXO_KEY: optionalText,
    ACEDATA_BASE_URL: optionalUrl('e.g. https://api.acedata.cloud'),
    ACEDATA_KEY: optionalText,
    KIE_BASE_URL: optionalUrl('e.g. https://api.kie.ai'),
    KIE_KEY: optionalText,

    STORE_URL: optionalText
      .pipe(
        z
          .string()
          .regex(
            /^(sqlite|redis|rediss|postgres|postgresql):\/\//,
            'expects sqlite://<path>, redis://… or postgres://…',
          )
          .default('sqlite://./data/bot.sqlite'),
      )
      .default('sqlite://./data/bot.sqlite'),

    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'expects postgres://user@host:port/database (distributed mode)')
        .optional(),
    ),
    REDIS_URL: optionalText.pipe(
      z
        .string()
        .regex(/^rediss?:\/\//, 'expects redis://host:port (distributed mode)')
        .optional(),
    ),
    DATABASE_SCHEMA: optionalText
      .pipe(
        z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expects a plain schema name: lowercase letters, digits, underscores')
          .default('imagine_bot'),
      )
      .default('imagine_bot'),
    REDIS_PREFIX: optionalText
      .pipe(
        z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expects letters, digits, dashes or underscores')
          .default('imagine'),
      )
      .default('imagine'),
    SHARD_COUNT: integer(1, 1, 65_535),
    SHARD_IDS: shardList,
    CLUSTER_PROCESSES: integer(2, 1, 1_000),

    PUBLIC_BASE_URL: optionalUrl('where providers reach the callback receiver, e.g. https://bot.example.org'),
    CALLBACK_PORT: integer(8790, 0, 65_535),
    REGION_LINK_SECRET: optionalText.pipe(
      z
        .string()
        .min(
          32,
          'expects at least 32 characters (e.g. `openssl rand -hex 32`): it signs the Vary (Region) editor links',
        )
        .optional(),
    ),
    REGION_LINK_MINUTES: integer(30, 1, 24 * 60),
    MAX_PROMPTS_PER_COMMAND: integer(10, 1, 40),
    PROVIDER_RATE_PER_SECOND: integer(10, 1, 1_000),
    PROVIDER_TIME_SCALE: optionalText.pipe(z.coerce.number<string>().positive().max(1).default(1)).default(1),
    PLAYGROUND_PORT: integer(8080, 0, 65_535),
    PLAYGROUND_REAL_PROVIDERS: optionalText.pipe(z.enum(['true', 'false']).default('false')).default('false'),
    SHUTDOWN_GRACE_MS: integer(8_000, 0, 600_000),
    RESULT_PING_AFTER_MS: integer(30_000, 0, 3_600_000),
    FAILPOINTS: optionalText.transform((value, context) => {
      const points = parseFailpoints(value);
      for (const [name, pause] of points) {
        if (!(FAILPOINT_NAMES as readonly string[]).includes(name) || !(pause >= 0)) {
          context.addIssue({
            code: 'custom',
            message: `expects name[:ms] items separated by commas, names from ${FAILPOINT_NAMES.join(', ')} (for crash tests only)`,
          });
          return z.NEVER;
        }
      }
      return points as Failpoints;
    }),
  })
  .superRefine((environment, context) => {
    if (environment.DISCORD_TOKEN && !environment.DISCORD_APPLICATION_ID) {
      context.addIssue({
        code: 'custom',
        path: ['DISCORD_APPLICATION_ID'],
        message: 'is required when DISCORD_TOKEN is set (the application id from the Developer Portal)',
      });
    }
    if (environment.SHARD_IDS?.some((id) => id >= environment.SHARD_COUNT)) {
      context.addIssue({
        code: 'custom',
        path: ['SHARD_IDS'],
        message: `names a shard outside 0 to ${environment.SHARD_COUNT - 1} (SHARD_COUNT is ${environment.SHARD_COUNT})`,
      });
    }
    // Two processes on one SQLite file (or keyv's last-writer-wins adapters) lose updates: more than
    // one shard means several processes, which need the atomic store and the shared queue.
    if (environment.SHARD_COUNT > 1 && !(environment.DATABASE_URL && environment.REDIS_URL)) {
      context.addIssue({
        code: 'custom',
        path: ['SHARD_COUNT'],
        message: `more than one shard needs distributed mode: set DATABASE_URL (postgres://…) and REDIS_URL (redis://…)`,
      });
    }
    if (Boolean(environment.DATABASE_URL) !== Boolean(environment.REDIS_URL)) {
      context.addIssue({
        code: 'custom',
        path: [environment.DATABASE_URL ? 'REDIS_URL' : 'DATABASE_URL'],
        message: 'is required with the other: distributed mode needs both DATABASE_URL and REDIS_URL',
      });
    }
    const pairs: [string, string | undefined, string, string | undefined][] = [
      [
        'CLOUDSWAY_MJ_KEY',
        environment.CLOUDSWAY_MJ_KEY,
        'CLOUDSWAY_MJ_ENDPOINT_PATH',
        environment.CLOUDSWAY_MJ_ENDPOINT_PATH,
      ],
      [
        'CLOUDSWAY_IMAGE_KEY',
        environment.CLOUDSWAY_IMAGE_KEY,
        'CLOUDSWAY_IMAGE_ENDPOINT_PATH',
        environment.CLOUDSWAY_IMAGE_ENDPOINT_PATH,
      ],
    ];
    for (const [keyName, key, pathName, path] of pairs) {
      if (key && !path) {
        context.addIssue({
          code: 'custom',
          path: [pathName],
          message: `is required when ${keyName} is set (the endpoint path segment from the console)`,
        });
      }
    }
  });

export type Environment = z.infer<typeof environmentSchema>;

/** Connection details for one provider; only providers with a key are configured. */
export interface ProviderSettings {
  readonly id: ProviderId;
  readonly baseUrl: string;
  readonly endpointPath?: string;
  readonly key: string;
  readonly model?: string;
  /**
   * Cloudsway MaaS-MJ only: offer zoom out and pan through Youchuan's `/tob/outpaint` and `/tob/pan`,
   * which Cloudsway does not document (CONTRACTS.md §A). Off unless the admin turns it on.
   */
  readonly upstreamOutpaint?: boolean;
}

export interface Config {
  readonly environment: 'development' | 'production' | 'test';
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly logPretty: boolean;
  readonly discord: {
    readonly token?: string;
    readonly applicationId?: string;
    readonly devGuildId?: string;
    readonly apiUrl?: string;
  };
  /** `npm run discord-proxy`: one @discordjs/proxy in front of Discord for every bot process. */
  readonly discordProxy: {
    readonly host: string;
    readonly port: number;
    /** Discord's global limit per bot token (50 unless Discord raised it for the bot). */
    readonly globalPerSecond: number;
  };
  readonly providers: Readonly<Partial<Record<ProviderId, ProviderSettings>>>;
  readonly defaultProvider?: ProviderId;
  readonly storeUrl: string;
  /**
   * Distributed mode (DATABASE_URL and REDIS_URL both set): records in PostgreSQL, steps in
   * BullMQ on Redis, so several processes can share the work. Absent: one process, SQLite.
   */
  readonly distributed?: {
    readonly databaseUrl: string;
    readonly redisUrl: string;
    /** The PostgreSQL schema of the bot's tables, and the prefix of its Redis keys. */
    readonly schema: string;
    readonly prefix: string;
  };
  /** The gateway shards this process opens; absent: discord.js's default, shard 0 of 1. */
  readonly shards?: { readonly ids: readonly number[]; readonly count: number };
  /** `npm run cluster`: how many bot processes share this machine's shards. */
  readonly clusterProcesses: number;
  readonly publicBaseUrl?: string;
  readonly callbackPort: number;
  /**
   * Vary (Region)'s editor links: the key that signs them (absent: a random one per process, so
   * links die with it and processes cannot honour each other's) and how long one stays valid.
   */
  readonly regionLinks: { readonly secret?: string; readonly minutes: number };
  readonly maxPromptsPerCommand: number;
  /** Requests per second to each provider: per process on one machine, summed over all in distributed mode. */
  readonly providerRatePerSecond: number;
  /** Scales the providers' documented timings; below 1 only in the sandbox, whose simulators run fast. */
  readonly providerTimeScale: number;
  readonly playgroundPort: number;
  /** Whether the playground may use the real providers whose keys are set (they cost credits). */
  readonly playgroundRealProviders: boolean;
  /** How long a shutdown waits for steps in flight and queued edits before it exits. */
  readonly shutdownGraceMs: number;
  /** A result later than this comes as a new message that mentions the member. */
  readonly resultPingAfterMs: number;
  /** Crash-test pauses (FAILPOINTS); empty in production. */
  readonly failpoints: Failpoints;
}

const DEFAULT_BASE_URLS: Record<ProviderId, string> = {
  'cloudsway-mj': 'https://genaiapi.cloudsway.net/v1/ai',
  'cloudsway-image': 'https://genaiapi.cloudsway.net/v1/ai',
  apixo: 'https://api.apixo.ai/api/v1',
  acedata: 'https://api.acedata.cloud',
  kie: 'https://api.kie.ai',
};

function providerSettings(environment: Environment): Partial<Record<ProviderId, ProviderSettings>> {
  const candidates: (ProviderSettings | undefined)[] = [
    environment.CLOUDSWAY_MJ_KEY && environment.CLOUDSWAY_MJ_ENDPOINT_PATH
      ? {
          id: 'cloudsway-mj',
          baseUrl: environment.CLOUDSWAY_MJ_BASE_URL ?? DEFAULT_BASE_URLS['cloudsway-mj'],
          endpointPath: environment.CLOUDSWAY_MJ_ENDPOINT_PATH,
          key: environment.CLOUDSWAY_MJ_KEY,
          upstreamOutpaint: environment.CLOUDSWAY_MJ_UPSTREAM_OUTPAINT === 'true',
        }
      : undefined,
    environment.CLOUDSWAY_IMAGE_KEY && environment.CLOUDSWAY_IMAGE_ENDPOINT_PATH
      ? {
          id: 'cloudsway-image',
          baseUrl: environment.CLOUDSWAY_IMAGE_BASE_URL ?? DEFAULT_BASE_URLS['cloudsway-image'],
          endpointPath: environment.CLOUDSWAY_IMAGE_ENDPOINT_PATH,
          key: environment.CLOUDSWAY_IMAGE_KEY,
          model: environment.CLOUDSWAY_IMAGE_MODEL,
        }
      : undefined,
    environment.APIXO_KEY
      ? { id: 'apixo', baseUrl: environment.APIXO_BASE_URL ?? DEFAULT_BASE_URLS.apixo, key: environment.APIXO_KEY }
      : undefined,
    environment.ACEDATA_KEY
      ? {
          id: 'acedata',
          baseUrl: environment.ACEDATA_BASE_URL ?? DEFAULT_BASE_URLS.acedata,
          key: environment.ACEDATA_KEY,
        }
      : undefined,
    environment.KIE_KEY
      ? { id: 'kie', baseUrl: environment.KIE_BASE_URL ?? DEFAULT_BASE_URLS.kie, key: environment.KIE_KEY }
      : undefined,
  ];
  return Object.fromEntries(
    candidates.filter((settings) => settings !== undefined).map((settings) => [settings.id, settings]),
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Thrown by {@link parseConfig}: one line per bad variable, naming it and what it expects. */
export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Validates an environment (a plain record, so tests need not touch `process.env`). */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const result = environmentSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const variable = issue.path.join('.') || 'environment';
      const received = source[variable];
      const shown = received === undefined ? 'missing' : 'malformed';
      return `Configuration error: ${variable} is ${shown}: ${issue.message}`;
    });
    throw new ConfigError(lines);
  }
  const environment = result.data;
  const providers = providerSettings(environment);
  const defaultProvider = environment.DEFAULT_PROVIDER;
  if (defaultProvider && !providers[defaultProvider]) {
    throw new ConfigError([
      `Configuration error: DEFAULT_PROVIDER is malformed: "${defaultProvider}" has no key configured; configured: ${Object.keys(providers).join(', ') || 'none'}`,
    ]);
  }
  return deepFreeze({
    environment: environment.NODE_ENV,
    logLevel: environment.LOG_LEVEL,
    logPretty: environment.LOG_PRETTY
      ? environment.LOG_PRETTY === 'true'
      : environment.NODE_ENV === 'development' && process.stdout.isTTY === true,
    discord: {
      token: environment.DISCORD_TOKEN,
      applicationId: environment.DISCORD_APPLICATION_ID,
      devGuildId: environment.DISCORD_DEV_GUILD_ID,
      apiUrl: environment.DISCORD_API_URL,
    },
    discordProxy: {
      host: environment.DISCORD_PROXY_HOST,
      port: environment.DISCORD_PROXY_PORT,
      globalPerSecond: environment.DISCORD_PROXY_GLOBAL_PER_SECOND,
    },
    providers,
    defaultProvider: defaultProvider ?? (Object.keys(providers)[0] as ProviderId | undefined),
    storeUrl: environment.STORE_URL,
    ...(environment.DATABASE_URL && environment.REDIS_URL
      ? {
          distributed: {
            databaseUrl: environment.DATABASE_URL,
            redisUrl: environment.REDIS_URL,
            schema: environment.DATABASE_SCHEMA,
            prefix: environment.REDIS_PREFIX,
          },
        }
      : {}),
    ...(environment.SHARD_IDS || environment.SHARD_COUNT > 1
      ? {
          shards: {
            ids: environment.SHARD_IDS ?? Array.from({ length: environment.SHARD_COUNT }, (_, id) => id),
            count: environment.SHARD_COUNT,
          },
        }
      : {}),
    clusterProcesses: environment.CLUSTER_PROCESSES,
    publicBaseUrl: environment.PUBLIC_BASE_URL,
    callbackPort: environment.CALLBACK_PORT,
    regionLinks: { secret: environment.REGION_LINK_SECRET, minutes: environment.REGION_LINK_MINUTES },
    maxPromptsPerCommand: environment.MAX_PROMPTS_PER_COMMAND,
    providerRatePerSecond: environment.PROVIDER_RATE_PER_SECOND,
    providerTimeScale: environment.PROVIDER_TIME_SCALE,
    playgroundPort: environment.PLAYGROUND_PORT,
    playgroundRealProviders: environment.PLAYGROUND_REAL_PROVIDERS === 'true',
    shutdownGraceMs: environment.SHUTDOWN_GRACE_MS,
    resultPingAfterMs: environment.RESULT_PING_AFTER_MS,
    failpoints: environment.FAILPOINTS ?? new Map<FailpointName, number>(),
  });
}

/**
 * Reads `.env` (when present) into `process.env`, validates once and returns the frozen config.
 * `overrides` win over both (a cluster's process takes its shards from the manager).
 * On a bad variable it prints one line per problem and exits with code 78 (EX_CONFIG), no stack trace.
 */
export function loadConfig(overrides: Record<string, string> = {}): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return parseConfig({ ...process.env, ...overrides });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
