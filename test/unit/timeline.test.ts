import assert from 'node:assert/strict';
import type { Payment } from '../../src/api/schemas';
import { appendObservation, observationOf, type PaymentObservation } from '../../src/model/history';
import { buildTimeline } from '../../src/inspector/timeline';
import { describeMethod } from '../../src/domain/cards';
import { statusKind, statusLabel } from '../../src/domain/status';
import { relativeTime } from '../../src/domain/time';

const T0 = Date.parse('2026-11-24T15:04:05.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function payment(over: Partial<Payment> = {}): Payment {
  return {
    payment_id: 'pay_timeline1',
    client_secret: 'pay_timeline1_secret_x',
    status: 'requires_payment_method',
    amount: 4999,
    net_amount: 4999,
    amount_capturable: 4999,
    amount_received: null,
    currency: 'USD',
    capture_method: 'manual_multiple',
    authentication_type: 'no_three_ds',
    payment_method: null,
    payment_method_type: null,
    payment_method_data: null,
    next_action: null,
    error_code: null,
    error_message: null,
    cancellation_reason: null,
    created: at(0),
    modified_at: at(0),
    expires_on: at(900),
    ...over,
  } as Payment;
}

const card4242 = {
  payment_method: 'card',
  payment_method_type: 'credit',
  payment_method_data: { card: { last4: '4242', card_network: 'Visa', card_exp_month: '10', card_exp_year: '30' } },
};

/** Plays a sequence of answers through the history the way the service records them. */
function record(steps: [Payment, PaymentObservation['cause'], number, Partial<PaymentObservation>?][]): PaymentObservation[] {
  let h: PaymentObservation[] = [];
  for (const [p, cause, s, extra] of steps) h = appendObservation(h, observationOf(p, cause, at(s), extra ?? {}));
  return h;
}

const labels = (t: { label: string }[]) => t.map((e) => e.label);
const statuses = (t: { status: string | null }[]) => t.map((e) => e.status);

