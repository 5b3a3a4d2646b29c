/**
 * Refunds in the local sandbox over real HTTP (perfectpay-api.md, "Refunds"): what Hyperswitch's
 * Postman suite checks of refunds (full, partial, more than captured, a payment that cannot be
 * refunded, retrieve, update, list), the two delayed refund cards, idempotency by refund_id, the
 * payment's `refunds`, the snapshot and the seed.
 */
import * as assert from 'node:assert/strict';
import { startSandbox } from '../../../src/sandbox';
import { card, create, err, KEY, ok, useSandbox, waitFor, type TestSandbox } from './helpers';

/** Every field of Hyperswitch's RefundResponse, and the contract's connector_refund_id. */
const REFUND_FIELDS = [
  'refund_id', 'payment_id', 'amount', 'currency', 'status', 'reason', 'metadata', 'error_message', 'error_code',
  'unified_code', 'unified_message', 'created_at', 'updated_at', 'connector', 'profile_id', 'merchant_connector_id',
  'split_refunds', 'issuer_error_code', 'issuer_error_message', 'raw_connector_response', 'connector_refund_id',
];

const IR_13 = 'The refund amount exceeds the amount captured';

/** A payment that received `amount` (automatic capture, card 4242 or the one given). */
async function paid(t: TestSandbox, amount = 1000, number = '4242424242424242', extra: Record<string, unknown> = {}): Promise<any> {
  const p = await create(t, { amount, confirm: true, ...card(number), ...extra });
  assert.equal(p.status, 'succeeded');
  return p;
}

