/** Payment ids in the integrated terminal as links (same command as in editors). */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { findPaymentIds } from '../model/paymentIds';
import { OPEN_LINK_COMMAND } from './documentLinks';
import { linkSettings } from './settings';

/** A terminal line is short; a few links per line are plenty. */
const MAX_PER_LINE = 20;

export interface PaymentTerminalLink extends vscode.TerminalLink {
  paymentId: string;
}

export class PaymentTerminalLinkProvider implements vscode.TerminalLinkProvider<PaymentTerminalLink> {
  provideTerminalLinks(context: vscode.TerminalLinkContext): PaymentTerminalLink[] {
    if (!linkSettings().enabled) return [];
    return findPaymentIds(context.line, MAX_PER_LINE).map((f) => ({
      startIndex: f.start,
      length: f.end - f.start,
      tooltip: l10n.t('Inspect {0} (PerfectPay)', f.id),
      paymentId: f.id,
    }));
  }

  handleTerminalLink(link: PaymentTerminalLink): void {
    void vscode.commands.executeCommand(OPEN_LINK_COMMAND, link.paymentId);
  }
}
