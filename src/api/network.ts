/**
 * The client's way to the network: which proxy, if any, carries a request, and which certificate
 * authorities are trusted. It follows VS Code's network settings, which the VS Code layer reads and
 * hands down as a plain `NetworkSettings` object (no `vscode` here):
 *
 * - the proxy: `http.proxy`, or when it is empty the environment's `HTTPS_PROXY` / `HTTP_PROXY` /
 *   `ALL_PROXY` (lower case first, as curl reads them); `http.proxySupport: "off"` means direct.
 *   Hosts in `http.noProxy` or `NO_PROXY` go direct, and so does loopback, always (the local sandbox).
 * - `http.proxyAuthorization` (or the proxy URL's user and password) is sent to the proxy only, as
 *   its `Proxy-Authorization` (undici's ProxyAgent `token`): never to the server, never shown.
 * - certificates: `NODE_EXTRA_CA_CERTS` (read here, so that a file named after the process started
 *   counts too) and, with `http.systemCertificates`, the operating system's where Node can reach
 *   them (`tls.getCACertificates('system')` on a Node that has it; on Linux the system's CA bundle
 *   file; on macOS and Windows Node 20 offers none without a native module), added to Node's own
 *   roots as undici's `connect.ca`.
 * - `http.proxyStrictSSL: false` turns certificate checks off: the request log says so on every line.
 *
 * The one dispatcher of a client (`NetworkDispatcher`) routes each request by these rules to a direct
 * undici Agent or a ProxyAgent (plain http goes to the proxy as an absolute URI, https through a
 * CONNECT tunnel). A settings change makes a new one (PerfectPayClient.setNetwork).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { Agent, Client, Dispatcher, ProxyAgent } from 'undici';
import { bypassesProxy, isLoopbackHost, proxyForDisplay } from '../domain/network';

export type ProxySupport = 'off' | 'on' | 'fallback' | 'override';

/** VS Code's network settings (`http.*`), as the VS Code layer read them: values of another type count as unset. */
export interface NetworkSettings {
  /** `http.proxy`; empty or missing: the environment variables. */
  proxy?: string;
  /** `http.noProxy`. */
  noProxy?: readonly string[];
  /** `http.proxyAuthorization`: the `Proxy-Authorization` header's value ("Basic …"). */
  proxyAuthorization?: string;
  /** `http.proxyStrictSSL` (default true). */
  strictSSL?: boolean;
  /** `http.proxySupport` ("off": no proxy at all). */
  proxySupport?: ProxySupport;
  /** `http.systemCertificates` (default true). */
  systemCertificates?: boolean;
  /** The process environment (`HTTPS_PROXY`, `NO_PROXY`, `NODE_EXTRA_CA_CERTS`…); process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The settings made into what the dispatcher uses. */
export interface ResolvedNetwork {
  /** The proxy of each scheme, without user name and password (those are in `token`). */
  httpProxy?: URL;
  httpsProxy?: URL;
  /** Where the proxy came from ("http.proxy", "HTTPS_PROXY"...), for the log. */
  proxySource?: string;
  /** The Proxy-Authorization value sent to the proxy (a secret: never shown). */
  token?: string;
  noProxy: readonly string[];
  strictSSL: boolean;
  /** The trusted authorities when more than Node's own (its roots included); undefined: Node's default. */
  ca?: string[];
  /** What a person should know of it (certificates read or not), for the log. */
  notes: string[];
  /** A proxy setting that cannot be used: requests that would go through it fail with this. */
  problem?: { proxy: string; message: string };
}

/** The largest certificate file read (a CA bundle is a few hundred KB). */
export const MAX_CERTIFICATE_FILE_BYTES = 4_000_000;

/** Where Linux distributions keep the system's CA bundle. */
const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

/** The settings made into proxies, exemptions and trusted certificates (reads certificate files). */
export function resolveNetwork(given: NetworkSettings = {}): ResolvedNetwork {
  const settings = checked(given);
  const env = settings.env ?? process.env;
  const read = (name: string): string | undefined => (env[name.toLowerCase()] ?? env[name.toUpperCase()])?.trim() || undefined;
  const net: ResolvedNetwork = { noProxy: [], strictSSL: settings.strictSSL !== false, notes: [] };

  if (settings.proxySupport !== 'off') {
    const configured = settings.proxy?.trim();
    let http: string | undefined;
    let https: string | undefined;
    if (configured) {
      http = https = configured;
      net.proxySource = 'http.proxy';
    } else {
      https = read('HTTPS_PROXY') ?? read('ALL_PROXY');
      http = read('HTTP_PROXY') ?? read('ALL_PROXY');
      if (https || http) net.proxySource = read('HTTPS_PROXY') ? 'HTTPS_PROXY' : read('HTTP_PROXY') ? 'HTTP_PROXY' : 'ALL_PROXY';
    }
    const parsed = [https, http].map((p) => (p ? parseProxy(p, net) : undefined));
    net.httpsProxy = parsed[0]?.url;
    net.httpProxy = parsed[1]?.url;
    const inUrl = parsed[0]?.credentials ?? parsed[1]?.credentials;
    const auth = settings.proxyAuthorization?.trim();
    net.token = auth || inUrl;
    net.noProxy = [...(settings.noProxy ?? []), ...(read('NO_PROXY') ?? '').split(/[,\s]+/)].map((e) => e.trim()).filter(Boolean);
  }

  const extra: string[] = [];
  const extraFile = env.NODE_EXTRA_CA_CERTS?.trim();
  if (extraFile) {
    const certs = readCertificates(extraFile, 'NODE_EXTRA_CA_CERTS', net.notes);
    extra.push(...certs);
    if (certs.length) net.notes.push(`${certs.length} certificate(s) from NODE_EXTRA_CA_CERTS`);
  }
  if (settings.systemCertificates !== false) {
    const system = systemCertificates(net.notes);
    extra.push(...system);
  }
  if (extra.length) net.ca = [...new Set([...tls.rootCertificates, ...extra])];
  if (!net.strictSSL) net.notes.push('certificates are NOT verified (http.proxyStrictSSL is false)');
  return net;
}

/** The settings with every value of the wrong type (a hand-edited settings.json) left out. */
function checked(s: NetworkSettings): NetworkSettings {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
  const support: readonly unknown[] = ['off', 'on', 'fallback', 'override'];
  return {
    proxy: str(s.proxy),
    noProxy: Array.isArray(s.noProxy) ? s.noProxy.filter((e): e is string => typeof e === 'string') : [],
    proxyAuthorization: str(s.proxyAuthorization),
    strictSSL: bool(s.strictSSL),
    proxySupport: support.includes(s.proxySupport) ? s.proxySupport : undefined,
    systemCertificates: bool(s.systemCertificates),
    env: s.env,
  };
}

/** A proxy URL (a scheme-less `host:port` is http), its credentials made into a Basic token. */
function parseProxy(raw: string, net: ResolvedNetwork): { url: URL; credentials?: string } | undefined {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    net.problem = { proxy: proxyForDisplay(raw), message: `the proxy "${proxyForDisplay(raw)}" is not a URL` };
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    net.problem = { proxy: proxyForDisplay(url), message: `the proxy ${proxyForDisplay(url)} is ${url.protocol.replace(/:$/, '')}: only http and https proxies are supported` };
    return undefined;
  }
  const credentials = url.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : undefined;
  return { url: new URL(proxyForDisplay(url)), credentials };
}

