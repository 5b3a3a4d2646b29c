/** Random ids and a small seeded PRNG (for a deterministic seed). */
import { randomBytes } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export type Rng = () => number;

/** mulberry32: a fast 32-bit PRNG, good enough for demo data. Values in [0, 1). */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Crypto-backed source, the default for ids (bytes fetched 4 KiB at a time: ids are made often). */
let pool = Buffer.alloc(0);
let poolAt = 0;
export const cryptoRng: Rng = () => {
  if (poolAt + 4 > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  const v = pool.readUInt32BE(poolAt);
  poolAt += 4;
  return v / 4294967296;
};

export function randomString(length: number, alphabet: string, rng: Rng): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rng() * alphabet.length)];
  return s;
}

/** `pay_` + 26 lower-case alphanumerics. */
export const newPaymentId = (rng: Rng = cryptoRng) => 'pay_' + randomString(26, LOWER_ALNUM, rng);
/** `{payment_id}_secret_` + 20 alphanumerics. */
export const newClientSecret = (paymentId: string, rng: Rng = cryptoRng) =>
  `${paymentId}_secret_${randomString(20, MIXED_ALNUM, rng)}`;
export const newAttemptId = (paymentId: string, n: number) => `${paymentId}_${n}`;
export const newCaptureId = (rng: Rng = cryptoRng) => 'cap_' + randomString(26, LOWER_ALNUM, rng);
/** The processor's reference of an authorised payment, shaped like a card processor's (`pi_…`). */
export const newConnectorTransactionId = (rng: Rng = cryptoRng) => 'pi_' + randomString(24, MIXED_ALNUM, rng);
/** The processor's reference of a capture (`ch_…`). */
export const newConnectorCaptureId = (rng: Rng = cryptoRng) => 'ch_' + randomString(24, MIXED_ALNUM, rng);
/** A refund's id: `ref_` + 26 lower-case alphanumerics. */
export const newRefundId = (rng: Rng = cryptoRng) => 'ref_' + randomString(26, LOWER_ALNUM, rng);
/** The processor's reference of a refund (`re_…`). */
export const newConnectorRefundId = (rng: Rng = cryptoRng) => 're_' + randomString(24, MIXED_ALNUM, rng);
/** A key of the sandbox's own: `snd_…` (secret) or `pk_snd_…` (publishable), 32 letters and digits. */
export const newKey = (prefix: 'snd_' | 'pk_snd_') => prefix + randomString(32, MIXED_ALNUM, cryptoRng);

export function pick<T>(items: readonly T[], rng: Rng): T {
  return items[Math.floor(rng() * items.length)]!;
}
