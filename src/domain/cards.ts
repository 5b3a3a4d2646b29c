/**
 * Cards: the Luhn check, the one card mask, card numbers found in free text, and the test inputs that
 * the local sandbox honours (perfectpay-api.md, "Test inputs"), shared by the sandbox (which decides
 * outcomes) and the commands (which offer them by name). Pure: imports nothing.
 */

export type CardOutcome =
  | { kind: 'authorised' }
  | { kind: 'declined'; code: string; message: string }
  /**
   * 3DS always: `redirect_to_url`; `three_ds_invoke` instead when the payment asks for external 3DS
   * authentication (`request_external_three_ds_authentication: true`).
   */
  | { kind: 'three_ds_redirect' }
  /**
   * No test card has this outcome any more (4000000000003063 now redirects): `three_ds_invoke`
   * comes from `request_external_three_ds_authentication`. Kept only so that code switching over
   * every outcome (the extension-host suite) still compiles; remove it with that case.
   */
  | { kind: 'three_ds_invoke' }
  | { kind: 'processing' };

export interface TestCard {
  number: string;
  network: string;
  label: string;
  outcome: CardOutcome;
}

const declined = (code: string, message: string): CardOutcome => ({ kind: 'declined', code, message });
const succeeds: CardOutcome = { kind: 'authorised' };
const threeDs: CardOutcome = { kind: 'three_ds_redirect' };
const processing: CardOutcome = { kind: 'processing' };

/** How a test card's label says its outcome. */
function outcomeText(o: CardOutcome): string {
  switch (o.kind) {
    case 'authorised':
      return 'succeeds';
    case 'declined':
      return `declined (${o.code})`;
    case 'three_ds_redirect':
    case 'three_ds_invoke':
      return '3DS';
    case 'processing':
      return 'processing, then authorised';
  }
}

const NETWORK_NAMES: Readonly<Record<string, string>> = { AmericanExpress: 'American Express', DinersClub: 'Diners Club' };

/** A test card, labelled "<network> <last four> — <outcome>" ("Visa 0002 — declined (card_declined)"). */
const card = (number: string, network: string, outcome: CardOutcome): TestCard => ({
  number,
  network,
  label: `${NETWORK_NAMES[network] ?? network} ${number.slice(-4)} — ${outcomeText(outcome)}`,
  outcome,
});

/** perfectpay-api.md, "Test inputs": the first is the card a person most likely wants. */
export const TEST_CARDS: readonly TestCard[] = [
  card('4242424242424242', 'Visa', succeeds),
  card('4111111111111111', 'Visa', succeeds),
  card('5555555555554444', 'Mastercard', succeeds),
  card('378282246310005', 'AmericanExpress', succeeds),
  card('6011111111111117', 'Discover', succeeds),
  card('38000000000006', 'DinersClub', succeeds),
  card('4000000000000002', 'Visa', declined('card_declined', 'Your card was declined.')),
  card('5105105105105100', 'Mastercard', declined('card_declined', 'Your card was declined.')),
  card('4000000000009995', 'Visa', declined('insufficient_funds', 'Your card has insufficient funds.')),
  card('4000000000000069', 'Visa', declined('expired_card', 'Your card has expired.')),
  card('4000000000000127', 'Visa', declined('incorrect_cvc', "Your card's security code is incorrect.")),
  card('4000000000009987', 'Visa', declined('lost_card', 'Your card was declined: it is reported lost.')),
  card('4000000000009979', 'Visa', declined('stolen_card', 'Your card was declined: it is reported stolen.')),
  card('4000000000003220', 'Visa', threeDs),
  card('4000000000003063', 'Visa', threeDs),
  card('4000003800000446', 'Visa', threeDs),
  card('4000000000000259', 'Visa', processing),
];

/** What a refund of a payment made with a refund test card does (perfectpay-api.md, "Refunds"). */
export type RefundTestOutcome = 'fails_later' | 'succeeds_later';

/**
 * Cards authorised like any other, whose refunds stay `pending` and settle a few seconds later:
 * failed (`refund_failed`) or succeeded. Every other card's refunds succeed at once.
 */
export const REFUND_TEST_CARDS: ReadonlyArray<{ number: string; refund: RefundTestOutcome }> = [
  { number: '4000000000005126', refund: 'fails_later' },
  { number: '4000000000007726', refund: 'succeeds_later' },
];

/** The refund test cards as payment methods to pick (authorised like any other): "Visa 5126 — succeeds; refunds fail later". */
export const REFUND_CARD_CHOICES: readonly TestCard[] = REFUND_TEST_CARDS.map((c) => ({
  ...card(c.number, 'Visa', succeeds),
  label: `Visa ${c.number.slice(-4)} — succeeds; refunds ${c.refund === 'fails_later' ? 'fail' : 'succeed'} later`,
}));

/** The refund outcome of a card known by its first six and last four digits (all that is kept of it). */
export function refundTestOutcome(card: { card_isin?: string; last4: string } | null): RefundTestOutcome | undefined {
  if (!card?.card_isin) return undefined;
  const isin = card.card_isin;
  return REFUND_TEST_CARDS.find((c) => c.number.startsWith(isin) && c.number.endsWith(card.last4))?.refund;
}

export interface TestMethod {
  payment_method: string;
  payment_method_type: string;
  label: string;
  nextAction: string;
}

