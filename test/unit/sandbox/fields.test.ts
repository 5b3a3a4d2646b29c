/**
 * Issue 9 §1–2 over real HTTP: the complete request field set of a create and a confirm, each field
 * kept and answered; nested metadata; payment_method_data.billing; unknown fields refused with
 * Hyperswitch's message; ids, client secrets and the processor's reference in the contract's format.
 */
import * as assert from 'node:assert/strict';
import { card, create, err, ok, useSandbox } from './helpers';

const ADDRESS = {
  address: {
    line1: '1467', line2: 'Harrison Street', line3: 'Suite 4', city: 'San Fransico', state: 'California', zip: '94122',
    country: 'US', first_name: 'joseph', last_name: 'Doe',
  },
  phone: { number: '9123456789', country_code: '+1' },
  email: 'joseph@example.com',
};

/** Every field the contract says is kept and answered, with a value of its type. */
const ECHOED: Record<string, unknown> = {
  email: 'jane@example.com',
  name: 'Jane Doe',
  phone: '9123456789',
  phone_country_code: '+1',
  billing: ADDRESS,
  shipping: { ...ADDRESS, address: { ...ADDRESS.address, city: 'Oakland' } },
  browser_info: { user_agent: 'Mozilla/5.0', accept_header: 'text/html', language: 'nl-NL', color_depth: 24, java_enabled: true },
  statement_descriptor_name: 'PerfectPay Shop',
  statement_descriptor_suffix: 'ORDER 1001',
  capture_on: '2030-09-10T10:11:12Z',
  setup_future_usage: 'off_session',
  customer_acceptance: { acceptance_type: 'online', accepted_at: '2026-05-03T04:07:52.723Z', online: { ip_address: '127.0.0.1', user_agent: 'x' } },
  payment_experience: 'redirect_to_url',
  business_country: 'US',
  business_label: 'food',
  order_details: [{ product_name: 'Apple iPhone 16', quantity: 1, amount: 4999 }],
  merchant_order_reference_id: 'Custom_Order_id_123',
  request_external_three_ds_authentication: false,
  amount_to_capture: 4999,
  off_session: false,
  profile_id: 'pro_abcdefghijklmnop',
};

/** Hyperswitch's PaymentsRequest fields as its "expected one of" message lists them. */
const EXPECTED_ONE_OF =
  '`amount`, `order_tax_amount`, `currency`, `amount_to_capture`, `shipping_cost`, `payment_id`, `merchant_id`, ' +
  '`routing`, `connector`, `capture_method`, `authentication_type`, `billing`, `capture_on`, `confirm`, `customer`, ' +
  '`customer_id`, `email`, `name`, `phone`, `phone_country_code`, `off_session`, `description`, `return_url`, ' +
  '`setup_future_usage`, `payment_method_data`, `payment_method`, `payment_token`, `card_cvc`, `shipping`, ' +
  '`statement_descriptor_name`, `statement_descriptor_suffix`, `order_details`, `client_secret`, `mandate_data`, ' +
  '`customer_acceptance`, `mandate_id`, `browser_info`, `payment_experience`, `payment_method_type`, ' +
  '`business_country`, `business_label`, `merchant_connector_details`, `allowed_payment_method_types`, ' +
  '`business_sub_label`, `retry_action`, `metadata`, `connector_metadata`, `feature_metadata`, `payment_link`, ' +
  '`payment_link_config`, `payment_link_config_id`, `profile_id`, `surcharge_details`, `payment_type`, ' +
  '`request_incremental_authorization`, `session_expiry`, `frm_metadata`, `request_external_three_ds_authentication`, ' +
  '`three_ds_data`, `recurring_details`, `split_payments`, `request_extended_authorization`, ' +
  '`merchant_order_reference_id`, `skip_external_tax_calculation`, `psd2_sca_exemption_type`, `ctp_service_details`, ' +
  '`force_3ds_challenge`, `threeds_method_comp_ind`, `is_iframe_redirection_enabled`, `all_keys_required`, ' +
  '`payment_channel`, `tax_status`, `discount_amount`, `shipping_amount_tax`, `duty_amount`, `order_date`, ' +
  '`enable_partial_authorization`, `enable_overcapture`, `is_stored_credential`, `mit_category`, `billing_descriptor`, ' +
  '`tokenization`, `partner_merchant_identifier_details`, `frm_id`';

