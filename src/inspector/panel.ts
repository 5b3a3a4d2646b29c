/**
 * One inspector panel: one payment, one webview. It keeps the payment fresh (polls while the
 * payment can still change and the panel is visible, backing off; follows the service's change
 * event so a palette action updates it), fetches fetch_qr_code_information QR codes on the
 * webview's behalf, and runs the panel's buttons as the same commands as the palette.
 *
 * Every message from the webview is validated (src/shared/protocol.ts) and dropped with a log
 * line when invalid; every message to it is validated before it is posted.
 */
import * as vscode from 'vscode';
import type { Attempt, Capture, Payment } from '../api/schemas';
import { formatMoney, parseMoney } from '../domain/money';
import { fetchedQrView, openableUrls } from './nextActionView';
import { isTerminal } from '../domain/status';
import type { PaymentsService } from '../services/PaymentsService';
import { describeDropped, parseFromWebview, parseToWebview, type ActionMessage, type FromWebview, type InspectorModel, type ToWebview } from '../shared/protocol';
import { inspectorHtml, webviewOptions } from './html';
import { buildInspectorModel, panelTitle } from './model';

/** The commands the panel's buttons run (the palette's own, with `{ paymentId, ...fields }`). */
export const COMMANDS = {
  confirm: 'perfectpay.confirmPayment',
  capture: 'perfectpay.capturePayment',
  cancel: 'perfectpay.cancelPayment',
  simulate: 'perfectpay.simulateCustomerAction',
  copyCurl: 'perfectpay.copyAsCurl',
  copyId: 'perfectpay.copyPaymentId',
} as const;

export const POLL = { firstMs: 2000, factor: 1.5, maxMs: 30_000 };
/** How often a fetch_qr_code_information QR is fetched again while the payment waits. */
export const QR_REFRESH_MS = 10_000;

const BUSY_LABELS: Record<ActionMessage['action'], string> = {
  confirm: 'Confirming…',
  capture: 'Capturing…',
  cancel: 'Cancelling…',
  simulate: 'Simulating the customer…',
  refresh: 'Refreshing…',
  copyCurl: 'Copying…',
  copyId: 'Copying…',
};

export interface PanelDeps {
  service: PaymentsService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  /** Called once, when the webview has painted its first model: ms since `open` began. */
  onFirstPaint(paymentId: string, ms: number, webviewMs: number, marks: Record<string, number>): void;
  onDispose(panel: InspectorPanel): void;
}

export class InspectorPanel {
  private payment: Payment | undefined;
  private receivedAt = new Date().toISOString();
  private attempts: readonly Attempt[] | undefined;
  private captures: readonly Capture[] | undefined;
  private model: InspectorModel | undefined;
  private readonly models: ((m: InspectorModel) => void)[] = [];
  private disposed = false;
  private webviewReady = false;
  private busy: ActionMessage['action'] | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private pollDelay = POLL.firstMs;
  private inflight: Promise<void> | undefined;
  private followUp: ReturnType<typeof setTimeout> | undefined;
  private qrTimer: ReturnType<typeof setTimeout> | undefined;
  private qrUrl: string | undefined;
  private lastQr: Extract<ToWebview, { type: 'qr' }> | undefined;
  private firstPaint: number | undefined;
  /** The server said the payment does not exist (HE_02): polling stops until a read succeeds. */
  private gone = false;
  private readonly paintWaiters: ((ms: number) => void)[] = [];
  private readonly abort = new AbortController();
  private readonly disposables: vscode.Disposable[] = [];
  /** Counts of what the panel did, for tests and the log. */
  readonly stats = { posted: 0, dropped: 0, polls: 0, qrFetches: 0, webviewErrors: 0 };

