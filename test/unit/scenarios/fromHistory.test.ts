/**
 * "New Scenario from Payment": a payment's history (as the service records it) becomes a scenario
 * file that parses and, run again against the local sandbox, passes.
 */
import assert from 'node:assert/strict';
import type { Payment } from '../../../src/api';
import { describeMethod } from '../../../src/domain/cards';
import { observationOf, type ObservationCause, type PaymentObservation } from '../../../src/model/history';
import { formatProblem, parseScenario } from '../../../src/scenarioEngine/scenario';
import { formatScenarioJson, isInsideFolder, scenarioFileName, scenarioFromHistory } from '../../../src/scenarioEngine/fromHistory';
import { runScenario } from '../../../src/scenarioEngine/runner';
import { clientPort } from '../../../src/scenarioEngine/clientPort';
import { useLocalApi } from '../helpers';

const KEY = 'sk_test_from_history_0123456789';
const card = (n: string) => ({ payment_method: 'card', payment_method_type: 'credit', payment_method_data: { card: { card_number: n, card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } } });

describe('scenario from a payment history', function () {
  this.timeout(30_000);
  const local = useLocalApi(KEY, { processingDelayMs: 200 });

  /** Records what the service would: one observation per answer. */
  function recorder() {
    const history: PaymentObservation[] = [];
    let last: Payment | undefined;
    const see = (p: Payment, cause: ObservationCause, extra: Pick<PaymentObservation, 'amount_to_capture' | 'method'> = {}): Payment => {
      history.push(observationOf(p, cause, new Date().toISOString(), extra));
      last = p;
      return p;
    };
    return { history, see, last: () => last! };
  }

  async function replay(text: string): Promise<void> {
    const r = parseScenario(text);
    assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
    const result = await runScenario(r.scenario, clientPort(local.client), { environment: { kind: 'local', label: 'Local sandbox', supportsSimulate: true }, pollMs: { first: 50, max: 200 } });
    assert.equal(result.outcome, 'passed', result.message);
  }

  it('a manual_multiple payment captured in two parts: create, confirm, two captures, each with its expect', async () => {
    const h = recorder();
    const p = h.see(await local.client.createPayment({ amount: 1000, currency: 'USD', capture_method: 'manual_multiple', description: 'Order 1001' }), 'create');
    const confirm = card('4242424242424242');
    h.see(await local.client.confirmPayment(p.payment_id, confirm), 'confirm', { method: describeMethod(confirm) });
    h.see(await local.client.capturePayment(p.payment_id, { amount_to_capture: 400 }), 'capture', { amount_to_capture: 400 });
    h.see(await local.client.capturePayment(p.payment_id, {}), 'capture');
    const json = scenarioFromHistory(h.last(), h.history);
    const text = formatScenarioJson(json);
    assert.equal(
      text,
      [
        '{',
        `  "name": "Order 1001 (from ${p.payment_id})",`,
        `  "description": "Reproduces ${p.payment_id} as this window saw it.",`,
        '  "steps": [',
        '    { "create": { "amount": 1000, "currency": "USD", "capture_method": "manual_multiple", "description": "Order 1001" } },',
        '    { "expect": { "status": "requires_payment_method" } },',
        '    { "confirm": { "card": "4242424242424242" } },',
        '    { "expect": { "status": "requires_capture", "amount_capturable": 1000 } },',
        '    { "capture": { "amount_to_capture": 400 } },',
        '    { "expect": { "status": "partially_captured_and_capturable", "amount_capturable": 600, "amount_received": 400 } },',
        '    { "capture": {} },',
        '    { "expect": { "status": "succeeded", "amount_received": 1000 } }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    assert.equal(scenarioFileName(p.payment_id, h.last().description), `order-1001-${p.payment_id.slice(0, 16)}.perfectpay.json`);
    await replay(text);
  });

  it('names the file from the id asked for, keeping only [a-z0-9_-]: no separator or ".." can name another folder', () => {
    assert.equal(scenarioFileName('pay_abc123def456ghi789', 'Order #1001'), 'order-1001-pay_abc123def456.perfectpay.json');
    assert.equal(scenarioFileName('PAY_ABC-def'), 'pay_abc-def.perfectpay.json');
    for (const hostile of ['../../../../tmp/evil', '..\\..\\evil', 'pay_/../../x', '/etc/passwd', '..', '.', '%2e%2e%2fx', 'pay_\u0000x']) {
      const name = scenarioFileName(hostile, '../.. / up');
      assert.match(name, /^[a-z0-9_-]+\.perfectpay\.json$/, `${hostile} → ${name}`);
      assert.ok(isInsideFolder('/w/scenarios', `/w/scenarios/${name}`), name);
    }
    assert.equal(scenarioFileName('../..'), 'payment.perfectpay.json');
    // The containment check itself.
    assert.equal(isInsideFolder('/w/scenarios', '/w/scenarios/a.perfectpay.json'), true);
    assert.equal(isInsideFolder('/w/scenarios', '/w/scenarios/../evil.perfectpay.json'), false);
    assert.equal(isInsideFolder('/w/scenarios', '/w/scenarios-x/a.perfectpay.json'), false);
    assert.equal(isInsideFolder('/w/scenarios', '/tmp/evil.perfectpay.json'), false);
    assert.equal(isInsideFolder('/w/scenarios/', '/w/scenarios/'), false);
  });

  it('created and confirmed at once with a 3DS card, completed by simulate', async () => {
    const h = recorder();
    const req = { amount: 2500, currency: 'EUR', confirm: true, ...card('4000000000003220') };
    const p = h.see(await local.client.createPayment(req), 'create', { method: describeMethod(req) });
    h.see(await local.client.simulateCustomerAction(p.payment_id, 'succeed'), 'simulate');
    const json = scenarioFromHistory(h.last(), h.history);
    assert.equal(json.environment, 'local', 'simulate needs the local sandbox');
    assert.deepEqual(json.steps, [
      { create: { amount: 2500, currency: 'EUR', card: '4000000000003220', confirm: true } },
      { expect: { status: 'requires_customer_action', 'next_action.type': 'redirect_to_url' } },
      { simulate: 'succeed' },
      { expect: { status: 'succeeded', amount_received: 2500 } },
    ]);
    await replay(formatScenarioJson(json));
  });

  it('a processing payment that settled on a read becomes a wait; a declined card keeps its code', async () => {
    const h = recorder();
    const p = h.see(await local.client.createPayment({ amount: 300, currency: 'USD' }), 'create');
    const c = card('4000000000000259');
    h.see(await local.client.confirmPayment(p.payment_id, c), 'confirm', { method: describeMethod(c) });
    let now = await local.client.retrievePayment(p.payment_id);
    while (now.status === 'processing') now = await local.client.retrievePayment(p.payment_id);
    h.see(now, 'poll');
    const json = scenarioFromHistory(h.last(), h.history);
    assert.deepEqual((json.steps as unknown[]).slice(2), [
      { confirm: { card: '4000000000000259' } },
      { expect: { status: 'processing' } },
      { wait: { status: 'succeeded', timeout_s: 30 } },
      { expect: { status: 'succeeded', amount_received: 300 } },
    ]);
    await replay(formatScenarioJson(json));

    const d = recorder();
    const q = d.see(await local.client.createPayment({ amount: 300, currency: 'USD' }), 'create');
    const declined = card('4000000000000002');
    d.see(await local.client.confirmPayment(q.payment_id, declined), 'confirm', { method: describeMethod(declined) });
    const dj = scenarioFromHistory(d.last(), d.history);
    assert.deepEqual((dj.steps as unknown[])[3], { expect: { status: 'failed', error_code: 'card_declined' } });
    await replay(formatScenarioJson(dj));
  });

  it('a card that is not a test card: Visa 4242 stands in, and the description says so; no history: a new payment like it', () => {
    const facts = { payment_id: 'pay_abcdefghijklmnopqrstuvwxyz', status: 'succeeded', amount: 100, currency: 'USD', description: null };
    const history: PaymentObservation[] = [
      { at: 'x', cause: 'create', status: 'requires_payment_method' },
      { at: 'y', cause: 'confirm', status: 'succeeded', method: 'card •••• 1881', amount_received: 100 },
    ];
    const json = scenarioFromHistory(facts, history);
    assert.match(String(json.description), /the card •••• 1881 is not a test card: Visa 4242 stands in/);
    assert.deepEqual((json.steps as unknown[])[2], { confirm: { card: '4242424242424242' } });
    const none = scenarioFromHistory({ ...facts, payment_method_data: { card: { last4: '0002' } }, status: 'failed', error_code: 'card_declined' }, []);
    assert.deepEqual(none.steps, [
      { create: { amount: 100, currency: 'USD' } },
      { expect: { status: 'requires_payment_method' } },
      { confirm: { card: '4000000000000002' } },
      { expect: { status: 'failed', error_code: 'card_declined' } },
    ]);
    assert.ok(parseScenario(formatScenarioJson(none)).ok);
  });
});
