import { hostname } from 'node:os';
import {
  Client,
  Events,
  GatewayIntentBits,
  InteractionType,
  RESTEvents,
  Routes,
  type ClientOptions,
  type Interaction,
} from 'discord.js';
import { commands, commandDefinitions, messageCommands, promptListButton } from '../commands/index.js';
import type { Config } from './config.js';
import { createAttachmentRenderer } from './discord/attachments.js';
import type { BotContext } from './discord/context.js';
import { Publisher } from './discord/publisher.js';
import { RedisChannelPacer } from './discord/redis-channel-pacer.js';
import { InteractionBacklog, interactionOfCallback } from './discord/backlog.js';
import { openSharedRecords } from './distributed.js';
import { BullmqStepQueue } from './jobs/queue/bullmq-step-queue.js';
import type { Step } from './jobs/step-queue.js';
import { HealthRoutes } from './observability/health.js';
import { createPromMetrics, NO_METRICS, type Metrics } from './observability/metrics.js';
import { discordRestAgent } from './discord/rest-agent.js';
import { createRouter } from './discord/router.js';
import { RegionLinks, regionMaskUrl } from './discord/region-link.js';
import { regionEditorRoutes } from './discord/region-editor/routes.js';
import type { StoredImage } from './jobs/job.js';
import { jobView } from './discord/views.js';
import { loadResultImage } from './images/download.js';
import { CallbackServer, callbackUrl } from './jobs/callback-server.js';
import { JobService } from './jobs/service.js';
import { ModerationDesk } from './moderation/desk.js';
import { ModerationGate } from './moderation/gate.js';
import type { Logger } from './logger.js';
import { createAdapters } from './providers/index.js';
import { openKeyv } from './store/keyv.js';
import { createStores } from './store/stores.js';
import type { KeyvStoreAdapter } from 'keyv';

/**
 * How long an interaction waits for its claim (distributed mode) before this process answers it
 * anyway: a claim is one insert, and a slower store must not cost the member Discord's 3 seconds.
 */
const CLAIM_WAIT_MS = 400;

export interface BotOptions {
  config: Config;
  logger: Logger;
  /** Register the slash commands on start (to the dev guild if set, else globally). */
  registerCommands?: boolean;
  /** Extra discord.js options (tests tighten timeouts). */
  clientOptions?: Partial<ClientOptions>;
  now?: () => number;
  /** Puts a layer between keyv and its store adapter (the store-fault tests make it fail). */
  wrapStore?: (adapter: KeyvStoreAdapter) => KeyvStoreAdapter;
}

export interface RunningBot {
  client: Client;
  context: BotContext;
  callbackPort?: number;
  /** Resolves once the client is ready and unfinished jobs have resumed. */
  ready: Promise<void>;
  /** Changes where providers are told to call back (the sandbox learns its port only after start). */
  setPublicBaseUrl(url: string): void;
  stop(): Promise<void>;
}

