/**
 * Time as the emulator sees it. Discord's interaction rules (3 s to acknowledge, 15 min token) run on
 * this clock, so tests can jump past them with a `ManualClock` instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once the clock reaches `at`; returns a function that cancels it. */
  at(at: number, callback: () => void): () => void;
}

/** Real time. Timers are unref'd so a forgotten emulator never keeps a process alive. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  at(at: number, callback: () => void): () => void {
    const timer = setTimeout(callback, Math.max(0, at - Date.now()));
    timer.unref();
    return () => clearTimeout(timer);
  }
}

interface PendingTimer {
  at: number;
  callback: () => void;
}

/** A clock that only moves when told to; `advance` fires every timer that falls due, in order. */
export class ManualClock implements Clock {
  #now: number;
  #timers = new Set<PendingTimer>();

  constructor(start: number = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  at(at: number, callback: () => void): () => void {
    const timer: PendingTimer = { at, callback };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`ManualClock.advance expects a non-negative number of ms, got ${ms}`);
    const target = this.#now + ms;
    // Fire timers one at a time so a callback that schedules another due timer still sees it run.
    for (;;) {
      const due = [...this.#timers].filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due);
      this.#now = Math.max(this.#now, due.at);
      due.callback();
    }
    this.#now = target;
  }
}

export function isManualClock(clock: Clock): clock is ManualClock {
  return clock instanceof ManualClock;
}
