/**
 * "Run scenario" above a scenario file's name and above each of its `expect` steps, with the last
 * result of that step when there is one. Parses only the files open in an editor.
 */
import { COMMAND_IDS } from '../domain/commandIds';
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { ScenarioController } from './controller';

export const RUN_SCENARIO = COMMAND_IDS.runScenario;

export class ScenarioCodeLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly scenarios: ScenarioController) {
    this.onDidChangeCodeLenses = (listener, thisArgs, disposables) =>
      scenarios.onDidFinishRun(() => listener.call(thisArgs), undefined, disposables);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const parsed = this.scenarios.engine().parseScenario(document.getText());
    const run = (line: number, title: string): vscode.CodeLens =>
      new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title, command: RUN_SCENARIO, arguments: [document.uri], tooltip: l10n.t('Run this scenario against the current PerfectPay environment') });
    if (!parsed.ok) return [];
    const s = parsed.scenario;
    const result = this.scenarios.results.get(document.uri.toString());
    const lenses = [run(s.nameRange.start.line, `$(play) ${result ? l10n.t('Run scenario · last run {0}', result.outcome) : l10n.t('Run scenario')}`)];
    for (const step of s.steps) {
      if (step.kind !== 'expect' && step.kind !== 'expect_webhook') continue;
      const r = result?.steps[step.index];
      const mark = !r ? '' : r.outcome === 'passed' ? '$(pass) ' : r.outcome === 'failed' ? '$(error) ' : '$(circle-slash) ';
      lenses.push(run(step.range.start.line, `${mark}${l10n.t('Run scenario')}`));
    }
    return lenses;
  }
}
