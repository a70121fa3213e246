import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../src/keyed-lock.js';

describe('KeyedLock', () => {
  it('GIVEN work for one key THEN it runs one at a time, in arrival order, even when some fails', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const task = (name: string, ms: number, fail = false) =>
      lock.run('k', async () => {
        events.push(`${name} start`);
        await sleep(ms);
        events.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a', 20), task('b', 5, true), task('c', 1)]);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('GIVEN work for different keys THEN it runs side by side', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    await Promise.all(
      ['x', 'y'].map((key) =>
        lock.run(key, async () => {
          events.push(`${key} start`);
          await sleep(10);
          events.push(`${key} end`);
        }),
      ),
    );
    expect(events.slice(0, 2).sort()).toEqual(['x start', 'y start']);
  });
});
