/** The pure parts of refunds: what is refunded and left, and the amount typed in the Refund command's box. */
import assert from 'node:assert/strict';
import { amountLeftToRefund, refundedAmount } from '../../src/domain/payment';
import { parseRefundAmount } from '../../src/model/capture';

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
