/**
 * The scenario runner against the local sandbox through the real client, over HTTP on loopback:
 * passing and deliberately failing scenarios, `$N` references, `wait`, `expect` with dotted paths
 * and `error: {code}`, the environment rules (nothing sent when refused), cancellation, and the
 * rule that an unsafe step is never sent twice.
 */
import assert from 'node:assert/strict';
import type { RequestEvent } from '../../../src/api';
import { formatProblem, parseScenario, type Scenario } from '../../../src/scenarioEngine/scenario';
import { matches, readPath, runScenario, runWithLimit, type RunEnvironment, type ScenarioPort, type StepEvent } from '../../../src/scenarioEngine/runner';
import { clientPort } from '../../../src/scenarioEngine/clientPort';
import { twoPartCapture } from '../../scenarioFixtures';
import { useLocalApi } from '../helpers';

const KEY = 'sk_test_scenario_runner_0123456789';
const LOCAL: RunEnvironment = { kind: 'local', label: 'Local sandbox', supportsSimulate: true };

function scenario(value: unknown): Scenario {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const r = parseScenario(text, { fallbackName: 'test' });
  assert.ok(r.ok, r.ok ? '' : r.problems.map(formatProblem).join('\n'));
  return r.scenario;
}

describe('scenario runner against the local sandbox (real HTTP)', function () {
  this.timeout(30_000);
  const events: RequestEvent[] = [];
  const local = useLocalApi(KEY, { processingDelayMs: 300 }, { onEvent: (e) => events.push(e) });
  let port: ScenarioPort;

  before(() => {
    port = clientPort(local.client);
  });
  beforeEach(() => {
    events.length = 0;
  });

  it("passes the issue's example: a manual capture in two parts, every step reported as it starts and ends", async () => {
    const s = scenario(twoPartCapture());
    const seen: string[] = [];
    const made: string[] = [];
    const r = await runScenario(s, port, {
      environment: LOCAL,
      onStep: (e: StepEvent) => seen.push(`${e.type} ${e.step.index}${e.type === 'end' ? ` ${e.result.outcome}` : ''}`),
      onPayment: (id) => made.push(id),
    });
    assert.equal(r.outcome, 'passed', r.message);
    assert.deepEqual(r.steps.map((x) => x.outcome), Array(7).fill('passed'));
    assert.equal(r.payments.length, 1);
    assert.deepEqual(made, r.payments);
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6].flatMap((i) => [`start ${i}`, `end ${i} passed`]));
    assert.ok(r.steps.every((x) => x.paymentId === r.payments[0]));
    // The answers kept are redacted: the client secret is cut, no card number.
    const answer = JSON.stringify(r.steps.map((x) => x.answer));
    assert.match(answer, /_secret_••••/);
    assert.doesNotMatch(answer, /4242424242424242/);
    // The confirm's request carried the full card (to the sandbox), nowhere else.
    assert.ok(events.some((e) => e.url.endsWith('/confirm')));
    assert.ok(events.every((e) => !JSON.stringify(e.requestBody ?? {}).includes('4242424242424242')));
  });

  it('fails a deliberately wrong expect: names the step, expected and actual, the field line, the answer; skips the rest', async () => {
    const text = [
      '{ "name": "declined card expected to succeed",',
      '  "steps": [',
      '    { "create": { "amount": 2500, "currency": "EUR" } },',
      '    { "confirm": { "card": "4000000000000002" } },',
      '    { "expect": {',
      '        "payment_method_data.card.last4": "0002",',
      '        "status": "succeeded" } },',
      '    { "capture": {} }',
      '  ] }',
    ].join('\n');
    const r = await runScenario(scenario(text), port, { environment: LOCAL });
    assert.equal(r.outcome, 'failed');
    assert.deepEqual(r.steps.map((x) => x.outcome), ['passed', 'passed', 'failed', 'skipped']);
    const f = r.steps[2]!;
    assert.equal(
      f.message,
      'Step 3. expect payment_method_data.card.last4 = 0002, status = succeeded: status expected "succeeded", got "failed" (error_code card_declined: Your card was declined.).',
    );
    assert.equal(r.message, f.message);
    assert.deepEqual(JSON.parse(f.expected!), { 'payment_method_data.card.last4': '0002', status: 'succeeded' });
    assert.deepEqual(JSON.parse(f.actual!), { 'payment_method_data.card.last4': '0002', status: 'failed' });
    // The failure points at the line of the field that did not match (0-based line 6).
    assert.equal(f.range?.start.line, 6);
    const answer = f.answer as { payment_id: string; status: string; error_code: string };
    assert.equal(answer.payment_id, r.payments[0]);
    assert.equal(answer.error_code, 'card_declined');
    // Nothing was sent for the skipped capture.
    assert.ok(!events.some((e) => e.url.includes('/capture')));
  });

  it('"$N" references: two payments, each step acting on the one it names', async () => {
    const r = await runScenario(
      scenario({
        steps: [
          { create: { amount: 1000, currency: 'USD' } },
          { create: { amount: 2000, currency: 'USD', capture_method: 'manual' } },
          { confirm: { payment: '$1', card: '4111111111111111' } },
          { expect: { status: 'succeeded', amount: 1000 } },
          { confirm: { payment: '$2', card: '4242424242424242' } },
          { expect: { status: 'requires_capture', amount: 2000 } },
          { cancel: { payment: '$2', cancellation_reason: 'duplicate' } },
          { expect: { status: 'cancelled', cancellation_reason: 'duplicate' } },
          { expect: { payment: '$1', status: 'succeeded', amount_received: 1000 } },
        ],
      }),
      port,
      { environment: LOCAL },
    );
    assert.equal(r.outcome, 'passed', r.message);
    assert.equal(r.payments.length, 2);
    const [p1, p2] = r.payments;
    assert.deepEqual(r.steps.map((x) => x.paymentId), [p1, p2, p1, p1, p2, p2, p2, p2, p1]);
  });

  it('wait: polls until the processing card settles, then expect reads the settled answer', async () => {
    const r = await runScenario(
      scenario({
        steps: [
          { create: { amount: 700, currency: 'GBP', confirm: true, card: '4000000000000259' } },
          { expect: { status: 'processing' } },
          { wait: { status: 'succeeded', timeout_s: 10 } },
          { expect: { status: 'succeeded', amount_received: 700, 'next_action': null } },
        ],
      }),
      port,
      { environment: LOCAL, pollMs: { first: 50, max: 200 } },
    );
    assert.equal(r.outcome, 'passed', r.message);
    assert.ok(events.filter((e) => e.method === 'GET').length >= 1, 'wait polled');
  });

  it('wait fails at once when the payment reaches another final status, and on its timeout', async () => {
    const r = await runScenario(
      scenario({ steps: [{ create: { amount: 100, currency: 'USD', confirm: true, card: '4000000000000002' } }, { wait: { status: 'succeeded', timeout_s: 30 } }] }),
      port,
      { environment: LOCAL },
    );
    assert.equal(r.outcome, 'failed');
    assert.match(r.message!, /^Step 2\. wait for succeeded \(30 s\): the payment reached "failed", a final status, while waiting for "succeeded" \(error_code card_declined/);
    const t = await runScenario(
      scenario({ steps: [{ create: { amount: 100, currency: 'USD' } }, { wait: { status: 'succeeded', timeout_s: 0.3 } }] }),
      port,
      { environment: LOCAL, pollMs: { first: 50, max: 100 } },
    );
    assert.equal(t.outcome, 'failed');
    assert.equal(t.message, 'Step 2. wait for succeeded (0.3 s): still "requires_payment_method" after 0.3 s, waiting for "succeeded".');
    assert.deepEqual(JSON.parse(t.steps[1]!.expected!), { status: 'succeeded' });
    assert.deepEqual(JSON.parse(t.steps[1]!.actual!), { status: 'requires_payment_method' });
  });

  it('expect with dotted paths into next_action and the card; simulate completes the 3DS step', async () => {
    const r = await runScenario(
      scenario({
        steps: [
          { create: { amount: 1500, currency: 'USD', capture_method: 'manual' } },
          { confirm: { card: '4000000000003220' } },
          { expect: { status: 'requires_customer_action', 'next_action.type': 'redirect_to_url', 'payment_method_data.card': { last4: '3220' } } },
          { simulate: 'succeed' },
          { expect: { status: 'requires_capture', next_action: null, amount_capturable: 1500 } },
        ],
      }),
      port,
      { environment: LOCAL },
    );
    assert.equal(r.outcome, 'passed', r.message);
  });

  it('capture: {} captures all that is capturable, the amount sent explicitly (not the create\'s smaller amount_to_capture)', async () => {
    const sent: unknown[] = [];
    const recording: ScenarioPort = { ...port, capture: (id, request, signal, before) => (sent.push(request), port.capture(id, request, signal, before)) };
    const r = await runScenario(
      scenario({
        steps: [
          { create: { amount: 1000, currency: 'USD', capture_method: 'manual', amount_to_capture: 800, confirm: true, card: '4242424242424242' } },
          { capture: {} },
          { expect: { status: 'succeeded', amount_received: 1000, amount_capturable: 0 } },
        ],
      }),
      recording,
      { environment: LOCAL },
    );
    assert.equal(r.outcome, 'passed', r.message);
    assert.deepEqual(sent, [{ amount_to_capture: 1000 }]);
  });

  it('error: {code}: a refused step that the next step expects passes, and the payment is checked as it stayed', async () => {
    const r = await runScenario(
      scenario({
        steps: [
          { create: { amount: 1000, currency: 'USD', confirm: true, card: '4242424242424242' } },
          { capture: {} },
          { expect: { error: { code: 'IR_14', message: 'could not be captured' }, status: 'succeeded' } },
          { confirm: { card: '4242424242424242' } },
          { expect: { error: { code: 'IR_14', type: 'invalid_request' } } },
        ],
      }),
      port,
      { environment: LOCAL },
    );
    assert.equal(r.outcome, 'passed', r.message);
    assert.deepEqual(r.steps.map((x) => [x.outcome, x.error?.code]), [['passed', undefined], ['passed', 'IR_14'], ['passed', undefined], ['passed', 'IR_14'], ['passed', undefined]]);
  });

  it('error: {code} fails when the step succeeds, or is refused with another code', async () => {
    const ok = await runScenario(
      scenario({ steps: [{ create: { amount: 1000, currency: 'USD' } }, { cancel: {} }, { expect: { error: { code: 'IR_16' } } }] }),
      port,
      { environment: LOCAL },
    );
    assert.equal(ok.outcome, 'failed');
    assert.equal(ok.message, 'Step 3. expect error IR_16: expected step 2. cancel to be refused with IR_16, but it succeeded: the payment is "cancelled".');
    const other = await runScenario(
      scenario({ steps: [{ create: { amount: 1000, currency: 'USD' } }, { capture: {} }, { expect: { error: { code: 'IR_16' } } }] }),
      port,
      { environment: LOCAL },
    );
    assert.equal(other.outcome, 'failed');
    assert.match(other.message!, /^Step 3\. expect error IR_16: step 2\. capture all was refused with IR_14 \(HTTP 400\): This Payment could not be captured because it has a (payment\.)?status of requires_payment_method\..*; expected IR_16\.$/);
    assert.deepEqual(JSON.parse(other.steps[2]!.expected!), { error: { code: 'IR_16' } });
    assert.equal(JSON.parse(other.steps[2]!.actual!).error.code, 'IR_14');
  });

  it('a refusal nobody expected fails its step with the API error', async () => {
    const r = await runScenario(
      scenario({ steps: [{ create: { amount: 0, currency: 'USD' } }, { expect: { status: 'requires_payment_method' } }] }),
      port,
      { environment: LOCAL },
    );
    assert.equal(r.outcome, 'failed');
    assert.equal(r.message, 'Step 1. create 0.00 USD: refused with IR_07 (HTTP 400): Invalid value provided: amount');
    assert.deepEqual(r.steps.map((x) => x.outcome), ['failed', 'skipped']);
    assert.equal((r.steps[0]!.answer as { error: { code: string } }).error.code, 'IR_07');
  });

  it('refuses before sending anything: another environment, a custom URL not named, simulate where there is none', async () => {
    const s = scenario({ environment: 'sandbox', steps: [{ create: { amount: 1, currency: 'USD' } }] });
    const r = await runScenario(s, port, { environment: LOCAL });
    assert.equal(r.outcome, 'refused');
    assert.equal(r.message, 'Not run: this scenario says "environment": "sandbox", and the current environment is Local sandbox. Switch with "PerfectPay: Select Environment".');
    assert.deepEqual(r.steps.map((x) => x.outcome), ['skipped']);

    const custom: RunEnvironment = { kind: 'custom', label: `Custom (${local.sandbox.url})`, supportsSimulate: false };
    const plain = scenario({ steps: [{ create: { amount: 1, currency: 'USD' } }] });
    const c = await runScenario(plain, port, { environment: custom });
    assert.equal(c.outcome, 'refused');
    assert.match(c.message!, /does not say "environment": "custom"/);
    // Said explicitly, it runs there.
    const explicit = await runScenario(scenario({ environment: 'custom', steps: [{ create: { amount: 1, currency: 'USD' } }] }), port, { environment: custom });
    assert.equal(explicit.outcome, 'passed', explicit.message);

    const sandboxEnv: RunEnvironment = { kind: 'sandbox', label: 'PerfectPay sandbox', supportsSimulate: false };
    const sim = await runScenario(scenario({ steps: [{ create: { amount: 1, currency: 'USD' } }, { simulate: 'expire' }] }), port, { environment: sandboxEnv });
    assert.equal(sim.outcome, 'refused');
    assert.equal(sim.message, "Not run: step 2 simulates the customer's step, which only the local sandbox can do; the current environment is PerfectPay sandbox.");
    assert.equal(events.filter((e) => e.method === 'POST').length, 1, 'only the explicit custom scenario sent anything');
  });

  it('cancellation: aborting stops the step in flight and skips the rest', async () => {
    const ac = new AbortController();
    const r = await runScenario(
      scenario({ steps: [{ create: { amount: 100, currency: 'USD' } }, { wait: { status: 'succeeded', timeout_s: 60 } }, { cancel: {} }] }),
      port,
      {
        environment: LOCAL,
        signal: ac.signal,
        pollMs: { first: 5_000, max: 5_000 },
        onStep: (e) => {
          if (e.type === 'end' && e.step.kind === 'create') queueMicrotask(() => ac.abort());
        },
      },
    );
    assert.equal(r.outcome, 'cancelled');
    assert.deepEqual(r.steps.map((x) => x.outcome), ['passed', 'skipped', 'skipped']);
    assert.ok(!events.some((e) => e.url.endsWith('/cancel')));
  });
});

