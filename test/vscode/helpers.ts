// What the extension-host suites share: the extension's exported API, commands with arguments,
// settings, payments made through the commands, and waitFor, the suite's one way to wait.
import * as assert from 'node:assert/strict';
import { setTimeout as pause } from 'node:timers/promises';
import * as vscode from 'vscode';
import type { RequestEvent } from '../../src/api/client';
import type { Payment } from '../../src/api/schemas';
import type { PerfectPayTestApi } from '../../src/extension';

export const EXT_ID = 'perfectpay.perfectpay-explorer';

/** The running extension's exports (activating it if needed). */
export async function api(): Promise<PerfectPayTestApi> {
  const ext = vscode.extensions.getExtension<PerfectPayTestApi>(EXT_ID);
  assert.ok(ext, 'the extension is not loaded');
  return ext.isActive ? ext.exports : await ext.activate();
}

export const run = <T>(command: string, arg?: unknown): Thenable<T> => vscode.commands.executeCommand<T>(command, arg);

/** Sets `perfectpay.*` settings globally. */
export async function settings(values: Record<string, unknown>): Promise<void> {
  const c = vscode.workspace.getConfiguration('perfectpay');
  for (const [k, v] of Object.entries(values)) await c.update(k, v, vscode.ConfigurationTarget.Global);
}

/** A payment made by `perfectpay.createPayment` with arguments (49.99 USD unless told). */
export async function createPayment(fields: Record<string, unknown> = {}): Promise<Payment> {
  const p = await run<Payment | undefined>('perfectpay.createPayment', { amount: 4999, currency: 'USD', ...fields });
  assert.ok(p, 'perfectpay.createPayment returned no payment');
  return p;
}

/** Confirm fields for a test card (a future expiry, any CVC). */
export function cardArg(number: string): Record<string, unknown> {
  return {
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: { card: { card_number: number, card_exp_month: '12', card_exp_year: '35', card_cvc: '123', card_holder_name: 'Jane Doe' } },
  };
}

/** The last error message the extension showed. */
export function lastError(a: PerfectPayTestApi): string | undefined {
  return [...a.notifier.messages].reverse().find((m) => m.level === 'error')?.text;
}

export interface WaitOptions {
  /** What is awaited, named in the timeout error. */
  what: string;
  /** Give up after this many ms (default 20 s, sized for a loaded two-core machine). */
  timeout?: number;
  /** Between two looks (default 50 ms). */
  interval?: number;
}

/**
 * Waits until `probe` gives a truthy value and resolves with it; a probe that throws counts as "not yet".
 * On timeout it rejects naming `what` and the last thing seen. The suite's one wait between looks: a test
 * waits for an event or a condition through this (or the panel's own waitForModel), never a fixed time.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitOptions): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const timeout = options.timeout ?? 20_000;
  const deadline = Date.now() + timeout;
  for (;;) {
    let last: string;
    try {
      const v = await probe();
      if (v) return v as Exclude<T, false | 0 | '' | null | undefined>;
      last = `last seen: ${JSON.stringify(v)}`;
    } catch (e) {
      last = `last: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for ${options.what}; ${last}`);
    await pause(options.interval ?? 50);
  }
}

/** A name no other test (nor an earlier run in the same window) uses, e.g. for a customer_id. */
export function unique(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * For a describe() about the Payments view: before its tests, the extension on the local sandbox with
 * `pageSize` payments a page, handed to `use`; every test starts unfiltered (the filter is cleared after
 * each). From then to its after() (which puts the page size back), every request the extension makes,
 * in the array returned (a test empties it before what it counts).
 */
export function onLocalSandbox(pageSize: number, use: (a: PerfectPayTestApi) => void): RequestEvent[] {
  const events: RequestEvent[] = [];
  let a: PerfectPayTestApi | undefined;
  let sub: vscode.Disposable | undefined;
  before(async () => {
    a = await api();
    await settings({ environment: 'local', pageSize });
    sub = a.environments.onDidRequest((e) => events.push(e));
    use(a);
  });
  afterEach(async () => {
    await a?.tree.setFilter({});
  });
  after(async () => {
    sub?.dispose();
    await settings({ pageSize: undefined });
  });
  return events;
}

/**
 * Runs `act` and returns its result and every request the extension made meanwhile ("METHOD URL"). Other parts of the
 * extension may read in the background at any time (an open inspector polls a waiting payment, the view
 * reads its page), so a test that means "nothing was sent" names what must not be among them rather than
 * counting them all.
 */
export async function requestsDuring<T>(a: PerfectPayTestApi, act: () => Thenable<T>): Promise<{ result: T; sent: string[] }> {
  const sent: string[] = [];
  const sub = a.environments.onDidRequest((e) => sent.push(`${e.method} ${e.url}`));
  try {
    return { result: await act(), sent };
  } finally {
    sub.dispose();
  }
}

/**
 * Closes every inspector panel. An open panel keeps reading its payment while the payment can still
 * change (and it is on screen): a suite that opens panels closes them after each test, so that no
 * later test meets their reads.
 */
export function closeInspectors(a: PerfectPayTestApi | undefined): void {
  for (const p of a?.inspector.panels() ?? []) p.dispose();
}

/**
 * The page reads among `events` (`GET` or `POST /payments/list`): what a test of the view's paging
 * counts. Reads of single payments may come at any time (an open payment document read again when
 * its environment comes back, an inspector's poll), so a test that counts pages names them.
 */
export function pageReads(events: readonly RequestEvent[]): RequestEvent[] {
  return events.filter((e) => new URL(e.url).pathname.endsWith('/payments/list'));
}
