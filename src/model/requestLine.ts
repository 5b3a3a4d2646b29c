/**
 * How one HTTP exchange is written in the request log: a summary line and its detail lines, every one
 * passed through the redaction on its way out (the events come redacted from the client already; a
 * card number in an id or a header must still never reach the log). Pure: the log channel itself is
 * in src/log.
 */
import { redactJson, redactText } from '../domain/redact';

/** The fields of a request event that the log writes (the client's RequestEvent has them). */
export interface LoggedExchange {
  method: string;
  url: string;
  attempt: number;
  durationMs: number;
  status?: number;
  error?: string;
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  responseHeaders?: Record<string, string>;
  responseBody?: unknown;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** `POST /payments → 200 in 12 ms` (the path with its query, no origin). */
export function summaryLine(e: LoggedExchange): string {
  let path = e.url;
  try {
    const u = new URL(e.url);
    path = u.pathname + u.search;
  } catch {
    // keep the URL as it is
  }
  const retry = e.attempt > 1 ? ` (attempt ${e.attempt})` : '';
  const ms = `${Math.round(e.durationMs)} ms`;
  if (e.status === undefined) return redactText(`${e.method} ${path} → failed in ${ms}${retry}: ${e.error ?? 'no answer'}`);
  return redactText(`${e.method} ${path} → ${e.status} in ${ms}${retry}`);
}

/**
 * Every line of one exchange with its level: the summary at info (warn for a 4xx with the error's
 * code and message, error for a 5xx or no answer), the bodies at debug, the headers at trace.
 */
export function logLines(e: LoggedExchange): Array<[LogLevel, string]> {
  const line = summaryLine(e);
  const out: Array<[LogLevel, string]> = [];
  if (e.status === undefined || e.status >= 500) out.push(['error', line]);
  else if (e.status >= 400) out.push(['warn', line + redactText(errorSuffix(e.responseBody))]);
  else out.push(['info', line]);
  if (e.requestBody !== undefined) out.push(['debug', `  request body: ${json(e.requestBody)}`]);
  if (e.responseBody !== undefined) out.push(['debug', `  response body: ${json(e.responseBody)}`]);
  out.push(['trace', `  request headers: ${json(e.requestHeaders)}`]);
  if (e.responseHeaders) out.push(['trace', `  response headers: ${json(e.responseHeaders)}`]);
  return out;
}

function errorSuffix(body: unknown): string {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return err && typeof err.code === 'string' && typeof err.message === 'string' ? ` ${err.code}: ${err.message}` : '';
}

function json(v: unknown): string {
  try {
    return typeof v === 'string' ? redactText(v) : JSON.stringify(redactJson(v));
  } catch {
    return redactText(String(v));
  }
}
