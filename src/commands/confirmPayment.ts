/** "PerfectPay: Confirm Payment": a test card by name, another test method, or another card. */
import type { ConfirmPaymentRequest, Payment } from '../api/schemas';
import { formatMoney } from '../model/money';
import { has, parseArg } from './args';
import { ensureReady, reportError, reportOutcome, shortId, withProgress, type CommandDeps } from './context';
import { MultiStepInput } from './multiStep';
import { describeMethod, methodRequest, methodStepCount, methodSteps, type MethodState } from './paymentMethod';
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
    what = given.payment_method_data?.card ? 'card' : (given.payment_method ?? 'method');
  } else {
    const s: MethodState = {};
    const known = d.service.cached(id) ?? a.payment;
    const title = `PerfectPay: Confirm ${known ? formatMoney(known.amount, known.currency) + ' ' : ''}(${shortId(id)})`;
    const done = await MultiStepInput.run(methodSteps(s, title, 1, () => methodStepCount(s), undefined));
    if (!done || !s.choice) return undefined;
    request = { ...methodRequest(s), ...pickDefined(given, ['return_url', 'client_secret']) };
    what = describeMethod(s);
  }

  try {
    const p = await withProgress(`PerfectPay: confirming ${shortId(id)} with ${what}…`, (signal) => d.service.confirmPayment(id, request, signal));
    reportOutcome(d, 'Confirmed', p);
    return p;
  } catch (e) {
    reportError(d, e, { doing: `Could not confirm ${id}`, paymentId: id });
    return undefined;
  }
}

function pickDefined(o: ConfirmPaymentRequest, keys: (keyof ConfirmPaymentRequest)[]): ConfirmPaymentRequest {
  const out: ConfirmPaymentRequest = {};
  for (const k of keys) if (o[k] !== undefined) (out as Record<string, unknown>)[k] = o[k];
  return out;
}
