/**
 * Which QR code URLs the extension may fetch: only the API's own origin (scheme, host and port; over
 * http(s), with no user name or password). Any other URL a server names is shown, never fetched.
 * The one rule: the client's fetchQrCode refuses by it before any socket opens, and the inspector
 * asks it first to show why a QR code is not fetched. Pure: imports nothing.
 */

export interface QrFetchDecision {
  allowed: boolean;
  /** The API's origin ("http://127.0.0.1:4242"), when known. */
  apiOrigin: string | null;
  /** Why not, for a person (null when allowed). */
  reason: string | null;
}

function httpUrl(raw: string | undefined): URL | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the extension may GET `url` for a QR code, given the API's base URL. */
export function qrFetchDecision(url: string, apiBaseUrl: string | undefined): QrFetchDecision {
  const api = httpUrl(apiBaseUrl);
  const apiOrigin = api ? api.origin : null;
  const no = (reason: string): QrFetchDecision => ({ allowed: false, apiOrigin, reason });
  if (!apiOrigin) return no("The API's address is not known yet, so the QR code is not fetched.");
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return no('The QR code URL is not a URL: it is not fetched.');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return no(`The QR code URL is ${u.protocol.replace(/:$/, '')}, not http(s): it is not fetched.`);
  if (u.username || u.password) return no('The QR code URL carries a user name or password: it is not fetched.');
  if (u.origin !== apiOrigin) {
    return no(`The QR code URL is on ${u.origin}, not on the API's own origin (${apiOrigin}): the extension does not fetch it.`);
  }
  return { allowed: true, apiOrigin, reason: null };
}
