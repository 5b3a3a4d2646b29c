/**
 * Loopback host names: plain http to them never leaves the machine. One rule for the extension's
 * settings (a custom URL over plain http), the sandbox's `--host`, and the CLI's guess of a URL's
 * environment. Pure: imports nothing.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}
