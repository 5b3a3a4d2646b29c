/**
 * A request as a cURL command a developer can paste into a terminal. The key is written as the
 * shell variable `$PERFECTPAY_API_KEY` (never its value), and card data is masked like everywhere
 * else outside the request body itself. The same rule (`shareableRequest`) makes the copies as code
 * (src/api/code.ts): one redaction, one name for each variable.
 *
 * A confirm made as the browser makes it (`key: 'publishable'`) reads the publishable key from
 * `$PERFECTPAY_PUBLISHABLE_KEY` and the payment's client_secret from `$PERFECTPAY_CLIENT_SECRET`:
 * the copy runs as it is once both are set, and shows neither.
 */
import { redactJson, redactText } from '../domain/redact';

export interface CurlRequest {
  method: string;
  /** Absolute URL, with its query. */
  url: string;
  body?: unknown;
  /** Whether the route needs the api-key header (every API route; not a QR fetch URL). */
  authenticated?: boolean;
  /** Which key opens it: the secret key (default), or the publishable key with the body's client_secret. */
  key?: KeyKind;
}

/** Which key a request is sent with: the secret key (a merchant's server) or the publishable key (the browser). */
export type KeyKind = 'secret' | 'publishable';

/** The environment variable every copy reads the secret key from. */
export const API_KEY_ENV_VAR = 'PERFECTPAY_API_KEY';
/** The environment variable a browser-side confirm's copy reads the publishable key from. */
export const PUBLISHABLE_KEY_ENV_VAR = 'PERFECTPAY_PUBLISHABLE_KEY';
/** The environment variable a browser-side confirm's copy reads the payment's client_secret from. */
export const CLIENT_SECRET_ENV_VAR = 'PERFECTPAY_CLIENT_SECRET';

/** Stands for an environment variable's value in a shareable body; each language writes its own reference. */
const envMarker = (name: string): string => `@@env:${name}@@`;
const ENV_MARKER_JSON = /"@@env:([A-Z_]+)@@"/g;

/**
 * `text` (a body serialised as JSON) with each variable marker, quotes included, replaced by
 * `ref(name)`: `$NAME` spliced into a shell string, `process.env.NAME`, `os.environ["NAME"]`.
 */
export function withEnvRefs(text: string, ref: (name: string) => string): string {
  return text.replace(ENV_MARKER_JSON, (_, name: string) => ref(name));
}

/** A variable spliced into a single-quoted shell word as a JSON string: `'…"'"$NAME"'"…'`. */
export const shellEnvRef = (name: string): string => `"'"$${name}"'"`;

/** A request as it may leave the extension in a copy: URL and body redacted, the method upper-case. */
export interface ShareableRequest {
  method: string;
  url: string;
  /** Redacted (sensitive fields masked, card numbers cut to their last four); absent when none. */
  body?: unknown;
  authenticated: boolean;
  /** The environment variable the api-key header is read from. */
  keyVar: string;
}

export function shareableRequest(req: CurlRequest): ShareableRequest {
  const publishable = req.key === 'publishable';
  let body = req.body !== undefined ? redactJson(req.body) : undefined;
  // The client_secret travels with the publishable key: a variable in the copy, never its value.
  if (publishable && body !== null && typeof body === 'object' && !Array.isArray(body)) {
    body = { ...(body as Record<string, unknown>), client_secret: envMarker(CLIENT_SECRET_ENV_VAR) };
  }
  return {
    method: req.method.toUpperCase(),
    url: redactText(req.url),
    ...(body !== undefined ? { body } : {}),
    authenticated: req.authenticated !== false,
    keyVar: publishable ? PUBLISHABLE_KEY_ENV_VAR : API_KEY_ENV_VAR,
  };
}

/** Quotes a string for a POSIX shell, inside single quotes. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(req: CurlRequest): string {
  const r = shareableRequest(req);
  const lines = [`curl ${shellQuote(r.url)}`];
  if (r.method !== 'GET') lines.push(`  -X ${r.method}`);
  if (r.authenticated) lines.push(`  -H "api-key: $${r.keyVar}"`);
  if (r.body !== undefined) {
    lines.push(`  -H "Content-Type: application/json"`);
    lines.push(`  -d ${withEnvRefs(shellQuote(JSON.stringify(r.body, null, 2)), shellEnvRef)}`);
  }
  return lines.join(' \\\n');
}
