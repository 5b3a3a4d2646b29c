/**
 * Payment ids: their format, how they are shortened for people, and ids made by the caller. A create
 * carries one chosen before sending, so a retried create is the same payment (the server refuses a
 * second with HE_01). Pure: imports nothing; Web Crypto exists in Node 20 and in the webview.
 */

/**
 * Payment ids as the API makes them, and as a caller may choose them: `pay_` and then letters,
 * digits, `_` or `-` (64 characters at most, as Hyperswitch allows). Never `.` or `..` or a `/`: an
 * id goes into a URL path.
 */
export const PAYMENT_ID_RE = /^pay_[A-Za-z0-9_-]{1,60}$/;

export function isPaymentId(value: unknown): value is string {
  return typeof value === 'string' && PAYMENT_ID_RE.test(value);
}

/** "pay_mbabizu24mvu3mela5njyhpit4" → "pay_mbabizu…": short enough for a title or a message. */
export function shortId(id: string, max = 12): string {
  return id.length > max ? `${id.slice(0, max - 1)}…` : id;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `pay_` and 26 random lower-case letters and digits, like the server's own ids. */
export function newPaymentId(): string {
  const bytes = new Uint8Array(26);
  globalThis.crypto.getRandomValues(bytes);
  let id = 'pay_';
  for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

/**
 * Refund ids: letters, digits, `_` or `-` (64 characters at most). The server's own and the
 * client's are `ref_` and 26 more (`newRefundId`); a caller may choose any such id, as Hyperswitch
 * allows. Never `.` or `/`: an id goes into a URL path. A refund carries one chosen before sending,
 * so a retried refund is the same refund (the server refuses a second with HE_01).
 */
export const REFUND_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function isRefundId(value: unknown): value is string {
  return typeof value === 'string' && REFUND_ID_RE.test(value);
}

/** `ref_` and 26 random lower-case letters and digits, like the server's own ids. */
export function newRefundId(): string {
  return 'ref_' + newPaymentId().slice('pay_'.length);
}
