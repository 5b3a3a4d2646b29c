/**
 * What a real server may send that our sandbox does not: unknown fields, statuses and next_action
 * types pass; a field of the wrong type is a clear error that names it. A bare node:http server
 * plays the server.
 */
import assert from 'node:assert/strict';
import { InvalidAnswerError, parseNextAction, toCurl } from '../../../src/api';
import { useAnsweringServer } from '../helpers';

const base = {
  payment_id: 'pay_tolerance0000000000000000',
  status: 'requires_payment_method',
  amount: 4999,
  currency: 'USD',
  created: '2026-11-24T15:04:05.000Z',
};

describe('answer tolerance', () => {
  const server = useAnsweringServer(base);

  it('keeps unknown fields', async () => {
    server.answer = { ...base, surcharge_details: { amount: 3 }, brand_new_field: 'x' };
    const p = await server.client.retrievePayment(base.payment_id);
    assert.equal((p as Record<string, unknown>).brand_new_field, 'x');
  });

  it('keeps an unknown status raw', async () => {
    server.answer = { ...base, status: 'requires_merchant_action' };
    assert.equal((await server.client.retrievePayment(base.payment_id)).status, 'requires_merchant_action');
  });

  it('keeps an unknown next_action type raw, and says so', async () => {
    server.answer = { ...base, status: 'requires_customer_action', next_action: { type: 'invoke_hidden_iframe', iframe_data: { a: 1 } } };
    const p = await server.client.retrievePayment(base.payment_id);
    const na = parseNextAction(p.next_action!);
    assert.equal(na.known, false);
    assert.deepEqual(na.known ? undefined : na.raw, server.answer && (server.answer as { next_action: unknown }).next_action);
  });

  it('a known next_action with a malformed field is shown raw with the problem named', () => {
    const na = parseNextAction({ type: 'redirect_to_url', redirect_to_url: 42 } as never);
    assert.equal(na.known, false);
    assert.match(na.known ? '' : na.problem ?? '', /redirect_to_url/);
  });

  it('a field of the wrong type is an InvalidAnswerError naming the field', async () => {
    server.answer = { ...base, amount: '4999' };
    await assert.rejects(server.client.retrievePayment(base.payment_id), (e: unknown) => {
      assert.ok(e instanceof InvalidAnswerError);
      assert.match(e.message, /amount/);
      return true;
    });
  });

  it('a missing required field is named too', async () => {
    const { payment_id: _drop, ...rest } = base;
    server.answer = rest;
    await assert.rejects(server.client.retrievePayment(base.payment_id), /payment_id/);
  });
});

describe('toCurl', () => {
  it('writes the key as a variable and masks card data', () => {
    const curl = toCurl({
      method: 'POST',
      url: 'https://sandbox.perfectpay.ai/payments/pay_1/confirm',
      body: { payment_method: 'card', payment_method_data: { card: { card_number: '4242424242424242', card_cvc: '123', card_exp_month: '10', card_exp_year: '30' } } },
    });
    assert.match(curl, /^curl 'https:\/\/sandbox\.perfectpay\.ai\/payments\/pay_1\/confirm' \\\n {2}-X POST/);
    assert.match(curl, /-H "api-key: \$PERFECTPAY_API_KEY"/);
    assert.ok(!curl.includes('4242424242424242'));
    assert.ok(curl.includes('4242'));
    assert.ok(!curl.includes('"123"'));
  });

  it('quotes single quotes for the shell', () => {
    const curl = toCurl({ method: 'POST', url: 'http://x/payments', body: { description: "Jane's order" } });
    assert.ok(curl.includes(`Jane'\\''s order`));
  });

  it('a GET has no -X and no body', () => {
    const curl = toCurl({ method: 'GET', url: 'http://x/payments/list?limit=10' });
    assert.ok(!curl.includes('-X'));
    assert.ok(!curl.includes('-d'));
  });
});
