/**
 * Issue 8 §4 over real HTTP and raw sockets: the key is checked before a body is read; a body over
 * the limit is a 413 JSON answer without being read to its end; slow clients are cut off (the
 * connection cap: concurrency.test.ts); deep JSON, prototype keys, odd method names and non-JSON bodies get a
 * clean 400; a key in the URL is refused and never logged; the log masks card numbers; a snapshot
 * file that cannot be used is set aside; a failed start leaves nothing bound.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../../../src/sandbox';
import { DEFAULT_LIMITS } from '../../../src/sandbox/server';
import { card, create, err, KEY, ok, useSandbox } from './helpers';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Bytes of the body written before the answer came. */
  sentBeforeAnswer: number;
  /** The connection closed after the answer. */
  closed: Promise<void>;
}

/**
 * Sends headers declaring `declared` body bytes, then the body in `chunk`-sized writes, at most
 * `send` bytes, and stops writing (without ending) as soon as an answer arrives.
 */
function partialPost(url: string, path: string, headers: Record<string, string>, declared: number, send: number, chunk = 16 * 1024): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    // Without a declared length, Node sends the body chunked.
    const length = declared > 0 ? { 'content-length': String(declared) } : {};
    const req = http.request(url + path, { method: 'POST', agent: false, headers: { ...length, ...headers } });
    const closed = new Promise<void>((r) => req.once('close', () => r()));
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    req.on('response', (res) => {
      answered = true;
      const at = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, sentBeforeAnswer: at, closed }));
    });
    const pump = () => {
      while (!answered && sent < send) {
        const n = Math.min(chunk, send - sent);
        sent += n;
        if (!req.write(Buffer.alloc(n, 0x20))) {
          req.once('drain', pump);
          return;
        }
      }
    };
    req.flushHeaders();
    pump();
  });
}

