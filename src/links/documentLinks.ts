/**
 * Payment ids in any text editor (and the request log's output) as links: Ctrl+click runs
 * `perfectpay.openPaymentLink`, which opens the inspector on the current environment (or says the id
 * is not there and offers the others). Scanning does no I/O; the target is made only when VS Code
 * resolves a link.
 */
import { COMMAND_IDS } from '../domain/commandIds';
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { commandUri } from '../model/markdown';
import { findPaymentIds } from '../model/paymentIds';
import { findExchangeRefs } from '../model/requestLine';
import { appliesTo } from './settings';

export const OPEN_LINK_COMMAND = COMMAND_IDS.openLink;

export class PaymentLink extends vscode.DocumentLink {
  constructor(range: vscode.Range, readonly paymentId: string) {
    super(range);
    this.tooltip = l10n.t('Inspect {0} (PerfectPay)', paymentId);
  }
}

export class PaymentDocumentLinkProvider implements vscode.DocumentLinkProvider<PaymentLink> {
  provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): PaymentLink[] {
    if (token.isCancellationRequested || !appliesTo(document)) return [];
    const text = document.getText();
    return findPaymentIds(text).map((f) => new PaymentLink(new vscode.Range(document.positionAt(f.start), document.positionAt(f.end)), f.id));
  }

  resolveDocumentLink(link: PaymentLink): PaymentLink {
    link.target = vscode.Uri.parse(commandUri(OPEN_LINK_COMMAND, [link.paymentId]));
    return link;
  }
}

/**
 * In the request log (an `output` document, or any log file): each exchange's `#12` is a link that opens
 * that request and its answer as a JSON document ("PerfectPay: Open Request from Log…" with its number).
 */
export class ExchangeLinkProvider implements vscode.DocumentLinkProvider {
  provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.DocumentLink[] {
    if (token.isCancellationRequested || (document.uri.scheme !== 'output' && document.languageId !== 'log')) return [];
    return findExchangeRefs(document.getText()).map((f) => {
      const link = new vscode.DocumentLink(
        new vscode.Range(document.positionAt(f.start), document.positionAt(f.end)),
        vscode.Uri.parse(commandUri(COMMAND_IDS.openExchange, [f.exchange])),
      );
      link.tooltip = l10n.t('Open request #{0} and its answer as JSON', f.exchange);
      return link;
    });
  }
}
