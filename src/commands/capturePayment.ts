/** "PerfectPay: Capture Payment": the capturable amount prefilled, editable for a partial capture. */
import * as vscode from 'vscode';
import type { CapturePaymentRequest, Payment } from '../api/schemas';
import { formatMinorUnits, formatMoney } from '../domain/money';
import { parseCaptureAmount } from '../model/capture';
import { canDo, statusLabel } from '../domain/status';
import { parseArg } from './args';
import { ensureReady, inspectAction, reportError, reportOutcome, showLogAction, withProgress, type CommandDeps } from './context';
import { shortId } from '../domain/ids';
import { askOnce } from './multiStep';
import { pickPayment } from './pickPayment';

/** `vscode.l10n` (see src/environment/l10n.ts); this file has no other use for `vscode`. */
const l10n = vscode.l10n;

/**
 * `perfectpay.capturePayment(row | id | { paymentId, amount_to_capture?: number, all?: true })`:
 * with either field nothing is asked. The request always carries the amount: `all` reads the
 * payment now and sends all that is capturable (a server's default may capture less).
 */
export async function capturePayment(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Capture Payment'), 'capture'));
  if (!id) return undefined;

  let request: Required<CapturePaymentRequest>;
  let what: string;
  if (typeof a.fields.amount_to_capture === 'number') {
    request = { amount_to_capture: a.fields.amount_to_capture };
    const known = d.service.cached(id) ?? a.payment;
    what = known ? formatMoney(a.fields.amount_to_capture, known.currency) : l10n.t('{0} (minor units)', a.fields.amount_to_capture);
  } else {
    let p: Payment;
    try {
      // Fresh: the capturable amount and status must be what they are now.
      p = await withProgress(l10n.t('PerfectPay: reading {0}…', shortId(id)), (signal) => d.service.retrievePayment(id, {}, 'retrieve', signal));
    } catch (e) {
      reportError(d, e, { doing: l10n.t('Could not read {0}', id), paymentId: id });
      return undefined;
    }
    const capturable = p.amount_capturable ?? 0;
    if (!canDo('capture', p.status) || capturable <= 0) {
      d.notifier.error(
        l10n.t(
          '{0} cannot be captured: it is "{1}" with {2} capturable. Only a payment that requires capture (or is partially captured and still capturable) can be.',
          id,
          statusLabel(p.status),
          formatMoney(capturable, p.currency),
        ),
        inspectAction(id),
        showLogAction(d),
      );
      return undefined;
    }
    if (a.fields.all === true) {
      // "All" is said as the amount: without one, a server may capture less (the create's amount_to_capture).
      request = { amount_to_capture: capturable };
      what = formatMoney(capturable, p.currency);
    } else {
      const text = await askOnce((input) =>
        input.input({
          title: l10n.t('PerfectPay: Capture {0}', shortId(id)),
          step: 1,
          totalSteps: 1,
          value: formatMinorUnits(capturable, p.currency),
          prompt:
            p.capture_method === 'manual'
              ? l10n.t('Amount to capture in {0}: all {1}, or less for a partial capture (the rest is released)', p.currency, formatMoney(capturable, p.currency))
              : l10n.t('Amount to capture in {0}: all {1}, or less for a partial capture', p.currency, formatMoney(capturable, p.currency)),
          validate: (v) => {
            const r = parseCaptureAmount(v, p.currency, capturable);
            return r.ok ? undefined : r.reason;
          },
        }),
      );
      if (text === undefined) return undefined;
      const r = parseCaptureAmount(text, p.currency, capturable);
      if (!r.ok) return undefined;
      request = { amount_to_capture: r.minor };
      what = formatMoney(r.minor, p.currency);
    }
  }

  try {
    const p = await withProgress(l10n.t('PerfectPay: capturing {0} of {1}…', what, shortId(id)), (signal) => d.service.capturePayment(id, request, signal));
    // How much this capture took, of the payment's amount (not the amount alone: a partial capture says so).
    reportOutcome(d, l10n.t('Captured'), p, l10n.t('Captured {0} of {1} on {2}', formatMinorUnits(request.amount_to_capture, p.currency), formatMoney(p.amount, p.currency), p.payment_id));
    return p;
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not capture {0}', id), paymentId: id });
    return undefined;
  }
}
