import assert from 'node:assert/strict';
import { formatMoney, parseMoney } from '../../src/domain/money';
import { ALLOWED_FROM, allowedActions, canDo, canExpire, nextStep, PAYMENT_STATUSES, REFUNDABLE_STATUSES, statusKind, statusLabel } from '../../src/domain/status';
import { describeMethod, luhnValid } from '../../src/domain/cards';
import { appendObservation, MAX_OBSERVATIONS, type PaymentObservation } from '../../src/model/history';
import { paymentsToOffer } from '../../src/model/paymentChoices';

describe('money', () => {
  it('formats minor units for people', () => {
    assert.equal(formatMoney(4999, 'USD'), '49.99 USD');
    assert.equal(formatMoney(5000, 'JPY'), '5000 JPY');
    assert.equal(formatMoney(5, 'EUR'), '0.05 EUR');
    assert.equal(formatMoney(1234, 'KWD'), '1.234 KWD');
  });
  it('parses what people type', () => {
    assert.deepEqual(parseMoney('49.99', 'USD'), { ok: true, minor: 4999 });
    assert.deepEqual(parseMoney('49,99', 'EUR'), { ok: true, minor: 4999 });
    assert.deepEqual(parseMoney('1,000.50', 'USD'), { ok: true, minor: 100050 });
    assert.deepEqual(parseMoney('$12', 'USD'), { ok: true, minor: 1200 });
    assert.deepEqual(parseMoney('5000', 'JPY'), { ok: true, minor: 5000 });
    assert.deepEqual(parseMoney('20 USD', 'USD'), { ok: true, minor: 2000 });
  });
  it('refuses what is not an amount, with a reason', () => {
    for (const bad of ['abc', '0', '0.00', '', '-5', '1.234', '1e5']) {
      const r = parseMoney(bad, 'USD');
      assert.equal(r.ok, false, bad);
      assert.ok(!r.ok && r.reason.length > 5);
    }
    assert.equal(parseMoney('10.5', 'JPY').ok, false);
  });
});

describe('status rules', () => {
  it('allows only the documented moves', () => {
    assert.deepEqual(allowedActions('requires_capture'), ['capture', 'cancel']);
    assert.deepEqual(allowedActions('succeeded'), ['refund']);
    assert.deepEqual(allowedActions('partially_captured'), ['refund']);
    assert.deepEqual(allowedActions('failed'), []);
    assert.deepEqual(REFUNDABLE_STATUSES, ALLOWED_FROM.refund, 'the sandbox refuses by the same row');
    assert.equal(canDo('confirm', 'requires_payment_method'), true);
    assert.equal(canDo('capture', 'partially_captured'), false);
    assert.equal(canDo('cancel', 'requires_customer_action'), true);
  });
  it('names the action that is each status\'s next step, one the status allows and never cancel', () => {
    assert.equal(nextStep('requires_payment_method'), 'confirm');
    assert.equal(nextStep('requires_customer_action'), 'simulate');
    assert.equal(nextStep('requires_capture'), 'capture');
    assert.equal(nextStep('processing'), null);
    assert.equal(nextStep('succeeded'), null);
    assert.equal(nextStep('brand_new'), null);
    for (const status of PAYMENT_STATUSES) {
      const step = nextStep(status);
      if (step) assert.ok(allowedActions(status).includes(step) && step !== 'cancel', `${status}: ${step}`);
    }
  });
  it('says which statuses can still expire', () => {
    assert.equal(canExpire('requires_customer_action'), true);
    assert.equal(canExpire('requires_capture'), false);
    assert.equal(canExpire('succeeded'), false);
  });
  it('keeps an unknown status raw', () => {
    assert.equal(statusKind('brand_new'), 'unknown');
    assert.equal(statusLabel('brand_new'), 'brand_new');
    assert.equal(statusLabel('requires_capture'), 'Requires capture');
  });
});

describe('describeMethod', () => {
  it('names a card by its last four only, other methods by family and type', () => {
    const card = describeMethod({ payment_method: 'card', payment_method_data: { card: { card_number: '4242424242424242' } } });
    assert.equal(card, 'card •••• 4242');
    assert.equal(describeMethod({ payment_method: 'bank_transfer', payment_method_type: 'ach' }), 'bank_transfer/ach');
    assert.equal(describeMethod({}), undefined);
  });
});

describe('luhn', () => {
  it('checks card numbers', () => {
    assert.equal(luhnValid('4242424242424242'), true);
    assert.equal(luhnValid('4242424242424241'), false);
    assert.equal(luhnValid('42'), false);
  });
});

describe('history', () => {
  const obs = (status: string, cause: PaymentObservation['cause'] = 'poll'): PaymentObservation => ({ at: new Date().toISOString(), cause, status });
  it('skips reads that show nothing new, keeps actions', () => {
    let h = appendObservation([], obs('requires_capture', 'confirm'));
    h = appendObservation(h, obs('requires_capture'));
    assert.equal(h.length, 1);
    h = appendObservation(h, obs('requires_capture', 'capture'));
    assert.equal(h.length, 2);
  });
  it('is bounded, and keeps the first', () => {
    let h: PaymentObservation[] = [obs('requires_payment_method', 'create')];
    for (let i = 0; i < 200; i++) h = appendObservation(h, obs(i % 2 ? 'a' : 'b'));
    assert.equal(h.length, MAX_OBSERVATIONS);
    assert.equal(h[0]!.cause, 'create');
  });
});

describe('paymentsToOffer (the "Which payment?" list)', () => {
  const recent = [
    { payment_id: 'pay_aaaaaaaaaaaaaaaaaaaa', status: 'requires_capture' },
    { payment_id: 'pay_bbbbbbbbbbbbbbbbbbbb', status: 'succeeded' },
  ];
  it("does not offer the payment Compare is about as the other one (an empty diff)", () => {
    assert.deepEqual(paymentsToOffer(recent, { exclude: 'pay_aaaaaaaaaaaaaaaaaaaa' }).map((p) => p.payment_id), ['pay_bbbbbbbbbbbbbbbbbbbb']);
  });
  it('offers only the payments that allow the action', () => {
    assert.deepEqual(paymentsToOffer(recent, { action: 'capture' }).map((p) => p.payment_id), ['pay_aaaaaaaaaaaaaaaaaaaa']);
    assert.equal(paymentsToOffer(recent).length, 2);
  });
});
