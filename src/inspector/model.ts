/**
 * Builds the inspector's view model (src/shared/protocol.ts `InspectorModel`) from a payment, what
 * the extension has seen of it, and the environment. Pure: no `vscode`, so it is unit-tested in Node.
 *
 * What never goes into a model: the client secret (sent only when the person clicks Show), and any
 * `card_number` / `card_cvc` field, wherever it appears.
 */
import type { Payment } from '../api/schemas';
import type { PaymentObservation } from '../model/history';
import { maskCardsInText } from '../domain/cards';
import { formatMinorUnits, formatMoney } from '../domain/money';
import { nextActionView, withoutSensitive } from './nextActionView';
import { canDo, canExpire, isKnownStatus, isTerminal, simulateOutcomes, STATUS_INFO, statusKind, statusLabel } from '../domain/status';
import { buildTimeline, type TimelineAttempt, type TimelineCapture, type TimelineEvent } from './timeline';
import { shortId } from '../domain/ids';
import { amountLeftToRefund, CANCELLATION_REASONS, refundedAmount } from '../domain/payment';
import { refundKind, refundStatusLabel } from './timeline';
import type { AddressView, InspectorModel } from '../shared/protocol';
import { jsonRows } from './jsonTree';

/** The panel title: "49.99 USD · pay_mbabizu…". */
export function panelTitle(payment: Pick<Payment, 'amount' | 'currency' | 'payment_id'> | undefined, paymentId: string): string {
  return payment ? `${formatMoney(payment.amount, payment.currency)} · ${shortId(paymentId)}` : `Payment · ${shortId(paymentId)}`;
}

function money(n: number | null | undefined, currency: string): string | null {
  return typeof n === 'number' && Number.isFinite(n) ? formatMoney(n, currency) : null;
}

function nonEmpty(s: unknown): string | null {
  return typeof s === 'string' && s.trim() !== '' ? s : null;
}

