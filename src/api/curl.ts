/**
 * A request as a cURL command a developer can paste into a terminal. The key is written as the
 * shell variable `$PERFECTPAY_API_KEY` (never its value), and card data is masked like everywhere
 * else outside the request body itself.
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

/** Quotes a string for a POSIX shell, inside single quotes. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(req: CurlRequest): string {
  const lines = [`curl ${shellQuote(redactText(req.url))}`];
  if (req.method.toUpperCase() !== 'GET') lines.push(`  -X ${req.method.toUpperCase()}`);
  if (req.authenticated !== false) lines.push(`  -H "api-key: $PERFECTPAY_API_KEY"`);
  if (req.body !== undefined) {
    lines.push(`  -H "Content-Type: application/json"`);
    lines.push(`  -d ${shellQuote(JSON.stringify(redactJson(req.body), null, 2))}`);
  }
  return lines.join(' \\\n');
}
