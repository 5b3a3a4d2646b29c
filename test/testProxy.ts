/**
 * A forward proxy of the tests' own, on loopback (node:http): `CONNECT` tunnels and plain http sent as
 * an absolute URI, each counted, optionally demanding `Proxy-Authorization`. It resolves the host
 * names it is given (`hosts`) to 127.0.0.1, so that a made-up name (perfectpay-hosted.test) is
 * reachable through it and through nothing else. And a TLS server, in front of any loopback port,
 * whose certificate a certificate authority made for the test signs (with the `openssl` CLI).
 * Used by the unit suites (test/unit/api/proxy.test.ts) and the extension-host suite.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

export interface CarriedRequest {
  /** 'CONNECT' or the plain request's method. */
  method: string;
  /** `host:port` of a tunnel, or the absolute URI of a plain request. */
  target: string;
  proxyAuthorization?: string;
}

export interface TestProxy {
  readonly url: string;
  readonly port: number;
  /** Every request it was asked to carry (refused ones too). */
  readonly carried: CarriedRequest[];
  /** When set, requests without exactly this `Proxy-Authorization` get 407. */
  requireAuthorization?: string;
  /** When set, every request is refused with 403. */
  forbid?: boolean;
  close(): Promise<void>;
}

/** Starts the proxy; the names in `hosts` (lower case) resolve to 127.0.0.1 through it, as loopback itself does. */
export async function startTestProxy(hosts: readonly string[] = []): Promise<TestProxy> {
  const sockets = new Set<net.Socket>();
  const carried: CarriedRequest[] = [];
  const resolve = (host: string, port: number): { host: string; port: number } | undefined => {
    const known = hosts.includes(host.toLowerCase()) || host === '127.0.0.1' || host === 'localhost';
    return known ? { host: '127.0.0.1', port } : undefined;
  };
  const refusal = (auth: string | undefined): string | undefined => {
    if (proxy.forbid) return '403 Forbidden';
    if (proxy.requireAuthorization !== undefined && auth !== proxy.requireAuthorization) return '407 Proxy Authentication Required';
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const auth = req.headers['proxy-authorization'];
    carried.push({ method: req.method ?? '', target: req.url ?? '', proxyAuthorization: auth });
    const refused = refusal(auth);
    if (refused) {
      res.writeHead(Number(refused.slice(0, 3)), { 'proxy-authenticate': 'Basic realm="test"', 'content-type': 'text/plain' }).end(refused);
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI expected');
      return;
    }
    const to = resolve(target.hostname, Number(target.port) || 80);
    if (!to) {
      res.writeHead(502).end('unknown host');
      return;
    }
    // A proxy's own headers stop at the proxy.
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request({ host: to.host, port: to.port, method: req.method, path: target.pathname + target.search, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const auth = req.headers['proxy-authorization'];
    carried.push({ method: 'CONNECT', target: req.url ?? '', proxyAuthorization: auth });
    const refused = refusal(auth);
    client.on('error', () => undefined);
    if (refused) {
      client.end(`HTTP/1.1 ${refused}\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host = '', port = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
    const to = resolve(host, Number(port));
    if (!to) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const proxy: TestProxy = {
    url: `http://127.0.0.1:${port}`,
    port,
    carried,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
  return proxy;
}

export interface TestCertificates {
  /** The test CA's certificate file (PEM): what NODE_EXTRA_CA_CERTS names to trust it. */
  caFile: string;
  caName: string;
  key: string;
  cert: string;
  remove(): void;
}

/** A certificate authority made now (openssl), and a certificate it signs for `hostname`. */
export function makeTestCertificates(hostname: string): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'perfectpay-ca-'));
  const caName = 'PerfectPay Test CA';
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${caName}/O=PerfectPay Tests`);
  ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hostname}`);
  writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=DNS:${hostname}\n`);
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  return {
    caFile: join(dir, 'ca.pem'),
    caName,
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsFront {
  readonly port: number;
  /** The plain text of every request it received (what the server saw). */
  readonly received: string[];
  close(): Promise<void>;
}

/** A TLS server with `certs`' certificate that passes each connection on to the loopback port `to` (an http server). */
export async function startTlsFront(certs: TestCertificates, to: number): Promise<TlsFront> {
  const sockets = new Set<net.Socket>();
  const received: string[] = [];
  const server = tls.createServer({ key: certs.key, cert: certs.cert }, (s) => {
    const upstream = net.connect(to, '127.0.0.1');
    s.on('data', (d: Buffer) => received.push(d.toString('latin1')));
    for (const x of [s, upstream]) {
      sockets.add(x);
      x.on('close', () => sockets.delete(x));
      x.on('error', () => undefined);
    }
    s.pipe(upstream).pipe(s);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
