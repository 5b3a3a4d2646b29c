/**
 * The client's refund methods against the local sandbox, over real HTTP on loopback: typed answers,
 * the refund_id that makes a refund safe to send again, and exactly one refund under injected faults.
 */
import assert from 'node:assert/strict';
import { ApiError, InvalidRequestError, type Payment, type RequestEvent } from '../../../src/api';
import { rejects } from '../rejects';
import { useLocalApi, waitFor } from '../helpers';

const KEY = 'sk_test_client_refunds_0123456789';

const CARD = (number: string) => ({
  payment_method: 'card',
  payment_method_type: 'credit',
  payment_method_data: { card: { card_number: number, card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } },
});

describe('PerfectPayClient: refunds against the local sandbox', function () {
  const events: RequestEvent[] = [];
  const local = useLocalApi(KEY, { refundDelayMs: 150 }, { onEvent: (e) => events.push(e), retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  beforeEach(() => {
    events.length = 0;
  });
  afterEach(() => local.sandbox.setFaults({}));

  const paid = async (amount = 1000, number = '4242424242424242'): Promise<Payment> => {
    const p = await local.client.createPayment({ amount, currency: 'USD', confirm: true, ...CARD(number) });
    assert.equal(p.status, 'succeeded');
    return p;
  };

  it('createRefund sends a refund_id of its own (ref_ and 26), and the refund reads back typed', async () => {
    const p = await paid();
    const r = await local.client.createRefund({ payment_id: p.payment_id, amount: 250, reason: 'Customer returned the product' });
    assert.match(r.refund_id, /^ref_[a-z0-9]{26}$/);
    const sent = events.find((e) => e.method === 'POST' && e.url.endsWith('/refunds'));
    assert.equal((sent?.requestBody as { refund_id?: string }).refund_id, r.refund_id, 'the id was chosen before sending');
    assert.equal(r.status, 'succeeded');
    assert.equal(r.amount, 250);
    assert.deepEqual(await local.client.retrieveRefund(r.refund_id), r);
    const payment = await local.client.retrievePayment(p.payment_id);
    assert.deepEqual(payment.refunds?.map((x) => x.refund_id), [r.refund_id]);
    assert.equal(payment.amount_received, 1000);
  });

  it('updateRefund and listRefunds', async () => {
    const p = await paid();
    const a = await local.client.createRefund({ payment_id: p.payment_id, amount: 100 });
    const b = await local.client.createRefund({ payment_id: p.payment_id, amount: 200 });
    const u = await local.client.updateRefund(a.refund_id, { reason: 'Item damaged', metadata: { ticket: 'T-1' } });
    assert.equal(u.reason, 'Item damaged');
    assert.deepEqual(u.metadata, { ticket: 'T-1' });
    const list = await local.client.listRefunds({ payment_id: p.payment_id, limit: 1 });
    assert.equal(list.count, 1);
    assert.equal(list.total_count, 2);
    assert.equal(list.data[0]!.refund_id, b.refund_id, 'newest first');
  });

  it('the refusals are ApiErrors with the server codes; bad input is refused before sending', async () => {
    const p = await paid(500);
    await rejects(local.client.createRefund({ payment_id: p.payment_id, amount: 501 }), ApiError, (e) => {
      assert.equal(e.code, 'IR_13');
      assert.match(e.message, /The refund amount exceeds the amount captured/);
    });
    await rejects(local.client.retrieveRefund('ref_unknown00000000000000'), ApiError, (e) => assert.equal(e.code, 'HE_02'));
    events.length = 0;
    await rejects(local.client.retrieveRefund('../payments'), InvalidRequestError);
    await rejects(local.client.createRefund({ payment_id: 'nope' }), InvalidRequestError);
    assert.equal(events.length, 0, 'nothing sent');
  });

  it('a refund_id used by another refund is HE_01 to the caller (no lost answer before it)', async () => {
    const p = await paid();
    const r = await local.client.createRefund({ payment_id: p.payment_id, amount: 100 });
    await rejects(local.client.createRefund({ payment_id: p.payment_id, amount: 100, refund_id: r.refund_id }), ApiError, (e) => assert.equal(e.code, 'HE_01'));
    assert.equal((await local.client.listRefunds({ payment_id: p.payment_id })).total_count, 1);
  });

  it('retried under dropped and failed answers, each createRefund makes exactly one refund', async () => {
    const p = await paid(10_000);
    events.length = 0;
    // The fault draws cycle through a 500, a dropped connection and answers that get through. The
    // sandbox strikes alternately after the request ran and before, so some refunds were made when
    // their answer was lost (the read finds them) and some were not (the read finds nothing: sent again).
    const draws = [0.1, 0.9, 0.3, 0.9, 0.9];
    let n = 0;
    local.sandbox.setFaults({ errorRate: 0.25, dropRate: 0.25, random: () => draws[n++ % draws.length]! });
    const made = [];
    for (let i = 0; i < 6; i++) made.push(await local.client.createRefund({ payment_id: p.payment_id, amount: 100 + i }));
    local.sandbox.setFaults({});
    const listed = await local.client.listRefunds({ payment_id: p.payment_id, limit: 100 });
    assert.equal(listed.total_count, 6, 'one refund per call');
    assert.deepEqual(listed.data.map((r) => r.amount).sort(), made.map((r) => r.amount).sort());
    assert.deepEqual(new Set(listed.data.map((r) => r.refund_id)), new Set(made.map((r) => r.refund_id)));
    const posts = events.filter((e) => e.method === 'POST' && e.url.endsWith('/refunds'));
    assert.ok(posts.length > 6, 'some refunds were sent again');
    const reads = events.filter((e) => e.method === 'GET' && e.url.includes('/refunds/')).map((e) => e.status);
    assert.ok(reads.includes(200), 'a read after a lost answer found the refund made');
    assert.ok(reads.includes(404), 'a read after a lost answer found nothing, and the refund was sent again');
  });

  it('after a lost answer a retry that meets HE_01 is the refund made, not an error', async () => {
    const p = await paid();
    events.length = 0;
    // The first send runs and its answer is dropped; every read of it fails (500s before it runs,
    // drops after); so the refund is sent again, meets the refund made (HE_01), reads it and returns it.
    const draws = [0.3, 0.1, 0.3, 0.1, 0.3];
    let n = 0;
    local.sandbox.setFaults({ errorRate: 0.25, dropRate: 0.25, random: () => draws[n++] ?? 0.9 });
    const r = await local.client.createRefund({ payment_id: p.payment_id, amount: 300 });
    local.sandbox.setFaults({});
    assert.equal(r.amount, 300);
    assert.deepEqual(
      events.map((e) => `${e.method} ${e.status ?? '-'}`),
      ['POST -', 'GET 500', 'GET -', 'GET 500', 'GET -', 'POST 400', 'GET 200'],
    );
    assert.equal((await local.client.listRefunds({ payment_id: p.payment_id })).total_count, 1);
  });

  it('a delayed refund card: the client reads it pending, then failed', async () => {
    const p = await paid(1000, '4000000000005126');
    const r = await local.client.createRefund({ payment_id: p.payment_id });
    assert.equal(r.status, 'pending');
    let now = r;
    await waitFor(async () => (now = await local.client.retrieveRefund(r.refund_id)).status !== 'pending', 'the refund to settle');
    assert.equal(now.status, 'failed');
    assert.equal(now.error_code, 'refund_failed');
  });

  it('cURL and code copies of the refund routes carry the key as a variable and name the route', () => {
    const body = { payment_id: 'pay_mbabizu24mvu3mela5njyhpit4', amount: 100, refund_id: 'ref_mbabizu24mvu3mela5njyhpit4' };
    const curl = local.client.curlFor('POST', '/refunds', body);
    assert.match(curl, /\$PERFECTPAY_API_KEY/);
    assert.ok(curl.includes(`${local.sandbox.url}/refunds`));
    assert.doesNotMatch(curl, new RegExp(KEY));
    for (const format of ['node', 'python', 'httpie', 'curl'] as const) {
      for (const [method, path, b] of [
        ['POST', '/refunds', body],
        ['GET', '/refunds/ref_mbabizu24mvu3mela5njyhpit4', undefined],
        ['POST', '/refunds/ref_mbabizu24mvu3mela5njyhpit4', { reason: 'Item damaged' }],
        ['POST', '/refunds/list', { payment_id: body.payment_id }],
      ] as const) {
        const code = local.client.codeFor(format, method, path, b);
        assert.ok(code.includes(path), `${format} ${path}`);
        assert.doesNotMatch(code, new RegExp(KEY));
      }
    }
  });
});
