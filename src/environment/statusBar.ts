/** The status bar item: "$(credit-card) PerfectPay: Local sandbox"; a click selects the environment. */
import * as vscode from 'vscode';
import { l10n } from './l10n';
import type { EnvironmentManager } from './EnvironmentManager';
import type { EnvironmentInfo } from './types';

export function statusBarText(env: EnvironmentInfo): string {
  let label = env.label;
  if (env.kind === 'sandbox') label = l10n.t('Hosted sandbox');
  if (env.kind === 'custom') {
    try {
      label = l10n.t('Custom ({0})', new URL(env.baseUrl ?? '').host);
    } catch {
      label = l10n.t('Custom (no valid URL)');
    }
  }
  return env.insecure ? `$(unlock) ${l10n.t('PerfectPay: {0} (not secure)', label)}` : `$(credit-card) ${l10n.t('PerfectPay: {0}', label)}`;
}

export function createStatusBar(service: EnvironmentManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('perfectpay.environment', vscode.StatusBarAlignment.Left, 50);
  item.name = l10n.t('PerfectPay Environment');
  item.command = { command: 'perfectpay.selectEnvironment', title: l10n.t('Select Environment') };
  const update = (): void => {
    const env = service.environment();
    item.text = statusBarText(env);
    item.backgroundColor = env.insecure ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`${l10n.t('**PerfectPay environment:** {0}', env.label)}\n\n`);
    tip.appendMarkdown(env.baseUrl ? `API: \`${env.baseUrl}\`\n\n` : env.kind === 'local' ? `${l10n.t('Starts on first use.')}\n\n` : '');
    if (env.insecure) tip.appendMarkdown(`${l10n.t('**Not secure:** plain http to another machine; the API key travels unencrypted.')}\n\n`);
    tip.appendMarkdown(`${env.allowsRawCardData ? l10n.t('Raw test card data may be sent here.') : l10n.t('Raw card data is **not** sent here (not PCI-controlled).')}\n\n`);
    tip.appendMarkdown(l10n.t('Click to select another environment.'));
    item.tooltip = tip;
  };
  update();
  item.show();
  const subs = [service.onDidChangeEnvironment(update), service.onDidUpdateEnvironmentInfo(update)];
  return vscode.Disposable.from(item, ...subs);
}
