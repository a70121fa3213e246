import type { KeyvStoreAdapter } from 'keyv';

type Operation = 'read' | 'write';

interface Fault {
  operation: Operation;
  key: RegExp;
  /** How many more calls fail (or are held up). */
  left: number;
  /** Hold the call this long, then let it through, instead of failing it. */
  delayMs?: number;
}

/**
 * A real store adapter with chosen calls made to fail, as SQLite does under lock contention or a
 * full disk: `failNext('read', /^blocked:/)` makes the next read of a block list throw
 * SQLITE_BUSY, and the call after it succeeds again.
 */
export class FaultyStore {
  private readonly faults: Fault[] = [];
  /** Every call that was made to fail, as `read blocked:123`. */
  readonly failed: string[] = [];

  failNext(operation: Operation, key: RegExp, times = 1): void {
    this.faults.push({ operation, key, left: times });
  }

  /** The next matching calls take `delayMs` longer, as a store under a long lock does, then succeed. */
  delayNext(operation: Operation, key: RegExp, delayMs: number, times = 1): void {
    this.faults.push({ operation, key, left: times, delayMs });
  }

  /** Clears the faults still waiting to happen. */
  heal(): void {
    this.faults.length = 0;
  }

  /** Throws for a failing call; returns how long to hold a delayed one (0: none). */
  private check(operation: Operation, key: string): number {
    const fault = this.faults.find(
      (candidate) => candidate.operation === operation && candidate.left > 0 && candidate.key.test(key),
    );
    if (!fault) return 0;
    fault.left -= 1;
    if (fault.delayMs !== undefined) return fault.delayMs;
    this.failed.push(`${operation} ${key}`);
    throw Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY', errno: 5 });
  }

  /** The wrapper to give openKeyv (`wrap`), or the bot (`wrapStore`). */
  readonly wrap = (adapter: KeyvStoreAdapter): KeyvStoreAdapter => {
    const check = (operation: Operation, key: unknown) => this.check(operation, String(key));
    const hold = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    return new Proxy(adapter, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        const operation: Operation | undefined =
          property === 'get' || property === 'getMany'
            ? 'read'
            : property === 'set' || property === 'delete'
              ? 'write'
              : undefined;
        if (!operation) return method.bind(target);
        return (...args: unknown[]) => {
          const keys = Array.isArray(args[0]) ? (args[0] as unknown[]) : [args[0]];
          let delayMs = 0;
          try {
            for (const key of keys) delayMs = Math.max(delayMs, check(operation, key));
          } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
          }
          return delayMs > 0 ? hold(delayMs).then(() => method.apply(target, args)) : method.apply(target, args);
        };
      },
    });
  };
}
