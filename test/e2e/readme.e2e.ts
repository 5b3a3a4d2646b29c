// The README's screenshots, taken as a person uses the extension (dark theme, 1280×800): the Payments view
// with the local sandbox's demo payments and a row's tooltip; the inspector of a Pix payment with its QR
// code; the inspector's timeline after the customer completed a 3DS step. Each is checked before it is taken.
//
// Always written to test-results/screenshots/readme-*.png. With PERFECTPAY_README_SCREENSHOTS=1
// (`npm run screenshots:readme`) also to media/screenshots/*.png, the files README.md shows (committed;
// not in the .vsix: the marketplace fetches README images from the repository).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Locator } from 'playwright-core';
import { repoRoot, screenshotsDir, VsCodeSession } from './codeServer';

const PAYMENT_ROW = /\d+(\.\d+)? [A-Z]{3}/;
const toMedia = process.env.PERFECTPAY_README_SCREENSHOTS === '1';
const mediaDir = path.join(repoRoot, 'media', 'screenshots');

async function until<T>(what: string, get: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('e2e: README screenshots', function () {
  this.timeout(300_000);
  let vs: VsCodeSession | undefined;

  before(async () => {
    vs = await VsCodeSession.start({
      theme: 'dark',
      viewport: { width: 1280, height: 800 },
      settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 25, 'workbench.sideBar.location': 'left', 'workbench.tips.enabled': false },
    });
  });

  after(async () => {
    await vs?.close();
  });

  /** Saves the page (or `clip` of it) as readme-NAME.png, and as media/screenshots/NAME.png when asked. */
  async function shot(name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
    await clearToasts();
    fs.mkdirSync(screenshotsDir, { recursive: true });
    const file = path.join(screenshotsDir, `readme-${name}.png`);
    await vs!.page.screenshot({ path: file, clip });
    if (toMedia) {
      fs.mkdirSync(mediaDir, { recursive: true });
      fs.copyFileSync(file, path.join(mediaDir, `${name}.png`));
    }
  }

  async function clearToasts(): Promise<void> {
    const toasts = vs!.page.locator('.notifications-toasts .notification-toast');
    for (const close of await vs!.page.locator('.notifications-toasts .codicon-notifications-clear').all()) {
      await close.click({ timeout: 2000 }).catch(() => undefined);
    }
    await until('the notifications to close', async () => (await toasts.count()) === 0, 10_000);
  }

  /** The editor area's rectangle (the screenshots of the inspector leave the side bar out). */
  async function editorClip(): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await vs!.page.locator('.part.editor').boundingBox();
    assert.ok(box, 'no editor area');
    return box;
  }

  /** Picks the quick pick's item matching `filter` with the keyboard: type it, wait for the first row to match, Enter. */
  async function pickWithKeyboard(filter: string): Promise<void> {
    const input = vs!.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(filter);
    const first = vs!.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
    await until(`a quick-pick item "${filter}"`, async () => ((await first.innerText().catch(() => '')) ?? '').includes(filter));
    await input.press('Enter');
  }

  /** "PerfectPay: Create Payment" from the palette, confirmed at once with `method`; returns the new id. */
  async function create(amount: string, currency: string, description: string, method: string): Promise<string> {
    await vs!.runCommand('PerfectPay: Create Payment');
    await vs!.waitForStep('1/6');
    await vs!.answerInput(amount);
    await vs!.waitForStep('2/6');
    await pickWithKeyboard(currency);
    await vs!.waitForStep('3/6');
    await pickWithKeyboard('automatic');
    await vs!.waitForStep('4/6');
    await pickWithKeyboard('no_three_ds');
    await vs!.waitForStep('5/6');
    await vs!.answerInput(description);
    await vs!.waitForStep('6/6');
    await pickWithKeyboard('Yes, confirm now');
    await vs!.waitForStep('7/7');
    await pickWithKeyboard(method);
    const toasts = await vs!.waitForNotification(/Created and confirmed pay_\w+/, 30_000);
    const id = toasts.map((t) => /Created and confirmed (pay_\w+)/.exec(t)?.[1]).find(Boolean);
    assert.ok(id, toasts.join(' | '));
    return id!;
  }

  /** Opens `id` in the inspector (its notification's "Inspect") and returns its webview document once drawn. */
  async function inspect(id: string): Promise<Frame> {
    const toast = vs!.page.locator('.notifications-toasts .notification-toast', { hasText: id }).first();
    await toast.locator('.monaco-button', { hasText: 'Inspect' }).first().click();
    return until(`the inspector of ${id}`, async () => {
      for (const f of vs!.page.frames().filter((fr) => fr.name() === 'active-frame' || fr.name() === 'pending-frame')) {
        if ((await f.locator('.payment-id').first().textContent({ timeout: 200 }).catch(() => null)) === id) return f;
      }
      return undefined;
    });
  }

  async function loaded(img: Locator): Promise<void> {
    await img.waitFor({ state: 'visible', timeout: 20_000 });
    await until('the QR image to load', () => img.evaluate((el) => {
      const i = el as unknown as { complete: boolean; naturalWidth: number; classList: { contains(c: string): boolean } };
      return i.complete && i.naturalWidth > 0 && !i.classList.contains('qr-pending');
    }));
  }

  it('the Payments view with the demo payments and a tooltip', async () => {
    await vs!.openPerfectPayView();
    const rows = await vs!.waitForTreeRow(PAYMENT_ROW, 60_000);
    assert.ok(rows.filter((r) => PAYMENT_ROW.test(r)).length >= 20, rows.join(' | '));
    await clearToasts();
    const row = vs!.page.locator('.part.sidebar .pane .monaco-list-row').filter({ hasText: PAYMENT_ROW }).nth(2);
    await row.hover();
    const hover = vs!.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /pay_/ }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 });
    const side = await vs!.page.locator('.part.sidebar').boundingBox();
    const tip = await hover.boundingBox();
    assert.ok(side && tip);
    await shot('tree', { x: 0, y: 0, width: Math.min(1280, Math.ceil(Math.max(side.x + side.width, tip.x + tip.width) + 16)), height: 800 });
    await vs!.page.mouse.move(900, 400);
    await hover.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  });

  it('the inspector of a Pix payment with its QR code', async () => {
    const id = await create('149.90', 'BRL', 'Order 1042 — Running shoes', 'Pix — QR code image');
    const frame = await inspect(id);
    await loaded(frame.locator('img.qr-image').first());
    await shot('inspector-qr', await editorClip());
  });

  it('the timeline of a payment whose customer completed a 3DS step', async () => {
    const id = await create('49.99', 'USD', 'Order 1043 — Annual plan', 'Visa 3220 — 3DS');
    const frame = await inspect(id);
    await frame.locator('vscode-button[data-key="act-sim-ok"]').click();
    await frame.locator('.status', { hasText: 'Succeeded' }).first().waitFor({ timeout: 30_000 });
    await until('the timeline to show the completed step', async () => (await frame.locator('.timeline .tl-label').count()) >= 2);
    await shot('timeline', await editorClip());
  });
});
