/**
 * Issue 16: the sandbox serves a user's own concurrency. A test suite that creates payments in
 * parallel with Node's fetch (one socket per request in flight) gets an answer for every one; a
 * connection over the cap is answered 503 with Retry-After and a JSON error, never reset in silence.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { PerfectPayClient } from '../../../src/api';
import { startSandbox } from '../../../src/sandbox';
import { DEFAULT_LIMITS } from '../../../src/sandbox/server';
import { KEY, useSandbox, waitFor } from './helpers';

/** `n` creates at once through the global fetch: the statuses and the payment ids. */
async function parallelCreates(url: string, n: number): Promise<{ statuses: number[]; ids: string[]; failures: string[] }> {
  const failures: string[] = [];
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      fetch(`${url}/payments`, {
        method: 'POST',
        headers: { 'api-key': KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 100 + i, currency: 'USD' }),
      }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { payment_id?: string } }),
        (e: Error) => {
          failures.push(`${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}`);
          return { status: 0, body: {} as { payment_id?: string } };
        },
      ),
    ),
  );
  return { statuses: answers.map((a) => a.status), ids: answers.flatMap((a) => (a.body.payment_id ? [a.body.payment_id] : [])), failures };
}

/** A raw HTTP/1.1 exchange on its own connection: the whole answer as text, once the server closes it. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c) => (text += c));
    socket.on('close', () => resolve(text));
    socket.on('error', (e) => reject(new Error(`${e.message} after ${JSON.stringify(text)}`)));
  });
}

describe('sandbox: a user’s concurrency', function () {
  this.timeout(60_000);
  const t = useSandbox();

  it('caps connections in the thousands by default', () => {
    assert.ok(DEFAULT_LIMITS.maxConnections >= 2048, `cap ${DEFAULT_LIMITS.maxConnections}`);
  });

  for (const n of [200, 500]) {
    it(`answers ${n} parallel creates from one client (global fetch), all 200 with distinct ids`, async () => {
      const before = t.sandbox.paymentCount();
      const r = await parallelCreates(t.url, n);
      assert.deepEqual(r.failures.slice(0, 3), [], `${r.failures.length} of ${n} failed`);
      assert.deepEqual(r.statuses.filter((s) => s !== 200), []);
      assert.equal(new Set(r.ids).size, n, 'distinct ids');
      assert.equal(t.sandbox.paymentCount(), before + n);
    });
  }

  it('the client answers 500 parallel creates too (its pool queues, it does not fail)', async () => {
    const client = new PerfectPayClient({ baseUrl: t.url, apiKey: KEY });
    try {
      const made = await Promise.all(Array.from({ length: 500 }, (_, i) => client.createPayment({ amount: 100 + i, currency: 'EUR' })));
      assert.equal(new Set(made.map((p) => p.payment_id)).size, 500);
    } finally {
      await client.close();
    }
  });

  it('over the cap, a connection is answered 503 with Retry-After and a JSON error, then closed', async () => {
    const s = await startSandbox({ apiKey: KEY, maxConnections: 4 });
    const held: net.Socket[] = [];
    try {
      // Four connections held open (idle, as a keep-alive pool holds them)…
      for (let i = 0; i < 4; i++) {
        held.push(await new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(s.port, '127.0.0.1', () => resolve(socket));
          socket.on('error', reject);
        }));
      }
      // …the fifth is told why, in the contract's error shape.
      const text = await rawExchange(s.port, `POST /payments HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: ${KEY}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`);
      const [head, body] = text.split('\r\n\r\n');
      assert.match(head!, /^HTTP\/1\.1 503 /);
      assert.match(head!, /\r\nretry-after: 1\r\n/i);
      assert.match(head!, /\r\ncontent-type: application\/json\r\n/i);
      assert.match(head!, /\r\nconnection: close\r\n/i);
      const error = (JSON.parse(body!) as { error: Record<string, string> }).error;
      assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'type']);
      assert.equal(error.type, 'server_not_available');
      assert.match(error.message, /connections/);
      assert.equal(s.paymentCount(), 0, 'nothing was made');
      // Once the held ones are gone, new connections are served again.
      for (const x of held) x.destroy();
      await waitFor(async () => (await fetch(`${s.url}/payments/list`, { headers: { 'api-key': KEY } }).then((r) => r.status, () => 0)) === 200, 'served again');
    } finally {
      for (const x of held) x.destroy();
      await s.close();
    }
  });
});
