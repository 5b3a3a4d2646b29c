// The Payments view's filter runs on the server: POST /payments/list, one request per page,
// "N of TOTAL" from total_count; a server without that route falls back to the loaded pages and says so.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payment } from '../../src/api/schemas';
import type { PerfectPayTestApi } from '../../src/extension';
import { cardArg, createPayment, onLocalSandbox, pageReads, run, settings, unique } from './helpers';

describe('Payments view filters on the server', function () {
  this.timeout(60_000);
  let a: PerfectPayTestApi;
  const events = onLocalSandbox(10, (x) => (a = x));

  after(async () => {
    await settings({ environment: 'local', baseUrl: '' });
  });

  it('filters by status and customer with ONE POST /payments/list, and counts every match', async () => {
    const customer = unique('cus_filter');
    const paid = await createPayment({ customer_id: customer, confirm: true, ...cardArg('4242424242424242') });
    const waiting = [await createPayment({ customer_id: customer }), await createPayment({ customer_id: customer, amount: 120 })];
    assert.equal(paid.status, 'succeeded');
    events.length = 0;
    const filter = await run<{ statuses?: string[]; customerId?: string }>('perfectpay.filterPayments', { customer_id: customer, status: 'requires_payment_method' });
    assert.deepEqual(filter.statuses, ['requires_payment_method']);
    assert.equal(pageReads(events).length, 1, `requests: ${events.map((e) => `${e.method} ${e.url}`).join(', ')}`);
    assert.equal(pageReads(events)[0]!.method, 'POST');
    assert.match(pageReads(events)[0]!.url, /\/payments\/list$/);
    assert.deepEqual(pageReads(events)[0]!.requestBody, { status: ['requires_payment_method'], customer_id: customer, offset: 0, limit: 10 });
    assert.deepEqual(a.tree.visiblePayments().map((p) => p.payment_id).sort(), waiting.map((p) => p.payment_id).sort());
    assert.equal(a.tree.matchCount, 2);
    assert.equal(a.tree.filtersOnServer, true);
    // "N of TOTAL" in the description, and above the rows (the description is hidden when the view is alone).
    assert.equal(a.tree.viewText.description, `2 of 2 · status: requires_payment_method · customer: ${customer}`);
    assert.equal(a.tree.viewText.message, `2 of 2 payments · status: requires_payment_method · customer: ${customer}`);
  });

  it('pages a filtered list with offset, one request per page, to the last match', async () => {
    const customer = unique('cus_paged');
    for (let i = 0; i < 12; i++) await createPayment({ customer_id: customer, amount: 100 + i });
    events.length = 0;
    await run('perfectpay.filterPayments', { customer_id: customer, status: [] });
    assert.equal(pageReads(events).length, 1);
    assert.equal(a.tree.visiblePayments().length, 10);
    assert.equal(a.tree.matchCount, 12);
    assert.equal(a.tree.canLoadMore, true);
    events.length = 0;
    assert.equal(await run<number>('perfectpay.loadMore'), 2);
    assert.equal(pageReads(events).length, 1);
    assert.equal((pageReads(events)[0]!.requestBody as { offset?: number }).offset, 10);
    assert.equal(a.tree.visiblePayments().length, 12);
    assert.equal(a.tree.canLoadMore, false);
  });

  it('filters by currency, amount range and creation time on the server', async () => {
    const customer = unique('cus_range');
    const small = await createPayment({ customer_id: customer, amount: 500, currency: 'EUR' });
    await createPayment({ customer_id: customer, amount: 5000, currency: 'EUR' });
    await createPayment({ customer_id: customer, amount: 700, currency: 'USD' });
    events.length = 0;
    await run('perfectpay.filterPayments', {
      customer_id: customer,
      currency: 'EUR',
      amount_min: 100,
      amount_max: 1000,
      created_from: new Date(Date.now() - 3_600_000).toISOString(),
    });
    assert.equal(pageReads(events).length, 1);
    const body = pageReads(events)[0]!.requestBody as Record<string, unknown>;
    assert.deepEqual(body.currency, ['EUR']);
    assert.deepEqual(body.amount_filter, { start_amount: 100, end_amount: 1000 });
    assert.ok((body.time_range as { start_time?: string }).start_time);
    assert.deepEqual(a.tree.visiblePayments().map((p) => p.payment_id), [small.payment_id]);
    assert.equal(a.tree.matchCount, 1);
  });

  it('describes an amount range in the currency\'s units, not in minor units (issue 23)', async () => {
    const customer = unique('cus_amount');
    await run('perfectpay.filterPayments', { customer_id: customer, status: [], currency: [], amount_min: 10000, amount_max: 30000, created_from: undefined });
    assert.equal(a.tree.viewText.description, `0 of 0 · customer: ${customer} · amount: 100.00–300.00`);
    await run('perfectpay.filterPayments', { currency: 'JPY', amount_min: 500, amount_max: undefined });
    assert.equal(a.tree.viewText.description, `0 of 0 · currency: JPY · customer: ${customer} · amount: 500 JPY–…`);
    await run('perfectpay.clearFilter');
  });

  it('a filter that matches nothing shows no rows (the view offers "Clear filter")', async () => {
    await run('perfectpay.filterPayments', { customer_id: unique('cus_nobody'), status: [], currency: [], amount_min: undefined, amount_max: undefined, created_from: undefined });
    assert.deepEqual(a.tree.rows(), []);
    assert.equal(a.tree.matchCount, 0);
    await run('perfectpay.clearFilter');
    assert.deepEqual(a.tree.currentFilter, {});
  });

  it('falls back to the loaded pages on a server without POST /payments/list, and says so', async () => {
    const payment = (id: string, status: string) => ({ payment_id: id, status, amount: 100, currency: 'USD', created: new Date().toISOString() });
    const server: Server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url?.startsWith('/payments/list')) {
        res.end(JSON.stringify({ size: 2, data: [payment('pay_fallback_one', 'succeeded'), payment('pay_fallback_two', 'failed')] }));
        return;
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { type: 'invalid_request', message: 'Unrecognized request URL', code: 'IR_02' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await settings({ environment: 'custom', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await run('perfectpay.setApiKey', 'sk_test_fallback_key');
      events.length = 0;
      await run('perfectpay.filterPayments', { status: 'failed', customer_id: '' });
      assert.deepEqual(pageReads(events).map((e) => `${e.method} ${e.status}`), ['POST 404', 'GET 200']);
      assert.equal(a.tree.filtersOnServer, false);
      assert.deepEqual(a.tree.visiblePayments().map((p) => p.payment_id), ['pay_fallback_two']);
      assert.match(a.tree.viewText.message ?? '', /no POST \/payments\/list: the filter covers the 2 loaded payments only \(1 match\)/);
      // The next page or refresh does not ask POST /payments/list again.
      events.length = 0;
      await a.tree.refresh();
      assert.deepEqual(pageReads(events).map((e) => e.method), ['GET']);
    } finally {
      await a.tree.setFilter({});
      await settings({ environment: 'local', baseUrl: '' });
      server.close();
    }
  });
});

describe('Payments view pages a filtered list that changes under it', function () {
  this.timeout(60_000);
  let a: PerfectPayTestApi;
  const events = onLocalSandbox(2, (x) => (a = x));

  /** Five requires_capture payments of a new customer, oldest first, and the filter on them (the first page: 2). */
  async function fiveToCapture(): Promise<{ customer: string; ids: string[] }> {
    const customer = unique('cus_shift');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await createPayment({ customer_id: customer, amount: 1000 + i, capture_method: 'manual', confirm: true, ...cardArg('4242424242424242') });
      assert.equal(p.status, 'requires_capture');
      ids.push(p.payment_id);
    }
    await run('perfectpay.filterPayments', { customer_id: customer, status: 'requires_capture' });
    assert.deepEqual(a.tree.visiblePayments().map((p) => p.payment_id), [ids[4], ids[3]]);
    assert.equal(a.tree.matchCount, 5);
    return { customer, ids };
  }

  async function loadAll(): Promise<void> {
    while (a.tree.canLoadMore) await run('perfectpay.loadMore');
  }

  it('a row captured out of the filter does not make "Load more" skip the next match (five requires_capture, page of 2, capture one)', async () => {
    const { ids } = await fiveToCapture();
    const captured = await run<Payment>('perfectpay.capturePayment', { paymentId: ids[4], amount_to_capture: 1004 });
    assert.equal(captured.status, 'succeeded');
    assert.deepEqual(a.tree.visiblePayments().map((p) => p.payment_id), [ids[3]]);
    events.length = 0;
    await run('perfectpay.loadMore');
    // The server's list is now the four left: after the one still shown comes the third.
    assert.deepEqual(a.tree.visiblePayments().map((p) => p.payment_id), [ids[3], ids[2], ids[1]]);
    assert.equal((pageReads(events)[0]!.requestBody as { offset?: number }).offset, 1);
    await loadAll();
    assert.deepEqual(a.tree.visiblePayments().map((p) => p.payment_id), [ids[3], ids[2], ids[1], ids[0]]);
  });

  it('a match made elsewhere while paging (the list shifts down) shows no row twice and loses none', async () => {
    const { customer, ids } = await fiveToCapture();
    // Another window (or a script) makes one more: straight to the sandbox, the view does not hear of it.
    const { url, apiKey } = await a.environments.localSandbox.ensure(a.environments.settings().seed);
    const res = await fetch(`${url}/payments`, {
      method: 'POST',
      headers: { 'api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1100, currency: 'USD', customer_id: customer, capture_method: 'manual', confirm: true, ...cardArg('4242424242424242') }),
    });
    assert.equal(res.status, 200);
    await loadAll();
    const shown = a.tree.visiblePayments().map((p) => p.payment_id);
    assert.equal(new Set(shown).size, shown.length, `a row twice: ${shown.join(', ')}`);
    assert.deepEqual(shown, [ids[4], ids[3], ids[2], ids[1], ids[0]]);
  });
});