describe('buildTimeline', () => {
  // The manual capture path: create, confirm with a card, capture part, capture the rest.
  const created = payment();
  const confirmed = payment({ ...card4242, status: 'requires_capture', modified_at: at(2) });
  const partly = payment({
    ...card4242, status: 'partially_captured_and_capturable', amount_capturable: 2999, amount_received: 2000, modified_at: at(5),
  });
  const done = payment({ ...card4242, status: 'succeeded', amount_capturable: 0, amount_received: 4999, modified_at: at(9) });
  const attempts = [{ attempt_id: 'att_1', status: 'charged', amount: 4999, payment_method: 'card', created_at: at(2), modified_at: at(9) }];
  const captures = [
    { capture_id: 'cap_1', status: 'charged', amount: 2000, created_at: at(5) },
    { capture_id: 'cap_2', status: 'charged', amount: 2999, created_at: at(9) },
  ];
  const history = record([
    [created, 'create', 0],
    [created, 'poll', 1],
    [confirmed, 'confirm', 2, { method: 'card •••• 4242' }],
    [confirmed, 'poll', 3],
    [partly, 'capture', 5, { amount_to_capture: 2000 }],
    [partly, 'poll', 7],
    [done, 'capture', 9, { amount_to_capture: 2999 }],
    [done, 'poll', 11],
  ]);

  it('shows a manual capture through confirm, partial capture and final capture, in order', () => {
    const t = buildTimeline(done, history);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 20.00 USD', 'Captured 29.99 USD']);
    assert.deepEqual(statuses(t), ['requires_payment_method', 'requires_capture', 'partially_captured_and_capturable', 'succeeded']);
    assert.deepEqual(t.map((e) => e.at), [at(0), at(2), at(5), at(9)]);
    assert.deepEqual(t.map((e) => e.kind), ['waiting', 'waiting', 'waiting', 'success']);
  });

  it('places the payment’s webhook events that were sent after the step whose status gives them, delivered or not, without a status', () => {
    const events = [
      // Made by the server a moment before the extension saw the step it belongs to.
      { event_type: 'payment_succeeded', created: at(8.9), is_delivery_successful: false },
      { event_type: 'payment_authorized', created: at(1.9), is_delivery_successful: true },
      { event_type: 'payment_captured', created: at(4.9), is_delivery_successful: true },
      // Not sent (no webhook URL then): left out.
      { event_type: 'payment_captured', created: at(6), is_delivery_successful: null },
    ];
    const t = buildTimeline(done, history, attempts, captures, events);
    assert.deepEqual(labels(t), [
      'Created', 'Confirmed with card •••• 4242', 'Webhook payment_authorized', 'Captured 20.00 USD', 'Webhook payment_captured',
      'Captured 29.99 USD', 'Webhook payment_succeeded',
    ]);
    const hooks = t.filter((e) => e.source === 'webhook');
    assert.deepEqual(hooks.map((e) => e.detail), ['✓ delivered', '✓ delivered', '✗ not delivered (yet)']);
    assert.ok(hooks.every((e) => e.status === null && e.statusLabel === null));
    // The status steps are the same as without events.
    assert.deepEqual(t.filter((e) => e.source !== 'webhook'), buildTimeline(done, history, attempts, captures));
  });

  it('grows step by step as the history grows (what a live panel shows)', () => {
    assert.deepEqual(labels(buildTimeline(created, history.slice(0, 1))), ['Created']);
    assert.deepEqual(labels(buildTimeline(confirmed, history.slice(0, 2))), ['Created', 'Confirmed with card •••• 4242']);
    assert.deepEqual(labels(buildTimeline(partly, history.slice(0, 3))),
      ['Created', 'Confirmed with card •••• 4242', 'Captured 20.00 USD']);
  });

  it('does not repeat the server attempts and captures that the history already shows', () => {
    const t = buildTimeline(done, history, attempts, captures);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 20.00 USD', 'Captured 29.99 USD']);
  });

  it('rebuilds the same steps from the server alone (no history: a payment made elsewhere)', () => {
    const t = buildTimeline(done, [], attempts, captures);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 20.00 USD', 'Captured 29.99 USD']);
    assert.deepEqual(statuses(t), [null, 'requires_capture', 'partially_captured_and_capturable', 'succeeded']);
    assert.deepEqual(t.map((e) => e.source), ['payment', 'attempt', 'capture', 'capture']);
  });

  it('adds captures made elsewhere to the history it has', () => {
    const t = buildTimeline(done, history.slice(0, 2), attempts, captures);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 20.00 USD', 'Captured 29.99 USD']);
    assert.equal(t[3]!.status, 'succeeded');
  });

  it('infers a capture from amount_received when neither history nor captures show it', () => {
    const t = buildTimeline(done, history.slice(0, 2));
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 49.99 USD']);
    assert.equal(t[2]!.source, 'payment');
  });

  it('shows a manual partial capture that releases the rest', () => {
    const manual = { ...card4242, capture_method: 'manual' };
    const auth = payment({ ...manual, status: 'requires_capture' });
    const part = payment({ ...manual, status: 'partially_captured', amount_capturable: 0, amount_received: 2000 });
    const h = record([[payment(manual), 'create', 0], [auth, 'confirm', 1, { method: 'card •••• 4242' }], [part, 'capture', 3, { amount_to_capture: 2000 }]]);
    const t = buildTimeline(part, h);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 20.00 USD']);
    assert.equal(t[2]!.status, 'partially_captured');
    assert.equal(t[2]!.kind, 'success');
  });

  it('shows a customer step: required, then completed', () => {
    const waiting = payment({
      ...card4242, status: 'requires_customer_action', next_action: { type: 'redirect_to_url', redirect_to_url: 'https://x' },
    });
    const ok = payment({ ...card4242, status: 'succeeded', capture_method: 'automatic', amount_received: 4999, amount_capturable: 0 });
    const h = record([[created, 'create', 0], [waiting, 'confirm', 1, { method: 'card •••• 3220' }], [waiting, 'poll', 3], [ok, 'poll', 6]]);
    const t = buildTimeline(ok, h);
    assert.deepEqual(labels(t), ['Created', 'Customer action required: redirect_to_url', 'Customer step completed']);
    assert.equal(t[1]!.detail, 'Confirmed with card •••• 3220');
    assert.deepEqual(statuses(t), ['requires_payment_method', 'requires_customer_action', 'succeeded']);
  });

  it('shows a decline with its code and message', () => {
    const failed = payment({ ...card4242, status: 'failed', error_code: 'card_declined', error_message: 'Your card was declined.' });
    const t = buildTimeline(failed, record([[created, 'create', 0], [failed, 'confirm', 1, { method: 'card •••• 0002' }]]));
    assert.deepEqual(labels(t), ['Created', 'Failed: card_declined — Your card was declined.']);
    assert.equal(t[1]!.detail, 'Confirmed with card •••• 0002');
    assert.equal(t[1]!.kind, 'failed');
  });

  it('shows a failed attempt from the server when the history does not have it', () => {
    const failed = payment({ ...card4242, status: 'failed', error_code: 'card_declined', error_message: 'Your card was declined.' });
    const t = buildTimeline(failed, [], [
      { attempt_id: 'a', status: 'failure', amount: 4999, payment_method: 'card', error_code: 'card_declined',
        error_message: 'Your card was declined.', created_at: at(1), modified_at: at(1) },
    ]);
    assert.deepEqual(labels(t), ['Created', 'Failed: card_declined — Your card was declined.']);
  });

  it('shows a cancel with its reason, and an expiry', () => {
    const cancelled = payment({ status: 'cancelled', cancellation_reason: 'requested_by_customer' });
    assert.deepEqual(labels(buildTimeline(cancelled, record([[created, 'create', 0], [cancelled, 'cancel', 4]]))),
      ['Created', 'Cancelled: requested_by_customer']);
    const expired = payment({ status: 'expired', modified_at: at(900) });
    const t = buildTimeline(expired, record([[created, 'create', 0], [expired, 'poll', 901]]));
    assert.deepEqual(labels(t), ['Created', 'Expired']);
    assert.equal(t[1]!.at, at(900), 'seen by a poll at 901 s, reached at modified_at');
  });

  it('dates a confirm first seen in a list by its attempt, not by when it was seen', () => {
    const auth = payment({ ...card4242, status: 'requires_capture', modified_at: at(60) });
    const t = buildTimeline(auth, record([[auth, 'list', 86_400]]), [
      { attempt_id: 'a', status: 'authorized', amount: 4999, payment_method: 'card', created_at: at(55), modified_at: at(60) },
    ]);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242']);
    assert.equal(t[1]!.at, at(55));
    assert.equal(t[1]!.source, 'attempt');
  });

  it('shows an unknown status raw', () => {
    const odd = payment({ status: 'under_review' });
    const t = buildTimeline(odd, record([[created, 'create', 0], [odd, 'poll', 2]]));
    assert.deepEqual(labels(t), ['Created', 'Status changed to under_review']);
    assert.equal(t[1]!.statusLabel, 'under_review');
    assert.equal(t[1]!.kind, 'unknown');
  });

  it('shows a payment seen for the first time in its initial status as just created', () => {
    const t = buildTimeline(created, []);
    assert.deepEqual(labels(t), ['Created']);
    assert.equal(t[0]!.status, 'requires_payment_method');
  });

  it('shows a payment created and confirmed in one call as one step, with its method and status', () => {
    const auth = payment({ ...card4242, status: 'requires_capture', modified_at: at(1) });
    const h = record([[auth, 'create', 1, { method: 'card •••• 4242' }]]);
    const t = buildTimeline(auth, h);
    assert.deepEqual(labels(t), ['Created and confirmed with card •••• 4242']);
    assert.deepEqual(statuses(t), ['requires_capture']);
    assert.equal(t[0]!.kind, 'waiting');
    assert.equal(t[0]!.detail, null);
    // The server's attempt for that confirm is not shown a second time.
    const attempt = { attempt_id: 'a', status: 'authorized', amount: 4999, payment_method: 'card', created_at: at(1), modified_at: at(1) };
    assert.deepEqual(labels(buildTimeline(auth, h, [attempt])), ['Created and confirmed with card •••• 4242']);
    // Then captured: the capture follows it.
    const done = payment({ ...card4242, status: 'succeeded', amount_received: 4999, amount_capturable: 0, modified_at: at(4) });
    const t2 = buildTimeline(done, [...h, ...record([[done, 'capture', 4, { amount_to_capture: 4999 }]])]);
    assert.deepEqual(labels(t2), ['Created and confirmed with card •••• 4242', 'Captured 49.99 USD']);
    assert.deepEqual(statuses(t2), ['requires_capture', 'succeeded']);
    // A customer step or a decline right away: said in the detail.
    const qr = payment({ payment_method: 'bank_transfer', payment_method_type: 'pix', status: 'requires_customer_action', next_action: { type: 'qr_code_information' } as Payment['next_action'] });
    const tq = buildTimeline(qr, record([[qr, 'create', 0, { method: 'bank_transfer/pix' }]]));
    assert.deepEqual(labels(tq), ['Created and confirmed with bank_transfer/pix']);
    assert.equal(tq[0]!.status, 'requires_customer_action');
    assert.equal(tq[0]!.detail, 'Customer action required: qr_code_information');
    const declined = payment({ ...card4242, status: 'failed', error_code: 'card_declined', error_message: 'Your card was declined.' });
    const td = buildTimeline(declined, record([[declined, 'create', 0, { method: 'card •••• 0002' }]]));
    assert.deepEqual(labels(td), ['Created and confirmed with card •••• 0002']);
    assert.equal(td[0]!.kind, 'failed');
    assert.equal(td[0]!.detail, 'Failed: card_declined — Your card was declined.');
  });

  it('still shows "Created" for a payment created unconfirmed, or first seen by a read', () => {
    const auth = payment({ ...card4242, status: 'requires_capture' });
    assert.deepEqual(labels(buildTimeline(auth, record([[created, 'create', 0], [auth, 'confirm', 1, { method: 'card •••• 4242' }]]))),
      ['Created', 'Confirmed with card •••• 4242']);
    assert.deepEqual(labels(buildTimeline(auth, record([[auth, 'list', 5]]))), ['Created', 'Confirmed with card •••• 4242']);
  });

  it('shows processing, then settled', () => {
    const proc = payment({ ...card4242, status: 'processing', capture_method: 'automatic' });
    const ok = payment({ ...card4242, status: 'succeeded', capture_method: 'automatic', amount_received: 4999 });
    const t = buildTimeline(ok, record([[created, 'create', 0], [proc, 'confirm', 1], [ok, 'poll', 5]]));
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Settled']);
  });
});

