/**
 * The scenario commands: Run Scenario (CodeLens, palette), Run Test Card Matrix, Export Test Card
 * Matrix Results (Markdown), New Scenario from Payment. Each resolves to its result for the
 * extension's tests and never rejects (a failure is told to the person).
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { Payment } from '../api/schemas';
import { parseArg } from '../commands/args';
import type { MessageAction, Notifier } from '../commands/notifier';
import { shortId } from '../domain/ids';
import { formatMoney } from '../domain/money';
import { errorInfo } from '../environment/errors';
import { SCENARIO_SUFFIX } from '../domain/scenarioFiles';
import type { ScenarioResult } from './engine';
import type { PaymentsService } from '../services/PaymentsService';
import { COMMAND_IDS } from '../domain/commandIds';
import { RUN_SCENARIO } from './codeLens';
import { isScenarioUri, type ScenarioController } from './controller';

export const scenarioCmd = {
  run: RUN_SCENARIO,
  matrix: COMMAND_IDS.runMatrix,
  exportMatrix: COMMAND_IDS.exportMatrix,
  fromPayment: COMMAND_IDS.newScenario,
} as const;

export interface ScenarioCommandDeps {
  scenarios: ScenarioController;
  service: PaymentsService;
  notifier: Notifier;
  log: vscode.LogOutputChannel;
}

export interface MatrixSummary {
  environment: string;
  passed: number;
  differ: number;
  notRun: number;
  results: Map<string, ScenarioResult>;
}

const showResults = (): MessageAction => ({ title: l10n.t('Show Test Results'), run: () => vscode.commands.executeCommand('workbench.view.testing.focus') });

/** `perfectpay.runScenario(uri?)`: runs the file's scenario (the active editor's by default). */
export async function runScenarioCommand(d: ScenarioCommandDeps, arg?: unknown): Promise<ScenarioResult | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : vscode.window.activeTextEditor?.document.uri;
  if (!uri || !isScenarioUri(uri)) {
    d.notifier.info(l10n.t('Open a scenario file (*{0}) to run it, or run scenarios from the Testing view.', SCENARIO_SUFFIX));
    return undefined;
  }
  const result = await d.scenarios.runFile(uri);
  if (!result) {
    const problems = d.scenarios.problemCount(uri);
    d.notifier.error(
      problems === 1
        ? l10n.t('The scenario has a problem: see the Problems view.')
        : problems
          ? l10n.t('The scenario has {0} problems: see the Problems view.', problems)
          : l10n.t('The scenario could not be read.'),
      { title: l10n.t('Show Problems'), run: () => vscode.commands.executeCommand('workbench.actions.view.problems') },
    );
  } else if (result.outcome === 'refused') {
    d.notifier.warn(result.message ?? l10n.t('The scenario was not run.'));
  }
  return result;
}

/** `perfectpay.runTestCardMatrix`: every card and method of the contract, in the Testing view. */
export async function runMatrixCommand(d: ScenarioCommandDeps): Promise<MatrixSummary | undefined> {
  const env = d.service.environment();
  let allowCustom = false;
  if (env.kind === 'custom') {
    const run = l10n.t('Run');
    const go = await vscode.window.showWarningMessage(
      l10n.t('Run the test-card matrix against {0}? It makes {1} payments there.', env.label, d.scenarios.engine().MATRIX_ROWS.length),
      { modal: true, detail: l10n.t('Scenarios run on a custom URL only when they say so; the matrix asks instead.') },
      run,
    );
    if (go !== run) return undefined;
    allowCustom = true;
  }
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t('PerfectPay: test-card matrix on {0}', env.label), cancellable: true },
    (progress, token) =>
      d.scenarios.run(new vscode.TestRunRequest([d.scenarios.matrix()]), token, {
        allowCustom,
        onScenarioDone: (done, total) => progress.report({ message: l10n.t('{0} of {1}', done, total), increment: 100 / total }),
      }),
  );
  let passed = 0;
  let differ = 0;
  let notRun = 0;
  for (const row of d.scenarios.engine().MATRIX_ROWS) {
    const r = results.get(row.id);
    if (r?.outcome === 'passed') passed++;
    else if (r?.outcome === 'failed') differ++;
    else notRun++;
  }
  const summary = notRun
    ? l10n.t('Test-card matrix on {0}: {1} as documented, {2} differ, {3} not run.', env.label, passed, differ, notRun)
    : l10n.t('Test-card matrix on {0}: {1} as documented, {2} differ.', env.label, passed, differ);
  const exportAction: MessageAction = { title: l10n.t('Export as Markdown'), run: () => vscode.commands.executeCommand(scenarioCmd.exportMatrix) };
  if (differ || notRun) d.notifier.warn(summary, exportAction, showResults());
  else d.notifier.info(summary, exportAction, showResults());
  return { environment: env.label, passed, differ, notRun, results };
}

