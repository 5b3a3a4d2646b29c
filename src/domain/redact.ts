/**
 * Redaction: the one module that decides what of a request, an answer or a message may be shown. One
 * list of sensitive names (keys, CVCs, client secrets, cookies) for every output: the request log,
 * request events, cURL and code copies, errors, the inspector, the sandbox's log. Card numbers keep
 * their last four, wherever they sit (a field, a header, free text). Pure: imports only the domain.
 */
import { maskCardNumber, maskCardsInText } from './cards';

/** Field and header names whose value is never shown (compared lower-case, `-` and `_` alike). */
export const SENSITIVE_NAMES: readonly string[] = [
  'api-key',
  'x-api-key',
  'authorization',
  'proxy-authorization',
  'proxyAuthorization',
  'cookie',
  'set-cookie',
  'card_cvc',
  'card_cvv',
  'cvc',
  'cvv',
  'client_secret',
  'password',
];

const normalise = (name: string): string => name.toLowerCase().replace(/_/g, '-');
const SENSITIVE = new Set(SENSITIVE_NAMES.map(normalise));

export function isSensitiveName(name: string): boolean {
  return SENSITIVE.has(normalise(name));
}

export const REDACTED = '[redacted]';

/** "pay_x_secret_abcdef" → "pay_x_secret_••••": enough to recognise, not to use. */
function maskClientSecret(value: string): string {
  const i = value.indexOf('_secret_');
  return i < 0 ? REDACTED : `${value.slice(0, i + '_secret_'.length)}••••`;
}

/** A client secret anywhere in free text (a raw or cut answer, HTML, a URL): its secret part. */
const CLIENT_SECRET_IN_TEXT = /_secret_[A-Za-z0-9]+/g;

/** Personal contact data: shown in the inspector (it is the user's own), masked in logs and copies. */
const CONTACT_NAMES = new Set(['email', 'phone', 'phone_number']);

/** "jane.doe@example.com" → "j•••@example.com"; "+44 7700 900123" → "•••23". */
export function maskContact(name: string, value: string): string {
  if (name === 'email') {
    const at = value.indexOf('@');
    return at > 0 ? `${value[0]}•••${value.slice(at)}` : '•••';
  }
  const digits = value.replace(/\D/g, '');
  return digits.length > 2 ? `•••${digits.slice(-2)}` : '•••';
}

/**
 * Masks card numbers and client secrets (`…_secret_••••`) in free text, and every occurrence of
 * `secrets` (keys the caller knows).
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join(REDACTED);
  return maskCardsInText(out.replace(CLIENT_SECRET_IN_TEXT, '_secret_••••'));
}

/** A deep copy of a JSON value with sensitive fields masked and card numbers cut to their last four. */
export function redactJson(value: unknown, secrets: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'card_number' && typeof v === 'string') out[k] = maskCardNumber(v);
      else if (k === 'client_secret' && typeof v === 'string') out[k] = maskClientSecret(v);
      else if (isSensitiveName(k)) out[k] = REDACTED;
      else if (CONTACT_NAMES.has(k) && typeof v === 'string') out[k] = maskContact(k, v);
      else if (k === 'phone' && v && typeof v === 'object' && typeof (v as { number?: unknown }).number === 'string') {
        out[k] = { ...(redactJson(v, secrets) as object), number: maskContact('phone', (v as { number: string }).number) };
      } else out[k] = redactJson(v, secrets);
    }
    return out;
  }
  return value;
}

/** Headers (request or response) with every sensitive one replaced and card numbers masked. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>, secrets: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const text = Array.isArray(v) ? v.join(', ') : v;
    out[k] = isSensitiveName(k) ? REDACTED : redactText(text, secrets);
  }
  return out;
}
