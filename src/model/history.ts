/**
 * What the extension has seen of a payment over time: one observation each time an answer showed
 * it in a new state. Kept small (not whole answers) so many payments' histories fit in storage;
 * the timeline is built from these plus the payment's own fields. Pure: no I/O, no `vscode`.
 */
import type { PaymentStatus } from '../domain/status';

/** The fields of a payment answer that an observation keeps (any payment answer has this shape). */
export interface ObservedPayment {
  status: PaymentStatus;
  amount_capturable?: number | null;
  amount_received?: number | null;
  error_code?: string | null;
  error_message?: string | null;
  cancellation_reason?: string | null;
  next_action?: { type: string } | null;
}

/** What made the extension see the payment: the action it took, or a read. */
export type ObservationCause =
  | 'create'
  | 'confirm'
  | 'capture'
  | 'cancel'
  | 'simulate'
  | 'refund'
  | 'retrieve'
  | 'list'
  | 'poll';

export interface PaymentObservation {
  /** When the answer arrived (ISO 8601). */
  at: string;
  cause: ObservationCause;
  status: string;
  amount_capturable?: number | null;
  amount_received?: number | null;
  error_code?: string | null;
  error_message?: string | null;
  cancellation_reason?: string | null;
  next_action_type?: string | null;
  /** For a capture: the amount asked for (minor units). */
  amount_to_capture?: number;
  /** For a confirm: the method used ("card •••• 4242", "bank_transfer/ach"). */
  method?: string;
  /** For a refund: the amount refunded (minor units), and the reason given, if any. */
  refund_amount?: number;
  refund_reason?: string;
}

/** What an action adds to its observation. */
export type ObservationExtra = Pick<PaymentObservation, 'amount_to_capture' | 'method' | 'refund_amount' | 'refund_reason'>;

/** At most this many observations are kept per payment (the oldest are dropped, the first kept). */
export const MAX_OBSERVATIONS = 60;

export function observationOf(
  payment: ObservedPayment,
  cause: ObservationCause,
  at: string,
  extra: ObservationExtra = {},
): PaymentObservation {
  return {
    at,
    cause,
    status: payment.status,
    amount_capturable: payment.amount_capturable,
    amount_received: payment.amount_received,
    error_code: payment.error_code,
    error_message: payment.error_message,
    cancellation_reason: payment.cancellation_reason,
    next_action_type: payment.next_action?.type ?? null,
    ...extra,
  };
}

/**
 * Adds an observation to a history. A read that shows nothing new is not added (polling every few
 * seconds must not fill storage); an action always is, since it is a step of its own.
 */
export function appendObservation(history: readonly PaymentObservation[], obs: PaymentObservation): PaymentObservation[] {
  const last = history[history.length - 1];
  const isRead = obs.cause === 'retrieve' || obs.cause === 'list' || obs.cause === 'poll';
  if (last && isRead && sameState(last, obs)) return history as PaymentObservation[];
  const next = [...history, obs];
  if (next.length > MAX_OBSERVATIONS) next.splice(1, next.length - MAX_OBSERVATIONS);
  return next;
}

function sameState(a: PaymentObservation, b: PaymentObservation): boolean {
  return (
    a.status === b.status &&
    a.amount_capturable === b.amount_capturable &&
    a.amount_received === b.amount_received &&
    a.next_action_type === b.next_action_type
  );
}
