/** "PerfectPay: Refund Payment": what is left to refund prefilled, editable for a partial refund, and a reason. */
import * as vscode from 'vscode';
import type { Payment, Refund } from '../api/schemas';
import { formatMinorUnits, formatMoney } from '../domain/money';
import { amountLeftToRefund, REFUND_REASONS, refundedAmount } from '../domain/payment';
import { canDo, statusLabel } from '../domain/status';
import { shortId } from '../domain/ids';
import { parseRefundAmount } from '../model/capture';
import { has, parseArg } from './args';
import { ensureReady, inspectAction, reportError, showLogAction, withProgress, type CommandDeps } from './context';
import { askOnce, type PickItem } from './multiStep';
import { pickPayment } from './pickPayment';

/** `vscode.l10n` (see src/environment/l10n.ts); this file has no other use for `vscode`. */
const l10n = vscode.l10n;
const NONE = '\u0000none';

/**
 * `perfectpay.refundPayment(row | id | { paymentId, amount?: number, reason?: string })`: a field
 * given is not asked (`reason` present but undefined: no reason). Resolves to the refund made.
 */
export async function refundPayment(d: CommandDeps, arg?: unknown): Promise<Refund | undefined> {
  const a = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Refund Payment'), 'refund'));
  if (!id) return undefined;

  let p: Payment;
  try {
    // Fresh: what is left to refund must be what it is now.
    p = await withProgress(l10n.t('PerfectPay: reading {0}…', shortId(id)), (signal) => d.service.retrievePayment(id, {}, 'retrieve', signal));
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not read {0}', id), paymentId: id });
    return undefined;
  }
  const left = amountLeftToRefund(p);
  const refunded = refundedAmount(p);
  if (!canDo('refund', p.status) || left <= 0) {
    d.notifier.error(
      l10n.t(
        '{0} cannot be refunded: it is "{1}" with {2} left to refund. Only a payment that succeeded (or was partially captured) can be, up to what it received.',
        id,
        statusLabel(p.status),
        formatMoney(left, p.currency),
      ),
      inspectAction(id),
      showLogAction(d),
    );
    return undefined;
  }

  const title = l10n.t('PerfectPay: Refund {0}', shortId(id));
  let amount: number;
  if (typeof a.fields.amount === 'number') {
    amount = a.fields.amount;
  } else {
    const text = await askOnce((input) =>
      input.input({
        title,
        step: 1,
        totalSteps: 2,
        value: formatMinorUnits(left, p.currency),
        prompt: refunded
          ? l10n.t('Amount to refund in {0}: all that is left, {1} ({2} of {3} refunded), or less', p.currency, formatMoney(left, p.currency), formatMinorUnits(refunded, p.currency), formatMoney(p.amount_received ?? 0, p.currency))
          : l10n.t('Amount to refund in {0}: all {1}, or less for a partial refund', p.currency, formatMoney(left, p.currency)),
        validate: (v) => {
          const r = parseRefundAmount(v, p.currency, left, refunded);
          return r.ok ? undefined : r.reason;
        },
      }),
    );
    if (text === undefined) return undefined;
    const r = parseRefundAmount(text, p.currency, left, refunded);
    if (!r.ok) return undefined;
    amount = r.minor;
  }

  let reason: string | undefined;
  if (has(a.fields, 'reason')) {
    reason = typeof a.fields.reason === 'string' ? a.fields.reason : undefined;
  } else {
    const asked = await askOnce((input) => {
      const items: PickItem<string>[] = [
        ...REFUND_REASONS.map((r) => ({ label: r, value: r })),
        { label: l10n.t('No reason'), description: l10n.t('refund without a reason'), value: NONE },
      ];
      return input.pick({
        title,
        step: 2,
        totalSteps: 2,
        items,
        placeholder: l10n.t('Why is it refunded? Pick a reason or type one'),
        typed: (v) => (v.trim() && !REFUND_REASONS.includes(v.trim() as never) ? { label: l10n.t('Use "{0}"', v.trim()), value: v.trim(), alwaysShow: true } : undefined),
      });
    });
    if (asked === undefined) return undefined;
    reason = asked === NONE ? undefined : asked;
  }

  try {
    const what = formatMoney(amount, p.currency);
    const r = await withProgress(l10n.t('PerfectPay: refunding {0} of {1}…', what, shortId(id)), (signal) => d.service.createRefund(id, { amount, ...(reason ? { reason } : {}) }, signal));
    const done = l10n.t('Refunded {0} of {1} on {2}', formatMinorUnits(r.amount, r.currency), formatMoney(p.amount_received ?? p.amount, p.currency), id);
    if (r.status === 'failed') d.notifier.warn(l10n.t('{0}: the refund failed: {1}', done, [r.error_message, r.error_code && `(${r.error_code})`].filter(Boolean).join(' ')), inspectAction(id));
    else d.notifier.info(l10n.t('{0}: refund {1} ({2}).', done, r.status, r.refund_id), inspectAction(id));
    return r;
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not refund {0}', id), paymentId: id });
    return undefined;
  }
}
