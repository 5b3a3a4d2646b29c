/**
 * The rows the Payments view shows while the local sandbox starts: its first page as it was last
 * saved (src/environment/localSandbox.ts). The file is read without the runtime (no zod: loading it is
 * what the preview saves), so each row is checked here by hand and rebuilt from the fields the tree
 * shows, each of the type it must have; anything else is left out, and a row without a valid id,
 * status, amount, currency or creation time is dropped. The live page replaces these rows as soon as
 * it arrives.
 */
import type { Payment } from '../api/schemas';
import { isPaymentId } from '../domain/ids';
import { PAYMENT_STATUSES } from '../domain/status';

const STATUSES: ReadonlySet<string> = new Set(PAYMENT_STATUSES);
const TEXT_FIELDS = [
  'description', 'customer_id', 'capture_method', 'payment_method', 'payment_method_type',
  'error_code', 'error_message', 'cancellation_reason',
] as const;
const AMOUNT_FIELDS = ['amount_capturable', 'amount_received'] as const;
const MAX_TEXT = 2000;

const isAmount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT;

/** One saved row as a Payment with only the checked fields the tree shows; undefined when unusable. */
export function previewPayment(raw: unknown): Payment | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (!isPaymentId(r.payment_id) || typeof r.status !== 'string' || !STATUSES.has(r.status)) return undefined;
  if (!isAmount(r.amount) || typeof r.currency !== 'string' || !/^[A-Z]{3}$/.test(r.currency)) return undefined;
  if (!isText(r.created) || Number.isNaN(Date.parse(r.created))) return undefined;
  const p: Record<string, unknown> = { payment_id: r.payment_id, status: r.status, amount: r.amount, currency: r.currency, created: r.created };
  for (const k of TEXT_FIELDS) if (isText(r[k])) p[k] = r[k];
  for (const k of AMOUNT_FIELDS) if (isAmount(r[k])) p[k] = r[k];
  const card = (r.payment_method_data as { card?: Record<string, unknown> } | null | undefined)?.card;
  if (card && typeof card === 'object' && typeof card.last4 === 'string' && /^\d{4}$/.test(card.last4)) {
    p.payment_method_data = { card: { last4: card.last4, ...(isText(card.card_network) ? { card_network: card.card_network } : {}) } };
  }
  const next = r.next_action as { type?: unknown } | null | undefined;
  if (next && typeof next === 'object' && isText(next.type)) p.next_action = { type: next.type };
  return p as unknown as Payment;
}

/** The first `limit` usable rows of a saved first page, newest first as saved. */
export function previewPage(rows: readonly unknown[], limit: number): Payment[] {
  const out: Payment[] = [];
  for (const row of rows) {
    if (out.length >= limit) break;
    const p = previewPayment(row);
    if (p) out.push(p);
  }
  return out;
}