/** Non-card methods, each answering with one next_action. */
export const TEST_METHODS: readonly TestMethod[] = [
  { payment_method: 'bank_transfer', payment_method_type: 'ach', label: 'Bank transfer — ACH', nextAction: 'display_bank_transfer_information' },
  { payment_method: 'bank_transfer', payment_method_type: 'sepa', label: 'Bank transfer — SEPA', nextAction: 'display_bank_transfer_information' },
  { payment_method: 'bank_transfer', payment_method_type: 'bacs', label: 'Bank transfer — BACS', nextAction: 'display_bank_transfer_information' },
  { payment_method: 'bank_transfer', payment_method_type: 'pix', label: 'Pix — QR code image', nextAction: 'qr_code_information' },
  { payment_method: 'real_time_payment', payment_method_type: 'duit_now', label: 'DuitNow — QR code URL', nextAction: 'qr_code_information' },
  { payment_method: 'real_time_payment', payment_method_type: 'fps', label: 'FPS — QR code to fetch', nextAction: 'fetch_qr_code_information' },
  { payment_method: 'wallet', payment_method_type: 'google_pay', label: 'Google Pay — wallet token', nextAction: 'third_party_sdk_session_token' },
  { payment_method: 'wallet', payment_method_type: 'apple_pay', label: 'Apple Pay — wallet token', nextAction: 'third_party_sdk_session_token' },
  { payment_method: 'wallet', payment_method_type: 'paypal', label: 'PayPal — wallet token', nextAction: 'third_party_sdk_session_token' },
  { payment_method: 'pay_later', payment_method_type: 'klarna', label: 'Klarna — redirect', nextAction: 'redirect_to_url' },
  { payment_method: 'voucher', payment_method_type: 'boleto', label: 'Boleto — wait screen', nextAction: 'wait_screen_information' },
];

export function findTestCard(cardNumber: string): TestCard | undefined {
  const digits = cardNumber.replace(/\D/g, '');
  return TEST_CARDS.find((c) => c.number === digits);
}

/**
 * The card network a number belongs to, by its leading digits, named as Hyperswitch's `CardNetwork`
 * names them ("Visa", "Mastercard", "AmericanExpress", ...); "Unknown" when none matches.
 */
export function cardNetwork(cardNumber: string): string {
  const digits = cardNumber.replace(/\D/g, '');
  if (/^4/.test(digits)) return 'Visa';
  if (/^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/.test(digits)) return 'Mastercard';
  if (/^3[47]/.test(digits)) return 'AmericanExpress';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'Discover';
  if (/^35/.test(digits)) return 'JCB';
  if (/^3(0[0-5]|[68])/.test(digits)) return 'DinersClub';
  if (/^62/.test(digits)) return 'UnionPay';
  return 'Unknown';
}

/** Luhn check of a card number (digits only). */
export function luhnValid(cardNumber: string): boolean {
  const digits = cardNumber.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

/** "4242424242424242" → "•••• 4242". Card numbers are shown masked everywhere but the request body. */
export function maskCardNumber(cardNumber: string): string {
  const digits = cardNumber.replace(/\D/g, '');
  return `•••• ${digits.slice(-4)}`;
}

// 12 to 19 digits, optionally grouped by spaces or dashes, not inside a longer run of digits.
const CARD_LIKE = /(?<![\d])(?:\d[ -]?){11,18}\d(?![\d])/g;

/** Masks every Luhn-valid run of 12 to 19 digits in free text to its last four. */
export function maskCardsInText(text: string): string {
  return text.replace(CARD_LIKE, (m) => (luhnValid(m.replace(/[ -]/g, '')) ? maskCardNumber(m) : m));
}

/**
 * How a payment is (or is asked to be) paid, for people: "card •••• 4242" (from a request's number or
 * an answer's last4, never the number), "bank_transfer/ach", "card (credit)". Undefined when nothing
 * names a method.
 */
export function describeMethod(r: {
  payment_method?: string | null;
  payment_method_type?: string | null;
  payment_method_data?: { card?: { card_number?: unknown; last4?: unknown } | null } | null;
}): string | undefined {
  const card = r.payment_method_data?.card;
  if (card && typeof card.card_number === 'string' && card.card_number !== '') return `card ${maskCardNumber(card.card_number)}`;
  if (card && typeof card.last4 === 'string' && card.last4 !== '') return `card •••• ${card.last4}`;
  const m = r.payment_method;
  const t = r.payment_method_type;
  if (m && t) return m === 'card' ? `card (${t})` : `${m}/${t}`;
  if (m || t) return (m || t)!;
  return card ? 'card' : undefined;
}

/** A future expiry for test cards: December, three years on (two-digit year, as the API shows). */
export function defaultCardExpiry(now = new Date()): { month: string; year: string } {
  return { month: '12', year: String((now.getUTCFullYear() + 3) % 100).padStart(2, '0') };
}

/** The confirm fields of a card: any future expiry and any CVC, as the test cards take. */
export function cardFields(card: Record<string, string>, now = new Date()): Record<string, unknown> {
  const exp = defaultCardExpiry(now);
  return {
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: {
      card: {
        card_exp_month: exp.month,
        card_exp_year: exp.year,
        card_cvc: '123',
        card_holder_name: 'PerfectPay Test',
        ...card,
        card_number: (card.card_number ?? '').replace(/[\s-]/g, ''),
      },
    },
  };
}
