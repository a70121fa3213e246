/**
 * Runs work one at a time per key, in arrival order; different keys run concurrently. Used where a
 * read-modify-write must not interleave with another for the same thing (a store record, one
 * member's admission), within this process — a guild belongs to one process.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      // Forget the key once nothing else queued behind this work.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
