/** "PerfectPay: Inspect Payment" and "PerfectPay: Open Payment by ID": the inspector panel. */
import * as vscode from 'vscode';
import type { Payment } from '../api/schemas';
import { parseArg } from './args';
import { ensureReady, reportError, withProgress, type CommandDeps } from './context';
import { shortId } from '../domain/ids';
import { askOnce } from './multiStep';
import { pickPayment } from './pickPayment';

/** `vscode.l10n` (see src/environment/l10n.ts); this file has no other use for `vscode`. */
const l10n = vscode.l10n;

/** `perfectpay.inspectPayment(row | id | { paymentId })`: opens the inspector; resolves to the payment as last seen. */
export async function inspectPayment(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Inspect Payment')));
  if (!id) return undefined;
  try {
    await d.inspector().open(id);
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not open the inspector of {0}', id), paymentId: id });
    return undefined;
  }
  return d.service.cached(id) ?? a.payment;
}

/** `perfectpay.openPaymentById(id?)`: reads the payment (one GET), opens the inspector, resolves to it. */
export async function openPaymentById(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  const id =
    a.paymentId ??
    (await askOnce((input) =>
      input.input({
        title: l10n.t('PerfectPay: Open Payment by ID'),
        step: 1,
        totalSteps: 1,
        prompt: l10n.t('Payment id'),
        placeholder: 'pay_mbabizu24mvu3mela5njyhpit4',
        validate: (v) => (!v.trim() ? l10n.t('Type a payment id.') : /\s/.test(v.trim()) ? l10n.t('A payment id has no spaces.') : undefined),
      }),
    ))?.trim();
  if (!id) return undefined;
  let p: Payment;
  try {
    p = await withProgress(l10n.t('PerfectPay: opening {0}…', shortId(id)), (signal) => d.service.retrievePayment(id, {}, 'retrieve', signal));
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not open {0}', id) });
    return undefined;
  }
  void d.tree.reveal(p.payment_id);
  try {
    await d.inspector().open(p.payment_id);
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not open the inspector of {0}', id), paymentId: id });
  }
  return p;
}
