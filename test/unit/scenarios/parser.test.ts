/**
 * The scenario language: good files parse into steps with their lines; wrong files get problems
 * that name the line and the field.
 */
import assert from 'node:assert/strict';
import { formatProblem, parseScenario, STEP_KINDS, type ParseResult, type Scenario } from '../../../src/scenarioEngine/scenario';
import { parseJsonTree, JsonSyntaxError, toValue } from '../../../src/scenarioEngine/json';

const NOW = new Date('2026-11-24T15:04:05.000Z');

function ok(text: string): Scenario {
  const r = parseScenario(text, { now: NOW, fallbackName: 'fallback' });
  assert.ok(r.ok, `expected the file to parse, got:\n${r.ok ? '' : r.problems.map(formatProblem).join('\n')}`);
  return r.scenario;
}

/** The problems as "line N: path: message" lines. */
function problems(text: string): string[] {
  const r: ParseResult = parseScenario(text, { now: NOW });
  assert.ok(!r.ok, 'expected problems, the file parsed');
  return r.problems.map(formatProblem);
}

function lines(...ls: string[]): string {
  return ls.join('\n');
}

const ISSUE_EXAMPLE = lines(
  '{ "name": "manual capture in two parts",',
  '  "environment": "local",',
  '  "steps": [',
  '    { "create":   { "amount": 1000, "currency": "USD", "capture_method": "manual_multiple" } },',
  '    { "confirm":  { "card": "4242424242424242" } },',
  '    { "expect":   { "status": "requires_capture", "amount_capturable": 1000 } },',
  '    { "capture":  { "amount_to_capture": 400 } },',
  '    { "expect":   { "status": "partially_captured_and_capturable" } },',
  '    { "capture":  {} },',
  '    { "expect":   { "status": "succeeded", "amount_received": 1000 } }',
  '  ] }',
);

