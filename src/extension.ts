/**
 * PerfectPay Explorer's entry: wiring only. `activate` does no I/O and does not load the runtime
 * (the API client and the local sandbox, dist/runtime.js): the environment manager loads it on the
 * first request through `loadRuntime` below (see "THE LAZY-RUNTIME CONVENTION" at the top of
 * esbuild.mjs). Other extensions get nothing from `activate()`: its test API exists only when VS Code
 * runs the extension's own tests (ExtensionMode.Test).
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerAgentTools, type AgentToolsModule, type AgentToolsTestApi } from './agents';
import { registerCommands } from './commands';
import { Notifier } from './commands/notifier';
import { EnvironmentManager } from './environment/EnvironmentManager';
import type { RuntimeModule } from './environment/runtime';
import { createStatusBar } from './environment/statusBar';
import { registerInspector, type Inspector } from './inspector';
import { registerLinks, registerPaymentDocuments } from './links';
import { createLogChannel, RequestLog } from './log/requestLog';
import { registerScenarios } from './scenarios';
import type { ScenarioEngine } from './scenarios/engine';
import { PaymentsServiceImpl } from './services/PaymentsServiceImpl';
import { PaymentsTreeProvider, VIEW_ID } from './tree/PaymentsTreeProvider';
import { revealViewOnStartupIfAsked } from './tree/revealOnStartup';
import { whenFirstRowsOrSoon } from './tree/whenFirstRows';
import { WebhooksTreeProvider, WEBHOOKS_VIEW_ID } from './tree/WebhooksTreeProvider';
import { WebhookInboxHost } from './services/webhookInbox';

let runtime: RuntimeModule | undefined;
/** The heavy half, loaded on first use (dist/runtime.js beside dist/extension.js). */
function loadRuntime(): RuntimeModule {
  return (runtime ??= require('./runtime.js') as RuntimeModule);
}
let scenarioRuntime: ScenarioEngine | undefined;
/** The scenario engine, loaded when scenarios are first used (dist/scenarioRuntime.js). */
function loadScenarioEngine(): ScenarioEngine {
  return (scenarioRuntime ??= require('./scenarioRuntime.js') as ScenarioEngine);
}
let agentRuntime: AgentToolsModule | undefined;
/** The agent tools, loaded when a language model tool is first prepared (dist/agentRuntime.js). */
function loadAgentTools(): AgentToolsModule {
  return (agentRuntime ??= require('./agentRuntime.js') as AgentToolsModule);
}
function isRuntimeLoaded(): boolean {
  return runtime !== undefined;
}

/** What `activate` returns in ExtensionMode.Test only: for the extension's own tests. */
export interface PerfectPayTestApi {
  service: PaymentsServiceImpl;
  environments: EnvironmentManager;
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
  /** The request log, with its numbered exchanges. */
  requestLog: RequestLog;
  /** The Webhooks view and the webhook inbox. */
  webhooks: WebhooksTreeProvider;
  inbox: WebhookInboxHost;
  /** The integrated terminal's variables that the extension contributes (the local sandbox's key and URL). */
  terminalEnvironment: vscode.EnvironmentVariableCollection;
  /** The language model tools for agents. */
  agents: AgentToolsTestApi;
}

let closers: Array<{ close(): Promise<void> }> = [];

export function activate(context: vscode.ExtensionContext): PerfectPayTestApi | undefined {
  const t0 = performance.now();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const log = createLogChannel();
  const requestLog = new RequestLog(log);
  const environments = new EnvironmentManager({
    loadRuntime, secrets: context.secrets, state: context.globalState, storageUri: context.globalStorageUri, log,
    terminalEnvironment: context.environmentVariableCollection,
  });
  const service = new PaymentsServiceImpl({ environments, log, storageUri: context.globalStorageUri, legacyState: context.globalState });
  const tree = new PaymentsTreeProvider(service, environments);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: false });
  tree.attach(view);
  const notifier = new Notifier(log, testMode);
  const inbox = new WebhookInboxHost(environments, service);
  const webhooks = new WebhooksTreeProvider(service, inbox);
  const webhooksView = vscode.window.createTreeView(WEBHOOKS_VIEW_ID, { treeDataProvider: webhooks });
  webhooks.attach(webhooksView);
  const inspector = registerInspector(context, { service, log });
  const scenarios = registerScenarios(context, { service, notifier, log, engine: loadScenarioEngine, inbox });
  const agents = registerAgentTools(context, { service, load: loadAgentTools, scenarioEngine: loadScenarioEngine, inbox });
  closers = [service, environments];
  context.subscriptions.push(
    log,
    service,
    environments,
    tree,
    view,
    notifier,
    inbox,
    webhooks,
    webhooksView,
    environments.onDidRequest((e) => requestLog.record(e)),
    ...registerCommands({ service, environments, tree, requestLog, notifier, inspector: () => inspector, log, webhooks, inbox }),
    ...registerPaymentDocuments({ service, requestLog }),
    scenarios,
    ...agents.disposables,
  );
  // What the view's first rows do not need comes after them: VS Code handles every registration on its
  // UI thread before it asks the view for rows. A window activated another way (a command, a scenario
  // file) gets them a moment after activation.
  context.subscriptions.push(whenFirstRowsOrSoon(tree, () => {
    context.subscriptions.push(createStatusBar(environments), ...registerLinks({ service, environments }));
    scenarios.start();
  }));
  revealViewOnStartupIfAsked();
  const activationMs = Math.round((performance.now() - t0) * 10) / 10;
  log.debug(`activate took ${activationMs} ms`);
  if (!testMode) return undefined;
  const runtimeLoadedAtActivation = isRuntimeLoaded() || require.cache[join(__dirname, 'runtime.js')] !== undefined;
  return { service, environments, tree, notifier, log, activationMs, isRuntimeLoaded, runtimeLoadedAtActivation, inspector, requestLog, terminalEnvironment: context.environmentVariableCollection, agents: agents.test, webhooks, inbox };
}

export async function deactivate(): Promise<void> {
  // Saves the history and stops the local sandbox (saving its payments); dispose, via subscriptions, also runs.
  const c = closers;
  closers = [];
  await Promise.allSettled(c.map((x) => x.close()));
}