describe('sandbox: request and answer fields', function () {
  const t = useSandbox({ manualClock: true });

  it('a create keeps every contract field and answers it in every answer (create, confirm, retrieve, both lists)', async () => {
    const p = await create(t, { ...ECHOED, customer_id: 'cus_fields', capture_method: 'manual' });
    for (const [k, v] of Object.entries(ECHOED)) assert.deepEqual(p[k], v, `create answers ${k}`);
    assert.deepEqual(p.customer, { id: 'cus_fields', name: 'Jane Doe', email: 'jane@example.com', phone: '9123456789', phone_country_code: '+1' });
    const confirmed = ok(await t.post(`/payments/${p.payment_id}/confirm`, card('4242424242424242')));
    const got = ok(await t.get(`/payments/${p.payment_id}`));
    const listed = ok(await t.get('/payments/list?customer_id=cus_fields')).data[0];
    const filtered = ok(await t.post('/payments/list', { customer_id: 'cus_fields' })).data[0];
    for (const answer of [confirmed, got, listed, filtered]) {
      for (const [k, v] of Object.entries(ECHOED)) assert.deepEqual(answer[k], v, `${k} kept`);
    }
  });

  it('a confirm takes the same fields, and what it sends replaces what the create sent', async () => {
    const p = await create(t, { email: 'old@example.com', description: 'before', metadata: { step: 'create' } });
    const c = ok(await t.post(`/payments/${p.payment_id}/confirm`, {
      ...card('4242424242424242'),
      email: 'new@example.com',
      description: 'after',
      metadata: { step: 'confirm' },
      shipping: ADDRESS,
      browser_info: { language: 'de-DE' },
      return_url: 'https://shop.example/return',
    }));
    assert.equal(c.status, 'succeeded');
    assert.equal(c.email, 'new@example.com');
    assert.equal(c.description, 'after');
    assert.deepEqual(c.metadata, { step: 'confirm' });
    assert.deepEqual(c.shipping, ADDRESS);
    assert.deepEqual(c.browser_info, { language: 'de-DE' });
    assert.equal(c.return_url, 'https://shop.example/return');
  });

  it('the Hyperswitch fields PerfectPay has no use for are accepted on create and confirm', async () => {
    const unused = {
      routing: { type: 'single', data: { connector: 'stripe' } },
      connector: ['stripe', 'adyen'],
      mandate_data: { mandate_type: { single_use: { amount: 6540, currency: 'USD' } } },
      surcharge_details: { surcharge_amount: 5, tax_amount: 1 },
      frm_metadata: { coverage_request: 'fraud' },
      split_payments: { stripe_split_payment: { charge_type: 'direct', application_fees: 100, transfer_account_id: 'acct_1' } },
      recurring_details: { type: 'payment_method_id', data: 'pm_1' },
      payment_link: false,
      session_expiry: 900,
      all_keys_required: false,
    };
    const p = await create(t, unused);
    assert.equal(p.status, 'requires_payment_method');
    assert.deepEqual(p.mandate_data, unused.mandate_data, 'echoed where Hyperswitch answers it');
    assert.deepEqual(p.frm_metadata, unused.frm_metadata);
    assert.equal(p.connector, 'perfectpay_sandbox', 'the request\'s connector list is a routing wish, not the answer');
    assert.equal(p.split_payments, null);
    assert.equal(p.payment_link, null);
    ok(await t.post(`/payments/${p.payment_id}/confirm`, { ...card('4242424242424242'), card_cvc: '123', payment_token: 'tok_1', retry_action: 'manual_retry' }));
  });

  it('metadata is any JSON object, nested values and nulls kept as sent', async () => {
    const metadata = { order: { id: 7, lines: [{ sku: 'A-1', qty: 2 }, null], gift: true }, note: null, tags: ['x', 'y'], n: 1.5 };
    const p = await create(t, { metadata });
    assert.deepEqual(p.metadata, metadata);
    assert.deepEqual(ok(await t.get(`/payments/${p.payment_id}`)).metadata, metadata);
  });

  it('payment_method_data.billing is kept with the method (card or not)', async () => {
    const p = await create(t);
    const body = card('4242424242424242');
    const c = ok(await t.post(`/payments/${p.payment_id}/confirm`, { ...body, payment_method_data: { ...body.payment_method_data, billing: ADDRESS } }));
    assert.deepEqual(c.payment_method_data.billing, ADDRESS);
    assert.equal(c.payment_method_data.card.last4, '4242');
    const w = await create(t, { confirm: true, payment_method: 'wallet', payment_method_type: 'google_pay', payment_method_data: { billing: ADDRESS } });
    assert.deepEqual(w.payment_method_data, { billing: ADDRESS });
    const none = await create(t, { payment_method_data: { billing: ADDRESS } });
    assert.equal(none.status, 'requires_payment_method', 'a billing address alone is no method');
  });

  it('a `customer` object names the customer; two different ids are refused', async () => {
    const p = await create(t, { customer: { id: 'cus_object', name: 'John Dough', email: 'john@example.com', phone: '9123456789' } });
    assert.equal(p.customer_id, 'cus_object');
    assert.deepEqual(p.customer, { id: 'cus_object', name: 'John Dough', email: 'john@example.com', phone: '9123456789', phone_country_code: null });
    assert.equal(p.name, 'John Dough');
    err(await t.post('/payments', { amount: 1, currency: 'USD', customer_id: 'cus_a', customer: { id: 'cus_b' } }), 400, 'IR_06',
      'The field names `customer_id and customer.id` sent in both places is ambiguous');
  });

  it('an unknown field is 400 IR_06 with Hyperswitch\'s message listing every expected field (create and confirm)', async () => {
    err(await t.post('/payments', { amout: 4999, currency: 'USD' }), 400, 'IR_06',
      `Json deserialize error: unknown field \`amout\`, expected one of ${EXPECTED_ONE_OF}`);
    // The first unknown field, in the body's order, before a missing amount.
    err(await t.post('/payments', { currency: 'USD', zzz: 1, aaa: 2 }), 400, 'IR_06', /^Json deserialize error: unknown field `zzz`, expected one of `amount`/);
    const p = await create(t);
    err(await t.post(`/payments/${p.payment_id}/confirm`, { ...card('4242424242424242'), paymentMethod: 'card' }), 400, 'IR_06',
      `Json deserialize error: unknown field \`paymentMethod\`, expected one of ${EXPECTED_ONE_OF}`);
    assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'requires_payment_method', 'nothing changed');
  });

  it('ids, client secrets and references have the contract\'s format; caller ids are kept as given', async () => {
    const p = await create(t);
    assert.match(p.payment_id, /^pay_[a-z0-9]{20,32}$/);
    assert.match(p.client_secret, new RegExp(`^${p.payment_id}_secret_[A-Za-z0-9]{20}$`));
    assert.equal(p.merchant_id, 'merchant_local');
    assert.equal(typeof p.profile_id, 'string');
    const c = ok(await t.post(`/payments/${p.payment_id}/confirm`, card('4242424242424242')));
    assert.match(c.connector_transaction_id, /^pi_[A-Za-z0-9]{24}$/);
    const mine = await create(t, { payment_id: 'pay_order_1760000000000' });
    assert.equal(mine.payment_id, 'pay_order_1760000000000');
  });

  it('session_expiry sets expires_on (seconds after created), within Hyperswitch\'s bounds', async () => {
    const p = await create(t, { session_expiry: 3600 });
    assert.equal(Date.parse(p.expires_on) - Date.parse(p.created), 3_600_000);
    err(await t.post('/payments', { amount: 1, currency: 'USD', session_expiry: 10 }), 400, 'IR_07', 'Invalid value provided: session_expiry');
  });

  it('a card number in free text is masked to its last four when stored and answered', async () => {
    const p = await create(t, {
      description: 'card 4242 4242 4242 4242 from the phone order',
      metadata: { note: 'paid with 4111111111111111', nested: { pan: '5555555555554444' }, order_ts: 1760000000000 },
      billing: { ...ADDRESS, address: { ...ADDRESS.address, line2: '378282246310005' } },
      name: 'Jane 6011111111111117',
    });
    const text = JSON.stringify(p);
    for (const n of ['4242 4242 4242 4242', '4111111111111111', '5555555555554444', '378282246310005', '6011111111111117']) {
      assert.equal(text.includes(n), false, `${n} answered`);
    }
    assert.equal(p.description, 'card •••• 4242 from the phone order');
    assert.equal(p.metadata.note, 'paid with •••• 1111');
    assert.equal(p.metadata.nested.pan, '•••• 4444');
    assert.equal(p.metadata.order_ts, 1760000000000, 'numbers are not text');
    assert.equal(p.billing.address.line2, '•••• 0005');
    assert.equal(p.customer.name, 'Jane •••• 1117');
    const snapshot = JSON.stringify(t.sandbox.snapshot());
    assert.equal(snapshot.includes('4111111111111111'), false);
    const cancelled = ok(await t.post(`/payments/${p.payment_id}/cancel`, { cancellation_reason: 'dup of 4242424242424242' }));
    assert.equal(cancelled.cancellation_reason, 'dup of •••• 4242');
  });
});
