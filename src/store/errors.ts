/**
 * The store could not be read or written (the database is busy, locked, gone or full). Nothing is
 * assumed in its place: a caller refuses what it was doing ("try again in a moment") or retries
 * later, and never treats the record as absent or writes defaults over it.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'store_unavailable';

  constructor(operation: 'read' | 'write' | 'delete', key: string, cause: unknown) {
    super(`store ${operation} of ${key} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** What a member reads when the store is down: nothing was done, and it is worth trying again. */
export const isStoreUnavailable = (error: unknown): error is StoreUnavailableError =>
  error instanceof StoreUnavailableError;
