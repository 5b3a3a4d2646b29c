/**
 * "PerfectPay: Confirm Payment": a test card by name, another test method, or another card; then
 * which key sends it: the secret key, as a merchant's server confirms, or the publishable key with
 * the payment's client_secret, as the browser (the SDK) confirms.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
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

const keyItems = (): { label: string; description: string; detail: string; value: ConfirmKey }[] => [
  {
    label: l10n.t('Secret key'),
    description: l10n.t('as your server confirms'),
    detail: l10n.t('api-key: the secret key of the environment'),
    value: 'secret',
  },
  {
    label: l10n.t('Publishable key and client_secret'),
    description: l10n.t('as the browser confirms'),
    detail: l10n.t("api-key: the publishable key; the payment's client_secret in the body"),
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
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Confirm Payment'), 'confirm'));
  if (!id) return undefined;

  const given: ConfirmPaymentRequest = {};
  for (const k of FIELDS) if (a.fields[k] !== undefined) (given as Record<string, unknown>)[k] = a.fields[k];
  let request: ConfirmPaymentRequest;
  let what: string;
  let key: ConfirmKey = a.fields.key === 'publishable' ? 'publishable' : 'secret';
  if (has(a.fields, 'payment_method') || has(a.fields, 'payment_method_data')) {
    request = given;
    what = describeMethod(given) ?? l10n.t('method');
  } else {
    const s: MethodState = {};
    const known = d.service.cached(id) ?? a.payment;
    const title = known
      ? l10n.t('PerfectPay: Confirm {0} ({1})', formatMoney(known.amount, known.currency), shortId(id))
      : l10n.t('PerfectPay: Confirm ({0})', shortId(id));
    const total = (): number => methodStepCount(s) + 1;
    const pickKey: Step = async (input) => {
      key = await input.pick<ConfirmKey>({
        title,
        step: total(),
        totalSteps: total(),
        items: keyItems(),
        placeholder: l10n.t('Send it with which key?'),
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
    title: l10n.t('PerfectPay: Publishable key of {0}', env.label),
    prompt: l10n.t("The publishable key the browser confirms with (kept in VS Code's secret storage)"),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : l10n.t('Enter the publishable key')),
  });
  if (!key) return false;
  try {
    await d.environments.setPublishableKey(key);
    return true;
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not keep the publishable key') });
    return false;
  }
}

/** `what` names the method for people: a card only by its last four, never its number. */
async function sendConfirm(d: CommandDeps, id: string, request: ConfirmPaymentRequest, what: string, key: ConfirmKey = 'secret'): Promise<Payment | undefined> {
  const how = key === 'publishable' ? ' ' + l10n.t('(publishable key)') : '';
  try {
    const p = await withProgress(l10n.t('PerfectPay: confirming {0} with {1}…', shortId(id), what + how), (signal) => d.service.confirmPayment(id, request, signal, key));
    reportOutcome(d, l10n.t('Confirmed'), p);
    return p;
  } catch (e) {
    // The same method and card data again, without asking; see retryConfirm.
    reportError(d, e, { doing: l10n.t('Could not confirm {0} with {1}', id, what + how), paymentId: id, retry: () => retryConfirm(d, id, request, what, key) });
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
    now = await withProgress(l10n.t('PerfectPay: reading {0} before confirming it again…', shortId(id)), (signal) =>
      d.service.retrievePayment(id, {}, 'retrieve', signal));
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not read {0} to confirm it again', id), paymentId: id, retry: () => retryConfirm(d, id, request, what, key) });
    return undefined;
  }
  if (!canDo('confirm', now.status)) {
    reportOutcome(d, l10n.t('Not confirmed again (it can no longer be confirmed):'), now);
    return now;
  }
  return sendConfirm(d, id, request, what, key);
}

function pickDefined(o: ConfirmPaymentRequest, keys: (keyof ConfirmPaymentRequest)[]): ConfirmPaymentRequest {
  const out: ConfirmPaymentRequest = {};
  for (const k of keys) if (o[k] !== undefined) (out as Record<string, unknown>)[k] = o[k];
  return out;
}
