// Minimal stub of the inspector's entry (the inspector engineer replaces this file).
import * as vscode from 'vscode';
import type { PaymentsService } from '../services/PaymentsService';

export function registerInspector(
  _context: vscode.ExtensionContext,
  deps: { service: PaymentsService; log: vscode.LogOutputChannel },
): { open(paymentId: string): Promise<void> } {
  return {
    async open(paymentId: string): Promise<void> {
      deps.log.info(`Inspector (stub): ${paymentId}`);
    },
  };
}
