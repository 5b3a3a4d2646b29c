/**
 * Every test card of perfectpay-api.md, card validation (Luhn, expiry, month), masking, and the
 * promise that the full card number and CVC never come back in any answer nor go into any log.
 */
import * as assert from 'node:assert/strict';
import { card, create, err, ok, start, type TestSandbox } from './helpers';

/**
 * The test cards of perfectpay-api.md and what a confirm with each gives, written out here (not read from
 * the sandbox's own table): card number → network, status, error_code, next_action type.
 */
const CARD_MATRIX: readonly { number: string; network: string; status: string; errorCode: string | null; nextAction: string | null }[] = [
  { number: '4242424242424242', network: 'Visa', status: 'succeeded', errorCode: null, nextAction: null },
  { number: '4111111111111111', network: 'Visa', status: 'succeeded', errorCode: null, nextAction: null },
  { number: '4000000000000002', network: 'Visa', status: 'failed', errorCode: 'card_declined', nextAction: null },
  { number: '4000000000009995', network: 'Visa', status: 'failed', errorCode: 'insufficient_funds', nextAction: null },
  { number: '4000000000000069', network: 'Visa', status: 'failed', errorCode: 'expired_card', nextAction: null },
  { number: '4000000000000127', network: 'Visa', status: 'failed', errorCode: 'incorrect_cvc', nextAction: null },
  { number: '4000000000003220', network: 'Visa', status: 'requires_customer_action', errorCode: null, nextAction: 'redirect_to_url' },
  { number: '4000000000003063', network: 'Visa', status: 'requires_customer_action', errorCode: null, nextAction: 'three_ds_invoke' },
  { number: '4000000000000259', network: 'Visa', status: 'processing', errorCode: null, nextAction: null },
];

