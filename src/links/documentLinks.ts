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
