/**
 * With `perfectpay.revealViewOnStartup` on (as `npm start` sets it), the Payments view opens as soon
 * as the extension is activated, so the product shows itself without a click. The extension is not
 * activated at start-up in general (no `onStartupFinished`: a window that never uses PerfectPay pays
 * nothing); it is in a workspace containing `.vscode/perfectpay-reveal-on-startup` (activation event
 * `workspaceContains:`), which `npm start`'s scratch workspace has. `activate()` is cheap (it loads
 * neither the client nor the sandbox).
 */
import * as vscode from 'vscode';
import { VIEW_ID } from './PaymentsTreeProvider';

export function revealViewOnStartupIfAsked(): void {
  if (!vscode.workspace.getConfiguration('perfectpay').get<boolean>('revealViewOnStartup', false)) return;
  // `<view id>.focus` is the command VS Code makes for every view: it opens its container too.
  void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
}
