/**
 * The client behind a proxy, as VS Code's network settings describe it (src/api/network.ts): a
 * forward proxy of the test's own on loopback (test/testProxy.ts) that alone knows the host name
 * perfectpay-hosted.test, the local sandbox behind it over plain http and behind a TLS server whose
 * certificate a CA made in the test signs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CertificateError, NetworkError, PerfectPayClient, ProxyError, type RequestEvent } from '../../../src/api';
import { proxyFor, resolveNetwork, type NetworkSettings } from '../../../src/api/network';
import { bypassesProxy } from '../../../src/domain/network';
import { logLines } from '../../../src/model/requestLine';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { makeTestCertificates, startTestProxy, startTlsFront, type TestCertificates, type TestProxy, type TlsFront } from '../../testProxy';
import { rejects } from '../rejects';

const KEY = 'sk_test_proxy_suite_0123456789';
const HOST = 'perfectpay-hosted.test';
const TOKEN = `Basic ${Buffer.from('proxyuser:proxy-pass-4242').toString('base64')}`;

describe('the client through a proxy (VS Code network settings)', function () {
  let sandbox: RunningSandbox;
  let proxy: TestProxy;
  let certs: TestCertificates;
  let front: TlsFront;
  let httpUrl: string;
  let httpsUrl: string;
  const clients: PerfectPayClient[] = [];
  const events: RequestEvent[] = [];

  /** A client of `baseUrl` with these network settings (no proxy environment variables unless given). */
  function client(baseUrl: string, network: NetworkSettings): PerfectPayClient {
    const c = new PerfectPayClient({
      baseUrl,
      apiKey: KEY,
      network: { systemCertificates: false, env: {}, ...network },
      retry: { maxAttempts: 1 },
      connectTimeoutMs: 2_000,
      onEvent: (e) => events.push(e),
    });
    clients.push(c);
    return c;
  }

  before(async () => {
    sandbox = await startSandbox({ port: 0, apiKey: KEY, seed: 5 });
    certs = makeTestCertificates(HOST);
    front = await startTlsFront(certs, Number(new URL(sandbox.url).port));
    proxy = await startTestProxy([HOST]);
    httpUrl = `http://${HOST}:${new URL(sandbox.url).port}`;
    httpsUrl = `https://${HOST}:${front.port}`;
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await proxy.close();
    await front.close();
    await sandbox.close();
    certs.remove();
  });
  beforeEach(() => {
    proxy.carried.length = 0;
    proxy.requireAuthorization = undefined;
    proxy.forbid = false;
    front.received.length = 0;
    events.length = 0;
  });

  it('lists payments of a host only the proxy can resolve, plain http as an absolute URI', async () => {
    const page = await client(httpUrl, { proxy: proxy.url }).listPayments({ limit: 3 });
    assert.equal(page.data.length, 3);
    assert.deepEqual(proxy.carried.map((r) => [r.method, r.target]), [['GET', `${httpUrl}/payments/list?limit=3`]]);
    assert.equal(events[0]?.proxy, proxy.url);
  });

  it('lists payments over https through a CONNECT tunnel, trusting the test CA through NODE_EXTRA_CA_CERTS', async () => {
    const page = await client(httpsUrl, { proxy: proxy.url, env: { NODE_EXTRA_CA_CERTS: certs.caFile } }).listPayments({ limit: 2 });
    assert.equal(page.data.length, 2);
    assert.deepEqual(proxy.carried.map((r) => [r.method, r.target]), [['CONNECT', `${HOST}:${front.port}`]]);
    assert.equal(events[0]?.unverifiedTls, undefined);
  });

  it('without the proxy the host is not found: the proxy is what reaches it', async () => {
    await rejects(client(httpUrl, {}).listPayments(), NetworkError);
    assert.equal(proxy.carried.length, 0);
  });

  it('an untrusted certificate fails naming its issuer, through the proxy', async () => {
    const e = await rejects(client(httpsUrl, { proxy: proxy.url }).listPayments(), CertificateError);
    assert.equal(e.kind, 'certificate');
    assert.equal(e.issuer, `${certs.caName} (PerfectPay Tests)`);
    assert.match(e.message, /PerfectPay Test CA/);
    assert.match(e.message, new RegExp(`through the proxy ${proxy.url.replace(/\./g, '\\.')}`));
    assert.match(e.message, /NODE_EXTRA_CA_CERTS/);
  });

  it('an untrusted certificate fails naming its issuer, direct too', async () => {
    const e = await rejects(client(`https://127.0.0.1:${front.port}`, { proxy: proxy.url }).listPayments(), CertificateError);
    assert.equal(e.issuer, `${certs.caName} (PerfectPay Tests)`);
    assert.equal(e.proxy, undefined);
    assert.ok(!e.message.includes('through the proxy'));
    assert.equal(proxy.carried.length, 0);
  });

  it('http.proxyStrictSSL false: the untrusted certificate is accepted, and every event says so', async () => {
    await client(httpsUrl, { proxy: proxy.url, strictSSL: false }).listPayments({ limit: 1 });
    assert.equal(events[0]?.unverifiedTls, true);
    const lines = logLines(events[0]!).map(([, l]) => l).join('\n');
    assert.match(lines, /certificate NOT verified \(http\.proxyStrictSSL is false\)/);
    assert.match(lines, new RegExp(`via proxy ${proxy.url.replace(/\./g, '\\.')}`));
  });

  it('credentials (http.proxyAuthorization) reach the proxy only: never the server, the events or the log', async () => {
    proxy.requireAuthorization = TOKEN;
    const c = client(httpsUrl, { proxy: proxy.url, proxyAuthorization: TOKEN, env: { NODE_EXTRA_CA_CERTS: certs.caFile } });
    await c.listPayments({ limit: 1 });
    assert.deepEqual(proxy.carried.map((r) => r.proxyAuthorization), [TOKEN]);
    assert.ok(front.received.join('').includes('GET /payments/list'), 'the server saw the request');
    assert.ok(!/proxy-authorization|proxy-pass|cHJveHl1c2Vy/i.test(front.received.join('')), 'no credentials at the server');
    const logged = JSON.stringify(events) + events.flatMap((e) => logLines(e).map(([, l]) => l)).join('\n');
    assert.ok(!logged.includes('cHJveHl1c2Vy') && !logged.includes('proxy-pass'), 'no credentials in events or log');
  });

  it('credentials in the proxy URL are sent as Basic, to the proxy only, and never shown', async () => {
    proxy.requireAuthorization = TOKEN;
    const withUser = proxy.url.replace('//', '//proxyuser:proxy-pass-4242@');
    const c = client(httpUrl, { proxy: withUser });
    await c.listPayments({ limit: 1 });
    assert.equal(proxy.carried[0]?.proxyAuthorization, TOKEN);
    assert.equal(events[0]?.proxy, proxy.url);
    assert.ok(!JSON.stringify(events).includes('proxy-pass'));
  });

  for (const [scheme, base] of [['https (CONNECT)', () => httpsUrl], ['plain http', () => httpUrl]] as const) {
    it(`a proxy that wants credentials (407), ${scheme}: its own message, naming the proxy without credentials`, async () => {
      proxy.requireAuthorization = TOKEN;
      const wrong = proxy.url.replace('//', '//proxyuser:wrong-secret@');
      const e = await rejects(client(base(), { proxy: wrong, env: { NODE_EXTRA_CA_CERTS: certs.caFile } }).listPayments(), ProxyError);
      assert.equal(e.reason, 'auth');
      assert.match(e.message, /asks for credentials \(HTTP 407\)/);
      assert.ok(e.message.includes(proxy.url));
      assert.ok(!JSON.stringify([e.message, events]).includes('wrong-secret'));
      assert.equal(proxy.carried.length, 1, 'not retried');
    });

    it(`a proxy that refuses (403), ${scheme}: its own message`, async () => {
      proxy.forbid = true;
      const e = await rejects(client(base(), { proxy: proxy.url }).listPayments(), ProxyError);
      assert.equal(e.reason, 'refused');
      assert.equal(e.proxyStatus, 403);
      assert.match(e.message, new RegExp(`The proxy ${proxy.url.replace(/\./g, '\\.')} refused .*HTTP 403`));
    });
  }

  it('a proxy that cannot be reached: its own message naming it', async () => {
    const dead = await startTestProxy();
    await dead.close();
    const e = await rejects(client(httpsUrl, { proxy: `http://u:secret-pw@127.0.0.1:${dead.port}` }).listPayments(), ProxyError);
    assert.equal(e.reason, 'unreachable');
    assert.match(e.message, new RegExp(`Could not reach the proxy http://127\\.0\\.0\\.1:${dead.port}: the connection was refused`));
    assert.ok(!e.message.includes('secret-pw'));
  });

  it('http.noProxy and NO_PROXY bypass the proxy; http.proxySupport "off" goes direct', async () => {
    for (const network of [
      { proxy: proxy.url, noProxy: [HOST] },
      { proxy: proxy.url, noProxy: ['.test'] },
      { proxy: proxy.url, env: { NO_PROXY: `example.com, ${HOST}` } },
      { proxy: proxy.url, env: { no_proxy: '*' } },
      { proxy: proxy.url, proxySupport: 'off' as const },
      { env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }, proxySupport: 'off' as const },
    ]) {
      // Direct, the made-up host is not found: the proxy was not asked.
      await rejects(client(httpUrl, network).listPayments(), NetworkError);
      assert.equal(proxy.carried.length, 0, JSON.stringify(network));
    }
    // A no-proxy entry for another port does not bypass.
    await client(httpUrl, { proxy: proxy.url, noProxy: [`${HOST}:1`] }).listPayments({ limit: 1 });
    assert.equal(proxy.carried.length, 1);
  });

  it('HTTPS_PROXY / HTTP_PROXY / ALL_PROXY when http.proxy is empty; http.proxy wins over them', async () => {
    await client(httpsUrl, { env: { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certs.caFile } }).listPayments({ limit: 1 });
    await client(httpUrl, { env: { http_proxy: proxy.url } }).listPayments({ limit: 1 });
    await client(httpUrl, { env: { ALL_PROXY: proxy.url } }).listPayments({ limit: 1 });
    await client(httpUrl, { proxy: proxy.url, env: { HTTP_PROXY: 'http://127.0.0.1:9' } }).listPayments({ limit: 1 });
    assert.deepEqual(proxy.carried.map((r) => r.method), ['CONNECT', 'GET', 'GET', 'GET']);
  });

  it('the local sandbox (loopback) never goes through the proxy', async () => {
    const page = await client(sandbox.url, { proxy: proxy.url, env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } }).listPayments({ limit: 1 });
    assert.equal(page.data.length, 1);
    assert.equal(proxy.carried.length, 0);
    assert.equal(events[0]?.proxy, undefined);
  });

  it('new settings apply to the next request', async () => {
    const c = client(httpUrl, {});
    await rejects(c.listPayments(), NetworkError);
    c.setNetwork({ proxy: proxy.url, env: {}, systemCertificates: false });
    await c.listPayments({ limit: 1 });
    assert.equal(proxy.carried.length, 1);
    c.setNetwork({ proxy: proxy.url, proxySupport: 'off', env: {}, systemCertificates: false });
    await rejects(c.listPayments(), NetworkError);
    assert.equal(proxy.carried.length, 1);
  });

  it('a proxy setting that is not http(s) is refused with its own message before anything is sent', async () => {
    const e = await rejects(client(httpUrl, { proxy: 'socks4://user:pw@127.0.0.1:1080' }).listPayments(), ProxyError);
    assert.equal(e.reason, 'invalid');
    assert.match(e.message, /only http and https proxies/);
    assert.ok(!e.message.includes('pw@'));
  });
});

