/**
 * PerfectPay Explorer's entry: wiring only. `activate` does no I/O and does not load the runtime
 * (the API client and the local sandbox, dist/runtime.js): the service loads it on its first
 * request through `loadRuntime` below (see "THE LAZY-RUNTIME CONVENTION" at the top of esbuild.mjs).
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Notifier } from './commands/notifier';
import { createStatusBar } from './environment/statusBar';
import { registerInspector, type Inspector } from './inspector';
import { createLogChannel, RequestLog } from './log/requestLog';
import { PaymentsServiceImpl } from './services/PaymentsServiceImpl';
import type { RuntimeModule } from './services/runtime';
import { PaymentsTreeProvider, VIEW_ID } from './tree/PaymentsTreeProvider';
import { revealViewOnStartupIfAsked } from './tree/revealOnStartup';

let runtime: RuntimeModule | undefined;
/** The heavy half, loaded on first use (dist/runtime.js beside dist/extension.js). */
export function loadRuntime(): RuntimeModule {
  return (runtime ??= require('./runtime.js') as RuntimeModule);
}
export function isRuntimeLoaded(): boolean {
  return runtime !== undefined;
}

/** What `activate` returns: for tests (`vscode.extensions.getExtension(...).exports`). */
export interface PerfectPayApi {
  service: PaymentsServiceImpl;
  tree: PaymentsTreeProvider;
  notifier: Notifier;
  log: vscode.LogOutputChannel;
  /** How long `activate` took, in ms. */
  activationMs: number;
  /** Whether dist/runtime.js has been loaded yet. */
  isRuntimeLoaded(): boolean;
  /** Whether it was loaded when `activate` returned (it must not be: activation does no I/O). */
  runtimeLoadedAtActivation: boolean;
  /** The payment inspector: its open panels (last model posted) and first-paint times. */
  inspector: Inspector;
}

let service: PaymentsServiceImpl | undefined;

export function activate(context: vscode.ExtensionContext): PerfectPayApi {
  const t0 = performance.now();
  const log = createLogChannel();
  const requestLog = new RequestLog(log);
  service = new PaymentsServiceImpl({
    loadRuntime,
    secrets: context.secrets,
    globalState: context.globalState,
    storageUri: context.globalStorageUri,
    log,
  });
  const tree = new PaymentsTreeProvider(service);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: false });
  tree.attach(view);
  const notifier = new Notifier(log);
  const inspector = registerInspector(context, { service, log });
  context.subscriptions.push(
    log,
    service,
    tree,
    view,
    notifier,
    service.onDidRequest((e) => requestLog.record(e)),
    createStatusBar(service),
    ...registerCommands({ service, tree, requestLog, notifier, inspector: () => inspector, log }),
  );
  revealViewOnStartupIfAsked();
  const activationMs = Math.round((performance.now() - t0) * 10) / 10;
  log.debug(`activate took ${activationMs} ms`);
  const runtimeLoadedAtActivation = isRuntimeLoaded() || require.cache[join(__dirname, 'runtime.js')] !== undefined;
  return { service, tree, notifier, log, activationMs, isRuntimeLoaded, runtimeLoadedAtActivation, inspector };
}

export async function deactivate(): Promise<void> {
  // Stops the local sandbox (saving its payments) and saves the history (dispose, via subscriptions, also runs).
  await service?.close();
  service = undefined;
}
