/**
 * The request log: ONE LogOutputChannel "PerfectPay". Each HTTP exchange is one line at info
 * (`#12 POST /payments → 200 in 12 ms`), warn for a 4xx, error for a 5xx or no answer; the redacted
 * bodies follow at debug and the headers at trace (the lines are made, and redacted, in
 * src/model/requestLine.ts). `#12` numbers the exchange in this session: the last KEPT exchanges stay in
 * memory (redacted, as logged), so that a link on the line, or "PerfectPay: Open Request from Log…",
 * opens that request and its answer as a JSON document at any log level.
 */
import * as vscode from 'vscode';
import type { RequestEvent } from '../api/client';
import { KEPT_EXCHANGES, logLines, type ExchangeSource, type KeptExchange } from '../model/requestLine';

export function createLogChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('PerfectPay', { log: true });
}

export class RequestLog implements ExchangeSource {
  private next = 1;
  private readonly kept = new Map<number, KeptExchange>();

  constructor(readonly channel: vscode.LogOutputChannel) {}

  record(e: RequestEvent): void {
    const n = this.next++;
    this.kept.set(n, {
      method: e.method,
      url: e.url,
      attempt: e.attempt,
      durationMs: e.durationMs,
      status: e.status,
      error: e.error,
      requestHeaders: e.requestHeaders,
      requestBody: e.requestBody,
      responseHeaders: e.responseHeaders,
      responseBody: e.responseBody,
      startedAt: e.startedAt,
      proxy: e.proxy,
      unverifiedTls: e.unverifiedTls,
    });
    if (this.kept.size > KEPT_EXCHANGES) this.kept.delete(this.kept.keys().next().value!);
    for (const [level, line] of logLines(e, n)) this.channel[level](line);
  }

  /** Exchange `n`, if it is still kept. */
  exchange(n: number): KeptExchange | undefined {
    return this.kept.get(n);
  }

  /** The kept exchanges, newest first. */
  recent(): Array<{ exchange: number; e: KeptExchange }> {
    return [...this.kept].reverse().map(([exchange, e]) => ({ exchange, e }));
  }

  show(): void {
    this.channel.show(true);
  }
}
