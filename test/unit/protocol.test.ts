import assert from 'node:assert/strict';
import type { Payment } from '../../src/api/schemas';
import { buildInspectorModel, panelTitle, rawJsonOf } from '../../src/inspector/model';
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
      { type: 'action', action: 'simulate', outcome: 'expire' },
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
      { type: 'secret', paymentId: 'pay_x', value: 'pay_x_secret_y' },
      { type: 'notice', message: 'Copied' },
      { type: 'qr', paymentId: 'pay_x', fetchedAt: 'now', error: null,
        qr: { image: null, qrUrl: 'https://x', drawFromUrl: true, displayText: null, borderColor: null, expiresAt: null, warnings: [] } },
      { type: 'qr', paymentId: 'pay_x', fetchedAt: 'now', error: 'offline', qr: null },
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
      { type: 'qr', paymentId: 'pay_x', fetchedAt: 'now', error: null,
        qr: { image: 'data:image/svg+xml;base64,PHN2Zz4=', qrUrl: null, drawFromUrl: false, displayText: null, borderColor: null, expiresAt: null, warnings: [] } },
      { type: 'eval', code: 'alert(1)' },
    ]) {
      assert.equal(parseToWebview(m).ok, false, JSON.stringify(m).slice(0, 80));
    }
  });

  it('validates the state restored after a reload', () => {
    assert.ok(ok(parseWebviewState({ paymentId: 'pay_x' })));
    assert.ok(ok(parseWebviewState({ paymentId: 'pay_x', model: sampleModel(null) })));
    assert.ok(!ok(parseWebviewState({ paymentId: '../../etc' })));
    assert.ok(!ok(parseWebviewState(undefined)));
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
    assert.deepEqual(model.metadata, [{ key: 'order_id', value: '1001' }, { key: 'n', value: '5' }]);
    assert.deepEqual(model.actions, { confirm: false, capture: true, cancel: true, simulate: false });
    assert.equal(model.details.description, '<img src=x onerror=alert(1)>'); // as text; the webview never parses it
  });

  it('never carries the client secret or a card number', () => {
    const json = JSON.stringify(model);
    assert.ok(!json.includes('ZqgE3d2x8a2vnwUf3mfg'));
    assert.ok(!json.includes('4242424242424242'));
    assert.equal(model.hasClientSecret, true);
    assert.match(rawJsonOf(p), /"client_secret": "\(hidden: use Show\)"/);
  });

  it('shows an unknown status raw, and offers the sandbox customer step only where it applies', () => {
    const odd = buildInspectorModel({ payment: { ...p, status: 'under_review' } as Payment, history: [], environment: env, receivedAt: 'x', polling: false });
    assert.equal(odd.status.label, 'under_review');
    assert.equal(odd.status.known, false);
    assert.equal(odd.status.meaning, null);
    assert.deepEqual(odd.actions, { confirm: false, capture: false, cancel: false, simulate: false });
    const waiting = buildInspectorModel({ payment: { ...p, status: 'requires_customer_action' } as Payment, history: [], environment: env, receivedAt: 'x', polling: true });
    assert.equal(waiting.actions.simulate, true);
    const hosted = buildInspectorModel({ payment: { ...p, status: 'requires_customer_action' } as Payment, history: [], environment: { label: 'PerfectPay sandbox', supportsSimulate: false }, receivedAt: 'x', polling: true });
    assert.equal(hosted.actions.simulate, false);
  });
});
