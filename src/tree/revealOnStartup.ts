/**
 * With `perfectpay.revealViewOnStartup` on (as `npm start` sets it), the Payments view opens when
 * VS Code starts, so the product shows itself without a click. The extension is activated at
 * `onStartupFinished` for this: `activate()` is cheap (it loads neither the client nor the sandbox).
 */
import * as vscode from 'vscode';
import { VIEW_ID } from './PaymentsTreeProvider';

export function revealViewOnStartupIfAsked(): void {
  if (!vscode.workspace.getConfiguration('perfectpay').get<boolean>('revealViewOnStartup', false)) return;
  // `<view id>.focus` is the command VS Code makes for every view: it opens its container too.
  void vscode.commands.executeCommand(`${VIEW_ID}.focus`);
}
