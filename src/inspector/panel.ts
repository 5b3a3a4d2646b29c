/**
 * One inspector panel: one payment, one webview. It keeps the payment and its view model, and hands
 * the rest to one part each:
 *  - the Poller (poller.ts): reads the payment while it can change and the panel is on screen;
 *  - the QrRefresher (qrRefresher.ts): fetches a fetch_qr_code_information QR code, API origin only;
 *  - the ActionDispatcher (actions.ts): the panel's buttons, as the palette's commands;
 *  - the router (router.ts): every message from the webview validated and routed by type;
 *  - the PanelProbe (probe.ts): counters and waiters, only when the extension runs in test mode.
 *
 * A page on screen that has neither painted nor said ready within `firstPaintTimeoutMs` (4 s) (its
 * script never ran: a blank webview) is loaded again (then waited for twice as long), twice at most,
 * with a warning in the log; until it draws, the page shows "Loading…".
 *
 * It follows the service's change event (a palette action updates it) and its environment event.
 * Every message to the webview is validated before it is posted.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { Payment } from '../api/schemas';
import { paymentStillMoving } from '../domain/payment';
import type { PaymentsService } from '../services/PaymentsService';
import { parseToWebview, type ActionMessage, type InspectorModel, type ToWebview } from '../shared/protocol';
import { ActionDispatcher } from './actions';
import { inspectorHtml, toolkitCode, webviewOptions, type PageLoadOptions } from './html';
import { buildInspectorModel, panelTitle } from './model';
import { Poller } from '../model/poller';
import { PanelProbe, uiWithStandIns } from './probe';
import { QrRefresher } from './qrRefresher';
import { createRouter } from './router';
import type { TimelineAttempt, TimelineCapture, TimelineEvent } from './timeline';
import { vscodePanelUi } from './ui';

/** The latest the first read waits for the first paint. */
const READ_AFTER_PAINT_LATEST_MS = 1500;
/** How many times a page that does not paint is loaded again. */
const PAGE_RELOADS = 2;

export interface PanelDeps {
  service: PaymentsService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  pageLoad: Readonly<PageLoadOptions>;
  /** Called once, when the webview has painted its first model: ms since `open` began; `loads`: times its page was loaded. */
  onFirstPaint(paymentId: string, ms: number, webviewMs: number, marks: Record<string, number>, loads: number): void;
  /** The person used the panel (an action, a copy, a link, typing): a preview panel is kept. */
  onUsed(panel: InspectorPanel): void;
  onDispose(panel: InspectorPanel): void;
}

export class InspectorPanel {
  /** Test instrumentation: present only in ExtensionMode.Test. */
  readonly probe: PanelProbe | undefined;
  private payment: Payment | undefined;
  private receivedAt = new Date().toISOString();
  private attempts: readonly TimelineAttempt[] | undefined;
  private captures: readonly TimelineCapture[] | undefined;
  /** The payment's webhook events (for the timeline), and the re-read while one is not delivered yet. */
  private events: readonly TimelineEvent[] | undefined;
  private eventsTimer: ReturnType<typeof setTimeout> | undefined;
  private eventsReads = 0;
  private model: InspectorModel | undefined;
  private disposed = false;
  private inflight: Promise<void> | undefined;
  private followUp: ReturnType<typeof setTimeout> | undefined;
  private firstPaint: number | undefined;
  /** The first read, waiting for the first paint (see the constructor). */
  private readAfterPaint: ReturnType<typeof setTimeout> | undefined;
  /** Times the page's HTML was set; whether the page loaded last said 'ready'; the watch on its first paint. */
  private loads = 0;
  private pageReady = false;
  private paintWatch: ReturnType<typeof setTimeout> | undefined;
  private readonly abort = new AbortController();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly poller: Poller;
  private readonly qr: QrRefresher;
  private readonly actions: ActionDispatcher;
  private readonly route: (data: unknown) => Promise<void>;

