/**
 * `expect_webhook` in scenarios, against the local sandbox delivering to a real webhook inbox (HTTP
 * on loopback, signatures checked): a delivery of the type whose content.object fits passes; a
 * wrong type fails naming the types seen; a forged delivery does not count; a port without an inbox
 * fails saying so; the parser names the line of a bad step.
 */
import assert from 'node:assert/strict';
import { startWebhookInbox, type WebhookInbox } from '../../../src/sandbox/inbox';
import { formatProblem, parseScenario, type Scenario } from '../../../src/scenarioEngine/scenario';
import { runScenario, type ScenarioPort, type ScenarioResult } from '../../../src/scenarioEngine/runner';
import { clientPort } from '../../../src/scenarioEngine/clientPort';
import { useLocalApi } from '../helpers';

const KEY = 'sk_test_scenario_webhooks_0123456789';
const SECRET = 'whsec_scenario_webhooks';
const LOCAL = { kind: 'local' as const, label: 'Local sandbox', supportsSimulate: true };

function scenario(value: unknown): Scenario {
  const r = parseScenario(JSON.stringify(value), { fallbackName: 'webhooks' });
  assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

describe('scenarios: expect_webhook against the local sandbox and a webhook inbox', function () {
  this.timeout(30_000);
  const local = useLocalApi(KEY, { refundDelayMs: 100, webhooks: { secret: SECRET } });
  let inbox: WebhookInbox;
  before(async () => {
    inbox = await startWebhookInbox({ secret: () => SECRET });
    local.sandbox.setWebhookUrl(inbox.url);
  });
  after(() => inbox.close());
  const port = (): ScenarioPort => ({ ...clientPort(local.client), webhookDeliveries: async () => inbox.arrivals().reverse().map((a) => ({ body: a.body, signatureValid: a.valid })) });
  const run = (s: Scenario, p: ScenarioPort = port()): Promise<ScenarioResult> => runScenario(s, p, { environment: LOCAL, pollMs: { first: 50, max: 200 } });

  it("passes on the payment's and its refund's deliveries, with content.object's fields", async () => {
    const r = await run(scenario({ steps: [
      { create: { amount: 1000, currency: 'USD', confirm: true, card: '4242424242424242' } },
      { expect_webhook: { event_type: 'payment_succeeded', fields: { status: 'succeeded', amount: 1000 } } },
      { refund: { amount: 400 } },
      { expect_webhook: { event_type: 'refund_succeeded', fields: { amount: 400, status: 'succeeded' }, within_s: 5 } },
    ] }));
    assert.equal(r.outcome, 'passed', r.message);
    assert.equal(r.steps[1]!.label, '2. expect webhook payment_succeeded with status = succeeded, amount = 1000');
    assert.equal((r.steps[3]!.answer as { event_type: string }).event_type, 'refund_succeeded');
  });

  it('fails on a wrong event type, naming the types received; a forged delivery does not count', async () => {
    const made = await local.client.createPayment({ amount: 1200, currency: 'USD', confirm: true, payment_method: 'card', payment_method_type: 'credit', payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '2040', card_cvc: '123' } } });
    const body = JSON.stringify({ event_id: 'evt_forged', event_type: 'payment_failed', content: { type: 'payment_details', object: { payment_id: made.payment_id, status: 'failed' } } });
    const forged = await fetch(inbox.url, { method: 'POST', headers: { 'x-webhook-signature-512': 'ab'.repeat(64), 'content-type': 'application/json' }, body });
    assert.equal(forged.status, 400);
    const r = await run(scenario({ steps: [
      { retrieve: { payment: made.payment_id } },
      { expect_webhook: { event_type: 'payment_failed', within_s: 0.5 } },
    ] }));
    assert.equal(r.outcome, 'failed');
    assert.equal(r.message, `Step 2. expect webhook payment_failed: expected a payment_failed webhook about ${made.payment_id} within 0.5 s; received payment_succeeded (and 1 with an invalid signature, not counted).`);
    assert.deepEqual(JSON.parse(r.steps[1]!.actual!), { event_types: ['payment_succeeded'] });
  });

  it("fails when the delivery's content.object does not fit, naming the field", async () => {
    const r = await run(scenario({ steps: [
      { create: { amount: 1300, currency: 'USD', confirm: true, card: '4242424242424242' } },
      { expect_webhook: { event_type: 'payment_succeeded', fields: { amount: 999 }, within_s: 0.5 } },
    ] }));
    assert.equal(r.outcome, 'failed');
    assert.equal(r.message, 'Step 2. expect webhook payment_succeeded with amount = 999: a payment_succeeded webhook arrived, but its content.object has amount 1300 (expected 999).');
  });

  it('fails clearly when the port has no webhook inbox', async () => {
    const s = scenario({ steps: [{ create: { amount: 1000, currency: 'USD', confirm: true, card: '4242424242424242' } }, { expect_webhook: { event_type: 'payment_succeeded' } }] });
    const bare = await run(s, clientPort(local.client));
    assert.equal(bare.outcome, 'failed');
    assert.match(bare.message!, /no webhook inbox/);
    const said = await run(s, { ...clientPort(local.client), webhookDeliveries: async () => ({ unavailable: 'no webhook inbox: start one.' }) });
    assert.equal(said.message, 'Step 2. expect webhook payment_succeeded: no webhook inbox: start one.');
  });
});

describe('scenarios: expect_webhook parse problems', () => {
  it('names the line and the field', () => {
    const text = [
      '{ "steps": [',
      '  { "create": { "amount": 1000, "currency": "USD" } },',
      '  { "expect_webhook": { "fields": { "status": "succeeded" } } },',
      '  { "expect_webhook": { "event_type": "payment_suceeded" } },',
      '  { "expect_webhook": { "event_type": "payment_succeeded", "within_s": 500, "within": 3 } },',
      '  { "expect_webhook": { "event_type": "payment_succeeded", "fields": 3 } }',
      '] }',
    ].join('\n');
    const r = parseScenario(text);
    assert.ok(!r.ok);
    assert.deepEqual(r.problems.map(formatProblem), [
      'line 3: steps[1].expect_webhook: needs "event_type": the event the webhook must be, like "payment_succeeded", "payment_failed", "payment_processing"',
      'line 4: steps[2].expect_webhook.event_type: unknown event type "payment_suceeded" (did you mean "payment_succeeded"?)',
      'line 5: steps[3].expect_webhook.within: unknown field "within" (did you mean "within_s"?); expected one of "event_type", "fields", "within_s", "payment"',
      'line 5: steps[3].expect_webhook.within_s: must be a number of seconds above 0 and at most 120, found the number 500',
      'line 6: steps[4].expect_webhook.fields: must be an object of fields of the event\'s content.object, like {"status": "succeeded"}, found the number 3',
    ]);
  });

  it('accepts an event type another server may send, and within_s up to 120', () => {
    const s = scenario({ steps: [{ create: { amount: 1000, currency: 'USD' } }, { expect_webhook: { event_type: 'dispute_opened', within_s: 120 } }] });
    const step = s.steps[1]!;
    assert.ok(step.kind === 'expect_webhook');
    assert.deepEqual([step.eventType, step.timeoutMs, step.fields], ['dispute_opened', 120_000, []]);
  });
});
