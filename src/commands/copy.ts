/** "PerfectPay: Copy Payment ID" and "PerfectPay: Copy as cURL" (the key as $PERFECTPAY_API_KEY, cards masked). */
import * as vscode from 'vscode';
import type { Payment } from '../api/schemas';
import { allowedActions } from '../domain/status';
import { TEST_CARDS } from '../domain/cards';
import { parseArg } from './args';
import { ensureReady, reportError, type CommandDeps } from './context';
import { askOnce } from './multiStep';
import { testCardRequest } from './paymentMethod';
import { pickPayment } from './pickPayment';

export type CurlKind = 'retrieve' | 'confirm' | 'capture' | 'cancel';
const KINDS: readonly CurlKind[] = ['retrieve', 'confirm', 'capture', 'cancel'];

/** `perfectpay.copyPaymentId(row | id | { paymentId })`: resolves to the id copied. */
export async function copyPaymentId(d: CommandDeps, arg?: unknown): Promise<string | undefined> {
  const a = parseArg(arg);
  const id = a.paymentId ?? (await pickPayment(d, 'PerfectPay: Copy Payment ID'));
  if (!id) return undefined;
  await vscode.env.clipboard.writeText(id);
  d.notifier.info(`Copied ${id}.`);
  return id;
}

/** The route call of `kind` on a payment, as method, path and example body. */
export function curlRequest(kind: CurlKind, id: string, p?: Payment): { method: 'GET' | 'POST'; path: string; body?: unknown } {
  const path = `/payments/${encodeURIComponent(id)}`;
  if (kind === 'retrieve') return { method: 'GET', path };
  if (kind === 'confirm') return { method: 'POST', path: `${path}/confirm`, body: testCardRequest(TEST_CARDS[0]!) };
  if (kind === 'capture') {
    const amount = p?.amount_capturable ?? p?.amount;
    return { method: 'POST', path: `${path}/capture`, body: amount ? { amount_to_capture: amount } : {} };
  }
  return { method: 'POST', path: `${path}/cancel`, body: { cancellation_reason: 'requested_by_customer' } };
}

/**
 * The request kind from the argument (`request`), or asked: the reads and the actions the payment's
 * status allows (all of them when its status is not known). Undefined when dismissed.
 */
export async function requestKind(title: string, id: string, p: Payment | undefined, fields: Record<string, unknown>): Promise<CurlKind | undefined> {
  const given = fields.request;
  if (typeof given === 'string' && (KINDS as readonly string[]).includes(given)) return given as CurlKind;
  const offered: CurlKind[] = p ? ['retrieve', ...allowedActions(p.status).flatMap((x) => (x === 'simulate' ? [] : [x]))] : [...KINDS];
  return askOnce((input) =>
    input.pick<CurlKind>({
      title: `${title} (${id})`,
      step: 1,
      totalSteps: 1,
      placeholder: 'Which request?',
      items: offered.map((k) => {
        const r = curlRequest(k, id, p);
        return { label: k, description: `${r.method} ${r.path}`, value: k };
      }),
    }),
  );
}

/** `perfectpay.copyAsCurl(row | id | { paymentId, request?: 'retrieve'|'confirm'|'capture'|'cancel' })`: resolves to the text copied. */
export async function copyAsCurl(d: CommandDeps, arg?: unknown): Promise<string | undefined> {
  const a = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  const id = a.paymentId ?? (await pickPayment(d, 'PerfectPay: Copy as cURL'));
  if (!id) return undefined;
  const p = d.service.cached(id) ?? a.payment;
  const kind = await requestKind('PerfectPay: Copy as cURL', id, p, a.fields);
  if (!kind) return undefined;
  const r = curlRequest(kind, id, p);
  let text: string;
  try {
    text = await d.service.curlFor(r.method, r.path, r.body);
  } catch (e) {
    reportError(d, e, { doing: 'Could not make the cURL command' });
    return undefined;
  }
  await vscode.env.clipboard.writeText(text);
  d.notifier.info(`Copied the cURL command for ${kind} ${id}. It reads the key from $PERFECTPAY_API_KEY.`);
  return text;
}
