/**
 * The argument convention of the payment commands (the inspector relies on it): each accepts a
 * tree row, a payment id string, a Payment, or `{ paymentId: string, ...fields }` whose fields
 * skip the matching questions.
 */
import type { Payment } from '../api/schemas';

export interface CommandArg {
  paymentId?: string;
  /** The other fields of an object argument. */
  fields: Record<string, unknown>;
  /** The payment itself, when a tree row or a Payment was given. */
  payment?: Payment;
}

export function parseArg(arg: unknown): CommandArg {
  if (typeof arg === 'string') return { paymentId: arg.trim() || undefined, fields: {} };
  if (!arg || typeof arg !== 'object') return { fields: {} };
  const o = arg as Record<string, unknown>;
  // A refund row: { kind: 'refund', refund }: its payment, and the refund's id as `refundId`.
  if (o.kind === 'refund' && o.refund && typeof o.refund === 'object') {
    const { kind: _kind, refund: _refund, ...rest } = o;
    const r = o.refund as { payment_id?: unknown; refund_id?: unknown };
    if (typeof r.payment_id === 'string') return { paymentId: r.payment_id, fields: { ...rest, refundId: r.refund_id } };
  }
  // A tree row: { kind: 'payment', payment }.
  if (o.kind === 'payment' && o.payment && typeof o.payment === 'object') {
    const p = o.payment as Payment;
    return { paymentId: p.payment_id, payment: p, fields: {} };
  }
  const { paymentId, ...fields } = o;
  if (typeof paymentId === 'string' && paymentId.trim()) return { paymentId: paymentId.trim(), fields };
  // A Payment (or anything with a payment_id and a status).
  if (typeof o.payment_id === 'string' && typeof o.status === 'string') {
    return { paymentId: o.payment_id, payment: o as unknown as Payment, fields: {} };
  }
  return { fields };
}

export function has(fields: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(fields, key);
}
