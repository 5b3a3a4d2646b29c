/**
 * A request as a cURL command a developer can paste into a terminal. The key is written as the
 * shell variable `$PERFECTPAY_API_KEY` (never its value), and card data is masked like everywhere
 * else outside the request body itself. The same rule (`shareableRequest`) makes the copies as code
 * (src/api/code.ts): one redaction, one name for the key's variable.
 */
import { redactJson, redactText } from '../domain/redact';

export interface CurlRequest {
  method: string;
  /** Absolute URL, with its query. */
  url: string;
  body?: unknown;
  /** Whether the route needs the api-key header (every API route; not a QR fetch URL). */
  authenticated?: boolean;
}

/** The environment variable every copy reads the key from. */
export const API_KEY_ENV_VAR = 'PERFECTPAY_API_KEY';

/** A request as it may leave the extension in a copy: URL and body redacted, the method upper-case. */
export interface ShareableRequest {
  method: string;
  url: string;
  /** Redacted (sensitive fields masked, card numbers cut to their last four); absent when none. */
  body?: unknown;
  authenticated: boolean;
}

export function shareableRequest(req: CurlRequest): ShareableRequest {
  return {
    method: req.method.toUpperCase(),
    url: redactText(req.url),
    ...(req.body !== undefined ? { body: redactJson(req.body) } : {}),
    authenticated: req.authenticated !== false,
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
  if (r.authenticated) lines.push(`  -H "api-key: $${API_KEY_ENV_VAR}"`);
  if (r.body !== undefined) {
    lines.push(`  -H "Content-Type: application/json"`);
    lines.push(`  -d ${shellQuote(JSON.stringify(r.body, null, 2))}`);
  }
  return lines.join(' \\\n');
}
