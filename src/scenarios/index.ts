/**
 * Payment scenarios in VS Code: the Testing view's "PerfectPay Scenarios" (workspace files and the
 * built-in test-card matrix), CodeLens "Run scenario", and the scenario commands. One function,
 * called once by src/extension.ts: the four commands are registered at activation; the controller and
 * the CodeLens provider on `start`, which src/extension.ts calls after the view's first rows (each
 * registration is work for VS Code before it asks for them). No file is read until the Testing view
 * or a run asks.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { Notifier } from '../commands/notifier';
import type { PaymentsService } from '../services/PaymentsService';
import type { WebhookInboxHost } from '../services/webhookInbox';
import { ScenarioCodeLens } from './codeLens';
import { exportMatrixCommand, newScenarioFromPaymentCommand, runMatrixCommand, runScenarioCommand, scenarioCmd, type ScenarioCommandDeps } from './commands';
import { ScenarioController } from './controller';
import type { ScenarioEngine } from './engine';

export { scenarioCmd } from './commands';
export type { ScenarioController } from './controller';

/** Only in ExtensionMode.Test: resolves to the ScenarioController (the extension's own tests read its runs). */
export const SCENARIO_TEST_API_COMMAND = 'perfectpay.scenarios.testApi';

export interface ScenarioDeps {
  service: PaymentsService;
  notifier: Notifier;
  log: vscode.LogOutputChannel;
  /** The scenario engine (src/scenarioEngine), from the runtime bundle on first use. */
  engine: () => ScenarioEngine;
  /** The webhook inbox, which `expect_webhook` steps read. */
  inbox?: WebhookInboxHost;
}

/** The scenario commands (registered at once) and the Testing view's controller with the CodeLens (on `start`). */
export interface ScenarioRegistration extends vscode.Disposable {
  /** Makes the Testing view's controller and registers the CodeLens provider (once). */
  start(): void;
}

export function registerScenarios(context: vscode.ExtensionContext, deps: ScenarioDeps): ScenarioRegistration {
  let scenarios: ScenarioController | undefined;
  const controller = (): ScenarioController => {
    if (!scenarios) {
      scenarios = new ScenarioController(deps.service, deps.log, deps.engine, deps.inbox);
      scenarios.discoveredAtActivation = scenarios.discovered;
    }
    return scenarios;
  };
  // The commands reach the controller through a getter: one made on first use if `start` has not come yet.
  const d: ScenarioCommandDeps = { get scenarios() { return controller(); }, ...deps };
  const guarded =
    <A extends unknown[]>(id: string, f: (...a: A) => Promise<unknown>) =>
    async (...a: A): Promise<unknown> => {
      try {
        return await f(...a);
      } catch (e) {
        deps.log.error(`"${id}" failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        deps.notifier.error(l10n.t('"{0}" failed: {1}', id, e instanceof Error ? e.message : String(e)));
        return undefined;
      }
    };
  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(scenarioCmd.run, guarded(scenarioCmd.run, (arg?: unknown) => runScenarioCommand(d, arg))),
    vscode.commands.registerCommand(scenarioCmd.matrix, guarded(scenarioCmd.matrix, () => runMatrixCommand(d))),
    vscode.commands.registerCommand(scenarioCmd.exportMatrix, guarded(scenarioCmd.exportMatrix, () => exportMatrixCommand(d))),
    vscode.commands.registerCommand(scenarioCmd.fromPayment, guarded(scenarioCmd.fromPayment, (arg?: unknown) => newScenarioFromPaymentCommand(d, arg))),
  ];
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    disposables.push(vscode.commands.registerCommand(SCENARIO_TEST_API_COMMAND, () => controller()));
  }
  let started = false;
  return {
    start() {
      if (started) return;
      started = true;
      const s = controller();
      disposables.push(vscode.languages.registerCodeLensProvider({ pattern: '**/*.perfectpay.json' }, new ScenarioCodeLens(s)));
    },
    dispose() {
      for (const x of disposables.splice(0)) x.dispose();
      scenarios?.dispose();
    },
  };
}