/** `perfectpay.exportTestCardMatrix`: the last matrix run as a Markdown table in a new editor; resolves to its text. */
export async function exportMatrixCommand(d: ScenarioCommandDeps): Promise<string | undefined> {
  const meta = d.scenarios.lastMatrix;
  if (!meta) {
    d.notifier.info(l10n.t('Run the test-card matrix first.'), { title: l10n.t('Run Test Card Matrix'), run: () => vscode.commands.executeCommand(scenarioCmd.matrix) });
    return undefined;
  }
  const results = new Map<string, ScenarioResult>();
  for (const row of d.scenarios.engine().MATRIX_ROWS) {
    const r = d.scenarios.results.get(row.id);
    if (r) results.set(row.id, r);
  }
  const content = d.scenarios.engine().matrixMarkdown(results, meta);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc, { preview: false });
  return content;
}

/**
 * `perfectpay.newScenarioFromPayment(row | id | { paymentId, uri? })`: writes a scenario file that
 * reproduces the payment's history (into `scenarios/` of the first workspace folder, or `uri`) and
 * opens it; resolves to its URI.
 */
export async function newScenarioFromPaymentCommand(d: ScenarioCommandDeps, arg?: unknown): Promise<vscode.Uri | undefined> {
  const a = parseArg(arg);
  const id = a.paymentId ?? (await pickPayment(d));
  if (!id) return undefined;
  let payment: Payment | undefined = d.service.cached(id) ?? a.payment;
  if (!payment) {
    try {
      payment = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: l10n.t('PerfectPay: reading {0}…', shortId(id)) }, () =>
        d.service.retrievePayment(id),
      );
    } catch (e) {
      d.notifier.error(l10n.t('Could not read {0}: {1}', id, errorInfo(e).message));
      return undefined;
    }
  }
  const json = d.scenarios.engine().scenarioFromHistory(payment, d.service.history(id));
  const text = d.scenarios.engine().formatScenarioJson(json);
  const given = a.fields.uri;
  let target = given instanceof vscode.Uri ? given : typeof given === 'string' ? vscode.Uri.parse(given) : undefined;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!target && !folder) {
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: text });
    await vscode.window.showTextDocument(doc);
    d.notifier.info(l10n.t('Save it as a file ending in {0} to run it from the Testing view.', SCENARIO_SUFFIX));
    return doc.uri;
  }
  if (!target) {
    // Named from the id asked for, not the answer's (a server's payment_id names no file).
    const dir = vscode.Uri.joinPath(folder!.uri, 'scenarios');
    target = await freeName(dir, d.scenarios.engine().scenarioFileName(id, payment.description));
    if (!d.scenarios.engine().isInsideFolder(dir.path, target.path)) {
      d.notifier.error(l10n.t('Not written: the scenario file {0} would be outside the scenarios folder.', target.path));
      return undefined;
    }
  }
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  } catch (e) {
    d.notifier.error(l10n.t('Could not write {0}: {1}', vscode.workspace.asRelativePath(target), errorInfo(e).message));
    return undefined;
  }
  await d.scenarios.entry(target);
  await vscode.window.showTextDocument(target, { preview: false });
  return target;
}

async function freeName(dir: vscode.Uri, name: string): Promise<vscode.Uri> {
  const stem = name.slice(0, -SCENARIO_SUFFIX.length);
  for (let i = 1; ; i++) {
    const uri = vscode.Uri.joinPath(dir, i === 1 ? name : `${stem}-${i}${SCENARIO_SUFFIX}`);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return uri;
    }
  }
}

/** The newest 25 payments to choose from (one list request). */
async function pickPayment(d: ScenarioCommandDeps): Promise<string | undefined> {
  let payments: Payment[];
  try {
    payments = (await d.service.listPayments({ limit: 25 })).data;
  } catch (e) {
    d.notifier.error(l10n.t('Could not list the payments: {0}', errorInfo(e).message));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    payments.map((p) => ({ label: formatMoney(p.amount, p.currency), description: `${p.status} · ${p.payment_id}`, detail: p.description ?? undefined, id: p.payment_id })),
    { title: l10n.t('PerfectPay: New Scenario from Payment'), placeHolder: l10n.t('The payment whose story the scenario reproduces') },
  );
  return pick?.id;
}
