/**
 * Issue 8 §4, the customer pages (`/sandbox/...`): served only for a loopback Host (no DNS
 * rebinding), their forms refused from another origin or without their token (this start's, for
 * that payment and step), and never framed. Issue 23: the page's own form, which a browser posts
 * with the sandbox's origin (Referrer-Policy same-origin) or `Origin: null`, goes through. Raw requests, to set Host and Origin as a hostile page would.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import { create, ok, start, type TestSandbox } from './helpers';

/** The tokens of a page's two forms, Complete and Fail. */
function tokensOf(html: string): { complete: string; fail: string } {
  const of = (step: string) => new RegExp(`action="[^"]*/${step}"><input type="hidden" name="from" value="[^"]*"><input type="hidden" name="token" value="([0-9a-f]{64})"`).exec(html)?.[1] ?? '';
  return { complete: of('complete'), fail: of('fail') };
}

function request(port: number, method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sandbox: customer pages', function () {
  let t: TestSandbox;
  let port: number;
  let id: string;
  let token: string;
  let failToken: string;
  before(async () => {
    t = await start();
    port = t.sandbox.port;
    const p = await create(t, { confirm: true, payment_method: 'pay_later', payment_method_type: 'klarna', payment_method_data: {} });
    id = p.payment_id;
    const res = await fetch(p.next_action.redirect_to_url);
    assert.equal(res.headers.get('referrer-policy'), 'same-origin', 'a browser posts the page\'s form with its origin, not null');
    ({ complete: token, fail: failToken } = tokensOf(await res.text()));
    assert.ok(token && failToken);
    assert.notEqual(token, failToken);
  });
  after(() => t.close());

  const page = (path: string, host: string) => request(port, 'GET', path, { host });
  const post = (step: 'complete' | 'fail', fields: Record<string, string>, headers: Record<string, string> = {}) =>
    request(port, 'POST', `/sandbox/payments/${id}/${step}`,
      { host: `127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded', ...headers }, new URLSearchParams(fields).toString());

  it('serves its pages for 127.0.0.1, localhost and [::1] with its port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      for (const path of ['/sandbox', `/sandbox/payments/${id}`, `/sandbox/payments/${id}/redirect`, `/sandbox/payments/${id}/qr_code`]) {
        assert.equal((await page(path, host)).status, 200, `${host} ${path}`);
      }
    }
  });

  it('refuses any other Host (a DNS-rebinding name, another port, no port), pages and QR data alike', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`, `localhost.evil.example:${port}`, `0.0.0.0:${port}`]) {
      for (const path of ['/sandbox', `/sandbox/payments/${id}/redirect`, `/sandbox/payments/${id}/qr_code`]) {
        const a = await page(path, host);
        assert.equal(a.status, 403, `${host} ${path}`);
        assert.equal(a.text.includes(id), false, 'nothing of the payment is shown');
      }
    }
    // No Host at all (HTTP/1.0 allows it).
    const noHost = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end('GET /sandbox HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (c) => (text += c));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(noHost, /^HTTP\/1\.1 403/);
  });

  it('every page is served unframeable, with a strict content security policy', async () => {
    for (const path of ['/sandbox', `/sandbox/payments/${id}`, `/sandbox/payments/${id}/3ds`, '/sandbox/payments/pay_nope']) {
      const a = await page(path, `127.0.0.1:${port}`);
      const csp = String(a.headers['content-security-policy'] ?? '');
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.match(csp, /default-src 'none'/, path);
      assert.equal(a.headers['x-frame-options'], 'DENY', path);
      assert.equal(a.headers['x-content-type-options'], 'nosniff', path);
    }
  });

  it('a form post without the token, with a wrong one, another step\'s or payment\'s, or from another origin is refused; nothing moves', async () => {
    const other = await create(t, { confirm: true, payment_method: 'pay_later', payment_method_type: 'klarna', payment_method_data: {} });
    const otherToken = tokensOf(await (await fetch(other.next_action.redirect_to_url)).text()).complete;
    assert.ok(otherToken);
    const refused: Array<[Record<string, string>, Record<string, string>]> = [
      [{ from: 'redirect' }, {}],
      [{ from: 'redirect' }, { origin: 'null' }],
      [{ from: 'redirect' }, { origin: `http://127.0.0.1:${port}` }],
      [{ from: 'redirect', token: '0'.repeat(64) }, {}],
      [{ from: 'redirect', token: token.slice(0, 63) }, {}],
      [{ from: 'redirect', token: failToken }, {}],
      [{ from: 'redirect', token: otherToken }, { origin: 'null' }],
      [{ from: 'redirect', token }, { origin: 'https://evil.example' }],
      [{ from: 'redirect', token }, { origin: `http://127.0.0.1:${port + 1}` }],
      [{ from: 'redirect', token }, { origin: `http://localhost:${port}` }],
    ];
    for (const [fields, headers] of refused) {
      const a = await post('complete', fields, headers);
      assert.equal(a.status, 403, JSON.stringify([fields, headers]));
      assert.match(a.headers['content-type'] ?? '', /text\/html/);
    }
    assert.equal(ok(await t.get(`/payments/${id}`)).status, 'requires_customer_action');
  });

  it('a form of another start is refused, for the very same payment id (its secret differs)', async () => {
    // Two starts with the same seed and clock hold the same payments, ids included.
    const now = Date.now();
    const [one, two] = [await start({ seed: 30, now: () => now }), await start({ seed: 30, now: () => now })];
    try {
      const waiting = ok(await one.get('/payments/list?limit=100')).data.find((p: any) => p.status === 'requires_customer_action' && p.next_action?.redirect_to_url);
      assert.ok(waiting, 'the seed holds a payment waiting for a redirect');
      assert.equal(ok(await two.get(`/payments/${waiting.payment_id}`)).status, 'requires_customer_action');
      const stale = tokensOf(await (await fetch(waiting.next_action.redirect_to_url)).text()).fail;
      assert.ok(stale);
      const postTo = (s: TestSandbox) => request(s.sandbox.port, 'POST', `/sandbox/payments/${waiting.payment_id}/fail`,
        { host: `127.0.0.1:${s.sandbox.port}`, 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ token: stale }).toString());
      assert.equal((await postTo(two)).status, 403);
      assert.equal(ok(await two.get(`/payments/${waiting.payment_id}`)).status, 'requires_customer_action');
      assert.equal((await postTo(one)).status, 303, 'in its own start it works');
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('the page\'s own form (same origin, no Origin, or Origin null with its token) goes through', async () => {
    const a = await post('complete', { from: 'redirect', token }, { origin: `http://127.0.0.1:${port}` });
    assert.equal(a.status, 303);
    assert.equal(a.headers.location, `/sandbox/payments/${id}/redirect`);
    assert.equal(ok(await t.get(`/payments/${id}`)).status, 'succeeded');
    for (const origin of [undefined, 'null', `http://localhost:${port}`]) {
      const q = await create(t, { confirm: true, payment_method: 'voucher', payment_method_type: 'boleto', payment_method_data: {} });
      const page = await request(port, 'GET', `/sandbox/payments/${q.payment_id}`, { host: `localhost:${port}` });
      const b = await request(port, 'POST', `/sandbox/payments/${q.payment_id}/fail`,
        { host: `localhost:${port}`, 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
        new URLSearchParams({ token: tokensOf(page.text).fail }).toString());
      assert.equal(b.status, 303, String(origin));
      assert.equal(ok(await t.get(`/payments/${q.payment_id}`)).status, 'failed');
    }
  });

  it('the 3DS method URL takes a post from the merchant\'s page (any origin): it changes nothing', async () => {
    const a = await request(port, 'POST', `/sandbox/payments/${id}/3ds/method`,
      { host: `127.0.0.1:${port}`, origin: 'https://shop.example', 'content-type': 'application/x-www-form-urlencoded' }, 'threeDSMethodData=abc');
    assert.equal(a.status, 200);
  });
});