/** Wires the bot together: store, providers, job service, publisher, router, Discord client. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  // Distributed mode loads its engines (pg, bullmq, prom-client) here and nowhere else.
  const metrics: Metrics = config.distributed
    ? await createPromMetrics({ process: `${hostname()}:${process.pid}` })
    : NO_METRICS;
  const shared = config.distributed ? await openSharedRecords(config.distributed, logger, metrics) : undefined;
  const keyv =
    shared?.keyv ?? (await openKeyv(config.storeUrl, logger, options.wrapStore ? { wrap: options.wrapStore } : {}));
  const stores = createStores(keyv, logger, shared);
  const adapters = createAdapters(config, { logger });
  // The queue's workers start once the bot is ready; until the service exists, nothing runs.
  let runStep: Step = () => Promise.reject(new Error('the job service is not wired yet'));
  const steps = config.distributed
    ? await BullmqStepQueue.open({
        redisUrl: config.distributed.redisUrl,
        prefix: config.distributed.prefix,
        providers: [...adapters.keys()],
        step: (jobId) => runStep(jobId),
        logger: logger.child({ component: 'steps' }),
        ratePerSecond: config.providerRatePerSecond,
        autorun: false,
      })
    : undefined;
  if (steps) metrics.onCollect(() => steps.depth());
  const restAgent = discordRestAgent();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Only what SHARD_IDS/SHARD_COUNT say; unset, discord.js opens shard 0 of 1 as before.
    ...(config.shards ? { shards: [...config.shards.ids], shardCount: config.shards.count } : {}),
    ...options.clientOptions,
    rest: {
      agent: restAgent,
      ...(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}),
      ...options.clientOptions?.rest,
    },
  });
  if (config.discord.token) client.rest.setToken(config.discord.token);

  const renderAttachment = createAttachmentRenderer(stores, logger);
  const loadStoredImage = (image: StoredImage, signal: AbortSignal) =>
    loadResultImage(image, {
      signal,
      loadBlob: async (blobId) => {
        const bytes = await stores.blobs.get(blobId);
        if (!bytes) throw new Error(`blob ${blobId} is missing`);
        return bytes;
      },
    });
  let publicBaseUrl = config.publicBaseUrl;
  // Several processes may write in one channel: they count its writes together, on Redis.
  const pacer = config.distributed
    ? await RedisChannelPacer.open({
        redisUrl: config.distributed.redisUrl,
        prefix: config.distributed.prefix,
        logger: logger.child({ component: 'pacer' }),
      })
    : undefined;
  const publisher: Publisher = new Publisher({
    rest: client.rest,
    ...(pacer ? { pacer } : {}),
    stores,
    logger: logger.child({ component: 'publisher' }),
    applicationId: config.discord.applicationId,
    failpoints: config.failpoints,
    pingAfterMs: config.resultPingAfterMs,
    now,
    attachment: renderAttachment,
    // `desk` is created below; the publisher calls this only after start.
    published: (job, message): Promise<void> => desk.mirror(job, message),
    view: (job, extras) => {
      const adapter = adapters.get(job.provider);
      if (!adapter) throw new Error(`provider ${job.provider} is not configured`);
      return jobView(job, {
        now: now(),
        capabilities: adapter.capabilities,
        queuePosition: jobs.queuePosition(job.id),
        publicUrl: publicBaseUrl !== undefined,
        ...extras,
      });
    },
  });
  const backlog = new InteractionBacklog();
  client.rest.on(RESTEvents.Response, (request, response) => {
    backlog.answeredByRequest(request.path);
    const interactionId = interactionOfCallback(request.path);
    if (interactionId) metrics.interactionAcknowledged(interactionId);
    metrics.discordResponse(request.method, response.status, response.headers.get('x-ratelimit-scope') ?? undefined);
  });
  client.on(Events.ShardReady, (shardId) => metrics.shardStatus(shardId, true));
  client.on(Events.ShardResume, (shardId) => metrics.shardStatus(shardId, true));
  client.on(Events.ShardDisconnect, (_event, shardId) => metrics.shardStatus(shardId, false));
  client.on(Events.ShardReconnecting, (shardId) => metrics.shardStatus(shardId, false));
  const regionLinks = new RegionLinks(config.regionLinks.secret, config.regionLinks.minutes);
  const jobs: JobService = new JobService({
    yieldWhile: () => backlog.busy(),
    stores,
    adapters,
    logger: logger.child({ component: 'jobs' }),
    now,
    onChange: (job, change) => publisher.notify(job, change),
    timeScale: config.providerTimeScale,
    providerRatePerSecond: config.providerRatePerSecond,
    failpoints: config.failpoints,
    ...(steps
      ? {
          shared: true,
          metrics,
          stepQueue: (step: Step) => {
            runStep = step;
            return steps;
          },
        }
      : {}),
    loadImage: async (image, signal) => {
      const loaded = await loadStoredImage(image, signal);
      if (!loaded) throw new Error('image was withheld');
      return loaded;
    },
    callbackUrl: (job) => (publicBaseUrl ? callbackUrl(publicBaseUrl, job) : undefined),
    regionMaskUrl: (job, size) =>
      publicBaseUrl ? regionMaskUrl(publicBaseUrl, regionLinks.signMask({ job: job.id, ...size }, now())) : undefined,
    limits: async (guildId) => {
      const settings = await stores.guilds.get(guildId);
      return { concurrency: settings.concurrency, queueLimit: settings.queueLimit };
    },
  });
  const desk: ModerationDesk = new ModerationDesk({
    rest: client.rest,
    stores,
    publisher,
    logger: logger.child({ component: 'moderation' }),
    applicationId: config.discord.applicationId,
    // Moderators are shown one file: an animation's first video that fits.
    renderAttachment: async (job) => {
      const rendered = await renderAttachment(job);
      return rendered && 'kind' in rendered ? rendered.files[0] : rendered;
    },
    now,
    failpoints: config.failpoints,
  });
  const gate = new ModerationGate(stores, now, logger.child({ component: 'gate' }), config.failpoints);
  const context: BotContext = {
    config,
    logger,
    stores,
    jobs,
    publisher,
    adapters,
    gate,
    desk,
    now,
    publicBaseUrl: () => publicBaseUrl,
    regionLinks,
  };

  const editor = regionEditorRoutes({
    context,
    links: regionLinks,
    loadImage: async (image) => (await loadStoredImage(image, AbortSignal.timeout(30_000))) ?? undefined,
  });
  let callbacks: CallbackServer | undefined;
  let callbackPort: number | undefined;
  const health = new HealthRoutes(
    {
      gateway: () => client.isReady(),
      ...(shared ? { store: () => shared.database.reachable() } : {}),
      ...(steps ? { queue: () => steps.reachable() } : {}),
    },
    config.distributed ? metrics : undefined,
  );
  // Distributed processes always listen: /healthz, /readyz and /metrics are how they are watched.
  if (config.publicBaseUrl || config.distributed) {
    callbacks = new CallbackServer({
      stores,
      jobs,
      adapters,
      logger: logger.child({ component: 'callbacks' }),
      // The Vary (Region) editor is served where providers call back: the bot's public URL.
      routes: async (request, response) =>
        (await health.handle(request, response)) || (await editor(request, response)),
    });
    callbackPort = await callbacks.listen(config.callbackPort);
    logger.info({ port: callbackPort, publicBaseUrl: config.publicBaseUrl }, 'callback receiver listening');
  }

  const route = createRouter(
    commands,
    context,
    {
      moderation: (interaction, operation, jobId) => desk.handle(interaction, operation, jobId),
      promptList: (interaction, action) => promptListButton(interaction, context, action),
    },
    messageCommands,
  );
  const handle = (interaction: Interaction) => {
    backlog.received(interaction.id);
    metrics.interactionReceived(interaction.id, InteractionType[interaction.type]);
    void route(interaction).finally(() => backlog.answered(interaction.id));
  };
  client.on(Events.InteractionCreate, (interaction) => {
    if (!shared) return handle(interaction);
    // Another process holding this shard may have the same interaction: one of them answers it.
    // Without the store to ask, this one answers (it can only refuse: nothing is admitted then).
    // A store too slow to say within CLAIM_WAIT_MS counts as no answer: Discord's 3 s come first.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, CLAIM_WAIT_MS, 'late')));
    void Promise.race([shared.interactions.claim(interaction.id, Date.now()), late])
      .finally(() => clearTimeout(timer))
      .then(
        (mine) => {
          if (mine === 'late')
            logger.warn({ interactionId: interaction.id }, 'the interaction claim is slow; answering it');
          if (mine) handle(interaction);
          else logger.debug({ interactionId: interaction.id }, 'another process claimed the interaction');
        },
        (error: unknown) => {
          logger.warn({ err: error, interactionId: interaction.id }, 'could not claim the interaction; answering it');
          handle(interaction);
        },
      );
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));

  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, (readyClient) => {
      void (async () => {
        if (options.registerCommands && config.discord.applicationId) {
          const route = config.discord.devGuildId
            ? Routes.applicationGuildCommands(config.discord.applicationId, config.discord.devGuildId)
            : Routes.applicationCommands(config.discord.applicationId);
          await readyClient.rest.put(route, { body: commandDefinitions });
        }
        // This process resumes only the jobs of its own guilds (its shards'), so shards can share a store.
        const resumed = await jobs.resume([...readyClient.guilds.cache.keys()]);
        steps?.start();
        logger.info(
          {
            user: readyClient.user.tag,
            shards: [...readyClient.ws.shards.keys()],
            guilds: readyClient.guilds.cache.size,
            resumed,
          },
          'bot ready',
        );
      })().then(resolve, reject);
    });
  });
  await client.login(config.discord.token);

  return {
    client,
    context,
    callbackPort,
    ready,
    setPublicBaseUrl(url) {
      publicBaseUrl = url;
    },
    async stop() {
      // Within the grace period: take no more callbacks (providers send them again), let the
      // provider calls in flight return and be recorded (a submit cut off would be sent again
      // after the restart), then let queued edits go out. What is left stays open in the store.
      const deadline = Date.now() + config.shutdownGraceMs;
      health.shuttingDown();
      await Promise.all([callbacks?.close(), jobs.stop(config.shutdownGraceMs)]);
      await Promise.race([
        publisher.drain(),
        new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref()),
      ]);
      publisher.stop();
      await client.destroy();
      await restAgent.close();
      await keyv.disconnect();
      await shared?.database.close();
    },
  };
}
