/**
 * Issue 9 §3 over real HTTP: the publishable key with the payment's client_secret opens only
 * confirm (client_secret in the body) and retrieve (client_secret in the query), as a browser
 * uses them; anything else with it is 401 IR_01; a wrong secret is 400 IR_09.
 */
import * as assert from 'node:assert/strict';
import { startSandbox } from '../../../src/sandbox';
import { card, create, err, KEY, ok, useSandbox } from './helpers';

const PK = 'pk_snd_keys_suite_0123456789';

describe('sandbox: secret and publishable keys', function () {
  const t = useSandbox({ publishableKey: PK });

  const withPk = (method: string, path: string, body?: unknown) => t.call(method, path, body, { 'api-key': PK });

  it('exposes the publishable key it was given', () => {
    assert.equal(t.sandbox.publishableKey, PK);
  });

  it('makes one when none is given: pk_snd_ and 32 letters and digits, different each start', async () => {
    const a = await startSandbox({ apiKey: KEY });
    const b = await startSandbox({ apiKey: KEY });
    try {
      assert.match(a.publishableKey, /^pk_snd_[A-Za-z0-9]{32}$/);
      assert.notEqual(a.publishableKey, b.publishableKey);
    } finally {
      await a.close();
      await b.close();
    }
    await assert.rejects(startSandbox({ apiKey: KEY, publishableKey: KEY }), /must not be the secret key/);
  });

  it('confirms with the publishable key and the client_secret in the body', async () => {
    const p = await create(t);
    const c = ok(await withPk('POST', `/payments/${p.payment_id}/confirm`, { ...card('4242424242424242'), client_secret: p.client_secret }));
    assert.equal(c.status, 'succeeded');
  });

  it('retrieves with the publishable key and the client_secret query parameter (expansions too)', async () => {
    const p = await create(t);
    const got = ok(await withPk('GET', `/payments/${p.payment_id}?client_secret=${encodeURIComponent(p.client_secret)}&expand_attempts=true`));
    assert.equal(got.payment_id, p.payment_id);
    assert.equal(got.attempts.length, 1);
  });

  it('without the client_secret: 400 IR_04; with a wrong one: 400 IR_09, and nothing moves', async () => {
    const p = await create(t);
    err(await withPk('POST', `/payments/${p.payment_id}/confirm`, card('4242424242424242')), 400, 'IR_04', 'Missing required param: client_secret');
    err(await withPk('GET', `/payments/${p.payment_id}`), 400, 'IR_04', 'Missing required param: client_secret');
    const other = await create(t);
    const wrong = 'The client_secret provided does not match the client_secret associated with the Payment';
    err(await withPk('POST', `/payments/${p.payment_id}/confirm`, { ...card('4242424242424242'), client_secret: other.client_secret }), 400, 'IR_09', wrong);
    err(await withPk('GET', `/payments/${p.payment_id}?client_secret=${encodeURIComponent(other.client_secret)}`), 400, 'IR_09', wrong);
    assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'requires_payment_method');
  });

  it('anything else with the publishable key is 401 IR_01 (and nothing happens)', async () => {
    const p = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    const before = t.sandbox.paymentCount();
    const refused: Array<[string, string, unknown]> = [
      ['POST', '/payments', { amount: 100, currency: 'USD', client_secret: p.client_secret }],
      ['GET', '/payments/list', undefined],
      ['POST', '/payments/list', {}],
      ['POST', `/payments/${p.payment_id}/capture`, { client_secret: p.client_secret }],
      ['POST', `/payments/${p.payment_id}/cancel`, {}],
      ['POST', `/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'fail' }],
    ];
    for (const [method, path, body] of refused) {
      err(await withPk(method, path, body), 401, 'IR_01', 'API key not provided or invalid API key used');
    }
    assert.equal(t.sandbox.paymentCount(), before);
    assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'requires_capture');
  });

  it('the secret key still opens everything, and may send a client_secret too (checked when sent)', async () => {
    const p = await create(t);
    ok(await t.get(`/payments/${p.payment_id}?client_secret=${encodeURIComponent(p.client_secret)}`));
    err(await t.get(`/payments/${p.payment_id}?client_secret=nope`), 400, 'IR_09');
    assert.equal(ok(await t.post(`/payments/${p.payment_id}/confirm`, card('4242424242424242'))).status, 'succeeded');
  });

  it('neither key appears in the log', () => {
    const log = t.logs.join('\n');
    assert.ok(t.logs.length > 10);
    assert.equal(log.includes(PK), false);
    assert.equal(log.includes(KEY), false);
    assert.equal(/client_secret=pay_/.test(log), false, 'client secrets in a URL are masked');
  });
});
