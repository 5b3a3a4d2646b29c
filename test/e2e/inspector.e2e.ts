// End to end, as a person, in light and dark themes: create payments from the palette (local
// sandbox), open each in the inspector from the notification's "Inspect", and check what is on screen:
//  - pix (bank_transfer/pix): requires_customer_action with a QR *image*: the QR code decoded from a
//    screenshot (jsqr + pngjs) is the payment's qr_code_url;
//  - duit_now (real_time_payment/duit_now): a QR *drawn by the webview* from qr_code_url, decoded the same way;
//  - a description `<img src=x onerror=alert(1)>` is shown as those characters, and no such img exists;
//  - after a reload of the window, the serializer restores the open inspector.
// Screenshots: test-results/screenshots/inspector-<theme>-*.png.
import * as assert from 'assert';
import * as fs from 'fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Frame } from 'playwright-core';
import { VsCodeSession } from './codeServer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const XSS = '<img src=x onerror=alert(1)>';
/** A webview's document frame: named "pending-frame" when created (VS Code renames its id to "active-frame" once loaded). */
const isWebviewDoc = (f: Frame) => f.name() === 'active-frame' || f.name() === 'pending-frame';

interface Created {
  id: string;
}

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

for (const theme of ['dark', 'light'] as const) {
  describe(`e2e: payment inspector (${theme} theme)`, function () {
    this.timeout(240_000);
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

    const waitForStep = (step: string, timeoutMs?: number): Promise<void> => vs!.waitForStep(step, timeoutMs);

    /** "PerfectPay: Create Payment" answered from the palette, confirming at once with `method`. */
    async function createFromPalette(o: { amount: string; currency: string; description: string; method: string; capture?: string }): Promise<Created> {
      await vs!.runCommand('PerfectPay: Create Payment');
      await waitForStep('1/6');
      await vs!.answerInput(o.amount);
      await waitForStep('2/6');
      await vs!.answerInput(o.currency);
      await waitForStep('3/6');
      await vs!.pickItem(o.capture ?? 'automatic');
      await waitForStep('4/6');
      await vs!.pickItem('no_three_ds');
      await waitForStep('5/6');
      await vs!.answerInput(o.description);
      await waitForStep('6/6');
      await vs!.pickItem('Yes, confirm now');
      await waitForStep('7/7');
      // The list is long (and virtual): filter it to the method first.
      await vs!.page.locator('.quick-input-widget .quick-input-box input').fill(o.method);
      await vs!.pickItem(o.method);
      const toasts = await vs!.waitForNotification(/Created and confirmed pay_\w+/, 20_000);
      const id = toasts.map((t) => /Created and confirmed (pay_\w+)/.exec(t)?.[1]).find(Boolean);
      assert.ok(id, toasts.join(' | '));
      return { id };
    }

    /** Opens the inspector of `id` from its notification's "Inspect" (else from the palette's picker). */
    async function inspect(id: string): Promise<Frame> {
      const toast = vs!.page.locator('.notifications-toasts .notification-toast', { hasText: id }).first();
      const button = toast.locator('.monaco-button', { hasText: 'Inspect' }).first();
      if (await button.count()) await button.click();
      else {
        await vs!.runCommand('PerfectPay: Inspect Payment');
        await vs!.pickItem(id);
      }
      return inspectorFrame(id);
    }

    /** The webview document showing payment `id` (its `.payment-id`), once it has rendered. */
    async function inspectorFrame(id: string, timeoutMs = 30_000): Promise<Frame> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const f of vs!.page.frames().filter(isWebviewDoc)) {
          const text = await f.locator('.payment-id').first().textContent({ timeout: 200 }).catch(() => null);
          if (text === id) return f;
        }
        if (Date.now() > deadline) throw new Error(`no inspector of ${id} within ${timeoutMs} ms`);
        await sleep(200);
      }
    }

    async function dismissToasts(): Promise<void> {
      // Notifications may cover the panel: clear them (Escape hides toasts when the editor has focus).
      for (const close of await vs!.page.locator('.notifications-toasts .codicon-notifications-clear, .notifications-toasts .codicon-close').all()) {
        await close.click({ timeout: 1000 }).catch(() => undefined);
      }
    }

    /** Waits until the QR image has loaded, takes the screenshot, decodes it. */
    async function screenshotAndDecode(frame: Frame, name: string): Promise<string | null> {
      const img = frame.locator('img.qr-image').first();
      await img.waitFor({ state: 'visible', timeout: 15_000 });
      await frame.waitForFunction(
        `(() => { const el = document.querySelector('img.qr-image');
          return !!el && el.complete && el.naturalWidth > 0 && !el.classList.contains('qr-pending'); })()`,
        undefined, { timeout: 15_000 });
      await dismissToasts();
      await img.scrollIntoViewIfNeeded();
      await sleep(300);
      const box = await img.boundingBox();
      const file = await shot(name);
      return decodeQr(file, box ?? undefined);
    }

    let pix: Created;

    it('shows a pix payment: its QR image decodes to its qr_code_url; the description is plain text', async () => {
      await vs!.openPerfectPayView();
      pix = await createFromPalette({ amount: '15.00', currency: 'BRL', description: XSS, method: 'Pix — QR code image' });
      const frame = await inspect(pix.id);
      await frame.locator('.status', { hasText: 'Requires customer action' }).first().waitFor({ timeout: 15_000 });

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
      await frame.locator('vscode-button[data-key="act-sim-ok"]').click();
      await frame.locator('.status', { hasText: 'Succeeded' }).first().waitFor({ timeout: 20_000 });
      const steps = await frame.locator('.timeline .tl-label').allInnerTexts();
      assert.deepEqual(steps, ['Created and confirmed with real_time_payment/duit_now', 'Customer step completed']);
      await dismissToasts();
      await sleep(300);
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
          ['Visa 3063 — 3DS method', 'USD', '8b-three-ds-invoke', '.na-3ds'],
          ['Visa 0002 — declined', 'USD', '8c-declined', '.row-error'],
        ];
        for (const [method, currency, name, selector] of cases) {
          const c = await createFromPalette({ amount: '12.34', currency, description: method, method });
          const frame = await inspect(c.id);
          await frame.locator(selector).first().waitFor({ timeout: 15_000 });
          if (selector === '.na-fetch') await frame.locator('.na-fetch img.qr-image').first().waitFor({ timeout: 15_000 });
          await dismissToasts();
          await sleep(400);
          await shot(name);
        }
      });

      it('shows a manual capture payment with its capture field prefilled, and captures part of it from the panel', async () => {
        const c = await createFromPalette({ amount: '49.99', currency: 'USD', description: 'Order 1001', method: 'Visa 4242', capture: 'manual_multiple' });
        const frame = await inspect(c.id);
        const field = frame.locator('vscode-text-field').first();
        await field.waitFor({ timeout: 15_000 });
        assert.equal(await field.evaluate((el) => (el as unknown as { value: string }).value), '49.99');
        await dismissToasts();
        await sleep(300);
        await shot('9-requires-capture');
        // Capture 20.00 from the panel.
        await field.evaluate((el) => {
          const f = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
          f.value = '20.00';
          f.dispatchEvent(new Event('input', { bubbles: true }));
        });
        await frame.locator('vscode-button[data-key="act-capture"]').click();
        await frame.locator('.tl-label', { hasText: 'Captured 20.00 USD' }).first().waitFor({ timeout: 20_000 });
        assert.equal(await frame.locator('vscode-text-field').first().evaluate((el) => (el as unknown as { value: string }).value), '29.99');
        await dismissToasts();
        await sleep(300);
        await shot('10-partially-captured');
      });
    }

    it('restores the open inspector after a reload of the window', async () => {
      // The web workbench saves its open editors now and then, not reliably on unload: give it time.
      await sleep(5000);
      await vs!.page.reload();
      await vs!.waitForWorkbench();
      // Any restored inspector (the active editor's) will do: its webview comes back with a payment.
      const deadline = Date.now() + 90_000;
      let frame: Frame | undefined;
      while (!frame) {
        for (const f of vs!.page.frames().filter(isWebviewDoc)) {
          const t = await f.locator('.payment-id').first().textContent({ timeout: 200 }).catch(() => null);
          if (t?.startsWith('pay_')) frame = f;
        }
        if (!frame && Date.now() > deadline) {
          await shot('11-restore-failed');
          throw new Error('no inspector came back after the reload');
        }
        await sleep(250);
      }
      assert.ok(await frame.locator('.timeline .tl-item').count() >= 1);
      // The local sandbox came back with its payments: the restored panel reads its payment again
      // (not "Payment does not exist").
      await sleep(2000);
      const loadError = await frame.locator('.load-error').allInnerTexts();
      assert.deepEqual(loadError, [], `the restored inspector shows: ${loadError.join(' | ')}`);
      const tabs = await vs!.page.locator('.tabs-container .tab').allInnerTexts();
      assert.ok(tabs.some((t) => /· pay_/.test(t)), `tabs: ${tabs.join(' | ')}`);
      await shot('11-restored');
    });
  });
}
