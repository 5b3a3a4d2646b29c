/**
 * Demo payments for the sandbox: N payments spread over every status and every next_action type,
 * with varied currencies, amounts, customers and descriptions, created over the last days. Made by
 * the store's own moves (create, confirm, capture, cancel…), so they are shaped like any other.
 * Deterministic: the same N gives the same payments (ids included) for the same clock.
 */
import type { CaptureMethod } from '../domain/payment';
import { EXPIRABLE_STATUSES } from '../domain/status';
import type { Address, CreatePaymentRequest, PaymentMethodData } from '../api/schemas';
import { newPaymentId, newRefundId, pick, seededRng, type Rng } from './random';
import type { PaymentStore } from './store';
import { resolveMethod } from './validate';
import type { StoredPayment } from './types';

export type Scenario =
  | 'succeeded'
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'rca_3ds_redirect'
  | 'rca_three_ds_invoke'
  | 'rca_google_pay'
  | 'rca_apple_pay'
  | 'rca_paypal'
  | 'rca_ach'
  | 'rca_sepa'
  | 'rca_bacs'
  | 'rca_pix'
  | 'rca_duit_now'
  | 'rca_fps'
  | 'rca_klarna'
  | 'rca_boleto'
  | 'processing'
  | 'requires_capture'
  | 'partially_captured'
  | 'partially_captured_and_capturable'
  | 'succeeded_multi_capture'
  | 'failed_declined'
  | 'failed_3ds'
  | 'cancelled'
  | 'expired'
  | 'refunded_full'
  | 'refunded_partial'
  | 'refund_failed';

/** The first payments of any seed, in this order: every status and every next_action type. */
export const GUARANTEED: readonly Scenario[] = [
  'succeeded',
  'requires_payment_method',
  'requires_confirmation',
  'rca_3ds_redirect',
  'rca_three_ds_invoke',
  'rca_google_pay',
  'rca_ach',
  'rca_pix',
  'rca_duit_now',
  'rca_fps',
  'rca_klarna',
  'rca_boleto',
  'processing',
  'requires_capture',
  'partially_captured',
  'partially_captured_and_capturable',
  'failed_declined',
  'cancelled',
  'expired',
  'refunded_full',
  'refunded_partial',
  'refund_failed',
];

