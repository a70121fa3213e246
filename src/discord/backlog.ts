import { performance } from 'node:perf_hooks';

/** Matches the path of an interaction's first response: `/interactions/{id}/{token}/callback`. */
const CALLBACK_PATH = /^\/interactions\/(\d+)\/[^/]+\/callback/;

/** The interaction a REST path answers, when it is an interaction's first response. */
export function interactionOfCallback(path: string): string | undefined {
  return CALLBACK_PATH.exec(path)?.[1];
}

/**
 * Interactions received and not yet answered. Provider work (submits and status queries) waits
 * while there are any: Discord allows 3 s for the first response, and a provider does not notice
 * a submit that leaves a few milliseconds later. In a burst of 200 /imagine this halves the
 * bot's CPU before the last acknowledgement. An interaction holds the providers for at most
 * `holdMs`, so one that is never answered cannot stall them.
 */
export class InteractionBacklog {
  /** Interaction id → when it arrived (insertion order is arrival order). */
  private readonly waiting = new Map<string, number>();

  constructor(
    private readonly holdMs = 1_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  received(interactionId: string): void {
    this.waiting.set(interactionId, this.now());
  }

  answered(interactionId: string): void {
    this.waiting.delete(interactionId);
  }

  /** Records the answer when `path` is an interaction callback (for the REST client's response event). */
  answeredByRequest(path: string): void {
    const match = CALLBACK_PATH.exec(path);
    if (match?.[1]) this.answered(match[1]);
  }

  /** Whether an interaction that arrived within `holdMs` still waits for its first response. */
  busy(): boolean {
    const now = this.now();
    for (const [interactionId, arrivedAt] of this.waiting) {
      if (now - arrivedAt < this.holdMs) return true;
      // Oldest first: anything past the hold no longer counts.
      this.waiting.delete(interactionId);
    }
    return false;
  }
}
