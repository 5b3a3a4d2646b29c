/**
 * The one validation of a capture (and a refund) amount as a person types it, shared by the Capture command's
 * input box and the inspector's capture field. Pure: imports only the domain.
 */
import { formatMoney, parseMoney, type ParsedAmount } from '../domain/money';

/** Why a typed capture amount is refused, or its minor units (at most `capturable`). */
export function parseCaptureAmount(text: string, currency: string, capturable: number): ParsedAmount {
  const r = parseMoney(text, currency);
  if (!r.ok) return r;
  if (r.minor > capturable) {
    return { ok: false, reason: `That is more than can be captured: at most ${formatMoney(capturable, currency)}.` };
  }
  return r;
}

/**
 * Why a typed refund amount is refused, or its minor units: never 0, never more than what is left
 * to refund (`left`); the over-refund says how much is left and how much was refunded before.
 */
export function parseRefundAmount(text: string, currency: string, left: number, refunded = 0): ParsedAmount {
  const r = parseMoney(text, currency);
  if (!r.ok || r.minor <= left) return r;
  const before = refunded > 0 ? ` (${formatMoney(refunded, currency)} already refunded)` : '';
  return { ok: false, reason: `That is more than is left to refund: at most ${formatMoney(left, currency)}${before}.` };
}