describe('network settings, resolved', () => {
  it('no-proxy entries: names, domains, wildcards, ports', () => {
    assert.ok(bypassesProxy('api.example.com', 443, ['example.com']));
    assert.ok(bypassesProxy('api.example.com', 443, ['.example.com']));
    assert.ok(bypassesProxy('api.example.com', 443, ['*.example.com']));
    assert.ok(bypassesProxy('example.com', 443, ['other.org, example.com']));
    assert.ok(bypassesProxy('example.com', 8443, ['example.com:8443']));
    assert.ok(!bypassesProxy('example.com', 443, ['example.com:8443']));
    assert.ok(!bypassesProxy('notexample.com', 443, ['example.com']));
    assert.ok(bypassesProxy('anything', 80, ['*']));
    assert.ok(bypassesProxy('::1', 80, ['[::1]:80']));
  });

  it('loopback is never proxied; https and http have their own proxy', () => {
    const net = resolveNetwork({ env: { HTTPS_PROXY: 'https://secure.proxy:8443', HTTP_PROXY: 'plain.proxy:3128' }, systemCertificates: false });
    assert.equal(proxyFor(net, 'https://api.example.com')?.href, 'https://secure.proxy:8443/');
    assert.equal(proxyFor(net, 'http://api.example.com')?.href, 'http://plain.proxy:3128/');
    for (const local of ['http://127.0.0.1:4242', 'http://localhost:1', 'https://[::1]:9', 'http://a.localhost']) assert.equal(proxyFor(net, local), undefined, local);
  });

  it('NODE_EXTRA_CA_CERTS: read and added to Node\'s roots; a missing file is a note, not a failure', () => {
    const certs = makeTestCertificates('x.test');
    try {
      const net = resolveNetwork({ env: { NODE_EXTRA_CA_CERTS: certs.caFile }, systemCertificates: false });
      const ca = readFileSync(certs.caFile, 'utf8').trim();
      assert.ok(net.ca?.some((c) => c.trim() === ca), 'the test CA is trusted');
      assert.ok(net.ca!.length > 100, "Node's roots are kept");
      assert.match(net.notes.join(), /1 certificate\(s\) from NODE_EXTRA_CA_CERTS/);
    } finally {
      certs.remove();
    }
    const missing = resolveNetwork({ env: { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' }, systemCertificates: false });
    assert.equal(missing.ca, undefined);
    assert.match(missing.notes.join(), /could not be read: ENOENT/);
  });
});
