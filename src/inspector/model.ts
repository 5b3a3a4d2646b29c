/**
 * Builds the inspector's view model (src/shared/protocol.ts `InspectorModel`) from a payment, what
 * the extension has seen of it, and the environment. Pure: no `vscode`, so it is unit-tested in Node.
 *
 * What never goes into a model: the client secret (sent only when the person clicks Show), and any
 * `card_number` / `card_cvc` field, wherever it appears.
 */
import type { Attempt, Capture, Payment } from '../api/schemas';
import type { PaymentObservation } from '../model/history';
import { formatMinorUnits, formatMoney } from '../domain/money';
import { nextActionView, withoutSensitive } from './nextActionView';
import { canDo, canExpire, isKnownStatus, isTerminal, STATUS_INFO, statusKind, statusLabel } from '../domain/status';
import { buildTimeline } from './timeline';
import { shortId } from '../domain/ids';
import { CANCELLATION_REASONS } from '../domain/payment';
import { type InspectorModel } from '../shared/protocol';

/** Statuses in which the local sandbox can complete or fail the customer's step. */
export const SIMULATE_STATUSES = ['requires_customer_action', 'processing'];


/** The panel title: "49.99 USD · pay_mbabizu…". */
export function panelTitle(payment: Pick<Payment, 'amount' | 'currency' | 'payment_id'> | undefined, paymentId: string): string {
  return payment ? `${formatMoney(payment.amount, payment.currency)} · ${shortId(paymentId)}` : `Payment · ${shortId(paymentId)}`;
}

function money(n: number | null | undefined, currency: string): string | null {
  return typeof n === 'number' && Number.isFinite(n) ? formatMoney(n, currency) : null;
}

function nonEmpty(s: string | null | undefined): string | null {
  return typeof s === 'string' && s !== '' ? s : null;
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
  environment: { label: string; supportsSimulate: boolean };
  /** When the answer arrived (ISO 8601). */
  receivedAt: string;
  polling: boolean;
  /** The last expanded attempts / captures known, when `payment` came without them. */
  attempts?: readonly Attempt[];
  captures?: readonly Capture[];
}

export function buildInspectorModel(input: ModelInput): InspectorModel {
  const { payment: p } = input;
  const status = p.status;
  const known = isKnownStatus(status);
  const info = known ? STATUS_INFO[status] : undefined;
  const metadata = Object.entries(p.metadata ?? {})
    .filter(([key]) => !/^(card_number|card_cvc|cvc|cvv)$/i.test(key))
    .map(([key, value]) => ({
    key,
      value: typeof value === 'string' ? value : JSON.stringify(withoutSensitive(value)) ?? String(value),
    }));
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
      net: money(p.net_amount, p.currency),
      capturableInput: capturable > 0 ? formatMinorUnits(capturable, p.currency) : '',
    },
    details: {
      captureMethod: nonEmpty(p.capture_method),
      authenticationType: nonEmpty(p.authentication_type),
      customerId: nonEmpty(p.customer_id),
      description: nonEmpty(p.description),
      paymentMethod: describePaymentMethod(p),
      card: describeCard(p),
      errorCode: nonEmpty(p.error_code),
      errorMessage: nonEmpty(p.error_message),
      cancellationReason: nonEmpty(p.cancellation_reason),
      connector: nonEmpty(p.connector),
      returnUrl: nonEmpty(p.return_url),
      attemptCount: typeof p.attempt_count === 'number' ? p.attempt_count : null,
    },
    metadata,
    times: { created: nonEmpty(p.created), modified: nonEmpty(p.modified_at), expires: canExpire(p.status) ? nonEmpty(p.expires_on) : null },
    hasClientSecret: typeof p.client_secret === 'string' && p.client_secret !== '',
    nextAction: nextActionView(p.next_action, p.currency),
    timeline: buildTimeline(p, input.history, p.attempts ?? input.attempts ?? [], p.captures ?? input.captures ?? []),
    actions: {
      confirm: canDo('confirm', status),
      capture: canDo('capture', status) && capturable > 0,
      cancel: canDo('cancel', status),
      simulate: input.environment.supportsSimulate && canDo('simulate', status) && SIMULATE_STATUSES.includes(status),
    },
    cancellationReasons: [...CANCELLATION_REASONS],
    polling: input.polling,
    rawJson: rawJsonOf(p),
  };
}
