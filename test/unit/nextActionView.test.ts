import assert from 'node:assert/strict';
import { formatCountdown, waitProgress } from '../../src/domain/time';
import { humanize, nextActionView, openableUrls, qrView, urlView, withoutSensitive } from '../../src/inspector/nextActionView';
import { parseInspectorModel } from '../../src/shared/protocol';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function view(action: Record<string, unknown>, currency = 'USD') {
  const v = nextActionView(action as never, currency);
  assert.ok(v, 'a view');
  return v;
}

describe('nextActionView', () => {
  it('is null without a next_action', () => {
    assert.equal(nextActionView(null, 'USD'), null);
    assert.equal(nextActionView(undefined, 'USD'), null);
  });

  describe('redirect_to_url', () => {
    it('shows scheme and host, openable for https', () => {
      const v = view({ type: 'redirect_to_url', redirect_to_url: 'https://acs.bank.example:8443/3ds?x=1' });
      assert.equal(v.kind, 'redirect');
      assert.ok(v.kind === 'redirect');
      assert.deepEqual(v.url, { url: 'https://acs.bank.example:8443/3ds?x=1', scheme: 'https', host: 'acs.bank.example:8443', openable: true });
      assert.deepEqual(openableUrls(v), ['https://acs.bank.example:8443/3ds?x=1']);
    });
    it('shows other schemes without offering to open them', () => {
      for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'command:workbench.action.terminal.new', 'vscode://x', 'data:text/html,hi', 'not a url']) {
        const v = view({ type: 'redirect_to_url', redirect_to_url: bad });
        assert.ok(v.kind === 'redirect', bad);
        assert.equal(v.url.openable, false, bad);
        assert.deepEqual(openableUrls(v), [], bad);
      }
      assert.equal(urlView('javascript:alert(1)').scheme, 'javascript');
      assert.equal(urlView('http://127.0.0.1:4000/sandbox').openable, true);
    });
    it('falls back to JSON when the URL is missing', () => {
      const v = view({ type: 'redirect_to_url' });
      assert.ok(v.kind === 'raw');
      assert.ok(v.problem && /redirect_to_url/.test(v.problem));
    });
  });

  it('lays out three_ds_invoke', () => {
    const v = view({
      type: 'three_ds_invoke',
      three_ds_data: {
        three_ds_authentication_url: 'https://sb/3ds/authenticate',
        three_ds_authorize_url: 'https://sb/3ds/authorize',
        message_version: '2.2.0',
        three_ds_method_details: {
          three_ds_method_key: 'threeDSMethodData', three_ds_method_data_submission: true,
          three_ds_method_data: 'eyJ4IjoxfQ==', three_ds_method_url: 'ftp://sb/3ds/method',
        },
        poll_config: { poll_id: 'p1', delay_in_secs: 1, frequency: 5 },
      },
    });
    assert.ok(v.kind === 'threeDs');
    assert.equal(v.authenticationUrl?.host, 'sb');
    assert.equal(v.messageVersion, '2.2.0');
    assert.deepEqual(v.method && { ...v.method, url: v.method.url?.openable }, {
      key: 'threeDSMethodData', submission: true, data: 'eyJ4IjoxfQ==', url: false,
    });
    assert.deepEqual(v.poll, { id: 'p1', delaySecs: 1, frequency: 5 });
    assert.deepEqual(openableUrls(v), ['https://sb/3ds/authenticate', 'https://sb/3ds/authorize']);
  });

  it('shows an SDK session token as formatted JSON, without card numbers', () => {
    const v = view({ type: 'third_party_sdk_session_token', session_token: { wallet_name: 'google_pay', a: { b: 1 }, card_number: '4242424242424242' } });
    assert.ok(v.kind === 'sdkToken');
    assert.equal(v.walletName, 'google_pay');
    assert.equal(v.tokenJson, JSON.stringify({ wallet_name: 'google_pay', a: { b: 1 } }, null, 2));
    assert.ok(!v.tokenJson.includes('4242424242424242'));
  });

  it('tabulates bank transfer details and formats the receiver amounts', () => {
    const v = view({
      type: 'display_bank_transfer_information',
      bank_transfer_steps_and_charges_details: {
        ach_credit_transfer: { account_number: '000123456789', bank_name: 'Sandbox Bank', routing_number: '110000000', swift_code: null },
      },
      receiver: { amount_received: 0, amount_charged: null, amount_remaining: 4999 },
    });
    assert.ok(v.kind === 'bankTransfer');
    assert.equal(v.sections[0]!.title, 'ACH credit transfer');
    assert.deepEqual(v.sections[0]!.rows.map((r) => [r.label, r.value]), [
      ['Account number', '000123456789'], ['Bank name', 'Sandbox Bank'], ['Routing number', '110000000'], ['SWIFT code', '—'],
    ]);
    assert.deepEqual(v.receiver, { received: '0.00 USD', charged: null, remaining: '49.99 USD' });
    assert.equal(humanize('iban'), 'IBAN');
  });

  it("reads the receiver inside bank_transfer_steps_and_charges_details (Hyperswitch's place), not as a section", () => {
    const v = view({
      type: 'display_bank_transfer_information',
      bank_transfer_steps_and_charges_details: {
        sepa_bank_instructions: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
        receiver: { amount_received: 1000, amount_charged: null, amount_remaining: 3999 },
      },
    }, 'EUR');
    assert.ok(v.kind === 'bankTransfer');
    assert.deepEqual(v.sections.map((x) => x.name), ['sepa_bank_instructions']);
    assert.deepEqual(v.receiver, { received: '10.00 EUR', charged: null, remaining: '39.99 EUR' });
  });

  describe('qr_code_information', () => {
    const base = { type: 'qr_code_information', qr_code_url: 'https://sb/qr', display_to_timestamp: 1795000000000, display_text: 'Scan to pay' };
    it('accepts a PNG data URL and a hex border colour', () => {
      const v = view({ ...base, image_data_url: PNG, border_color: '#0A84FF' });
      assert.ok(v.kind === 'qr');
      assert.equal(v.qr.image, PNG);
      assert.equal(v.qr.drawFromUrl, false);
      assert.equal(v.qr.borderColor, '#0A84FF');
      assert.equal(v.qr.expiresAt, 1795000000000);
      assert.deepEqual(v.qr.warnings, []);
    });
    it('draws from qr_code_url when there is no image', () => {
      const v = view(base);
      assert.ok(v.kind === 'qr');
      assert.equal(v.qr.image, null);
      assert.equal(v.qr.drawFromUrl, true);
      assert.equal(v.qr.qrUrl, 'https://sb/qr');
    });
    it('refuses a data URL that is not a base64 PNG/GIF/JPEG image, and draws from the URL instead', () => {
      for (const bad of [
        'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
        'data:text/html;base64,PHNjcmlwdD4=',
        'javascript:alert(1)',
        'https://evil.example/x.png',
        'data:image/png;base64,abc"><img src=x onerror=alert(1)>',
        'data:image/png,rawnotbase64',
      ]) {
        const v = view({ ...base, image_data_url: bad });
        assert.ok(v.kind === 'qr', bad);
        assert.equal(v.qr.image, null, bad);
        assert.equal(v.qr.drawFromUrl, true, bad);
        assert.equal(v.qr.warnings.length, 1, bad);
      }
      assert.equal(qrView({ image_data_url: 'data:image/gif;base64,R0lGOD==' }).image, 'data:image/gif;base64,R0lGOD==');
      assert.equal(qrView({ image_data_url: 'data:image/jpeg;base64,/9j/4AAQ' }).image, 'data:image/jpeg;base64,/9j/4AAQ');
    });
    it('ignores a border colour that is not a CSS hex colour', () => {
      for (const bad of ['red', 'rgb(0,0,0)', '#12', '#GGGGGG', '#000; background:url(x)', 'expression(alert(1))']) {
        const v = view({ ...base, border_color: bad });
        assert.ok(v.kind === 'qr', bad);
        assert.equal(v.qr.borderColor, null, bad);
        assert.match(v.qr.warnings.join(' '), /border_color/, bad);
      }
      for (const good of ['#fff', '#FFFA', '#0a84ff', '#0A84FF80']) assert.equal(qrView({ border_color: good }).borderColor, good);
    });
    it('shows it as JSON when there is nothing to draw', () => {
      const v = view({ type: 'qr_code_information', image_data_url: 'data:text/plain;base64,aGk=' });
      assert.ok(v.kind === 'raw');
      assert.ok(v.problem);
    });
    it('produces views that pass the protocol validation (the webview re-checks them)', () => {
      const v = view({ ...base, image_data_url: PNG, border_color: '#0A84FF' });
      const model = sampleModel(v);
      assert.equal(parseInspectorModel(model).ok, true);
      // A model carrying an unchecked image or colour is refused by the validator itself.
      assert.equal(parseInspectorModel(sampleModel({ ...v, qr: { ...(v as { qr: object }).qr, image: 'javascript:alert(1)' } })).ok, false);
      assert.equal(parseInspectorModel(sampleModel({ ...v, qr: { ...(v as { qr: object }).qr, borderColor: 'red;x:y' } })).ok, false);
    });
  });

  describe('fetch_qr_code_information', () => {
    const action = (url: string) => ({ type: 'fetch_qr_code_information', qr_code_fetch_url: url }) as never;
    it("points at its URL, fetched by the extension when it is on the API's own origin (not offered to open)", () => {
      const v = nextActionView(action('http://127.0.0.1:5000/sandbox/payments/p/qr_code'), 'USD', { apiBaseUrl: 'http://127.0.0.1:5000' });
      assert.ok(v?.kind === 'fetchQr');
      assert.equal(v.fetchUrl.host, '127.0.0.1:5000');
      assert.deepEqual(v.fetch, { allowed: true, apiOrigin: 'http://127.0.0.1:5000', reason: null });
      assert.deepEqual(openableUrls(v), []);
    });
    it('is not fetched from another origin, and then offered to open (http(s) only)', () => {
      const v = nextActionView(action('https://qr.elsewhere.example/p'), 'USD', { apiBaseUrl: 'https://sandbox.perfectpay.ai' });
      assert.ok(v?.kind === 'fetchQr');
      assert.equal(v.fetch.allowed, false);
      assert.equal(v.fetch.reason, "The QR code URL is on https://qr.elsewhere.example, not on the API's own origin (https://sandbox.perfectpay.ai): the extension does not fetch it.");
      assert.deepEqual(openableUrls(v), ['https://qr.elsewhere.example/p']);
      const file = nextActionView(action('file:///etc/passwd'), 'USD', { apiBaseUrl: 'https://sandbox.perfectpay.ai' });
      assert.ok(file?.kind === 'fetchQr');
      assert.equal(file.fetch.allowed, false);
      assert.deepEqual(openableUrls(file), []);
    });
    it('is not fetched while the API address is unknown', () => {
      const v = nextActionView(action('http://127.0.0.1:5000/qr'), 'USD');
      assert.ok(v?.kind === 'fetchQr');
      assert.equal(v.fetch.allowed, false);
      assert.equal(v.fetch.apiOrigin, null);
    });
  });

  it('counts a wait screen down between its two timestamps', () => {
    const v = view({ type: 'wait_screen_information', display_from_timestamp: 1000, display_to_timestamp: 61000 });
    assert.ok(v.kind === 'wait');
    assert.deepEqual([v.from, v.to], [1000, 61000]);
    assert.deepEqual(waitProgress(1000, 61000, 31000), { fraction: 0.5, leftMs: 30000 });
    assert.deepEqual(waitProgress(1000, 61000, 99000), { fraction: 1, leftMs: 0 });
    assert.deepEqual(waitProgress(1000, null, 5000), { fraction: 1, leftMs: null });
    assert.equal(formatCountdown(30000), '0:30');
    assert.equal(formatCountdown(14 * 60_000 + 5000), '14:05');
    assert.equal(formatCountdown(3723_000), '1:02:03');
  });

  it('shows an unknown type as its JSON', () => {
    const v = view({ type: 'invoke_sdk_client', sdk: { name: 'x' } });
    assert.ok(v.kind === 'raw');
    assert.equal(v.type, 'invoke_sdk_client');
    assert.equal(v.problem, null);
    assert.deepEqual(JSON.parse(v.json), { type: 'invoke_sdk_client', sdk: { name: 'x' } });
  });

  it('shows a known type with unexpected fields as its JSON, saying what is wrong', () => {
    const v = view({ type: 'wait_screen_information', display_from_timestamp: 'soon' });
    assert.ok(v.kind === 'raw');
    assert.match(v.problem ?? '', /display_from_timestamp/);
  });

  it('never keeps a card number, wherever it is', () => {
    assert.deepEqual(withoutSensitive({ a: [{ card_number: '4242', card_cvc: '123', last4: '4242' }] }), { a: [{ last4: '4242' }] });
  });
});

