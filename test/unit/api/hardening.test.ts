/**
 * The client against hostile servers on loopback (answers too large, too slow, odd Retry-After, bad
 * ids) and lost answers of every unsafe route, through a proxy in front of the local sandbox that
 * either loses the answer after the sandbox ran the request ("it took effect") or drops the request
 * before it reaches the sandbox ("it did not").
 */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  InvalidAnswerError,
  InvalidRequestError,
  LostAnswerError,
  parseRetryAfter,
  PerfectPayClient,
  TimeoutError,
  type ClientOptions,
  type ConfirmPaymentRequest,
  type Payment,
  type RequestEvent,
} from '../../../src/api';
import { startSandbox } from '../../../src/sandbox';
import { rejects } from '../rejects';

const KEY = 'sk_test_hardening_0123456789';
const ID = 'pay_hardening0000000000000001';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ url: string; server: Server; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => hits };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

/** Runs `fn` with a client of the server `s`, then closes both. */
async function withClient(s: { url: string; server: Server }, options: Partial<ClientOptions>, fn: (c: PerfectPayClient) => Promise<void>): Promise<void> {
  const c = new PerfectPayClient({ baseUrl: s.url, apiKey: KEY, ...options });
  try {
    await fn(c);
  } finally {
    await c.close();
    await close(s.server);
  }
}

const payment = (id = ID) => ({ payment_id: id, status: 'succeeded', amount: 100, currency: 'USD', created: '2026-11-24T15:04:05.000Z' });