describe('buildTimeline: what a real server sends', () => {
  // Hyperswitch's captures (CaptureResponse) have no timestamp: ordered by capture_sequence.
  const capture = (capture_sequence: number, amount: number, status = 'charged') =>
    ({ capture_id: `cap_${capture_sequence}`, status, amount, currency: 'USD', connector: 'x', authorized_attempt_id: 'att_1', capture_sequence });
  const auth = { attempt_id: 'att_1', status: 'charged', amount: 4999, payment_method: 'card', created_at: at(2), modified_at: at(9) };
  const done = payment({ ...card4242, status: 'succeeded', amount_capturable: 0, amount_received: 4999, modified_at: at(9) });

  it('orders captures without created_at by capture_sequence, after the authorisation', () => {
    const t = buildTimeline(done, [], [auth], [capture(2, 2999), capture(1, 2000)]);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 20.00 USD', 'Captured 29.99 USD']);
    assert.deepEqual(statuses(t), [null, 'requires_capture', 'partially_captured_and_capturable', 'succeeded']);
    assert.deepEqual(t.map((e) => e.at), [at(0), at(2), null, null], 'a capture without a time shows none');
    assert.deepEqual(t.map((e) => e.source), ['payment', 'attempt', 'capture', 'capture']);
  });

  it('places a capture made elsewhere after the one the history saw (by sequence), and names a pending one', () => {
    const partly = payment({ ...card4242, status: 'partially_captured_and_capturable', amount_capturable: 2999, amount_received: 2000, modified_at: at(5) });
    const confirmed = payment({ ...card4242, status: 'requires_capture', modified_at: at(2) });
    const h = record([[payment(), 'create', 0], [confirmed, 'confirm', 2, { method: 'card •••• 4242' }], [partly, 'capture', 5, { amount_to_capture: 2000 }]]);
    const processing = payment({ ...card4242, status: 'partially_captured_and_processing', amount_received: 2000, amount_capturable: 0, modified_at: at(9) });
    const t = buildTimeline(processing, h, [auth], [capture(1, 2000), capture(2, 2999, 'pending')]);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 20.00 USD', 'Captured 29.99 USD']);
    assert.equal(t[3]!.detail, 'Capture pending');
    assert.equal(t[3]!.status, 'partially_captured_and_processing');
  });

  it('still orders captures by their time when they have one', () => {
    const t = buildTimeline(done, [], [auth], [
      { ...capture(9, 2999), created_at: at(9) },
      { ...capture(1, 2000), created_at: at(5) },
    ]);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 20.00 USD', 'Captured 29.99 USD']);
    assert.deepEqual(t.map((e) => e.at), [at(0), at(2), at(5), at(9)]);
  });

  it('reads attempts without created_at too', () => {
    const t = buildTimeline(done, [], [{ attempt_id: 'a', status: 'charged', amount: 4999, payment_method: 'card' }], [capture(1, 4999)]);
    assert.deepEqual(labels(t), ['Created', 'Confirmed with card •••• 4242', 'Captured 49.99 USD']);
  });

  // The statuses a real server may send that the local sandbox never does: a step each, named by
  // statusLabel and coloured by statusKind (whatever src/domain/status.ts says of them; raw if unknown).
  const confirmed = payment({ ...card4242, status: 'requires_capture', modified_at: at(2) });
  const cases: [string, PaymentObservation['cause'], Partial<Payment>, string, string | null][] = [
    // [status, how it was seen, fields, step label, detail]
    ['cancelled_post_capture', 'poll', { cancellation_reason: 'fraudulent' }, 'Cancelled after capture: fraudulent', null],
    ['partially_authorized_and_requires_capture', 'confirm', {}, 'Partially authorised', 'Confirmed with card •••• 4242'],
    ['partially_captured_and_processing', 'poll', {}, 'Capture processing', null],
    ['requires_merchant_action', 'poll', {}, 'Merchant action required', null],
    ['conflicted', 'poll', {}, 'Conflicted: the processor and the payment disagree', null],
  ];
  for (const [status, cause, fields, label, detail] of cases) {
    it(`names ${status} (${cause})`, () => {
      const now = payment({ ...card4242, ...fields, status, modified_at: at(6) });
      const steps: Parameters<typeof record>[0] = [[payment(), 'create', 0]];
      if (cause === 'confirm') steps.push([now, 'confirm', 6, { method: 'card •••• 4242' }]);
      else steps.push([confirmed, 'confirm', 2, { method: 'card •••• 4242' }], [now, cause, 6]);
      const h = record(steps);
      const t = buildTimeline(now, h);
      const last = t.at(-1)!;
      assert.equal(last.label, label);
      assert.equal(last.detail, detail);
      assert.equal(last.status, status);
      assert.equal(last.statusLabel, statusLabel(status));
      assert.equal(last.kind, statusKind(status));
    });
  }

  it('a payment first seen in one of them gets its step from the payment itself', () => {
    const odd = payment({ ...card4242, status: 'requires_merchant_action', modified_at: at(3) });
    const t = buildTimeline(odd, []);
    assert.deepEqual(labels(t), ['Created', 'Merchant action required']);
    assert.equal(t[1]!.detail, 'Confirmed with card •••• 4242');
  });
});

describe('describeMethod', () => {
  it('names a card by its last four, other methods by family and type', () => {
    assert.equal(describeMethod(card4242), 'card •••• 4242');
    assert.equal(describeMethod({ payment_method: 'bank_transfer', payment_method_type: 'pix' }), 'bank_transfer/pix');
    assert.equal(describeMethod({}), undefined);
  });
});

describe('relativeTime', () => {
  it('reads like a person says it', () => {
    assert.equal(relativeTime(T0, T0 + 3000), 'just now');
    assert.equal(relativeTime(T0, T0 + 42_000), '42 s ago');
    assert.equal(relativeTime(T0, T0 + 3 * 60_000 + 5000), '3 min ago');
    assert.equal(relativeTime(T0, T0 + 2 * 3600_000), '2 h ago');
    assert.equal(relativeTime(T0 + 14 * 60_000, T0), 'in 14 min');
  });
});
