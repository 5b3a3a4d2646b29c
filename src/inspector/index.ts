/**
 * The payment inspector: one webview panel per payment (a second open reveals it), restored after a
 * reload by a WebviewPanelSerializer from the state the webview keeps (paymentId + last model).
 *
 *   registerInspector(context, { service, log }) → { open(paymentId, { preview? }), panel(id), panels(), previewId(), test? }
 *
 * Preview panels (a tree row's single click), as VS Code's preview editors: at most one; the next
 * preview open replaces it in its place (one tab), unless it was kept. A panel is kept when it is opened
 * otherwise (palette, Open by ID, a message's Inspect), when the same payment is previewed again within
 * DOUBLE_CLICK_MS (a double click runs the row's command twice), or when it is used (an action, a copy,
 * a link, typing). A restored panel is kept.
 *
 * When the extension runs in ExtensionMode.Test (context.extensionMode), each panel carries a probe
 * (counters, waiters: src/inspector/probe.ts) and `test` gives the tests and the bench the probes
 * and the first-paint times. Otherwise neither exists.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { isPaymentId } from '../domain/ids';
import type { PaymentsService } from '../services/PaymentsService';
import { DEFAULT_PAGE_LOAD, VIEW_TYPE, webviewOptions, type PageLoadOptions } from './html';
import type { InspectorPanel } from './panel';
import type { PanelProbe } from './probe';

/**
 * The panel and everything it needs (the protocol's zod schemas, the view models) are loaded on the
 * first open or restore, not at activation: building the schemas alone costs ~15 ms. The bundler
 * turns this require into a lazily initialised module of the same bundle.
 */
type PanelModule = typeof import('./panel');
type ProtocolModule = typeof import('../shared/protocol');
let panelModule: PanelModule | undefined;
let protocolModule: ProtocolModule | undefined;
const loadPanel = (): PanelModule => (panelModule ??= require('./panel') as PanelModule);
const loadProtocol = (): ProtocolModule => (protocolModule ??= require('../shared/protocol') as ProtocolModule);

export { VIEW_TYPE } from './html';
export type { InspectorPanel } from './panel';
export type { PanelProbe } from './probe';

export interface FirstPaint {
  paymentId: string;
  /** From the start of `open` (or of the restore) to the webview's first render of a model. */
  ms: number;
  /** Of which: from the start of the webview document's load to its first render. */
  webviewMs: number;
  /** The webview's own performance.now() marks (scriptStart, registered, modelIn, drawn). */
  marks: Record<string, number>;
  restored: boolean;
  /** Its page was loaded again before it painted (src/inspector/panel.ts). */
  reloaded: boolean;
}

/** What tests and the bench read; present only in ExtensionMode.Test. */
export interface InspectorTestHooks {
  /** The probe of a payment's open panel. */
  probe(paymentId: string): PanelProbe | undefined;
  /** Every first paint measured in this session, oldest first. */
  readonly firstPaints: readonly FirstPaint[];
  lastFirstPaintMs(): number | undefined;
  /** How panels opened from now on load their page (a shorter first-paint wait, silent first loads). */
  pageLoad: PageLoadOptions;
}

/** A second preview open of the same payment within this time is a double click: it keeps the panel. */
export const DOUBLE_CLICK_MS = 500;

export interface OpenOptions {
  /** A preview (a tree row's click): replaces the previous preview panel unless that one was kept. */
  preview?: boolean;
}

export interface Inspector {
  open(paymentId: string, options?: OpenOptions): Promise<void>;
  /** The payment whose panel is the preview (not kept yet), if any. */
  previewId(): string | undefined;
  /** The open panel of a payment, if any. */
  panel(paymentId: string): InspectorPanel | undefined;
  panels(): InspectorPanel[];
  /** Test instrumentation: undefined unless the extension runs in ExtensionMode.Test. */
  readonly test: InspectorTestHooks | undefined;
}

