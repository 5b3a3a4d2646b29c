/**
 * The request log: ONE LogOutputChannel "PerfectPay". Each HTTP exchange is one line at info
 * (`POST /payments → 200 in 12 ms`), warn for a 4xx, error for a 5xx or no answer; the redacted
 * bodies follow at debug and the headers at trace (the lines are made, and redacted, in
 * src/model/requestLine.ts).
 */
import * as vscode from 'vscode';
import type { RequestEvent } from '../api/client';
import { logLines } from '../model/requestLine';

export function createLogChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('PerfectPay', { log: true });
}

export class RequestLog {
  constructor(readonly channel: vscode.LogOutputChannel) {}

  record(e: RequestEvent): void {
    for (const [level, line] of logLines(e)) this.channel[level](line);
  }

  show(): void {
    this.channel.show(true);
  }
}
