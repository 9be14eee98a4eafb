/**
 * When the server process dies, the client starts it again, but not forever:
 * a server that keeps dying (a crash on some file it reads at start-up) would
 * otherwise restart in a loop. Kept apart from the vscode API so that the
 * policy is tested on its own.
 */

/** What to do about one unexpected stop of the server. */
export type CrashDecision =
  /** Start it again; `tell` is true the first time in the session only (one message, not one per crash). */
  | { restart: true; tell: boolean; recent: number }
  /** Too many stops in the window: stay stopped and say so. */
  | { restart: false; recent: number };

export class RestartPolicy {
  private readonly stops: number[] = [];
  private told = false;

  /** At most `max` restarts within any `windowMs`. */
  constructor(
    readonly max = 5,
    readonly windowMs = 3 * 60_000,
  ) {}

  /** Records a stop at time `now` (milliseconds) and decides. */
  onStop(now: number): CrashDecision {
    while (this.stops.length && now - this.stops[0]! > this.windowMs) this.stops.shift();
    if (this.stops.length >= this.max) return { restart: false, recent: this.stops.length };
    this.stops.push(now);
    const tell = !this.told;
    this.told = true;
    return { restart: true, tell, recent: this.stops.length };
  }
}
