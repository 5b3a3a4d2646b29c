// End to end, as a person, in light and dark themes: create payments from the palette (local
// sandbox), open each in the inspector from the notification's "Inspect", and check what is on screen:
//  - pix (bank_transfer/pix): requires_customer_action with a QR *image*: the QR code decoded from a
//    screenshot (jsqr + pngjs) is the payment's qr_code_url;
//  - duit_now (real_time_payment/duit_now): a QR *drawn by the webview* from qr_code_url, decoded the same way;
//  - a description `<img src=x onerror=alert(1)>` is shown as those characters, and no such img exists;
//  - after a reload of the window, the serializer restores the open inspector.
// Every test creates the payments it shows; the helpers (createFromPalette, openInspector, ...) are the
// harness's (test/e2e/codeServer.ts), and every wait is for a condition, never for a fixed time.
// Screenshots: test-results/screenshots/inspector-<theme>-*.png.
import * as assert from 'assert';
import * as fs from 'fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Frame } from 'playwright-core';
import { VsCodeSession, waitFor } from './codeServer';

const XSS = '<img src=x onerror=alert(1)>';

/** Decodes the QR code in a PNG file; first the whole screenshot, then the QR's own area of it. */
function decodeQr(file: string, area?: { x: number; y: number; width: number; height: number }): string | null {
  const png = PNG.sync.read(fs.readFileSync(file));
  const whole = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  if (whole) return whole.data;
  if (!area) return null;
  // Crop (with a margin) from the same screenshot.
  const x0 = Math.max(0, Math.floor(area.x) - 16);
  const y0 = Math.max(0, Math.floor(area.y) - 16);
  const w = Math.min(png.width - x0, Math.ceil(area.width) + 32);
  const hgt = Math.min(png.height - y0, Math.ceil(area.height) + 32);
  const out = new Uint8ClampedArray(w * hgt * 4);
  for (let y = 0; y < hgt; y++) {
    const from = ((y0 + y) * png.width + x0) * 4;
    out.set(png.data.subarray(from, from + w * 4), y * w * 4);
  }
  return jsQR(out, w, hgt)?.data ?? null;
}

/**
 * Whether the workbench's saved editor state (VS Code web keeps it in IndexedDB, `memento/workbench.parts.editor`
 * of the workspace's `vscode-web-state-db-*`) mentions `text`: what a reload restores.
 */
