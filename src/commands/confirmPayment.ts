/**
 * "PerfectPay: Confirm Payment": a test card by name, another test method, or another card; then
 * which key sends it: the secret key, as a merchant's server confirms, or the publishable key with
 * the payment's client_secret, as the browser (the SDK) confirms.
 */
import * as vscode from 'vscode';
import type { ConfirmPaymentRequest, Payment } from '../api/schemas';
import type { ConfirmKey } from '../services/PaymentsService';
import { formatMoney } from '../domain/money';
import { canDo } from '../domain/status';
import { describeMethod } from '../domain/cards';
import { has, parseArg } from './args';
import { ensureReady, reportError, reportOutcome, withProgress, type CommandDeps } from './context';
import { shortId } from '../domain/ids';
import { MultiStepInput, type Step } from './multiStep';
import { methodChoiceLabel, methodRequest, methodStepCount, methodSteps, type MethodState } from './paymentMethod';
import { pickPayment } from './pickPayment';

const FIELDS = ['payment_method', 'payment_method_type', 'payment_method_data', 'return_url', 'client_secret'] as const;

const KEY_ITEMS: { label: string; description: string; detail: string; value: ConfirmKey }[] = [
  { label: 'Secret key', description: 'as your server confirms', detail: 'api-key: the secret key of the environment', value: 'secret' },
  {
    label: 'Publishable key and client_secret',
    description: 'as the browser confirms',
    detail: "api-key: the publishable key; the payment's client_secret in the body",
    value: 'publishable',
  },
];

/**
 * `perfectpay.confirmPayment(row | id | { paymentId, payment_method?, payment_method_type?,
 * payment_method_data?, return_url?, client_secret?, key?: 'secret' | 'publishable' })`: with a
 * method given nothing is asked (the secret key unless `key` says otherwise).
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
  let key: ConfirmKey = a.fields.key === 'publishable' ? 'publishable' : 'secret';
  if (has(a.fields, 'payment_method') || has(a.fields, 'payment_method_data')) {
    request = given;
    what = describeMethod(given) ?? 'method';
  } else {
    const s: MethodState = {};
    const known = d.service.cached(id) ?? a.payment;
    const title = `PerfectPay: Confirm ${known ? formatMoney(known.amount, known.currency) + ' ' : ''}(${shortId(id)})`;
    const total = (): number => methodStepCount(s) + 1;
    const pickKey: Step = async (input) => {
      key = await input.pick<ConfirmKey>({
        title,
        step: total(),
        totalSteps: total(),
        items: KEY_ITEMS,
        placeholder: 'Send it with which key?',
        active: key,
        matchOnDescription: true,
      });
      return undefined;
    };
    const done = await MultiStepInput.run(methodSteps(s, title, 1, total, pickKey));
    if (!done || !s.choice) return undefined;
    request = { ...methodRequest(s), ...pickDefined(given, ['return_url', 'client_secret']) };
    what = methodChoiceLabel(s);
  }
  if (key === 'publishable' && !(await ensurePublishableKey(d))) return undefined;

  return sendConfirm(d, id, request, what, key);
}

/**
 * A hosted environment's publishable key, asked once and kept in SecretStorage; the local sandbox
 * has its own. False when the person dismissed the question.
 */
async function ensurePublishableKey(d: CommandDeps): Promise<boolean> {
  const env = d.environments.environment();
  if (env.kind === 'local' || (await d.environments.publishableKey())) return true;
  const key = await vscode.window.showInputBox({
    title: `PerfectPay: Publishable key of ${env.label}`,
    prompt: 'The publishable key the browser confirms with (kept in VS Code\'s secret storage)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Enter the publishable key'),
  });
  if (!key) return false;
  try {
    await d.environments.setPublishableKey(key);
    return true;
  } catch (e) {
    reportError(d, e, { doing: 'Could not keep the publishable key' });
    return false;
  }
}

/** `what` names the method for people: a card only by its last four, never its number. */
async function sendConfirm(d: CommandDeps, id: string, request: ConfirmPaymentRequest, what: string, key: ConfirmKey = 'secret'): Promise<Payment | undefined> {
  const how = key === 'publishable' ? ' (publishable key)' : '';
  try {
    const p = await withProgress(`PerfectPay: confirming ${shortId(id)} with ${what}${how}…`, (signal) => d.service.confirmPayment(id, request, signal, key));
    reportOutcome(d, 'Confirmed', p);
    return p;
  } catch (e) {
    // The same method and card data again, without asking; see retryConfirm.
    reportError(d, e, { doing: `Could not confirm ${id} with ${what}${how}`, paymentId: id, retry: () => retryConfirm(d, id, request, what, key) });
    return undefined;
  }
}

/**
 * "Retry" after a failed confirm. A confirm is not idempotent, and the failed one may have gone
 * through (an answer lost or replaced after the server processed it): the payment is read first
 * and the confirm sent again only while its status still allows one; otherwise it is shown as it is.
 */
async function retryConfirm(d: CommandDeps, id: string, request: ConfirmPaymentRequest, what: string, key: ConfirmKey): Promise<Payment | undefined> {
  let now: Payment;
  try {
    now = await withProgress(`PerfectPay: reading ${shortId(id)} before confirming it again…`, (signal) =>
      d.service.retrievePayment(id, {}, 'retrieve', signal));
  } catch (e) {
    reportError(d, e, { doing: `Could not read ${id} to confirm it again`, paymentId: id, retry: () => retryConfirm(d, id, request, what, key) });
    return undefined;
  }
  if (!canDo('confirm', now.status)) {
    reportOutcome(d, 'Not confirmed again (it can no longer be confirmed):', now);
    return now;
  }
  return sendConfirm(d, id, request, what, key);
}

function pickDefined(o: ConfirmPaymentRequest, keys: (keyof ConfirmPaymentRequest)[]): ConfirmPaymentRequest {
  const out: ConfirmPaymentRequest = {};
  for (const k of keys) if (o[k] !== undefined) (out as Record<string, unknown>)[k] = o[k];
  return out;
}
