// The README's screenshots, taken as a person uses the extension (1280×800, in the light theme, VS Code's
// default, and the dark one): the Payments view
// with the local sandbox's demo payments and a row's tooltip; the view filtered on the server; the inspector
// of a Pix payment with its QR code; the inspector's timeline after the customer completed a 3DS step; the
// inspector of a partly refunded payment. Each
// is checked before it is taken.
//
// Always written to test-results/screenshots/readme-*.png. With PERFECTPAY_README_SCREENSHOTS=1
// (`npm run screenshots:readme`) also to media/screenshots/NAME-THEME.png, the files README.md shows
// (committed; not in the .vsix: the marketplace fetches README images from the repository). `npm test`
// takes them in one theme (PERFECTPAY_README_THEMES, default dark: the other e2e files cover the light
// one); `npm run screenshots:readme` in both.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Locator } from 'playwright-core';
import { repoRoot, screenshotsDir, useSession, waitFor } from './codeServer';
import { timeouts } from './timeouts';

const PAYMENT_ROW = /\d+(\.\d+)? [A-Z]{3}/;
const toMedia = process.env.PERFECTPAY_README_SCREENSHOTS === '1';
const mediaDir = path.join(repoRoot, 'media', 'screenshots');

/** Waits until `get` answers something truthy (the session's one polling wait, with this file's wording). */
function until<T>(what: string, get: () => Promise<T | undefined | null | false>, timeoutMs = timeouts.step): Promise<T> {
  return waitFor(async () => (await get()) || undefined, { what, timeout: timeoutMs }) as Promise<T>;
}

const shotThemes = (process.env.PERFECTPAY_README_THEMES ?? (toMedia ? 'light,dark' : 'dark')).split(',').map((t) => t.trim()) as ('light' | 'dark')[];

