/**
 * Every test card of perfectpay-api.md (the table written out here, not read from the sandbox),
 * 3DS and external 3DS, card validation with Hyperswitch's codes and texts, masking, and the
 * promise that the full card number and CVC never come back in any answer nor go into any log.
 */
import * as assert from 'node:assert/strict';
import { card, create, err, ok, useSandbox } from './helpers';

/** perfectpay-api.md, "Test inputs": number, network, status at confirm, error_code, next_action type. */
const CARD_TABLE: ReadonlyArray<[string, string, string, string | null, string | null]> = [
  ['4242424242424242', 'Visa', 'succeeded', null, null],
  ['4111111111111111', 'Visa', 'succeeded', null, null],
  ['4000000000000002', 'Visa', 'failed', 'card_declined', null],
  ['4000000000009995', 'Visa', 'failed', 'insufficient_funds', null],
  ['4000000000000069', 'Visa', 'failed', 'expired_card', null],
  ['4000000000000127', 'Visa', 'failed', 'incorrect_cvc', null],
  ['4000000000003220', 'Visa', 'requires_customer_action', null, 'redirect_to_url'],
  ['4000000000003063', 'Visa', 'requires_customer_action', null, 'redirect_to_url'],
  ['4000000000000259', 'Visa', 'processing', null, null],
  ['5555555555554444', 'Mastercard', 'succeeded', null, null],
  ['378282246310005', 'AmericanExpress', 'succeeded', null, null],
  ['6011111111111117', 'Discover', 'succeeded', null, null],
  ['38000000000006', 'DinersClub', 'succeeded', null, null],
  ['5105105105105100', 'Mastercard', 'failed', 'card_declined', null],
  ['4000000000009987', 'Visa', 'failed', 'lost_card', null],
  ['4000000000009979', 'Visa', 'failed', 'stolen_card', null],
  ['4000003800000446', 'Visa', 'requires_customer_action', null, 'redirect_to_url'],
];

