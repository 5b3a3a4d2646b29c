/**
 * Issue 9 §6 over real HTTP: `POST /payments/list` filters by status, currency, payment_method,
 * customer_id, amount range, time range and payment_id, pages with offset/limit, orders by created
 * or amount, and answers {count, total_count, data} where total_count counts every match.
 */
import * as assert from 'node:assert/strict';
import { card, err, ok, start, type TestSandbox } from './helpers';

interface Made {
  id: string;
  status: string;
  currency: string;
  method: string | null;
  amount: number;
  customer: string;
  createdMs: number;
}

describe('sandbox: POST /payments/list', function () {
  let t: TestSandbox;
  /** Oldest first, as made. */
  const made: Made[] = [];

  before(async () => {
    t = await start({ manualClock: true });
    // 24 payments, one a second: four kinds × three currencies × two customers, amounts 100..2400.
    const kinds = [
      { status: 'succeeded', body: card('4242424242424242'), method: 'card' },
      { status: 'failed', body: card('4000000000000002'), method: 'card' },
      { status: 'requires_customer_action', body: { payment_method: 'wallet', payment_method_type: 'google_pay', payment_method_data: {} }, method: 'wallet' },
      { status: 'requires_payment_method', body: {}, method: null },
    ];
    const currencies = ['USD', 'EUR', 'JPY'];
    for (let i = 0; i < 24; i++) {
      t.clock.now += 1000;
      const kind = kinds[i % 4]!;
      const currency = currencies[i % 3]!;
      const customer = i % 2 === 0 ? 'cus_even' : 'cus_odd';
      const amount = 100 * (i + 1);
      const p = ok(await t.post('/payments', { amount, currency, customer_id: customer, confirm: kind.method !== null, ...kind.body }));
      assert.equal(p.status, kind.status);
      made.push({ id: p.payment_id, status: p.status, currency, method: kind.method, amount, customer, createdMs: Date.parse(p.created) });
    }
  });
  after(() => t.close());

  const list = async (body: unknown) => ok(await t.post('/payments/list', body));
  const ids = (page: any) => page.data.map((p: any) => p.payment_id);
  const newestFirst = (xs: Made[]) => [...xs].reverse().map((m) => m.id);

  it('answers {count, total_count, data}, newest first, 10 by default', async () => {
    const page = await list({});
    assert.deepEqual(Object.keys(page), ['count', 'total_count', 'data']);
    assert.equal(page.count, 10);
    assert.equal(page.total_count, 24);
    assert.deepEqual(ids(page), newestFirst(made).slice(0, 10));
  });

  it('filters by status (several), and total_count counts every match, not the page', async () => {
    const page = await list({ status: ['succeeded', 'failed'], limit: 5 });
    const expected = newestFirst(made.filter((m) => m.status === 'succeeded' || m.status === 'failed'));
    assert.equal(page.total_count, 12);
    assert.equal(page.count, 5);
    assert.deepEqual(ids(page), expected.slice(0, 5));
    assert.ok(page.data.every((p: any) => ['succeeded', 'failed'].includes(p.status)));
  });

  it('filters by currency, payment_method and customer_id together', async () => {
    const page = await list({ currency: ['EUR', 'JPY'], payment_method: ['card'], customer_id: 'cus_even', limit: 100 });
    const expected = newestFirst(made.filter((m) => ['EUR', 'JPY'].includes(m.currency) && m.method === 'card' && m.customer === 'cus_even'));
    assert.ok(expected.length > 0);
    assert.deepEqual(ids(page), expected);
    assert.equal(page.total_count, expected.length);
  });

  it('filters by amount_filter {start_amount, end_amount}, both inclusive, either alone', async () => {
    assert.deepEqual(ids(await list({ amount_filter: { start_amount: 500, end_amount: 900 }, limit: 100 })),
      newestFirst(made.filter((m) => m.amount >= 500 && m.amount <= 900)));
    assert.equal((await list({ amount_filter: { start_amount: 2000 } })).total_count, 5);
    assert.equal((await list({ amount_filter: { end_amount: 300 } })).total_count, 3);
  });

  it('filters by time_range {start_time, end_time}, both inclusive (and Hyperswitch\'s flattened form)', async () => {
    const from = new Date(made[4]!.createdMs).toISOString();
    const to = new Date(made[9]!.createdMs).toISOString();
    const expected = newestFirst(made.slice(4, 10));
    assert.deepEqual(ids(await list({ time_range: { start_time: from, end_time: to }, limit: 100 })), expected);
    assert.deepEqual(ids(await list({ start_time: from, end_time: to, limit: 100 })), expected);
    assert.equal((await list({ time_range: { start_time: from } })).total_count, 20);
  });

  it('filters by payment_id (with the other filters still applied)', async () => {
    const m = made[7]!;
    assert.deepEqual(ids(await list({ payment_id: m.id })), [m.id]);
    assert.equal((await list({ payment_id: m.id, status: ['succeeded'] })).total_count, m.status === 'succeeded' ? 1 : 0);
    assert.equal((await list({ payment_id: 'pay_unknown' })).total_count, 0);
  });

  it('pages with offset and limit (at most 100), without gaps or repeats', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 24; offset += 7) {
      const page = await list({ offset, limit: 7 });
      assert.equal(page.total_count, 24);
      seen.push(...ids(page));
    }
    assert.deepEqual(seen, newestFirst(made));
    assert.equal((await list({ offset: 24 })).count, 0);
    err(await t.post('/payments/list', { limit: 101 }), 400, 'IR_07', 'Invalid value provided: limit');
    err(await t.post('/payments/list', { limit: 0 }), 400, 'IR_07', 'Invalid value provided: limit');
    err(await t.post('/payments/list', { offset: -1 }), 400, 'IR_07', 'Invalid value provided: offset');
  });

  it('orders on created or amount, asc or desc', async () => {
    assert.deepEqual(ids(await list({ order: { on: 'created', by: 'asc' }, limit: 100 })), made.map((m) => m.id));
    const byAmount = [...made].sort((a, b) => b.amount - a.amount).map((m) => m.id);
    assert.deepEqual(ids(await list({ order: { on: 'amount', by: 'desc' }, limit: 100 })), byAmount);
    assert.deepEqual(ids(await list({ order: { on: 'amount', by: 'asc' }, limit: 100 })), [...byAmount].reverse());
  });

  it('filters on the status as of now: a payment that expired is found as expired', async () => {
    const fresh = ok(await t.post('/payments', { amount: 77, currency: 'USD', customer_id: 'cus_expiring' }));
    assert.equal((await list({ customer_id: 'cus_expiring', status: ['requires_payment_method'] })).total_count, 1);
    t.clock.now += 15 * 60_000;
    const expired = await list({ customer_id: 'cus_expiring', status: ['expired'] });
    assert.deepEqual(ids(expired), [fresh.payment_id]);
    assert.equal(expired.data[0].status, 'expired');
  });

  it('refuses malformed filters with the field named; ignores fields it does not know, as Hyperswitch does', async () => {
    err(await t.post('/payments/list', { status: ['paid'] }), 400, 'IR_05', /^status\.0 contains invalid data\. Expected format is one of requires_payment_method/);
    err(await t.post('/payments/list', { status: 'succeeded' }), 400, 'IR_05', 'status contains invalid data. Expected format is a JSON array');
    err(await t.post('/payments/list', { currency: ['usd'] }), 400, 'IR_07', 'Invalid value provided: currency');
    err(await t.post('/payments/list', { amount_filter: { start_amount: 'ten' } }), 400, 'IR_05', /^amount_filter\.start_amount contains invalid data/);
    err(await t.post('/payments/list', { amount_filter: { start_amount: 900, end_amount: 100 } }), 400, 'IR_07', 'Invalid value provided: amount_filter');
    err(await t.post('/payments/list', { time_range: { start_time: 'yesterday' } }), 400, 'IR_05', /^time_range\.start_time contains invalid data\. Expected format is an ISO 8601/);
    err(await t.post('/payments/list', { order: { on: 'status', by: 'asc' } }), 400, 'IR_05', 'order.on contains invalid data. Expected format is one of created, amount');
    assert.equal((await list({ some_future_filter: true })).total_count, made.length + 1);
  });
});
