/**
 * Test instrumentation of one inspector panel: counters, the last model posted, waiters for a model
 * or the first paint, and stand-ins for the modal confirmation and the browser. It exists only when
 * the extension runs in ExtensionMode.Test (src/inspector/index.ts passes the mode to each panel);
 * otherwise a panel has none and does none of this.
 *
 * Pure: no `vscode`.
 */
import type { InspectorModel, ToWebview } from '../shared/protocol';
import type { PanelUi } from './actions';

export interface PanelStats {
  posted: number;
  dropped: number;
  polls: number;
  qrFetches: number;
  webviewErrors: number;
  /** Times the page's HTML was set (the first load, and each load again of a page that did not paint). */
  pageLoads: number;
}

type Waiter<T> = { check(value: T): boolean };

export class PanelProbe {
  readonly stats: PanelStats = { posted: 0, dropped: 0, polls: 0, qrFetches: 0, webviewErrors: 0, pageLoads: 0 };
  /**
   * Stand-ins for parts of VS Code's UI that a test cannot drive from the extension host (a modal
   * dialog, the browser): set one and the panel uses it instead of VS Code's.
   */
  ui: Partial<PanelUi> = {};
  private model: InspectorModel | undefined;
  private paintMs: number | undefined;
  private readonly modelWaiters: Waiter<InspectorModel>[] = [];
  private readonly sent: ToWebview[] = [];
  private readonly warningList: string[] = [];
  private readonly messageWaiters: Waiter<ToWebview>[] = [];
  private readonly paintWaiters: Waiter<number>[] = [];

  constructor(
    readonly paymentId: string,
    private readonly panel: {
      isPolling(): boolean;
      isFetchingQr(): boolean;
      receive(data: unknown): Promise<void>;
    },
  ) {}

  // ------------------------------------------------------------------ fed by the panel

  modelPosted(m: InspectorModel): void {
    this.model = m;
    this.settle(this.modelWaiters, m);
  }

  /** Every message posted to the webview (the last 200 are kept). */
  messagePosted(m: ToWebview): void {
    this.stats.posted++;
    this.sent.push(m);
    if (this.sent.length > 200) this.sent.shift();
    this.settle(this.messageWaiters, m);
  }

  /** Every warning the panel wrote to the log (the last 200 are kept). */
  warned(message: string): void {
    this.warningList.push(message);
    if (this.warningList.length > 200) this.warningList.shift();
  }

  painted(ms: number): void {
    this.paintMs = ms;
    this.settle(this.paintWaiters, ms);
  }

  // ------------------------------------------------------------------ read by tests

  lastModel(): InspectorModel | undefined {
    return this.model;
  }

  firstPaintMs(): number | undefined {
    return this.paintMs;
  }

  isPolling(): boolean {
    return this.panel.isPolling();
  }

  /** A fetch_qr_code_information refresh is scheduled or running. */
  isFetchingQr(): boolean {
    return this.panel.isFetchingQr();
  }

  /** Handles `data` exactly as a message from the webview. */
  receive(data: unknown): Promise<void> {
    return this.panel.receive(data);
  }

  /** The first model (already posted or to come) that satisfies `pred`; `what` names it in a timeout. */
  waitForModel(pred: (m: InspectorModel) => boolean, what = 'a matching model', timeoutMs = 10_000): Promise<InspectorModel> {
    if (this.model && pred(this.model)) return Promise.resolve(this.model);
    return this.wait(this.modelWaiters, pred, timeoutMs,
      () => `${this.paymentId}: no inspector model with ${what} within ${timeoutMs} ms (last status: ${this.model?.status.value ?? 'none'})`);
  }

  /** The warnings the panel wrote to the log so far (the last 200), oldest first. */
  warnings(): readonly string[] {
    return this.warningList;
  }

  /** The messages posted to the webview so far (the last 200), oldest first. */
  messages(): readonly ToWebview[] {
    return this.sent;
  }

  /** The first message posted from now on that satisfies `pred`; `what` names it in a timeout. */
  waitForMessage(pred: (m: ToWebview) => boolean, what: string, timeoutMs = 10_000): Promise<ToWebview> {
    return this.wait(this.messageWaiters, pred, timeoutMs, () => `${this.paymentId}: no ${what} posted to the webview within ${timeoutMs} ms`);
  }

  /** Ms from the open to the webview's first paint, once it has painted. */
  waitForFirstPaint(timeoutMs = 15_000): Promise<number> {
    if (this.paintMs !== undefined) return Promise.resolve(this.paintMs);
    return this.wait(this.paintWaiters, () => true, timeoutMs, () => `${this.paymentId}: the inspector did not paint within ${timeoutMs} ms`);
  }

  private settle<T>(waiters: Waiter<T>[], value: T): void {
    for (const w of [...waiters]) if (w.check(value)) waiters.splice(waiters.indexOf(w), 1);
  }

  private wait<T>(waiters: Waiter<T>[], pred: (v: T) => boolean, timeoutMs: number, message: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        check: (v) => {
          if (!pred(v)) return false;
          clearTimeout(timer);
          resolve(v);
          return true;
        },
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(message()));
      }, timeoutMs);
      waiters.push(waiter);
    });
  }
}

/** `base` with the probe's stand-ins, looked up at each call (a test may set them at any time). */
export function uiWithStandIns(base: PanelUi, probe: PanelProbe): PanelUi {
  return {
    executeCommand: <T>(command: string, arg: unknown) => (probe.ui.executeCommand ?? base.executeCommand)<T>(command, arg),
    writeClipboard: (text) => (probe.ui.writeClipboard ?? base.writeClipboard)(text),
    confirm: (message, detail, button) => (probe.ui.confirm ?? base.confirm)(message, detail, button),
    openExternal: (url) => (probe.ui.openExternal ?? base.openExternal)(url),
  };
}
