/**
 * The sandbox's webhooks (perfectpay-api.md, "Webhooks and events"), against a receiver of our own
 * over real HTTP on loopback: the events of each status change, the exact body and its
 * HMAC-SHA512 signature, retries and attempts, manual retry, the /events routes, the bounded queue,
 * the snapshot, and the secret that never shows.
 */
import * as assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { eventAttemptListSchema, eventAttemptSchema, eventListSchema, outgoingWebhookSchema, paymentSchema, refundSchema, webhookSettingsSchema } from '../../../src/api/schemas';
import { card, create, err, ok, start, waitFor, type TestSandbox } from './helpers';
import { startReceiver, type Delivery, type Receiver } from './receiver';

const SECRET = 'whsec_test_0123456789abcdef';
const EVENTS = '/events/merchant_local';

function verify(d: Delivery, secret = SECRET): boolean {
  const given = Buffer.from(String(d.headers['x-webhook-signature-512'] ?? ''), 'utf8');
  const expected = Buffer.from(createHmac('sha512', secret).update(d.raw).digest('hex'), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('sandbox webhooks', function () {
  this.timeout(20_000);
  let receiver: Receiver;
  let t: TestSandbox;

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await t?.close();
    await receiver.close();
  });

  const startWith = async (webhooks: Record<string, unknown> = {}) => {
    t = await start({ webhooks: { url: receiver.url, secret: SECRET, retryDelaysMs: [50, 50], ...webhooks } });
    return t;
  };

  it('delivers a 3DS payment completed by the customer, a capture in two parts, a decline and a refund, in order, signed', async () => {
    await startWith();
    const expected: Array<[string, string]> = [];
    // 3DS: action required, then the customer completes it.
    const threeDs = await create(t, { confirm: true, ...card('4000000000003220') });
    assert.equal(threeDs.status, 'requires_customer_action');
    expected.push(['action_required', threeDs.payment_id]);
    ok(await t.post(`/sandbox/payments/${threeDs.payment_id}/simulate`, { outcome: 'succeed' }));
    expected.push(['payment_succeeded', threeDs.payment_id]);
    // A manual capture in two parts.
    const manual = await create(t, { confirm: true, capture_method: 'manual_multiple', ...card('4242424242424242') });
    expected.push(['payment_authorized', manual.payment_id]);
    ok(await t.post(`/payments/${manual.payment_id}/capture`, { amount_to_capture: 2000 }));
    expected.push(['payment_captured', manual.payment_id]);
    ok(await t.post(`/payments/${manual.payment_id}/capture`, { amount_to_capture: 2999 }));
    expected.push(['payment_succeeded', manual.payment_id]);
    // A decline.
    const declined = await create(t, { confirm: true, ...card('4000000000000002') });
    assert.equal(declined.status, 'failed');
    expected.push(['payment_failed', declined.payment_id]);
    // A refund.
    const refund = ok(await t.post('/refunds', { payment_id: manual.payment_id, amount: 1000 }));
    expected.push(['refund_succeeded', refund.refund_id]);
    // A create without a method makes no event (requires_payment_method has none).
    await create(t);

    await waitFor(() => receiver.deliveries.length >= expected.length, 'every event is delivered');
    const got = receiver.deliveries.map((d) => [d.json.event_type, d.json.content.object.refund_id ?? d.json.content.object.payment_id] as [string, string]);
    // Per object, in the order of its moves; all of them, each once.
    for (const id of new Set(expected.map(([, o]) => o))) {
      assert.deepEqual(got.filter(([, o]) => o === id), expected.filter(([, o]) => o === id), `the events of ${id}, in order`);
    }
    assert.deepEqual([...got].sort(), [...expected].sort());

    const ids = new Set<string>();
    for (const d of receiver.deliveries) {
      assert.ok(verify(d), `the signature of ${d.json.event_type} verifies`);
      assert.ok(!verify(d, 'another secret'), 'and not with another key');
      assert.equal(d.headers['content-type'], 'application/json');
      assert.match(String(d.headers['x-webhook-signature-512']), /^[0-9a-f]{128}$/);
      // The body of the contract, in its order.
      assert.deepEqual(Object.keys(d.json), ['merchant_id', 'event_id', 'event_type', 'content', 'timestamp']);
      const body = outgoingWebhookSchema.parse(d.json);
      assert.equal(body.merchant_id, 'merchant_local');
      assert.match(body.event_id, /^evt_[0-9a-f]{32}$/);
      assert.ok(!Number.isNaN(Date.parse(body.timestamp)));
      ids.add(body.event_id);
      if (body.event_type.startsWith('refund_')) {
        assert.equal(body.content.type, 'refund_details');
        const r = refundSchema.parse(body.content.object);
        assert.equal(r.status, 'succeeded');
        assert.equal(r.payment_id, manual.payment_id);
      } else {
        assert.equal(body.content.type, 'payment_details');
        const p = paymentSchema.parse(body.content.object);
        // The payment as it was at that moment.
        const status = { action_required: 'requires_customer_action', payment_succeeded: 'succeeded', payment_authorized: 'requires_capture', payment_captured: 'partially_captured_and_capturable', payment_failed: 'failed' }[body.event_type];
        assert.equal(p.status, status, body.event_type);
      }
      // No card number, only the last four.
      assert.doesNotMatch(d.raw.toString(), /4242424242424242|4000000000003220/);
    }
    assert.equal(ids.size, expected.length, 'one event id each');

    // The list route: newest first, total_count, its constraints.
    const all = eventListSchema.parse(ok(await t.post(EVENTS, {})));
    assert.equal(all.total_count, expected.length);
    assert.deepEqual(all.events.map((e) => e.event_type).reverse(), expected.map(([type]) => type));
    assert.ok(all.events.every((e) => e.is_delivery_successful === true && e.initial_attempt_id === e.event_id));
    const page = eventListSchema.parse(ok(await t.post(EVENTS, { limit: 2, offset: 1 })));
    assert.equal(page.total_count, expected.length);
    assert.deepEqual(page.events.map((e) => e.event_id), all.events.slice(1, 3).map((e) => e.event_id));
    const ofManual = eventListSchema.parse(ok(await t.post(EVENTS, { object_id: manual.payment_id })));
    assert.deepEqual(ofManual.events.map((e) => e.event_type), ['payment_succeeded', 'payment_captured', 'payment_authorized']);
    const refunds = eventListSchema.parse(ok(await t.post(EVENTS, { event_classes: ['refunds'] })));
    assert.deepEqual(refunds.events.map((e) => e.object_id), [refund.refund_id]);
    const failed = eventListSchema.parse(ok(await t.post(EVENTS, { event_types: ['payment_failed'], is_delivered: true })));
    assert.deepEqual(failed.events.map((e) => e.object_id), [declined.payment_id]);
    err(await t.post(EVENTS, { limit: 101 }), 400, 'IR_06', '`limit` must be a number less than 100');
    err(await t.post(EVENTS, { event_types: ['payment_exploded'] }), 400, 'IR_07');
    err(await t.post(EVENTS, { created_after: 'yesterday' }), 400, 'IR_05');
    err(await t.post('/events/merchant_other', {}), 404, 'HE_02');
    err(await t.call('POST', EVENTS, {}, { 'api-key': 'wrong' }), 401, 'IR_01');
    err(await t.get(`${EVENTS}/evt_nope/attempts`), 404, 'HE_02', 'Event does not exist in our records');
  });

  it('retries a 500 on its schedule, records every attempt, and a manual retry adds one', async () => {
    await startWith({ retryDelaysMs: [50, 50, 50] });
    receiver.answers.push(500, 503);
    const p = await create(t, { confirm: true, ...card('4242424242424242') });
    await waitFor(() => receiver.deliveries.length === 3, 'two failures and a success');
    const [event] = eventListSchema.parse(ok(await t.post(EVENTS, { object_id: p.payment_id }))).events;
    assert.ok(event);
    await waitFor(async () => eventListSchema.parse(ok(await t.post(EVENTS, { object_id: p.payment_id }))).events[0]!.is_delivery_successful === true, 'the event is delivered');
    const attempts = eventAttemptListSchema.parse(ok(await t.get(`${EVENTS}/${event.event_id}/attempts`)));
    assert.deepEqual(attempts.map((a) => [a.delivery_attempt, a.response.status_code, a.is_delivery_successful]), [
      ['initial_attempt', 500, false],
      ['automatic_retry', 503, false],
      ['automatic_retry', 200, true],
    ]);
    assert.equal(attempts[0]!.event_id, event.event_id, 'the first attempt has the event id');
    assert.ok(attempts.every((a) => a.initial_attempt_id === event.event_id));
    assert.equal(new Set(attempts.map((a) => a.event_id)).size, 3);
    for (const a of attempts) {
      // What was sent: the same body each time, its signature among the headers.
      assert.equal(a.request.body, receiver.deliveries[0]!.raw.toString('utf8'));
      const sig = a.request.headers.find(([k]) => k === 'x-webhook-signature-512')?.[1];
      assert.equal(sig, createHmac('sha512', SECRET).update(a.request.body).digest('hex'));
      // What came back.
      assert.ok(a.response.headers?.some(([k, v]) => k === 'x-receiver' && v === 'test'));
      assert.match(a.response.body ?? '', /received/);
      assert.equal(typeof (a as { duration_ms?: unknown }).duration_ms, 'number');
    }

    // A manual retry: one more attempt, answered with its answer.
    const retried = eventAttemptSchema.parse(ok(await t.post(`${EVENTS}/${event.event_id}/retry`, {})));
    assert.equal(retried.delivery_attempt, 'manual_retry');
    assert.equal(retried.response.status_code, 200);
    assert.equal(retried.initial_attempt_id, event.event_id);
    assert.equal(receiver.deliveries.length, 4);
    assert.ok(verify(receiver.deliveries[3]!));
    const after = eventAttemptListSchema.parse(ok(await t.get(`${EVENTS}/${event.event_id}/attempts`)));
    assert.deepEqual(after.map((a) => a.delivery_attempt), ['initial_attempt', 'automatic_retry', 'automatic_retry', 'manual_retry']);
    assert.ok(t.logs.some((l) => l.includes(event.event_id) && l.includes('500')), 'the attempts are logged');
  });

  it('stops after its retries when the endpoint is down, and records why', async () => {
    const url = receiver.url;
    await receiver.close();
    await startWith({ url, retryDelaysMs: [20, 20] });
    const p = await create(t, { confirm: true, ...card('4242424242424242') });
    const attemptsOf = async () => {
      const [e] = eventListSchema.parse(ok(await t.post(EVENTS, { object_id: p.payment_id }))).events;
      return eventAttemptListSchema.parse(ok(await t.get(`${EVENTS}/${e!.event_id}/attempts`)));
    };
    await waitFor(async () => (await attemptsOf()).filter((a) => a.response.error_message !== null).length === 3, 'three refused attempts');
    const attempts = await attemptsOf();
    assert.deepEqual(attempts.map((a) => a.delivery_attempt), ['initial_attempt', 'automatic_retry', 'automatic_retry']);
    assert.ok(attempts.every((a) => a.response.status_code === null && /ECONNREFUSED/.test(a.response.error_message ?? '')));
    const [e] = eventListSchema.parse(ok(await t.post(EVENTS, { is_delivered: false }))).events;
    assert.equal(e?.object_id, p.payment_id);
    receiver = await startReceiver(); // for afterEach
  });

  it('never holds up the API answer, and a full queue drops deliveries and records them', async () => {
    await startWith({ concurrency: 1, maxQueue: 2, timeoutMs: 10_000, retryDelaysMs: [] });
    receiver.hold = true;
    const started = Date.now();
    await create(t, { confirm: true, ...card('4242424242424242') });
    await waitFor(() => receiver.deliveries.length === 1, 'the first delivery is held');
    for (let i = 0; i < 4; i++) await create(t, { confirm: true, ...card('4242424242424242') });
    assert.ok(Date.now() - started < 5_000, 'the answers came while the endpoint held its requests');
    const list = eventListSchema.parse(ok(await t.post(EVENTS, {})));
    const attempts = await Promise.all(list.events.map(async (e) => eventAttemptListSchema.parse(ok(await t.get(`${EVENTS}/${e.event_id}/attempts`)))[0]!));
    const dropped = attempts.filter((a) => /^dropped/.test(a.response.error_message ?? ''));
    // One in flight, two waiting, two dropped.
    assert.equal(dropped.length, 2);
    assert.ok(t.logs.some((l) => /dropped, the delivery queue is full/.test(l)));
  });

  it('keeps a response body up to 64 KB', async () => {
    await startWith();
    receiver.answerBody = 'x'.repeat(100_000);
    const p = await create(t, { confirm: true, ...card('4242424242424242') });
    await waitFor(() => receiver.deliveries.length === 1, 'a delivery');
    const [e] = eventListSchema.parse(ok(await t.post(EVENTS, { object_id: p.payment_id }))).events;
    let body: string | null | undefined;
    await waitFor(async () => {
      body = eventAttemptListSchema.parse(ok(await t.get(`${EVENTS}/${e!.event_id}/attempts`)))[0]!.response.body;
      return typeof body === 'string';
    }, 'the answer is recorded');
    assert.equal(body?.length, 64 * 1024);
  });

  it('without a URL records events unsent; the URL is set at run time (http or https only)', async () => {
    t = await start({ webhooks: { secret: SECRET } });
    const first = await create(t, { confirm: true, ...card('4242424242424242') });
    const [unsent] = eventListSchema.parse(ok(await t.post(EVENTS, {}))).events;
    assert.equal(unsent?.object_id, first.payment_id);
    assert.equal(unsent?.is_delivery_successful, null);
    assert.deepEqual(ok(await t.get(`${EVENTS}/${unsent!.event_id}/attempts`)), []);
    err(await t.post(`${EVENTS}/${unsent!.event_id}/retry`, {}), 400, 'IR_06', /No webhook URL is set/);

    assert.equal(webhookSettingsSchema.parse(ok(await t.get('/sandbox/webhooks'))).webhook_url, null);
    err(await t.post('/sandbox/webhooks', { webhook_url: 'ftp://example.com/x' }), 400, 'IR_06', /must be http or https/);
    err(await t.post('/sandbox/webhooks', { webhook_url: 'not a url' }), 400, 'IR_06', /is not a URL/);
    err(await t.post('/sandbox/webhooks', { url: receiver.url }), 400, 'IR_06');
    const set = webhookSettingsSchema.parse(ok(await t.post('/sandbox/webhooks', { webhook_url: receiver.url })));
    assert.equal(set.webhook_url, receiver.url);
    assert.deepEqual(set.retry_delays_s, [2, 5, 15]);
    assert.equal(t.sandbox.webhookUrl(), receiver.url);
    assert.throws(() => t.sandbox.setWebhookUrl('file:///etc/passwd'), /http or https/);

    // The event made before the URL can be sent now by hand; new ones go at once.
    ok(await t.post(`${EVENTS}/${unsent!.event_id}/retry`, {}));
    await create(t, { confirm: true, ...card('4242424242424242') });
    await waitFor(() => receiver.deliveries.length === 2, 'two deliveries');
    assert.ok(receiver.deliveries.every((d) => verify(d)));
    await assert.rejects(start({ webhooks: { url: 'gopher://x' } }), /http or https/);
  });

  it('keeps the events and their attempts in the snapshot; the secret is in no log, record or snapshot', async () => {
    await startWith();
    receiver.answers.push(500);
    const p = await create(t, { confirm: true, ...card('4242424242424242') });
    await waitFor(() => receiver.deliveries.length === 2, 'a failure and its retry');
    const [e] = eventListSchema.parse(ok(await t.post(EVENTS, {}))).events;
    await waitFor(async () => (ok(await t.get(`${EVENTS}/${e!.event_id}/attempts`)) as unknown[]).length === 2 && eventListSchema.parse(ok(await t.post(EVENTS, {}))).events[0]!.is_delivery_successful === true, 'both attempts recorded');
    const attemptsBefore = ok(await t.get(`${EVENTS}/${e!.event_id}/attempts`));
    const snapshot = t.sandbox.snapshot();
    const text = JSON.stringify(snapshot);
    assert.equal(snapshot.events?.length, 1);
    await t.close();

    t = await start({ restore: JSON.parse(text), webhooks: { secret: SECRET } });
    const restored = eventListSchema.parse(ok(await t.post(EVENTS, {})));
    assert.deepEqual(restored.events.map((x) => [x.event_id, x.object_id, x.is_delivery_successful]), [[e!.event_id, p.payment_id, true]]);
    assert.deepEqual(ok(await t.get(`${EVENTS}/${e!.event_id}/attempts`)), attemptsBefore);

    for (const where of [text, JSON.stringify(attemptsBefore), t.logs.join('\n'), t.transcript.join('\n')]) {
      assert.ok(!where.includes(SECRET), 'the secret never shows');
    }
  });

  it('makes no event for a seeded payment', async () => {
    t = await start({ seed: 20, webhooks: { url: receiver.url, secret: SECRET } });
    assert.equal(eventListSchema.parse(ok(await t.post(EVENTS, {}))).total_count, 0);
    assert.equal(receiver.deliveries.length, 0);
  });
});
