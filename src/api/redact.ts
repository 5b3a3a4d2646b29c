/**
 * Redaction of what the client reports (request log, cURL copies, errors). The API key never
 * appears; card numbers keep their last four; CVCs are removed; client secrets are shortened.
 */
import { luhnValid } from '../model/testCards';

const MASK = '••••';

/** "4242424242424242" → "••••4242". */
export function maskCard(value: string): string {
  const digits = value.replace(/\D/g, '');
  return `${MASK}${digits.slice(-4)}`;
}

/** "pay_x_secret_abcdef" → "pay_x_secret_••••": enough to recognise, not to use. */
function maskClientSecret(value: string): string {
  const i = value.indexOf('_secret_');
  return i < 0 ? MASK : `${value.slice(0, i + '_secret_'.length)}${MASK}`;
}

// 13 to 19 digits, optionally grouped by spaces or dashes, not inside a longer run of digits.
const CARD_LIKE = /(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])/g;

/** Masks anything in free text that looks like a card number, and every occurrence of `secrets`. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(CARD_LIKE, (m) => (luhnValid(m.replace(/[ -]/g, '')) ? maskCard(m) : m));
}

/** A deep copy of a JSON value with card numbers, CVCs and client secrets masked. */
export function redactJson(value: unknown, secrets: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'card_number' && typeof v === 'string') out[k] = maskCard(v);
      else if (k === 'card_cvc' || k === 'cvc' || k === 'card_cvv') out[k] = '[redacted]';
      else if (k === 'client_secret' && typeof v === 'string') out[k] = maskClientSecret(v);
      else out[k] = redactJson(v, secrets);
    }
    return out;
  }
  return value;
}

/** Headers for the log: `api-key` and `authorization` replaced. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = /^(api-key|authorization|cookie)$/i.test(k) ? '[redacted]' : v;
  }
  return out;
}