/** A free-text field of the answer, card numbers in it cut to their last four. */
function text(s: unknown): string | null {
  const t = nonEmpty(s);
  return t === null ? null : maskCardsInText(t);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function joined(parts: unknown[], sep: string): string | null {
  const kept = parts.map(text).filter((x): x is string => x !== null);
  return kept.length ? kept.join(sep) : null;
}

/** "+1 4155550100" from Hyperswitch's { number, country_code } (or the payment's phone fields). */
function phoneText(number: unknown, countryCode: unknown): string | null {
  return nonEmpty(number) ? joined([countryCode, number], ' ') : null;
}

/**
 * Hyperswitch's address object ({ address: { line1…3, city, state, zip, country, first_name,
 * last_name }, phone: { number, country_code }, email }) as lines of text; null when it says nothing.
 */
export function addressView(title: string, raw: unknown): AddressView | null {
  if (!isRecord(raw)) return null;
  const a = isRecord(raw.address) ? raw.address : {};
  const phone = isRecord(raw.phone) ? phoneText(raw.phone.number, raw.phone.country_code) : null;
  const name = joined([a.first_name, a.last_name], ' ');
  const place = joined([a.city, joined([a.state, a.zip], ' ')], ', ');
  const lines = [text(a.line1), text(a.line2), text(a.line3), place, text(a.country)].filter((x): x is string => x !== null);
  const email = text(raw.email);
  if (!name && !lines.length && !phone && !email) return null;
  return { title, name, lines, phone, email };
}

function addresses(p: Payment): AddressView[] {
  const pmd = p.payment_method_data as { billing?: unknown } | null | undefined;
  const out = [
    addressView('Billing', p.billing),
    addressView('Shipping', p.shipping),
    addressView('Billing (payment method)', pmd?.billing),
  ].filter((x): x is AddressView => x !== null);
  // The payment method's billing is usually the same address: shown once.
  const [billing] = out;
  const last = out[out.length - 1];
  if (billing && last && last !== billing && last.title === 'Billing (payment method)' && billing.title === 'Billing' &&
      JSON.stringify({ ...billing, title: '' }) === JSON.stringify({ ...last, title: '' })) {
    out.pop();
  }
  return out;
}

function describeCard(payment: Payment): string | null {
  const card = payment.payment_method_data?.card;
  if (!card) return null;
  const parts: string[] = [];
  const network = nonEmpty(card.card_network) ?? 'Card';
  parts.push(card.last4 ? `${network} •••• ${card.last4}` : network);
  if (card.card_exp_month && card.card_exp_year) parts.push(`expires ${card.card_exp_month}/${card.card_exp_year}`);
  if (card.card_holder_name) parts.push(card.card_holder_name);
  return parts.join(' · ');
}

function describePaymentMethod(payment: Payment): string | null {
  const m = nonEmpty(payment.payment_method);
  const t = nonEmpty(payment.payment_method_type);
  if (m && t) return `${m} / ${t}`;
  return m ?? t;
}

/** The last answer as shown in "Raw JSON": the client secret hidden, card numbers removed. */
export function rawJsonOf(payment: Payment): string {
  const copy = withoutSensitive(payment) as Record<string, unknown>;
  if (typeof payment.client_secret === 'string' && payment.client_secret !== '') copy.client_secret = '(hidden: use Show)';
  return JSON.stringify(copy, null, 2);
}

export interface ModelInput {
  payment: Payment;
  history: readonly PaymentObservation[];
  /** The current environment; `baseUrl` decides which QR code URLs may be fetched (its origin only). */
  environment: { label: string; supportsSimulate: boolean; baseUrl?: string };
  /** When the answer arrived (ISO 8601). */
  receivedAt: string;
  polling: boolean;
  /** The last expanded attempts / captures known, when `payment` came without them. */
  attempts?: readonly TimelineAttempt[];
  captures?: readonly TimelineCapture[];
  /** The payment's webhook events, when they could be read. */
  events?: readonly TimelineEvent[];
}

export function buildInspectorModel(input: ModelInput): InspectorModel {
  const { payment: p } = input;
  const status = p.status;
  const known = isKnownStatus(status);
  const info = known ? STATUS_INFO[status] : undefined;
  const customer = isRecord(p.customer) ? p.customer : {};
  const capturable = typeof p.amount_capturable === 'number' ? p.amount_capturable : 0;
  return {
    paymentId: p.payment_id,
    title: panelTitle(p, p.payment_id),
    receivedAt: input.receivedAt,
    environment: { label: input.environment.label, supportsSimulate: input.environment.supportsSimulate },
    status: {
      value: status,
      label: statusLabel(status),
      kind: statusKind(status),
      known,
      terminal: isTerminal(status),
      meaning: info?.meaning ?? null,
      next: info?.next ?? null,
    },
    amounts: {
      currency: p.currency,
      amount: formatMoney(p.amount, p.currency),
      capturable: money(p.amount_capturable, p.currency),
      received: money(p.amount_received, p.currency),
      // The amount with surcharges and taxes: shown only when it differs (beside "Received" it read as a second total).
      net: p.net_amount === p.amount ? null : money(p.net_amount, p.currency),
      capturableInput: capturable > 0 ? formatMinorUnits(capturable, p.currency) : '',
      refunded: p.refunds?.length ? formatMoney(refundedAmount(p), p.currency) : null,
      leftToRefund: p.refunds?.length || canDo('refund', status) ? formatMoney(amountLeftToRefund(p), p.currency) : null,
    },
    refunds: (p.refunds ?? []).map((r) => ({
      id: r.refund_id,
      amount: formatMoney(r.amount, r.currency),
      status: r.status,
      statusLabel: refundStatusLabel(r.status),
      kind: refundKind(r.status),
      reason: text(r.reason),
      error: joined([r.error_code, r.error_message], ' — '),
      at: nonEmpty(r.created_at),
    })),
    details: {
      captureMethod: nonEmpty(p.capture_method),
      authenticationType: nonEmpty(p.authentication_type),
      customerId: text(p.customer_id),
      description: text(p.description),
      paymentMethod: describePaymentMethod(p),
      card: describeCard(p),
      errorCode: nonEmpty(p.error_code),
      errorMessage: text(p.error_message),
      cancellationReason: text(p.cancellation_reason),
      connector: nonEmpty(p.connector),
      connectorTransactionId: nonEmpty(p.connector_transaction_id),
      returnUrl: nonEmpty(p.return_url),
      attemptCount: typeof p.attempt_count === 'number' ? p.attempt_count : null,
      customerName: text(p.name) ?? text(customer.name),
      email: text(p.email) ?? text(customer.email),
      phone: phoneText(p.phone, p.phone_country_code) ?? phoneText(customer.phone, customer.phone_country_code),
    },
    addresses: addresses(p),
    metadata: isRecord(p.metadata) ? jsonRows(p.metadata) : [],
    times: { created: nonEmpty(p.created), modified: nonEmpty(p.modified_at), expires: canExpire(p.status) ? nonEmpty(p.expires_on) : null },
    hasClientSecret: typeof p.client_secret === 'string' && p.client_secret !== '',
    nextAction: nextActionView(p.next_action, p.currency, { apiBaseUrl: input.environment.baseUrl }),
    timeline: buildTimeline(p, input.history, p.attempts ?? input.attempts ?? [], p.captures ?? input.captures ?? [], input.events ?? []),
    // The one action table (src/domain/status.ts): what the tree, the palette and the sandbox allow too.
    actions: {
      confirm: canDo('confirm', status),
      capture: canDo('capture', status) && capturable > 0,
      cancel: canDo('cancel', status),
      refund: canDo('refund', status) && amountLeftToRefund(p) > 0,
      simulate: input.environment.supportsSimulate && canDo('simulate', status) ? simulateOutcomes(status) : [],
    },
    cancellationReasons: [...CANCELLATION_REASONS],
    polling: input.polling,
    rawJson: rawJsonOf(p),
  };
}
