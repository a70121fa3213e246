import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { reachable } from '../services.js';
import { startNodeProcess, type BotProcess } from './bot-process.js';
import { useDistributedRun } from './distributed-support.js';
import { finished } from './support.js';

const services = (await reachable('postgres')) && (await reachable('redis'));

/** A port whose next one is free as well: process n of the cluster listens on CALLBACK_PORT + n. */
async function twoFreePorts(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    if ((await free(base)) && (await free(base + 1))) return base;
  }
}

/** Whether a process with this id is still running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm run cluster`: discord-hybrid-sharding's manager and its bot processes, against the emulator. */
describe.runIf(services)('npm run cluster, two processes on PostgreSQL and Redis', () => {
  const run = useDistributedRun();
  let cluster: BotProcess | undefined;
  const childPids: number[] = [];
  // Registered after the run's own hooks, so it runs before them: the processes go before the sandbox.
  afterAll(async () => {
    await cluster?.kill('SIGKILL');
    for (const pid of childPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('GIVEN CLUSTER_PROCESSES=2 and SHARD_COUNT=2 THEN each process holds one shard, /imagine is delivered in a guild on each, and SIGTERM stops them all cleanly', async () => {
    const { emulator } = run.sandbox;
    const second = await run.secondGuild();

    const callbackPort = await twoFreePorts();
    cluster = await startNodeProcess(
      'src/cluster.ts',
      {
        ...run.sandbox.environment,
        CLUSTER_PROCESSES: '2',
        SHARD_COUNT: '2',
        CALLBACK_PORT: String(callbackPort),
        RESULT_PING_AFTER_MS: '3600000',
      },
      '"msg":"cluster ready"',
      90_000,
    );
    const managerPid = cluster.child.pid!;

    // Each bot process says which shards it opened; the emulator says which sessions are open.
    const ready = cluster.lines
      .filter((line) => line.includes('"msg":"bot ready"'))
      .map((line) => JSON.parse(line) as { pid: number; cluster: number; shards: number[]; guilds: number });
    childPids.push(...ready.map((line) => line.pid));
    expect(ready).toHaveLength(2);
    expect(new Set(ready.map((line) => line.pid)).size).toBe(2);
    expect(ready.map((line) => line.pid)).not.toContain(managerPid);
    expect(ready.map((line) => line.shards).sort()).toEqual([[0], [1]]);
    expect(ready.map((line) => line.guilds)).toEqual([1, 1]);
    const listening = cluster.lines
      .filter((line) => line.includes('"msg":"callback receiver listening"'))
      .map((line) => JSON.parse(line) as { cluster: number; port: number });
    expect(listening.map(({ cluster, port }) => port - cluster).sort()).toEqual([callbackPort, callbackPort]);
    const sessions = emulator.gatewaySessions().filter((session) => session.connected);
    expect(sessions.map((session) => session.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);

    const commands = [
      { userId: emulator.seed.users.alice, channelId: emulator.seed.channels.imagine, prompt: 'a lantern' },
      { userId: second.userId, channelId: second.channelId, prompt: 'a kite' },
    ];
    const replies = await Promise.all(
      commands.map(({ userId, channelId, prompt }) =>
        emulator.slashCommand({ userId, channelId, name: 'imagine', options: { prompt } }, { wait: 'ack' }),
      ),
    );
    const grids = await Promise.all(
      replies.map((reply, index) =>
        emulator.waitForMessage(
          commands[index]!.channelId,
          (message) => message.id === reply.originalMessageId && finished(message),
          { timeoutMs: 60_000 },
        ),
      ),
    );
    expect(grids.map((grid) => grid.attachments.length)).toEqual([1, 1]);
    const kie = run.sandbox.simulators.get('kie')!;
    expect(kie.requests.filter((request) => request.kind === 'submit')).toHaveLength(2);
    expect(emulator.interactions({ state: 'failed' })).toEqual([]);

    await cluster.kill('SIGTERM');
    expect(cluster.child.exitCode).toBe(0);
    expect(cluster.lines.filter((line) => line.includes('"msg":"shutting down"'))).toHaveLength(2);
    expect(cluster.lines.some((line) => line.includes('"msg":"cluster stopped"'))).toBe(true);
    expect(childPids.filter(alive)).toEqual([]);
    // The processes closed their sessions (1000), as a shutdown does; none is left to resume.
    expect(emulator.gatewaySessions()).toEqual([]);
  }, 150_000);

  it('GIVEN kill -9 of the manager THEN its processes stop by themselves, closing their sessions', async () => {
    const { emulator } = run.sandbox;
    cluster = await startNodeProcess(
      'src/cluster.ts',
      { ...run.sandbox.environment, CLUSTER_PROCESSES: '2', SHARD_COUNT: '2' },
      '"msg":"cluster ready"',
      90_000,
    );
    const pids = cluster.lines
      .filter((line) => line.includes('"msg":"bot ready"'))
      .map((line) => (JSON.parse(line) as { pid: number }).pid);
    childPids.push(...pids);
    expect(pids).toHaveLength(2);
    await cluster.kill('SIGKILL');
    const deadline = Date.now() + 20_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.filter(alive)).toEqual([]);
    expect(emulator.gatewaySessions()).toEqual([]);
  }, 120_000);
});
