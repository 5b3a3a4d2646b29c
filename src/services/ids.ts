import { randomBytes } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `pay_` and 26 random characters, like the server's: chosen before sending so that a retried create is the same payment. */
export function newPaymentId(): string {
  let id = 'pay_';
  for (const b of randomBytes(26)) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}
