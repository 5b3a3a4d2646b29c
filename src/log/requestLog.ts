/**
 * The request log: ONE LogOutputChannel "PerfectPay". Each HTTP exchange is one line at info
 * (`POST /payments → 200 in 12 ms`), warn for a 4xx, error for a 5xx or no answer; the redacted
 * bodies follow at debug and the headers at trace. The events come redacted from the client (no
 * api-key, cards masked); nothing else secret is written here.
 */
import * as vscode from 'vscode';
import type { RequestEvent } from '../api/client';

export function createLogChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('PerfectPay', { log: true });
}

/** `POST /payments → 200 in 12 ms` (the path with its query, no origin). */
export function summaryLine(e: RequestEvent): string {
  let path = e.url;
  try {
    const u = new URL(e.url);
    path = u.pathname + u.search;
  } catch {
    // keep the URL as it is
  }
  const retry = e.attempt > 1 ? ` (attempt ${e.attempt})` : '';
  const ms = `${Math.round(e.durationMs)} ms`;
  if (e.status === undefined) return `${e.method} ${path} → failed in ${ms}${retry}: ${e.error ?? 'no answer'}`;
  return `${e.method} ${path} → ${e.status} in ${ms}${retry}`;
}

export class RequestLog {
  constructor(readonly channel: vscode.LogOutputChannel) {}

  record(e: RequestEvent): void {
    const line = summaryLine(e);
    if (e.status === undefined || e.status >= 500) this.channel.error(line);
    else if (e.status >= 400) this.channel.warn(line + errorSuffix(e.responseBody));
    else this.channel.info(line);
    if (e.requestBody !== undefined) this.channel.debug(`  request body: ${json(e.requestBody)}`);
    if (e.responseBody !== undefined) this.channel.debug(`  response body: ${json(e.responseBody)}`);
    this.channel.trace(`  request headers: ${json(e.requestHeaders)}`);
    if (e.responseHeaders) this.channel.trace(`  response headers: ${json(e.responseHeaders)}`);
  }

  show(): void {
    this.channel.show(true);
  }
}

function errorSuffix(body: unknown): string {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return err && typeof err.code === 'string' && typeof err.message === 'string' ? ` ${err.code}: ${err.message}` : '';
}

function json(v: unknown): string {
  try {
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return String(v);
  }
}
