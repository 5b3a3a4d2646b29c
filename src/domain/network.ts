/**
 * The network rules that are pure: which hosts are loopback (never sent through a proxy, and plain
 * http to them never leaves the machine), which hosts a no-proxy list exempts, and a proxy URL as it
 * may be shown (without its user name and password); and where the hosted sandbox is. Pure: imports nothing.
 */

/** The hosted PerfectPay sandbox's origin (the `sandbox` environment). */
export const SANDBOX_URL = 'https://sandbox.perfectpay.ai';

/** Loopback host names: plain http to them never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * Whether a no-proxy list (`http.noProxy`, `NO_PROXY`: entries split by commas or spaces) exempts a
 * host: `*` exempts all; `example.com`, `.example.com` and `*.example.com` exempt the domain and its
 * subdomains; `host:8443` only that port. The same reading as curl's and undici's.
 */
export function bypassesProxy(hostname: string, port: number, noProxy: readonly string[]): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  for (const raw of noProxy.flatMap((e) => e.split(/[,\s]+/))) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
    const name = (m ? m[1]! : entry).replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (m && Number(m[2]) !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** A proxy URL as it may be shown: scheme, host and port, never its user name or password. */
export function proxyForDisplay(url: string | URL): string {
  try {
    const u = new URL(String(url));
    return `${u.protocol}//${u.host}`;
  } catch {
    return String(url).replace(/\/\/[^@/]*@/, '//');
  }
}
