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
  /** The proxy that carried it (without credentials). */
  proxy?: string;
  /** The server's certificate was not verified (http.proxyStrictSSL is false). */
  unverifiedTls?: boolean;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * `#12 POST /payments → 200 in 12 ms` (the path with its query, no origin). `#12` is the exchange's number
 * in this session's request log: a link in the log opens the exchange, request and answer, as a JSON
 * document (see exchangeJsonText).
 */
export function summaryLine(e: LoggedExchange, exchange?: number): string {
  let path = e.url;
  try {
    const u = new URL(e.url);
    path = u.pathname + u.search;
  } catch {
    // keep the URL as it is
  }
  const retry = e.attempt > 1 ? ` (attempt ${e.attempt})` : '';
  const ms = `${Math.round(e.durationMs)} ms`;
  const n = exchange === undefined ? '' : `#${exchange} `;
  // How it went: never silently through a proxy, never silently unverified.
  const how = (e.proxy ? ` via proxy ${e.proxy}` : '') + (e.unverifiedTls ? ' (certificate NOT verified (http.proxyStrictSSL is false))' : '');
  if (e.status === undefined) return redactText(`${n}${e.method} ${path} → failed in ${ms}${retry}${how}: ${e.error ?? 'no answer'}`);
  return redactText(`${n}${e.method} ${path} → ${e.status} in ${ms}${retry}${how}`);
}

/** An exchange as the request log keeps it, to be opened as a document. */
export type KeptExchange = LoggedExchange & { startedAt: string };

/** How many exchanges the request log keeps openable (the oldest go first). */
export const KEPT_EXCHANGES = 200;

/** Where the exchanges are kept (the request log, src/log/requestLog.ts). */
export interface ExchangeSource {
  exchange(n: number): KeptExchange | undefined;
}

/** `#12 POST ` at a summary line's start: the exchange number a log line refers to, and where it is. */
export const EXCHANGE_REF = /#(\d{1,9}) (?=(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) )/g;

/** Finds the exchange references (`#12` before a method) in a request log's text. */
export function findExchangeRefs(text: string): Array<{ exchange: number; start: number; end: number }> {
  return [...text.matchAll(EXCHANGE_REF)].map((m) => ({ exchange: Number(m[1]), start: m.index!, end: m.index! + m[0].length - 1 }));
}

/**
 * One exchange as a JSON document a person reads: the request (method, URL, headers, body) and the
 * answer (status, headers, body) or what went wrong, pretty-printed, redacted as the log is (no api-key,
 * card numbers to their last four, no CVC, no client secret).
 */
export function exchangeJsonText(exchange: number, e: LoggedExchange & { startedAt?: string }): string {
  const doc = {
    exchange,
    ...(e.startedAt ? { started_at: e.startedAt } : {}),
    duration_ms: Math.round(e.durationMs),
    attempt: e.attempt,
    request: {
      method: e.method,
      url: e.url,
      ...(e.proxy ? { proxy: e.proxy } : {}),
      ...(e.unverifiedTls ? { certificate_verified: false } : {}),
      headers: e.requestHeaders,
      ...(e.requestBody !== undefined ? { body: e.requestBody } : {}),
    },
    ...(e.status !== undefined
      ? { response: { status: e.status, headers: e.responseHeaders ?? {}, ...(e.responseBody !== undefined ? { body: e.responseBody } : {}) } }
      : { error: e.error ?? 'no answer' }),
  };
  let text: string;
  try {
    text = JSON.stringify(redactJson(doc), null, 2);
  } catch {
    text = JSON.stringify({ exchange, unavailable: 'This exchange could not be written as JSON.' }, null, 2);
  }
  return redactText(text) + '\n';
}

/**
 * Every line of one exchange with its level: the summary at info (warn for a 4xx with the error's
 * code and message, error for a 5xx or no answer), the bodies at debug, the headers at trace.
 */
export function logLines(e: LoggedExchange, exchange?: number): Array<[LogLevel, string]> {
  const line = summaryLine(e, exchange);
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
