/**
 * What the extension has seen of each payment (the inspector's timeline), in `history.json` under the
 * extension's globalStorageUri (it survives a reload, and does not weigh on the global state VS Code
 * loads for every window), capped; 0.1.0's history in the global state is moved there on first load.
 */
import type * as vscode from 'vscode';
import { appendObservation, type PaymentObservation } from '../model/history';
import { PaymentFileStore } from './paymentFileStore';

export const HISTORY_FILE = 'history.json';
export const MAX_PAYMENTS = 300;
export const MAX_HISTORY_BYTES = 2_000_000;
/** Where 0.1.0 kept the history. */
const LEGACY_STATE_KEY = 'perfectpay.history.v1';

export function createHistoryStore(storageUri: vscode.Uri | undefined, legacy: vscode.Memento | undefined, log: vscode.LogOutputChannel): PaymentFileStore<PaymentObservation> {
  return new PaymentFileStore<PaymentObservation>(storageUri, log, {
    file: HISTORY_FILE,
    what: 'history',
    maxPayments: MAX_PAYMENTS,
    maxBytes: MAX_HISTORY_BYTES,
    saveDelayMs: 400,
    append: appendObservation,
    valid: (e): e is PaymentObservation => !!e && typeof e === 'object' && typeof (e as PaymentObservation).at === 'string',
    legacy: {
      take: () => {
        const old = legacy?.get<Record<string, PaymentObservation[]>>(LEGACY_STATE_KEY);
        if (!old || typeof old !== 'object') return undefined;
        void legacy?.update(LEGACY_STATE_KEY, undefined);
        return old;
      },
    },
  });
}