for (const theme of shotThemes) describe(`e2e: README screenshots (${theme} theme)`, function () {
  this.timeout(timeouts.test);
  const vs = useSession({
    theme,
    viewport: { width: 1280, height: 800 },
    settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 25, 'workbench.sideBar.location': 'left', 'workbench.tips.enabled': false },
  });

  /** Saves the page (or `clip` of it) as readme-NAME.png, and as media/screenshots/NAME.png when asked. */
  async function shot(name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<void> {
    await clearToasts();
    fs.mkdirSync(screenshotsDir, { recursive: true });
    const file = path.join(screenshotsDir, `readme-${name}-${theme}.png`);
    await vs().page.screenshot({ path: file, clip });
    if (toMedia) {
      fs.mkdirSync(mediaDir, { recursive: true });
      fs.copyFileSync(file, path.join(mediaDir, `${name}-${theme}.png`));
    }
  }

  async function clearToasts(): Promise<void> {
    await vs().dismissNotifications();
  }

  /** The editor area's rectangle (the screenshots of the inspector leave the side bar out). */
  async function editorClip(): Promise<{ x: number; y: number; width: number; height: number }> {
    const box = await vs().page.locator('.part.editor').boundingBox();
    assert.ok(box, 'no editor area');
    return box;
  }

  /** "PerfectPay: Create Payment" from the palette, confirmed at once with `method`; returns the new id. */
  async function create(amount: string, currency: string, description: string, method: string): Promise<string> {
    return (await vs().createFromPalette({ amount, currency, description, method })).id;
  }

  /** Opens `id` in the inspector and returns its webview document once drawn. */
  async function inspect(id: string): Promise<Frame> {
    return vs().openInspector(id);
  }

  async function loaded(img: Locator): Promise<void> {
    await img.waitFor({ state: 'visible', timeout: timeouts.step });
    await until('the QR image to load', () => img.evaluate((el) => {
      const i = el as unknown as { complete: boolean; naturalWidth: number; classList: { contains(c: string): boolean } };
      return i.complete && i.naturalWidth > 0 && !i.classList.contains('qr-pending');
    }));
  }

  it('the Payments view with the demo payments and a tooltip', async () => {
    await vs().openPerfectPayView();
    const rows = await vs().waitForTreeRow(PAYMENT_ROW, timeouts.slow);
    assert.ok(rows.filter((r) => PAYMENT_ROW.test(r)).length >= 20, rows.join(' | '));
    await clearToasts();
    const rowText = ((await vs().page.locator('.part.sidebar .pane .monaco-list-row').filter({ hasText: PAYMENT_ROW }).nth(2).textContent()) ?? '').trim();
    // The shared helper hovers again until the tooltip shows (the view's rows are drawn again when the
    // live page replaces last session's, which takes a hover away with the row under it).
    const hover = vs().page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /pay_/ }).first();
    // The clip is read right before the shot, and the shot counts only if the tooltip was still up after it
    // (a redraw of the rows can take it away): else hover and shoot again.
    await waitFor(async () => {
      await vs().treeRowTooltip(rowText, 'pay_');
      const [side, tip] = await Promise.all([vs().page.locator('.part.sidebar').boundingBox(), hover.boundingBox()]);
      if (!side || !tip) throw new Error('the side bar or the tooltip is not on screen');
      await shot('tree', { x: 0, y: 0, width: Math.min(1280, Math.ceil(Math.max(side.x + side.width, tip.x + tip.width) + 16)), height: 800 });
      if (!(await hover.isVisible())) throw new Error('the tooltip went during the shot');
      return true;
    }, { what: 'a screenshot of the view with a row\'s tooltip', timeout: timeouts.slow });
    await vs().page.mouse.move(900, 400);
    await hover.waitFor({ state: 'hidden', timeout: timeouts.action }).catch(() => undefined);
  });

  it('the Payments view filtered on the server by status, "N of TOTAL" above the rows', async () => {
    await vs().openPerfectPayView();
    await vs().runCommand('PerfectPay: Filter Payments');
    await vs().answerQuickPick('By status…');
    await vs().checkQuickPickRow('Requires capture');
    await vs().page.keyboard.press('Enter');
    const side = vs().page.locator('.part.sidebar');
    await side.getByText(/\d+ of \d+ payments? · status: requires_capture/).first().waitFor({ state: 'visible', timeout: timeouts.step });
    // The rows are drawn a moment after the message: until then the unfiltered ones may still show.
    await until('only Requires capture rows', async () => {
      const rows = (await vs().treeRows()).filter((r) => PAYMENT_ROW.test(r));
      return rows.length >= 1 && rows.every((r) => /Requires capture/.test(r));
    });
    await vs().page.mouse.move(900, 400);
    await shot('filtered', { x: 0, y: 0, width: 360, height: 240 });
    await vs().runCommand('PerfectPay: Clear Filter');
    await until('all the rows back', async () => (await vs().treeRows()).filter((r) => PAYMENT_ROW.test(r)).length >= 20, timeouts.step);
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
    await frame.locator('vscode-button[data-key="act-sim-succeed"]').click();
    await frame.locator('.status', { hasText: 'Succeeded' }).first().waitFor({ timeout: timeouts.step });
    await until('the timeline to show the completed step', async () => (await frame.locator('.timeline .tl-label').count()) >= 2);
    await shot('timeline', await editorClip());
  });

  it('the inspector of a partly refunded payment: its Refunds section, Refunded and Left to refund, the timeline', async () => {
    const id = await create('49.99', 'USD', 'Order 1044 — Headphones', 'Visa 4242 — succeeds');
    const frame = await inspect(id);
    await frame.locator('vscode-button[data-key="act-refund"]').click();
    await vs().waitForInputValue('49.99');
    await vs().answerInput('12');
    await vs().answerQuickPick('Customer returned the product');
    await frame.locator('.tl-label', { hasText: 'Refunded 12.00 USD' }).first().waitFor({ timeout: timeouts.step });
    await frame.locator('.section-refunds .refund-amount', { hasText: '12.00 USD' }).first().waitFor({ timeout: timeouts.step });
    await until('Left to refund in the details', async () => (await frame.locator('.section-details').innerText()).includes('37.99 USD'));
    await shot('refunds', await editorClip());
  });

  it('the Webhooks view: the inbox, the events with their attempts, an event opened as JSON', async () => {
    await vs().openPerfectPayView();
    await vs().setPaneExpanded(/webhooks/i, true);
    await vs().runCommand('PerfectPay: Start Webhook Inbox');
    await vs().waitForTreeRow(/Webhook inbox/i, timeouts.slow);
    const { id } = await vs().createFromPalette({ amount: '89.00', description: 'Order 1044 — Webhooks', capture: 'manual', method: 'Visa 4242' });
    await vs().waitForTreeRow(new RegExp(`✓ payment_authorized.*${id}`), timeouts.slow);
    const row = vs().page.locator('.part.sidebar .pane .monaco-list-row', { hasText: new RegExp(`payment_authorized.*${id}`) }).filter({ hasNotText: /signature/ }).first();
    await row.click();
    await until('the event open as JSON', async () => (await vs().page.locator('.part.editor .tab', { hasText: /evt_.*\.json/ }).count()) > 0);
    // Expanded into its attempts (again, if a re-read of the view drew the row anew meanwhile).
    await until('the event’s attempts on screen', async () => {
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
      return (await vs().treeRows()).some((r) => /✓ 200.*initial_attempt/.test(r));
    });
    // The Payments pane folded away: the Webhooks view gets the side bar.
    await vs().setPaneExpanded(/^\s*payments/i, false);
    await vs().page.mouse.move(900, 700);
    await shot('webhooks');
    await vs().setPaneExpanded(/^\s*payments/i, true);
  });
});