describe('sandbox: test cards', function () {
  let t: TestSandbox;
  beforeEach(async () => {
    t = await start({ manualClock: true, processingDelayMs: 2_000 });
  });
  afterEach(() => t.close());

  const confirmWith = async (number: string, createBody: Record<string, unknown> = {}, cardExtra: Record<string, string> = {}) => {
    const p = await create(t, createBody);
    return t.post(`/payments/${p.payment_id}/confirm`, card(number, cardExtra));
  };

  for (const number of ['4242424242424242', '4111111111111111']) {
    it(`${number} is authorised → succeeded, answered masked`, async () => {
      const p = ok(await confirmWith(number));
      assert.equal(p.status, 'succeeded');
      assert.deepEqual(p.payment_method_data, {
        card: { last4: number.slice(-4), card_network: 'Visa', card_exp_month: '12', card_exp_year: '35', card_holder_name: 'Jane Doe' },
      });
    });
  }

  const declines: Array<[string, string]> = [
    ['4000000000000002', 'card_declined'],
    ['4000000000009995', 'insufficient_funds'],
    ['4000000000000069', 'expired_card'],
    ['4000000000000127', 'incorrect_cvc'],
  ];
  for (const [number, code] of declines) {
    it(`${number} is declined: 200, failed, error_code ${code}`, async () => {
      const a = await confirmWith(number);
      const p = ok(a);
      assert.equal(p.status, 'failed');
      assert.equal(p.error_code, code);
      assert.equal(typeof p.error_message, 'string');
      assert.ok(p.error_message.length > 5);
      assert.equal(p.payment_method_data.card.last4, number.slice(-4));
    });
  }

  it('4000000000003220 always asks 3DS: requires_customer_action, redirect_to_url to a sandbox page', async () => {
    const p = ok(await confirmWith('4000000000003220'));
    assert.equal(p.status, 'requires_customer_action');
    assert.deepEqual(Object.keys(p.next_action).sort(), ['redirect_to_url', 'type']);
    assert.equal(p.next_action.type, 'redirect_to_url');
    assert.ok(p.next_action.redirect_to_url.startsWith(`${t.url}/sandbox/payments/${p.payment_id}/`));
    const page = await fetch(p.next_action.redirect_to_url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Complete[\s\S]*Fail/);
  });

  it('4000000000003063 asks the 3DS method: three_ds_invoke with every documented field', async () => {
    const p = ok(await confirmWith('4000000000003063'));
    assert.equal(p.status, 'requires_customer_action');
    const d = p.next_action.three_ds_data;
    assert.equal(p.next_action.type, 'three_ds_invoke');
    for (const u of [d.three_ds_authentication_url, d.three_ds_authorize_url, d.three_ds_method_details.three_ds_method_url]) {
      assert.ok(u.startsWith(`${t.url}/sandbox/`), u);
      assert.equal((await fetch(u)).status, 200, u);
    }
    assert.equal(d.message_version, '2.2.0');
    assert.equal(d.three_ds_method_details.three_ds_method_key, 'threeDSMethodData');
    assert.equal(d.three_ds_method_details.three_ds_method_data_submission, true);
    assert.ok(JSON.parse(Buffer.from(d.three_ds_method_details.three_ds_method_data, 'base64').toString()).threeDSServerTransID);
    assert.deepEqual(Object.keys(d.poll_config).sort(), ['delay_in_secs', 'frequency', 'poll_id']);
    assert.equal(ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'succeed' })).status, 'succeeded');
  });

  it('4000000000000259 is processing, then (manual capture) requires_capture once processingDelayMs has passed', async () => {
    const p = ok(await confirmWith('4000000000000259', { capture_method: 'manual' }));
    assert.equal(p.status, 'processing');
    assert.equal(p.next_action, null);
    t.clock.now += 2_000;
    const later = ok(await t.get(`/payments/${p.payment_id}`));
    assert.equal(later.status, 'requires_capture');
    assert.equal(later.amount_capturable, 4999);
  });

  it('an authorisable card with authentication_type three_ds goes through redirect_to_url', async () => {
    for (const number of ['4242424242424242', '5555555555554444']) {
      const p = ok(await confirmWith(number, { authentication_type: 'three_ds' }));
      assert.equal(p.status, 'requires_customer_action', number);
      assert.equal(p.next_action.type, 'redirect_to_url');
    }
    // A declined card is declined before any 3DS step.
    assert.equal(ok(await confirmWith('4000000000000002', { authentication_type: 'three_ds' })).status, 'failed');
  });

  for (const c of CARD_MATRIX) {
    it(`${c.number} → ${c.status}${c.errorCode ? ` (${c.errorCode})` : ''}${c.nextAction ? ` with ${c.nextAction}` : ''}, network ${c.network}`, async () => {
      const p = ok(await confirmWith(c.number));
      assert.equal(p.status, c.status);
      assert.equal(p.error_code, c.errorCode);
      assert.equal(p.next_action?.type ?? null, c.nextAction);
      assert.equal(p.payment_method_data.card.card_network, c.network);
      assert.equal(p.payment_method_data.card.last4, c.number.slice(-4));
    });
  }

  it('other networks are named from the number', async () => {
    const nets: Array<[string, string]> = [['5555555555554444', 'Mastercard'], ['378282246310005', 'AmericanExpress'], ['6011111111111117', 'Discover']];
    for (const [number, network] of nets) {
      assert.equal(ok(await confirmWith(number)).payment_method_data.card.card_network, network);
    }
  });

  it('a card number failing Luhn, an expiry in the past, a month outside 1..12 are 400 IR_07; malformed values IR_05; the payment left as it was', async () => {
    err(await confirmWith('4242424242424241'), 400, 'IR_07', 'Invalid value provided: payment_method_data.card.card_number');
    err(await confirmWith('42424242'), 400, 'IR_07', /card_number/);
    const now = new Date(t.clock.now);
    const lastYear = String(now.getUTCFullYear() - 1);
    err(await confirmWith('4242424242424242', {}, { card_exp_year: lastYear }), 400, 'IR_07', /card_exp_year/);
    if (now.getUTCMonth() > 0) {
      err(await confirmWith('4242424242424242', {}, { card_exp_year: String(now.getUTCFullYear()), card_exp_month: String(now.getUTCMonth()) }),
        400, 'IR_07', /card_exp_month/);
    }
    // This month is still valid.
    ok(await confirmWith('4242424242424242', {}, { card_exp_year: String(now.getUTCFullYear()), card_exp_month: String(now.getUTCMonth() + 1) }));
    err(await confirmWith('4242424242424242', {}, { card_exp_month: '13' }), 400, 'IR_07', 'Invalid value provided: payment_method_data.card.card_exp_month');
    err(await confirmWith('4242424242424242', {}, { card_exp_month: '0' }), 400, 'IR_07', /card_exp_month/);
    err(await confirmWith('4242 4242 4242 424x'), 400, 'IR_05', /card_number contains invalid data\. Expected format is/);
    err(await confirmWith('4242424242424242', {}, { card_exp_month: 'May' }), 400, 'IR_05', /card_exp_month contains invalid data/);
    err(await confirmWith('4242424242424242', {}, { card_cvc: '12a' }), 400, 'IR_05', /card_cvc/);
    // The payment was left as it was by the refused confirms.
    const p = await create(t);
    err(await t.post(`/payments/${p.payment_id}/confirm`, card('4242424242424241')), 400, 'IR_07');
    assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'requires_payment_method');
  });

  it('card numbers with spaces are accepted; the stored card is masked', async () => {
    const p = ok(await confirmWith('4242 4242 4242 4242'));
    assert.equal(p.status, 'succeeded');
    assert.equal(p.payment_method_data.card.last4, '4242');
  });

  it('never answers nor logs a full card number or CVC: every test card, a bad one, spaces, each customer page', async () => {
    for (const c of CARD_MATRIX) ok(await confirmWith(c.number));
    for (const number of ['5555555555554444', '378282246310005', '6011111111111117', '4242 4242 4242 4242']) ok(await confirmWith(number));
    ok(await confirmWith('4242424242424242', { capture_method: 'manual', authentication_type: 'three_ds' }));
    err(await confirmWith('4242424242424241'), 400, 'IR_07');
    err(await confirmWith('4242424242424242', {}, { card_cvc: '12a' }), 400, 'IR_05');
    t.clock.now += 2_000; // the 0259 payment settles
    // Pages of every waiting payment too.
    const list = ok(await t.get('/payments/list?limit=100'));
    for (const p of list.data) {
      const page = await fetch(`${t.url}/sandbox/payments/${p.payment_id}`);
      t.transcript.push(await page.text());
    }
    const everything = t.transcript.join('\n') + '\n' + t.logs.join('\n');
    assert.ok(t.transcript.length > 30, `many answers were seen (${t.transcript.length})`);
    for (const c of [...CARD_MATRIX.map((x) => x.number), '5555555555554444', '378282246310005', '6011111111111117', '4242424242424241']) {
      assert.equal(everything.includes(c), false, `full number ${c} leaked`);
    }
    assert.equal(everything.includes('4242 4242 4242 4242'), false);
    assert.equal(everything.includes('"card_cvc"'), false);
    assert.equal(/\b737\b/.test(everything), false, 'the CVC never appears');
    assert.equal(everything.includes('card_number'), true, 'error messages name the field, not the value');
  });
});
