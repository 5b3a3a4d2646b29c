/**
 * Refunds in scenarios, against the local sandbox through the real client (HTTP on loopback): the
 * `refund` step (amount, reason; all that is left when no amount), `expect` on the last refund's
 * fields ("refund.status"), `wait` for a refund status (the delayed refund cards), an expected
 * IR_13, and "New Scenario from Payment" writing refunds that replay.
 */
import assert from 'node:assert/strict';
import type { Payment } from '../../../src/api';
import { describeMethod } from '../../../src/domain/cards';
import { observationOf, type ObservationCause, type ObservationExtra, type PaymentObservation } from '../../../src/model/history';
import { formatProblem, parseScenario, type Scenario } from '../../../src/scenarioEngine/scenario';
import { formatScenarioJson, scenarioFromHistory } from '../../../src/scenarioEngine/fromHistory';
import { runScenario, type ScenarioResult } from '../../../src/scenarioEngine/runner';
import { clientPort } from '../../../src/scenarioEngine/clientPort';
import { useLocalApi, waitFor } from '../helpers';

const KEY = 'sk_test_scenario_refunds_0123456789';
const LOCAL = { kind: 'local' as const, label: 'Local sandbox', supportsSimulate: true };

function scenario(value: unknown): Scenario {
  const r = parseScenario(typeof value === 'string' ? value : JSON.stringify(value), { fallbackName: 'refunds' });
  assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

describe('scenarios: refunds against the local sandbox', function () {
  this.timeout(30_000);
  const local = useLocalApi(KEY, { refundDelayMs: 150 });
  const run = (s: Scenario): Promise<ScenarioResult> => runScenario(s, clientPort(local.client), { environment: LOCAL, pollMs: { first: 50, max: 200 } });

  it('a partial refund, then all that is left; an over-refund expected as IR_13; expect on refund.* and on the payment', async () => {
    const r = await run(scenario({ steps: [
      { create: { amount: 4999, currency: 'USD', confirm: true, card: '4242424242424242' } },
      { refund: { amount: 1200, reason: 'duplicate' } },
      { expect: { 'refund.status': 'succeeded', 'refund.amount': 1200, 'refund.reason': 'duplicate', 'refunds.0.amount': 1200, amount_received: 4999 } },
      { refund: { amount: 5000 } },
      { expect: { error: { code: 'IR_13', message: 'exceeds the amount captured' } } },
      { refund: {} },
      { expect: { 'refund.amount': 3799, 'refund.status': 'succeeded', 'refunds.1.amount': 3799 } },
    ] }));
    assert.equal(r.outcome, 'passed', r.message);
    assert.deepEqual(r.steps.map((s) => s.label), ['1. create 49.99 USD with card •••• 4242, confirmed', '2. refund 1200 (duplicate)',
      r.steps[2]!.label, '4. refund 5000', r.steps[4]!.label, '6. refund all', r.steps[6]!.label]);
  });

  it('wait for a refund status: card 5126 pending, then failed; a wrong expectation names the refund field', async () => {
    const ok = await run(scenario({ steps: [
      { create: { amount: 1000, currency: 'USD', confirm: true, card: '4000000000005126' } },
      { refund: {} },
      { expect: { 'refund.status': 'pending' } },
      { wait: { refund_status: 'failed', timeout_s: 10 } },
      { expect: { 'refund.status': 'failed', 'refund.error_code': 'refund_failed' } },
    ] }));
    assert.equal(ok.outcome, 'passed', ok.message);
    const bad = await run(scenario({ steps: [
      { create: { amount: 1000, currency: 'USD', confirm: true, card: '4000000000005126' } },
      { refund: { amount: 500 } },
      { wait: { refund_status: 'succeeded', timeout_s: 10 } },
    ] }));
    assert.equal(bad.outcome, 'failed');
    assert.match(bad.message!, /^Step 3\. wait for refund succeeded \(10 s\): the refund reached "failed", a final status, while waiting for "succeeded"\.$/);
  });

  it('parses refund steps, and refuses what is wrong in them with the line and field', () => {
    const r = parseScenario(JSON.stringify({ steps: [
      { create: { amount: 1000, currency: 'USD' } },
      { refund: { amount: '10', cause: 'x' } },
      { wait: { status: 'succeeded', refund_status: 'failed' } },
    ] }));
    assert.ok(!r.ok);
    assert.deepEqual(r.problems.map((p) => p.path), ['steps[1].refund.cause', 'steps[1].refund.amount', 'steps[2].wait']);
  });

  it('"New Scenario from Payment" writes each refund (and how it ended), and the scenario replays', async () => {
    const history: PaymentObservation[] = [];
    let last: Payment | undefined;
    const see = (p: Payment, cause: ObservationCause, extra: ObservationExtra = {}): Payment => {
      history.push(observationOf(p, cause, new Date().toISOString(), extra));
      last = p;
      return p;
    };
    const confirm = { payment_method: 'card', payment_method_type: 'credit', payment_method_data: { card: { card_number: '4000000000005126', card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } } };
    const p = see(await local.client.createPayment({ amount: 2000, currency: 'USD', description: 'Order 77', confirm: true, ...confirm }), 'create', { method: describeMethod(confirm) });
    const refund = await local.client.createRefund({ payment_id: p.payment_id, amount: 700, reason: 'duplicate' });
    see(await local.client.retrievePayment(p.payment_id), 'refund', { refund_amount: refund.amount, refund_reason: 'duplicate' });
    // The refund ends (failed, card 5126) and a read sees it.
    let now = p;
    await waitFor(async () => (now = await local.client.retrievePayment(p.payment_id)).refunds?.[0]?.status === 'failed', 'the refund failed');
    see(now, 'retrieve');
    const text = formatScenarioJson(scenarioFromHistory(last!, history));
    assert.match(text, /\{ "refund": \{ "amount": 700, "reason": "duplicate" \} \},\n {4}\{ "wait": \{ "refund_status": "failed", "timeout_s": 30 \} \},\n {4}\{ "expect": \{ "refund\.amount": 700, "refund\.status": "failed", "refund\.error_code": "refund_failed" \} \}/);
    assert.match(text, /"card": "4000000000005126"/, 'the refund test card, not a stand-in');
    const replay = await run(scenario(text));
    assert.equal(replay.outcome, 'passed', replay.message);
  });
});
