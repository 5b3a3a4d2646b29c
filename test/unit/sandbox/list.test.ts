/**
 * GET /payments/list: newest first, limit, both cursors, customer and created filters, paging
 * through many payments quickly; and the seed: every status and every next_action type.
 */
import * as assert from 'node:assert/strict';
import { create, err, ok, start, type TestSandbox, useSandbox } from './helpers';

describe('sandbox: list', function () {
  let t: TestSandbox;
  const made: any[] = []; // oldest first
  before(async () => {
    t = await start({ manualClock: true });
    for (let i = 0; i < 25; i++) {
      // Several payments share a creation time: ordering must still be stable.
      if (i % 3 === 0) t.clock.now += 1000;
      made.push(await create(t, { amount: 100 + i, customer_id: i % 2 === 0 ? 'cus_even' : 'cus_odd' }));
    }
  });
  after(() => t.close());

  const list = async (query = '') => ok(await t.get(`/payments/list${query ? '?' + query : ''}`));
  const ids = (page: any) => page.data.map((p: any) => p.payment_id);
  const newestFirst = () => made.map((p) => p.payment_id).reverse();

  it('answers {size, data} newest first, 10 by default', async () => {
    const page = await list();
    assert.deepEqual(Object.keys(page), ['size', 'data']);
    assert.equal(page.size, 10);
    assert.deepEqual(ids(page), newestFirst().slice(0, 10));
    assert.equal(page.data[0].status, 'requires_payment_method');
  });

  it('limit 1..100; out of range or not a number is refused', async () => {
    assert.equal((await list('limit=1')).size, 1);
    assert.equal((await list('limit=100')).size, 25);
    err(await t.get('/payments/list?limit=0'), 400, 'IR_07', 'Invalid value provided: limit');
    err(await t.get('/payments/list?limit=101'), 400, 'IR_07', 'Invalid value provided: limit');
    err(await t.get('/payments/list?limit=ten'), 400, 'IR_05', /^limit contains invalid data/);
  });

  it('pages forward with starting_after through all payments, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await list(`limit=7${cursor ? `&starting_after=${cursor}` : ''}`);
      seen.push(...ids(page));
      if (page.size < 7) break;
      cursor = page.data[page.size - 1].payment_id;
    }
    assert.deepEqual(seen, newestFirst());
  });

  it('pages backward with ending_before, each page still newest first', async () => {
    const all = newestFirst();
    const oldest = all[all.length - 1]!;
    const page = await list(`limit=5&ending_before=${oldest}`);
    assert.deepEqual(ids(page), all.slice(all.length - 6, all.length - 1));
    const prev = await list(`limit=5&ending_before=${ids(page)[0]}`);
    assert.deepEqual(ids(prev), all.slice(all.length - 11, all.length - 6));
    const top = await list(`limit=5&ending_before=${all[2]}`);
    assert.deepEqual(ids(top), all.slice(0, 2), 'fewer than limit at the top');
    const between = await list(`starting_after=${all[3]}&ending_before=${all[9]}&limit=100`);
    assert.deepEqual(ids(between), all.slice(4, 9));
  });

  it('an unknown cursor is HE_02', async () => {
    err(await t.get('/payments/list?starting_after=pay_nope'), 404, 'HE_02');
    err(await t.get('/payments/list?ending_before=pay_nope'), 404, 'HE_02');
  });

  it('filters by customer_id, also while paging', async () => {
    const even = newestFirst().filter((_, i) => made[made.length - 1 - i].customer_id === 'cus_even');
    const page1 = await list('customer_id=cus_even&limit=5');
    assert.deepEqual(ids(page1), even.slice(0, 5));
    const page2 = await list(`customer_id=cus_even&limit=5&starting_after=${ids(page1)[4]}`);
    assert.deepEqual(ids(page2), even.slice(5, 10));
    assert.ok(page2.data.every((p: any) => p.customer_id === 'cus_even'));
    assert.equal((await list('customer_id=cus_nobody')).size, 0);
  });

  it('filters by created, created.lt / gt / lte / gte', async () => {
    const at = made[9].created; // shared by made[9..11]
    const same = made.filter((p) => p.created === at).map((p) => p.payment_id).reverse();
    assert.equal(same.length, 3);
    assert.deepEqual(ids(await list(`created=${encodeURIComponent(at)}`)), same);
    const ms = Date.parse(at);
    const all = newestFirst();
    const byTime = (pred: (t: number) => boolean) => all.filter((id) => pred(Date.parse(made.find((p) => p.payment_id === id).created)));
    assert.deepEqual(ids(await list(`limit=100&created.lt=${at}`)), byTime((x) => x < ms));
    assert.deepEqual(ids(await list(`limit=100&created.lte=${at}`)), byTime((x) => x <= ms));
    assert.deepEqual(ids(await list(`limit=100&created.gt=${at}`)), byTime((x) => x > ms));
    assert.deepEqual(ids(await list(`limit=100&created.gte=${at}`)), byTime((x) => x >= ms));
    const lo = made[3].created;
    const hi = made[14].created;
    const range = await list(`limit=100&created.gte=${lo}&created.lt=${hi}&customer_id=cus_odd`);
    assert.deepEqual(ids(range), byTime((x) => x >= Date.parse(lo) && x < Date.parse(hi)).filter((id) => made.find((p) => p.payment_id === id).customer_id === 'cus_odd'));
    // With a zone offset, encoded or not (an unencoded "+" arrives as a space).
    const plusOne = new Date(ms + 3_600_000).toISOString().replace('Z', '+01:00');
    assert.deepEqual(ids(await list(`limit=100&created.lte=${encodeURIComponent(plusOne)}`)), byTime((x) => x <= ms));
    assert.deepEqual(ids(await list(`limit=100&created.lte=${plusOne}`)), byTime((x) => x <= ms));
    err(await t.get('/payments/list?created.gte=yesterday'), 400, 'IR_05', /^created\.gte contains invalid data\. Expected format is an ISO 8601/);
  });

  it('pages through 10,000 seeded payments quickly, newest first, each once', async function () {
    // Seeding 10,000 takes seconds on a busy machine; the paging itself is what is timed below.
    this.timeout(45_000);
    const big = await start({ seed: 10_000 });
    try {
      assert.equal(big.sandbox.paymentCount(), 10_000);
      const t0 = Date.now();
      const seen = new Set<string>();
      let cursor: string | undefined;
      let last = Infinity;
      for (;;) {
        const page = ok(await big.get(`/payments/list?limit=100${cursor ? `&starting_after=${cursor}` : ''}`));
        for (const p of page.data) {
          assert.ok(!seen.has(p.payment_id));
          seen.add(p.payment_id);
          const c = Date.parse(p.created);
          assert.ok(c <= last, 'newest first');
          last = c;
        }
        if (page.size < 100) break;
        cursor = page.data[page.size - 1].payment_id;
      }
      assert.equal(seen.size, 10_000);
      // Every page is 100 whole PaymentsResponse objects (about 110 fields each, null or not).
      assert.ok(Date.now() - t0 < 15_000, `paged in ${Date.now() - t0} ms`);
    } finally {
      await big.close();
    }
  });
});