  constructor(
    readonly paymentId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    /** performance.now() when `open` began (for the first-paint measure). */
    private readonly openedAt: number,
    /** The extension runs in ExtensionMode.Test: the panel carries its probe. */
    testMode: boolean,
    /** The title kept in the webview's saved state, for a panel restored after a reload. */
    restoredTitle?: string,
  ) {
    const { service } = deps;
    this.probe = testMode ? new PanelProbe(paymentId, {
      isPolling: () => this.poller.isScheduled(),
      isFetchingQr: () => this.qr.isScheduled(),
      receive: (data) => this.receive(data),
    }) : undefined;
    const ui = this.probe ? uiWithStandIns(vscodePanelUi(), this.probe) : vscodePanelUi();

    this.poller = new Poller({
      read: () => void this.refresh('poll'),
      canChange: () => !!this.payment && paymentStillMoving(this.payment),
      visible: () => !this.disposed && panel.visible,
      reading: () => this.inflight !== undefined,
    });
    this.qr = new QrRefresher({
      paymentId,
      fetch: (url, signal) => service.fetchQrCode(url, signal),
      apiBaseUrl: () => service.environment().baseUrl,
      post: (m) => this.post(m),
      warn: (m) => this.warn(m),
      signal: this.abort.signal,
      onFetch: () => { if (this.probe) this.probe.stats.qrFetches++; },
    });
    this.actions = new ActionDispatcher({
      paymentId,
      payment: () => this.payment ?? service.cached(paymentId),
      model: () => this.model,
      refresh: (cause, fresh) => this.refresh(cause, fresh),
      applyResult: (p, cause) => { if (p !== this.payment) this.onPaymentChanged(p, cause); },
      post: (m) => this.post(m),
      ui,
      warn: (m) => this.warn(m),
      localSandboxOrigin: () => {
        const env = service.environment();
        return env.kind === 'local' && env.baseUrl ? new URL(env.baseUrl).origin : undefined;
      },
    });
    this.route = createRouter({
      ready: () => this.onReady(),
      painted: (m) => this.onPainted(m.sinceLoadMs, m.marks ?? {}),
      action: (m) => { this.used(); return this.actions.run(m); },
      openUrl: async (m) => { this.used(); await this.actions.openUrl(m.url); },
      copy: (m) => { this.used(); return this.actions.copy(m); },
      revealSecret: () => { this.used(); return this.actions.revealSecret(); },
      keep: () => this.used(),
      toolkit: () => this.post({ type: 'toolkit', code: toolkitCode(deps.extensionUri) ?? null }),
      log: (m) => this.onWebviewLog(m.level, m.message),
    }, (description, error) => {
      if (this.probe) this.probe.stats.dropped++;
      this.warn(`Inspector: dropped an invalid message from the webview (${description}): ${error}`);
    });

    const webview = panel.webview;
    webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = {
      light: vscode.Uri.joinPath(deps.extensionUri, 'media', 'inspector-light.svg'),
      dark: vscode.Uri.joinPath(deps.extensionUri, 'media', 'inspector-dark.svg'),
    };
    const cached = service.cached(paymentId);
    panel.title = cached || !restoredTitle ? panelTitle(cached, paymentId) : restoredTitle;
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (this.disposed) return;
        // A hidden page is gone (its context is not retained): shown again, it loads and says ready anew.
        if (!panel.visible) this.pageReady = false;
        this.watchFirstPaint();
        this.poller.visibilityChanged();
        this.syncQr();
      }),
      service.onDidChangePayment((e) => {
        if (e.payment.payment_id === paymentId) this.onPaymentChanged(e.payment, e.cause);
      }),
      service.onDidChangeEnvironment(() => {
        this.poller.setGone(false);
        void this.refresh('retrieve');
      }),
    );
    if (cached) {
      // The row's payment is in the page itself (its first model: drawn without a round trip); the
      // read (with attempts and captures, for the timeline) follows the first paint, so that it does
      // not take the CPU the new webview is loading with. A panel opened hidden does not paint until
      // shown: the read goes anyway after a while.
      this.setPayment(cached, false);
      this.loadPage();
      this.readAfterPaint = setTimeout(() => this.readNow(), READ_AFTER_PAINT_LATEST_MS);
    } else {
      this.loadPage();
      void this.refresh('retrieve');
    }
  }

  /** Sets the page's HTML (with the model held now, if any) and watches for its first paint. */
  private loadPage(): void {
    const silent = this.loads < this.deps.pageLoad.silentLoads;
    this.loads++;
    this.pageReady = false;
    if (this.probe) this.probe.stats.pageLoads++;
    const webview = this.panel.webview;
    webview.html = inspectorHtml(webview, this.deps.extensionUri, this.paymentId, this.model, silent);
    this.watchFirstPaint();
  }

  /** (Re)starts the wait for the first paint, while the page is on screen and has not painted. */
  private watchFirstPaint(): void {
    clearTimeout(this.paintWatch);
    this.paintWatch = undefined;
    if (this.disposed || this.firstPaint !== undefined || !this.panel.visible) return;
    // Twice as long after each load again: a page that is only slow (a busy machine) is not cut short each time.
    const ms = this.deps.pageLoad.firstPaintTimeoutMs * 2 ** (this.loads - 1);
    this.paintWatch = setTimeout(() => {
      this.paintWatch = undefined;
      if (this.disposed || this.firstPaint !== undefined || !this.panel.visible) return;
      // A page that said ready runs: it draws (or shows "Loading…" until the first read answers). Only a
      // silent one (its script never ran: the blank webview) is loaded again; reloading a page that is only
      // slow, on a busy machine, would start it over.
      if (this.pageReady) return;
      const why = 'it did not say ready';
      if (this.loads > PAGE_RELOADS) {
        this.warn(`Inspector: the page of ${this.paymentId} has still not painted (${why}) after ${PAGE_RELOADS} reloads`);
        return;
      }
      this.warn(`Inspector: the page of ${this.paymentId} has not painted within ${ms} ms (${why}): loading it again (${this.loads} of ${PAGE_RELOADS})`);
      this.loadPage();
    }, ms);
  }

  /** The deferred first read (see the constructor), now. */
  private readNow(): void {
    if (this.readAfterPaint !== undefined) void this.refresh('retrieve');
  }

  // ------------------------------------------------------------------------------ lifecycle

  private used(): void {
    if (!this.disposed) this.deps.onUsed(this);
  }

  isDisposed(): boolean {
    return this.disposed;
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Active);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort();
    this.poller.dispose();
    this.qr.stop();
    clearTimeout(this.followUp);
    clearTimeout(this.eventsTimer);
    clearTimeout(this.readAfterPaint);
    clearTimeout(this.paintWatch);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.deps.onDispose(this);
  }

  /** Handles one message from the webview (validated, then routed by type). */
  receive(data: unknown): Promise<void> {
    return this.route(data);
  }

  // ------------------------------------------------------------------------------ the payment

  /** Reads the payment with its attempts and captures (for the timeline). */
  refresh(cause: 'retrieve' | 'poll', fresh = false): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (fresh) clearTimeout(this.followUp);
    // Any read does for the deferred first one.
    clearTimeout(this.readAfterPaint);
    this.readAfterPaint = undefined;
    // `fresh`: the answer must be read after now (not a read already on its way).
    if (this.inflight) return fresh ? this.inflight.then(() => this.refresh(cause)) : this.inflight;
    if (cause === 'poll' && this.probe) this.probe.stats.polls++;
    const run = (async () => {
      try {
        const p = await this.deps.service.retrievePayment(
          this.paymentId,
          { expandAttempts: true, expandCaptures: true },
          cause,
          this.abort.signal,
        );
        if (this.disposed) return;
        this.poller.setGone(false);
        // The service's change event usually delivered it already; if not (or not this object), use it.
        if (p !== this.payment) this.setPayment(p, true);
        this.eventsReads = 0;
        void this.readEvents();
      } catch (e) {
        if (this.disposed) return;
        const message = e instanceof Error ? e.message : String(e);
        this.warn(`Inspector: could not read ${this.paymentId}: ${message}`);
        this.post({ type: 'error', source: 'read', message: l10n.t('Could not read {0}: {1}', this.paymentId, message) });
        if ((e as { code?: unknown }).code === 'HE_02') this.poller.setGone(true);
        this.poller.failed();
      } finally {
        this.inflight = undefined;
        this.afterChange();
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
    const action: string[] = ['capture', 'cancel', 'confirm'] satisfies ActionMessage['action'][];
    if (!expanded && !changed && !action.includes(cause)) return;
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
    if (prevStatus !== undefined && prevStatus !== p.status) this.poller.reset();
    this.panel.title = panelTitle(p, this.paymentId);
    this.publish();
    this.syncQr();
    this.afterChange();
  }

  /** The next poll (or none), and the model's "Live" flag kept true to it. */
  private afterChange(): void {
    this.poller.schedule();
    if (this.model && this.model.polling !== this.poller.wants()) this.publish();
  }

  /**
   * Reads the payment's webhook events for the timeline (an environment whose key may not read them
   * shows none). While one is not delivered yet, and the panel is on screen, they are read again a
   * little later (a few times at most), so the timeline follows the deliveries and their retries.
   */
  private async readEvents(): Promise<void> {
    clearTimeout(this.eventsTimer);
    let events: readonly TimelineEvent[];
    try {
      events = (await this.deps.service.listEvents({ object_id: this.paymentId }, this.abort.signal)).events;
    } catch {
      return;
    }
    if (this.disposed) return;
    if (JSON.stringify(events) !== JSON.stringify(this.events)) {
      this.events = events;
      this.publish();
    }
    if (events.some((e) => e.is_delivery_successful === false) && this.panel.visible && this.eventsReads++ < 10) {
      this.eventsTimer = setTimeout(() => void this.readEvents(), 2000);
    }
  }

  private buildModel(): InspectorModel | undefined {
    if (!this.payment) return undefined;
    const env = this.deps.service.environment();
    return buildInspectorModel({
      payment: this.payment,
      history: this.deps.service.history(this.paymentId),
      environment: { label: env.label, supportsSimulate: env.supportsSimulate, baseUrl: env.baseUrl },
      receivedAt: this.receivedAt,
      polling: this.poller.wants(),
      attempts: this.attempts,
      captures: this.captures,
      events: this.events,
    });
  }

  private publish(): void {
    const model = this.buildModel();
    if (!model) return;
    this.model = model;
    // Posted even before the webview says it is ready: VS Code keeps messages for a webview until its
    // document has loaded, so a first model (the one the tree already had) is there when the page
    // starts instead of one round trip later. 'ready' posts the model again (after a reload of the
    // page, which drops what was kept).
    this.post({ type: 'model', model });
    this.probe?.modelPosted(model);
  }

  /** Keeps a fetch_qr_code_information QR fresh while the payment waits on screen (API origin only). */
  private syncQr(): void {
    const na = this.model?.nextAction;
    const waiting = this.payment?.status === 'requires_customer_action' && this.panel.visible && !this.disposed;
    this.qr.sync(na?.kind === 'fetchQr' && na.fetch.allowed && waiting ? na.fetchUrl.url : undefined);
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
    this.probe?.messagePosted(checked.value);
    void this.panel.webview.postMessage(checked.value);
  }

  private onReady(): void {
    this.pageReady = true;
    if (this.model) this.post({ type: 'model', model: this.model });
    const qr = this.qr.last();
    if (qr) this.post(qr);
    const busy = this.actions.busyMessage();
    if (busy) this.post(busy);
  }

  private onPainted(sinceLoadMs: number, marks: Record<string, number>): void {
    if (this.firstPaint !== undefined) return;
    this.firstPaint = Math.round((performance.now() - this.openedAt) * 10) / 10;
    clearTimeout(this.paintWatch);
    this.readNow();
    this.deps.log.debug(
      `Inspector: first paint of ${this.paymentId} ${this.firstPaint} ms after open (webview: ${Math.round(sinceLoadMs)} ms after its load began; ` +
        `marks ${Object.entries(marks).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')})`,
    );
    this.deps.onFirstPaint(this.paymentId, this.firstPaint, Math.round(sinceLoadMs * 10) / 10, marks, this.loads);
    this.probe?.painted(this.firstPaint);
  }

  /** A warning in the log (and, in tests, in the probe's record). */
  private warn(message: string): void {
    this.deps.log.warn(message);
    this.probe?.warned(message);
  }

  private onWebviewLog(level: 'info' | 'warn' | 'error', message: string): void {
    const line = `Inspector webview (${this.paymentId}): ${message}`;
    if (level === 'error') {
      if (this.probe) this.probe.stats.webviewErrors++;
      this.deps.log.error(line);
    } else if (level === 'warn') this.warn(line);
    else this.deps.log.info(line);
  }
}
