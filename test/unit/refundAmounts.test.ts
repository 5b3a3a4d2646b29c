/** The pure parts of refunds: what is refunded and left, and the amount typed in the Refund command's box. */
import assert from 'node:assert/strict';
import { amountLeftToRefund, refundedAmount } from '../../src/domain/payment';
import { parseRefundAmount } from '../../src/model/capture';
import type { Payment } from '../../src/api/schemas';
import { buildInspectorModel } from '../../src/inspector/model';

describe('refund amounts', () => {
  const refunds = [
    { amount: 1200, status: 'succeeded' },
    { amount: 300, status: 'pending' },
    { amount: 999, status: 'failed' },
  ];

  it('refunded counts every refund that has not failed (a pending one holds its amount back)', () => {
    assert.equal(refundedAmount({ refunds }), 1500);
    assert.equal(refundedAmount({ refunds: null }), 0);
    assert.equal(refundedAmount({}), 0);
  });

  it('left to refund is what was received less that, never below 0', () => {
    assert.equal(amountLeftToRefund({ amount_received: 4999, refunds }), 3499);
    assert.equal(amountLeftToRefund({ amount_received: 4999, refunds: null }), 4999);
    assert.equal(amountLeftToRefund({ amount_received: null }), 0);
    assert.equal(amountLeftToRefund({ amount_received: 1000, refunds: [{ amount: 1500, status: 'succeeded' }] }), 0);
  });

  it('a typed amount: major units as a person types them, never 0, never more than is left', () => {
    assert.deepEqual(parseRefundAmount('12', 'USD', 4999), { ok: true, minor: 1200 });
    assert.deepEqual(parseRefundAmount('49,99', 'USD', 4999), { ok: true, minor: 4999 });
    assert.deepEqual(parseRefundAmount('5000', 'JPY', 5000), { ok: true, minor: 5000 });
    const zero = parseRefundAmount('0', 'USD', 4999);
    assert.equal(zero.ok, false);
    const over = parseRefundAmount('40.00', 'USD', 3799, 1200);
    assert.deepEqual(over, { ok: false, reason: 'That is more than is left to refund: at most 37.99 USD (12.00 USD already refunded).' });
    const overFirst = parseRefundAmount('50', 'USD', 4999);
    assert.deepEqual(overFirst, { ok: false, reason: 'That is more than is left to refund: at most 49.99 USD.' });
    assert.equal(parseRefundAmount('abc', 'USD', 4999).ok, false);
  });
});

describe('inspector model of a refunded payment', () => {
  const payment = {
    payment_id: 'pay_refunded0000000000000000', status: 'succeeded', amount: 4999, currency: 'USD', amount_received: 4999,
    created: '2026-11-24T15:00:00.000Z', modified_at: '2026-11-24T15:00:00.000Z',
    refunds: [
      { refund_id: 'ref_a', payment_id: 'pay_refunded0000000000000000', amount: 1200, currency: 'USD', status: 'succeeded', reason: 'duplicate', created_at: '2026-11-24T15:01:00.000Z' },
      { refund_id: 'ref_b', payment_id: 'pay_refunded0000000000000000', amount: 800, currency: 'USD', status: 'failed', error_code: 'refund_failed', error_message: 'The refund was declined by the processor.', created_at: '2026-11-24T15:02:00.000Z' },
      { refund_id: 'ref_c', payment_id: 'pay_refunded0000000000000000', amount: 300, currency: 'USD', status: 'pending', created_at: '2026-11-24T15:03:00.000Z' },
    ],
  } as unknown as Payment;
  const m = buildInspectorModel({ payment, history: [], environment: { label: 'Local sandbox', supportsSimulate: true }, receivedAt: 'x', polling: true });

  it('says what was refunded and what is left, offers Refund while something is left, and lists each refund', () => {
    assert.equal(m.amounts.refunded, '15.00 USD');
    assert.equal(m.amounts.leftToRefund, '34.99 USD');
    assert.equal(m.actions.refund, true);
    assert.deepEqual(m.refunds.map((r) => [r.id, r.amount, r.statusLabel, r.kind, r.reason, r.error]), [
      ['ref_a', '12.00 USD', 'Succeeded', 'success', 'duplicate', null],
      ['ref_b', '8.00 USD', 'Failed', 'failed', null, 'refund_failed — The refund was declined by the processor.'],
      ['ref_c', '3.00 USD', 'Pending', 'waiting', null, null],
    ]);
    const full = buildInspectorModel({ payment: { ...payment, refunds: [{ ...payment.refunds![0]!, amount: 4999 }] } as Payment, history: [], environment: { label: 'x', supportsSimulate: false }, receivedAt: 'x', polling: false });
    assert.equal(full.actions.refund, false, 'nothing left to refund');
    assert.equal(full.amounts.leftToRefund, '0.00 USD');
  });

  it('puts each refund in the timeline, with its status as it is now', () => {
    assert.deepEqual(m.timeline.filter((e) => e.source === 'refund').map((e) => [e.label, e.statusLabel, e.kind]), [
      ['Refunded 12.00 USD', 'Succeeded', 'success'],
      ['Refund of 8.00 USD failed: refund_failed — The refund was declined by the processor.', 'Failed', 'failed'],
      ['Refund of 3.00 USD pending', 'Pending', 'waiting'],
    ]);
    assert.equal(m.timeline[m.timeline.length - 1]!.source, 'refund', 'no extra status step for the payment');
  });
});
