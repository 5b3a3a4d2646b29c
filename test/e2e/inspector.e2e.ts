// End to end, as a person, in light and dark themes: create payments from the palette (local
// sandbox), open each in the inspector from the notification's "Inspect", and check what is on screen:
//  - pix (bank_transfer/pix): requires_customer_action with a QR *image*: the QR code decoded from a
//    screenshot (jsqr + pngjs) is the payment's qr_code_url;
//  - duit_now (real_time_payment/duit_now): a QR *drawn by the webview* from qr_code_url, decoded the same way;
//  - a description `<img src=x onerror=alert(1)>` is shown as those characters, and no such img exists;
//  - after a reload of the window, the serializer restores the open inspector;
//  - against a PerfectPay server written for the test (a custom environment): addresses, email, phone,
//    connector_transaction_id with its copy button, the metadata as a collapsible JSON tree (as text),
//    and a QR code URL on another origin that is never fetched but opened after a confirmation.
// No fixed sleeps: each step waits for what it needs (a toast gone, frames painted, a state saved).
// Screenshots: test-results/screenshots/inspector-<theme>-*.png, inspector-custom-*.png.
import * as assert from 'assert';
import * as fs from 'fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Frame } from 'playwright-core';
import { newPaymentId } from '../../src/domain/ids';
import { fakePerfectPay, paymentAnswer, type FakePerfectPay } from '../fakePerfectPay';
import { VsCodeSession, waitFor } from './codeServer';
import { timeouts } from './timeouts';

/** Resolves after the document has painted two more frames (layout and paint are done). */
const painted = (f: Frame) => f.evaluate(() => new Promise((r) => {
  const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
  raf(() => raf(() => r(true)));
}));
/** The webview's document, inside functions that run there (this project's tests compile without the DOM types). */
type Doc = { querySelector(s: string): any; querySelectorAll(s: string): ArrayLike<any> };
const XSS = '<img src=x onerror=alert(1)>';

interface Created {
  id: string;
}

/** Decodes the QR code in a PNG file; first the whole screenshot, then the QR's own area of it. */
function decodeQr(file: string | Buffer): string | null {
  const png = PNG.sync.read(typeof file === 'string' ? fs.readFileSync(file) : file);
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? null;
}

