import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REST, Routes } from 'discord.js';
import { commandDefinitions } from '../../commands/index.js';
import { discordRestAgent } from '../../src/discord/rest-agent.js';
import { createLogger } from '../../src/logger.js';
import type { DiscordEmulator } from '../../src/sandbox/discord/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/run.js';

const root = resolve(import.meta.dirname, '../..');

/** The bot as its own process, with its log lines (JSON) as they come. */
export interface BotProcess {
  child: ChildProcess;
  lines: string[];
  /** Resolves at the first log line that holds `text` (already written or still to come). */
  waitForLine(text: string, timeoutMs?: number): Promise<string>;
  /** Sends a signal and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the bot the way production starts it, and resolves once it is ready. Node itself with
 * tsx's loader, not the tsx wrapper: a SIGKILL must hit the bot, not a parent that would leave the
 * bot running as an orphan.
 */
export function startBotProcess(environment: Record<string, string>): Promise<BotProcess> {
  return startNodeProcess('src/main.ts', environment, '"msg":"bot ready"');
}

/** Any of the project's entry points as its own process, resolved at its first line holding `readyText`. */
export function startNodeProcess(
  entry: string,
  environment: Record<string, string>,
  readyText: string,
): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, entry)], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...environment,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ text: string; resolve: (line: string) => void }>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) {
      if (!line.includes(waiter.text)) continue;
      waiters.delete(waiter);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  const bot: BotProcess = {
    child,
    lines,
    waitForLine(text, timeoutMs = 30_000) {
      const found = lines.find((line) => line.includes(text));
      if (found) return Promise.resolve(found);
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`the bot never logged ${JSON.stringify(text)}`)), timeoutMs);
        waiters.add({ text, resolve: (line) => (clearTimeout(timer), resolvePromise(line)) });
        void exited.then(() => reject(new Error(`the bot exited before logging ${JSON.stringify(text)}`)));
      });
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  return bot.waitForLine(readyText).then(
    () => bot,
    async (error: unknown) => {
      await bot.kill('SIGKILL');
      throw error;
    },
  );
}

/** Registers the bot's commands in the emulator's guild, as `npm run deploy-commands` would. */
export async function registerCommands(emulator: DiscordEmulator): Promise<void> {
  const agent = discordRestAgent();
  await new REST({ agent, api: emulator.restUrl })
    .setToken(emulator.token)
    .put(Routes.applicationGuildCommands(emulator.applicationId, emulator.seed.guildId), { body: commandDefinitions });
  await agent.close();
}

/**
 * The emulator and a Kie simulator, without a bot: the test starts and kills bot processes against
 * them itself. The commands are registered, as a deployment would have them.
 */
export async function startCrashSandbox(): Promise<Sandbox> {
  const sandbox = await startSandbox({
    logger: createLogger({ level: 'silent' }),
    providers: ['kie'],
    defaultProvider: 'kie',
    timeScale: 0.02,
    simulator: { imageEdge: 64 },
    startBot: false,
  });
  await registerCommands(sandbox.emulator);
  return sandbox;
}
