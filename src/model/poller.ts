/**
 * Adaptive polling while something is on screen (an inspector panel, the Payments view): a read every `firstMs` at first,
 * `factor` times less often after each read (up to `maxMs`) and faster again from the start when the
 * status changes or the panel is shown again; a failed read backs off once more. It stops when the
 * payment can no longer change (terminal), is gone (the server says it does not exist), or the
 * panel is hidden or closed.
 *
 * Pure: no `vscode`. The read, the conditions and the clock are handed in (unit-tested in Node).
 */
export const POLL = { firstMs: 2000, factor: 1.5, maxMs: 30_000 } as const;

export interface PollPolicy {
  firstMs: number;
  factor: number;
  maxMs: number;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface PollerDeps {
  /** Reads the payment (a 'poll'); the poller is told of the outcome through `schedule()` / `failed()`. */
  read(): void;
  /** The payment is known and can still change (not terminal). */
  canChange(): boolean;
  visible(): boolean;
  /** A read is on its way (the next one is scheduled when it ends). */
  reading(): boolean;
  policy?: PollPolicy;
  timers?: Timers;
}

export class Poller {
  private timer: unknown;
  private delay: number;
  private gone = false;
  private disposed = false;
  private wasVisible: boolean;
  private readonly policy: PollPolicy;
  private readonly timers: Timers;

  constructor(private readonly d: PollerDeps) {
    this.policy = d.policy ?? POLL;
    this.timers = d.timers ?? realTimers;
    this.delay = this.policy.firstMs;
    this.wasVisible = d.visible();
  }

  /** Whether the payment is to be polled now (what the webview shows as "Live"). */
  wants(): boolean {
    return !this.disposed && !this.gone && this.d.visible() && this.d.canChange();
  }

  isScheduled(): boolean {
    return this.timer !== undefined;
  }

  /** The delay before the next poll (for tests and the log). */
  nextDelay(): number {
    return this.delay;
  }

  /** After a read, or any change: the next poll, if polling is wanted (and no read is on its way). */
  schedule(): void {
    this.stop();
    if (!this.wants() || this.d.reading()) return;
    const delay = this.delay;
    this.delay = Math.min(this.policy.maxMs, Math.round(this.delay * this.policy.factor));
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      if (this.wants()) this.d.read();
    }, delay);
  }

  /** The status changed: poll soon again. */
  reset(): void {
    this.delay = this.policy.firstMs;
  }

  /** A read failed: back off (once more than an unchanged answer does). */
  failed(): void {
    this.delay = Math.min(this.policy.maxMs, Math.round(this.delay * this.policy.factor));
  }

  /** The server says the payment does not exist (HE_02): no polling until a read succeeds. */
  setGone(gone: boolean): void {
    this.gone = gone;
    if (gone) this.stop();
  }

  /**
   * The panel was shown or hidden (focus or column moves are ignored). Shown again: read now, then
   * poll from the start. Hidden: stop.
   */
  visibilityChanged(): void {
    if (this.disposed) return;
    const visible = this.d.visible();
    if (visible === this.wasVisible) return;
    this.wasVisible = visible;
    if (visible) {
      this.reset();
      this.d.read();
    } else {
      this.stop();
    }
  }

  stop(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }
}