function savedEditorsMention(page: VsCodeSession['page'], text: string): Promise<boolean> {
  return page.evaluate(async (needle) => {
    const idb = (globalThis as unknown as { indexedDB: any }).indexedDB;
    const names: string[] = (await idb.databases()).map((d: { name: string }) => d.name)
      .filter((n: string) => n.startsWith('vscode-web-state-db-') && n !== 'vscode-web-state-db-global');
    for (const name of names) {
      const db = await new Promise<any>((resolve, reject) => {
        const r = idb.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      try {
        if (![...db.objectStoreNames].includes('ItemTable')) continue;
        const value = await new Promise<unknown>((resolve, reject) => {
          const r = db.transaction('ItemTable', 'readonly').objectStore('ItemTable').get('memento/workbench.parts.editor');
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        if (typeof value === 'string' && value.includes(needle)) return true;
      } finally {
        db.close();
      }
    }
    return false;
  }, text);
}

for (const theme of ['dark', 'light'] as const) {
  describe(`e2e: payment inspector (${theme} theme)`, function () {
    this.timeout(240_000);
    let vs: VsCodeSession;
    const dialogs: string[] = [];
    const shot = (name: string) => vs.screenshot(`inspector-${theme}-${name}`);

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

    beforeEach(async () => {
      await vs.closeQuickInput();
    });

    after(async () => {
      await vs?.close();
    });

    /** Takes screenshots until one shows the QR image of `frame` decoding to `expected` (the image loaded, toasts gone, scrolled to). */
    async function screenshotAndDecode(frame: Frame, name: string, expected: string): Promise<string> {
      const img = frame.locator('img.qr-image').first();
      await img.waitFor({ state: 'visible', timeout: 30_000 });
      await frame.waitForFunction(
        `(() => { const el = document.querySelector('img.qr-image');
          return !!el && el.complete && el.naturalWidth > 0 && !el.classList.contains('qr-pending'); })()`,
        undefined, { timeout: 30_000 });
      await vs.dismissNotifications();
      await img.scrollIntoViewIfNeeded();
      return waitFor(async () => {
        const box = await img.boundingBox();
        const decoded = decodeQr(await shot(name), box ?? undefined);
        if (decoded !== expected) throw new Error(`the screenshot's QR code decodes to ${JSON.stringify(decoded)}`);
        return decoded;
      }, { what: `a screenshot whose QR code decodes to ${expected}`, timeout: 30_000, interval: 500 });
    }

    it('shows a pix payment: its QR image decodes to its qr_code_url; the description is plain text', async () => {
      await vs.openPerfectPayView();
      const pix = await vs.createFromPalette({ amount: '15.00', currency: 'BRL', description: XSS, method: 'Pix — QR code image' });
      const frame = await vs.openInspector(pix.id);
      await frame.locator('.status', { hasText: 'Requires customer action' }).first().waitFor({ timeout: 30_000 });

      // The description, as characters; no element made of it; no script ran.
      const text = (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
      assert.ok(text.includes(XSS), 'the description is not shown as text');
      assert.equal(await frame.locator('img[src="x"]').count(), 0, 'an <img src=x> exists in the webview');
      assert.equal(await frame.locator('.description img').count(), 0);
      assert.equal(await frame.locator('.description').first().textContent(), XSS);

      const qrUrl = (await frame.locator('.qr-url code').first().textContent())?.trim() ?? '';
      assert.match(qrUrl, new RegExp(`/sandbox/payments/${pix.id}/qr$`));
      assert.equal(await frame.locator('img.qr-image').first().getAttribute('data-qr'), 'image');
      await screenshotAndDecode(frame, '1-pix', qrUrl);

      // Countdown, border colour from the server (#0A84FF), the live timeline.
      assert.match(await frame.locator('.qr-expiry .countdown').first().innerText(), /Expires in \d+:\d\d/);
      const border = await frame.locator('.qr-frame').first().evaluate(
        (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }).getComputedStyle(el).borderTopColor);
      assert.equal(border, 'rgb(10, 132, 255)');
      const steps = await frame.locator('.timeline .tl-label').allInnerTexts();
      assert.deepEqual(steps, ['Created and confirmed with bank_transfer/pix']);
      assert.deepEqual(dialogs, [], 'a dialog (alert) was opened');
    });

    it('shows a duit_now payment whose QR the webview draws from qr_code_url, decodable from a screenshot', async () => {
      const duit = await vs.createFromPalette({ amount: '25.00', currency: 'MYR', description: 'DuitNow e2e', method: 'DuitNow — QR code URL' });
      const frame = await vs.openInspector(duit.id);
      const qrUrl = (await frame.locator('.qr-url code').first().textContent())?.trim() ?? '';
      assert.match(qrUrl, new RegExp(`/sandbox/payments/${duit.id}/qr$`));
      assert.equal(await frame.locator('img.qr-image').first().getAttribute('data-qr'), 'drawn');
      await screenshotAndDecode(frame, '2-duit-now', qrUrl);
    });

    it('completes the customer step from the panel: Succeeded, and the timeline grows by that step', async () => {
      const duit = await vs.createFromPalette({ amount: '26.00', currency: 'MYR', description: 'DuitNow complete e2e', method: 'DuitNow — QR code URL' });
      const frame = await vs.openInspector(duit.id);
      await frame.locator('.status', { hasText: 'Requires customer action' }).first().waitFor({ timeout: 30_000 });
      await frame.locator('vscode-button[data-key="act-sim-ok"]').click();
      await frame.locator('.status', { hasText: 'Succeeded' }).first().waitFor({ timeout: 30_000 });
      const steps = await frame.locator('.timeline .tl-label').allInnerTexts();
      assert.deepEqual(steps, ['Created and confirmed with real_time_payment/duit_now', 'Customer step completed']);
      await vs.dismissNotifications();
      await shot('3-completed');
    });

    if (theme === 'dark') {
      // The other next_action previews, and a decline: method, currency, what it shows, its element, screenshot.
      const previews: [string, string, string, string, string][] = [
        ['Bank transfer — ACH', 'USD', 'the bank transfer details', '.na-bank', '4-bank-transfer'],
        ['Klarna — redirect', 'USD', 'the redirect', '.na-redirect', '5-redirect'],
        ['Boleto — wait screen', 'BRL', 'the wait screen', '.na-wait', '6-wait-screen'],
        ['Google Pay — wallet token', 'USD', 'the wallet token', '.na-sdk', '7-wallet-token'],
        ['FPS — QR code to fetch', 'USD', 'the QR code fetched by the extension', '.na-fetch img.qr-image', '8-fetch-qr'],
        ['Visa 3063 — 3DS method', 'USD', 'the 3DS method (three_ds_invoke)', '.na-3ds', '8b-three-ds-invoke'],
        ['Visa 0002 — declined', 'USD', 'the decline', '.row-error', '8c-declined'],
      ];
      for (const [method, currency, what, selector, name] of previews) {
        it(`shows ${what} of a payment confirmed with "${method}" (${selector})`, async () => {
          const c = await vs.createFromPalette({ amount: '12.34', currency, description: method, method });
          const frame = await vs.openInspector(c.id);
          await frame.locator(selector).first().waitFor({ state: 'visible', timeout: 30_000 });
          await vs.dismissNotifications();
          await shot(name);
        });
      }

      it('shows a manual capture payment with its capture field prefilled, and captures part of it from the panel', async () => {
        const c = await vs.createFromPalette({ amount: '49.99', currency: 'USD', description: 'Order 1001', method: 'Visa 4242', capture: 'manual_multiple' });
        const frame = await vs.openInspector(c.id);
        const fieldValue = () => frame.locator('vscode-text-field').first().evaluate((el) => (el as unknown as { value: string }).value);
        await frame.locator('vscode-text-field').first().waitFor({ timeout: 30_000 });
        assert.equal(await fieldValue(), '49.99');
        await vs.dismissNotifications();
        await shot('9-requires-capture');
        // Capture 20.00 from the panel.
        await frame.locator('vscode-text-field').first().evaluate((el) => {
          const f = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
          f.value = '20.00';
          f.dispatchEvent(new Event('input', { bubbles: true }));
        });
        await frame.locator('vscode-button[data-key="act-capture"]').click();
        await frame.locator('.tl-label', { hasText: 'Captured 20.00 USD' }).first().waitFor({ timeout: 30_000 });
        await waitFor(async () => (await fieldValue()) === '29.99', { what: 'the capture field to offer the remaining 29.99' });
        await vs.dismissNotifications();
        await shot('10-partially-captured');
      });
    }

    it('restores the open inspector after a reload of the window, and reads its payment again', async () => {
      const c = await vs.createFromPalette({ amount: '8.00', description: 'restore me', method: 'Visa 4242 — succeeds' });
      const frame = await vs.openInspector(c.id);
      await frame.locator('.status', { hasText: 'Succeeded' }).first().waitFor({ timeout: 30_000 });
      // The web workbench saves its open editors (the webview's state with them) every few seconds, not
      // reliably on unload: wait until the saved state holds this inspector, then reload.
      await waitFor(() => savedEditorsMention(vs.page, c.id), {
        what: `the workbench's saved editors (IndexedDB) to hold the inspector of ${c.id}`, timeout: 60_000, interval: 500,
      });
      const reloadedAt = Date.now();
      await vs.page.reload({ waitUntil: 'domcontentloaded', timeout: 120_000 });
      await vs.waitForWorkbench();
      await vs.inspectorFrame(c.id, 120_000).catch(async (err) => {
        await shot('11-restore-failed');
        throw err;
      });
      // The local sandbox came back with its payments: the restored panel reads its payment again (an
      // "updated" time after the reload), not "Payment does not exist".
      const restored = await waitFor(async () => {
        const f = await vs.inspectorFrame(c.id, 5000);
        const at = await f.locator('.id-line time').first().getAttribute('datetime', { timeout: 1000 });
        if (!at || Date.parse(at) < reloadedAt) throw new Error(`the inspector shows the payment as read at ${at}`);
        return f;
      }, { what: `the restored inspector of ${c.id} to read the payment again`, timeout: 60_000, interval: 250 });
      const errors = await restored.locator('.load-error, .banner-error').allInnerTexts();
      assert.deepEqual(errors, [], `the restored inspector shows: ${errors.join(' | ')}`);
      assert.ok(await restored.locator('.timeline .tl-item').count() >= 1);
      const tabs = await vs.page.locator('.tabs-container .tab').allInnerTexts();
      // Its tab, titled with the amount and the id (shortened).
      assert.ok(tabs.some((t) => t.startsWith('8.00 USD · ') && t.includes(c.id.slice(0, 11))), `tabs: ${tabs.join(' | ')}`);
      await shot('11-restored');
    });
  });
}
