import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // End-to-end tests start real servers on loopback; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine, where
    // the suite then ran 14 minutes, mostly waiting on loopback and on Discord's channel pacing.
    // It needs about 320 s of CPU in all, so three files at a time finish in 6 minutes there.
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
});
