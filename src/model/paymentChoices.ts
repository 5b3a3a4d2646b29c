/**
 * Which recent payments a "Which payment?" list offers: those that allow the action, without the one
 * the command is already about (Compare's second payment is another one). Pure.
 */
import { canDo, type PaymentAction, type PaymentStatus } from '../domain/status';

export function paymentsToOffer<P extends { payment_id: string; status: PaymentStatus }>(
  payments: readonly P[],
  o: { action?: PaymentAction; exclude?: string } = {},
): P[] {
  return payments.filter((p) => p.payment_id !== o.exclude && (!o.action || canDo(o.action, p.status)));
}