/** A minimal model around a next_action view, for validation checks. */
export function sampleModel(nextAction: unknown): unknown {
  return {
    paymentId: 'pay_x',
    title: '49.99 USD · pay_x',
    receivedAt: '2026-11-24T15:04:05.000Z',
    environment: { label: 'Local sandbox', supportsSimulate: true },
    status: { value: 'requires_customer_action', label: 'Requires customer action', kind: 'waiting', known: true, terminal: false, meaning: 'm', next: 'n' },
    amounts: { currency: 'USD', amount: '49.99 USD', capturable: null, received: null, net: null, capturableInput: '', refunded: null, leftToRefund: null },
    refunds: [],
    details: {
      captureMethod: null, authenticationType: null, customerId: null, description: null, paymentMethod: null, card: null,
      errorCode: null, errorMessage: null, cancellationReason: null, connector: null, connectorTransactionId: null, returnUrl: null,
      attemptCount: null, customerName: null, email: null, phone: null,
    },
    addresses: [],
    metadata: [],
    times: { created: null, modified: null, expires: null },
    hasClientSecret: false,
    nextAction,
    timeline: [],
    actions: { confirm: false, capture: false, cancel: true, refund: false, simulate: ['succeed', 'fail', 'expire'] },
    cancellationReasons: ['requested_by_customer'],
    polling: true,
    rawJson: '{}',
  };
}
