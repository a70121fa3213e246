import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { ClusterSetupError, clusterProblems, joinCluster, loadHybridSharding } from '../src/hybrid-sharding.js';
import { runScript } from './run-script.js';

const TOKEN = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.Gabcde.abcdefghijklmnopqrstuvwxyz012345';
const distributed = {
  DISCORD_TOKEN: TOKEN,
  DISCORD_APPLICATION_ID: '110000000000000001',
  DATABASE_URL: 'postgres://127.0.0.1/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

/** What `npm run cluster` refuses for this environment (empty: it starts). */
const problems = (environment: Record<string, string>) => clusterProblems(parseConfig(environment), environment);

describe('npm run cluster: what it refuses before starting processes', () => {
  it('GIVEN two processes over SHARD_COUNT=2 with PostgreSQL and Redis THEN nothing', () => {
    expect(problems({ ...distributed, SHARD_COUNT: '2', CLUSTER_PROCESSES: '2' })).toEqual([]);
  });

  it('GIVEN no SHARD_COUNT THEN one line names it', () => {
    expect(problems({ ...distributed })).toContainEqual(
      expect.stringMatching(/^Configuration error: SHARD_COUNT is missing: npm run cluster shares SHARD_COUNT shards/),
    );
  });

  it("GIVEN more processes than this machine's shards THEN one line names CLUSTER_PROCESSES", () => {
    expect(problems({ ...distributed, SHARD_COUNT: '4', SHARD_IDS: '2-3', CLUSTER_PROCESSES: '3' })).toEqual([
      'Configuration error: CLUSTER_PROCESSES is malformed: 3 processes need at least as many shards, and this machine has 2',
    ]);
  });

  it('GIVEN no DISCORD_TOKEN THEN one line: the processes would start the playground instead', () => {
    expect(problems({ SHARD_COUNT: '1', CLUSTER_PROCESSES: '1' })).toEqual([
      'Configuration error: DISCORD_TOKEN is missing: npm run cluster starts bot processes',
    ]);
  });

  it('GIVEN the last process would listen above port 65535 THEN one line names CALLBACK_PORT', () => {
    expect(problems({ ...distributed, SHARD_COUNT: '2', CALLBACK_PORT: '65535' })).toEqual([
      'Configuration error: CALLBACK_PORT is malformed: process n listens on CALLBACK_PORT + n, and 65535 + 1 is above 65535',
    ]);
  });

  it('GIVEN the package is not installed THEN a ClusterSetupError says how to install it, in one line', async () => {
    const missing = Object.assign(new Error("Cannot find package 'discord-hybrid-sharding'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error: unknown = await loadHybridSharding(() => Promise.reject(missing)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClusterSetupError);
    expect((error as Error).message).toBe(
      'npm run cluster needs the discord-hybrid-sharding package: run `npm install discord-hybrid-sharding` (an optional dependency)',
    );
    expect((error as Error).cause).toBe(missing);
  });

  it('GIVEN a process not started by the manager THEN it belongs to no cluster', async () => {
    expect(process.env.CLUSTER_MANAGER).toBeUndefined();
    expect(await joinCluster()).toBeUndefined();
  });
});

describe('npm run cluster, as a real child process', () => {
  it('GIVEN SHARD_COUNT=2 without PostgreSQL and Redis THEN the config refuses it in one line, exit 78', async () => {
    const { DATABASE_URL: _database, REDIS_URL: _redis, ...alone } = distributed;
    const result = await runScript('src/cluster.ts', [], { ...alone, SHARD_COUNT: '2' });
    expect(result.code).toBe(78);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Configuration error: SHARD_COUNT is malformed: more than one shard needs distributed mode/,
      ),
    ]);
  });

  it('GIVEN CLUSTER_PROCESSES=0 THEN the config refuses it in one line, exit 78', async () => {
    const result = await runScript('src/cluster.ts', [], { ...distributed, SHARD_COUNT: '2', CLUSTER_PROCESSES: '0' });
    expect(result.code).toBe(78);
    expect(result.stderr.trim()).toBe(
      'Configuration error: CLUSTER_PROCESSES is malformed: expects a whole number from 1 to 1000',
    );
  });

  it('GIVEN no SHARD_COUNT THEN it names it in one line, exit 78, and starts no process', async () => {
    const result = await runScript('src/cluster.ts', [], { ...distributed });
    expect(result.code).toBe(78);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Configuration error: SHARD_COUNT is missing/),
    ]);
  });
});