const WEIGHTS: ReadonlyArray<[Scenario, number]> = [
  ['succeeded', 36],
  ['requires_payment_method', 6],
  ['requires_confirmation', 3],
  ['rca_3ds_redirect', 2],
  ['rca_three_ds_invoke', 1],
  ['rca_google_pay', 1],
  ['rca_apple_pay', 1],
  ['rca_paypal', 1],
  ['rca_ach', 1],
  ['rca_sepa', 1],
  ['rca_bacs', 1],
  ['rca_pix', 1],
  ['rca_duit_now', 1],
  ['rca_fps', 1],
  ['rca_klarna', 1],
  ['rca_boleto', 1],
  ['processing', 2],
  ['requires_capture', 6],
  ['partially_captured', 3],
  ['partially_captured_and_capturable', 3],
  ['succeeded_multi_capture', 3],
  ['failed_declined', 8],
  ['failed_3ds', 2],
  ['cancelled', 5],
  ['expired', 5],
  ['refunded_full', 2],
  ['refunded_partial', 2],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((s, [, w]) => s + w, 0);

function weighted(rng: Rng): Scenario {
  let r = rng() * TOTAL_WEIGHT;
  for (const [s, w] of WEIGHTS) {
    if ((r -= w) < 0) return s;
  }
  return 'succeeded';
}

/** The scenarios that end with refunds of a succeeded payment. */
const REFUNDED: ReadonlySet<Scenario> = new Set(['refunded_full', 'refunded_partial', 'refund_failed']);
const REFUND_REASONS = ['Customer returned the product', 'requested_by_customer', 'duplicate', 'Item damaged in transit'];

const CUSTOMERS = [
  'cus_abc123', 'cus_jane_doe', 'cus_marco_rossi', 'cus_aiko_tanaka', 'cus_liam_oconnor',
  'cus_sofia_garcia', 'cus_noah_schmidt', 'cus_emma_brown',
];
const HOLDERS = ['Jane Doe', 'Marco Rossi', 'Aiko Tanaka', 'Liam O\'Connor', 'Sofia García', 'Noah Schmidt'];
const PRODUCTS = [
  'Coffee beans 1 kg', 'Annual plan', 'Monthly plan', 'Running shoes', 'Desk lamp', 'Gift card',
  'Concert tickets', 'Bike repair', 'Cloud storage 2 TB', 'Yoga class pack', 'Headphones', 'Book bundle',
];
const CARDS_OK = ['4242424242424242', '4111111111111111', '5555555555554444', '378282246310005', '6011111111111117'];
const DECLINES = ['4000000000000002', '4000000000009995', '4000000000000069', '4000000000000127', '4000000000009987'];
const CITIES: ReadonlyArray<Required<Pick<NonNullable<Address['address']>, 'city' | 'state' | 'zip' | 'country'>>> = [
  { city: 'San Francisco', state: 'California', zip: '94122', country: 'US' },
  { city: 'Berlin', state: 'Berlin', zip: '10115', country: 'DE' },
  { city: 'Tokyo', state: 'Tokyo', zip: '100-0001', country: 'JP' },
  { city: 'London', state: 'England', zip: 'EC1A 1BB', country: 'GB' },
];

/** A billing address for the holder, as a checkout collects it. */
function address(holder: string, rng: Rng): Address {
  const [first_name, ...rest] = holder.split(' ');
  return {
    address: { line1: `${1 + Math.floor(rng() * 999)} Market Street`, ...pick(CITIES, rng), first_name, last_name: rest.join(' ') },
    phone: { number: `9${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`, country_code: '+1' },
  };
}

interface Ctx {
  store: PaymentStore;
  rng: Rng;
  nowMs: number;
  expiryMs: number;
  index: number;
}

function currencyAndAmount(rng: Rng): { currency: string; amount: number } {
  const r = rng();
  const currency = r < 0.7 ? 'USD' : r < 0.82 ? 'EUR' : r < 0.92 ? 'GBP' : 'JPY';
  if (currency === 'JPY') return { currency, amount: 100 * (5 + Math.floor(rng() * 495)) };
  const cents = [0, 0, 50, 99, 95, 49][Math.floor(rng() * 6)]!;
  return { currency, amount: (1 + Math.floor(rng() * 480)) * 100 + cents };
}

function card(number: string, rng: Rng): PaymentMethodData {
  return {
    card: {
      card_number: number,
      card_exp_month: String(1 + Math.floor(rng() * 12)),
      card_exp_year: String(30 + Math.floor(rng() * 6)),
      card_cvc: '123',
      card_holder_name: pick(HOLDERS, rng),
    },
  };
}

type Method = { payment_method: string; payment_method_type: string; payment_method_data: PaymentMethodData };
const cardMethod = (number: string, rng: Rng): Method => ({
  payment_method: 'card',
  payment_method_type: rng() < 0.8 ? 'credit' : 'debit',
  payment_method_data: card(number, rng),
});
const other = (payment_method: string, payment_method_type: string): Method => ({
  payment_method,
  payment_method_type,
  payment_method_data: {},
});

const RCA_METHODS: Partial<Record<Scenario, Method>> = {
  rca_google_pay: other('wallet', 'google_pay'),
  rca_apple_pay: other('wallet', 'apple_pay'),
  rca_paypal: other('wallet', 'paypal'),
  rca_ach: other('bank_transfer', 'ach'),
  rca_sepa: other('bank_transfer', 'sepa'),
  rca_bacs: other('bank_transfer', 'bacs'),
  rca_pix: other('bank_transfer', 'pix'),
  rca_duit_now: other('real_time_payment', 'duit_now'),
  rca_fps: other('real_time_payment', 'fps'),
  rca_klarna: other('pay_later', 'klarna'),
  rca_boleto: other('voucher', 'boleto'),
};

async function createOne(ctx: Ctx, scenario: Scenario, at: number): Promise<StoredPayment> {
  const { store, rng } = ctx;
  const { currency, amount } = currencyAndAmount(rng);
  const order = 1001 + ctx.index;
  const captureMethod: CaptureMethod =
    scenario === 'requires_capture' || scenario === 'partially_captured' || scenario === 'cancelled'
      ? 'manual'
      : scenario === 'partially_captured_and_capturable' || scenario === 'succeeded_multi_capture'
        ? 'manual_multiple'
        : rng() < 0.1 ? 'manual' : 'automatic';
  const req: CreatePaymentRequest = {
    payment_id: newPaymentId(rng),
    amount,
    currency,
    capture_method: captureMethod === 'manual' && (scenario === 'succeeded' || REFUNDED.has(scenario)) ? 'automatic' : captureMethod,
    authentication_type: scenario === 'failed_3ds' || (scenario === 'rca_3ds_redirect' && rng() < 0.5) ? 'three_ds' : 'no_three_ds',
    description: `Order ${order} — ${pick(PRODUCTS, rng)}`,
    metadata: { order_id: String(order), source: 'sandbox-seed' },
    return_url: 'https://example.com/checkout/complete',
  };
  if (rng() < 0.85) req.customer_id = pick(CUSTOMERS, rng);
  // Three payments in five carry what a checkout collects: who pays, and where to.
  if (rng() < 0.6) {
    const holder = pick(HOLDERS, rng);
    req.email = `${holder.split(' ')[0]!.toLowerCase()}@example.com`;
    req.name = holder;
    req.billing = address(holder, rng);
    if (rng() < 0.5) req.shipping = address(holder, rng);
  }
  // The 3DS method step (three_ds_invoke) is what an external authenticator runs.
  if (scenario === 'rca_three_ds_invoke') req.request_external_three_ds_authentication = true;

  // The method a confirm uses, by scenario.
  let method: Method | null;
  switch (scenario) {
    case 'requires_payment_method':
      method = null;
      break;
    case 'rca_3ds_redirect':
      method = cardMethod(req.authentication_type === 'three_ds' ? pick(CARDS_OK, rng) : '4000000000003220', rng);
      break;
    case 'failed_3ds':
      method = cardMethod(pick(CARDS_OK, rng), rng);
      break;
    case 'rca_three_ds_invoke':
      method = cardMethod('4000000000003063', rng);
      break;
    case 'processing':
      method = cardMethod('4000000000000259', rng);
      break;
    case 'failed_declined':
      method = cardMethod(pick(DECLINES, rng), rng);
      break;
    case 'refund_failed':
      // Its refunds stay pending a few seconds, then fail (refund_failed).
      method = cardMethod('4000000000005126', rng);
      break;
    case 'succeeded':
      method = rng() < 0.8
        ? cardMethod(pick(CARDS_OK, rng), rng)
        : pick([other('wallet', 'google_pay'), other('wallet', 'apple_pay'), other('bank_transfer', 'sepa'), other('pay_later', 'klarna')], rng);
      break;
    case 'cancelled':
      // Cancelled before any method, or an authorisation released before capture.
      method = rng() < 0.4 ? null : cardMethod(pick(CARDS_OK, rng), rng);
      break;
    case 'expired':
      method = rng() < 0.5 ? null : pick([other('voucher', 'boleto'), cardMethod('4000000000003220', rng)], rng);
      break;
    default:
      method = RCA_METHODS[scenario] ?? cardMethod(pick(CARDS_OK, rng), rng);
  }

  const resolve = (m: Method, when: number) => resolveMethod(m.payment_method, m.payment_method_type, m.payment_method_data, when);

  const attachOnly = scenario === 'requires_confirmation';
  const p = await store.create(
    { req: { ...req, confirm: false }, method: attachOnly && method ? resolve(method, at) : null },
    at,
  );
  // Keep it from expiring while it is being moved through its past.
  store.hold(p, Number.MAX_SAFE_INTEGER, null);
  let t = at;
  const later = (maxMs: number) => (t = Math.min(ctx.nowMs - 1, t + 1000 + Math.floor(rng() * maxMs)));

  if (method && !attachOnly && scenario !== 'requires_payment_method') {
    const when = later(30_000);
    await store.confirm(p.payment_id, { req: {}, method: resolve(method, when) }, when);
  }
  switch (scenario) {
    case 'succeeded':
      if (p.status === 'requires_customer_action') store.complete(p.payment_id, later(120_000));
      break;
    case 'requires_capture':
      break;
    case 'partially_captured':
      store.capture(p.payment_id, Math.max(1, Math.floor(p.amount * 0.6)), later(3_600_000));
      break;
    case 'partially_captured_and_capturable':
      store.capture(p.payment_id, Math.max(1, Math.floor(p.amount * 0.4)), later(3_600_000));
      break;
    case 'succeeded_multi_capture':
      store.capture(p.payment_id, Math.max(1, Math.floor(p.amount * 0.5)), later(3_600_000));
      store.capture(p.payment_id, store.get(p.payment_id).amount_capturable, later(3_600_000));
      break;
    case 'failed_3ds':
      store.failStep(p.payment_id, later(120_000));
      break;
    case 'refunded_full':
    case 'refunded_partial':
    case 'refund_failed': {
      const refund = (amount?: number) =>
        store.createRefund(
          { payment_id: p.payment_id, refund_id: newRefundId(rng), reason: pick(REFUND_REASONS, rng), ...(amount !== undefined ? { amount } : {}) },
          later(24 * 3_600_000),
        );
      if (scenario === 'refunded_partial') refund(Math.max(1, Math.floor(p.amount * 0.3)));
      else refund();
      break;
    }
    case 'cancelled':
      store.cancel(p.payment_id, pick(['requested_by_customer', 'duplicate', 'fraudulent', 'abandoned'], rng), later(600_000));
      break;
    default:
      break;
  }

  if (scenario === 'expired') {
    store.hold(p, Math.min(p.createdMs + ctx.expiryMs, ctx.nowMs - 1), null);
    store.refresh(p);
  } else {
    // Waiting payments stay waiting for a day of demo; processing ones settle in ten minutes.
    const natural = p.createdMs + ctx.expiryMs;
    const waiting = EXPIRABLE_STATUSES.includes(p.status);
    store.hold(p, waiting ? Math.max(ctx.nowMs + 24 * 3_600_000, natural) : natural, ctx.nowMs + 10 * 60_000);
  }
  return p;
}

export interface SeedOptions {
  count: number;
  nowMs: number;
  expiryMs: number;
  /** Seed of the PRNG. Default 42. */
  prngSeed?: number;
  /** Spread of creation times back from now. Default 7 days. */
  spanMs?: number;
}

/** Adds `count` demo payments to the store. */
export async function seedPayments(store: PaymentStore, opts: SeedOptions): Promise<void> {
  const rng = seededRng(opts.prngSeed ?? 42);
  const span = opts.spanMs ?? 7 * 24 * 3_600_000;
  const count = Math.max(0, Math.floor(opts.count));
  const scenarios: Scenario[] = [];
  for (let i = 0; i < count; i++) scenarios.push(i < GUARANTEED.length ? GUARANTEED[i]! : weighted(rng));
  // Shuffle, so the guaranteed ones are not all the oldest.
  for (let i = scenarios.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [scenarios[i], scenarios[j]] = [scenarios[j]!, scenarios[i]!];
  }
  // Creation times, oldest first, at least 10 minutes before now (so their past moves fit).
  const times = scenarios.map(() => opts.nowMs - 10 * 60_000 - Math.floor(rng() * span)).sort((a, b) => a - b);
  const ctx: Ctx = { store, rng, nowMs: opts.nowMs, expiryMs: opts.expiryMs, index: 0 };
  for (let i = 0; i < count; i++) {
    ctx.index = i;
    await createOne(ctx, scenarios[i]!, times[i]!);
  }
}
