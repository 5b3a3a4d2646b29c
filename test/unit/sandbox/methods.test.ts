/**
 * Every payment method row of perfectpay-api.md and its next_action shape; the pix QR image is a
 * real PNG of a real QR code; the fps fetch URL; the customer pages (Complete / Fail forms) and
 * the simulate helper.
 */
import * as assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { TEST_METHODS } from '../../../src/domain/cards';
import { create, err, ok, useSandbox } from './helpers';

function decodeQr(dataUrl: string): string | null {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  assert.ok(m, 'a PNG data URL');
  const png = PNG.sync.read(Buffer.from(m[1]!, 'base64'));
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  return code ? code.data : null;
}

const method = (payment_method: string, payment_method_type: string) => ({ payment_method, payment_method_type, payment_method_data: {} });

describe('sandbox: payment methods and next_action shapes', function () {
  const t = useSandbox({ manualClock: true });

  const confirmWith = async (pm: string, type: string, body: Record<string, unknown> = {}) => {
    const p = await create(t, body);
    return ok(await t.post(`/payments/${p.payment_id}/confirm`, method(pm, type)));
  };
  const sandboxUrl = (u: string, id: string) => assert.ok(u.startsWith(`${t.url}/sandbox/payments/${id}`), `${u} is a sandbox page`);

  for (const type of ['ach', 'sepa', 'bacs']) {
    it(`bank_transfer/${type} → display_bank_transfer_information with receiver amounts`, async () => {
      const p = await confirmWith('bank_transfer', type, { amount: 2500, currency: type === 'sepa' ? 'EUR' : type === 'bacs' ? 'GBP' : 'USD' });
      assert.equal(p.status, 'requires_customer_action');
      assert.equal(p.payment_method, 'bank_transfer');
      assert.equal(p.payment_method_type, type);
      assert.equal(p.payment_method_data, null);
      const na = p.next_action;
      assert.equal(na.type, 'display_bank_transfer_information');
      // Hyperswitch's BankTransferNextStepsData: the instructions and the receiver side by side, inside the details.
      assert.deepEqual(Object.keys(na).sort(), ['bank_transfer_steps_and_charges_details', 'type']);
      const details = na.bank_transfer_steps_and_charges_details;
      const key = { ach: 'ach_credit_transfer', sepa: 'sepa_bank_instructions', bacs: 'bacs_bank_instructions' }[type]!;
      assert.deepEqual(Object.keys(details), [key, 'receiver']);
      for (const v of Object.values(details[key])) assert.ok(['string', 'number', 'boolean'].includes(typeof v) || v === null);
      if (type === 'ach') {
        assert.deepEqual(Object.keys(details.ach_credit_transfer).sort(), ['account_number', 'bank_name', 'routing_number', 'swift_code']);
      }
      assert.deepEqual(details.receiver, { amount_received: 0, amount_charged: null, amount_remaining: 2500 });
    });
  }

  it('bank_transfer/pix → qr_code_information whose image is a real PNG QR code of qr_code_url', async () => {
    const p = await confirmWith('bank_transfer', 'pix');
    const na = p.next_action;
    assert.equal(na.type, 'qr_code_information');
    sandboxUrl(na.qr_code_url, p.payment_id);
    assert.equal(decodeQr(na.image_data_url), na.qr_code_url);
    assert.equal(na.display_to_timestamp, Date.parse(p.expires_on));
    assert.equal(typeof na.display_text, 'string');
    assert.match(na.border_color, /^#[0-9A-Fa-f]{6}$/);
    // The QR's target is the page where the customer completes the step.
    const page = await fetch(na.qr_code_url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Complete/);
  });

  it('real_time_payment/duit_now → qr_code_information with only qr_code_url (no image)', async () => {
    const p = await confirmWith('real_time_payment', 'duit_now');
    assert.equal(p.next_action.type, 'qr_code_information');
    assert.equal('image_data_url' in p.next_action, false);
    sandboxUrl(p.next_action.qr_code_url, p.payment_id);
  });

  it('real_time_payment/fps → fetch_qr_code_information; its URL (no api-key) answers fresh QR data until the payment moves', async () => {
    const p = await confirmWith('real_time_payment', 'fps');
    assert.deepEqual(Object.keys(p.next_action).sort(), ['qr_code_fetch_url', 'type']);
    assert.equal(p.next_action.type, 'fetch_qr_code_information');
    sandboxUrl(p.next_action.qr_code_fetch_url, p.payment_id);
    const res = await fetch(p.next_action.qr_code_fetch_url);
    assert.equal(res.status, 200);
    const data = (await res.json()) as Record<string, any>;
    assert.equal(typeof data.qr_code_url, 'string');
    assert.equal(decodeQr(data.image_data_url), data.qr_code_url);
    assert.equal(typeof data.display_to_timestamp, 'number');
    assert.equal(data.status, 'requires_customer_action');
    ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'succeed' }));
    const after = (await (await fetch(p.next_action.qr_code_fetch_url)).json()) as Record<string, any>;
    assert.equal(after.status, 'succeeded', 'polling shows the payment left requires_customer_action');
    assert.equal((await fetch(`${t.url}/sandbox/payments/pay_unknown/qr_code`)).status, 404);
  });

  for (const wallet of ['google_pay', 'apple_pay', 'paypal']) {
    it(`wallet/${wallet} → third_party_sdk_session_token named ${wallet}`, async () => {
      const p = await confirmWith('wallet', wallet);
      assert.equal(p.status, 'requires_customer_action');
      assert.equal(p.next_action.type, 'third_party_sdk_session_token');
      assert.equal(p.next_action.session_token.wallet_name, wallet);
    });
  }

  it('pay_later/klarna → redirect_to_url to a sandbox page', async () => {
    const p = await confirmWith('pay_later', 'klarna');
    assert.equal(p.next_action.type, 'redirect_to_url');
    sandboxUrl(p.next_action.redirect_to_url, p.payment_id);
  });

  it('voucher/boleto → wait_screen_information', async () => {
    const p = await confirmWith('voucher', 'boleto');
    assert.equal(p.next_action.type, 'wait_screen_information');
    assert.equal(p.next_action.display_from_timestamp, t.clock.now);
    assert.ok(p.next_action.display_to_timestamp > p.next_action.display_from_timestamp);
  });

  it('every shared TEST_METHODS row gives its documented next_action', async () => {
    for (const m of TEST_METHODS) {
      const p = await confirmWith(m.payment_method, m.payment_method_type);
      assert.equal(p.status, 'requires_customer_action', m.label);
      assert.equal(p.next_action.type, m.nextAction, m.label);
    }
  });

  it('create with confirm:true and a method creates and confirms at once', async () => {
    const p = await create(t, { confirm: true, ...method('wallet', 'google_pay') });
    assert.equal(p.status, 'requires_customer_action');
    assert.equal(p.next_action.type, 'third_party_sdk_session_token');
  });

  it('unknown methods and types are a clear 400 naming the field', async () => {
    const p = await create(t);
    err(await t.post(`/payments/${p.payment_id}/confirm`, method('crypto', 'btc')), 400, 'IR_06', /payment_method 'crypto' is not supported.*Supported: card, bank_transfer/);
    err(await t.post(`/payments/${p.payment_id}/confirm`, method('wallet', 'samsung_pay')), 400, 'IR_06', /payment_method_type 'samsung_pay'.*google_pay, apple_pay, paypal/);
    err(await t.post(`/payments/${p.payment_id}/confirm`, { payment_method: 'wallet' }), 400, 'IR_04', 'Missing required param: payment_method_type');
    err(await t.post(`/payments/${p.payment_id}/confirm`, { payment_method: 'card' }), 400, 'IR_04', 'Missing required param: payment_method_data.card');
    err(await t.post(`/payments/${p.payment_id}/confirm`, {}), 400, 'IR_04', 'Missing required param: payment_method');
    err(await t.post('/payments', { amount: 100, currency: 'USD', confirm: true }), 400, 'IR_04', 'Missing required param: payment_method');
    err(await t.post('/payments', { amount: 100, currency: 'USD', ...method('voucher', 'oxxo') }), 400, 'IR_06', /oxxo/);
    assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'requires_payment_method');
  });

  describe('customer pages', () => {
    /** The token of a step's form on the payment's page (one per payment and step). */
    const tokenOf = async (url: string): Promise<string> => {
      const [, page, step] = /^(.*)\/(complete|fail)$/.exec(url) ?? [];
      const html = await (await fetch(page!)).text();
      const token = new RegExp(`/${step}"><input type="hidden" name="from" value="[^"]*"><input type="hidden" name="token" value="([0-9a-f]{64})"`).exec(html)?.[1];
      assert.ok(token, `the page carries the ${step} form's token`);
      return token;
    };
    /** Posts a step's form as the page would, with the page's token unless `fields` are given. */
    const form = async (url: string, from = '', fields?: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: 'POST', redirect: 'manual', body: new URLSearchParams({ from, ...(fields ?? { token: await tokenOf(url) }) }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });

    it('the redirect page completes the payment with its Complete form (303 back to the page)', async () => {
      const p = await create(t, { confirm: true, return_url: 'https://shop.example/done?x=1', ...method('pay_later', 'klarna') });
      const html = await (await fetch(p.next_action.redirect_to_url)).text();
      const action = /<form method="post" action="([^"]+\/complete)"/.exec(html)?.[1];
      assert.ok(action, 'a Complete form');
      const res = await form(new URL(action.replace(/&amp;/g, '&'), t.url).toString(), 'redirect', undefined, { origin: t.url });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `/sandbox/payments/${p.payment_id}/redirect`);
      assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'succeeded');
      const after = await (await fetch(`${t.url}/sandbox/payments/${p.payment_id}/redirect`)).text();
      assert.match(after, /succeeded/);
      assert.match(after, /href="https:\/\/shop\.example\/done\?x=1&amp;payment_id=pay_[a-z0-9]+&amp;status=succeeded"/);
      assert.doesNotMatch(after, /<form/, 'nothing more to do');
    });

    it('the 3DS page fails the payment with its Fail form → failed with authentication_failed', async () => {
      const p = await create(t, { confirm: true, capture_method: 'manual', ...{ payment_method: 'card', payment_method_data: { card: { card_number: '4000000000003220', card_exp_month: '1', card_exp_year: '2040', card_cvc: '123' } } } });
      const complete = await tokenOf(`${t.url}/sandbox/payments/${p.payment_id}/complete`);
      const res = await form(`${t.url}/sandbox/payments/${p.payment_id}/fail`, '3ds');
      assert.equal(res.status, 303);
      const f = ok(await t.get(`/payments/${p.payment_id}`));
      assert.equal(f.status, 'failed');
      assert.equal(f.error_code, 'authentication_failed');
      const again = await form(`${t.url}/sandbox/payments/${p.payment_id}/complete`, '', { token: complete });
      assert.equal(again.status, 409, 'a finished step cannot be completed');
      assert.match(await again.text(), /could not be completed because it has a payment\.status of failed/);
    });

    it('completing a 3DS step of a 0259 card goes processing first', async () => {
      const p = await create(t, { confirm: true, authentication_type: 'three_ds', payment_method: 'card',
        payment_method_data: { card: { card_number: '4000000000000259', card_exp_month: '1', card_exp_year: '2040', card_cvc: '123' } } });
      assert.equal((await form(`${t.url}/sandbox/payments/${p.payment_id}/complete`)).status, 303);
      assert.equal(ok(await t.get(`/payments/${p.payment_id}`)).status, 'processing');
    });

    it('escapes everything it shows', async () => {
      const p = await create(t, { confirm: true, description: '<script>alert("x")</script>', ...method('pay_later', 'klarna') });
      const html = await (await fetch(p.next_action.redirect_to_url)).text();
      assert.equal(html.includes('<script>'), false);
      assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
      const res = await fetch(p.next_action.redirect_to_url);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.equal((await fetch(`${t.url}/sandbox/payments/pay_nope`)).status, 404);
      const index = await fetch(`${t.url}/sandbox`);
      assert.equal(index.status, 200);
      assert.match(await index.text(), new RegExp(p.payment_id));
    });
  });

  describe('simulate', () => {
    it('needs the api-key', async () => {
      const p = await create(t, { confirm: true, ...method('voucher', 'boleto') });
      err(await t.call('POST', `/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'succeed' }, { 'api-key': 'nope' }), 401, 'IR_01');
    });

    it('expire moves a waiting payment to expired; succeed/fail/expire refuse other statuses with IR_14', async () => {
      const p = await create(t);
      const e = ok(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'expire' }));
      assert.equal(e.status, 'expired');
      err(await t.post(`/sandbox/payments/${p.payment_id}/simulate`, { outcome: 'expire' }), 400, 'IR_14',
        'This Payment could not be expired because it has a payment.status of expired. The expected state is requires_payment_method, requires_confirmation, requires_customer_action');
      const q = await create(t);
      err(await t.post(`/sandbox/payments/${q.payment_id}/simulate`, { outcome: 'succeed' }), 400, 'IR_14',
        /could not be completed because it has a payment\.status of requires_payment_method\. The expected state is requires_customer_action, processing/);
      err(await t.post(`/sandbox/payments/${q.payment_id}/simulate`, { outcome: 'fail' }), 400, 'IR_14', /could not be failed/);
      err(await t.post(`/sandbox/payments/${q.payment_id}/simulate`, { outcome: 'maybe' }), 400, 'IR_05', 'outcome contains invalid data. Expected format is one of succeed, fail, expire');
      err(await t.post(`/sandbox/payments/${q.payment_id}/simulate`, {}), 400, 'IR_04', 'Missing required param: outcome');
      err(await t.post('/sandbox/payments/pay_nope/simulate', { outcome: 'fail' }), 404, 'HE_02');
      err(await t.call('GET', `/sandbox/payments/${q.payment_id}/simulate`), 405, 'IR_03');
    });
  });
});
