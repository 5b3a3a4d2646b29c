/**
 * The public documentation's cURL examples (seed-payments.txt), sent as written, answered as its
 * response excerpts show; and time-driven moves on the real clock.
 */
import * as assert from 'node:assert/strict';
import { err, KEY, ok, start, type TestSandbox, useSandbox, waitFor } from './helpers';

/** `curl URL -X POST -H "api-key: ..." -H "Content-Type: application/json" -d '...'`, as fetch. */
async function curl(t: TestSandbox, path: string, data?: string) {
  const init: RequestInit = { method: data === undefined ? 'GET' : 'POST', headers: { 'api-key': KEY } };
  if (data !== undefined) {
    init.headers = { 'api-key': KEY, 'Content-Type': 'application/json' };
    init.body = data;
  }
  const res = await fetch(t.url + path, init);
  return { status: res.status, json: (await res.json()) as any };
}

const CREATE = `{
"amount": 4999,
"currency": "USD",
"customer_id": "cus_abc123",
"capture_method": "automatic",
"authentication_type": "no_three_ds",
"return_url": "https://example.com/checkout/complete",
"confirm": false,
"description": "Order 1001",
"metadata": {
"order_id": "1001"
}
}`;
const CONFIRM = `{
"payment_method": "card",
"payment_method_type": "credit",
"payment_method_data": {
"card": {
"card_number": "4242424242424242",
"card_exp_month": "10",
"card_exp_year": "25",
"card_cvc": "123",
"card_holder_name": "Jane Doe"
}
}
}`;

describe('sandbox: the documentation cURL examples', function () {
  const t = useSandbox();

  it('Create a Payment → requires_payment_method with a {payment_id}_secret_ client_secret', async () => {
    const a = await curl(t, '/payments', CREATE);
    assert.equal(a.status, 200);
    const p = a.json;
    assert.match(p.payment_id, /^pay_[a-z0-9]{26}$/);
    assert.ok(p.client_secret.startsWith(`${p.payment_id}_secret_`));
    assert.equal(p.amount, 4999);
    assert.equal(p.currency, 'USD');
    assert.equal(p.status, 'requires_payment_method');
    assert.equal(p.customer_id, 'cus_abc123');
    assert.equal(p.return_url, 'https://example.com/checkout/complete');
    assert.equal(p.description, 'Order 1001');
    assert.deepEqual(p.metadata, { order_id: '1001' });
  });

  it('Confirm a Payment as written: its card expired in 10/25, so today it is the documented 400', async () => {
    const p = (await curl(t, '/payments', CREATE)).json;
    const a = await curl(t, `/payments/${p.payment_id}/confirm`, CONFIRM);
    assert.equal(a.status, 400);
    assert.equal(a.json.error.code, 'IR_16');
    assert.equal(a.json.error.message, 'Invalid Expiry Year');
  });

  it('the whole flow with the documented ids, on a clock set before 10/25: confirm, capture, cancel, retrieve, list', async () => {
    const past = await start({ now: () => Date.parse('2025-06-01T12:00:00.000Z') });
    try {
      const id = 'pay_mbabizu24mvu3mela5njyhpit4';
      const created = await curl(past, '/payments', CREATE.replace('"amount": 4999,', `"amount": 4999, "payment_id": "${id}",`));
      assert.equal(created.json.payment_id, id);
      const c = await curl(past, `/payments/${id}/confirm`, CONFIRM);
      assert.equal(c.status, 200);
      assert.equal(c.json.status, 'succeeded');
      const { last4, card_network, card_exp_month, card_exp_year, card_holder_name } = c.json.payment_method_data.card;
      assert.deepEqual({ last4, card_network, card_exp_month, card_exp_year, card_holder_name },
        { last4: '4242', card_network: 'Visa', card_exp_month: '10', card_exp_year: '25', card_holder_name: 'Jane Doe' });
      // Capture: for a payment created with "capture_method": "manual".
      const manual = (await curl(past, '/payments', CREATE.replace('"automatic"', '"manual"'))).json;
      assert.equal((await curl(past, `/payments/${manual.payment_id}/confirm`, CONFIRM)).json.status, 'requires_capture');
      const cap = await curl(past, `/payments/${manual.payment_id}/capture`, '{\n"amount_to_capture": 4999\n}');
      assert.equal(cap.json.status, 'succeeded');
      assert.equal(cap.json.amount_received, 4999);
      const other = (await curl(past, '/payments', CREATE)).json;
      const cancelled = await curl(past, `/payments/${other.payment_id}/cancel`, '{\n"cancellation_reason": "requested_by_customer"\n}');
      assert.equal(cancelled.json.status, 'cancelled');
      assert.equal(cancelled.json.cancellation_reason, 'requested_by_customer');
      const got = await curl(past, `/payments/${id}`);
      assert.equal(got.status, 200);
      assert.equal(got.json.status, 'succeeded');
      assert.equal(got.json.created, '2025-06-01T12:00:00.000Z');
      const list = await curl(past, '/payments/list');
      assert.equal(list.status, 200);
      assert.equal(list.json.size, 3);
    } finally {
      await past.close();
    }
  });
});

describe('sandbox: expiry and settlement on the real clock', function () {
  const t = useSandbox({ expiryMs: 300, processingDelayMs: 150 });

  it('a waiting payment is expired after expiryMs (retrieve and list)', async () => {
    const p = ok(await t.post('/payments', { amount: 100, currency: 'EUR', customer_id: 'cus_clock' }));
    assert.equal(Date.parse(p.expires_on) - Date.parse(p.created), 300);
    await waitFor(async () => ok(await t.get(`/payments/${p.payment_id}`)).status === 'expired', 'the payment expired');
    const listed = ok(await t.get('/payments/list?customer_id=cus_clock'));
    assert.equal(listed.data[0].status, 'expired');
    err(await t.post(`/payments/${p.payment_id}/cancel`, {}), 400, 'IR_16', 'You cannot cancel this payment because it has status expired');
  });

  it('a 0259 payment settles after processingDelayMs', async () => {
    const p = ok(await t.post('/payments', {
      amount: 5000, currency: 'JPY', confirm: true, payment_method: 'card',
      payment_method_data: { card: { card_number: '4000000000000259', card_exp_month: '12', card_exp_year: '2031', card_cvc: '123' } },
    }));
    assert.equal(p.status, 'processing');
    await waitFor(async () => ok(await t.get(`/payments/${p.payment_id}`)).status !== 'processing', 'the payment settled');
    const s = ok(await t.get(`/payments/${p.payment_id}`));
    assert.equal(s.status, 'succeeded');
    assert.equal(s.amount_received, 5000);
  });
});
