/** "PerfectPay: Confirm Payment": a test card by name, another test method, or another card. */
import type { ConfirmPaymentRequest, Payment } from '../api/schemas';
import { formatMoney } from '../domain/money';
import { canDo } from '../domain/status';
import { describeMethod } from '../domain/cards';
import { has, parseArg } from './args';
import { ensureReady, reportError, reportOutcome, withProgress, type CommandDeps } from './context';
import { shortId } from '../domain/ids';
import { MultiStepInput } from './multiStep';
import { methodChoiceLabel, methodRequest, methodStepCount, methodSteps, type MethodState } from './paymentMethod';
import { pickPayment } from './pickPayment';

const FIELDS = ['payment_method', 'payment_method_type', 'payment_method_data', 'return_url', 'client_secret'] as const;

/**
 * `perfectpay.confirmPayment(row | id | { paymentId, payment_method?, payment_method_type?,
 * payment_method_data?, return_url?, client_secret? })`: with a method given nothing is asked.
 */
export async function confirmPayment(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  const id = a.paymentId ?? (await pickPayment(d, 'PerfectPay: Confirm Payment', 'confirm'));
  if (!id) return undefined;

  const given: ConfirmPaymentRequest = {};
  for (const k of FIELDS) if (a.fields[k] !== undefined) (given as Record<string, unknown>)[k] = a.fields[k];
  let request: ConfirmPaymentRequest;
  let what: string;
  if (has(a.fields, 'payment_method') || has(a.fields, 'payment_method_data')) {
    request = given;
    what = describeMethod(given) ?? 'method';
  } else {
    const s: MethodState = {};
    const known = d.service.cached(id) ?? a.payment;
    const title = `PerfectPay: Confirm ${known ? formatMoney(known.amount, known.currency) + ' ' : ''}(${shortId(id)})`;
    const done = await MultiStepInput.run(methodSteps(s, title, 1, () => methodStepCount(s), undefined));
    if (!done || !s.choice) return undefined;
    request = { ...methodRequest(s), ...pickDefined(given, ['return_url', 'client_secret']) };
    what = methodChoiceLabel(s);
  }

  return sendConfirm(d, id, request, what);
}

/** `what` names the method for people: a card only by its last four, never its number. */
async function sendConfirm(d: CommandDeps, id: string, request: ConfirmPaymentRequest, what: string): Promise<Payment | undefined> {
  try {
    const p = await withProgress(`PerfectPay: confirming ${shortId(id)} with ${what}…`, (signal) => d.service.confirmPayment(id, request, signal));
    reportOutcome(d, 'Confirmed', p);
    return p;
  } catch (e) {
    // The same method and card data again, without asking; see retryConfirm.
    reportError(d, e, { doing: `Could not confirm ${id} with ${what}`, paymentId: id, retry: () => retryConfirm(d, id, request, what) });
    return undefined;
  }
}

/**
 * "Retry" after a failed confirm. A confirm is not idempotent, and the failed one may have gone
 * through (an answer lost or replaced after the server processed it): the payment is read first
 * and the confirm sent again only while its status still allows one; otherwise it is shown as it is.
 */
async function retryConfirm(d: CommandDeps, id: string, request: ConfirmPaymentRequest, what: string): Promise<Payment | undefined> {
  let now: Payment;
  try {
    now = await withProgress(`PerfectPay: reading ${shortId(id)} before confirming it again…`, (signal) =>
      d.service.retrievePayment(id, {}, 'retrieve', signal));
  } catch (e) {
    reportError(d, e, { doing: `Could not read ${id} to confirm it again`, paymentId: id, retry: () => retryConfirm(d, id, request, what) });
    return undefined;
  }
  if (!canDo('confirm', now.status)) {
    reportOutcome(d, 'Not confirmed again (it can no longer be confirmed):', now);
    return now;
  }
  return sendConfirm(d, id, request, what);
}

function pickDefined(o: ConfirmPaymentRequest, keys: (keyof ConfirmPaymentRequest)[]): ConfirmPaymentRequest {
  const out: ConfirmPaymentRequest = {};
  for (const k of keys) if (o[k] !== undefined) (out as Record<string, unknown>)[k] = o[k];
  return out;
}