describe('sandbox: refunds', () => {
  const t = useSandbox({ refundDelayMs: 150 });

  it('a full refund (no amount: all of it) succeeds at once, with every field of RefundResponse', async () => {
    const p = await paid(t, 1000);
    const r = ok(await t.post('/refunds', { payment_id: p.payment_id, reason: 'Customer returned the product', metadata: { order: '1001' } }));
    assert.deepEqual(Object.keys(r), REFUND_FIELDS);
    assert.match(r.refund_id, /^ref_[a-z0-9]{20,32}$/);
    assert.equal(r.payment_id, p.payment_id);
    assert.equal(r.amount, 1000);
    assert.equal(r.currency, 'USD');
    assert.equal(r.status, 'succeeded');
    assert.equal(r.reason, 'Customer returned the product');
    assert.deepEqual(r.metadata, { order: '1001' });
    assert.equal(r.error_code, null);
    assert.equal(r.connector, 'perfectpay_sandbox');
    assert.match(r.connector_refund_id, /^re_/);
    assert.match(r.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const after = ok(await t.get(`/payments/${p.payment_id}`));
    assert.equal(after.amount_received, 1000, 'amount_received is not changed by refunds');
    assert.equal(after.status, 'succeeded');
    assert.deepEqual(after.refunds, [r]);
    // Nothing is left: another refund is more than captured.
    err(await t.post('/refunds', { payment_id: p.payment_id, amount: 1 }), 400, 'IR_13', IR_13);
  });

  it('two partial refunds, then more than is left is IR_13; the payment lists both, oldest first', async () => {
    const p = await paid(t, 1000);
    const a = ok(await t.post('/refunds', { payment_id: p.payment_id, amount: 300 }));
    const b = ok(await t.post('/refunds', { payment_id: p.payment_id, amount: 500 }));
    err(await t.post('/refunds', { payment_id: p.payment_id, amount: 201 }), 400, 'IR_13', IR_13);
    const rest = ok(await t.post('/refunds', { payment_id: p.payment_id }));
    assert.equal(rest.amount, 200, 'without an amount: all that is left');
    const after = ok(await t.get(`/payments/${p.payment_id}`));
    assert.deepEqual(after.refunds.map((r: any) => r.refund_id), [a.refund_id, b.refund_id, rest.refund_id]);
    assert.equal(after.amount_received, 1000);
  });

  it('more than captured is IR_13, with the exact text; 0 or less is IR_07', async () => {
    const p = await paid(t, 1000);
    err(await t.post('/refunds', { payment_id: p.payment_id, amount: 1001 }), 400, 'IR_13', IR_13);
    err(await t.post('/refunds', { payment_id: p.payment_id, amount: 0 }), 400, 'IR_07', 'Invalid value provided: amount');
    err(await t.post('/refunds', { payment_id: p.payment_id, amount: -5 }), 400, 'IR_07', 'Invalid value provided: amount');
    // A partial capture: refundable up to what was received, not the payment's amount.
    const m = await create(t, { amount: 1000, capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    const c = ok(await t.post(`/payments/${m.payment_id}/capture`, { amount_to_capture: 600 }));
    assert.equal(c.status, 'partially_captured');
    err(await t.post('/refunds', { payment_id: m.payment_id, amount: 601 }), 400, 'IR_13', IR_13);
    assert.equal(ok(await t.post('/refunds', { payment_id: m.payment_id })).amount, 600);
  });

  it('a payment that did not succeed cannot be refunded: IR_14 with the exact text', async () => {
    const failed = await create(t, { amount: 1000, confirm: true, ...card('4000000000000002') });
    assert.equal(failed.status, 'failed');
    err(
      await t.post('/refunds', { payment_id: failed.payment_id }),
      400,
      'IR_14',
      'This Payment could not be refund because it has a status of failed. The expected state is succeeded, partially_captured',
    );
    const authorised = await create(t, { amount: 1000, capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    err(
      await t.post('/refunds', { payment_id: authorised.payment_id, amount: 100 }),
      400,
      'IR_14',
      'This Payment could not be refund because it has a status of requires_capture. The expected state is succeeded, partially_captured',
    );
    assert.equal(ok(await t.get(`/payments/${failed.payment_id}`)).refunds, null, 'no refunds: null');
  });

  it('unknown payment or refund: 404 HE_02 with the contract text; unknown fields IR_06; no payment_id IR_04', async () => {
    err(await t.post('/refunds', { payment_id: 'pay_doesnotexist0000000000' }), 404, 'HE_02', 'Payment does not exist in our records');
    err(await t.get('/refunds/ref_doesnotexist000000000000'), 404, 'HE_02', 'Refund does not exist in our records');
    err(await t.post('/refunds/ref_doesnotexist000000000000', { reason: 'x' }), 404, 'HE_02', 'Refund does not exist in our records');
    err(await t.post('/refunds', { payment_id: 'pay_x', amout: 5 }), 400, 'IR_06', /unknown field `amout`, expected one of `payment_id`, `refund_id`/);
    err(await t.post('/refunds', { amount: 5 }), 400, 'IR_04', 'Missing required param: payment_id');
    err(await t.post('/refunds', { payment_id: 'pay_x', refund_type: 'later' }), 400, 'IR_05', /refund_type/);
    err(await t.call('POST', '/refunds', { payment_id: 'pay_x' }, { 'api-key': 'wrong' }), 401, 'IR_01');
    // The publishable key opens no refund route: refunds are the merchant's server's.
    const pk = { 'api-key': t.sandbox.publishableKey };
    err(await t.call('POST', '/refunds', { payment_id: 'pay_x' }, pk), 401, 'IR_01');
    err(await t.call('GET', '/refunds/ref_x', undefined, pk), 401, 'IR_01');
    err(await t.call('POST', '/refunds/list', {}, pk), 401, 'IR_01');
  });

  it('card numbers in a reason or metadata are masked, in the answer and the log', async () => {
    const p = await paid(t, 1000);
    const r = ok(await t.post('/refunds', { payment_id: p.payment_id, amount: 10, reason: 'card 4242 4242 4242 4242 charged twice', metadata: { note: '4242424242424242', cvc: '123' } }));
    assert.doesNotMatch(JSON.stringify(r), /4242 ?4242 ?4242 ?4242|"123"/);
    const u = ok(await t.post(`/refunds/${r.refund_id}`, { reason: 'was 4111111111111111' }));
    assert.doesNotMatch(JSON.stringify(u), /4111111111111111/);
    assert.doesNotMatch(t.logs.join('\n'), /4242424242424242|4111111111111111/);
  });

  it('retrieve and update (reason and metadata); the update shows in the payment too', async () => {
    const p = await paid(t, 1000);
    const r = ok(await t.post('/refunds', { payment_id: p.payment_id, amount: 100, reason: 'first' }));
    assert.deepEqual(ok(await t.get(`/refunds/${r.refund_id}`)), r);
    const u = ok(await t.post(`/refunds/${r.refund_id}`, { reason: 'Item damaged', metadata: { ticket: 'T-42' } }));
    assert.equal(u.reason, 'Item damaged');
    assert.deepEqual(u.metadata, { ticket: 'T-42' });
    assert.equal(u.amount, 100);
    assert.equal(u.status, 'succeeded');
    assert.deepEqual(ok(await t.get(`/refunds/${r.refund_id}`)), u);
    assert.deepEqual(ok(await t.get(`/payments/${p.payment_id}`)).refunds, [u]);
    err(await t.post(`/refunds/${r.refund_id}`, { amount: 5 }), 400, 'IR_06', /unknown field `amount`, expected one of `reason`, `metadata`/);
  });

  it('idempotent by refund_id: the same refund_id again is HE_01 and makes no second refund', async () => {
    const p = await paid(t, 1000);
    const refund_id = `ref_idem${Date.now()}abcdefghijkl`;
    ok(await t.post('/refunds', { payment_id: p.payment_id, amount: 100, refund_id }));
    err(await t.post('/refunds', { payment_id: p.payment_id, amount: 100, refund_id }), 400, 'HE_01');
    // HE_01 comes first: a refund of everything sent again hears HE_01, not IR_13.
    const all = `ref_all${Date.now()}abcdefghijklm`;
    ok(await t.post('/refunds', { payment_id: p.payment_id, refund_id: all }));
    err(await t.post('/refunds', { payment_id: p.payment_id, refund_id: all }), 400, 'HE_01', 'Duplicate refund request. Refund already attempted with the refund ID');
    const list = ok(await t.post('/refunds/list', { payment_id: p.payment_id }));
    assert.equal(list.total_count, 2);
  });

  it('list: filters, offset/limit, count and total_count, newest first', async () => {
    const p = await paid(t, 5000);
    const eur = await paid(t, 3000, '4242424242424242', { currency: 'EUR' });
    const made: any[] = [];
    for (const amount of [100, 200, 300, 400]) made.push(ok(await t.post('/refunds', { payment_id: p.payment_id, amount })));
    const euro = ok(await t.post('/refunds', { payment_id: eur.payment_id, amount: 250 }));

    const mine = ok(await t.post('/refunds/list', { payment_id: p.payment_id }));
    assert.equal(mine.count, 4);
    assert.equal(mine.total_count, 4);
    assert.deepEqual(mine.data.map((r: any) => r.amount), [400, 300, 200, 100], 'newest first');
    for (const r of mine.data) assert.deepEqual(Object.keys(r), REFUND_FIELDS);

    const page = ok(await t.post('/refunds/list', { payment_id: p.payment_id, offset: 1, limit: 2 }));
    assert.equal(page.count, 2);
    assert.equal(page.total_count, 4, 'every match, not just the page');
    assert.deepEqual(page.data.map((r: any) => r.amount), [300, 200]);

    const byAmount = ok(await t.post('/refunds/list', { payment_id: p.payment_id, amount_filter: { start_amount: 150, end_amount: 350 } }));
    assert.deepEqual(byAmount.data.map((r: any) => r.amount), [300, 200]);

    const byId = ok(await t.post('/refunds/list', { refund_id: made[1]!.refund_id }));
    assert.deepEqual(byId.data.map((r: any) => r.refund_id), [made[1]!.refund_id]);

    const euros = ok(await t.post('/refunds/list', { currency: ['EUR'] }));
    assert.ok(euros.data.every((r: any) => r.currency === 'EUR'));
    assert.ok(euros.data.some((r: any) => r.refund_id === euro.refund_id));

    const failed = ok(await t.post('/refunds/list', { payment_id: p.payment_id, refund_status: ['failed'] }));
    assert.equal(failed.total_count, 0);

    const from = made[2]!.created_at;
    const recent = ok(await t.post('/refunds/list', { payment_id: p.payment_id, time_range: { start_time: from } }));
    assert.ok(recent.data.every((r: any) => r.created_at >= from));
    assert.ok(recent.data.some((r: any) => r.refund_id === made[3]!.refund_id));

    const everything = ok(await t.post('/refunds/list', {}));
    assert.equal(everything.count, Math.min(10, everything.total_count), 'default limit 10');
    err(await t.post('/refunds/list', { limit: 0 }), 400, 'IR_07', 'Invalid value provided: limit');
    err(await t.post('/refunds/list', { refund_status: ['done'] }), 400, 'IR_05', /refund_status/);
  });

  it('card 4000000000005126: pending, then failed (refund_failed); the amount can be refunded again', async () => {
    const p = await paid(t, 1000, '4000000000005126');
    const r = ok(await t.post('/refunds', { payment_id: p.payment_id }));
    assert.equal(r.status, 'pending');
    // Pending counts against what is left.
    err(await t.post('/refunds', { payment_id: p.payment_id, amount: 1 }), 400, 'IR_13', IR_13);
    let now: any;
    await waitFor(async () => (now = ok(await t.get(`/refunds/${r.refund_id}`))).status !== 'pending', 'the refund to settle');
    assert.equal(now.status, 'failed');
    assert.equal(now.error_code, 'refund_failed');
    assert.equal(typeof now.error_message, 'string');
    assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).refunds[0].status, 'failed');
    const listed = ok(await t.post('/refunds/list', { payment_id: p.payment_id, refund_status: ['failed'] }));
    assert.deepEqual(listed.data.map((x: any) => x.refund_id), [r.refund_id]);
    // A failed refund gave nothing back: all of it can be refunded again.
    assert.equal(ok(await t.post('/refunds', { payment_id: p.payment_id })).amount, 1000);
  });

  it('card 4000000000007726: pending, then succeeded', async () => {
    const p = await paid(t, 1000, '4000000000007726');
    const r = ok(await t.post('/refunds', { payment_id: p.payment_id, amount: 400 }));
    assert.equal(r.status, 'pending');
    // Read through the payment: its refunds settle too.
    let now: any;
    await waitFor(async () => (now = ok(await t.get(`/payments/${p.payment_id}`))).refunds[0].status !== 'pending', 'the refund to settle');
    assert.equal(now.refunds[0].status, 'succeeded');
    assert.equal(now.refunds[0].error_code, null);
    assert.equal(ok(await t.get(`/refunds/${r.refund_id}`)).status, 'succeeded');
  });

  it('the payment answer has connector_customer_id, error_details and connector_response_metadata, null', async () => {
    const p = await paid(t, 1000);
    for (const f of ['connector_customer_id', 'error_details', 'connector_response_metadata']) {
      assert.ok(Object.hasOwn(p, f), f);
      assert.equal(p[f], null, f);
    }
  });
});

describe('sandbox: refunds in the snapshot and the seed', () => {
  it('a snapshot keeps refunds (a pending one settles after the restore), and refund ids stay unique', async () => {
    const a = await startSandbox({ port: 0, apiKey: KEY, refundDelayMs: 200 });
    const call = async (url: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(url + path, { method, headers: { 'api-key': KEY, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as any };
    };
    let b: Awaited<ReturnType<typeof startSandbox>> | undefined;
    try {
      const p = (await call(a.url, 'POST', '/payments', { amount: 1000, currency: 'USD', confirm: true, ...card('4242424242424242') })).json;
      const slow = (await call(a.url, 'POST', '/payments', { amount: 800, currency: 'USD', confirm: true, ...card('4000000000007726') })).json;
      const r1 = (await call(a.url, 'POST', '/refunds', { payment_id: p.payment_id, amount: 300, metadata: { n: 1 } })).json;
      const r2 = (await call(a.url, 'POST', '/refunds', { payment_id: slow.payment_id })).json;
      assert.equal(r2.status, 'pending');
      const snap = JSON.parse(JSON.stringify(a.snapshot()));
      await a.close();
      b = await startSandbox({ port: 0, apiKey: KEY, restore: snap, refundDelayMs: 200 });
      assert.equal(b.startedFrom, 'snapshot');
      assert.deepEqual((await call(b.url, 'GET', `/refunds/${r1.refund_id}`)).json, r1);
      assert.deepEqual((await call(b.url, 'GET', `/payments/${p.payment_id}`)).json.refunds, [r1]);
      await waitFor(async () => (await call(b!.url, 'GET', `/refunds/${r2.refund_id}`)).json.status === 'succeeded', 'the restored pending refund to settle');
      const dup = await call(b.url, 'POST', '/refunds', { payment_id: p.payment_id, amount: 1, refund_id: r1.refund_id });
      assert.equal(dup.status, 400);
      assert.equal(dup.json.error.code, 'HE_01');
      const over = await call(b.url, 'POST', '/refunds', { payment_id: p.payment_id, amount: 701 });
      assert.equal(over.json.error?.code, 'IR_13', 'what was refunded before the restore still counts');
      const list = (await call(b.url, 'POST', '/refunds/list', {})).json;
      assert.deepEqual(list.data.map((r: any) => r.refund_id), [r2.refund_id, r1.refund_id]);
    } finally {
      await a.close();
      await b?.close();
    }
  });

  it('a snapshot with a refund id twice is refused (the seed is used)', async () => {
    const refund = {
      seq: 1000, refund_id: 'ref_twice', amount: 1, status: 'succeeded', reason: null, metadata: null, refund_type: 'instant',
      error_code: null, error_message: null, connector_refund_id: 're_x', createdMs: 0, modifiedMs: 0, settleAtMs: null, settleTo: null,
    };
    const seeded = await startSandbox({ port: 0, apiKey: KEY, seed: 3 });
    const s = JSON.parse(JSON.stringify(seeded.snapshot()));
    await seeded.close();
    s.payments[0].refunds = [refund, { ...refund, seq: 1001 }];
    const b = await startSandbox({ port: 0, apiKey: KEY, restore: s });
    try {
      assert.equal(b.startedFrom, 'seed');
      assert.match(b.restoreProblem ?? '', /refund ref_twice appears twice/);
    } finally {
      await b.close();
    }
  });

  it('the seed has refunded payments: full, partial and one failed', async () => {
    const s = await startSandbox({ port: 0, apiKey: KEY, seed: 25 });
    try {
      const res = await fetch(s.url + '/refunds/list', { method: 'POST', headers: { 'api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ limit: 100 }) });
      const list = (await res.json()) as any;
      assert.ok(list.total_count >= 3, `seeded refunds: ${list.total_count}`);
      const payments = new Map<string, any>();
      for (const r of list.data) {
        if (!payments.has(r.payment_id)) {
          payments.set(r.payment_id, await (await fetch(`${s.url}/payments/${r.payment_id}`, { headers: { 'api-key': KEY } })).json());
        }
      }
      const refunded = (p: any) => p.refunds.filter((r: any) => r.status !== 'failed').reduce((n: number, r: any) => n + r.amount, 0);
      const all = [...payments.values()];
      assert.ok(all.some((p) => refunded(p) === p.amount_received), 'a fully refunded payment');
      assert.ok(all.some((p) => refunded(p) > 0 && refunded(p) < p.amount_received), 'a partly refunded payment');
      assert.ok(list.data.some((r: any) => r.status === 'failed' && r.error_code === 'refund_failed'), 'a failed refund');
      for (const p of all) assert.ok(['succeeded', 'partially_captured'].includes(p.status));
    } finally {
      await s.close();
    }
  });
});
