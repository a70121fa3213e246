import { once } from 'node:events';
import { Client, DiscordAPIError, Events, GatewayIntentBits, type ClientOptions, type Interaction } from 'discord.js';
import { expect } from 'vitest';
import type { DiscordEmulator, InteractionRecord } from '../../../../src/sandbox/discord/index.js';

/** An unmodified discord.js client pointed at the emulator, resolved once `clientReady` fired. */
export async function connectClient(
  emulator: DiscordEmulator,
  options: Partial<ClientOptions> = {},
): Promise<Client<true>> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...options,
    rest: { api: emulator.restUrl, ...options.rest },
  });
  const ready = once(client, Events.ClientReady);
  await client.login(emulator.token);
  await ready;
  return client as Client<true>;
}

/** The next interaction the client emits; attach before dispatching. */
export function nextInteraction(client: Client, timeoutMs = 5_000): Promise<Interaction> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(Events.InteractionCreate, listener);
      reject(new Error(`No interaction reached the client within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (interaction: Interaction) => {
      clearTimeout(timer);
      resolve(interaction);
    };
    client.once(Events.InteractionCreate, listener);
  });
}

/** Dispatches through the emulator and returns both the emulator's record and the client's object. */
export async function dispatchAndReceive(
  client: Client,
  dispatch: () => Promise<InteractionRecord>,
): Promise<{ record: InteractionRecord; interaction: Interaction }> {
  const received = nextInteraction(client);
  const record = await dispatch();
  const interaction = await received;
  expect(interaction.id).toBe(record.id);
  return { record, interaction };
}

export interface ExpectedDiscordError {
  status: number;
  code: number;
  /** Dotted path into `rawError.errors`, e.g. `data.components.0.components.0.custom_id`. */
  path?: string;
  /** The `_errors[].code` expected at `path`. */
  errorCode?: string;
}

/** Awaits a rejection and checks it is the DiscordAPIError Discord would give, down to the error path. */
export async function expectDiscordError(
  promise: Promise<unknown>,
  expected: ExpectedDiscordError,
): Promise<DiscordAPIError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'expected the request to be rejected').toBeInstanceOf(DiscordAPIError);
  const apiError = error as DiscordAPIError;
  expect({ status: apiError.status, code: apiError.code }).toEqual({ status: expected.status, code: expected.code });
  if (expected.path !== undefined) {
    const raw = apiError.rawError as { errors?: Record<string, unknown> };
    const node = expected.path
      .split('.')
      .reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], raw.errors);
    const problems = (node as { _errors?: { code: string }[] } | undefined)?._errors;
    expect(problems, `no _errors at ${expected.path} in ${JSON.stringify(raw.errors)}`).toBeDefined();
    if (expected.errorCode) expect(problems?.map((problem) => problem.code)).toContain(expected.errorCode);
  }
  return apiError;
}

/**
 * Discord's published spec found nothing wrong in what the emulator answered. Requests are not
 * checked here: these tests send invalid bodies on purpose, and the emulator refuses them.
 */
export function expectConformingAnswers(emulator: DiscordEmulator): void {
  const report = emulator.specReport();
  expect(report.enabled, 'discord-api-spec is a dev dependency; install it').toBe(true);
  expect(report.violations.filter((violation) => violation.direction === 'response')).toEqual([]);
}
