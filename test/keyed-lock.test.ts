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

describe('KeyedLock with a deadline', () => {
  it('GIVEN a caller that gives up before its turn THEN it is rejected, its work never runs, and the next waits for the holder', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const holder = lock.run('k', async () => {
      events.push('holder start');
      await sleep(60);
      events.push('holder end');
    });
    const impatient = lock.run('k', () => Promise.resolve(events.push('impatient ran')), {
      signal: AbortSignal.timeout(10),
    });
    const patient = lock.run('k', () => Promise.resolve(events.push('patient ran')));
    await expect(impatient).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(events).toEqual(['holder start']);
    await Promise.all([holder, patient]);
    expect(events).toEqual(['holder start', 'holder end', 'patient ran']);
  });

  it('GIVEN a signal that fires after the work started THEN the work finishes and its result is returned', async () => {
    const lock = new KeyedLock();
    const controller = new AbortController();
    const result = lock.run(
      'k',
      async () => {
        controller.abort();
        await sleep(5);
        return 'done';
      },
      { signal: controller.signal },
    );
    await expect(result).resolves.toBe('done');
  });
});