describe('the client against hostile servers', () => {
  describe('answer size cap', () => {
    it('refuses an answer whose Content-Length is over the cap, before reading it', async () => {
      const s = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50_000_000) });
        res.write('{"payment_id":"');
        // Never finishes: the client must not wait for 50 MB.
      });
      await withClient(s, { maxAnswerBytes: 1_000_000, retry: { maxAttempts: 1 } }, async (c) => {
      await rejects(c.retrievePayment(ID), InvalidAnswerError, (e) => assert.match(e.message, /larger than 1 MB and was not read/));
      });
    });

    it('stops reading a chunked answer as soon as it passes the cap', async () => {
      let written = 0;
      const s = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = (): void => {
          while (written < 40_000_000 && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => undefined);
        pump();
      });
      await withClient(s, { maxAnswerBytes: 2_000_000, retry: { maxAttempts: 1 } }, async (c) => {
      await rejects(c.retrievePayment(ID), InvalidAnswerError, (e) => assert.match(e.message, /larger than 2 MB/));
      assert.ok(written < 40_000_000, `the server wrote everything (${written} bytes): the client read past the cap`);
      });
    });

    it('reads an answer just under the cap', async () => {
      const body = JSON.stringify({ ...payment(), description: 'x'.repeat(50_000) });
      const s = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
      await withClient(s, { maxAnswerBytes: body.length + 1 }, async (c) => {
      const p = await c.retrievePayment(ID);
      assert.equal(p.description?.length, 50_000);
      });
    });
  });

  describe('total deadline', () => {
    it('gives up on a server that trickles its answer forever, after the total deadline', async () => {
      const s = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        // A byte every 50 ms keeps the body timeout from firing; only the total deadline can stop it.
        const t = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(t));
      });
      const t0 = Date.now();
      await withClient(s, { totalTimeoutMs: 600, bodyTimeoutMs: 5_000 }, async (c) => {
      await rejects(c.retrievePayment(ID), TimeoutError, (e) => {
        assert.equal(e.phase, 'total');
        assert.match(e.message, /did not finish answering within 0\.6 s/);
      });
      assert.ok(Date.now() - t0 < 5_000, 'it waited for the body timeout, not the deadline');
      });
    });
  });

  describe('Retry-After', () => {
    const cases: Array<[string | undefined, number | undefined]> = [
      ['0', 0],
      ['3', 3],
      ['-5', undefined],
      ['1.5', undefined],
      ['soon', undefined],
      ['', undefined],
      [undefined, undefined],
      ['Thu, 01 Jan 1970 00:00:00 GMT', undefined],
      ['Tue, 01 Dec 2026 00:00:30 GMT', 30],
    ];
    for (const [header, seconds] of cases) {
      it(`reads Retry-After ${JSON.stringify(header)} as ${seconds === undefined ? 'back-off' : `${seconds} s`}`, () => {
        assert.equal(parseRetryAfter(header, Date.parse('2026-12-01T00:00:00Z')), seconds);
      });
    }

    it('backs off (one request at a time) on Retry-After: -5 instead of firing every retry at once', async () => {
      const at: number[] = [];
      const s = await listen((_req, res) => {
        at.push(Date.now());
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '-5' });
        res.end(JSON.stringify({ error: { type: 'invalid_request', message: 'Too many requests', code: 'RE_04' } }));
      });
      await withClient(s, { retry: { maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 80 } }, async (c) => {
      await rejects(c.retrievePayment(ID), ApiError, (e) => assert.equal(e.status, 429));
      assert.equal(at.length, 3);
      for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= 15, `attempt ${i + 1} came ${at[i]! - at[i - 1]!} ms after the one before`);
      });
    });

    it('a read answered 503 with Retry-After comes back after that time, not sooner', async () => {
      const at: number[] = [];
      const s = await listen((_req, res) => {
        at.push(Date.now());
        if (at.length === 1) {
          res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(JSON.stringify({ error: { type: 'server_not_available', message: 'Too many connections', code: 'HE_00' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payment()));
      });
      // The back-off alone would come back within 80 ms.
      await withClient(s, { retry: { maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 80 } }, async (c) => {
        assert.equal((await c.retrievePayment(ID)).payment_id, ID);
        assert.equal(at.length, 2);
        assert.ok(at[1]! - at[0]! >= 950, `the retry came ${at[1]! - at[0]!} ms after the 503`);
      });
    });

    it('a 503 whose Retry-After is over 60 s is the answer (not waited for)', async () => {
      const s = await listen((_req, res) => {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '3600' });
        res.end(JSON.stringify({ error: { type: 'server_not_available', message: 'Down for maintenance', code: 'HE_00' } }));
      });
      await withClient(s, {}, async (c) => {
        await rejects(c.retrievePayment(ID), ApiError, (e) => assert.equal(e.status, 503));
        assert.equal(s.hits(), 1);
      });
    });

    it('does not wait for a Retry-After over 60 s: the 429 is the answer', async () => {
      const s = await listen((_req, res) => {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3600' });
        res.end(JSON.stringify({ error: { type: 'invalid_request', message: 'Too many requests', code: 'RE_04' } }));
      });
      await withClient(s, {}, async (c) => {
      await rejects(c.retrievePayment(ID), ApiError, (e) => assert.equal(e.retryAfterSeconds, 3600));
      assert.equal(s.hits(), 1);
      });
    });
  });

  describe('payment ids', () => {
    for (const id of ['.', '..', 'pay_../x', 'pay_a/b', 'pay_a?x=1', 'pay_a b', '', 'order_1', `pay_${'a'.repeat(61)}`]) {
      it(`refuses ${JSON.stringify(id)} before sending anything`, async () => {
        const s = await listen((_req, res) => res.end(JSON.stringify(payment())));
        await withClient(s, {}, async (c) => {
        await rejects(c.retrievePayment(id), InvalidRequestError, (e) => assert.match(e.message, /is not a payment id/));
        await rejects(c.cancelPayment(id), InvalidRequestError);
        assert.equal(s.hits(), 0, 'a request was sent');
        });
      });
    }
  });

  describe('redaction of what the client reports', () => {
    it('response headers in events are redacted (set-cookie, api-key echoed, card numbers)', async () => {
      const s = await listen((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': 'session=abc123secret',
          'x-echo-api-key': KEY,
          'x-card': '4242424242424242',
        });
        res.end(JSON.stringify(payment()));
      });
      const events: RequestEvent[] = [];
      await withClient(s, { onEvent: (e) => events.push(e) }, async (c) => {
      await c.retrievePayment(ID);
      const h = JSON.stringify(events.map((e) => e.responseHeaders));
      assert.ok(!h.includes('abc123secret'), h);
      assert.ok(!h.includes(KEY), h);
      assert.ok(!h.includes('4242424242424242'), h);
      assert.match(h, /•••• 4242/);
      });
    });
  });
});