for (const theme of ['dark', 'light'] as const) {
  describe(`e2e: payment inspector (${theme} theme)`, function () {
    this.timeout(timeouts.test);
    let vs: VsCodeSession | undefined;
    const dialogs: string[] = [];
    const shot = (name: string) => vs!.screenshot(`inspector-${theme}-${name}`);

    before(async () => {
      vs = await VsCodeSession.start({
        theme,
        viewport: { width: 1400, height: 1000 },
        settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 0, 'workbench.sideBar.location': 'left' },
      });
      vs.page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
    });

    after(async () => {
      await vs?.close();
    });

    const waitForStep = async (step: string, timeoutMs?: number): Promise<void> => void (await vs!.waitForStep(step, timeoutMs));

    /**
     * Picks a quick-pick item by keyboard, as issue 7 asks (a hover tooltip left by the mouse can cover
     * a row): the filter narrows the list to `label`, Enter takes the focused row once it is that one.
     */
    async function pick(label: string, timeoutMs = timeouts.action): Promise<void> {
      const input = vs!.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: timeoutMs });
      await input.fill(label);
      await vs!.page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: label })
        .waitFor({ state: 'visible', timeout: timeoutMs });
      await input.press('Enter');
    }

    /** "PerfectPay: Create Payment" answered from the palette, confirming at once with `method`. */
    async function createFromPalette(o: { amount: string; currency: string; description: string; method: string; capture?: string }): Promise<Created> {
      await vs!.runCommand('PerfectPay: Create Payment');
      await waitForStep('1/6');
      await vs!.answerInput(o.amount);
      await waitForStep('2/6');
      await vs!.answerInput(o.currency);
      await waitForStep('3/6');
      await pick(o.capture ?? 'automatic');
      await waitForStep('4/6');
      await pick('no_three_ds');
      await waitForStep('5/6');
      await vs!.answerInput(o.description);
      await waitForStep('6/6');
      await pick('Yes, confirm now');
      await waitForStep('7/7');
      await pick(o.method);
      const listed = await vs!.waitForNotification(/Created and confirmed pay_\w+/, timeouts.step);
      const id = listed.map((t) => /Created and confirmed (pay_\w+)/.exec(t)?.[1]).find(Boolean);
      assert.ok(id, listed.join(' | '));
      return { id };
    }

    /** Opens the inspector of `id` from the palette's picker. */
    const inspect = (id: string): Promise<Frame> => vs!.openInspector(id);

    /** The webview document showing payment `id`, once it has rendered. */
    const inspectorFrame = (id: string) => vs!.inspectorFrame(id, timeouts.step);

    /** Notifications may cover the panel: clear them. */
    const dismissToasts = (): Promise<void> => vs!.dismissNotifications();

    /** Ready for a screenshot: no toast over the panel, the workbench and the webview painted. */
    async function settled(frame: Frame): Promise<void> {
      await dismissToasts();
      await painted(vs!.page.mainFrame());
      await painted(frame);
    }

    /** Waits until the QR image has loaded, takes the screenshot, decodes it. */
    async function screenshotAndDecode(frame: Frame, name: string): Promise<string | null> {
      const img = frame.locator('img.qr-image').first();
      // The page draws again when the read that follows its first paint lands (attempts for the
      // timeline): an image found before that may be replaced under the scroll. Each try waits for the
      // image again; only that replacement ("not attached") is tried again, and only a few times.
      for (let attempt = 1; ; attempt++) {
        await img.waitFor({ state: 'visible', timeout: timeouts.action });
        // A function, not a string: the webview's CSP forbids eval, which a string predicate needs.
        await frame.waitForFunction(() => {
          const el = (globalThis as unknown as { document: Doc }).document.querySelector('img.qr-image');
          return !!el && el.complete && el.naturalWidth > 0 && !el.classList.contains('qr-pending');
        }, undefined, { timeout: timeouts.action });
        try {
          await img.scrollIntoViewIfNeeded();
          break;
        } catch (e) {
          if (attempt >= 5 || !/not attached to the DOM/.test(String(e))) throw e;
        }
      }
      await settled(frame);
      const file = await shot(name);
      // Else the image alone, photographed as it is now (the locator finds it again, wherever it was redrawn).
      return decodeQr(file) ?? decodeQr(await img.screenshot({ timeout: timeouts.action }));
    }

    let pix: Created;

    it('shows a pix payment: its QR image decodes to its qr_code_url; the description is plain text', async () => {
      await vs!.openPerfectPayView();
      pix = await createFromPalette({ amount: '15.00', currency: 'BRL', description: XSS, method: 'Pix — QR code image' });
      const frame = await inspect(pix.id);
      await frame.locator('.status', { hasText: 'Requires customer action' }).first().waitFor({ timeout: timeouts.action });

      // The description, as characters; no element made of it; no script ran.
      const text = (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
      assert.ok(text.includes(XSS), 'the description is not shown as text');
      assert.equal(await frame.locator('img[src="x"]').count(), 0, 'an <img src=x> exists in the webview');
      assert.equal(await frame.locator('.description img').count(), 0);
      assert.equal(await frame.locator('.description').first().textContent(), XSS);

      const qrUrl = (await frame.locator('.qr-url code').first().textContent())?.trim() ?? '';
      assert.match(qrUrl, new RegExp(`/sandbox/payments/${pix.id}/qr$`));
      assert.equal(await frame.locator('img.qr-image').first().getAttribute('data-qr'), 'image');
      const decoded = await screenshotAndDecode(frame, '1-pix');
      assert.equal(decoded, qrUrl, 'the QR code on screen does not decode to the qr_code_url');

      // Countdown, border colour from the server (#0A84FF), the live timeline.
      assert.match(await frame.locator('.qr-expiry .countdown').first().innerText(), /Expires in \d+:\d\d/);
      const border = await frame.locator('.qr-frame').first().evaluate(
        (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }).getComputedStyle(el).borderTopColor);
      assert.equal(border, 'rgb(10, 132, 255)');
      const steps = await frame.locator('.timeline .tl-label').allInnerTexts();
      assert.deepEqual(steps, ['Created and confirmed with bank_transfer/pix']);
      assert.deepEqual(dialogs, [], 'a dialog (alert) was opened');
    });

    let duit: Created;

    it('shows a duit_now payment whose QR the webview draws from qr_code_url, decodable from a screenshot', async () => {
      duit = await createFromPalette({ amount: '25.00', currency: 'MYR', description: 'DuitNow e2e', method: 'DuitNow — QR code URL' });
      const frame = await inspect(duit.id);
      const qrUrl = (await frame.locator('.qr-url code').first().textContent())?.trim() ?? '';
      assert.match(qrUrl, new RegExp(`/sandbox/payments/${duit.id}/qr$`));
      assert.equal(await frame.locator('img.qr-image').first().getAttribute('data-qr'), 'drawn');
      const decoded = await screenshotAndDecode(frame, '2-duit-now');
      assert.equal(decoded, qrUrl);
    });

    it('completes the customer step from the panel: the timeline grows', async () => {
      const frame = await inspectorFrame(duit.id);
      // The buttons of the one action table: requires_customer_action on the local sandbox.
      assert.deepEqual(await frame.locator('vscode-button[data-key^="act-sim-"]').allInnerTexts(),
        ['Complete Customer Step', 'Fail Customer Step', 'Expire Payment']);
      await frame.locator('vscode-button[data-key="act-sim-succeed"]').click();
      await frame.locator('.status', { hasText: 'Succeeded' }).first().waitFor({ timeout: timeouts.step });
      const steps = await frame.locator('.timeline .tl-label').allInnerTexts();
      assert.deepEqual(steps, ['Created and confirmed with real_time_payment/duit_now', 'Customer step completed']);
      await settled(frame);
      await shot('3-completed');
    });

    if (theme === 'dark') {
      it('shows the other next_action previews (bank transfer, redirect, wait screen, wallet token, 3DS) and a decline', async () => {
        const cases: [string, string, string, string][] = [
          ['Bank transfer — ACH', 'USD', '4-bank-transfer', '.na-bank'],
          ['Klarna — redirect', 'USD', '5-redirect', '.na-redirect'],
          ['Boleto — wait screen', 'BRL', '6-wait-screen', '.na-wait'],
          ['Google Pay — wallet token', 'USD', '7-wallet-token', '.na-sdk'],
          ['FPS — QR code to fetch', 'USD', '8-fetch-qr', '.na-fetch'],
          ['Visa 3063 — 3DS', 'USD', '8b-three-ds-redirect', '.na-redirect'],
          ['Visa 0002 — declined', 'USD', '8c-declined', '.row-error'],
        ];
        for (const [method, currency, name, selector] of cases) {
          const c = await createFromPalette({ amount: '12.34', currency, description: method, method });
          const frame = await inspect(c.id);
          await frame.locator(selector).first().waitFor({ timeout: timeouts.action });
          if (selector === '.na-fetch') await frame.locator('.na-fetch img.qr-image').first().waitFor({ timeout: timeouts.action });
          await settled(frame);
          await shot(name);
        }
      });

      it('shows a manual capture payment with its capture field prefilled, and captures part of it from the panel', async () => {
        const c = await createFromPalette({ amount: '49.99', currency: 'USD', description: 'Order 1001', method: 'Visa 4242', capture: 'manual_multiple' });
        const frame = await inspect(c.id);
        const field = frame.locator('vscode-text-field').first();
        await field.waitFor({ timeout: timeouts.action });
        assert.equal(await field.evaluate((el) => (el as unknown as { value: string }).value), '49.99');
        await settled(frame);
        await shot('9-requires-capture');
        // Capture 20.00 from the panel.
        await field.evaluate((el) => {
          const f = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
          f.value = '20.00';
          f.dispatchEvent(new Event('input', { bubbles: true }));
        });
        await frame.locator('vscode-button[data-key="act-capture"]').click();
        await frame.locator('.tl-label', { hasText: 'Captured 20.00 USD' }).first().waitFor({ timeout: timeouts.step });
        assert.equal(await frame.locator('vscode-text-field').first().evaluate((el) => (el as unknown as { value: string }).value), '29.99');
        await settled(frame);
        await shot('10-partially-captured');
      });
    }

    it('restores the open inspector after a reload of the window', async () => {
      // Reloaded as a person does (the command): the workbench saves its open editors before it goes.
      const reloadedAt = Date.now();
      const navigated = vs!.page.waitForEvent('framenavigated', { predicate: (f) => f === vs!.page.mainFrame(), timeout: timeouts.slow });
      await vs!.runCommand('Developer: Reload Window');
      await navigated;
      await vs!.waitForWorkbench();
      // Any restored inspector (the active editor's) will do: its webview comes back with a payment.
      const frame = await vs!.inspectorFrame(/^pay_/, timeouts.load).catch(async (e: unknown) => {
        await shot('11-restore-failed');
        throw new Error(`no inspector came back after the reload: ${e instanceof Error ? e.message : String(e)}`);
      });
      assert.ok(await frame.locator('.timeline .tl-item').count() >= 1);
      // The local sandbox came back with its payments: the restored panel reads its payment again
      // (a model received after the reload), and shows no "Payment does not exist".
      await frame.waitForFunction((t0) => {
        const t = (globalThis as unknown as { document: Doc }).document.querySelector('.id-line time[datetime]');
        return !!t && Date.parse(t.getAttribute('datetime')) > t0;
      }, reloadedAt, { timeout: timeouts.step });
      const loadError = await frame.locator('.load-error, .banner-error').allInnerTexts();
      assert.deepEqual(loadError, [], `the restored inspector shows: ${loadError.join(' | ')}`);
      const tabs = await vs!.page.locator('.tabs-container .tab').allInnerTexts();
      assert.ok(tabs.some((t) => /· pay_/.test(t)), `tabs: ${tabs.join(' | ')}`);
      await settled(frame);
      await shot('11-restored');
    });
  });
}

