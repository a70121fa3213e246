import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/**
 * A bot in a process of its own: the emulator and simulators stay in the benchmark's process, so
 * the bot's CPU and memory are its own, as they are in production (Discord is elsewhere).
 * Messages over IPC: the child sends `ready`; it answers `memory`, `cpu`, the CPU profiler's and
 * the event-loop delay monitor's start and stop, and `stop`.
 */
export type ChildRequest =
  | { type: 'memory' }
  | { type: 'cpu' }
  | { type: 'profile-start' }
  /** Stops the profiler and writes the `.cpuprofile` (Chrome DevTools' format) to `path`. */
  | { type: 'profile-stop'; path: string }
  | { type: 'loop-delay-start' }
  | { type: 'loop-delay-stop' }
  | { type: 'stop' };
export type ChildReply =
  | { type: 'ready' }
  | { type: 'memory'; rss: number; heapUsed: number; gc: boolean }
  | { type: 'cpu'; microseconds: number }
  | { type: 'profile-started' }
  | { type: 'profile-written' }
  | { type: 'loop-delay-started' }
  | { type: 'loop-delay'; p50_ms: number; p99_ms: number; max_ms: number }
  | { type: 'stopped' };
export type MemoryReading = Extract<ChildReply, { type: 'memory' }>;
export type LoopDelayReading = Omit<Extract<ChildReply, { type: 'loop-delay' }>, 'type'>;

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

  /** Starts V8's sampling CPU profiler in the child. */
  async startProfile(): Promise<void> {
    const reply = this.expect('profile-started', 30_000);
    this.child.send({ type: 'profile-start' } satisfies ChildRequest);
    await reply;
  }

  /** Stops the child's profiler; the profile is written to `path`. */
  async stopProfile(path: string): Promise<void> {
    const reply = this.expect('profile-written', 60_000);
    this.child.send({ type: 'profile-stop', path } satisfies ChildRequest);
    await reply;
  }

  /** Starts sampling the child's event-loop delay (`monitorEventLoopDelay`, 10 ms resolution). */
  async startLoopDelay(): Promise<void> {
    const reply = this.expect('loop-delay-started', 30_000);
    this.child.send({ type: 'loop-delay-start' } satisfies ChildRequest);
    await reply;
  }

  /** The event-loop delay since `startLoopDelay`. */
  async stopLoopDelay(): Promise<LoopDelayReading> {
    const reply = this.expect('loop-delay', 30_000);
    this.child.send({ type: 'loop-delay-stop' } satisfies ChildRequest);
    const { p50_ms, p99_ms, max_ms } = (await reply) as Extract<ChildReply, { type: 'loop-delay' }>;
    return { p50_ms, p99_ms, max_ms };
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
  const session = new Session();
  let loopDelay: IntervalHistogram | undefined;
  /** The monitor records the time between its timer's ticks: the delay is what exceeds the resolution. */
  const LOOP_RESOLUTION_MS = 10;
  const ms = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS);
  process.on('message', (request: ChildRequest) => {
    if (request.type === 'profile-start') {
      session.connect();
      void session
        .post('Profiler.enable')
        .then(() => session.post('Profiler.setSamplingInterval', { interval: 100 }))
        .then(() => session.post('Profiler.start'))
        .then(() => send({ type: 'profile-started' }));
      return;
    }
    if (request.type === 'profile-stop') {
      void session
        .post('Profiler.stop')
        .then(({ profile }) => writeFile(request.path, JSON.stringify(profile)))
        .then(() => {
          session.disconnect();
          send({ type: 'profile-written' });
        });
      return;
    }
    if (request.type === 'loop-delay-start') {
      loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
      loopDelay.enable();
      send({ type: 'loop-delay-started' });
      return;
    }
    if (request.type === 'loop-delay-stop') {
      loopDelay?.disable();
      const histogram = loopDelay;
      send({
        type: 'loop-delay',
        p50_ms: histogram ? ms(histogram.percentile(50)) : Number.NaN,
        p99_ms: histogram ? ms(histogram.percentile(99)) : Number.NaN,
        max_ms: histogram ? ms(histogram.max) : Number.NaN,
      });
      return;
    }
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
