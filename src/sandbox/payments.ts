/**
 * A stored payment as the API answers it: every field of perfectpay-api.md's example, in its
 * order, null where not set. The card is masked; the full number and CVC were never stored.
 */
import type { StoredPayment } from './types';

const iso = (ms: number) => new Date(ms).toISOString();

export interface RenderOptions {
  attempts?: boolean;
  captures?: boolean;
}

export function renderPayment(p: StoredPayment, opts: RenderOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    payment_id: p.payment_id,
    client_secret: p.client_secret,
    status: p.status,
    amount: p.amount,
    net_amount: p.net_amount,
    amount_capturable: p.amount_capturable,
    amount_received: p.amount_received,
    currency: p.currency,
    capture_method: p.capture_method,
    authentication_type: p.authentication_type,
    customer_id: p.customer_id,
    description: p.description,
    metadata: p.metadata ? { ...p.metadata } : null,
    return_url: p.return_url,
    payment_method: p.payment_method,
    payment_method_type: p.payment_method_type,
    payment_method_data: p.card ? { card: { ...p.card } } : null,
    next_action: p.next_action,
    error_code: p.error_code,
    error_message: p.error_message,
    cancellation_reason: p.cancellation_reason,
    connector: 'perfectpay_sandbox',
    attempt_count: p.attempt_count,
    created: iso(p.createdMs),
    modified_at: iso(p.modifiedMs),
    expires_on: iso(p.expiresMs),
  };
  if (opts.attempts) {
    out.attempts = p.attempts.map((a) => ({
      attempt_id: a.attempt_id,
      status: a.status,
      amount: a.amount,
      payment_method: a.payment_method,
      error_code: a.error_code,
      error_message: a.error_message,
      created_at: iso(a.createdMs),
      modified_at: iso(a.modifiedMs),
    }));
  }
  if (opts.captures) {
    out.captures = p.captures.map((c) => ({
      capture_id: c.capture_id,
      status: c.status,
      amount: c.amount,
      created_at: iso(c.createdMs),
    }));
  }
  return out;
}
