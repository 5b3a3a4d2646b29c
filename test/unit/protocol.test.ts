import assert from 'node:assert/strict';
import type { Payment } from '../../src/api/schemas';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKnownStatus, statusKind, statusLabel } from '../../src/domain/status';
import { COMMAND_IDS } from '../../src/domain/commandIds';
import { addressView, buildInspectorModel, panelTitle, rawJsonOf } from '../../src/inspector/model';
import { describeDropped, parseFromWebview, parseInspectorModel, parseToWebview, parseWebviewState } from '../../src/shared/protocol';
import { sampleModel } from './nextActionView.test';

const ok = (r: { ok: boolean }) => r.ok;

describe('protocol: webview → extension', () => {
  it('accepts the documented messages', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'painted', sinceLoadMs: 123.4 },
      { type: 'action', action: 'confirm' },
      { type: 'action', action: 'capture', amount: '20.00' },
      { type: 'action', action: 'capture' },
      { type: 'action', action: 'cancel', reason: 'requested_by_customer' },
      { type: 'action', action: 'refresh' },
      { type: 'action', action: 'copyCurl' },
      { type: 'action', action: 'copyId' },
      { type: 'action', action: 'simulate', outcome: 'succeed' },
      { type: 'action', action: 'simulate', outcome: 'fail' },
      { type: 'action', action: 'simulate', outcome: 'expire' },
      { type: 'openUrl', url: 'https://example.com' },
      { type: 'copy', text: 'x', what: 'IBAN' },
      { type: 'revealSecret' },
      { type: 'log', level: 'error', message: 'boom' },
    ]) {
      const r = parseFromWebview(m);
      assert.ok(r.ok, `${JSON.stringify(m)}: ${!r.ok && r.error}`);
    }
  });

  it('drops what is not one of them', () => {
    for (const m of [
      null, undefined, 42, 'ready', [], {},
      { type: 'nope' },
      { type: 'ready', extra: 1 }, // strict: unknown fields refused
      { type: 'action' },
      { type: 'action', action: 'delete' },
      { type: 'action', action: 'simulate' }, // needs an outcome
      { type: 'action', action: 'simulate', outcome: 'explode' },
      { type: 'action', action: 'confirm', amount: '1' }, // amount is only for capture
      { type: 'action', action: 'capture', amount: 20 }, // typed text, not a number
      { type: 'action', action: 'refresh', reason: 'x' },
      { type: 'openUrl' },
      { type: 'openUrl', url: 5 },
      { type: 'copy', text: 'x'.repeat(200_001) },
      { type: 'painted' },
      { type: 'log', level: 'debug', message: 'x' },
      { type: 'command', command: 'workbench.action.terminal.new' },
    ]) {
      assert.equal(parseFromWebview(m).ok, false, JSON.stringify(m)?.slice(0, 80));
    }
  });

  it('describes a dropped message by its type only', () => {
    assert.equal(describeDropped({ type: 'nope', secret: 'x' }), 'type "nope"');
    assert.equal(describeDropped(null), 'a null value');
    assert.equal(describeDropped('x'), 'a string value');
  });
});

