import type * as PromClient from 'prom-client';

/** A provider call's outcome, as counted. */
export type ProviderOutcome = 'ok' | 'error' | 'rate_limited';

/**
 * What the bot counts. Single machine: {@link NO_METRICS}, nothing loaded. Distributed mode:
 * prom-client (an optional dependency), served at `/metrics` on the receiver's port.
 */
export interface Metrics {
  interactionReceived(interactionId: string, type: string): void;
  /** The interaction's first response went out (its acknowledgement). */
  interactionAcknowledged(interactionId: string): void;
  jobFinished(provider: string, outcome: 'succeeded' | 'failed', code?: string): void;
  providerRequest(provider: string, kind: 'submit' | 'status', outcome: ProviderOutcome, seconds: number): void;
  /** How late a job's step started after the time it was planned for. */
  stepLateness(provider: string, seconds: number): void;
  discordResponse(method: string, status: number, scope: string | undefined): void;
  storeQuery(operation: string, seconds: number): void;
  shardStatus(shardId: number, connected: boolean): void;
  /** Gauges read when /metrics is scraped (queue depth, say). */
  onCollect(collect: () => Promise<Record<string, Record<string, number>>>): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

const noop = (): void => undefined;

export const NO_METRICS: Metrics = {
  interactionReceived: noop,
  interactionAcknowledged: noop,
  jobFinished: noop,
  providerRequest: noop,
  stepLateness: noop,
  discordResponse: noop,
  storeQuery: noop,
  shardStatus: noop,
  onCollect: noop,
  render: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
};

/** Interactions awaiting their acknowledgement, bounded (one never answered is forgotten). */
const MAX_PENDING = 10_000;

/** Loads prom-client and builds the bot's metrics in a registry of their own. */
export async function createPromMetrics(labels: Record<string, string> = {}): Promise<Metrics> {
  const module = (await import('prom-client')) as typeof PromClient & { default?: typeof PromClient };
  const prom = module.default ?? module;
  const registry = new prom.Registry();
  registry.setDefaultLabels(labels);
  prom.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const interactions = new prom.Counter({
    name: 'bot_interactions_total',
    help: 'Interactions received, by type',
    labelNames: ['type'],
    registers,
  });
  const ack = new prom.Histogram({
    name: 'bot_interaction_ack_seconds',
    help: 'From an interaction received to its first response sent',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers,
  });
  const jobs = new prom.Counter({
    name: 'bot_jobs_finished_total',
    help: 'Jobs finished, by provider and outcome',
    labelNames: ['provider', 'outcome', 'code'],
    registers,
  });
  const providerRequests = new prom.Histogram({
    name: 'bot_provider_request_seconds',
    help: 'Provider requests (submits and status queries), by outcome; rate_limited counts 429s',
    labelNames: ['provider', 'kind', 'outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const lateness = new prom.Histogram({
    name: 'bot_step_lateness_seconds',
    help: 'How late a job step started after its planned time',
    labelNames: ['provider'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const discord = new prom.Counter({
    name: 'bot_discord_responses_total',
    help: 'Discord REST responses by status; 429s carry their scope',
    labelNames: ['method', 'status', 'scope'],
    registers,
  });
  const invalid = new prom.Counter({
    name: 'bot_discord_invalid_requests_total',
    help: "Responses that count toward Discord's invalid request limit (401, 403, 429 not shared): 10,000 in 10 minutes bans the IP",
    registers,
  });
  const store = new prom.Histogram({
    name: 'bot_store_query_seconds',
    help: 'Store queries by operation',
    labelNames: ['operation'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  });
  const shards = new prom.Gauge({
    name: 'bot_shard_connected',
    help: 'Whether each gateway shard of this process is connected',
    labelNames: ['shard'],
    registers,
  });
  const collectors: (() => Promise<Record<string, Record<string, number>>>)[] = [];
  new prom.Gauge({
    name: 'bot_queue_jobs',
    help: 'Step queue depth, by provider and state',
    labelNames: ['provider', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const collect of collectors) {
        for (const [provider, states] of Object.entries(await collect()))
          for (const [state, count] of Object.entries(states)) this.set({ provider, state }, count);
      }
    },
  });
  const pending = new Map<string, number>();
  return {
    interactionReceived(interactionId, type) {
      interactions.inc({ type });
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value ?? '');
      pending.set(interactionId, performance.now());
    },
    interactionAcknowledged(interactionId) {
      const at = pending.get(interactionId);
      if (at === undefined) return;
      pending.delete(interactionId);
      ack.observe((performance.now() - at) / 1000);
    },
    jobFinished(provider, outcome, code) {
      jobs.inc({ provider, outcome, code: code ?? '' });
    },
    providerRequest(provider, kind, outcome, seconds) {
      providerRequests.observe({ provider, kind, outcome }, seconds);
    },
    stepLateness(provider, seconds) {
      lateness.observe({ provider }, Math.max(0, seconds));
    },
    discordResponse(method, status, scope) {
      discord.inc({ method, status: String(status), scope: status === 429 ? (scope ?? 'unknown') : '' });
      if (status === 401 || status === 403 || (status === 429 && scope !== 'shared')) invalid.inc();
    },
    storeQuery(operation, seconds) {
      store.observe({ operation }, seconds);
    },
    shardStatus(shardId, connected) {
      shards.set({ shard: String(shardId) }, connected ? 1 : 0);
    },
    onCollect(collect) {
      collectors.push(collect);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
