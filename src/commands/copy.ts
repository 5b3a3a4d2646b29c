/** "PerfectPay: Copy Payment ID" and "PerfectPay: Copy as cURL" (the key as $PERFECTPAY_API_KEY, cards masked). */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { Payment } from '../api/schemas';
import { allowedActions } from '../domain/status';
import { TEST_CARDS } from '../domain/cards';
import { amountLeftToRefund, REFUND_REASONS } from '../domain/payment';
import { parseArg, type CommandArg } from './args';
import { ensureReady, reportError, type CommandDeps } from './context';
import { askOnce } from './multiStep';
import { testCardRequest } from './paymentMethod';
import { pickPayment } from './pickPayment';
import type { ConfirmKey } from '../services/PaymentsService';

/**
 * `confirm_publishable`: the confirm as the browser sends it (publishable key, client_secret in the body).
 * `refund` and `list_refunds` act on the payment; `retrieve_refund` and `update_refund` on one of its
 * refunds (a refund row, or `refundId`).
 */
export type CurlKind = 'retrieve' | 'confirm' | 'confirm_publishable' | 'capture' | 'cancel' | 'refund' | 'list_refunds' | 'retrieve_refund' | 'update_refund';
const KINDS: readonly CurlKind[] = ['retrieve', 'confirm', 'confirm_publishable', 'capture', 'cancel', 'refund', 'list_refunds', 'retrieve_refund', 'update_refund'];
const REFUND_KINDS: readonly CurlKind[] = ['retrieve_refund', 'update_refund'];

const KIND_LABELS: Readonly<Record<CurlKind, () => string>> = {
  retrieve: () => l10n.t('retrieve'),
  confirm: () => l10n.t('confirm'),
  confirm_publishable: () => l10n.t('confirm as the browser'),
  capture: () => l10n.t('capture'),
  cancel: () => l10n.t('cancel'),
  refund: () => l10n.t('refund'),
  list_refunds: () => l10n.t('list refunds'),
  retrieve_refund: () => l10n.t('retrieve refund'),
  update_refund: () => l10n.t('update refund'),
};

/** Where a copy reads its keys from, for the message after copying. */
export function keyVarsNote(kind: CurlKind): string {
  return kind === 'confirm_publishable'
    ? l10n.t('It reads the publishable key from $PERFECTPAY_PUBLISHABLE_KEY and the client_secret from $PERFECTPAY_CLIENT_SECRET.')
    : l10n.t('It reads the key from $PERFECTPAY_API_KEY.');
}

/** `perfectpay.copyPaymentId(row | id | { paymentId })`: resolves to the id copied. */
export async function copyPaymentId(d: CommandDeps, arg?: unknown): Promise<string | undefined> {
  const a = parseArg(arg);
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Copy Payment ID')));
  if (!id) return undefined;
  await vscode.env.clipboard.writeText(id);
  d.notifier.info(l10n.t('Copied {0}.', id));
  return id;
}

/**
 * The route call of `kind` on a payment (or on its refund `refundId`), as method, path, example body
 * and the key that opens it.
 */
export function curlRequest(kind: CurlKind, id: string, p?: Payment, refundId = 'ref_…'): { method: 'GET' | 'POST'; path: string; body?: unknown; key?: ConfirmKey } {
  const path = `/payments/${encodeURIComponent(id)}`;
  if (kind === 'retrieve') return { method: 'GET', path };
  if (kind === 'refund') {
    const left = p ? amountLeftToRefund(p) : 0;
    return { method: 'POST', path: '/refunds', body: { payment_id: id, ...(left ? { amount: left } : {}), reason: REFUND_REASONS[0] } };
  }
  if (kind === 'list_refunds') return { method: 'POST', path: '/refunds/list', body: { payment_id: id } };
  if (kind === 'retrieve_refund') return { method: 'GET', path: `/refunds/${encodeURIComponent(refundId)}` };
  if (kind === 'update_refund') return { method: 'POST', path: `/refunds/${encodeURIComponent(refundId)}`, body: { reason: REFUND_REASONS[0] } };
  if (kind === 'confirm') return { method: 'POST', path: `${path}/confirm`, body: testCardRequest(TEST_CARDS[0]!) };
  if (kind === 'confirm_publishable') {
    return { method: 'POST', path: `${path}/confirm`, body: { ...testCardRequest(TEST_CARDS[0]!), client_secret: '' }, key: 'publishable' };
  }
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
  const refundId = typeof fields.refundId === 'string' ? fields.refundId : undefined;
  const offered: CurlKind[] = refundId
    ? [...REFUND_KINDS]
    : p
      ? ['retrieve', ...allowedActions(p.status).flatMap((x): CurlKind[] => (x === 'simulate' ? [] : x === 'confirm' ? ['confirm', 'confirm_publishable'] : [x])), ...(p.refunds?.length ? ['list_refunds' as const] : [])]
      : KINDS.filter((k) => !REFUND_KINDS.includes(k));
  return askOnce((input) =>
    input.pick<CurlKind>({
      title: `${title} (${id})`,
      step: 1,
      totalSteps: 1,
      placeholder: l10n.t('Which request?'),
      items: offered.map((k) => {
        const r = curlRequest(k, id, p, refundId);
        return { label: KIND_LABELS[k](), description: `${r.method} ${r.path}${r.key === 'publishable' ? ` · ${l10n.t('publishable key + client_secret')}` : ''}`, value: k };
      }),
    }),
  );
}

/**
 * `perfectpay.copyAsCurl(row | refund row | id | { paymentId, refundId?, request?: CurlKind })`: resolves to
 * the text copied.
 */
export async function copyAsCurl(d: CommandDeps, arg?: unknown): Promise<string | undefined> {
  const a = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Copy as cURL')));
  if (!id) return undefined;
  return copyRequest(d, a, id, {
    title: l10n.t('PerfectPay: Copy as cURL'),
    make: (r) => d.service.curlFor(r.method, r.path, r.body, r.key),
    doing: l10n.t('Could not make the cURL command'),
    copied: (kind) => l10n.t('Copied the cURL command for {0} {1}.', KIND_LABELS[kind](), id),
  });
}

/**
 * Copies a request on payment `id`, of the kind the argument names (`request`) or asked under `title`,
 * as `make` writes it, and says what was copied (`copied`) and where it reads its keys from. Resolves
 * to the text copied; undefined when dismissed or when `make` failed (reported as `doing`).
 */
export async function copyRequest(
  d: CommandDeps,
  a: CommandArg,
  id: string,
  o: { title: string; make: (r: ReturnType<typeof curlRequest>) => Promise<string>; doing: string; copied: (kind: CurlKind) => string },
): Promise<string | undefined> {
  const p = d.service.cached(id) ?? a.payment;
  const kind = await requestKind(o.title, id, p, a.fields);
  if (!kind) return undefined;
  let text: string;
  try {
    text = await o.make(curlRequest(kind, id, p, typeof a.fields.refundId === 'string' ? a.fields.refundId : undefined));
  } catch (e) {
    reportError(d, e, { doing: o.doing });
    return undefined;
  }
  await vscode.env.clipboard.writeText(text);
  // The local sandbox's key and URL are in every new integrated terminal (src/environment/terminalEnv.ts).
  const local = d.service.environment().kind === 'local' ? ` ${l10n.t('New integrated terminals have it set for the local sandbox.')}` : '';
  d.notifier.info(`${o.copied(kind)} ${keyVarsNote(kind)}${local}`);
  return text;
}