describe('lost answers of confirm, capture and cancel', function () {
  type Mode = 'pass' | 'lose-after' | 'drop-before';
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let proxy: { url: string; server: Server };
  /** What happens to the next POST to an unsafe route; reads always pass. */
  let mode: Mode = 'pass';
  const posts: string[] = [];

  before(async () => {
    sandbox = await startSandbox({ port: 0, apiKey: KEY });
    const target = new URL(sandbox.url);
    proxy = await listen((req, res) => {
      const unsafe = req.method === 'POST' && /\/(confirm|capture|cancel)$/.test(req.url ?? '');
      const m = unsafe ? mode : 'pass';
      if (unsafe) {
        posts.push(req.url!);
        mode = 'pass';
      }
      if (m === 'drop-before') {
        req.resume();
        req.on('end', () => res.socket?.destroy());
        return;
      }
      const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
        if (m === 'lose-after') {
          // The sandbox ran it; the answer never arrives.
          upRes.resume();
          upRes.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      req.pipe(up);
    });
  });
  after(async () => {
    await close(proxy.server);
    await sandbox.close();
  });
  beforeEach(() => {
    posts.length = 0;
    mode = 'pass';
  });

  /** A client of the proxy, for each test. */
  let c: PerfectPayClient;
  beforeEach(() => {
    c = new PerfectPayClient({ baseUrl: proxy.url, apiKey: KEY, retry: { baseDelayMs: 5, maxDelayMs: 10 } });
  });
  afterEach(() => c.close());

  /** What `act` resolves to, with the answer of its unsafe POST lost as `how` says; that POST is sent once, never again. */
  async function sentOnce<T>(how: Exclude<Mode, 'pass'>, act: () => Promise<T>): Promise<T> {
    const earlier = posts.length;
    mode = how;
    try {
      return await act();
    } finally {
      assert.equal(posts.length, earlier + 1, `sent ${posts.length - earlier} times`);
    }
  }
  const card: ConfirmPaymentRequest = {
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } },
  };

  async function authorised(c: PerfectPayClient, captureMethod: 'manual' | 'manual_multiple', amount = 1000): Promise<Payment> {
    const p = await c.createPayment({ amount, currency: 'USD', capture_method: captureMethod, confirm: true, ...card });
    assert.equal(p.status, 'requires_capture');
    return p;
  }

  it('confirm lost after it ran: the re-read payment is the answer (sent once)', async () => {
    const p = await c.createPayment({ amount: 500, currency: 'USD' });
    const now = await sentOnce('lose-after', () => c.confirmPayment(p.payment_id, card));
    assert.equal(now.status, 'succeeded');
  });

  it('confirm lost before it ran: LostAnswerError that says it did not run (sent once)', async () => {
    const p = await c.createPayment({ amount: 500, currency: 'USD' });
    await rejects(sentOnce('drop-before', () => c.confirmPayment(p.payment_id, card)), LostAnswerError, (e) => {
      assert.equal(e.didNotRun, true);
      assert.equal(e.payment?.status, 'requires_payment_method');
      assert.match(e.message, /did not take effect/);
    });
  });

  it('full capture lost after it ran: succeeded, from the re-read', async () => {
    const p = await authorised(c, 'manual');
    const now = await sentOnce('lose-after', () => c.capturePayment(p.payment_id, {}, { before: p }));
    assert.equal(now.status, 'succeeded');
    assert.equal(now.amount_received, 1000);
  });

  it('full capture lost before it ran: did not run, still requires_capture', async () => {
    const p = await authorised(c, 'manual');
    await rejects(sentOnce('drop-before', () => c.capturePayment(p.payment_id, {}, { before: p })), LostAnswerError, (e) => {
      assert.equal(e.didNotRun, true);
      assert.equal(e.payment?.status, 'requires_capture');
    });
  });

  it('partial capture of a manual_multiple payment lost after it ran: partially_captured_and_capturable is the answer, not an error', async () => {
    const p = await authorised(c, 'manual_multiple');
    const now = await sentOnce('lose-after', () => c.capturePayment(p.payment_id, { amount_to_capture: 400 }, { before: p }));
    assert.equal(now.status, 'partially_captured_and_capturable');
    assert.equal(now.amount_received, 400);
    assert.equal(now.amount_capturable, 600);
  });

  it('partial capture of a manual_multiple payment lost before it ran: did not run, the whole amount still capturable', async () => {
    const p = await authorised(c, 'manual_multiple');
    await rejects(sentOnce('drop-before', () => c.capturePayment(p.payment_id, { amount_to_capture: 400 }, { before: p })), LostAnswerError, (e) => {
      assert.equal(e.didNotRun, true);
      assert.equal(e.payment?.amount_capturable, 1000);
    });
  });

  it('a second partial capture lost after it ran is told apart from the first by what was received', async () => {
    const p = await authorised(c, 'manual_multiple');
    const first = await c.capturePayment(p.payment_id, { amount_to_capture: 300 }, { before: p });
    assert.equal(first.status, 'partially_captured_and_capturable');
    const now = await sentOnce('lose-after', () => c.capturePayment(p.payment_id, { amount_to_capture: 300 }, { before: first }));
    assert.equal(now.amount_received, 600);
  });

  it('cancel lost after it ran: cancelled, from the re-read', async () => {
    const p = await authorised(c, 'manual');
    const now = await sentOnce('lose-after', () => c.cancelPayment(p.payment_id, { cancellation_reason: 'duplicate' }));
    assert.equal(now.status, 'cancelled');
  });

  it('cancel lost before it ran: did not run', async () => {
    const p = await authorised(c, 'manual');
    await rejects(sentOnce('drop-before', () => c.cancelPayment(p.payment_id, {})), LostAnswerError, (e) => {
      assert.equal(e.didNotRun, true);
      assert.equal(e.payment?.status, 'requires_capture');
    });
  });
});