describe('protocol: extension → webview', () => {
  it('accepts the documented messages', () => {
    for (const m of [
      { type: 'model', model: sampleModel(null) },
      { type: 'busy', busy: true, action: 'capture' },
      { type: 'busy', busy: false, action: null },
      { type: 'error', message: 'IR_14: no' },
      { type: 'error', message: 'Could not read pay_x: offline', source: 'read' },
      { type: 'error', message: 'That is more than can be captured: at most 1.00 USD.', source: 'action' },
      { type: 'secret', paymentId: 'pay_x', value: 'pay_x_secret_y' },
      { type: 'notice', message: 'Copied' },
      { type: 'qr', paymentId: 'pay_x', fetchedAt: 'now', error: null,
        qr: { image: null, qrUrl: 'https://x', drawFromUrl: true, displayText: null, borderColor: null, expiresAt: null, warnings: [] } },
      { type: 'qr', paymentId: 'pay_x', fetchedAt: 'now', error: 'offline', qr: null },
      { type: 'toolkit', code: '(()=>{})();' },
      { type: 'toolkit', code: null },
    ]) {
      const r = parseToWebview(m);
      assert.ok(r.ok, `${JSON.stringify(m).slice(0, 80)}: ${!r.ok && r.error}`);
    }
  });

  it('drops malformed ones', () => {
    for (const m of [
      { type: 'model' },
      { type: 'model', model: { ...(sampleModel(null) as object), paymentId: '<img src=x>' } },
      { type: 'model', model: { ...(sampleModel(null) as object), timeline: [{ label: 1 }] } },
      { type: 'busy' },
      { type: 'error', message: 'x', source: 'poll' },
      { type: 'qr', paymentId: 'pay_x', fetchedAt: 'now', error: null,
        qr: { image: 'data:image/svg+xml;base64,PHN2Zz4=', qrUrl: null, drawFromUrl: false, displayText: null, borderColor: null, expiresAt: null, warnings: [] } },
      { type: 'eval', code: 'alert(1)' },
      { type: 'toolkit' },
      { type: 'toolkit', code: 42 },
      { type: 'toolkit', code: 'x'.repeat(2_000_001) },
    ]) {
      assert.equal(parseToWebview(m).ok, false, JSON.stringify(m).slice(0, 80));
    }
  });

  it('validates the state restored after a reload', () => {
    assert.ok(ok(parseWebviewState({ paymentId: 'pay_x' })));
    assert.ok(ok(parseWebviewState({ paymentId: 'pay_x', model: sampleModel(null) })));
    assert.ok(!ok(parseWebviewState({ paymentId: '../../etc' })));
    assert.ok(!ok(parseWebviewState({ paymentId: '../../etc', model: sampleModel(null) })));
    assert.ok(!ok(parseWebviewState(undefined)));
  });

  it('restores a panel whose saved model an older version wrote (the model is dropped, not the panel)', () => {
    const old = { paymentId: 'pay_x', model: { ...(sampleModel(null) as object), metadata: [{ key: 'order_id', value: '1001' }], actions: { confirm: false, capture: false, cancel: true, simulate: true } } };
    assert.deepEqual(parseWebviewState(old), { ok: true, value: { paymentId: 'pay_x', model: null } });
  });
});

describe('command ids', () => {
  it('are exactly the commands package.json contributes', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(Object.values(COMMAND_IDS).sort(), contributed);
    assert.equal(new Set(Object.values(COMMAND_IDS)).size, Object.values(COMMAND_IDS).length, 'two names for one command');
  });
});