describe('scenario runner: safety and helpers (no server)', () => {
  const answer = (status: string) => ({ payment_id: 'pay_safetysafetysafety01', status });

  it('a lost confirm answer is reported, never sent again', async () => {
    let confirms = 0;
    const fake: ScenarioPort = {
      create: async () => answer('requires_payment_method'),
      confirm: async () => {
        confirms++;
        throw Object.assign(new Error('The answer to confirm was lost (Could not reach x: the connection was reset). The payment was re-read and is now "processing": check it before trying again.'), {
          kind: 'lost_answer',
          payment: answer('processing'),
        });
      },
      capture: async () => answer('x'),
      cancel: async () => answer('x'),
      retrieve: async () => answer('processing'),
      simulate: async () => answer('x'),
      refund: async () => ({ refund_id: 'ref_x', payment_id: 'pay_x', status: 'succeeded' }),
    };
    const s = parseScenario(JSON.stringify({ steps: [{ create: { amount: 1, currency: 'USD' } }, { confirm: { card: '4242424242424242' } }, { expect: { status: 'succeeded' } }] }));
    assert.ok(s.ok);
    const r = await runScenario(s.scenario, fake, { environment: LOCAL });
    assert.equal(confirms, 1);
    assert.equal(r.outcome, 'failed');
    assert.match(r.message!, /^Step 2\. confirm card •••• 4242: The answer to confirm was lost .* \(not retried\)$/);
    assert.equal((r.steps[1]!.answer as { payment: { status: string } }).payment.status, 'processing');
  });

  it('masks a card number that the file itself puts in an expect (message, expected and actual)', async () => {
    const fake: ScenarioPort = {
      create: async () => ({ ...answer('requires_payment_method'), payment_method_data: { card: { last4: '4242' } } }),
      confirm: async () => answer('x'),
      capture: async () => answer('x'),
      cancel: async () => answer('x'),
      retrieve: async () => answer('x'),
      simulate: async () => answer('x'),
      refund: async () => ({ refund_id: 'ref_x', payment_id: 'pay_x', status: 'succeeded' }),
    };
    const s = parseScenario(JSON.stringify({ steps: [{ create: { amount: 1, currency: 'USD' } }, { expect: { 'payment_method_data.card.card_number': '4242424242424242' } }] }));
    assert.ok(s.ok);
    const r = await runScenario(s.scenario, fake, { environment: LOCAL });
    assert.equal(r.outcome, 'failed');
    const f = r.steps[1]!;
    assert.doesNotMatch([f.message, f.expected, f.actual, r.message, f.label].join('\n'), /4242424242424242/);
    assert.match(f.message!, /payment_method_data\.card\.card_number expected "•••• 4242", got \(absent\)/);
  });

  it('runWithLimit runs at most N at a time and keeps the order', async () => {
    let active = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const p = runWithLimit([1, 2, 3, 4, 5, 6, 7, 8, 9], 4, async (x) => {
      active++;
      most = Math.max(most, active);
      await new Promise<void>((r) => gates.push(r));
      active--;
      return x * 10;
    });
    while (gates.length || active) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    assert.deepEqual(await p, [10, 20, 30, 40, 50, 60, 70, 80, 90]);
    assert.equal(most, 4);
  });

  it('readPath and matches: dotted paths, list indexes, subsets, null for absent', () => {
    const p = { a: { b: [{ c: 1 }, { c: 2 }] }, n: null };
    assert.equal(readPath(p, 'a.b.1.c'), 2);
    assert.equal(readPath(p, 'a.x.y'), undefined);
    assert.ok(matches({ c: 1 }, { c: 1, d: 2 }));
    assert.ok(!matches({ c: 1, d: 3 }, { c: 1, d: 2 }));
    assert.ok(matches(null, undefined) && matches(null, null) && !matches(null, 0));
    assert.ok(matches([1, { x: 1 }], [1, { x: 1, y: 2 }]) && !matches([1], [1, 2]));
    assert.ok(!matches(1000, '1000'));
  });
});
