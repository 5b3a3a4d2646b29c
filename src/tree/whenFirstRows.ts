/**
 * Runs something once, after the Payments view has been given its first rows (and had its head start
 * to draw them: see src/environment/hostTurn.ts), or after `latestMs` if the view is not shown (the
 * extension activated by a command, a scenario file, a `perfectpay:` document). For what activation can leave for later without anyone
 * noticing: providers and items VS Code has to process before it draws the view.
 */
import * as vscode from 'vscode';
import { afterViewDraws } from '../environment/hostTurn';
import type { PaymentsTreeProvider } from './PaymentsTreeProvider';

const LATEST_MS = 1000;

export function whenFirstRowsOrSoon(tree: PaymentsTreeProvider, run: () => void, latestMs = LATEST_MS): vscode.Disposable {
  let done = false;
  const stop = (): void => {
    done = true;
    clearTimeout(timer);
    sub.dispose();
  };
  const once = (): void => {
    if (done) return;
    stop();
    run();
  };
  const timer = setTimeout(once, latestMs);
  const sub = tree.onWillShowFirstRows(() => void afterViewDraws().then(once));
  return new vscode.Disposable(stop);
}