export function registerInspector(
  context: vscode.ExtensionContext,
  deps: { service: PaymentsService; log: vscode.LogOutputChannel },
): Inspector {
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const open = new Map<string, InspectorPanel>();
  const firstPaints: FirstPaint[] = [];
  const restoredIds = new Set<string>();
  const pageLoad: PageLoadOptions = { ...DEFAULT_PAGE_LOAD };
  /** The preview panel's payment (undefined: none, or it was kept), and the last preview open (for double clicks). */
  let preview: string | undefined;
  let lastPreviewOpen: { id: string; at: number } | undefined;
  const keep = (paymentId: string): void => {
    if (preview === paymentId) {
      preview = undefined;
      deps.log.debug(`Inspector: kept ${paymentId}`);
    }
  };

  const create = (paymentId: string, panel: vscode.WebviewPanel, startedAt: number, restored: boolean, restoredTitle?: string): InspectorPanel => {
    if (restored) restoredIds.add(paymentId);
    const p = new (loadPanel().InspectorPanel)(paymentId, panel, {
      service: deps.service,
      log: deps.log,
      extensionUri: context.extensionUri,
      pageLoad: testMode ? pageLoad : DEFAULT_PAGE_LOAD,
      onFirstPaint: (id, ms, webviewMs, marks, loads) => {
        const wasRestored = restoredIds.delete(id);
        if (!testMode) return;
        firstPaints.push({ paymentId: id, ms, webviewMs, marks, restored: wasRestored, reloaded: loads > 1 });
        if (firstPaints.length > 100) firstPaints.shift();
      },
      onUsed: (used) => keep(used.paymentId),
      onDispose: (done) => {
        if (open.get(done.paymentId) === done) open.delete(done.paymentId);
        if (preview === done.paymentId && !open.has(done.paymentId)) preview = undefined;
      },
    }, startedAt, testMode, restoredTitle);
    open.set(paymentId, p);
    return p;
  };

  const inspector: Inspector = {
    async open(paymentId: string, options: OpenOptions = {}): Promise<void> {
      const startedAt = performance.now();
      const id = typeof paymentId === 'string' ? paymentId.trim() : '';
      if (!isPaymentId(id)) throw new Error(l10n.t('"{0}" is not a payment id.', String(paymentId).slice(0, 60)));
      const asPreview = options.preview === true;
      const now = Date.now();
      const doubleClick = asPreview && lastPreviewOpen?.id === id && now - lastPreviewOpen.at < DOUBLE_CLICK_MS;
      lastPreviewOpen = asPreview && !doubleClick ? { id, at: now } : undefined;
      const existing = open.get(id);
      if (existing && !existing.isDisposed()) {
        if (!asPreview || doubleClick) keep(id);
        existing.reveal();
        return;
      }
      // The preview (not kept) gives its place to this one: the new panel opens in its column, then it closes.
      const replaced = asPreview && preview !== undefined ? open.get(preview) : undefined;
      const viewColumn = replaced?.panel.viewColumn ?? vscode.ViewColumn.Active;
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        l10n.t('Payment · {0}', id),
        { viewColumn, preserveFocus: false },
        webviewOptions(context.extensionUri),
      );
      create(id, panel, startedAt, false);
      if (asPreview) preview = id;
      replaced?.dispose();
      deps.log.debug(`Inspector: opened ${id}${asPreview ? ' (preview)' : ''}`);
    },
    previewId: () => preview,
    panel: (paymentId) => open.get(paymentId),
    panels: () => [...open.values()],
    test: testMode
      ? {
          probe: (paymentId) => open.get(paymentId)?.probe,
          firstPaints,
          lastFirstPaintMs: () => firstPaints[firstPaints.length - 1]?.ms,
          pageLoad,
        }
      : undefined,
  };

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const startedAt = performance.now();
        const parsed = loadProtocol().parseWebviewState(state);
        if (!parsed.ok) {
          deps.log.warn(`Inspector: not restoring a panel whose saved state is invalid (${parsed.error})`);
          panel.dispose();
          return;
        }
        const id = parsed.value.paymentId;
        const existing = open.get(id);
        if (existing && !existing.isDisposed()) {
          // Already open (opened before the restore ran): keep one panel per payment.
          panel.dispose();
          existing.reveal();
          return;
        }
        create(id, panel, startedAt, true, parsed.value.model?.title);
        deps.log.debug(`Inspector: restored ${id}`);
      },
    }),
    { dispose: () => [...open.values()].forEach((p) => p.dispose()) },
  );

  return inspector;
}