describe('inspector model', () => {
  const p = {
    payment_id: 'pay_mbabizu24mvu3mela5njyhpit4',
    client_secret: 'pay_mbabizu24mvu3mela5njyhpit4_secret_ZqgE3d2x8a2vnwUf3mfg',
    status: 'requires_capture',
    amount: 4999, net_amount: 4999, amount_capturable: 4999, amount_received: null,
    currency: 'USD', capture_method: 'manual', authentication_type: 'no_three_ds',
    customer_id: 'cus_abc123', description: '<img src=x onerror=alert(1)>', metadata: { order_id: '1001', n: 5, card_number: '4242424242424242' },
    payment_method: 'card', payment_method_type: 'credit',
    payment_method_data: { card: { last4: '4242', card_network: 'Visa', card_exp_month: '10', card_exp_year: '25', card_holder_name: 'Jane Doe', card_number: '4242424242424242' } },
    next_action: null, error_code: null, error_message: null, cancellation_reason: null,
    connector: 'perfectpay_sandbox', attempt_count: 1,
    created: '2026-11-24T15:04:05.000Z', modified_at: '2026-11-24T15:04:07.000Z', expires_on: '2026-11-24T15:19:05.000Z',
  } as unknown as Payment;
  const env = { label: 'Local sandbox', supportsSimulate: true };
  const model = buildInspectorModel({ payment: p, history: [], environment: env, receivedAt: '2026-11-24T15:04:08.000Z', polling: true });

  it('is valid by the protocol', () => {
    const r = parseInspectorModel(model);
    assert.ok(r.ok, !r.ok ? r.error : '');
  });

  it('titles the panel with amount and id', () => {
    assert.equal(model.title, '49.99 USD · pay_mbabizu…');
    assert.equal(panelTitle(undefined, 'pay_short'), 'Payment · pay_short');
  });

  it('carries the status meaning and next step, amounts, card and metadata', () => {
    assert.equal(model.status.label, 'Requires capture');
    assert.equal(model.status.kind, 'waiting');
    assert.match(model.status.next ?? '', /Capture/);
    assert.equal(model.amounts.capturable, '49.99 USD');
    assert.equal(model.amounts.capturableInput, '49.99');
    assert.equal(model.details.card, 'Visa •••• 4242 · expires 10/25 · Jane Doe');
    assert.deepEqual(model.metadata, [
      { depth: 0, key: 'order_id', inArray: false, kind: 'string', text: '1001', size: null },
      { depth: 0, key: 'n', inArray: false, kind: 'number', text: '5', size: null },
      { depth: 0, key: 'card_number', inArray: false, kind: 'string', text: '•••• 4242', size: null },
    ]);
    assert.deepEqual(model.actions, { confirm: false, capture: true, cancel: true, refund: false, simulate: [] });
    assert.equal(model.details.description, '<img src=x onerror=alert(1)>'); // as text; the webview never parses it
  });

  it('shows the net amount only where it differs from the amount (a surcharge or tax), not beside Received as a second total', () => {
    assert.equal(model.amounts.net, null);
    const captured = { ...p, status: 'partially_captured', amount: 10000, net_amount: 10000, amount_received: 4000 } as unknown as Payment;
    assert.equal(buildInspectorModel({ payment: captured, history: [], environment: env, receivedAt: 'x', polling: false }).amounts.net, null);
    const surcharged = { ...p, amount: 10000, net_amount: 10300 } as unknown as Payment;
    assert.equal(buildInspectorModel({ payment: surcharged, history: [], environment: env, receivedAt: 'x', polling: false }).amounts.net, '103.00 USD');
  });

  it('never carries the client secret or a card number', () => {
    const json = JSON.stringify(model);
    assert.ok(!json.includes('ZqgE3d2x8a2vnwUf3mfg'));
    assert.ok(!json.includes('4242424242424242'));
    assert.equal(model.hasClientSecret, true);
    assert.match(rawJsonOf(p), /"client_secret": "\(hidden: use Show\)"/);
  });

  it('shows an unknown status raw, and offers no action for it', () => {
    const odd = buildInspectorModel({ payment: { ...p, status: 'under_review' } as Payment, history: [], environment: env, receivedAt: 'x', polling: false });
    assert.equal(odd.status.label, 'under_review');
    assert.equal(odd.status.kind, 'unknown');
    assert.equal(odd.status.known, false);
    assert.equal(odd.status.meaning, null);
    assert.deepEqual(odd.actions, { confirm: false, capture: false, cancel: false, refund: false, simulate: [] });
    assert.ok(parseInspectorModel(odd).ok);
  });

  it('offers the buttons of the one action table, each simulate outcome only where it applies (local sandbox only)', () => {
    const actionsIn = (status: string, environment = env) =>
      buildInspectorModel({ payment: { ...p, status, amount_received: 4999 } as Payment, history: [], environment, receivedAt: 'x', polling: true }).actions;
    // Written out here, not read from the table: what a person sees on each status.
    const expected: [string, { confirm: boolean; capture: boolean; cancel: boolean; refund: boolean; simulate: string[] }][] = [
      ['requires_payment_method', { confirm: true, capture: false, cancel: true, refund: false, simulate: ['expire'] }],
      ['requires_confirmation', { confirm: true, capture: false, cancel: true, refund: false, simulate: ['expire'] }],
      ['requires_customer_action', { confirm: false, capture: false, cancel: true, refund: false, simulate: ['succeed', 'fail', 'expire'] }],
      ['processing', { confirm: false, capture: false, cancel: false, refund: false, simulate: ['succeed', 'fail'] }],
      ['requires_capture', { confirm: false, capture: true, cancel: true, refund: false, simulate: [] }],
      ['partially_captured_and_capturable', { confirm: false, capture: true, cancel: false, refund: false, simulate: [] }],
      ['succeeded', { confirm: false, capture: false, cancel: false, refund: true, simulate: [] }],
      ['failed', { confirm: false, capture: false, cancel: false, refund: false, simulate: [] }],
      ['cancelled', { confirm: false, capture: false, cancel: false, refund: false, simulate: [] }],
      ['expired', { confirm: false, capture: false, cancel: false, refund: false, simulate: [] }],
      ['partially_captured', { confirm: false, capture: false, cancel: false, refund: true, simulate: [] }],
    ];
    for (const [status, actions] of expected) assert.deepEqual(actionsIn(status), actions, status);
    const hosted = { label: 'PerfectPay sandbox', supportsSimulate: false };
    assert.deepEqual(actionsIn('requires_customer_action', hosted).simulate, []);
  });

  it("shows the statuses a real server may send that the local sandbox does not, by statusLabel and statusKind", () => {
    for (const status of ['cancelled_post_capture', 'partially_authorized_and_requires_capture', 'partially_captured_and_processing', 'requires_merchant_action', 'conflicted']) {
      const m = buildInspectorModel({ payment: { ...p, status } as Payment, history: [], environment: env, receivedAt: 'x', polling: false });
      assert.equal(m.status.value, status);
      assert.equal(m.status.label, statusLabel(status));
      assert.equal(m.status.kind, statusKind(status));
      assert.equal(m.status.known, isKnownStatus(status));
      assert.equal(m.timeline.at(-1)?.status, status);
      assert.ok(parseInspectorModel(m).ok, status);
    }
  });
});

