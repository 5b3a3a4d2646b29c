// What the extension-host suites share: the extension's exported API, commands with arguments,
// settings, and payments made through the commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
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
