/**
 * Issue 23: the local sandbox's customer pages, in a real browser. "Open in Browser…" opens a
 * payment's page; its Complete and Fail buttons must work there (a browser posts the page's form
 * with the page's origin, or with `Origin: null` under some referrer policies, and the sandbox's
 * origin check refused that), and the payment's status over the API must follow, and so must the
 * webhook (issue 18: the final status of a customer's step arrives by webhook, signed). Headless
 * Chromium, no code-server: the sandbox runs in this process on a loopback port.
 */
import * as assert from 'assert';
import { createHmac, timingSafeEqual } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { startReceiver, type Receiver } from '../unit/sandbox/receiver';
import { launchChromium, screenshotsDir, waitFor } from './codeServer';

const KEY = 'sk_test_customer_pages_e2e';
const WEBHOOK_SECRET = 'whsec_customer_pages_e2e';

describe('e2e: the sandbox\'s customer pages in Chromium', function () {
  let sandbox: RunningSandbox;
  let browser: Browser;
  let receiver: Receiver;

  before(async () => {
    receiver = await startReceiver();
    sandbox = await startSandbox({ port: 0, apiKey: KEY, log: () => undefined, webhooks: { url: receiver.url, secret: WEBHOOK_SECRET } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await sandbox?.close();
    await receiver?.close();
  });

  const api = async (method: string, route: string, body?: unknown): Promise<any> => {
    const res = await fetch(sandbox.url + route, {
      method, headers: { 'api-key': KEY, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    assert.equal(res.status, 200, JSON.stringify(json));
    return json;
  };

  /** The four kinds of page a next_action points at, and the payment that leads to each. */
  const kinds: Array<{ name: string; body: Record<string, unknown>; page: (p: any) => string }> = [
    {
      name: '3DS',
      body: { amount: 4999, currency: 'USD', payment_method: 'card', payment_method_data: { card: { card_number: '4000000000003220', card_exp_month: '12', card_exp_year: '2040', card_cvc: '123' } } },
      page: (p) => p.next_action.redirect_to_url,
    },
    {
      name: 'redirect',
      body: { amount: 12000, currency: 'EUR', payment_method: 'pay_later', payment_method_type: 'klarna', payment_method_data: {} },
      page: (p) => p.next_action.redirect_to_url,
    },
    {
      name: 'QR',
      body: { amount: 1500, currency: 'BRL', payment_method: 'bank_transfer', payment_method_type: 'pix', payment_method_data: {} },
      page: (p) => p.next_action.qr_code_url,
    },
    {
      name: 'bank transfer',
      body: { amount: 2500, currency: 'USD', payment_method: 'bank_transfer', payment_method_type: 'ach', payment_method_data: {} },
      page: (p) => `${sandbox.url}/sandbox/payments/${p.payment_id}`,
    },
  ];

  for (const kind of kinds) {
    for (const [button, expected] of [['Complete', 'succeeded'], ['Fail', 'failed']] as const) {
      it(`${kind.name} page: ${button} → ${expected} over the API and in a signed webhook`, async () => {
        const p = await api('POST', '/payments', { confirm: true, ...kind.body });
        assert.equal(p.status, 'requires_customer_action');
        const url = kind.page(p);
        assert.ok(url.startsWith(`${sandbox.url}/sandbox/payments/${p.payment_id}`), url);
        const page = await browser.newPage({ viewport: { width: 800, height: 700 } });
        try {
          await page.goto(url);
          await page.getByRole('button', { name: button }).click();
          // The form's 303 brings the browser back to the same page, which then shows the new status.
          await waitFor(async () => (await page.locator('.badge').textContent()) === expected, { what: `the page's badge to read ${expected}` });
          assert.equal(page.url(), url);
          assert.equal(await page.getByText('Forbidden').count(), 0);
          assert.equal((await api('GET', `/payments/${p.payment_id}`)).status, expected);
          // The webhook of the new status, signed over its raw body as the contract says.
          const eventType = expected === 'succeeded' ? 'payment_succeeded' : 'payment_failed';
          const delivery = await waitFor(
            async () => receiver.deliveries.find((d) => d.json.content?.object?.payment_id === p.payment_id && d.json.event_type === eventType),
            { what: `the ${eventType} webhook of ${p.payment_id}` },
          );
          const signature = Buffer.from(String(delivery.headers['x-webhook-signature-512']), 'utf8');
          const expectedSignature = Buffer.from(createHmac('sha512', WEBHOOK_SECRET).update(delivery.raw).digest('hex'), 'utf8');
          assert.ok(signature.length === expectedSignature.length && timingSafeEqual(signature, expectedSignature), 'the signature verifies');
          assert.equal(delivery.json.content.object.status, expected);
          if (kind.name === '3DS' && button === 'Complete') {
            fs.mkdirSync(screenshotsDir, { recursive: true });
            await page.screenshot({ path: path.join(screenshotsDir, 'customer-page-3ds-completed.png') });
          }
        } finally {
          await page.close();
        }
      });
    }
  }
});
