/**
 * The one validation of a capture amount as a person types it, shared by the Capture command's
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