describe('sandbox: seed', function () {
  const t = useSandbox({ seed: 30, expiryMs: 500, processingDelayMs: 100, manualClock: true });

  /** The contract's statuses (the ten of the seed's table and cancelled) and next_action shapes. */
  const SANDBOX_STATUSES = [
    'requires_payment_method', 'requires_confirmation', 'requires_customer_action', 'processing', 'requires_capture',
    'succeeded', 'failed', 'partially_captured', 'partially_captured_and_capturable', 'expired', 'cancelled',
  ];
  const NEXT_ACTIONS = [
    'redirect_to_url', 'three_ds_invoke', 'third_party_sdk_session_token', 'display_bank_transfer_information',
    'qr_code_information', 'fetch_qr_code_information', 'wait_screen_information',
  ];

  it('seed N gives N payments over every status and every next_action type', async () => {
    assert.equal(t.sandbox.paymentCount(), 30);
    const page = ok(await t.get('/payments/list?limit=100'));
    assert.equal(page.size, 30);
    const statuses = new Set(page.data.map((p: any) => p.status));
    assert.deepEqual([...statuses].sort(), [...SANDBOX_STATUSES].sort());
    const actions = new Set(page.data.filter((p: any) => p.next_action).map((p: any) => p.next_action.type));
    assert.deepEqual([...actions].sort(), [...NEXT_ACTIONS].sort());
    const invoke = page.data.find((p: any) => p.next_action?.type === 'three_ds_invoke');
    assert.equal(invoke.request_external_three_ds_authentication, true, 'three_ds_invoke is what external 3DS asks for');
    assert.ok(page.data.some((p: any) => p.billing && p.email), 'some carry what a checkout collects');
    assert.ok(page.data.every((p: any) => (p.status === 'requires_customer_action') === (p.next_action !== null)));
  });

  it('seeded payments are consistent: amounts, captures, currencies, customers, spread-out creation times', async () => {
    const page = ok(await t.get('/payments/list?limit=100'));
    const currencies = new Set(page.data.map((p: any) => p.currency));
    assert.ok(currencies.has('USD'));
    assert.ok(currencies.size >= 2);
    assert.ok(new Set(page.data.map((p: any) => p.customer_id)).size >= 3);
    assert.ok(new Set(page.data.map((p: any) => p.description)).size >= 25);
    const times = page.data.map((p: any) => Date.parse(p.created));
    assert.ok(Math.max(...times) - Math.min(...times) > 24 * 3_600_000, 'spread over days');
    assert.ok(Math.max(...times) < Date.now());
    for (const p of page.data) {
      if (p.status === 'partially_captured') {
        assert.equal(p.capture_method, 'manual');
        assert.ok(p.amount_received > 0 && p.amount_received < p.amount);
        assert.equal(p.amount_capturable, 0);
      }
      if (p.status === 'partially_captured_and_capturable') {
        assert.equal(p.capture_method, 'manual_multiple');
        assert.equal(p.amount_received + p.amount_capturable, p.amount);
      }
      if (p.status === 'succeeded') assert.equal(p.amount_received, p.amount);
      if (p.status === 'failed') assert.ok(p.error_code);
      if (p.status === 'requires_capture') assert.equal(p.amount_capturable, p.amount);
    }
    const pc = page.data.find((p: any) => p.status === 'partially_captured');
    const full = ok(await t.get(`/payments/${pc.payment_id}?expand_captures=true`));
    assert.equal(full.captures.length, 1);
    assert.equal(full.captures[0].amount, pc.amount_received);
  });

  it('seeded waiting payments stay waiting (they do not expire or settle during a demo), and can be moved', async () => {
    t.clock.now += 600; // longer than expiryMs and processingDelayMs
    const page = ok(await t.get('/payments/list?limit=100'));
    const statuses = new Set(page.data.map((p: any) => p.status));
    for (const s of ['requires_payment_method', 'requires_confirmation', 'requires_customer_action', 'processing']) assert.ok(statuses.has(s), s);
    const rca = page.data.find((p: any) => p.status === 'requires_customer_action');
    assert.equal(ok(await t.post(`/sandbox/payments/${rca.payment_id}/simulate`, { outcome: 'fail' })).status, 'failed');
    const rc = page.data.find((p: any) => p.status === 'requires_confirmation');
    assert.ok(['succeeded', 'requires_capture'].includes(ok(await t.post(`/payments/${rc.payment_id}/confirm`, {})).status));
  });

  it('is deterministic: the same N gives the same payments', async () => {
    const again = await start({ seed: 30 });
    try {
      const a = ok(await t.get('/payments/list?limit=100')).data.map((p: any) => [p.payment_id, p.amount, p.currency]);
      const b = ok(await again.get('/payments/list?limit=100')).data.map((p: any) => [p.payment_id, p.amount, p.currency]);
      assert.deepEqual(b, a);
    } finally {
      await again.close();
    }
  });
});
