/**
 * Last session's first page (src/tree/preview.ts): what the local sandbox saved is read without zod, so
 * each row is checked by hand and rebuilt from the fields the tree shows. The saved page itself is the
 * sandbox's answer to GET /payments/list, compared here over real HTTP.
 */
import assert from 'node:assert/strict';
import { startSandbox } from '../../src/sandbox';
import { previewPage, previewPayment } from '../../src/tree/preview';

/** The fields the tree shows, each of the right type: kept as they are. */
const SHOWN = {
  payment_id: 'pay_preview0000000000000001',
  status: 'requires_capture',
  amount: 4999,
  currency: 'USD',
  created: '2026-11-28T10:00:00.000Z',
  description: 'Order 7',
  payment_method: 'card',
  amount_capturable: 4999,
};
/** A saved row: those, nested fields the tree shows only part of, and fields it does not show. */
const GOOD = {
  ...SHOWN,
  payment_method_data: { card: { last4: '4242', card_network: 'Visa', card_number: '4242424242424242' } },
  next_action: { type: 'redirect_to_url', redirect_to_url: 'http://evil.example/' },
  client_secret: 'pay_preview0000000000000001_secret_abc',
  metadata: { a: 1 },
};

describe('the view\'s preview of last session\'s first page', () => {
  it('keeps only the checked fields the tree shows', () => {
    const p = previewPayment(GOOD) as unknown as Record<string, unknown>;
    assert.deepEqual(p, {
      ...SHOWN,
      payment_method_data: { card: { last4: '4242', card_network: 'Visa' } },
      next_action: { type: 'redirect_to_url' },
    });
  });

  it('drops a row without a valid id, status, amount, currency or time, and a field of the wrong type', () => {
    for (const bad of [
      { ...GOOD, payment_id: 'ch_123' },
      { ...GOOD, payment_id: 'pay_<script>' },
      { ...GOOD, status: 'hacked' },
      { ...GOOD, amount: -1 },
      { ...GOOD, amount: 1.5 },
      { ...GOOD, currency: 'usd' },
      { ...GOOD, created: 'yesterday' },
      null, 'pay_x', [GOOD],
    ]) assert.equal(previewPayment(bad), undefined, JSON.stringify(bad));
    const odd = previewPayment({ ...GOOD, description: { toString: 1 }, amount_received: '5', payment_method_data: { card: { last4: '424242' } } }) as unknown as Record<string, unknown>;
    assert.equal(odd.description, undefined);
    assert.equal(odd.amount_received, undefined);
    assert.equal(odd.payment_method_data, undefined);
    assert.deepEqual(previewPage([GOOD, { bad: true }, { ...GOOD, payment_id: 'pay_preview0000000000000002' }], 1).map((p) => p.payment_id), ['pay_preview0000000000000001']);
  });

  it('the sandbox\'s saved first page is what GET /payments/list answers, and every row previews', async () => {
    const s = await startSandbox({ port: 0, apiKey: 'sk_test_preview_suite', seed: 25, log: () => undefined });
    try {
      const res = await fetch(`${s.url}/payments/list?limit=20`, { headers: { 'api-key': 'sk_test_preview_suite' } });
      const live = (await res.json()) as { data: unknown[] };
      assert.deepEqual(s.firstPage(20), live.data);
      const rows = previewPage(s.firstPage(100), 25);
      assert.equal(rows.length, 25);
      assert.deepEqual(rows.slice(0, 20).map((r) => r.payment_id), (live.data as { payment_id: string }[]).map((r) => r.payment_id));
    } finally {
      await s.close();
    }
  });
});
