/** "PerfectPay: Cancel Payment": with one of the documented reasons, free text, or none. */
import * as vscode from 'vscode';
import type { CancelPaymentRequest, Payment } from '../api/schemas';
import { has, parseArg } from './args';
import { ensureReady, reportError, reportOutcome, withProgress, type CommandDeps } from './context';
import { CANCELLATION_REASONS } from '../domain/payment';
import { shortId } from '../domain/ids';
import { askOnce, type PickItem } from './multiStep';
import { pickPayment } from './pickPayment';

/** `vscode.l10n` (see src/environment/l10n.ts); this file has no other use for `vscode`. */
const l10n = vscode.l10n;

const OTHER = '\u0000other';
const NONE = '\u0000none';

/**
 * `perfectpay.cancelPayment(row | id | { paymentId, cancellation_reason? })`: when the key is
 * present nothing is asked (its value may be undefined: no reason).
 */
export async function cancelPayment(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Cancel Payment'), 'cancel'));
  if (!id) return undefined;

  let reason: string | undefined;
  if (has(a.fields, 'cancellation_reason')) {
    reason = typeof a.fields.cancellation_reason === 'string' ? a.fields.cancellation_reason : undefined;
  } else {
    const title = l10n.t('PerfectPay: Cancel {0}', shortId(id));
    const asked = await askOnce(async (input) => {
      const items: PickItem<string>[] = [
        ...CANCELLATION_REASONS.map((r) => ({ label: r, value: r })),
        { label: l10n.t('Other…'), description: l10n.t('type a reason'), value: OTHER },
        { label: l10n.t('No reason'), description: l10n.t('cancel without cancellation_reason'), value: NONE },
      ];
      const picked = await input.pick({
        title,
        step: 1,
        totalSteps: 1,
        items,
        placeholder: l10n.t('Why is it cancelled? Pick a reason or type one'),
        typed: (v) => (v.trim() && !CANCELLATION_REASONS.includes(v.trim() as never) ? { label: l10n.t('Use "{0}"', v.trim()), value: v.trim(), alwaysShow: true } : undefined),
      });
      if (picked !== OTHER) return picked;
      return input.input({
        title,
        step: 2,
        totalSteps: 2,
        prompt: l10n.t('Cancellation reason'),
        placeholder: l10n.t('e.g. customer changed their mind'),
        validate: (v) => (v.trim() ? undefined : l10n.t('Type a reason, or go back and pick "No reason".')),
      });
    });
    if (asked === undefined) return undefined;
    reason = asked === NONE ? undefined : asked.trim();
  }

  const request: CancelPaymentRequest = reason === undefined ? {} : { cancellation_reason: reason };
  try {
    const p = await withProgress(l10n.t('PerfectPay: cancelling {0}…', shortId(id)), (signal) => d.service.cancelPayment(id, request, signal));
    reportOutcome(d, l10n.t('Cancelled'), p);
    return p;
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not cancel {0}', id), paymentId: id });
    return undefined;
  }
}
