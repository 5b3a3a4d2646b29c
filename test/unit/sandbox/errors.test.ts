/**
 * Every row of perfectpay-api.md's Errors table, the exact error body shape, body size limits,
 * and the injected faults (429 with Retry-After, 500, broken JSON, dropped connections).
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { card, create, err, KEY, ok, type TestSandbox, useSandbox } from './helpers';

/** A raw request, for what fetch would not send (bad framing, no headers). */
function raw(url: string, method: string, path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + path, { method, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sandbox: errors', function () {
  const t = useSandbox({}, 'test');

  it('401 IR_01 when the api-key is missing or wrong (API and simulate)', async () => {
    const missing = await fetch(`${t.url}/payments/list`);
    const body = (await missing.json()) as any;
    assert.equal(missing.status, 401);
    assert.deepEqual(body, { error: { type: 'invalid_request', message: 'API key not provided or invalid API key used', code: 'IR_01' } });
    err(await t.call('GET', '/payments/list', undefined, { 'api-key': `${KEY}x` }), 401, 'IR_01');
    err(await t.call('POST', '/payments', { amount: 1, currency: 'USD' }, { 'api-key': '' }), 401, 'IR_01');
    assert.equal(t.sandbox.paymentCount(), 0, 'nothing created without the key');
  });

  it('404 IR_02 for an unknown route', async () => {
    err(await t.get('/disputes'), 404, 'IR_02', 'Unrecognized request URL');
    err(await t.get('/payments/pay_x/refund'), 404, 'IR_02');
    err(await t.get('/'), 404, 'IR_02');
  });

  it('405 IR_03 for a wrong method on a known route', async () => {
    err(await t.call('GET', '/payments'), 405, 'IR_03', 'The HTTP method is not applicable for this API');
    err(await t.call('DELETE', '/payments/pay_x'), 405, 'IR_03');
    const a = await t.call('GET', '/payments/pay_x/capture');
    err(a, 405, 'IR_03');
    assert.equal(a.headers.get('allow'), 'POST');
    const list = await t.call('DELETE', '/payments/list');
    err(list, 405, 'IR_03');
    assert.equal(list.headers.get('allow'), 'GET, POST');
  });

  it('400 IR_05 for malformed JSON, a body that is not an object', async () => {
    err(await t.call('POST', '/payments', '{"amount": 49'), 400, 'IR_05', 'body contains invalid data. Expected format is a JSON object');
    err(await t.call('POST', '/payments', '[1,2]'), 400, 'IR_05', /^body contains invalid data/);
    err(await t.call('POST', '/payments', '"x"'), 400, 'IR_05');
    const p = await create(t);
    err(await t.call('POST', `/payments/${p.payment_id}/capture`, '{'), 400, 'IR_05');
  });

  it('a body over 1 MB is refused (413, IR_05), and the server keeps serving', async () => {
    const big = JSON.stringify({ amount: 1, currency: 'USD', description: 'x'.repeat(1024 * 1024 + 10) });
    const a = await raw(t.url, 'POST', '/payments', big, { 'api-key': KEY, 'content-type': 'application/json' });
    assert.equal(a.status, 413);
    assert.equal(JSON.parse(a.text).error.code, 'IR_05');
    ok(await t.get('/payments/list'));
  });

  it('400 IR_04 "Missing required param: {field}"', async () => {
    err(await t.post('/payments', { currency: 'USD' }), 400, 'IR_04', 'Missing required param: amount');
    err(await t.post('/payments', { amount: 100 }), 400, 'IR_04', 'Missing required param: currency');
    err(await t.post('/payments', {}), 400, 'IR_04', 'Missing required param: amount');
    err(await t.post('/payments', { amount: null, currency: 'USD' }), 400, 'IR_04', 'Missing required param: amount');
    const p = await create(t);
    err(await t.post(`/payments/${p.payment_id}/confirm`, { payment_method: 'card', payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12' } } }),
      400, 'IR_04', 'Missing required param: payment_method_data.card.card_exp_year');
  });

  it('400 IR_05 "{field} contains invalid data. Expected format is {format}"', async () => {
    err(await t.post('/payments', { amount: '4999', currency: 'USD' }), 400, 'IR_05', /^amount contains invalid data\. Expected format is an integer/);
    err(await t.post('/payments', { amount: 49.99, currency: 'USD' }), 400, 'IR_05', /^amount contains invalid data/);
    err(await t.post('/payments', { amount: 100, currency: 840 }), 400, 'IR_05', /^currency contains invalid data/);
    err(await t.post('/payments', { amount: 100, currency: 'USD', capture_method: 'later' }), 400, 'IR_05',
      'capture_method contains invalid data. Expected format is one of automatic, manual, manual_multiple');
    err(await t.post('/payments', { amount: 100, currency: 'USD', authentication_type: '3ds' }), 400, 'IR_05', /^authentication_type contains invalid data\. Expected format is one of no_three_ds, three_ds$/);
    err(await t.post('/payments', { amount: 100, currency: 'USD', confirm: 'yes' }), 400, 'IR_05', 'confirm contains invalid data. Expected format is a boolean (true or false)');
    err(await t.post('/payments', { amount: 100, currency: 'USD', metadata: 'order 7' }), 400, 'IR_05', 'metadata contains invalid data. Expected format is a JSON object');
    err(await t.post('/payments', { amount: 100, currency: 'USD', metadata: [1] }), 400, 'IR_05', 'metadata contains invalid data. Expected format is a JSON object');
    err(await t.post('/payments', { amount: 100, currency: 'USD', email: 5 }), 400, 'IR_05', 'email contains invalid data. Expected format is a string');
    err(await t.post('/payments', { amount: 100, currency: 'USD', billing: { address: { city: 7 } } }), 400, 'IR_05', /^billing\.address\.city contains invalid data/);
    err(await t.post('/payments', { amount: 100, currency: 'USD', setup_future_usage: 'later' }), 400, 'IR_05',
      'setup_future_usage contains invalid data. Expected format is one of on_session, off_session');
    err(await t.post('/payments', { amount: 100, currency: 'USD', payment_id: 'has spaces' }), 400, 'IR_05', /^payment_id contains invalid data/);
    for (const return_url of ['not a url', 'ftp://example.com/done', 'javascript:alert(1)', 'file:///etc/passwd']) {
      err(await t.post('/payments', { amount: 100, currency: 'USD', return_url }), 400, 'IR_05',
        'return_url contains invalid data. Expected format is an http or https URL, e.g. https://example.com/checkout/complete');
    }
    const p = await create(t);
    err(await t.post(`/payments/${p.payment_id}/capture`, { amount_to_capture: 'all' }), 400, 'IR_05', /^amount_to_capture contains invalid data/);
    err(await t.post(`/payments/${p.payment_id}/cancel`, { cancellation_reason: 5 }), 400, 'IR_05', /^cancellation_reason contains invalid data/);
    err(await t.get(`/payments/${p.payment_id}?expand_attempts=maybe`), 400, 'IR_05', /^expand_attempts contains invalid data/);
  });

  it('400 IR_07 "Invalid value provided: {field}" for values out of range', async () => {
    err(await t.post('/payments', { amount: 0, currency: 'USD' }), 400, 'IR_07', 'Invalid value provided: amount');
    err(await t.post('/payments', { amount: -5, currency: 'USD' }), 400, 'IR_07', 'Invalid value provided: amount');
    err(await t.post('/payments', { amount: 1e20, currency: 'USD' }), 400, 'IR_07', 'Invalid value provided: amount');
    err(await t.post('/payments', { amount: 100, currency: 'XYZ' }), 400, 'IR_07', 'Invalid value provided: currency');
    err(await t.post('/payments', { amount: 100, currency: 'usd' }), 400, 'IR_07', 'Invalid value provided: currency');
    const p = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    err(await t.post(`/payments/${p.payment_id}/capture`, { amount_to_capture: 0 }), 400, 'IR_07', 'Invalid value provided: amount_to_capture');
  });

  it('400 IR_06 "amount_to_capture is greater than amount" when capturing more than amount_capturable, or asking it at create', async () => {
    const p = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    err(await t.post(`/payments/${p.payment_id}/capture`, { amount_to_capture: 5000 }), 400, 'IR_06', 'amount_to_capture is greater than amount');
    assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'requires_capture', 'unchanged');
    err(await t.post('/payments', { amount: 100, currency: 'USD', amount_to_capture: 101 }), 400, 'IR_06', 'amount_to_capture is greater than amount');
  });

  it('400 IR_09 on a wrong client_secret; the right one (or none) is accepted', async () => {
    const p = await create(t);
    err(await t.post(`/payments/${p.payment_id}/confirm`, { client_secret: `${p.payment_id}_secret_wrongwrongwrongwron`, ...card('4242424242424242') }),
      400, 'IR_09', 'The client_secret provided does not match the client_secret associated with the Payment');
    assert.equal(ok(await t.post(`/payments/${p.payment_id}/confirm`, { client_secret: p.client_secret, ...card('4242424242424242') })).status, 'succeeded');
  });

  it('400 IR_14 for a confirm or capture not allowed in the status, IR_16 for a cancel (exact documented texts)', async () => {
    const p = await create(t, { confirm: true, ...card('4242424242424242') });
    err(await t.post(`/payments/${p.payment_id}/capture`, {}), 400, 'IR_14',
      'This Payment could not be captured because it has a payment.status of succeeded. The expected state is requires_capture, partially_captured_and_capturable');
    err(await t.post(`/payments/${p.payment_id}/cancel`, {}), 400, 'IR_16', 'You cannot cancel this payment because it has status succeeded');
  });

  it('400 HE_01 for a duplicate payment_id; the first payment is kept unchanged', async () => {
    const id = 'pay_order_1001_attempt';
    const first = await create(t, { payment_id: id, amount: 111 });
    assert.equal(first.payment_id, id);
    assert.match(first.client_secret, new RegExp(`^${id}_secret_[A-Za-z0-9]{20}$`));
    const a = await t.post('/payments', { payment_id: id, amount: 222, currency: 'USD' });
    err(a, 400, 'HE_01', `The payment with the specified payment_id '${id}' already exists in our records`);
    assert.equal(a.json.error.type, 'duplicate_request');
    assert.equal(ok(await t.get(`/payments/${id}`)).amount, 111);
  });

  it('404 HE_02 for an unknown payment on every payment route', async () => {
    for (const [m, path] of [['GET', '/payments/pay_doesnotexist'], ['POST', '/payments/pay_doesnotexist/confirm'],
      ['POST', '/payments/pay_doesnotexist/capture'], ['POST', '/payments/pay_doesnotexist/cancel'], ['GET', '/payments/%E0%A4%A']] as const) {
      const a = await t.call(m, path, m === 'POST' ? card('4242424242424242') : undefined);
      err(a, 404, 'HE_02', 'Payment does not exist in our records');
      assert.equal(a.json.error.type, 'object_not_found');
    }
  });

  describe('injected faults (API routes only)', () => {
    afterEach(() => t.sandbox.setFaults({}));

    it('429 RE_04 with Retry-After, and nothing processed', async () => {
      const before = t.sandbox.paymentCount();
      t.sandbox.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
      const a = await t.post('/payments', { amount: 100, currency: 'USD' });
      err(a, 429, 'RE_04', 'Too many requests');
      assert.equal(a.headers.get('retry-after'), '7');
      assert.equal(t.sandbox.paymentCount(), before);
      // Pages and simulate are never faulted.
      assert.equal((await fetch(`${t.url}/sandbox`)).status, 200);
    });

    it('500 HE_00: every other one after the create was processed (stored), the others before', async () => {
      const before = t.sandbox.paymentCount();
      t.sandbox.setFaults({ errorRate: 1 });
      const a = await t.post('/payments', { amount: 100, currency: 'USD' });
      err(a, 500, 'HE_00', 'Something went wrong');
      assert.equal(a.json.error.type, 'server_not_available');
      assert.equal(t.sandbox.paymentCount(), before + 1, 'the first fault struck after processing');
      err(await t.post('/payments', { amount: 100, currency: 'USD' }), 500, 'HE_00');
      assert.equal(t.sandbox.paymentCount(), before + 1, 'the second struck before');
      assert.ok(t.logs.some((l) => /POST \/payments -> 500 .*\[fault: error after processing\]/.test(l)));
    });

    it('malformed: 200 with a body that is not JSON', async () => {
      t.sandbox.setFaults({ malformedRate: 1 });
      const a = await t.get('/payments/list');
      assert.equal(a.status, 200);
      assert.equal(a.json, undefined, 'not parseable');
      assert.ok(a.text.startsWith('{'), 'starts like JSON');
    });

    it('drop: the connection is destroyed without answer; a retried create with the same payment_id makes one payment', async () => {
      const id = `pay_retry_${Date.now()}`;
      t.sandbox.setFaults({ dropRate: 1 });
      await assert.rejects(fetch(`${t.url}/payments`, {
        method: 'POST', headers: { 'api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ payment_id: id, amount: 700, currency: 'USD' }),
      }));
      t.sandbox.setFaults({});
      // The lost answer's create WAS stored: the retry is refused as a duplicate, and retrieve finds it.
      err(await t.post('/payments', { payment_id: id, amount: 700, currency: 'USD' }), 400, 'HE_01');
      assert.equal(ok(await t.get(`/payments/${id}`)).amount, 700);
    });

    it('faults follow the injected random: one draw per request over cumulative shares', async () => {
      const draws = [0.05, 0.15, 0.25, 0.35, 0.95];
      let i = 0;
      t.sandbox.setFaults({ rateLimitRate: 0.1, errorRate: 0.1, malformedRate: 0.1, dropRate: 0.1, random: () => draws[i++]! });
      assert.equal((await t.get('/payments/list')).status, 429);
      assert.equal((await t.get('/payments/list')).status, 500);
      const m = await t.get('/payments/list');
      assert.equal(m.status, 200);
      assert.equal(m.json, undefined);
      await assert.rejects(t.get('/payments/list'));
      ok(await t.get('/payments/list'));
      assert.equal(i, 5);
    });

    it('a targeted fault strikes exactly the requests it names, as many times as told, whatever comes between', async () => {
      const p = await create(t);
      const confirm = `/payments/${p.payment_id}/confirm`;
      t.sandbox.setFaults({ targeted: [
        { method: 'POST', path: confirm, kind: 'drop', when: 'after' },
        { method: 'POST', path: '/payments', kind: 'error', times: 2 },
      ] });
      // Requests the rules do not name are answered, before and between.
      ok(await t.get('/payments/list'));
      assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'requires_payment_method');
      // The confirm loses its answer AFTER it ran: the payment is confirmed.
      await assert.rejects(t.post(confirm, card('4242424242424242')));
      assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'succeeded');
      assert.ok(t.logs.some((l) => l.includes(`POST ${confirm} -> dropped`) && l.includes('[fault: drop after processing]')));
      // Once only: the next confirm of it is answered (refused: it is no longer confirmable).
      err(await t.post(confirm, card('4242424242424242')), 400, 'IR_14');
      // Two creates refused before they ran (nothing stored), the third made.
      const before = t.sandbox.paymentCount();
      err(await t.post('/payments', { amount: 100, currency: 'USD' }), 500, 'HE_00');
      err(await t.post('/payments', { amount: 100, currency: 'USD' }), 500, 'HE_00');
      assert.equal(t.sandbox.paymentCount(), before, 'a create struck before it ran was stored');
      ok(await t.post('/payments', { amount: 100, currency: 'USD' }));
      assert.equal(t.sandbox.paymentCount(), before + 1);
    });

    it('latency delays API answers, not pages: a page asked after an API call is answered before it', async () => {
      t.sandbox.setLatency(2000);
      try {
        const answered: string[] = [];
        const t0 = Date.now();
        const api = t.get('/payments/list').then((a) => {
          answered.push('api');
          return a;
        });
        const page = await fetch(`${t.url}/sandbox`);
        answered.push('page');
        assert.equal(page.status, 200);
        ok(await api);
        assert.ok(Date.now() - t0 >= 1990, 'API answer delayed');
        assert.deepEqual(answered, ['page', 'api'], 'the page waited for the latency too');
      } finally {
        t.sandbox.setLatency(0);
      }
    });
  });

  it('every error body is exactly {"error":{"type","message","code"}} with a documented type (one answer of each code)', async () => {
    const types = new Set(['invalid_request', 'object_not_found', 'duplicate_request', 'validation_error', 'processing_error', 'server_not_available', 'router_error', 'connector_error']);
    const p = await create(t);
    const succeeded = await create(t, { confirm: true, ...card('4242424242424242') });
    const answers: [string, Awaited<ReturnType<TestSandbox['get']>>][] = [
      ['IR_01', await t.call('GET', '/payments/list', undefined, { 'api-key': 'sk_wrong' })],
      ['IR_02', await t.get('/disputes')],
      ['IR_03', await t.call('DELETE', `/payments/${p.payment_id}`)],
      ['IR_04', await t.post('/payments', { currency: 'USD' })],
      ['IR_05', await t.call('POST', '/payments', '{"amount": 49')],
      ['IR_06', await t.post(`/payments/${p.payment_id}/confirm`, { payment_method: 'crypto', payment_method_type: 'btc', payment_method_data: {} })],
      ['IR_07', await t.post('/payments', { amount: 0, currency: 'USD' })],
      ['IR_09', await t.post(`/payments/${p.payment_id}/confirm`, { client_secret: 'nope', ...card('4242424242424242') })],
      ['IR_14', await t.post(`/payments/${succeeded.payment_id}/capture`, {})],
      ['HE_01', await t.post('/payments', { payment_id: p.payment_id, amount: 100, currency: 'USD' })],
      ['HE_02', await t.get('/payments/pay_doesnotexist')],
    ];
    t.sandbox.setFaults({ rateLimitRate: 1 });
    answers.push(['RE_04', await t.get('/payments/list')]);
    t.sandbox.setFaults({ errorRate: 1 });
    answers.push(['HE_00', await t.get('/payments/list')]);
    t.sandbox.setFaults({});
    for (const [code, a] of answers) {
      const body = JSON.parse(a.text);
      assert.deepEqual(Object.keys(body), ['error'], code);
      assert.deepEqual(Object.keys(body.error), ['type', 'message', 'code'], code);
      assert.equal(body.error.code, code);
      assert.ok(types.has(body.error.type), `${code}: ${body.error.type}`);
      assert.equal(typeof body.error.message, 'string');
      assert.ok(a.status >= 400, `${code}: status ${a.status}`);
    }
  });
});
