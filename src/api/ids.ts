/**
 * Payment ids made by the caller. A create carries one chosen before sending, so a retried create is
 * the same payment (the server refuses a second with HE_01). No undici here: the extension's small
 * bundle imports this at load.
 */
import { randomBytes } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `pay_` and 26 random lower-case letters and digits, like the server's own ids. */
export function newPaymentId(): string {
  let id = 'pay_';
  for (const b of randomBytes(26)) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}