describe('e2e: payment inspector against a PerfectPay server written for the test (custom environment)', function () {
  this.timeout(timeouts.test);
  const KEY = `sk_test_e2e_${Date.now()}`;
  let vs: VsCodeSession | undefined;
  let fake: FakePerfectPay;
  const shot = (name: string) => vs!.screenshot(`inspector-custom-${name}`);
  const XSS = '<img src=x onerror=alert(1)>';

  before(async () => {
    fake = await fakePerfectPay(KEY);
    vs = await VsCodeSession.start({
      theme: 'dark',
      viewport: { width: 1400, height: 1000 },
      settings: { 'perfectpay.environment': 'custom', 'perfectpay.baseUrl': fake.api.base, 'workbench.sideBar.location': 'left' },
    });
    vs.page.on('dialog', (d) => void d.dismiss());
    // The key, as a person gives it; the view then lists the server's payments with it.
    await vs.openPerfectPayView();
    await vs.runCommand('PerfectPay: Set API Key');
    await vs.answerInput(KEY);
    await waitFor(() => fake.api.hits.some((h) => h.apiKey === KEY), { what: 'a request with the key', timeout: timeouts.step });
  });

  after(async () => {
    await vs?.close();
    await fake?.close();
  });

  /** "PerfectPay: Open Payment by ID", then the webview showing it. */
  async function openById(id: string): Promise<Frame> {
    await vs!.runCommand('PerfectPay: Open Payment by ID');
    await vs!.answerInput(id);
    return vs!.inspectorFrame(id, timeouts.step);
  }

  async function settled(frame: Frame): Promise<void> {
    await vs!.dismissNotifications();
    await painted(vs!.page.mainFrame());
    await painted(frame);
  }

  it('shows addresses, email, phone, connector_transaction_id (copyable) and the metadata as a JSON tree, all as text', async () => {
    const id = newPaymentId();
    fake.payments.set(id, paymentAnswer(id, {
      status: 'succeeded', amount: 4999, currency: 'USD', amount_received: 4999, payment_method: 'card', payment_method_type: 'credit',
      payment_method_data: { card: { last4: '4242', card_network: 'Visa', card_exp_month: '12', card_exp_year: '35', card_holder_name: 'Jane Doe' } },
      description: 'Order 2002', connector_transaction_id: 'pi_3NfAkEe2eTxn',
      name: 'Jane Doe', email: 'jane@example.com', phone: '4155550100', phone_country_code: '+1',
      billing: { address: { line1: '1 Main St', line2: 'Apt 2', city: 'San Francisco', state: 'CA', zip: '94122', country: 'US', first_name: 'Jane', last_name: 'Doe' },
        phone: { number: '4155550100', country_code: '+1' }, email: 'billing@example.com' },
      shipping: { address: { line1: '2 Dock Rd', city: 'Oakland', state: 'CA', zip: '94607', country: 'US', first_name: 'Jim', last_name: 'Doe' }, phone: null, email: null },
      metadata: { order: { id: 2002, lines: [{ sku: 'A-1', qty: 2 }, { sku: XSS, qty: 1 }], gift: false, note: null }, channel: 'web' },
    }));
    const frame = await openById(id);
    await frame.locator('.section-addresses .address').nth(1).waitFor({ timeout: timeouts.action });
    const addresses = (await frame.locator('.section-addresses .address').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.deepEqual(addresses, [
      'Billing Jane Doe 1 Main St Apt 2 San Francisco, CA 94122 US Phone +1 4155550100 Email billing@example.com',
      'Shipping Jim Doe 2 Dock Rd Oakland, CA 94607 US',
    ]);
    const details = (await frame.locator('.section-details').innerText()).replace(/\s+/g, ' ');
    for (const s of ['Email jane@example.com', 'Phone +1 4155550100', 'Name Jane Doe', 'Connector transaction pi_3NfAkEe2eTxn']) {
      assert.ok(details.includes(s), `"${s}" not in: ${details}`);
    }
    // The metadata tree: nested <details>, keys and values as text (the <img> is characters, not an element).
    const tree = frame.locator('.section-metadata .json-tree');
    assert.equal(await tree.locator('details.json-node').count(), 4); // order, lines, lines[0], lines[1]
    const treeText = (await tree.innerText()).replace(/\s+/g, ' ');
    assert.ok(treeText.includes(`sku: "${XSS}"`), treeText);
    assert.ok(treeText.includes('gift: false') && treeText.includes('note: null') && treeText.includes('channel: "web"'), treeText);
    assert.equal(await frame.locator('img[src="x"]').count(), 0, 'an element was made of a metadata value');
    await frame.locator('.section-metadata').scrollIntoViewIfNeeded();
    await settled(frame);
    await shot('1-fields-and-metadata');
    // Collapse "lines" by its summary, as a person clicks it.
    const lines = tree.locator('details.json-node', { has: frame.locator(':scope > summary .json-key', { hasText: /^lines$/ }) }).first();
    await lines.locator(':scope > summary').click();
    await frame.waitForFunction(() => Array.from((globalThis as unknown as { document: Doc }).document.querySelectorAll('details.json-node')).some((d) => !d.open),
      undefined, { timeout: timeouts.short });
    assert.equal(await lines.evaluate((d) => (d as unknown as { open: boolean }).open), false);
    // Copy the connector's reference: the panel says it copied it.
    await frame.locator('vscode-button[data-key="connector-txn-copy"]').click();
    await frame.locator('#notice.shown', { hasText: 'Copied connector transaction ID.' }).waitFor({ timeout: timeouts.action });
  });

  it('does not fetch a QR code URL on another origin; Open asks first, in a modal dialog', async () => {
    const id = newPaymentId();
    const foreign = `${fake.elsewhere.base}/qr/${id}`;
    fake.payments.set(id, paymentAnswer(id, { next_action: { type: 'fetch_qr_code_information', qr_code_fetch_url: foreign } }));
    const frame = await openById(id);
    const refused = frame.locator('.na-fetch-refused');
    await refused.waitFor({ timeout: timeouts.action });
    const text = (await refused.innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes(`The QR code URL is on ${fake.elsewhere.base}, not on the API's own origin (${fake.api.base})`), text);
    assert.ok(text.includes(foreign), text);
    assert.equal(await frame.locator('img.qr-image').count(), 0);
    await settled(frame);
    await shot('2-foreign-qr');
    // Open: VS Code asks (modal); Cancel opens nothing.
    await frame.locator('vscode-button[data-key="fetch-qr-open"]').click();
    const dialog = vs!.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: timeouts.action });
    const asked = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.ok(asked.includes('Open this HTTP page in your browser?') && asked.includes(foreign), asked);
    await painted(vs!.page.mainFrame());
    await shot('3-open-asks');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: timeouts.action });
    assert.deepEqual(fake.elsewhere.hits, [], 'the other origin was requested');
  });
});
