// The agent tools' flow that both adapters must pass (the extension host through vscode.lm.invokeTool,
// the `perfectpay mcp` server through the MCP SDK's client): every tool called on the local sandbox, and
// no secret in any answer. Written once, here.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { twoPartCapture } from './scenarioFixtures';

export interface ToolCallResult {
  text: string;
  isError: boolean;
}
export type CallTool = (name: string, input: Record<string, unknown>) => Promise<ToolCallResult>;

/** Card numbers of 13 to 19 digits, in a row or in groups. */
const FULL_CARD = /\b\d(?:[ -]?\d){12,18}\b/;

export function assertNoSecret(text: string, secrets: readonly string[]): void {
  assert.doesNotMatch(text, /_secret_[A-Za-z0-9]/, `a client_secret in: ${text}`);
  assert.doesNotMatch(text, FULL_CARD, `a full card number in: ${text}`);
  for (const s of secrets) assert.ok(!text.includes(s), `the key in: ${text}`);
}

function idIn(text: string): string {
  const m = /\bpay_[a-z0-9]+/.exec(text);
  assert.ok(m, `no payment id in: ${text}`);
  return m[0];
}

/** Every tool, through `call`; `linkPattern`: how each answer about a payment ends. Resolves every answer. */
export async function agentFlow(call: CallTool, secrets: readonly string[], linkPattern: RegExp): Promise<ToolCallResult[]> {
  const answers: ToolCallResult[] = [];
  const tool = async (name: string, input: Record<string, unknown>, expectError = false) => {
    const r = await call(name, input);
    answers.push(r);
    assertNoSecret(r.text, secrets);
    assert.equal(r.isError, expectError, `${name} ${JSON.stringify(input)}: ${r.text}`);
    return r.text;
  };
  const endsWithLink = (text: string) => assert.match(text.split('\n').at(-1)!, linkPattern, text);

  // A manual_multiple payment of 20.00 EUR, captured in part, explained.
  const created = await tool('perfectpay_create_payment', { amount: 2000, currency: 'EUR', capture_method: 'manual_multiple', payment_method: 'card_4242', description: 'agents flow' });
  const id = idIn(created);
  assert.match(created, /status: requires_capture/);
  endsWithLink(created);
  const captured = await tool('perfectpay_capture_payment', { payment_id: id, amount: 1000 });
  assert.match(captured, /^Captured 10\.00 EUR of pay_/);
  assert.match(captured, /status: partially_captured_and_capturable/);
  endsWithLink(captured);
  const explained = await tool('perfectpay_explain_payment', { payment_id: id });
  assert.match(explained, new RegExp(`^${id} is partially_captured_and_capturable: Part captured, remaining amount still capturable\\.`));
  assert.match(explained, /20\.00 EUR asked; 10\.00 EUR captured; 10\.00 EUR left to capture/);
  assert.match(explained, /Next step: Capture more of the remaining amount\./);
  assert.match(explained, /Allowed now: capture\b/);
  assert.match(explained, /capture 10\.00 EUR → partially_captured_and_capturable/);
  endsWithLink(explained);

  // The rest captured, then refunded in part.
  assert.match(await tool('perfectpay_capture_payment', { payment_id: id }), /status: succeeded/);
  const refunded = await tool('perfectpay_refund_payment', { payment_id: id, amount: 500, reason: 'agents flow' });
  assert.match(refunded, /^Refund \S+ of 5\.00 EUR for pay_\w+: (succeeded|pending)\./);
  const got = await tool('perfectpay_get_payment', { payment_id: id });
  assert.match(got, /captures: 10\.00 EUR charged, 10\.00 EUR charged/);
  assert.match(got, /refunds: \S+ 5\.00 EUR/);
  assert.match(got, /method: card \/ credit \(Visa •••• 4242\)/);
  endsWithLink(got);
  // Its webhook events: one per status that has an event type, its refund's included.
  const events = await tool('perfectpay_list_events', { payment_id: id });
  assert.match(events, new RegExp(`^\\d+ of \\d+ webhook events about ${id} and its refunds on `));
  const types = ['payment_authorized', 'payment_captured', 'payment_succeeded', ...(/: succeeded\./.test(refunded) ? ['refund_succeeded'] : [])];
  for (const type of types) assert.match(events, new RegExp(`^- ${type} `, 'm'), events);
  assert.match(await tool('perfectpay_list_events', { event_types: ['nope'] }, true), /^Refused: event_types\[0\] must be one of payment_succeeded/);

  // A declined card: failed, and a capture of it refused with the reason.
  const failed = await tool('perfectpay_create_payment', { amount: 1500, currency: 'EUR', capture_method: 'manual', payment_method: 'card_0002' });
  const failedId = idIn(failed);
  assert.match(failed, /status: failed/);
  const refusedCapture = await tool('perfectpay_capture_payment', { payment_id: failedId }, true);
  assert.match(refusedCapture, new RegExp(`^Refused: ${failedId} cannot be captured: it is failed\\. The attempt failed\\. Error: card_declined — Your card was declined\\. Allowed now: nothing\\.`));
  endsWithLink(refusedCapture);

  // Confirm a waiting payment with a 3DS card, then play the customer's step.
  const waiting = await tool('perfectpay_create_payment', { amount: 700, currency: 'USD' });
  const waitingId = idIn(waiting);
  assert.match(waiting, /status: requires_payment_method/);
  assert.match(await tool('perfectpay_confirm_payment', { payment_id: waitingId, payment_method: 'card_3220' }), /status: requires_customer_action/);
  assert.match(await tool('perfectpay_simulate_customer_action', { payment_id: waitingId, outcome: 'succeed' }), /status: succeeded/);
  // …and a cancel that the status refuses, then one it allows.
  assert.match(await tool('perfectpay_cancel_payment', { payment_id: waitingId }, true), /^Refused: .* cannot be cancelled: it is succeeded/);
  const toCancel = idIn(await tool('perfectpay_create_payment', { amount: 300, currency: 'USD' }));
  assert.match(await tool('perfectpay_cancel_payment', { payment_id: toCancel, cancellation_reason: 'abandoned' }), /status: cancelled/);

  // Bad input is answered, not thrown.
  assert.match(await tool('perfectpay_capture_payment', { payment_id: id, amount: -5 }, true), /^Refused: amount must be at least 1\./);

  // The list, filtered on the server.
  const list = await tool('perfectpay_list_payments', { status: ['partially_captured_and_capturable', 'succeeded'], currency: ['EUR'], limit: 100 });
  assert.match(list, new RegExp(`- ${id}  succeeded  20\\.00 EUR`));
  assert.doesNotMatch(list, new RegExp(failedId));

  // A scenario file.
  const dir = mkdtempSync(join(tmpdir(), 'perfectpay-agents-'));
  const file = join(dir, 'two-parts.perfectpay.json');
  writeFileSync(file, JSON.stringify(twoPartCapture('agents: two parts')));
  const ran = await tool('perfectpay_run_scenario', { path: file });
  assert.match(ran, /^Scenario "agents: two parts" passed \(7 of 7 steps passed/);
  return answers;
}
