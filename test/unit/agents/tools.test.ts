/**
 * The agent tools' definitions and rules, without a server: package.json contributes exactly the
 * definitions (one definition, two adapters), a confirmation says what will be sent and where, agents
 * do not act outside the local sandbox unless allowed, and bad input is answered, not thrown.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkInput, describeCall, methodRequest, METHOD_NAMES, runTool, TOOL_DEFINITIONS, type AgentEnvironment, type AgentPort } from '../../../src/agentTools';

const root = join(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { languageModelTools: Array<Record<string, unknown>>; configuration: { properties: Record<string, { default?: unknown }> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};

const local: AgentEnvironment = { kind: 'local', label: 'Local sandbox', baseUrl: 'http://127.0.0.1:4000', supportsSimulate: true, actionsAllowed: true, allowHint: '' };
const hosted: AgentEnvironment = { kind: 'sandbox', label: 'PerfectPay sandbox', baseUrl: 'https://sandbox.perfectpay.ai', supportsSimulate: false, actionsAllowed: false, allowHint: 'Allow it with X.' };

/** A port whose every call fails the test: for rules that must refuse before anything is sent. */
function untouchable(env: AgentEnvironment): AgentPort {
  return new Proxy({} as AgentPort, {
    get: (_t, key) => (key === 'environment' ? () => env : key === 'secrets' ? () => [] : () => assert.fail(`port.${String(key)} was called`)),
  });
}

describe('agent tools: one definition, two adapters', () => {
  it("package.json's languageModelTools are the definitions: names, model descriptions, input schemas, in order", () => {
    const contributed = pkg.contributes.languageModelTools;
    assert.deepEqual(contributed.map((t) => t.name), TOOL_DEFINITIONS.map((t) => t.name));
    for (const def of TOOL_DEFINITIONS) {
      const t = contributed.find((x) => x.name === def.name)!;
      assert.equal(t.modelDescription, def.modelDescription, def.name);
      assert.deepEqual(t.inputSchema, def.inputSchema, def.name);
      assert.equal(t.canBeReferencedInPrompt, true, def.name);
      assert.ok(Array.isArray(t.tags) && (t.tags as string[]).includes(def.readOnly ? 'read' : 'action'), def.name);
      assert.ok(pkg.activationEvents.includes(`onLanguageModelTool:${def.name}`), `no activation event for ${def.name}`);
    }
  });

  it('has the setting that lets agents act outside the local sandbox: off by default, restricted in untrusted workspaces', () => {
    assert.equal(pkg.contributes.configuration.properties['perfectpay.agents.allowActionsOutsideLocalSandbox']?.default, false);
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('perfectpay.agents.allowActionsOutsideLocalSandbox'));
  });

  it('names every test card and test method, as the palette offers them', () => {
    assert.ok(METHOD_NAMES.includes('card_4242') && METHOD_NAMES.includes('card_0002') && METHOD_NAMES.includes('sepa'));
    assert.equal(new Set(METHOD_NAMES).size, METHOD_NAMES.length);
    const card = methodRequest('card_4242') as { payment_method_data: { card: { card_number: string } } };
    assert.equal(card.payment_method_data.card.card_number, '4242424242424242');
    assert.deepEqual(methodRequest('sepa'), { payment_method: 'bank_transfer', payment_method_type: 'sepa' });
  });
});

describe('agent tools: rules before anything is sent', () => {
  it('a confirmation says what will be sent, and to which environment; a read asks nothing', () => {
    assert.equal(
      describeCall('perfectpay_create_payment', { amount: 2000, currency: 'EUR', capture_method: 'manual_multiple', payment_method: 'card_4242' }, local),
      'Create a payment of 20.00 EUR (capture manual_multiple), confirmed at once with Visa 4242 — succeeds, on Local sandbox (http://127.0.0.1:4000).',
    );
    assert.equal(
      describeCall('perfectpay_capture_payment', { payment_id: 'pay_abc', amount: 1000 }, local, { currency: 'EUR' } as never),
      'Capture 10.00 EUR of pay_abc, on Local sandbox (http://127.0.0.1:4000).',
    );
    assert.equal(describeCall('perfectpay_refund_payment', { payment_id: 'pay_abc' }, hosted), 'Refund all that is left to refund of pay_abc, on PerfectPay sandbox (https://sandbox.perfectpay.ai).');
    assert.equal(describeCall('perfectpay_explain_payment', { payment_id: 'pay_abc' }, local), undefined);
  });

  it('refuses every action outside the local sandbox unless allowed, sending nothing', async () => {
    for (const def of TOOL_DEFINITIONS.filter((t) => !t.readOnly)) {
      const input = def.name === 'perfectpay_run_scenario' ? { path: 'a.perfectpay.json' }
        : def.name === 'perfectpay_create_payment' ? { amount: 100, currency: 'EUR' }
        : { payment_id: 'pay_abc', payment_method: 'card_4242', outcome: 'succeed' };
      const r = await runTool(untouchable(hosted), def.name, Object.fromEntries(Object.entries(input).filter(([k]) => k in def.inputSchema.properties!)));
      assert.equal(r.isError, true, def.name);
      assert.equal(r.text, 'Refused: agents act only on the local sandbox, and the current environment is PerfectPay sandbox (https://sandbox.perfectpay.ai). Allow it with X.', def.name);
    }
  });

  it('answers bad input with a sentence, sending nothing', async () => {
    const port = untouchable(local);
    assert.deepEqual(await runTool(port, 'perfectpay_capture_payment', { payment_id: 'pay_abc', amount: 1.5 }), { text: 'Refused: amount must be a whole number.', isError: true });
    assert.deepEqual(await runTool(port, 'perfectpay_get_payment', {}), { text: 'Refused: payment_id is required.', isError: true });
    assert.match((await runTool(port, 'perfectpay_get_payment', { payment_id: 'pay_abc', amout: 1 })).text, /^Refused: Unknown field amout: expected one of payment_id\.$/);
    assert.match((await runTool(port, 'perfectpay_confirm_payment', { payment_id: 'pay_abc', payment_method: 'card_9999' })).text, /^Refused: payment_method must be one of card_4242, /);
    assert.match((await runTool(port, 'perfectpay_run_scenario', { path: 'notes.txt' })).text, /^Refused: notes\.txt is not a scenario file/);
    assert.equal(checkInput(TOOL_DEFINITIONS[0]!.inputSchema, { status: ['succeeded'], limit: 5 }), undefined);
    assert.equal(checkInput(TOOL_DEFINITIONS[0]!.inputSchema, { status: ['paid'] }), 'status[0] must be one of ' + (TOOL_DEFINITIONS[0]!.inputSchema.properties!.status!.items!.enum!.join(', ')) + ' (got "paid").');
  });
});
