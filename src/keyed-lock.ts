/**
 * Runs work one at a time per key, in arrival order; different keys run concurrently. Used where a
 * read-modify-write must not interleave with another for the same thing (a store record, one
 * member's admission, one job's steps), within this process.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `work` once everything queued before it for `key` has finished. With a `signal`, a caller
   * that gives up waiting before its turn comes is rejected with the signal's reason and its work
   * never runs; once the work has started, the signal no longer matters.
   */
  run<T>(key: string, work: () => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    const { signal } = options;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let started = false;
    const ran = previous.then(() => {
      if (signal?.aborted) return undefined;
      started = true;
      return work();
    });
    const tail = ran.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      // Forget the key once nothing else queued behind this work.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    if (!signal) return ran as Promise<T>;
    const gaveUp = new Promise<never>((_, reject) => {
      const abort = () => {
        if (!started)
          reject(signal.reason instanceof Error ? signal.reason : new Error('gave up waiting for the lock'));
      };
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
      void tail.then(() => signal.removeEventListener('abort', abort));
    });
    // `ran` settles with undefined when the caller gave up: then `gaveUp` has already rejected.
    return Promise.race([ran as Promise<T>, gaveUp]);
  }
}
