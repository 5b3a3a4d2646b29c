// The payment tools for agents inside a real VS Code: every tool invoked through vscode.lm.invokeTool on
// the local sandbox (test/agentFlow.ts: a manual_multiple payment created, captured in part, explained;
// a capture refused with the reason on a failed payment; no secret in any answer), the confirmation
// each action asks for, and no action outside the local sandbox unless the setting allows it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TOOL_DEFINITIONS } from '../../src/agentTools/definitions';
import type { PerfectPayTestApi } from '../../src/extension';
import { agentFlow, assertNoSecret, type ToolCallResult } from '../agentFlow';
import { api, settings } from './helpers';

async function invoke(name: string, input: Record<string, unknown>): Promise<ToolCallResult> {
  const r = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const text = r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
  return { text, isError: /^(Refused|Failed): /.test(text) };
}

/** The confirmation's text as shown: its Markdown escapes removed. */
const messageText = (m: string | vscode.MarkdownString | undefined) => (typeof m === 'string' ? m : m?.value ?? '').replace(/\\(.)/g, '$1');

describe('agents: the language model tools', function () {
  this.timeout(120_000);
  let a: PerfectPayTestApi;

  before(async () => {
    a = await api();
    await settings({ environment: 'local', baseUrl: '', 'agents.allowActionsOutsideLocalSandbox': false });
    // A modal dialog is how VS Code confirms a tool invoked outside a chat: no test can answer it. What
    // each action asks is read through prepare() below.
    a.agents.confirmActions = false;
  });
  after(async () => {
    a.agents.confirmActions = true;
    await settings({ environment: 'local', baseUrl: '', 'agents.allowActionsOutsideLocalSandbox': undefined });
  });

  it('registers every tool of the definitions', () => {
    assert.deepEqual(a.agents.names, TOOL_DEFINITIONS.map((t) => t.name));
    const known = vscode.lm.tools.map((t) => t.name);
    for (const t of TOOL_DEFINITIONS) assert.ok(known.includes(t.name), `${t.name} is not among vscode.lm.tools`);
    const explain = vscode.lm.tools.find((t) => t.name === 'perfectpay_explain_payment')!;
    assert.deepEqual(explain.inputSchema, TOOL_DEFINITIONS.find((t) => t.name === explain.name)!.inputSchema);
  });

  it('runs every tool through vscode.lm.invokeTool on the local sandbox, no secret in any answer', async () => {
    await a.service.listPayments({ limit: 1 }); // the local sandbox is up: its key is known
    const key = a.terminalEnvironment.get('PERFECTPAY_API_KEY')?.value;
    assert.ok(key, 'the local sandbox key is in the terminal environment');
    const answers = await agentFlow(invoke, [key], /^Inspector: command:perfectpay\.inspectPayment\?%5B%22pay_\w+%22%5D$/);
    assert.ok(answers.length > 15);
    // What the tools did is in the history like any command's (the timeline the inspector shows).
    const id = /\bpay_[a-z0-9]+/.exec(answers[0]!.text)![0];
    assert.deepEqual(a.service.history(id).filter((o) => o.cause !== 'retrieve').map((o) => o.cause), ['create', 'capture', 'capture', 'refund']);
    // The link opens the inspector's command with the payment's id.
    const link = answers[0]!.text.split('\n').at(-1)!.replace(/^Inspector: /, '');
    assert.deepEqual(JSON.parse(decodeURIComponent(vscode.Uri.parse(link).query)), [id]);
  });

  it('asks before an action: what will be sent and to which environment; a read asks nothing', async () => {
    const baseUrl = a.service.environment().baseUrl;
    assert.ok(baseUrl);
    const create = a.agents.prepare('perfectpay_create_payment', { amount: 2000, currency: 'EUR', capture_method: 'manual_multiple', payment_method: 'card_4242' });
    assert.ok(create?.confirmationMessages);
    assert.equal(
      messageText(create.confirmationMessages.message),
      `Create a payment of 20.00 EUR (capture manual_multiple), confirmed at once with Visa 4242 — succeeds, on Local sandbox (${baseUrl}).`,
    );
    assert.equal(a.agents.prepare('perfectpay_get_payment', { payment_id: 'pay_abcdefghijklmnopqrst' })?.confirmationMessages, undefined);
  });

  it('refuses actions outside the local sandbox unless perfectpay.agents.allowActionsOutsideLocalSandbox allows them', async () => {
    try {
      await settings({ environment: 'custom', baseUrl: 'https://payments.example.invalid' });
      assert.equal(a.service.environment().kind, 'custom');
      const r = await invoke('perfectpay_create_payment', { amount: 100, currency: 'EUR' });
      assert.equal(r.isError, true);
      assert.match(r.text, /^Refused: agents act only on the local sandbox, and the current environment is Custom .*payments\.example\.invalid.*Set "perfectpay\.agents\.allowActionsOutsideLocalSandbox" to true/);
      assertNoSecret(r.text, []);
      // Nothing to confirm where nothing is sent; allowed, the confirmation names the environment.
      assert.equal(a.agents.prepare('perfectpay_create_payment', { amount: 100, currency: 'EUR' })?.confirmationMessages, undefined);
      await settings({ 'agents.allowActionsOutsideLocalSandbox': true });
      const asked = a.agents.prepare('perfectpay_cancel_payment', { payment_id: 'pay_abcdefghijklmnopqrst' });
      assert.match(messageText(asked?.confirmationMessages?.message), /^Cancel pay_abcdefghijklmnopqrst, on Custom \(https:\/\/payments\.example\.invalid\)\.$/);
    } finally {
      await settings({ environment: 'local', baseUrl: '', 'agents.allowActionsOutsideLocalSandbox': false });
    }
  });
});