/** The certificates of a PEM file, or none (with a note) when it is missing, too large or holds none. */
function readCertificates(file: string, what: string, notes: string[]): string[] {
  try {
    const size = statSync(file).size;
    if (size > MAX_CERTIFICATE_FILE_BYTES) {
      notes.push(`${what} (${file}) is larger than ${MAX_CERTIFICATE_FILE_BYTES / 1e6} MB: not read`);
      return [];
    }
    const certs = readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (!certs.length) notes.push(`${what} (${file}) holds no PEM certificate`);
    return certs;
  } catch (e) {
    notes.push(`${what} (${file}) could not be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return [];
  }
}

/** The operating system's trusted certificates, where Node reaches them without a native module. */
function systemCertificates(notes: string[]): string[] {
  const get = (tls as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (typeof get === 'function') {
    try {
      return get('system');
    } catch {
      // an older Node that has the function but not the 'system' store: try the files
    }
  }
  if (process.platform === 'win32' || process.platform === 'darwin') return [];
  const file = SYSTEM_BUNDLES.find((f) => existsSync(f));
  if (!file) return [];
  const certs = readCertificates(file, 'the system CA bundle', notes);
  if (certs.length) notes.push(`${certs.length} system certificate(s) from ${file}`);
  return certs;
}

/** The proxy that carries requests to `url`, or undefined for direct (loopback is always direct). */
export function proxyFor(net: ResolvedNetwork, url: string | URL): URL | undefined {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return undefined;
  }
  if (isLoopbackHost(u.hostname)) return undefined;
  const proxy = u.protocol === 'https:' ? net.httpsProxy : net.httpProxy;
  if (!proxy) return undefined;
  const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
  return bypassesProxy(u.hostname, port, net.noProxy) ? undefined : proxy;
}

/** Whether a request to `url` would go through a proxy setting that cannot be used. */
export function proxyProblemFor(net: ResolvedNetwork, url: string): ResolvedNetwork['problem'] {
  if (!net.problem) return undefined;
  try {
    const u = new URL(url);
    const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
    return isLoopbackHost(u.hostname) || bypassesProxy(u.hostname, port, net.noProxy) ? undefined : net.problem;
  } catch {
    return undefined;
  }
}

/** One line for the log: how requests leave (secrets left out). */
export function describeNetwork(net: ResolvedNetwork): string {
  const parts: string[] = [];
  const https = net.httpsProxy && proxyForDisplay(net.httpsProxy);
  const http = net.httpProxy && proxyForDisplay(net.httpProxy);
  if (https || http) {
    parts.push(https === http ? `proxy ${https} (${net.proxySource})` : `proxy ${https ?? 'none'} for https, ${http ?? 'none'} for http (${net.proxySource})`);
    if (net.token) parts.push('with proxy credentials');
    if (net.noProxy.length) parts.push(`not for ${net.noProxy.join(', ')}`);
  } else parts.push(net.problem ? `proxy not usable: ${net.problem.message}` : 'direct (no proxy)');
  return [...parts, ...net.notes].join('; ');
}

export interface DispatcherTimeouts {
  connect: number;
  headers: number;
  body: number;
}

function tlsOptions(net: ResolvedNetwork): { ca?: string[]; rejectUnauthorized?: boolean } {
  return { ...(net.ca ? { ca: net.ca } : {}), ...(net.strictSSL ? {} : { rejectUnauthorized: false }) };
}

/**
 * The client's one dispatcher: each request goes to a direct Agent (one keep-alive pool per origin)
 * or to the ProxyAgent of its proxy, by `proxyFor`.
 */
export class NetworkDispatcher extends Dispatcher {
  private readonly direct: Agent;
  private readonly proxies = new Map<string, ProxyAgent>();

  constructor(readonly net: ResolvedNetwork, private readonly timeouts: DispatcherTimeouts) {
    super();
    this.direct = new Agent({ ...this.poolOptions(), connect: { timeout: timeouts.connect, ...tlsOptions(net) } });
  }

  private poolOptions(): Agent.Options {
    return { headersTimeout: this.timeouts.headers, bodyTimeout: this.timeouts.body, keepAliveTimeout: 10_000, connections: 16 };
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const proxy = proxyFor(this.net, String(options.origin));
    return (proxy ? this.proxyAgent(proxy) : this.direct).dispatch(options, handler);
  }

  private proxyAgent(proxy: URL): ProxyAgent {
    let agent = this.proxies.get(proxy.href);
    if (!agent) {
      const connect = { timeout: this.timeouts.connect, ...tlsOptions(this.net) };
      agent = new ProxyAgent({
        ...this.poolOptions(),
        uri: proxy.href,
        ...(this.net.token ? { token: this.net.token } : {}),
        // Plain http goes to the proxy as an absolute URI (as browsers and curl send it); https through CONNECT.
        proxyTunnel: false,
        proxyTls: connect,
        requestTls: connect,
      });
      this.proxies.set(proxy.href, agent);
    }
    return agent;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const done = Promise.all([this.direct.close(), ...[...this.proxies.values()].map((a) => a.close())]).then(() => undefined);
    if (!callback) return done;
    void done.then(callback, callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === 'function' ? null : (a ?? null);
    const callback = typeof a === 'function' ? a : b;
    const done = Promise.all([this.direct.destroy(err), ...[...this.proxies.values()].map((p) => p.destroy(err))]).then(() => undefined);
    if (!callback) return done;
    void done.then(callback, callback);
  }
}

/** Error codes of a certificate that could not be trusted. */
export function isCertificateErrorCode(code: string | undefined): boolean {
  return !!code && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code);
}

/**
 * Who issued the certificate `origin` shows (through its proxy, if any), read from a second TLS
 * handshake that does not verify it and sends nothing: a TLS error names no issuer. Undefined when it
 * cannot be told within `timeoutMs`.
 */
export async function certificateIssuer(net: ResolvedNetwork, origin: string, timeoutMs: number): Promise<string | undefined> {
  const u = new URL(origin);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port) || 443;
  const proxy = proxyFor(net, origin);
  const signal = AbortSignal.timeout(timeoutMs);
  let tunnel: Client | undefined;
  let socket: tls.TLSSocket | undefined;
  try {
    let through: import('node:stream').Duplex | undefined;
    if (proxy) {
      tunnel = new Client(proxy.origin, { connect: { timeout: timeoutMs, ...tlsOptions(net) } });
      const target = `${u.hostname}:${port}`;
      const r = await tunnel.connect({ path: target, headers: { host: target, ...(net.token ? { 'proxy-authorization': net.token } : {}) }, signal });
      if (r.statusCode !== 200) return undefined;
      through = r.socket;
    }
    const s = tls.connect({ host, port, socket: through, servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
    socket = s;
    await new Promise<void>((resolve, reject) => {
      s.once('secureConnect', resolve).once('error', reject);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    return describeIssuer(s.getPeerCertificate().issuer);
  } catch {
    return undefined;
  } finally {
    socket?.destroy();
    void tunnel?.destroy().catch(() => undefined);
  }
}

/** "PerfectPay Test CA (PerfectPay Tests)": the issuer's common name and organisation. */
function describeIssuer(issuer: tls.Certificate | undefined): string | undefined {
  if (!issuer) return undefined;
  const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
  const cn = first(issuer.CN);
  const o = first(issuer.O);
  if (cn && o && cn !== o) return `${cn} (${o})`;
  return cn ?? o;
}