describe('inspector model: the fields a real server adds (Hyperswitch)', () => {
  const base = {
    payment_id: 'pay_fields', status: 'succeeded', amount: 4999, currency: 'USD', created: '2026-11-24T15:04:05.000Z',
  };
  const build = (over: Record<string, unknown>) =>
    buildInspectorModel({ payment: { ...base, ...over } as unknown as Payment, history: [], environment: { label: 'Local sandbox', supportsSimulate: true }, receivedAt: 'x', polling: false });

  it('shows billing and shipping as lines, the payment method billing only when it differs', () => {
    const billing = {
      address: { line1: '1 Main St', line2: null, line3: '', city: 'San Francisco', state: 'CA', zip: '94122', country: 'US', first_name: 'Jane', last_name: 'Doe' },
      phone: { number: '4155550100', country_code: '+1' }, email: 'jane@example.com',
    };
    const m = build({ billing, shipping: { address: { city: 'Oakland', country: 'US' } }, payment_method_data: { billing } });
    assert.deepEqual(m.addresses, [
      { title: 'Billing', name: 'Jane Doe', lines: ['1 Main St', 'San Francisco, CA 94122', 'US'], phone: '+1 4155550100', email: 'jane@example.com' },
      { title: 'Shipping', name: null, lines: ['Oakland', 'US'], phone: null, email: null },
    ]);
    const other = build({ billing, payment_method_data: { billing: { address: { line1: '9 Other Rd' } } } });
    assert.deepEqual(other.addresses.map((a) => a.title), ['Billing', 'Billing (payment method)']);
    assert.ok(parseInspectorModel(m).ok);
  });

  it('shows nothing for empty or malformed addresses', () => {
    for (const bad of [null, undefined, 'x', 5, [], {}, { address: null }, { address: { line1: '' } }, { phone: { number: null } }]) {
      assert.equal(addressView('Billing', bad), null, JSON.stringify(bad));
    }
    assert.deepEqual(build({ billing: { address: 'nope' }, shipping: 42 }).addresses, []);
  });

  it('shows email, phone, name and connector_transaction_id, from the customer object when the payment has none', () => {
    const m = build({ email: 'a@b.example', phone: '5550100', phone_country_code: '+44', name: 'A B', connector_transaction_id: 'pi_3Nabc' });
    assert.deepEqual([m.details.email, m.details.phone, m.details.customerName, m.details.connectorTransactionId], ['a@b.example', '+44 5550100', 'A B', 'pi_3Nabc']);
    const viaCustomer = build({ customer: { id: 'cus_1', name: 'C D', email: 'c@d.example', phone: '5550101', phone_country_code: '+1' } });
    assert.deepEqual([viaCustomer.details.email, viaCustomer.details.phone, viaCustomer.details.customerName], ['c@d.example', '+1 5550101', 'C D']);
    const none = build({ connector_transaction_id: null });
    assert.deepEqual([none.details.email, none.details.phone, none.details.connectorTransactionId], [null, null, null]);
  });

  it('keeps a card number out of free text it shows', () => {
    const m = build({ description: 'card 4242 4242 4242 4242 used', email: '4242424242424242@x.example' });
    const json = JSON.stringify(m);
    assert.ok(!/4242 ?4242 ?4242 ?4242/.test(json), json.slice(0, 200));
    assert.equal(m.details.description, 'card •••• 4242 used');
  });
});