  constructor(
    readonly paymentId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    /** performance.now() when `open` began (for the first-paint measure). */
    private readonly openedAt: number,
    /** The title kept in the webview's saved state, for a panel restored after a reload. */
    restoredTitle?: string,
  ) {
    const webview = panel.webview;
    webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = {
      light: vscode.Uri.joinPath(deps.extensionUri, 'media', 'inspector-light.svg'),
      dark: vscode.Uri.joinPath(deps.extensionUri, 'media', 'inspector-dark.svg'),
    };
    const cached = deps.service.cached(paymentId);
    panel.title = cached || !restoredTitle ? panelTitle(cached, paymentId) : restoredTitle;
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => this.onVisibility()),
      deps.service.onDidChangePayment((e) => {
        if (e.payment.payment_id === paymentId) this.onPaymentChanged(e.payment, e.cause);
      }),
      deps.service.onDidChangeEnvironment(() => {
        this.gone = false;
        void this.refresh('retrieve');
      }),
    );
    webview.html = inspectorHtml(webview, deps.extensionUri, paymentId);
    if (cached) this.setPayment(cached, false);
    void this.refresh('retrieve');
  }

  // ------------------------------------------------------------------------------ for tests

  /** The last model posted to the webview. */
  lastModel(): InspectorModel | undefined {
    return this.model;
  }

  /** Resolves with the first model (already posted or to come) that satisfies `pred`. */
  waitForModel(pred: (m: InspectorModel) => boolean, timeoutMs = 10_000): Promise<InspectorModel> {
    if (this.model && pred(this.model)) return Promise.resolve(this.model);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.models.indexOf(check);
        if (i >= 0) this.models.splice(i, 1);
        reject(new Error(`no matching inspector model within ${timeoutMs} ms; last status: ${this.model?.status.value}`));
      }, timeoutMs);
      const check = (m: InspectorModel) => {
        if (!pred(m)) return;
        clearTimeout(timer);
        this.models.splice(this.models.indexOf(check), 1);
        resolve(m);
      };
      this.models.push(check);
    });
  }

  firstPaintMs(): number | undefined {
    return this.firstPaint;
  }

  waitForFirstPaint(timeoutMs = 15_000): Promise<number> {
    if (this.firstPaint !== undefined) return Promise.resolve(this.firstPaint);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the inspector did not paint within ${timeoutMs} ms`)), timeoutMs);
      this.paintWaiters.push((ms) => {
        clearTimeout(timer);
        resolve(ms);
      });
    });
  }

  isPolling(): boolean {
    return this.pollTimer !== undefined;
  }

  isDisposed(): boolean {
    return this.disposed;
  }

  // ------------------------------------------------------------------------------ lifecycle

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Active);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort();
    this.stopPolling();
    this.stopQr();
    clearTimeout(this.followUp);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.deps.onDispose(this);
  }

  private wasVisible = true;

  private onVisibility(): void {
    if (this.disposed) return;
    const visible = this.panel.visible;
    if (visible === this.wasVisible) return; // focus or column moves: nothing to do
    this.wasVisible = visible;
    if (visible) {
      // Back on screen: read it now, then poll again from the start.
      this.pollDelay = POLL.firstMs;
      void this.refresh('poll');
      this.syncQr();
    } else {
      this.stopPolling();
      this.stopQr();
    }
  }

  // ------------------------------------------------------------------------------ the payment

  /** Reads the payment with its attempts and captures (for the timeline). */
  refresh(cause: 'retrieve' | 'poll', fresh = false): Promise<void> {
    if (this.disposed) return Promise.resolve();
    // `fresh`: the answer must be read after now (not a read already on its way).
    if (this.inflight) return fresh ? this.inflight.then(() => this.refresh(cause)) : this.inflight;
    if (cause === 'poll') this.stats.polls++;
    const run = (async () => {
      try {
        const p = await this.deps.service.retrievePayment(
          this.paymentId,
          { expandAttempts: true, expandCaptures: true },
          cause,
          this.abort.signal,
        );
        if (this.disposed) return;
        this.gone = false;
        // The service's change event usually delivered it already; if not (or not this object), use it.
        if (p !== this.payment) this.setPayment(p, true);
      } catch (e) {
        if (this.disposed) return;
        const message = e instanceof Error ? e.message : String(e);
        this.deps.log.warn(`Inspector: could not read ${this.paymentId}: ${message}`);
        this.post({ type: 'error', message: `Could not read ${this.paymentId}: ${message}` });
        if ((e as { code?: unknown }).code === 'HE_02') this.gone = true;
        // Poll errors back off like unchanged answers.
        this.pollDelay = Math.min(POLL.maxMs, this.pollDelay * POLL.factor);
      } finally {
        this.inflight = undefined;
        this.schedulePoll();
      }
    })();
    this.inflight = run;
    return run;
  }

  private onPaymentChanged(p: Payment, cause: string): void {
    if (this.disposed || p === this.payment) return;
    const prev = this.payment;
    // An older answer (a list page read before our last poll) must not take us back in time.
    if (prev?.modified_at && p.modified_at && Date.parse(p.modified_at) < Date.parse(prev.modified_at)) return;
    const expanded = Array.isArray(p.attempts) || Array.isArray(p.captures);
    const changed =
      !prev ||
      prev.status !== p.status ||
      prev.amount_received !== p.amount_received ||
      prev.amount_capturable !== p.amount_capturable ||
      prev.modified_at !== p.modified_at ||
      prev.next_action?.type !== p.next_action?.type;
    if (!expanded && !changed && cause !== 'capture' && cause !== 'cancel' && cause !== 'confirm') return;
    this.setPayment(p, expanded);
    if (!expanded && changed) {
      // An action from the palette or the tree: show it now, then read the attempts and captures.
      clearTimeout(this.followUp);
      this.followUp = setTimeout(() => void this.refresh('poll', true), 150);
    }
  }

  private setPayment(p: Payment, expanded: boolean): void {
    const prevStatus = this.payment?.status;
    this.payment = p;
    this.receivedAt = new Date().toISOString();
    if (expanded || Array.isArray(p.attempts)) this.attempts = p.attempts ?? this.attempts;
    if (expanded || Array.isArray(p.captures)) this.captures = p.captures ?? this.captures;
    if (prevStatus !== undefined && prevStatus !== p.status) this.pollDelay = POLL.firstMs;
    this.panel.title = panelTitle(p, this.paymentId);
    this.publish();
    this.syncQr();
    this.schedulePoll();
  }

  private buildModel(): InspectorModel | undefined {
    if (!this.payment) return undefined;
    const env = this.deps.service.environment();
    return buildInspectorModel({
      payment: this.payment,
      history: this.deps.service.history(this.paymentId),
      environment: { label: env.label, supportsSimulate: env.supportsSimulate },
      receivedAt: this.receivedAt,
      polling: this.wantsPolling(),
      attempts: this.attempts,
      captures: this.captures,
    });
  }

  private publish(): void {
    const model = this.buildModel();
    if (!model) return;
    this.model = model;
    if (this.webviewReady) this.post({ type: 'model', model });
    for (const f of [...this.models]) f(model);
  }

  // ------------------------------------------------------------------------------ polling

  private wantsPolling(): boolean {
    return !this.disposed && !this.gone && this.panel.visible && !!this.payment && !isTerminal(this.payment.status);
  }

  private schedulePoll(): void {
    this.stopPolling();
    if (!this.wantsPolling() || this.inflight) {
      if (this.model && this.model.polling !== this.wantsPolling()) this.publish();
      return;
    }
    const delay = this.pollDelay;
    this.pollDelay = Math.min(POLL.maxMs, Math.round(this.pollDelay * POLL.factor));
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.refresh('poll');
    }, delay);
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  // ------------------------------------------------------------------------------ fetched QR codes

  /** Fetches a fetch_qr_code_information QR (through the service, never the webview) while it is wanted. */
  private syncQr(): void {
    const na = this.model?.nextAction;
    const url = na?.kind === 'fetchQr' && this.payment?.status === 'requires_customer_action' && this.panel.visible
      ? na.fetchUrl.url
      : undefined;
    if (!url) {
      this.stopQr();
      return;
    }
    if (url === this.qrUrl && this.qrTimer !== undefined) return;
    if (url !== this.qrUrl) this.lastQr = undefined;
    this.qrUrl = url;
    this.stopQr(false);
    void this.fetchQr(url);
  }

  private stopQr(forget = true): void {
    if (this.qrTimer !== undefined) clearTimeout(this.qrTimer);
    this.qrTimer = undefined;
    if (forget) this.qrUrl = undefined;
  }

  private async fetchQr(url: string): Promise<void> {
    this.stats.qrFetches++;
    let msg: Extract<ToWebview, { type: 'qr' }>;
    try {
      const fetched = await this.deps.service.fetchQrCode(url, this.abort.signal);
      msg = { type: 'qr', paymentId: this.paymentId, qr: fetchedQrView(fetched), fetchedAt: new Date().toISOString(), error: null };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.deps.log.warn(`Inspector: could not fetch the QR code of ${this.paymentId}: ${message}`);
      msg = { type: 'qr', paymentId: this.paymentId, qr: this.lastQr?.qr ?? null, fetchedAt: new Date().toISOString(), error: message };
    }
    if (this.disposed || this.qrUrl !== url) return;
    this.lastQr = msg;
    this.post(msg);
    // Again before it expires, or every QR_REFRESH_MS, while the payment waits.
    const expiresAt = msg.qr?.expiresAt;
    const untilExpiry = typeof expiresAt === 'number' ? expiresAt - Date.now() - 1000 : QR_REFRESH_MS;
    const delay = Math.max(2000, Math.min(QR_REFRESH_MS, untilExpiry));
    this.qrTimer = setTimeout(() => {
      this.qrTimer = undefined;
      if (this.qrUrl === url) void this.fetchQr(url);
    }, delay);
  }

  // ------------------------------------------------------------------------------ messages

  private post(message: ToWebview): void {
    if (this.disposed) return;
    const checked = parseToWebview(message);
    if (!checked.ok) {
      // A bug on this side: never send what the webview would refuse.
      this.deps.log.error(`Inspector: not sending an invalid ${message.type} message: ${checked.error}`);
      return;
    }
    this.stats.posted++;
    void this.panel.webview.postMessage(checked.value);
  }

  /** Handles one message from the webview (public for tests: the same path as a real message). */
  async receive(data: unknown): Promise<void> {
    const parsed = parseFromWebview(data);
    if (!parsed.ok) {
      this.stats.dropped++;
      this.deps.log.warn(`Inspector: dropped an invalid message from the webview (${describeDropped(data)}): ${parsed.error}`);
      return;
    }
    await this.handle(parsed.value);
  }

  private async handle(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.webviewReady = true;
        if (this.model) this.post({ type: 'model', model: this.model });
        if (this.lastQr) this.post(this.lastQr);
        if (this.busy) this.post({ type: 'busy', busy: true, action: BUSY_LABELS[this.busy] });
        return;
      case 'painted':
        if (this.firstPaint === undefined) {
          this.firstPaint = Math.round((performance.now() - this.openedAt) * 10) / 10;
          this.deps.log.debug(
            `Inspector: first paint of ${this.paymentId} ${this.firstPaint} ms after open (webview: ${Math.round(m.sinceLoadMs)} ms after its load began; ` +
              `marks ${Object.entries(m.marks ?? {}).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')})`,
          );
          this.deps.onFirstPaint(this.paymentId, this.firstPaint, Math.round(m.sinceLoadMs * 10) / 10, m.marks ?? {});
          for (const f of this.paintWaiters.splice(0)) f(this.firstPaint);
        }
        return;
      case 'action':
        await this.runAction(m);
        return;
      case 'openUrl':
        await this.openUrl(m.url);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        this.post({ type: 'notice', message: `Copied ${m.what ?? 'to the clipboard'}.` });
        return;
      case 'revealSecret': {
        const secret = this.payment?.client_secret ?? this.deps.service.cached(this.paymentId)?.client_secret ?? null;
        this.post({ type: 'secret', paymentId: this.paymentId, value: secret ?? null });
        return;
      }
      case 'log': {
        const line = `Inspector webview (${this.paymentId}): ${m.message}`;
        if (m.level === 'error') {
          this.stats.webviewErrors++;
          this.deps.log.error(line);
        }
        else if (m.level === 'warn') this.deps.log.warn(line);
        else this.deps.log.info(line);
        return;
      }
    }
  }

  /** Only a URL the current model offers, and only http(s); the person confirms it first. */
  private async openUrl(url: string): Promise<void> {
    const offered = openableUrls(this.model?.nextAction ?? null);
    if (!offered.includes(url)) {
      this.deps.log.warn(`Inspector: refused to open a URL that the payment does not offer (${url.slice(0, 80)})`);
      return;
    }
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(url, true);
    } catch {
      return;
    }
    if (uri.scheme !== 'http' && uri.scheme !== 'https') return;
    const open = 'Open';
    const answer = await vscode.window.showWarningMessage(
      `Open this ${uri.scheme.toUpperCase()} page in your browser?`,
      { modal: true, detail: `${url}\n\nHost: ${uri.authority}\n\nIt was sent by the payments server as this payment's next_action.` },
      open,
    );
    if (answer === open) await vscode.env.openExternal(uri);
  }

  private async runAction(m: ActionMessage): Promise<void> {
    const id = this.paymentId;
    if (m.action === 'refresh') {
      this.setBusy('refresh');
      try {
        await this.refresh('retrieve');
      } finally {
        this.setBusy(null);
      }
      return;
    }
    if (m.action === 'copyId') {
      await vscode.commands.executeCommand(COMMANDS.copyId, { paymentId: id });
      this.post({ type: 'notice', message: 'Copied the payment ID.' });
      return;
    }
    if (m.action === 'copyCurl') {
      const text = await vscode.commands.executeCommand<string | undefined>(COMMANDS.copyCurl, { paymentId: id, request: 'retrieve' });
      if (text) this.post({ type: 'notice', message: 'Copied the cURL command (the key is read from $PERFECTPAY_API_KEY).' });
      return;
    }
    if (this.busy) {
      this.post({ type: 'notice', message: 'Wait for the running action to finish.' });
      return;
    }
    let command: string;
    let arg: Record<string, unknown>;
    switch (m.action) {
      case 'confirm':
        command = COMMANDS.confirm;
        arg = { paymentId: id };
        break;
      case 'capture': {
        const p = this.payment;
        const text = (m.amount ?? '').trim();
        if (!p || text === '') {
          arg = { paymentId: id, all: true };
        } else {
          const parsed = parseMoney(text, p.currency);
          const capturable = p.amount_capturable ?? 0;
          if (!parsed.ok) {
            this.post({ type: 'error', message: parsed.reason });
            return;
          }
          if (parsed.minor > capturable) {
            this.post({ type: 'error', message: `That is more than can be captured: at most ${formatMoney(capturable, p.currency)}.` });
            return;
          }
          arg = parsed.minor === capturable ? { paymentId: id, all: true } : { paymentId: id, amount_to_capture: parsed.minor };
        }
        command = COMMANDS.capture;
        break;
      }
      case 'cancel':
        command = COMMANDS.cancel;
        arg = { paymentId: id, cancellation_reason: m.reason?.trim() ? m.reason.trim() : undefined };
        break;
      case 'simulate':
        command = COMMANDS.simulate;
        arg = { paymentId: id, outcome: m.outcome };
        break;
    }
    this.setBusy(m.action);
    try {
      const result = await vscode.commands.executeCommand<Payment | undefined>(command, arg);
      if (result && typeof result === 'object' && result.payment_id === id && result !== this.payment) {
        this.onPaymentChanged(result, m.action);
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.post({ type: 'error', message });
    } finally {
      this.setBusy(null);
    }
    // The answer of an action has no attempts or captures: read them for the timeline.
    clearTimeout(this.followUp);
    await this.refresh('poll', true);
  }

  private setBusy(action: ActionMessage['action'] | null): void {
    this.busy = action;
    this.post({ type: 'busy', busy: action !== null, action: action ? BUSY_LABELS[action] : null });
  }
}
