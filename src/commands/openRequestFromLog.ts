/**
 * "PerfectPay: Open Request from Log…": an exchange of the request log (`#12` on its line) as a read-only
 * JSON document, `perfectpay:/exchanges/12.json`: the request (method, URL, headers, body) and the answer
 * (status, headers, body), pretty-printed and redacted, whatever the log's level. The log's `#12` is a link
 * to this command with the number; from the palette, the kept exchanges are offered, newest first.
 */
import * as vscode from 'vscode';
import { exchangeDocumentUri } from '../documents/uri';
import { l10n } from '../environment/l10n';
import { summaryLine } from '../model/requestLine';
import type { CommandDeps } from './context';

/** `perfectpay.openRequestFromLog(n?)`: resolves to the document's URI (a string), or undefined. */
export async function openRequestFromLog(d: CommandDeps, arg?: unknown): Promise<string | undefined> {
  let n = typeof arg === 'number' && Number.isSafeInteger(arg) && arg > 0 ? arg : undefined;
  if (arg !== undefined && n === undefined) {
    d.notifier.error(l10n.t('"{0}" is not the number of a request in the log (the "#12" at the start of its line).', String(arg)));
    return undefined;
  }
  if (n === undefined) {
    const recent = d.requestLog.recent();
    if (recent.length === 0) {
      d.notifier.info(l10n.t('No request has been made in this session yet.'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      recent.map(({ exchange, e }) => ({ label: summaryLine(e, exchange), description: e.startedAt, exchange })),
      { title: l10n.t('PerfectPay: Open Request from Log'), placeHolder: l10n.t('The requests of this session, newest first'), matchOnDescription: true },
    );
    if (!picked) return undefined;
    n = picked.exchange;
  }
  const uri = exchangeDocumentUri(n);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
  return uri.toString();
}
