import type { DestinationStream } from 'pino';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { ProviderId } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { InteractionRecord, MessageView, SpecViolation } from '../../src/sandbox/discord/index.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/run.js';
import { expectRepaintedOnly, firstCell, type Box } from '../images/helpers.js';

/** Real seconds per simulated second: a 40-second provider job takes 80 ms. */
export const TIME_SCALE = 0.002;

export interface E2E {
  sandbox: Sandbox;
  seed: Sandbox['emulator']['seed'];
  imagine(userId: string, prompt: string, extra?: Record<string, unknown>): Promise<InteractionRecord>;
  slash(userId: string, name: string, options: Record<string, unknown>): Promise<InteractionRecord>;
  click(userId: string, message: MessageView, label: string): Promise<InteractionRecord>;
  /** The public message an interaction created, once `done` holds for it. */
  resultOf(
    interaction: InteractionRecord,
    done?: (message: MessageView) => boolean,
    timeoutMs?: number,
  ): Promise<MessageView>;
  /** What a user saw privately in answer to an interaction. */
  ephemeralOf(interaction: InteractionRecord): MessageView | undefined;
  stop(): Promise<void>;
}

/** A finished job message: its attachment is there and the job is no longer running. */
export const finished = (message: MessageView) =>
  message.attachments.length > 0 || /\(failed\)|could not be fetched|withheld/.test(message.content);

export async function startE2E(provider: ProviderId, options: Partial<SandboxOptions> = {}): Promise<E2E> {
  const logDestination: DestinationStream | undefined = process.env.E2E_LOG ? undefined : { write: () => undefined };
  const logger = createLogger({ level: process.env.E2E_LOG ?? 'warn', destination: logDestination });
  const sandbox = await startSandbox({
    logger,
    providers: [provider],
    defaultProvider: provider,
    timeScale: TIME_SCALE,
    simulator: { imageEdge: 64 },
    ...options,
  });
  const seed = sandbox.emulator.seed;
  const channelId = seed.channels.imagine;
  const emulator = sandbox.emulator;
  return {
    sandbox,
    seed,
    imagine: (userId, prompt, extra = {}) =>
      emulator.slashCommand({ userId, channelId, name: 'imagine', options: { prompt, ...extra } }, { wait: 'ack' }),
    slash: (userId, name, commandOptions) =>
      emulator.slashCommand({ userId, channelId, name, options: commandOptions }, { wait: 'ack' }),
    click: (userId, message, label) => {
      const button = message.components
        .flatMap(
          (row) =>
            (row as { components: { label?: string; custom_id?: string; emoji?: { name?: string } }[] }).components,
        )
        .find((candidate) => candidate.label === label || candidate.emoji?.name === label);
      if (!button?.custom_id)
        throw new Error(`no button ${label} on message ${message.id}: ${JSON.stringify(message.components)}`);
      return emulator.clickButton({ userId, messageId: message.id, customId: button.custom_id }, { wait: 'ack' });
    },
    resultOf: async (interaction, done = finished, timeoutMs = 15_000) => {
      expect(interaction.failed, `interaction ${interaction.name} failed: ${interaction.failureReason ?? ''}`).toBe(
        false,
      );
      const messageId = interaction.originalMessageId ?? interaction.responseMessageIds[0];
      if (!messageId) throw new Error(`interaction ${interaction.name} created no message`);
      return emulator.waitForMessage(interaction.channelId, (message) => message.id === messageId && done(message), {
        timeoutMs,
      });
    },
    ephemeralOf: (interaction) => {
      const id = interaction.originalMessageId ?? interaction.responseMessageIds[0];
      return id ? emulator.message(id) : undefined;
    },
    stop: async () => {
      // Across the whole suite: no interaction was left unanswered past Discord's 3 seconds, and
      // Discord's published spec found nothing wrong in the bot's requests or the emulator's answers.
      const failed = sandbox.emulator.interactions({ state: 'failed' });
      const spec = sandbox.emulator.specReport();
      await sandbox.stop();
      expect(failed.map((interaction) => `${interaction.name}: ${interaction.failureReason ?? ''}`)).toEqual([]);
      expect(spec.enabled, 'discord-api-spec is a dev dependency; install it').toBe(true);
      expect(spec.violations.map(describeViolation)).toEqual([]);
    },
  };
}

/** One line per violation, so a failing run shows which side sent what. */
export function describeViolation(violation: SpecViolation): string {
  const errors = violation.errors.map((error) => `${error.path}[${error.code}]`).join(', ');
  return `${violation.direction} ${violation.method} ${violation.route ?? violation.path} (${violation.operationId ?? 'no operation'}): ${errors}`;
}

export function buttonLabels(message: MessageView): string[][] {
  return message.components.map((row) =>
    (row as { components: { label?: string; emoji?: { name?: string }; disabled?: boolean }[] }).components.map(
      (button) => button.label || button.emoji?.name || '?',
    ),
  );
}

export function jobIdOf(message: MessageView): string {
  const match = /Job `([a-z0-9]+)`/.exec(message.content);
  if (!match?.[1]) throw new Error(`no job id in ${message.content}`);
  return match[1];
}

export async function imageSize(e2e: E2E, message: MessageView): Promise<{ width: number; height: number }> {
  const attachment = message.attachments[0];
  if (!attachment) throw new Error('no attachment');
  const bytes = e2e.sandbox.emulator.attachmentBytes(attachment.id);
  if (!bytes) throw new Error('attachment bytes missing');
  const metadata = await sharp(bytes).metadata();
  return { width: metadata.width ?? 0, height: metadata.height ?? 0 };
}

/**
 * Asserts the first image of a region job's result (the top-left cell of one composed grid, or the
 * first of separate images) differs from the upscale over `inside` and not over `outside`.
 */
export async function expectFirstRepaintedOnly(
  e2e: E2E,
  upscale: MessageView,
  result: MessageView,
  inside: Box,
  outside: Box,
): Promise<void> {
  const { emulator } = e2e.sandbox;
  expect(result.attachments.length).toBeGreaterThan(0);
  const parentBytes = emulator.attachmentBytes(upscale.attachments[0]!.id)!;
  const resultBytes = emulator.attachmentBytes(result.attachments[0]!.id)!;
  const first = result.attachments.length > 1 ? resultBytes : await firstCell(resultBytes);
  await expectRepaintedOnly(parentBytes, first, inside, outside);
}

/** The box of a mask area's points (polygon areas in pixels of their frame) as fractions: [left, top, right, bottom]. */
export function boxOf(area: { width: number; height: number; points: number[] }): number[] {
  const xs = area.points.filter((_, at) => at % 2 === 0).map((x) => x / area.width);
  const ys = area.points.filter((_, at) => at % 2 === 1).map((y) => y / area.height);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
