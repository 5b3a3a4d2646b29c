/**
 * The whole answers seen of each payment (redacted; src/model/answers.ts), for comparing a payment
 * with itself at an earlier moment. Kept in `answers.json` under the extension's globalStorageUri
 * beside the history: loaded on first use, saved a moment after a change, capped (the most recently
 * seen payments, a size in bytes).
 */
import type * as vscode from 'vscode';
import { appendAnswer, type PaymentAnswer } from '../model/answers';
import { PaymentFileStore } from './paymentFileStore';

export const ANSWERS_FILE = 'answers.json';
export const MAX_ANSWERED_PAYMENTS = 100;
export const MAX_ANSWERS_BYTES = 3_000_000;
const SAVE_DELAY_MS = 1000;


export function createAnswerStore(storageUri: vscode.Uri | undefined, log: vscode.LogOutputChannel): PaymentFileStore<PaymentAnswer> {
  return new PaymentFileStore<PaymentAnswer>(storageUri, log, {
    file: ANSWERS_FILE,
    what: 'answers',
    maxPayments: MAX_ANSWERED_PAYMENTS,
    maxBytes: MAX_ANSWERS_BYTES,
    saveDelayMs: SAVE_DELAY_MS,
    append: appendAnswer,
    valid: (a): a is PaymentAnswer => !!a && typeof (a as PaymentAnswer).at === 'string' && !!(a as PaymentAnswer).payment && typeof (a as PaymentAnswer).payment === 'object',
  });
}
