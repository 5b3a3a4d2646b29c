/**
 * The payment inspector: one webview panel per payment (a second open reveals it), restored after a
 * reload by a WebviewPanelSerializer from the state the webview keeps (paymentId + last model).
 *
 *   registerInspector(context, { service, log }) → { open(paymentId), panel(id), panels(), test? }
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

export interface Inspector {
  open(paymentId: string): Promise<void>;
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
      onDispose: (done) => {
        if (open.get(done.paymentId) === done) open.delete(done.paymentId);
      },
    }, startedAt, testMode, restoredTitle);
    open.set(paymentId, p);
    return p;
  };

  const inspector: Inspector = {
    async open(paymentId: string): Promise<void> {
      const startedAt = performance.now();
      const id = typeof paymentId === 'string' ? paymentId.trim() : '';
      if (!isPaymentId(id)) throw new Error(l10n.t('"{0}" is not a payment id.', String(paymentId).slice(0, 60)));
      const existing = open.get(id);
      if (existing && !existing.isDisposed()) {
        existing.reveal();
        return;
      }
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        l10n.t('Payment · {0}', id),
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        webviewOptions(context.extensionUri),
      );
      create(id, panel, startedAt, false);
      deps.log.debug(`Inspector: opened ${id}`);
    },
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
