import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/**
 * A bot in a process of its own: the emulator and simulators stay in the benchmark's process, so
 * the bot's CPU and memory are its own, as they are in production (Discord is elsewhere).
 * Messages over IPC: the child sends `ready`; it answers `memory`, `cpu` and `stop`.
 */
export type ChildRequest = { type: 'memory' } | { type: 'cpu' } | { type: 'stop' };
export type ChildReply =
  | { type: 'ready' }
  | { type: 'memory'; rss: number; heapUsed: number; gc: boolean }
  | { type: 'cpu'; microseconds: number }
  | { type: 'stopped' };
export type MemoryReading = Extract<ChildReply, { type: 'memory' }>;

export class BenchChild {
  private constructor(private readonly child: ChildProcess) {}

  /**
   * Forks `script` (a file in bench/) under the same TypeScript loader as this process, with
   * --expose-gc, and waits for its `ready`. Only `environment` reaches it: a real provider key or
   * Discord token in this shell must not.
   */
  static async start(script: string, environment: Record<string, string>, timeoutMs = 60_000): Promise<BenchChild> {
    const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      env: environment,
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const bench = new BenchChild(child);
    try {
      await bench.expect('ready', timeoutMs);
    } catch (error) {
      child.kill();
      throw error;
    }
    return bench;
  }

  async memory(): Promise<MemoryReading> {
    const reply = this.expect('memory', 30_000);
    this.child.send({ type: 'memory' } satisfies ChildRequest);
    return (await reply) as MemoryReading;
  }

  /** CPU time the child has used so far (user + system), in milliseconds. */
  async cpuMs(): Promise<number> {
    const reply = this.expect('cpu', 30_000);
    this.child.send({ type: 'cpu' } satisfies ChildRequest);
    return ((await reply) as Extract<ChildReply, { type: 'cpu' }>).microseconds / 1000;
  }

  /** Asks the child to stop cleanly; kills it if it does not exit in time. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'stop' } satisfies ChildRequest);
    const outcome = await Promise.race([
      exited.then(() => 'exited' as const),
      sleep(timeoutMs, 'late' as const, { ref: false }),
    ]);
    if (outcome === 'late') this.child.kill();
  }

  private expect(type: ChildReply['type'], timeoutMs: number): Promise<ChildReply> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`the bench child sent no ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (reply: ChildReply) => {
        if (reply.type !== type) return;
        cleanup();
        resolve(reply);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`the bench child exited (${code ?? 'signal'}) before sending ${type}`));
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }
}

/** The child side: answers the parent's requests; `stop` runs `shutdown`, then exits. */
export function serveParent(shutdown: () => Promise<void>): void {
  const send = (reply: ChildReply) => process.send?.(reply);
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (request: ChildRequest) => {
    if (request.type === 'memory') {
      // Twice: the first collection can leave finalizers whose memory only the second frees.
      gc?.();
      gc?.();
      const usage = process.memoryUsage();
      send({ type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed, gc: gc !== undefined });
    } else if (request.type === 'cpu') {
      const usage = process.cpuUsage();
      send({ type: 'cpu', microseconds: usage.user + usage.system });
    } else {
      void shutdown().finally(() => {
        send({ type: 'stopped' });
        process.exit(0);
      });
    }
  });
  send({ type: 'ready' });
}
