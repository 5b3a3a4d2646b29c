/**
 * fetch_qr_code_information: the QR code a payment names by URL, fetched by the extension (never by
 * the webview) and fetched again while the payment waits, before it expires.
 *
 * Only from the API's own origin: the origin of the current environment's base URL (for the local
 * sandbox, its loopback address). The HTTP is the service's `fetchQrCode` (a GET without the
 * api-key, following no redirect); this module decides whether a URL may be fetched at all, and
 * asks again before every fetch, since the environment can change in between. Any other URL is
 * never fetched: the model says why, and the webview offers to open it in the browser instead.
 *
 * Pure: no `vscode` (the fetch, the clock and the messages are handed in), so it is unit-tested in Node.
 */
import type { FetchedQrCode } from '../api/schemas';
import type { ToWebview } from '../shared/protocol';
import { qrFetchDecision } from '../domain/qrFetch';
import { fetchedQrView } from './nextActionView';

/** How often a fetched QR code is fetched again while the payment waits (sooner if it expires first). */
export const QR_REFRESH_MS = 10_000;
/** Never more often than this. */
export const QR_MIN_REFRESH_MS = 2000;

export type QrMessage = Extract<ToWebview, { type: 'qr' }>;

export interface QrRefresherDeps {
  paymentId: string;
  /** The service's fetchQrCode: GET without the api-key, no redirects. */
  fetch(url: string, signal: AbortSignal): Promise<FetchedQrCode>;
  /** The current environment's base URL (asked before every fetch). */
  apiBaseUrl(): string | undefined;
  post(message: QrMessage): void;
  warn(message: string): void;
  /** Aborted when the panel closes. */
  signal: AbortSignal;
  /** Called before every fetch (test instrumentation counts them). */
  onFetch?(): void;
  now?(): number;
  timers?: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void };
  refreshMs?: number;
}

const realTimers = {
  set: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clear: (h: unknown): void => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class QrRefresher {
  private url: string | undefined;
  private timer: unknown;
  private lastMessage: QrMessage | undefined;
  private refused: string | undefined;
  private fetching: string | undefined;
  private readonly timers;
  private readonly now: () => number;

  constructor(private readonly d: QrRefresherDeps) {
    this.timers = d.timers ?? realTimers;
    this.now = d.now ?? Date.now;
  }

  /** The last QR message posted (sent again to a webview that reloads). */
  last(): QrMessage | undefined {
    return this.lastMessage;
  }

  isScheduled(): boolean {
    return this.timer !== undefined;
  }

  /**
   * Keeps the QR code of `url` fresh (fetching it now if it is new, or if nothing is scheduled), or
   * stops when `url` is undefined (the payment no longer waits, or the panel is hidden).
   */
  sync(url: string | undefined): void {
    if (!url) {
      this.stop();
      return;
    }
    if (url === this.url && (this.timer !== undefined || this.fetching === url)) return;
    if (url !== this.url) this.lastMessage = undefined;
    this.url = url;
    this.clearTimer();
    void this.fetch(url);
  }

  stop(): void {
    this.clearTimer();
    this.url = undefined;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  private async fetch(url: string): Promise<void> {
    const decision = qrFetchDecision(url, this.d.apiBaseUrl());
    if (!decision.allowed) {
      // Never fetched. Said once per URL in the log; the model already tells the person.
      if (this.refused !== url) this.d.warn(`Inspector: not fetching the QR code of ${this.d.paymentId}: ${decision.reason}`);
      this.refused = url;
      return;
    }
    this.d.onFetch?.();
    this.fetching = url;
    let msg: QrMessage;
    try {
      const fetched = await this.d.fetch(url, this.d.signal);
      msg = { type: 'qr', paymentId: this.d.paymentId, qr: fetchedQrView(fetched), fetchedAt: new Date(this.now()).toISOString(), error: null };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.d.warn(`Inspector: could not fetch the QR code of ${this.d.paymentId}: ${message}`);
      msg = { type: 'qr', paymentId: this.d.paymentId, qr: this.lastMessage?.qr ?? null, fetchedAt: new Date(this.now()).toISOString(), error: message };
    } finally {
      if (this.fetching === url) this.fetching = undefined;
    }
    if (this.d.signal.aborted || this.url !== url) return;
    this.lastMessage = msg;
    this.d.post(msg);
    // Again before it expires, or every refreshMs, while the payment waits.
    const every = this.d.refreshMs ?? QR_REFRESH_MS;
    const expiresAt = msg.qr?.expiresAt;
    const untilExpiry = typeof expiresAt === 'number' ? expiresAt - this.now() - 1000 : every;
    const delay = Math.max(QR_MIN_REFRESH_MS, Math.min(every, untilExpiry));
    this.clearTimer();
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      if (this.url === url) void this.fetch(url);
    }, delay);
  }
}
