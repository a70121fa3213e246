/**
 * The simulator's clock. Simulated time runs `1 / timeScale` times faster than real time
 * (time scale 0.01: a 40-second job takes 0.4 s), and tests may jump it forward.
 */
export class SimClock {
  private readonly realStart = Date.now();
  private offsetMs = 0;

  constructor(readonly timeScale: number) {
    if (!(timeScale > 0)) throw new RangeError('timeScale must be greater than 0');
  }

  /** Simulated milliseconds since the epoch. */
  now(): number {
    return this.realStart + (Date.now() - this.realStart) / this.timeScale + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Real milliseconds that correspond to a simulated duration. */
  toRealMs(simulatedMs: number): number {
    return simulatedMs * this.timeScale;
  }
}
