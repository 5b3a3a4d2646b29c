/** The status bar item: "$(credit-card) PerfectPay: Local sandbox"; a click selects the environment. */
import * as vscode from 'vscode';
import type { EnvironmentManager } from './EnvironmentManager';
import type { EnvironmentInfo } from './types';

export function statusBarText(env: EnvironmentInfo): string {
  let label = env.label;
  if (env.kind === 'sandbox') label = 'Hosted sandbox';
  if (env.kind === 'custom') {
    try {
      label = `Custom (${new URL(env.baseUrl ?? '').host})`;
    } catch {
      label = 'Custom (no valid URL)';
    }
  }
  return env.insecure ? `$(unlock) PerfectPay: ${label} (not secure)` : `$(credit-card) PerfectPay: ${label}`;
}

export function createStatusBar(service: EnvironmentManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('perfectpay.environment', vscode.StatusBarAlignment.Left, 50);
  item.name = 'PerfectPay Environment';
  item.command = { command: 'perfectpay.selectEnvironment', title: 'Select Environment' };
  const update = (): void => {
    const env = service.environment();
    item.text = statusBarText(env);
    item.backgroundColor = env.insecure ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**PerfectPay environment:** ${env.label}\n\n`);
    tip.appendMarkdown(env.baseUrl ? `API: \`${env.baseUrl}\`\n\n` : env.kind === 'local' ? 'Starts on first use.\n\n' : '');
    if (env.insecure) tip.appendMarkdown('**Not secure:** plain http to another machine; the API key travels unencrypted.\n\n');
    tip.appendMarkdown(env.allowsRawCardData ? 'Raw test card data may be sent here.\n\n' : 'Raw card data is **not** sent here (not PCI-controlled).\n\n');
    tip.appendMarkdown('Click to select another environment.');
    item.tooltip = tip;
  };
  update();
  item.show();
  const subs = [service.onDidChangeEnvironment(update), service.onDidUpdateEnvironmentInfo(update)];
  return vscode.Disposable.from(item, ...subs);
}