/** A raw request with a chosen Host, method and body. */
function raw(url: string, method: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + path, { method, agent: false, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (a: { status: number; text: string }) => ({ status: a.status, body: JSON.parse(a.text) as { error: { code: string; message: string } } });

describe('sandbox: hardening', function () {
  const t = useSandbox();

  it('has seconds-long timeouts and a connection cap by default', () => {
    assert.deepEqual(DEFAULT_LIMITS, { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 2048 });
  });

  it('checks the key before it reads a body: a wrong key gets 401 while the body is still being sent', async () => {
    const before = t.sandbox.paymentCount();
    const a = await partialPost(t.url, '/payments', { 'api-key': 'wrong', 'content-type': 'application/json' }, 900_000, 64 * 1024);
    assert.equal(a.status, 401);
    assert.equal(JSON.parse(a.text).error.code, 'IR_01');
    assert.ok(a.sentBeforeAnswer < 900_000, 'answered before the body was complete');
    await a.closed;
    assert.equal(t.sandbox.paymentCount(), before);
  });

  it('a body declared over 1 MB gets 413 JSON at once, without its body being read to the end', async () => {
    const a = await partialPost(t.url, '/payments', { 'api-key': KEY, 'content-type': 'application/json' }, 10 * 1024 * 1024, 128 * 1024);
    assert.equal(a.status, 413);
    assert.equal(a.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(a.text).error, {
      type: 'invalid_request', message: 'body contains invalid data. Expected format is a JSON object of at most 1048576 bytes', code: 'IR_05',
    });
    assert.ok(a.sentBeforeAnswer < 10 * 1024 * 1024);
    await a.closed;
    ok(await t.get('/payments/list'));
  });

  it('a chunked body that passes 1 MB gets 413 as soon as it does, long before its end', async () => {
    // 64 MB offered: more than the sockets' buffers hold, so an answer before the end was sent
    // means the sandbox stopped reading.
    const a = await partialPost(t.url, '/payments', { 'api-key': KEY, 'content-type': 'application/json' }, 0, 64 * 1024 * 1024, 64 * 1024)
      .catch((e: Error) => assert.fail(`no answer: ${e.message}`));
    assert.equal(a.status, 413);
    assert.ok(a.sentBeforeAnswer < 64 * 1024 * 1024, `answered after ${a.sentBeforeAnswer} bytes`);
    await a.closed;
  });

  it('a sent 10 MB body still gets its 413 answer (not a reset connection)', async () => {
    const body = Buffer.alloc(10 * 1024 * 1024, 0x20);
    const a = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`${t.url}/payments`, { method: 'POST', agent: false, headers: { 'api-key': KEY, 'content-type': 'application/json', 'content-length': String(body.length) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', (e) => reject(e));
      req.end(body);
    });
    assert.equal(a.status, 413);
    assert.equal(JSON.parse(a.text).error.code, 'IR_05');
  });

  it('cuts off a client that is slow to send its headers or its body', async () => {
    const s = await startSandbox({ apiKey: KEY, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    try {
      const cutOff = (send: string) =>
        new Promise<{ ms: number; text: string }>((resolve, reject) => {
          const t0 = Date.now();
          const socket = net.connect(s.port, '127.0.0.1', () => socket.write(send));
          let text = '';
          socket.setEncoding('utf8');
          socket.on('data', (c) => (text += c));
          socket.on('close', () => resolve({ ms: Date.now() - t0, text }));
          socket.on('error', reject);
          setTimeout(() => reject(new Error('never cut off')), 5_000).unref();
        });
      const headers = await cutOff('GET /payments/list HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      assert.ok(headers.ms < 2_500, `slow headers cut off after ${headers.ms} ms`);
      assert.match(headers.text, /^HTTP\/1\.1 408/);
      const body = await cutOff(`POST /payments HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: ${KEY}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"amount":`);
      assert.ok(body.ms < 3_000, `slow body cut off after ${body.ms} ms`);
    } finally {
      await s.close();
    }
  });

  it('JSON nested deeper than 128 levels is 400 (100,000 levels too), the server unharmed', async () => {
    const deep = (n: number) => `{"amount":1,"currency":"USD","metadata":{"a":${'['.repeat(n)}${']'.repeat(n)}}}`;
    err(await t.call('POST', '/payments', deep(100_000)), 400, 'IR_05', 'body contains invalid data. Expected format is JSON nested at most 128 levels deep');
    err(await t.call('POST', '/payments', deep(200)), 400, 'IR_05', /nested at most 128 levels/);
    // Brackets inside strings do not count.
    ok(await t.call('POST', '/payments', `{"amount":1,"currency":"USD","description":"${'['.repeat(500)}"}`));
    ok(await t.call('POST', '/payments', deep(100)));
  });

  it('__proto__, constructor and prototype keys are 400, at any depth, and never become payments', async () => {
    const before = t.sandbox.paymentCount();
    const cases: Array<[string, string]> = [
      ['{"amount":1,"currency":"USD","__proto__":{"x":1}}', '__proto__'],
      ['{"amount":1,"currency":"USD","metadata":{"constructor":{"prototype":{"polluted":true}}}}', 'metadata.constructor'],
      ['{"amount":1,"currency":"USD","order_details":[{"prototype":1}]}', 'order_details.0.prototype'],
    ];
    for (const [body, field] of cases) {
      err(await t.call('POST', '/payments', body), 400, 'IR_05', `${field} contains invalid data. Expected format is a field name other than __proto__, constructor and prototype`);
    }
    assert.equal(t.sandbox.paymentCount(), before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('a payment_method or type named like an Object property is a clean 400, not a 500', async () => {
    const p = await create(t);
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      err(await t.post(`/payments/${p.payment_id}/confirm`, { payment_method: name, payment_method_type: 'x', payment_method_data: {} }), 400, 'IR_06',
        /^payment_method '[A-Za-z_]+' is not supported by the sandbox/);
      err(await t.post(`/payments/${p.payment_id}/confirm`, { payment_method: 'wallet', payment_method_type: name, payment_method_data: {} }), 400, 'IR_06',
        /is not supported for payment_method 'wallet'/);
    }
    assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'requires_payment_method');
  });

  it('a body that is not JSON by its Content-Type is 400', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const a = json(await raw(t.url, 'POST', '/payments', '{"amount":1,"currency":"USD"}', { 'api-key': KEY, ...(type ? { 'content-type': type } : {}) }));
      assert.equal(a.status, 400, type);
      assert.deepEqual(a.body.error, { type: 'invalid_request', message: 'content-type contains invalid data. Expected format is application/json', code: 'IR_05' });
    }
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json']) {
      assert.equal((await raw(t.url, 'POST', '/payments', '{"amount":1,"currency":"USD"}', { 'api-key': KEY, 'content-type': type })).status, 200, type);
    }
    // A POST without a body needs no type.
    const p = await create(t, { capture_method: 'manual', confirm: true, ...card('4242424242424242') });
    assert.equal(json(await raw(t.url, 'POST', `/payments/${p.payment_id}/capture`, '', { 'api-key': KEY })).status, 200);
  });

  it('a key in the query string is refused (api-key or api_key, even a right one) and never logged', async () => {
    for (const param of ['api-key', 'api_key', 'API_KEY']) {
      const a = await fetch(`${t.url}/payments/list?${param}=${KEY}`, { headers: { 'api-key': KEY } });
      assert.equal(a.status, 400);
      assert.deepEqual(((await a.json()) as any).error, {
        type: 'invalid_request',
        message: `${param} contains invalid data. Expected format is the api-key header: a key in the URL is refused (URLs end up in logs and browser history)`,
        code: 'IR_05',
      });
    }
    assert.equal((await fetch(`${t.url}/payments/list?api_key=sk_other_guess`)).status, 400);
    const log = t.logs.join('\n');
    assert.equal(log.includes(KEY), false);
    assert.equal(log.includes('sk_other_guess'), false);
    assert.match(log, /GET \/payments\/list\?api_key=\[redacted\] -> 400/);
  });

  it('the log masks card numbers with the domain\'s redaction (spaced, dashed, in ids and queries)', async () => {
    await t.get('/payments/4242424242424242');
    await t.get('/payments/pay_4111-1111-1111-1111');
    await t.get('/payments/list?customer_id=5555%205555%205555%204444');
    await t.get('/payments/list?customer_id=6011+1111+1111+1117');
    await t.get('/payments/3782%208224%206310%20005');
    const log = t.logs.join('\n');
    for (const n of ['4242424242424242', '4111-1111-1111-1111', '5555%205555%205555%204444', '5555 5555 5555 4444', '6011+1111+1111+1117',
      '6011 1111 1111 1117', '3782%208224%206310%20005', '3782 8224 6310 005']) {
      assert.equal(log.includes(n), false, `${n} logged`);
    }
    assert.match(log, /GET \/payments\/•••• 4242 -> 404/);
  });
});

describe('sandbox: snapshot files and failed starts', function () {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-snap-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves to its file and starts from it', async () => {
    const file = path.join(dir, 'ok.json');
    const a = await startSandbox({ apiKey: KEY, snapshotFile: file });
    const p = (await (await fetch(`${a.url}/payments`, {
      method: 'POST', headers: { 'api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ amount: 5, currency: 'USD' }),
    })).json()) as { payment_id: string };
    await a.saveSnapshot();
    await a.close();
    const b = await startSandbox({ apiKey: KEY, snapshotFile: file, seed: 3 });
    try {
      assert.equal(b.startedFrom, 'snapshot');
      assert.deepEqual(b.paymentIds(), [p.payment_id]);
    } finally {
      await b.close();
    }
  });

  it('a missing file means the seed, and nothing is set aside', async () => {
    const file = path.join(dir, 'missing.json');
    const s = await startSandbox({ apiKey: KEY, snapshotFile: file, seed: 2 });
    await s.close();
    assert.equal(s.startedFrom, 'seed');
    assert.equal(s.restoreProblem, undefined);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('missing')), []);
  });

  for (const [name, content, why] of [
    ['cut.json', '{"format":"perfectpay-sandbox-snapshot","version":1,"payme', /not JSON/],
    ['wrong.json', '{"format":"perfectpay-sandbox-snapshot","version":1,"origin":"http://127.0.0.1:1","seq":0,"payments":[{"payment_id":7}]}', /payments/],
    ['deep.json', `{"format":"perfectpay-sandbox-snapshot","version":1,"origin":"http://127.0.0.1:1","seq":0,"payments":${'['.repeat(50_000)}${']'.repeat(50_000)}}`, /snapshot/],
  ] as const) {
    it(`a snapshot file that cannot be used (${name}) is set aside as .corrupt-<time>, with a warning, and the seed is used`, async () => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      const logs: string[] = [];
      const s = await startSandbox({ apiKey: KEY, snapshotFile: file, seed: 2, log: (l) => logs.push(l), now: () => Date.parse('2026-11-24T15:04:05.000Z') });
      try {
        assert.equal(s.startedFrom, 'seed');
        assert.equal(s.paymentCount(), 2);
        assert.match(s.restoreProblem ?? '', why);
        assert.equal(fs.existsSync(file), false, 'the file was moved');
        const aside = `${file}.corrupt-2026-11-24T15-04-05-000Z`;
        assert.equal(fs.readFileSync(aside, 'utf8'), content, 'kept, unchanged, beside it');
        assert.ok(logs.some((l) => l.includes(`warning: the snapshot file that could not be used was set aside as ${aside}`)), logs.join('\n'));
      } finally {
        await s.close();
      }
      // The next start meets no bad file.
      const again = await startSandbox({ apiKey: KEY, snapshotFile: file });
      await again.close();
      assert.equal(again.restoreProblem, undefined);
    });
  }

  it('a start that fails after listening closes its socket (the port is free again)', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    // A clock that throws fails the seeding, after the socket is bound.
    let calls = 0;
    const now = () => {
      if (++calls > 1) throw new Error('clock broke');
      return Date.now();
    };
    await assert.rejects(startSandbox({ apiKey: KEY, port, seed: 3, now }), /clock broke/);
    const s = await startSandbox({ apiKey: KEY, port });
    assert.equal(s.port, port, 'the failed start left the port free');
    await s.close();
  });
});
