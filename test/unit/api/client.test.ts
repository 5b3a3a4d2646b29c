/**
 * The PerfectPay client against the local sandbox, over real HTTP on loopback.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { ApiError, CancelledError, InvalidAnswerError, InvalidRequestError, LostAnswerError, NetworkError, PerfectPayClient, RefusedUrlError, TimeoutError, parseNextAction, type ConfirmPaymentRequest, type Payment, type RequestEvent } from '../../../src/api';
import { startSandbox } from '../../../src/sandbox';
import { rejects } from '../rejects';
import { TEST_CARDS, TEST_METHODS } from '../../../src/domain/cards';
import { waitFor } from '../helpers';

const KEY = 'sk_test_client_suite_0123456789';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

function card(number: string): ConfirmPaymentRequest {
  return {
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: {
      card: { card_number: number, card_exp_month: '12', card_exp_year: '39', card_cvc: '123', card_holder_name: 'Jane Doe' },
    },
  };
}

describe('PerfectPayClient against the local sandbox', function () {
  let sandbox: Sandbox;
  let client: PerfectPayClient;
  const events: RequestEvent[] = [];

  before(async () => {
    sandbox = await startSandbox({ port: 0, apiKey: KEY, expiryMs: 60_000, processingDelayMs: 300 });
    client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY, onEvent: (e) => events.push(e), retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  });
  after(async () => {
    await client.close();
    await sandbox.close();
  });
  beforeEach(() => {
    events.length = 0;
  });

  describe('the status table', () => {
    it('create without a method → requires_payment_method, with the seed excerpt fields', async () => {
      const p = await client.createPayment({
        amount: 4999,
        currency: 'USD',
        customer_id: 'cus_abc123',
        capture_method: 'automatic',
        authentication_type: 'no_three_ds',
        return_url: 'https://example.com/checkout/complete',
        confirm: false,
        description: 'Order 1001',
        metadata: { order_id: '1001' },
      });
      assert.equal(p.status, 'requires_payment_method');
      assert.match(p.payment_id, /^pay_[a-z0-9]{26}$/);
      assert.ok(p.client_secret?.startsWith(`${p.payment_id}_secret_`));
      assert.equal(p.amount, 4999);
      assert.equal(p.currency, 'USD');
      assert.deepEqual(p.metadata, { order_id: '1001' });
    });

    it('create with a method and confirm false → requires_confirmation, then confirm → succeeded', async () => {
      const p = await client.createPayment({ amount: 1000, currency: 'EUR', ...card('4242424242424242') });
      assert.equal(p.status, 'requires_confirmation');
      const c = await client.confirmPayment(p.payment_id, {});
      assert.equal(c.status, 'succeeded');
      assert.equal(c.amount_received, 1000);
    });

    it('create and confirm at once, automatic capture → succeeded', async () => {
      const p = await client.createPayment({ amount: 2500, currency: 'USD', confirm: true, ...card('4111111111111111') });
      assert.equal(p.status, 'succeeded');
      assert.equal(p.payment_method_data?.card?.last4, '1111');
    });

    it('manual capture: requires_capture → capture all → succeeded', async () => {
      const p = await client.createPayment({ amount: 4999, currency: 'USD', capture_method: 'manual', confirm: true, ...card('4242424242424242') });
      assert.equal(p.status, 'requires_capture');
      assert.equal(p.amount_capturable, 4999);
      const c = await client.capturePayment(p.payment_id);
      assert.equal(c.status, 'succeeded');
      assert.equal(c.amount_received, 4999);
      assert.equal(c.amount_capturable, 0);
    });

    it('capture without an amount means all that is capturable, sent as the amount: not the create\'s smaller amount_to_capture', async () => {
      const p = await client.createPayment({ amount: 1000, amount_to_capture: 800, currency: 'USD', capture_method: 'manual', confirm: true, ...card('4242424242424242') });
      assert.equal(p.amount_capturable, 1000);
      events.length = 0;
      const c = await client.capturePayment(p.payment_id, {}, { before: p });
      assert.equal(c.status, 'succeeded');
      assert.equal(c.amount_received, 1000);
      const sent = events.filter((e) => e.method === 'POST' && e.url.endsWith('/capture'));
      assert.deepEqual(sent.map((e) => e.requestBody), [{ amount_to_capture: 1000 }], 'the amount is always on the wire');
    });

    it('manual capture of part → partially_captured, the rest released', async () => {
      const p = await client.createPayment({ amount: 4999, currency: 'USD', capture_method: 'manual', confirm: true, ...card('4242424242424242') });
      const c = await client.capturePayment(p.payment_id, { amount_to_capture: 2000 });
      assert.equal(c.status, 'partially_captured');
      assert.equal(c.amount_received, 2000);
      await rejects(client.capturePayment(p.payment_id), ApiError, (e) => {
        assert.equal(e.code, 'IR_14');
        assert.equal(e.apiMessage, 'This Payment could not be captured because it has a capture_method of manual. The expected state is manual_multiple');
      });
    });

    it('manual_multiple: partial captures until nothing is left → succeeded, captures expanded', async () => {
      const p = await client.createPayment({ amount: 3000, currency: 'USD', capture_method: 'manual_multiple', confirm: true, ...card('4242424242424242') });
      const a = await client.capturePayment(p.payment_id, { amount_to_capture: 1000 });
      assert.equal(a.status, 'partially_captured_and_capturable');
      assert.equal(a.amount_capturable, 2000);
      const b = await client.capturePayment(p.payment_id, { amount_to_capture: 2000 });
      assert.equal(b.status, 'succeeded');
      const r = await client.retrievePayment(p.payment_id, { expandAttempts: true, expandCaptures: true });
      assert.deepEqual(r.captures?.map((c) => c.amount), [1000, 2000]);
      assert.ok((r.attempts?.length ?? 0) >= 1);
    });

    it('capturing more than capturable is IR_06', async () => {
      const p = await client.createPayment({ amount: 1000, currency: 'USD', capture_method: 'manual', confirm: true, ...card('4242424242424242') });
      await rejects(client.capturePayment(p.payment_id, { amount_to_capture: 1001 }), ApiError, (e) => {
        assert.equal(e.code, 'IR_06');
        assert.equal(e.status, 400);
        assert.equal(e.apiMessage, 'amount_to_capture is greater than amount');
      });
    });

    it('cancel from each cancellable status → cancelled with the reason', async () => {
      const fromPm = await client.createPayment({ amount: 100, currency: 'USD' });
      const fromConf = await client.createPayment({ amount: 100, currency: 'USD', ...card('4242424242424242') });
      const fromCap = await client.createPayment({ amount: 100, currency: 'USD', capture_method: 'manual', confirm: true, ...card('4242424242424242') });
      const fromAction = await client.createPayment({ amount: 100, currency: 'USD', confirm: true, ...card('4000000000003220') });
      for (const p of [fromPm, fromConf, fromCap, fromAction]) {
        const c = await client.cancelPayment(p.payment_id, { cancellation_reason: 'requested_by_customer' });
        assert.equal(c.status, 'cancelled', `from ${p.status}`);
        assert.equal(c.cancellation_reason, 'requested_by_customer');
      }
    });

    it('an action the status does not allow: IR_14 (confirm, capture) and IR_16 (cancel), with the documented messages', async () => {
      const p = await client.createPayment({ amount: 100, currency: 'USD', confirm: true, ...card('4242424242424242') });
      await rejects(client.capturePayment(p.payment_id), ApiError, (e) => {
        assert.equal(e.code, 'IR_14');
        assert.equal(
          e.apiMessage,
          'This Payment could not be captured because it has a payment.status of succeeded. The expected state is requires_capture, partially_captured_and_capturable',
        );
      });
      await rejects(client.cancelPayment(p.payment_id), ApiError, (e) => {
        assert.equal(e.code, 'IR_16');
        assert.equal(e.apiMessage, 'You cannot cancel this payment because it has status succeeded');
      });
      await rejects(client.confirmPayment(p.payment_id, card('4242424242424242')), ApiError, (e) => {
        assert.equal(e.code, 'IR_14');
        assert.equal(
          e.apiMessage,
          'This Payment could not be confirmed because it has a payment.status of succeeded. The expected state is requires_payment_method, requires_confirmation',
        );
      });
    });

    it('requires_customer_action: the customer completes → succeeded, or fails → failed', async () => {
      const ok = await client.createPayment({ amount: 100, currency: 'USD', confirm: true, ...card('4000000000003220') });
      assert.equal(ok.status, 'requires_customer_action');
      assert.equal((await client.simulateCustomerAction(ok.payment_id, 'succeed')).status, 'succeeded');
      const manual = await client.createPayment({ amount: 100, currency: 'USD', capture_method: 'manual', confirm: true, ...card('4000000000003220') });
      assert.equal((await client.simulateCustomerAction(manual.payment_id, 'succeed')).status, 'requires_capture');
      const bad = await client.createPayment({ amount: 100, currency: 'USD', confirm: true, ...card('4000000000003220') });
      const failed = await client.simulateCustomerAction(bad.payment_id, 'fail');
      assert.equal(failed.status, 'failed');
      assert.ok(failed.error_code);
    });

    it('expiry: a waiting payment expires', async () => {
      const p = await client.createPayment({ amount: 100, currency: 'USD' });
      const e = await client.simulateCustomerAction(p.payment_id, 'expire');
      assert.equal(e.status, 'expired');
      assert.equal((await client.retrievePayment(p.payment_id)).status, 'expired');
    });

    it('three_ds authentication_type sends an authorisable card through redirect_to_url', async () => {
      const p = await client.createPayment({ amount: 100, currency: 'USD', authentication_type: 'three_ds', confirm: true, ...card('4242424242424242') });
      assert.equal(p.status, 'requires_customer_action');
      assert.equal(p.next_action?.type, 'redirect_to_url');
    });

    it('request_external_three_ds_authentication: a 3DS card answers three_ds_invoke, which the client knows', async () => {
      const p = await client.createPayment({
        amount: 100, currency: 'USD', confirm: true, request_external_three_ds_authentication: true, ...card('4000000000003063'),
      });
      const na = parseNextAction(p.next_action!);
      assert.ok(na.known && na.action.type === 'three_ds_invoke', JSON.stringify(na));
    });
  });

  describe('every test card', () => {
    for (const tc of TEST_CARDS) {
      it(`${tc.label}`, async () => {
        const p = await client.createPayment({ amount: 1234, currency: 'USD', confirm: true, ...card(tc.number) });
        assert.equal(p.payment_method_data?.card?.last4, tc.number.slice(-4));
        switch (tc.outcome.kind) {
          case 'authorised':
            assert.equal(p.status, 'succeeded');
            break;
          case 'declined':
            assert.equal(p.status, 'failed');
            assert.equal(p.error_code, tc.outcome.code);
            assert.ok(p.error_message);
            break;
          case 'three_ds_redirect':
            assert.equal(p.status, 'requires_customer_action');
            assert.equal(p.next_action?.type, 'redirect_to_url');
            break;
          case 'three_ds_invoke': {
            assert.equal(p.status, 'requires_customer_action');
            const na = parseNextAction(p.next_action!);
            assert.ok(na.known && na.action.type === 'three_ds_invoke', JSON.stringify(na));
            break;
          }
          case 'processing': {
            assert.equal(p.status, 'processing');
            let now: Payment = p;
            await waitFor(async () => (now = await client.retrievePayment(p.payment_id)).status !== 'processing', 'the processing payment to settle');
            assert.equal(now.status, 'succeeded');
            break;
          }
        }
      });
    }
  });

  describe('every payment method gives its next_action', () => {
    for (const m of TEST_METHODS) {
      it(`${m.payment_method}/${m.payment_method_type} → ${m.nextAction}`, async () => {
        const p = await client.createPayment({
          amount: 4999,
          currency: 'USD',
          confirm: true,
          payment_method: m.payment_method,
          payment_method_type: m.payment_method_type,
        });
        assert.equal(p.status, 'requires_customer_action');
        const na = parseNextAction(p.next_action!);
        assert.ok(na.known, `next_action not as documented: ${JSON.stringify(na)}`);
        assert.equal(na.action.type, m.nextAction);
      });
    }

    it('pix: the QR image decodes to the qr_code_url it comes with', async () => {
      const p = await client.createPayment({ amount: 4999, currency: 'BRL', confirm: true, payment_method: 'bank_transfer', payment_method_type: 'pix' });
      const na = parseNextAction(p.next_action!);
      assert.ok(na.known && na.action.type === 'qr_code_information');
      const dataUrl = na.action.image_data_url!;
      assert.match(dataUrl, /^data:image\/png;base64,/);
      assert.equal(decodeQr(dataUrl), na.action.qr_code_url);
    });

    it('fps: the fetch URL answers QR data that decodes to its URL', async () => {
      const p = await client.createPayment({ amount: 4999, currency: 'GBP', confirm: true, payment_method: 'real_time_payment', payment_method_type: 'fps' });
      const na = parseNextAction(p.next_action!);
      assert.ok(na.known && na.action.type === 'fetch_qr_code_information');
      const qr = await client.fetchQrCode(na.action.qr_code_fetch_url);
      assert.ok(qr.qr_code_url);
      if (qr.image_data_url) assert.equal(decodeQr(qr.image_data_url), qr.qr_code_url);
      const fetchEvent = events.find((e) => e.url === na.action.qr_code_fetch_url);
      assert.ok(fetchEvent, 'the fetch was reported');
      assert.equal(fetchEvent.requestHeaders['api-key'], undefined, 'no api-key on a public QR URL');
    });
  });

  describe('fetchQrCode: the API origin only', () => {
    /** A loopback server on another port that answers QR data and counts the connections it is offered. */
    let other: http.Server;
    let otherPort = 0;
    let connections = 0;
    before(async () => {
      other = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ qr_code_url: 'https://example.com/pay', display_to_timestamp: Date.now() + 60_000 }));
      });
      other.on('connection', () => connections++);
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
      otherPort = (other.address() as AddressInfo).port;
    });
    after(async () => {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    });

    it('refuses, before any socket opens, a URL on another port of the same host, another host name or scheme', async () => {
      connections = 0;
      const apiPort = new URL(sandbox.url).port;
      const refused = [
        `http://127.0.0.1:${otherPort}/sandbox/payments/pay_x/qr_code`,
        `http://localhost:${otherPort}/sandbox/payments/pay_x/qr_code`,
        `http://user:pw@127.0.0.1:${apiPort}/sandbox/payments/pay_x/qr_code`,
        `https://127.0.0.1:${apiPort}/sandbox/payments/pay_x/qr_code`,
        'file:///etc/passwd',
      ];
      for (const url of refused) {
        await rejects(client.fetchQrCode(url), RefusedUrlError, (e) => {
          assert.ok(e instanceof InvalidRequestError, 'an InvalidRequestError: nothing was sent');
          assert.equal(e.url, url);
          assert.match(e.message, /^Not sent: /);
        });
      }
      const e = await rejects(client.fetchQrCode(refused[0]!), RefusedUrlError);
      assert.match(e.message, new RegExp(`on http://127\\.0\\.0\\.1:${otherPort}, not on the API's own origin \\(${sandbox.url.replace(/\./g, '\\.')}\\)`));
      assert.equal(events.filter((x) => x.url.includes(String(otherPort))).length, 0, 'no request was reported');
      assert.equal(connections, 0, 'the other port saw no connection');
      // The counter counts: one request of our own is one connection.
      await new Promise<void>((resolve, reject) => http.get(`http://127.0.0.1:${otherPort}/`, { agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject));
      assert.equal(connections, 1);
    });
    // The same-origin fetch: 'fps: the fetch URL answers QR data that decodes to its URL' above.
  });

  describe('errors, as typed errors with the documented codes', () => {
    it('401 IR_01 on a wrong key, with advice', async () => {
      const bad = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: 'sk_wrong' });
      try {
        await rejects(bad.retrievePayment('pay_x'), ApiError, (e) => {
          assert.equal(e.status, 401);
          assert.equal(e.code, 'IR_01');
          assert.match(e.message, /API key/);
        });
      } finally {
        await bad.close();
      }
    });

    it('404 HE_02 on an unknown payment', async () => {
      await rejects(client.retrievePayment('pay_doesnotexist'), ApiError, (e) => {
        assert.equal(e.status, 404);
        assert.equal(e.code, 'HE_02');
        assert.equal(e.type, 'object_not_found');
      });
    });

    it('400 IR_07 for a zero amount, an unknown currency, a bad card number; IR_16 for a past expiry, a bad month', async () => {
      await rejects(client.createPayment({ amount: 0, currency: 'USD' }), ApiError, (e) => assert.equal(e.code, 'IR_07'));
      await rejects(client.createPayment({ amount: 10, currency: 'XYZ' }), ApiError, (e) => assert.equal(e.code, 'IR_07'));
      const p = await client.createPayment({ amount: 10, currency: 'USD' });
      await rejects(client.confirmPayment(p.payment_id, card('4242424242424241')), ApiError, (e) => assert.equal(e.code, 'IR_07'));
      const past = card('4242424242424242');
      past.payment_method_data!.card!.card_exp_year = '20';
      await rejects(client.confirmPayment(p.payment_id, past), ApiError, (e) => {
        assert.equal(e.code, 'IR_16');
        assert.equal(e.apiMessage, 'Invalid Expiry Year');
      });
      const month = card('4242424242424242');
      month.payment_method_data!.card!.card_exp_month = '13';
      await rejects(client.confirmPayment(p.payment_id, month), ApiError, (e) => {
        assert.equal(e.code, 'IR_16');
        assert.equal(e.apiMessage, 'Invalid Expiry Month');
      });
    });

    it('400 IR_09 for a wrong client_secret', async () => {
      const p = await client.createPayment({ amount: 10, currency: 'USD' });
      await rejects(client.confirmPayment(p.payment_id, { ...card('4242424242424242'), client_secret: 'nope' }), ApiError, (e) =>
        assert.equal(e.code, 'IR_09'),
      );
    });

    it('400 HE_01 when a payment_id is used twice', async () => {
      const p = await client.createPayment({ amount: 10, currency: 'USD' });
      await rejects(client.createPayment({ amount: 10, currency: 'USD', payment_id: p.payment_id }), ApiError, (e) => {
        assert.equal(e.code, 'HE_01');
        assert.match(e.apiMessage, new RegExp(p.payment_id));
      });
    });

    it('a request that is not valid is refused before sending', async () => {
      await rejects(client.createPayment({ amount: 1.5, currency: 'USD' }), InvalidRequestError, (e) => assert.match(e.message, /amount/));
      assert.equal(events.length, 0, 'nothing was sent');
    });

    it('a closed port is a NetworkError that says so', async () => {
      const dead = new PerfectPayClient({ baseUrl: 'http://127.0.0.1:9', apiKey: KEY, retry: { maxAttempts: 1 } });
      try {
        await rejects(dead.retrievePayment('pay_x'), NetworkError, (e) => assert.match(e.message, /refused/));
      } finally {
        await dead.close();
      }
    });
  });

  describe('list', () => {
    it('pages through all payments, one request per page, newest first, with filters', async () => {
      const customer = `cus_paging_${Date.now()}`;
      const made: string[] = [];
      for (let i = 0; i < 23; i++) made.push((await client.createPayment({ amount: 100 + i, currency: 'USD', customer_id: customer })).payment_id);
      events.length = 0;
      const seen: string[] = [];
      for await (const p of client.listAllPayments({ customer_id: customer, limit: 5 })) seen.push(p.payment_id);
      assert.deepEqual(seen, [...made].reverse());
      assert.equal(events.length, 5, 'ceil(23/5) pages, one request each');
      const first = await client.listPayments({ customer_id: customer, limit: 5 });
      assert.equal(first.size, 5);
      const back = await client.listPayments({ customer_id: customer, limit: 5, ending_before: first.data[4]!.payment_id });
      assert.deepEqual(back.data.map((p) => p.payment_id), first.data.slice(0, 4).map((p) => p.payment_id));
    });

    it('filters by created time', async () => {
      const p = await client.createPayment({ amount: 100, currency: 'USD' });
      const page = await client.listPayments({ 'created.gte': p.created, limit: 100 });
      assert.ok(page.data.some((x) => x.payment_id === p.payment_id));
      const none = await client.listPayments({ 'created.gt': new Date(Date.now() + 60_000).toISOString() });
      assert.equal(none.size, 0);
    });

    it('an out-of-range limit is a clear API error', async () => {
      await rejects(client.listPayments({ limit: 1000 }), ApiError, (e) => assert.equal(e.status, 400));
    });
  });

  describe('the request log events', () => {
    it('never carry the key, a full card number or a CVC', async () => {
      const p = await client.createPayment({ amount: 100, currency: 'USD', confirm: true, ...card('4000000000000002') });
      assert.equal(p.status, 'failed');
      const text = JSON.stringify(events);
      assert.ok(!text.includes(KEY), 'no api key');
      assert.ok(!text.includes('4000000000000002'), 'no full card number');
      assert.ok(!text.includes('"123"'), 'no cvc');
      assert.ok(text.includes('0002'), 'last four kept');
      assert.equal(events[0]!.requestHeaders['api-key'], '[redacted]');
      assert.equal(events[0]!.status, 200);
      assert.ok(events[0]!.curl.includes('$PERFECTPAY_API_KEY'));
    });
  });

  describe('retries under injected faults', () => {
    afterEach(() => sandbox.setFaults({}));

    it('a create retried after dropped and failed answers makes exactly one payment', async () => {
      const customer = `cus_retry_${Date.now()}`;
      // Each create meets a 500 and then a dropped connection before it gets through; the sandbox
      // strikes alternately after the create was stored and before.
      const draws = [0.1, 0.3, 0.9];
      let n = 0;
      sandbox.setFaults({ errorRate: 0.25, dropRate: 0.25, random: () => draws[n++ % draws.length]! });
      const made: Payment[] = [];
      for (let i = 0; i < 6; i++) made.push(await client.createPayment({ amount: 500 + i, currency: 'USD', customer_id: customer }));
      sandbox.setFaults({});
      const listed = await client.listPayments({ customer_id: customer, limit: 100 });
      assert.equal(listed.size, 6, 'one payment per create');
      assert.deepEqual(listed.data.map((p) => p.amount).sort(), made.map((p) => p.amount).sort());
      assert.ok(events.filter((e) => e.attempt > 1).length >= 12, 'two retries per create');
      assert.ok(events.some((e) => e.status === 400), 'some retries found their payment already made (HE_01) and recovered');
    });

    it('HE_01 on a retry that follows only a refusal that did not run (429) is a duplicate id, not a recovered create', async () => {
      const p = await client.createPayment({ amount: 100, currency: 'USD', description: 'first' });
      let n = 0;
      sandbox.setFaults({ rateLimitRate: 0.5, retryAfterSeconds: 0, random: () => (n++ === 0 ? 0 : 0.99) });
      await rejects(client.createPayment({ amount: 200, currency: 'USD', payment_id: p.payment_id }), ApiError, (e) => assert.equal(e.code, 'HE_01'));
      assert.deepEqual(events.filter((e) => e.method === 'POST').map((e) => e.status), [200, 429, 400]);
    });

    it('honours Retry-After on 429', async () => {
      let n = 0;
      sandbox.setFaults({ rateLimitRate: 0.5, retryAfterSeconds: 1, random: () => (n++ === 0 ? 0 : 0.99) });
      const t0 = Date.now();
      const p = await client.createPayment({ amount: 100, currency: 'USD' });
      assert.ok(p.payment_id);
      assert.ok(Date.now() - t0 >= 950, 'waited the second the server asked for');
      assert.equal(events[0]!.status, 429);
    });

    it('a malformed answer is an InvalidAnswerError (GETs retried first)', async () => {
      const p = await client.createPayment({ amount: 100, currency: 'USD' });
      sandbox.setFaults({ malformedRate: 1 });
      await rejects(client.retrievePayment(p.payment_id), InvalidAnswerError, (e) => assert.match(e.message, /not JSON/));
      assert.ok(events.length > 1, 'retried');
    });

    it('a capture whose answer is lost is not sent again: the payment is re-read', async () => {
      const p = await client.createPayment({ amount: 1000, currency: 'USD', capture_method: 'manual', confirm: true, ...card('4242424242424242') });
      events.length = 0;
      // The capture loses its answer after it ran, and every re-read of the payment loses its answer too.
      sandbox.setFaults({ targeted: [
        { method: 'POST', path: `/payments/${p.payment_id}/capture`, kind: 'drop', when: 'after' },
        { method: 'GET', path: `/payments/${p.payment_id}`, kind: 'drop', times: Infinity },
      ] });
      const dropOnly = client.capturePayment(p.payment_id, {}, { before: p });
      // The re-read cannot tell: the answer is lost and it says so.
      await rejects(dropOnly, LostAnswerError, (e) => assert.match(e.message, /capture/));
      const captures = events.filter((e) => e.method === 'POST');
      assert.equal(captures.length, 1, 'the capture was sent once');
    });
  });

  describe('timeouts and cancellation', () => {
    it('a request can be cancelled with an AbortSignal', async () => {
      sandbox.setFaults({});
      // An API request draws its fault once, just before the latency wait: a rate that never strikes
      // (0.999 drawn against 0.001) tells when a request is waiting there.
      let waiting = false;
      const slow = await startSandbox({ port: 0, apiKey: KEY, latencyMs: 2000, faults: { errorRate: 0.001, random: () => ((waiting = true), 0.999) } });
      const c = new PerfectPayClient({ baseUrl: slow.url, apiKey: KEY });
      try {
        const ac = new AbortController();
        const read = c.retrievePayment('pay_x', {}, { signal: ac.signal });
        await waitFor(() => waiting, 'the request to wait behind the latency');
        ac.abort();
        await rejects(read, CancelledError);
        const timed = new PerfectPayClient({ baseUrl: slow.url, apiKey: KEY, headersTimeoutMs: 200, retry: { maxAttempts: 1 } });
        await rejects(timed.retrievePayment('pay_x'), TimeoutError, (e) => assert.match(e.message, /did not answer within 0.2 s/));
        await timed.close();
      } finally {
        await c.close();
        await slow.close();
      }
    });
  });
});

function decodeQr(dataUrl: string): string | undefined {
  const png = PNG.sync.read(Buffer.from(dataUrl.split(',')[1]!, 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}
