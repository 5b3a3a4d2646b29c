/**
 * Every row of perfectpay-api.md's status table, over real HTTP, with the amounts
 * (net_amount, amount_capturable, amount_received) checked after every move.
 */
import * as assert from 'node:assert/strict';
import { card, create, err, ok, useSandbox } from './helpers';

/** The contract's example fields in its order, then the rest of Hyperswitch's PaymentsResponse, then the contract's extras. */
const PAYMENT_KEYS = [
  'payment_id', 'client_secret', 'status', 'amount', 'net_amount', 'amount_capturable', 'amount_received',
  'currency', 'capture_method', 'authentication_type', 'customer_id', 'description', 'metadata', 'return_url',
  'payment_method', 'payment_method_type', 'payment_method_data', 'next_action', 'error_code', 'error_message',
  'cancellation_reason', 'connector', 'attempt_count', 'created', 'modified_at', 'expires_on',
  'merchant_id', 'profile_id', 'connector_transaction_id', 'shipping_cost', 'processor_merchant_id', 'initiator',
  'customer', 'refunds', 'disputes', 'mandate_id', 'mandate_data', 'setup_future_usage', 'off_session', 'capture_on',
  'payment_token', 'shipping', 'billing', 'order_details', 'email', 'name', 'phone', 'statement_descriptor_name',
  'statement_descriptor_suffix', 'unified_code', 'unified_message', 'payment_experience', 'connector_label',
  'business_country', 'business_label', 'business_sub_label', 'allowed_payment_method_types', 'manual_retry_allowed',
  'frm_message', 'connector_metadata', 'feature_metadata', 'reference_id', 'payment_link', 'surcharge_details',
  'merchant_decision', 'merchant_connector_id', 'incremental_authorization_allowed', 'authorization_count',
  'incremental_authorizations', 'external_authentication_details', 'external_3ds_authentication_attempted',
  'fingerprint', 'browser_info', 'payment_channel', 'payment_method_id', 'network_transaction_id',
  'payment_method_status', 'updated', 'split_payments', 'frm_metadata', 'extended_authorization_applied',
  'extended_authorization_last_applied_at', 'request_extended_authorization', 'capture_before',
  'merchant_order_reference_id', 'order_tax_amount', 'connector_mandate_id', 'card_discovery', 'force_3ds_challenge',
  'force_3ds_challenge_trigger', 'issuer_error_code', 'issuer_error_message', 'is_iframe_redirection_enabled',
  'whole_connector_response', 'enable_partial_authorization', 'enable_overcapture', 'is_overcapture_enabled',
  'network_details', 'is_stored_credential', 'mit_category', 'billing_descriptor', 'tokenization',
  'partner_merchant_identifier_details', 'payment_method_tokenization_details',
  'connector_customer_id', 'error_details', 'connector_response_metadata',
  'phone_country_code', 'customer_acceptance', 'amount_to_capture', 'request_external_three_ds_authentication',
];
/** Fields with a value on a bare create; every other one is null. */
const SET_ON_CREATE = new Set([
  'payment_id', 'client_secret', 'status', 'amount', 'net_amount', 'amount_capturable', 'currency', 'capture_method',
  'authentication_type', 'customer_id', 'description', 'metadata', 'connector', 'attempt_count', 'created',
  'modified_at', 'expires_on', 'merchant_id', 'profile_id', 'processor_merchant_id', 'customer', 'updated',
]);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('sandbox: statuses and the moves between them', function () {
  // A manual clock: expiry and settlement are proven without sleeping. A fresh sandbox per test.
  const t = useSandbox({ manualClock: true, expiryMs: 15 * 60_000, processingDelayMs: 3_000 }, 'test');

  const confirm = (id: string, body: unknown = {}) => t.post(`/payments/${id}/confirm`, body);
  const capture = (id: string, body: unknown = {}) => t.post(`/payments/${id}/capture`, body);
  const cancel = (id: string, body: unknown = {}) => t.post(`/payments/${id}/cancel`, body);
  const retrieve = async (id: string) => ok(await t.get(`/payments/${id}`));
  const amounts = (p: any) => [p.net_amount, p.amount_capturable, p.amount_received];

  it('create without method → requires_payment_method, every field of the documented payment present', async () => {
    const before = t.clock.now;
    const p = await create(t, { customer_id: 'cus_abc123', description: 'Order 1001', metadata: { order_id: '1001' } });
    assert.deepEqual(Object.keys(p), PAYMENT_KEYS);
    for (const k of PAYMENT_KEYS) if (!SET_ON_CREATE.has(k)) assert.equal(p[k], null, `${k} is null`);
    assert.equal(p.status, 'requires_payment_method');
    assert.match(p.payment_id, /^pay_[a-z0-9]{20,32}$/);
    assert.equal(p.merchant_id, 'merchant_local');
    assert.equal(p.processor_merchant_id, 'merchant_local');
    assert.equal(p.profile_id, 'pro_local_sandbox');
    assert.deepEqual(p.customer, { id: 'cus_abc123', name: null, email: null, phone: null, phone_country_code: null });
    assert.equal(p.connector_transaction_id, null);
    assert.match(p.client_secret, new RegExp(`^${p.payment_id}_secret_[A-Za-z0-9]{20}$`));
    assert.equal(p.connector, 'perfectpay_sandbox');
    assert.equal(p.capture_method, 'automatic');
    assert.equal(p.authentication_type, 'no_three_ds');
    assert.deepEqual(p.metadata, { order_id: '1001' });
    assert.equal(p.payment_method, null);
    assert.equal(p.payment_method_data, null);
    assert.equal(p.next_action, null);
    assert.equal(p.attempt_count, 1);
    assert.deepEqual(amounts(p), [4999, 4999, null]);
    for (const k of ['created', 'modified_at', 'expires_on']) assert.match(p[k], ISO);
    assert.equal(Date.parse(p.created), before);
    assert.equal(Date.parse(p.expires_on) - Date.parse(p.created), 15 * 60_000, 'expires 15 min after creation');
    assert.deepEqual(await retrieve(p.payment_id), p, 'retrieve answers the same payment');
  });

  it('create with method and confirm:false → requires_confirmation; a bare confirm then uses that method', async () => {
    const p = await create(t, card('4242424242424242'));
    assert.equal(p.status, 'requires_confirmation');
    assert.equal(p.payment_method, 'card');
    assert.equal(p.payment_method_data.card.last4, '4242');
    const c = ok(await confirm(p.payment_id));
    assert.equal(c.status, 'succeeded');
    assert.deepEqual(amounts(c), [4999, 0, 4999]);
  });

  it('confirm, authorised, automatic capture → succeeded (from requires_payment_method too)', async () => {
    const p = await create(t, { amount: 1234 });
    const c = ok(await confirm(p.payment_id, card('4111111111111111')));
    assert.equal(c.status, 'succeeded');
    assert.deepEqual(amounts(c), [1234, 0, 1234]);
    assert.equal(c.error_code, null);
    assert.equal(c.next_action, null);
  });

  it('confirm, authorised, manual / manual_multiple → requires_capture with all of it capturable', async () => {
    for (const capture_method of ['manual', 'manual_multiple']) {
      const p = await create(t, { capture_method });
      const c = ok(await confirm(p.payment_id, card('4242424242424242')));
      assert.equal(c.status, 'requires_capture', capture_method);
      assert.deepEqual(amounts(c), [4999, 4999, null]);
    }
  });

  it('confirm, card declined → failed with error_code and error_message', async () => {
    const p = await create(t);
    const c = ok(await confirm(p.payment_id, card('4000000000000002')));
    assert.equal(c.status, 'failed');
    assert.equal(c.error_code, 'card_declined');
    assert.ok(c.error_message.length > 0);
    assert.equal(c.amount_capturable, 0);
    assert.equal(c.amount_received, null);
  });

  it('confirm, 3DS needed → requires_customer_action + next_action; complete → succeeded', async () => {
    const p = await create(t, { authentication_type: 'three_ds', return_url: 'https://example.com/back' });
    const c = ok(await confirm(p.payment_id, card('4242424242424242')));
    assert.equal(c.status, 'requires_customer_action');
    assert.equal(c.next_action.type, 'redirect_to_url');
    const done = ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'succeed' }));
    assert.equal(done.status, 'succeeded');
    assert.equal(done.next_action, null);
    assert.deepEqual(amounts(done), [4999, 0, 4999]);
  });

  it('confirm with an asynchronous method → requires_customer_action; complete with manual capture → requires_capture', async () => {
    const p = await create(t, { capture_method: 'manual' });
    const c = ok(await confirm(p.payment_id, { payment_method: 'wallet', payment_method_type: 'google_pay', payment_method_data: {} }));
    assert.equal(c.status, 'requires_customer_action');
    assert.equal(c.next_action.type, 'third_party_sdk_session_token');
    const done = ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'succeed' }));
    assert.equal(done.status, 'requires_capture');
    assert.deepEqual(amounts(done), [4999, 4999, null]);
  });

  it('requires_customer_action, customer completes → processing first (0259 behind 3DS), then settles', async () => {
    const p = await create(t, { authentication_type: 'three_ds' });
    assert.equal(ok(await confirm(p.payment_id, card('4000000000000259'))).status, 'requires_customer_action');
    const done = ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'succeed' }));
    assert.equal(done.status, 'processing');
    t.clock.now += 3_000;
    assert.equal((await retrieve(p.payment_id)).status, 'succeeded');
  });

  it('requires_customer_action, customer fails → failed', async () => {
    const p = await create(t);
    ok(await confirm(p.payment_id, { payment_method: 'pay_later', payment_method_type: 'klarna', payment_method_data: {} }));
    const f = ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'fail' }));
    assert.equal(f.status, 'failed');
    assert.ok(f.error_code);
    assert.equal(f.next_action, null);
    assert.equal(f.amount_capturable, 0);
  });

  it('processing, settlement ends → succeeded (automatic) or requires_capture (manual), at the due time', async () => {
    const auto = await create(t);
    const manual = await create(t, { capture_method: 'manual' });
    const a = ok(await confirm(auto.payment_id, card('4000000000000259')));
    const m = ok(await confirm(manual.payment_id, card('4000000000000259')));
    assert.equal(a.status, 'processing');
    assert.equal(m.status, 'processing');
    t.clock.now += 2_999;
    assert.equal((await retrieve(auto.payment_id)).status, 'processing', 'not before the delay');
    const confirmedAt = Date.parse(a.modified_at);
    t.clock.now += 1;
    const settled = await retrieve(auto.payment_id);
    assert.equal(settled.status, 'succeeded');
    assert.equal(Date.parse(settled.modified_at), confirmedAt + 3_000);
    assert.deepEqual(amounts(settled), [4999, 0, 4999]);
    const ms = await retrieve(manual.payment_id);
    assert.equal(ms.status, 'requires_capture');
    assert.equal(ms.amount_capturable, 4999);
  });

  it('processing, settlement fails (simulate) → failed', async () => {
    const p = await create(t);
    ok(await confirm(p.payment_id, card('4000000000000259')));
    const f = ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'fail' }));
    assert.equal(f.status, 'failed');
    assert.ok(f.error_code);
  });

  it('requires_capture, capture the whole capturable amount (no amount given) → succeeded', async () => {
    const p = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    assert.equal(p.status, 'requires_capture');
    const c = ok(await capture(p.payment_id));
    assert.equal(c.status, 'succeeded');
    assert.deepEqual(amounts(c), [4999, 0, 4999]);
  });

  // The capture rule (perfectpay-api.md, Hyperswitch's payment_capture.rs): without amount_to_capture,
  // `manual` captures the create's amount_to_capture if it gave one, else all that is capturable;
  // `manual_multiple` must say how much. A client that means "all" sends the amount.
  it("capture rule: manual without amount_to_capture captures the create's amount_to_capture (the rest released)", async () => {
    const p = await create(t, { amount: 1000, amount_to_capture: 800, capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    assert.deepEqual(amounts(p), [1000, 1000, null]);
    const c = ok(await capture(p.payment_id));
    assert.equal(c.status, 'partially_captured');
    assert.deepEqual(amounts(c), [1000, 0, 800]);
  });

  it('capture rule: "all" is said with the amount: amount_to_capture = amount_capturable captures everything, whatever the create asked', async () => {
    const p = await create(t, { amount: 1000, amount_to_capture: 800, capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    const c = ok(await capture(p.payment_id, { amount_to_capture: 1000 }));
    assert.equal(c.status, 'succeeded');
    assert.deepEqual(amounts(c), [1000, 0, 1000]);
  });

  it('capture rule: manual_multiple without amount_to_capture → 400 IR_04, nothing captured', async () => {
    const p = await create(t, { amount: 1000, capture_method: 'manual_multiple', confirm: true, ...card('4242424242424242') });
    err(await capture(p.payment_id), 400, 'IR_04', 'Missing required param: amount_to_capture');
    const after = await retrieve(p.payment_id);
    assert.equal(after.status, 'requires_capture');
    assert.deepEqual(amounts(after), [1000, 1000, null]);
  });

  it('requires_capture, capture the exact amount → succeeded', async () => {
    const p = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    const c = ok(await capture(p.payment_id, { amount_to_capture: 4999 }));
    assert.equal(c.status, 'succeeded');
  });

  it('requires_capture, capture part with manual → partially_captured (the rest released, terminal)', async () => {
    const p = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    const c = ok(await capture(p.payment_id, { amount_to_capture: 2000 }));
    assert.equal(c.status, 'partially_captured');
    assert.deepEqual(amounts(c), [4999, 0, 2000]);
    err(await capture(p.payment_id, { amount_to_capture: 1 }), 400, 'IR_14',
      'This Payment could not be captured because it has a capture_method of manual. The expected state is manual_multiple');
    err(await capture(p.payment_id), 400, 'IR_14',
      'This Payment could not be captured because it has a capture_method of manual. The expected state is manual_multiple');
    err(await cancel(p.payment_id), 400, 'IR_16', 'You cannot cancel this payment because it has status partially_captured');
  });

  it('manual_multiple: partially_captured_and_capturable until nothing is left, then succeeded; captures recorded', async () => {
    const p = await create(t, { amount: 10_000, capture_method: 'manual_multiple', confirm: true, ...card('4242424242424242') });
    const c1 = ok(await capture(p.payment_id, { amount_to_capture: 3000 }));
    assert.equal(c1.status, 'partially_captured_and_capturable');
    assert.deepEqual(amounts(c1), [10_000, 7000, 3000]);
    const c2 = ok(await capture(p.payment_id, { amount_to_capture: 2500 }));
    assert.equal(c2.status, 'partially_captured_and_capturable');
    assert.deepEqual(amounts(c2), [10_000, 4500, 5500]);
    err(await capture(p.payment_id, { amount_to_capture: 4501 }), 400, 'IR_06', 'amount_to_capture is greater than amount');
    const c3 = ok(await capture(p.payment_id, { amount_to_capture: 4500 }));
    assert.equal(c3.status, 'succeeded');
    assert.deepEqual(amounts(c3), [10_000, 0, 10_000]);
    const full = ok(await t.get(`/payments/${p.payment_id}?expand_captures=true&expand_attempts=true`));
    assert.deepEqual(full.captures.map((c: any) => c.amount), [3000, 2500, 4500]);
    // Hyperswitch's CaptureResponse: no timestamp, ordered by capture_sequence.
    assert.deepEqual(full.captures.map((c: any) => c.capture_sequence), [1, 2, 3]);
    for (const c of full.captures) {
      assert.deepEqual(Object.keys(c), ['capture_id', 'status', 'amount', 'currency', 'connector', 'authorized_attempt_id',
        'connector_capture_id', 'capture_sequence', 'error_message', 'error_code', 'error_reason', 'reference_id']);
      assert.match(c.capture_id, /^cap_[a-z0-9]{26}$/);
      assert.equal(c.status, 'charged');
      assert.equal(c.currency, 'USD');
      assert.equal(c.connector, 'perfectpay_sandbox');
      assert.equal(c.authorized_attempt_id, full.attempts[0].attempt_id);
      assert.match(c.connector_capture_id, /^ch_[A-Za-z0-9]{24}$/);
    }
    assert.equal(full.attempts.length, 1);
    assert.equal(full.attempts[0].status, 'charged');
    assert.equal(full.attempts[0].connector_transaction_id, full.connector_transaction_id);
  });

  it('cancel from each of the four cancellable statuses → cancelled, with the reason', async () => {
    const rpm = await create(t);
    const rc = await create(t, card('4242424242424242'));
    const cap = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    const rca = await create(t, { confirm: true, payment_method: 'voucher', payment_method_type: 'boleto', payment_method_data: {} });
    assert.deepEqual([rpm.status, rc.status, cap.status, rca.status],
      ['requires_payment_method', 'requires_confirmation', 'requires_capture', 'requires_customer_action']);
    for (const p of [rpm, rc, cap, rca]) {
      const c = ok(await cancel(p.payment_id, { cancellation_reason: 'requested_by_customer' }));
      assert.equal(c.status, 'cancelled');
      assert.equal(c.cancellation_reason, 'requested_by_customer');
      assert.equal(c.amount_capturable, 0);
      assert.equal(c.next_action, null);
    }
    const noReason = ok(await cancel((await create(t)).payment_id));
    assert.equal(noReason.cancellation_reason, null);
    const voided = ok(await t.get(`/payments/${cap.payment_id}?expand_attempts=true`));
    assert.equal(voided.attempts[0].status, 'voided');
  });

  it('expires_on passing expires each expirable status (observable via retrieve and list)', async () => {
    const rpm = await create(t, { customer_id: 'cus_expiry' });
    const rc = await create(t, { customer_id: 'cus_expiry', ...card('4242424242424242') });
    const rca = await create(t, { customer_id: 'cus_expiry', confirm: true, ...card('4000000000003220') });
    const done = await create(t, { customer_id: 'cus_expiry', confirm: true, ...card('4242424242424242') });
    const cap = await create(t, { customer_id: 'cus_expiry', capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    t.clock.now += 15 * 60_000 - 1;
    assert.equal((await retrieve(rpm.payment_id)).status, 'requires_payment_method', 'not a millisecond early');
    t.clock.now += 1;
    assert.equal((await retrieve(rpm.payment_id)).status, 'expired');
    const listed = ok(await t.get('/payments/list?customer_id=cus_expiry'));
    const byId = new Map(listed.data.map((p: any) => [p.payment_id, p]));
    for (const p of [rc, rca]) {
      const l: any = byId.get(p.payment_id);
      assert.equal(l.status, 'expired');
      assert.equal(l.next_action, null);
      assert.equal(l.modified_at, p.expires_on, 'expired at expires_on');
    }
    assert.equal((byId.get(done.payment_id) as any).status, 'succeeded', 'terminal statuses do not expire');
    assert.equal((byId.get(cap.payment_id) as any).status, 'requires_capture', 'requires_capture does not expire');
    err(await confirm(rc.payment_id), 400, 'IR_14', /could not be confirmed because it has a payment\.status of expired/);
  });

  it('refuses every other move with IR_14 and the documented message', async () => {
    const succeeded = await create(t, { confirm: true, ...card('4242424242424242') });
    err(await capture(succeeded.payment_id), 400, 'IR_14',
      'This Payment could not be captured because it has a payment.status of succeeded. The expected state is requires_capture, partially_captured_and_capturable');
    err(await confirm(succeeded.payment_id, card('4242424242424242')), 400, 'IR_14',
      'This Payment could not be confirmed because it has a payment.status of succeeded. The expected state is requires_payment_method, requires_confirmation');
    err(await cancel(succeeded.payment_id), 400, 'IR_16', 'You cannot cancel this payment because it has status succeeded');
    const rpm = await create(t);
    err(await capture(rpm.payment_id), 400, 'IR_14',
      'This Payment could not be captured because it has a payment.status of requires_payment_method. The expected state is requires_capture, partially_captured_and_capturable');
    const cap = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    err(await confirm(cap.payment_id, card('4242424242424242')), 400, 'IR_14',
      'This Payment could not be confirmed because it has a payment.status of requires_capture. The expected state is requires_payment_method, requires_confirmation');
    const pcac = await create(t, { capture_method: 'manual_multiple', confirm: true, ...card('4242424242424242') });
    ok(await capture(pcac.payment_id, { amount_to_capture: 1 }));
    err(await cancel(pcac.payment_id), 400, 'IR_16', 'You cannot cancel this payment because it has status partially_captured_and_capturable');
    const failed = await create(t, { confirm: true, ...card('4000000000009995') });
    err(await confirm(failed.payment_id, card('4242424242424242')), 400, 'IR_14', /payment\.status of failed\./);
    err(await cancel(failed.payment_id), 400, 'IR_16', 'You cannot cancel this payment because it has status failed');
    const cancelled = ok(await cancel((await create(t)).payment_id));
    err(await cancel(cancelled.payment_id), 400, 'IR_16', 'You cannot cancel this payment because it has status cancelled');
    const processing = await create(t, { confirm: true, ...card('4000000000000259') });
    err(await cancel(processing.payment_id), 400, 'IR_16', 'You cannot cancel this payment because it has status processing');
    err(await capture(processing.payment_id), 400, 'IR_14', /payment\.status of processing\./);
  });

  it('records the attempt with the documented statuses through the moves', async () => {
    const attemptOf = async (id: string) => ok(await t.get(`/payments/${id}?expand_attempts=true`)).attempts;
    const started = await create(t);
    let a = await attemptOf(started.payment_id);
    // The contract's fields in its order, then the rest of Hyperswitch's PaymentAttemptResponse.
    assert.deepEqual(Object.keys(a[0]), ['attempt_id', 'status', 'amount', 'payment_method', 'error_code', 'error_message', 'created_at', 'modified_at',
      'currency', 'connector', 'payment_method_type', 'connector_transaction_id', 'capture_method', 'authentication_type',
      'cancellation_reason', 'mandate_id', 'payment_token', 'connector_metadata', 'payment_experience', 'reference_id',
      'unified_code', 'unified_message', 'client_source', 'client_version', 'order_tax_amount']);
    assert.equal(a[0].status, 'started');
    assert.equal(a[0].amount, 4999);
    const authorized = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    assert.equal((await attemptOf(authorized.payment_id))[0].status, 'authorized');
    ok(await capture(authorized.payment_id, { amount_to_capture: 10 }));
    assert.equal((await attemptOf(authorized.payment_id))[0].status, 'partial_charged');
    const declined = await create(t, { confirm: true, ...card('4000000000000127') });
    a = await attemptOf(declined.payment_id);
    assert.equal(a[0].status, 'failure');
    assert.equal(a[0].error_code, 'incorrect_cvc');
    assert.equal(a[0].payment_method, 'card');
    const threeDs = await create(t, { confirm: true, ...card('4000000000003063') });
    assert.equal(threeDs.next_action.type, 'redirect_to_url', '3063 redirects');
    assert.equal((await attemptOf(threeDs.payment_id))[0].status, 'authentication_pending');
    ok(await t.post(`/sandbox/payments/${threeDs.payment_id}/simulate`, { outcome: 'fail' }));
    assert.equal((await attemptOf(threeDs.payment_id))[0].status, 'authentication_failed');
    const pending = await create(t, { confirm: true, ...card('4000000000000259') });
    assert.equal((await attemptOf(pending.payment_id))[0].status, 'pending');
    const plain = ok(await t.get(`/payments/${pending.payment_id}`));
    assert.equal('attempts' in plain, false, 'attempts only when expanded');
    assert.equal('captures' in plain, false, 'captures only when expanded');
  });
});
