// Scenario files that more than one suite runs (the unit runner test, the extension host, e2e): written
// out once, here.

/**
 * The example, which passes against the local sandbox: a manual_multiple payment of 10.00 USD
 * captured in two parts (4.00, then the rest). `description`, when given, goes on the payment it makes.
 */
export function twoPartCapture(name = 'manual capture in two parts', description?: string) {
  return {
    name,
    environment: 'local',
    steps: [
      { create: { amount: 1000, currency: 'USD', capture_method: 'manual_multiple', ...(description === undefined ? {} : { description }) } },
      { confirm: { card: '4242424242424242' } },
      { expect: { status: 'requires_capture', amount_capturable: 1000 } },
      { capture: { amount_to_capture: 400 } },
      { expect: { status: 'partially_captured_and_capturable' } },
      { capture: {} },
      { expect: { status: 'succeeded', amount_received: 1000 } },
    ],
  };
}

/**
 * Deliberately wrong: a declined card expected to succeed. The expect's "status" is on line 6 (0-based),
 * the step on line 5; step 3 fails with expected {"status":"succeeded"}, actual {"status":"failed"}.
 */
export function declinedExpectedToSucceed(name: string): string {
  return [
    '{',
    `  "name": ${JSON.stringify(name)},`,
    '  "steps": [',
    '    { "create": { "amount": 2500, "currency": "EUR" } },',
    '    { "confirm": { "card": "4000000000000002" } },',
    '    { "expect": {',
    '        "status": "succeeded" } },',
    '    { "capture": {} }',
    '  ]',
    '}',
  ].join('\n');
}