describe('scenario parser', () => {
  it("parses the issue's example: steps, kinds, labels, lines", () => {
    const s = ok(ISSUE_EXAMPLE);
    assert.equal(s.name, 'manual capture in two parts');
    assert.equal(s.environment, 'local');
    assert.deepEqual(s.steps.map((x) => x.kind), ['create', 'confirm', 'expect', 'capture', 'expect', 'capture', 'expect']);
    assert.deepEqual(s.steps.map((x) => x.range.start.line), [3, 4, 5, 6, 7, 8, 9]);
    assert.equal(s.nameRange.start.line, 0);
    assert.equal(s.steps[0]!.label, '1. create 10.00 USD (manual_multiple)');
    // The card number is never shown, only its last four.
    assert.equal(s.steps[1]!.label, '2. confirm card •••• 4242');
    assert.equal(s.steps[2]!.label, '3. expect status = requires_capture, amount_capturable = 1000');
    assert.equal(s.steps[3]!.label, '4. capture 400');
    assert.equal(s.steps[5]!.label, '6. capture all');
    const confirm = s.steps[1]!;
    assert.equal(confirm.kind, 'confirm');
    assert.deepEqual(confirm.kind === 'confirm' && confirm.request, {
      payment_method: 'card',
      payment_method_type: 'credit',
      payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '29', card_cvc: '123', card_holder_name: 'PerfectPay Test' } },
    });
    const expect = s.steps[2]!;
    assert.ok(expect.kind === 'expect');
    assert.deepEqual(expect.fields.map((f) => [f.path, f.value, f.range.start.line]), [['status', 'requires_capture', 5], ['amount_capturable', 1000, 5]]);
  });

  it('reads every step kind, $N references, dotted paths, error expectations, wait and simulate', () => {
    const s = ok(lines(
      '{',
      '  "steps": [',
      '    { "create": { "amount": 500, "currency": "JPY", "confirm": true, "card": { "card_number": "4000 0000 0000 3220", "card_cvc": "999" } } },',
      '    { "create": { "amount": 1000, "currency": "EUR" } },',
      '    { "expect": { "next_action.type": "redirect_to_url", "payment": "$1" } },',
      '    { "simulate": "succeed" },',
      '    { "simulate": { "outcome": "fail", "payment": "$2" } },',
      '    { "capture": { "payment": "$1" } },',
      '    { "expect": { "error": { "code": "IR_14", "message": "could not be captured" } } },',
      '    { "cancel": { "cancellation_reason": "duplicate", "payment": "$2" } },',
      '    { "retrieve": { "payment": "pay_abcdefghijklmnopqrst" } },',
      '    { "wait": { "status": ["succeeded", "failed"], "timeout_s": 5, "payment": "$1" } },',
      '    { "confirm": { "payment": "$2", "payment_method": "bank_transfer", "payment_method_type": "pix" } }',
      '  ]',
      '}',
    ));
    assert.equal(s.name, 'fallback');
    assert.equal(s.environment, undefined);
    const [c1, , e1, sim1, sim2, cap, e2, cancel, retrieve, wait, confirm] = s.steps;
    assert.ok(c1?.kind === 'create');
    assert.equal(c1.request.confirm, true);
    assert.equal((c1.request.payment_method_data as { card: { card_number: string; card_cvc: string } }).card.card_number, '4000000000003220');
    assert.equal((c1.request.payment_method_data as { card: { card_cvc: string } }).card.card_cvc, '999');
    assert.equal(c1.label, '1. create 500 JPY with card •••• 3220, confirmed');
    assert.deepEqual(e1?.payment, { kind: 'step', step: 0, text: '$1' });
    assert.ok(sim1?.kind === 'simulate' && sim1.outcome === 'succeed' && sim1.payment === undefined);
    assert.ok(sim2?.kind === 'simulate' && sim2.outcome === 'fail');
    assert.deepEqual(sim2.payment, { kind: 'step', step: 1, text: '$2' });
    assert.ok(cap?.kind === 'capture' && Object.keys(cap.request).length === 0);
    assert.ok(e2?.kind === 'expect');
    assert.deepEqual({ code: e2.error?.code, message: e2.error?.message }, { code: 'IR_14', message: 'could not be captured' });
    assert.equal(e2.label, '7. expect error IR_14 "could not be captured"');
    assert.ok(cancel?.kind === 'cancel' && cancel.request.cancellation_reason === 'duplicate');
    assert.deepEqual(retrieve?.payment, { kind: 'id', id: 'pay_abcdefghijklmnopqrst' });
    assert.ok(wait?.kind === 'wait');
    assert.deepEqual([wait.statuses, wait.timeoutMs], [['succeeded', 'failed'], 5000]);
    assert.equal(wait.label, '10. wait $1 for succeeded or failed (5 s)');
    assert.ok(confirm?.kind === 'confirm');
    assert.deepEqual(confirm.request, { payment_method: 'bank_transfer', payment_method_type: 'pix' });
    assert.equal(confirm.label, '11. confirm $2 bank_transfer/pix');
  });

  it('sends unknown create and confirm fields as written (the server decides, a scenario may expect IR_06)', () => {
    const s = ok('{"steps":[{"create":{"amount":1,"currency":"USD","amout":5,"billing":{"address":{"city":"Paris"}}}}]}');
    assert.ok(s.steps[0]!.kind === 'create');
    assert.deepEqual(s.steps[0]!.request, { amount: 1, currency: 'USD', amout: 5, billing: { address: { city: 'Paris' } } });
  });

  describe('wrong files: each problem names its line and its field', () => {
    it('JSON syntax: the line and column of the fault', () => {
      assert.deepEqual(problems('{\n  "name": "x",\n  "steps": [\n    { "create": { "amount": 1000 "currency": "USD" } }\n  ]\n}'), [
        'line 4: not valid JSON: expected "," or "}" after the value of "amount", found """',
      ]);
      assert.deepEqual(problems('{"steps": [\n  {"retrieve": {}},\n]}'), ['line 3: not valid JSON: a trailing comma before "]" is not allowed in JSON']);
      assert.deepEqual(problems('{\n  // a comment\n}'), ['line 2: not valid JSON: expected a property name in double quotes, found a comment (JSON has no comments)']);
      assert.deepEqual(problems(''), ['line 1: not valid JSON: the file is empty: a scenario is a JSON object, { "name": …, "steps": [ … ] }']);
      assert.deepEqual(problems("{'steps': []}"), ['line 1: not valid JSON: expected a property name in double quotes, found "\'"']);
      assert.deepEqual(problems('{"name": "x\ny"}'), ['line 1: not valid JSON: a string is not closed before the end of the line (missing ")']);
      assert.deepEqual(problems('{"a": 01}'), ['line 1: not valid JSON: "01" is not a JSON number (no leading zeros, hex or trailing letters)']);
    });

    it('a field of the wrong type: the line of the value and the dotted path', () => {
      assert.deepEqual(problems(lines(
        '{ "name": "types",',
        '  "steps": [',
        '    { "create": { "amount": "1000", "currency": "USD", "capture_method": "later" } },',
        '    { "capture": { "amount_to_capture": 4.5 } },',
        '    { "wait": { "status": "succeeded", "timeout_s": 0 } }',
        '  ] }',
      )), [
        'line 3: steps[0].create.amount: must be an integer, without quotes (1000), found the string "1000"',
        'line 3: steps[0].create.capture_method: must be one of "automatic", "manual", "manual_multiple", found the string "later"',
        'line 4: steps[1].capture.amount_to_capture: must be an integer (an amount in minor units: 1000 = 10.00 USD), found the number 4.5',
        'line 5: steps[2].wait.timeout_s: must be a number of seconds above 0 and at most 900, found the number 0',
      ]);
    });

    it('misspelt names get a suggestion; unknown steps list the known ones', () => {
      assert.deepEqual(problems(lines(
        '{ "name": "typos", "enviroment": "custom",',
        '  "steps": [',
        '    { "create": { "amount": 1000, "currency": "USD" } },',
        '    { "captur": {} },',
        '    { "cancel": { "reason": "x" } },',
        '    { "expect": { "error": { "cod": "IR_14" } } }',
        '  ] }',
      )), [
        'line 1: enviroment: unknown field "enviroment" (did you mean "environment"?); expected one of "name", "description", "environment", "steps"',
        `line 4: steps[1].captur: unknown step "captur" (did you mean "capture"?); a step is one of ${STEP_KINDS.join(', ')}`,
        'line 5: steps[2].cancel.reason: unknown field "reason"; expected one of "cancellation_reason", "payment"',
        'line 6: steps[3].expect.error.cod: unknown field "cod" (did you mean "code"?); expected one of "code", "type", "message"',
        'line 6: steps[3].expect.error: needs "code" (e.g. "IR_14"), "type" or "message"',
      ]);
    });

    it('missing required fields, empty steps, two actions in one step', () => {
      assert.deepEqual(problems('{"name": "x"}'), ['line 1: needs "steps": a list of steps like { "create": { "amount": 1000, "currency": "USD" } }']);
      assert.deepEqual(problems('{"steps": []}'), ['line 1: steps: must be a non-empty list of steps, found an empty list']);
      assert.deepEqual(problems('{"steps": [\n{"create": {"currency": "USD"}},\n{"create": {"amount": 1, "currency": "USD"}, "expect": {"status": "x"}},\n{}\n]}'), [
        'line 2: steps[0].create: needs "amount" (an integer in minor units: 1000 = 10.00 USD)',
        'line 3: steps[1]: a step does one thing: found "create" and "expect" (make them separate steps)',
        'line 4: steps[2]: a step is an object with one action, like { "capture": {} }; found an empty object',
      ]);
      assert.deepEqual(problems('{"steps": [{"expect": {}}]}'), [
        'line 1: steps[0].expect: expects nothing: give payment fields ("status": "succeeded", "next_action.type": …), the last refund\'s ("refund.status": …) or "error": {"code": …}',
      ]);
    });

    it('references: "$N" must name an earlier create step', () => {
      assert.deepEqual(problems(lines(
        '{ "steps": [',
        '  { "create": { "amount": 1000, "currency": "USD" } },',
        '  { "expect": { "status": "requires_payment_method" } },',
        '  { "confirm": { "payment": "$2", "card": "4242424242424242" } },',
        '  { "capture": { "payment": "$9" } },',
        '  { "cancel": { "payment": "first" } },',
        '  { "retrieve": { "payment": 1 } }',
        '] }',
      )), [
        'line 4: steps[2].confirm.payment: "$2" refers to step 2, an expect step; "$N" names the payment that a create step made',
        'line 5: steps[3].capture.payment: "$9" refers to step 9, which does not come before this step (step 4); "$N" names the payment an earlier create step made',
        'line 6: steps[4].cancel.payment: "first" is neither "$N" (the payment that step N made) nor a payment id (pay_…)',
        'line 7: steps[5].retrieve.payment: must be "$N" (the payment that step N made) or a payment id, found the number 1',
      ]);
    });

    it('a first step with no payment to act on; card and method fields together; a bad card; an unknown environment', () => {
      assert.deepEqual(problems('{"steps": [{"capture": {}}]}'), [
        'line 1: steps[0]: the first step has no payment to act on: start with { "create": { "amount": …, "currency": … } }, or name an existing payment with "payment": "pay_…"',
      ]);
      assert.deepEqual(problems(lines(
        '{ "environment": "production", "steps": [',
        '  { "create": { "amount": 1000, "currency": "USD" } },',
        '  { "confirm": { "card": "4242-4242-abcd", "payment_method": "card" } },',
        '  { "simulate": "succeeded" }',
        '] }',
      )), [
        'line 1: environment: must be one of "local", "sandbox", "custom" (or left out: the current environment, never a custom URL), found the string "production"',
        'line 3: steps[1].confirm.payment_method: give either "card" or "payment_method", not both ("card" fills in the card\'s method fields)',
        'line 3: steps[1].confirm.card: a card number has digits only (spaces allowed)',
        'line 4: steps[2].simulate: must be one of "succeed", "fail", "expire", found the string "succeeded"',
      ]);
    });

    it('a card number in a problem is masked', () => {
      assert.deepEqual(problems('{"steps": [{"create": {"amount": 1, "currency": "USD"}}, {"confirm": {"card": 4242424242424242}}]}'), [
        'line 1: steps[1].confirm.card: must be a card number (a string of digits) or an object with "card_number", found the number •••• 4242',
      ]);
    });

    it('not an object at all', () => {
      assert.deepEqual(problems('[1, 2]'), ['line 1: a scenario is a JSON object, { "name": …, "steps": [ … ] }, found an array']);
    });
  });

  describe('the JSON reader', () => {
    it('gives the same values as JSON.parse, with positions', () => {
      const text = '{"a": [1, -2.5e3, "x\\u00e9\\n", true, null, {"b": {}}], "c": ""}';
      const tree = parseJsonTree(text);
      assert.equal(tree.type, 'object');
      assert.deepEqual(toValue(tree), JSON.parse(text));
      assert.equal(tree.type === 'object' && tree.properties[1]!.keyRange.start.character, text.indexOf('"c"'));
    });

    it('refuses nesting deeper than 64 levels', () => {
      assert.throws(() => parseJsonTree('['.repeat(70) + ']'.repeat(70)), JsonSyntaxError);
    });
  });
});