describe('sandbox: test cards', function () {
  const t = useSandbox({ manualClock: true, processingDelayMs: 2_000 });

  const confirmWith = async (number: string, createBody: Record<string, unknown> = {}, cardExtra: Record<string, string> = {}) => {
    const p = await create(t, createBody);
    return t.post(`/payments/${p.payment_id}/confirm`, card(number, cardExtra));
  };

  for (const [number, network, status, code, nextAction] of CARD_TABLE) {
    it(`${number} (${network}) → ${status}${code ? ` ${code}` : ''}${nextAction ? ` ${nextAction}` : ''}`, async () => {
      const p = ok(await confirmWith(number));
      assert.equal(p.status, status);
      assert.equal(p.error_code, code);
      if (code) assert.ok(typeof p.error_message === 'string' && p.error_message.length > 5);
      else assert.equal(p.error_message, null);
      assert.equal(p.next_action?.type ?? null, nextAction);
      assert.equal(p.payment_method_data.card.card_network, network);
      assert.equal(p.payment_method_data.card.last4, number.slice(-4));
      assert.equal(p.connector_transaction_id === null, status !== 'succeeded', 'a processor reference once authorised');
    });
  }

  it('answers the card as Hyperswitch\'s CardResponse: masked, every field present', async () => {
    const p = ok(await confirmWith('4242424242424242'));
    assert.deepEqual(p.payment_method_data, {
      card: {
        last4: '4242', card_network: 'Visa', card_exp_month: '12', card_exp_year: '35', card_holder_name: 'Jane Doe',
        card_type: 'credit', card_issuer: null, card_issuing_country: null, card_isin: '424242', card_extended_bin: null,
        payment_checks: null, authentication_data: null,
      },
    });
    assert.match(p.connector_transaction_id, /^pi_[A-Za-z0-9]{24}$/);
  });

  it('a 3DS redirect page completes the payment', async () => {
    const p = ok(await confirmWith('4000000000003220'));
    assert.deepEqual(Object.keys(p.next_action).sort(), ['redirect_to_url', 'type']);
    assert.ok(p.next_action.redirect_to_url.startsWith(`${t.url}/sandbox/payments/${p.payment_id}/`));
    const page = await fetch(p.next_action.redirect_to_url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Complete[\s\S]*Fail/);
    assert.equal(p.connector_transaction_id, null, 'not authorised yet');
    const done = ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'succeed' }));
    assert.equal(done.status, 'succeeded');
    assert.match(done.connector_transaction_id, /^pi_/);
  });

  it('three_ds_invoke comes from request_external_three_ds_authentication: true, with every documented field', async () => {
    for (const [number, body] of [
      ['4000000000003063', {}],
      ['4000000000003220', {}],
      ['4000003800000446', {}],
      ['4242424242424242', { authentication_type: 'three_ds' }],
    ] as const) {
      const p = ok(await confirmWith(number, { ...body, request_external_three_ds_authentication: true }));
      assert.equal(p.status, 'requires_customer_action', number);
      assert.equal(p.next_action.type, 'three_ds_invoke', number);
      assert.equal(p.request_external_three_ds_authentication, true);
      const d = p.next_action.three_ds_data;
      for (const u of [d.three_ds_authentication_url, d.three_ds_authorize_url, d.three_ds_method_details.three_ds_method_url]) {
        assert.ok(u.startsWith(`${t.url}/sandbox/`), u);
        assert.equal((await fetch(u)).status, 200, u);
      }
      assert.equal(d.message_version, '2.2.0');
      assert.equal(d.three_ds_method_details.three_ds_method_key, 'threeDSMethodData');
      assert.equal(d.three_ds_method_details.three_ds_method_data_submission, true);
      assert.ok(JSON.parse(Buffer.from(d.three_ds_method_details.three_ds_method_data, 'base64').toString()).threeDSServerTransID);
      assert.deepEqual(Object.keys(d.poll_config).sort(), ['delay_in_secs', 'frequency', 'poll_id']);
      const done = ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'succeed' }));
      assert.equal(done.status, 'succeeded');
      assert.equal(done.external_3ds_authentication_attempted, true);
    }
    // No 3DS needed: the external authenticator has nothing to do.
    const plain = ok(await confirmWith('4242424242424242', { request_external_three_ds_authentication: true }));
    assert.equal(plain.status, 'succeeded');
    assert.equal(plain.next_action, null);
    // Asked on the confirm instead of the create: the same.
    const p = await create(t);
    const c = ok(await t.post(`/payments/${p.payment_id}/confirm`, { ...card('4000000000003063'), request_external_three_ds_authentication: true }));
    assert.equal(c.next_action.type, 'three_ds_invoke');
  });

  it('4000000000000259 is processing, then the capture rule a few seconds later', async () => {
    const p = ok(await confirmWith('4000000000000259', { capture_method: 'manual' }));
    assert.equal(p.status, 'processing');
    assert.equal(p.next_action, null);
    t.clock.now += 2_000;
    const later = ok(await t.get(`/payments/${p.payment_id}`));
    assert.equal(later.status, 'requires_capture');
    assert.equal(later.amount_capturable, 4999);
  });

  it('an authorisable card with authentication_type three_ds goes through redirect_to_url; a decline is declined first', async () => {
    for (const number of ['4242424242424242', '5555555555554444', '38000000000006']) {
      const p = ok(await confirmWith(number, { authentication_type: 'three_ds' }));
      assert.equal(p.status, 'requires_customer_action', number);
      assert.equal(p.next_action.type, 'redirect_to_url');
    }
    assert.equal(ok(await confirmWith('4000000000000002', { authentication_type: 'three_ds' })).status, 'failed');
  });

  it('card data is checked as Hyperswitch checks it: IR_07 number, IR_16 expiry month / year / CVC length', async () => {
    const now = new Date(t.clock.now);
    const year = now.getUTCFullYear();
    const month = now.getUTCMonth() + 1;
    const number = 'Invalid value provided: payment_method_data.card.card_number';
    const cases: Array<[string, Record<string, string>, number, string, string | RegExp]> = [
      ['4242424242424241', {}, 400, 'IR_07', number],
      ['42424242424', {}, 400, 'IR_07', number],
      ['4242 4242 4242 424x', {}, 400, 'IR_07', number],
      ['42424242424242424242', {}, 400, 'IR_07', number],
      ['4242424242424242', { card_exp_month: '13' }, 400, 'IR_16', 'Invalid Expiry Month'],
      ['4242424242424242', { card_exp_month: '0' }, 400, 'IR_16', 'Invalid Expiry Month'],
      ['4242424242424242', { card_exp_month: 'May' }, 400, 'IR_05', /^payment_method_data\.card\.card_exp_month contains invalid data/],
      ['4242424242424242', { card_exp_year: String(year - 1) }, 400, 'IR_16', 'Invalid Expiry Year'],
      ['4242424242424242', { card_exp_year: String(year - 2001).padStart(2, '0') }, 400, 'IR_16', 'Invalid Expiry Year'],
      ['4242424242424242', { card_cvc: '12' }, 400, 'IR_16', 'Invalid card_cvc length'],
      ['4242424242424242', { card_cvc: '12345' }, 400, 'IR_16', 'Invalid card_cvc length'],
      ['4242424242424242', { card_cvc: '' }, 400, 'IR_16', 'Invalid card_cvc length'],
      ['4242424242424242', { card_cvc: '12a' }, 400, 'IR_07', 'Invalid value provided: payment_method_data.card.card_cvc'],
    ];
    if (month > 1) cases.push(['4242424242424242', { card_exp_year: String(year), card_exp_month: String(month - 1) }, 400, 'IR_16', 'Invalid Expiry Year']);
    for (const [n, extra, status, code, message] of cases) err(await confirmWith(n, {}, extra), status, code, message);
    const noCvc = await create(t);
    const body = card('4242424242424242');
    delete (body.payment_method_data.card as Record<string, string>).card_cvc;
    err(await t.post(`/payments/${noCvc.payment_id}/confirm`, body), 400, 'IR_04', 'Missing required param: payment_method_data.card.card_cvc');
    // This month is still valid, and a 4-digit CVC too.
    ok(await confirmWith('4242424242424242', {}, { card_exp_year: String(year), card_exp_month: String(month) }));
    ok(await confirmWith('378282246310005', {}, { card_cvc: '1234' }));
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

  it('never answers nor logs a full card number or CVC (after all of the above)', async () => {
    // Pages of every waiting payment too.
    const list = ok(await t.get('/payments/list?limit=100'));
    for (const p of list.data) {
      const page = await fetch(`${t.url}/sandbox/payments/${p.payment_id}`);
      t.transcript.push(await page.text());
    }
    const everything = t.transcript.join('\n') + '\n' + t.logs.join('\n');
    assert.ok(t.transcript.length > 50, 'many answers were seen');
    for (const [n] of CARD_TABLE) assert.equal(everything.includes(n), false, `full number ${n} leaked`);
    assert.equal(everything.includes('4242424242424241'), false);
    assert.equal(everything.includes('4242 4242 4242 4242'), false);
    assert.equal(everything.includes('"card_cvc"'), false);
    assert.equal(/\b737\b/.test(everything), false, 'the CVC never appears');
    assert.equal(everything.includes('card_number'), true, 'error messages name the field, not the value');
  });
});
