// End to end, as a person: refunds from the palette and in the inspector (local sandbox).
//  - a partial refund of a 49.99 USD payment: the amount prefilled with what is left, 0 and an
//    over-refund refused in the input box with the reason, a reason picked, the answer reported;
//    the row then expands to its refund;
//  - a payment made with the refund test card 4000000000005126, its inspector open: a refund from the
//    panel's own button goes into the timeline as pending, then (a few seconds later, the sandbox's
//    refund delay) failed, without a reload; the Refunds section says why.
// Screenshots: test-results/screenshots/refund-*.png.
import * as assert from 'assert';
import { VsCodeSession } from './codeServer';
import { timeouts } from './timeouts';

describe('e2e: refunds', function () {
  this.timeout(timeouts.test);
  let vs: VsCodeSession;

  before(async () => {
    vs = await VsCodeSession.start({ theme: 'dark', settings: { 'perfectpay.environment': 'local' } });
  });

  beforeEach(async () => {
    await vs.closeQuickInput();
    await vs.openPerfectPayView();
  });

  after(async () => {
    await vs?.close();
  });

  it('refunds part of a payment from the palette: what is left prefilled, 0 and an over-refund refused in the box, a reason; the row expands to its refund', async () => {
    const label = `E2E refund ${Date.now().toString(36)}`;
    const { id } = await vs.createFromPalette({ amount: '49.99', description: label, method: 'Visa 4242 — succeeds' });
    await vs.waitForTreeRow(new RegExp(`49\\.99 USD\\s*Succeeded · ${label}`), timeouts.step);
    await vs.clearNotifications();
    await vs.runCommand('PerfectPay: Refund Payment');
    // Which payment: the recent ones that can be refunded.
    await vs.answerQuickPick(id);
    await vs.waitForInputValue('49.99');
    for (const [text, reason] of [['0', /greater than zero/], ['50.00', /more than is left to refund: at most 49\.99 USD/]] as const) {
      await vs.typeInput(text);
      await vs.waitForValidation(reason);
    }
    await vs.screenshot('refund-1-over-refund-refused');
    await vs.answerInput('12');
    await vs.answerQuickPick('duplicate');
    await vs.waitForNotification(new RegExp(`Refunded 12\\.00 of 49\\.99 USD on ${id}: refund succeeded`), timeouts.step);
    // The row can be opened on its refund.
    const row = vs.page.locator('.part.sidebar .pane .monaco-list-row', { hasText: label }).first();
    await row.locator('.monaco-tl-twistie.collapsible').waitFor({ timeout: timeouts.step });
    await row.locator('.monaco-tl-twistie').click();
    const rows = await vs.waitForTreeRow(/^12\.00 USD\s*Succeeded · .* · duplicate$/, timeouts.step);
    assert.ok(rows.some((r) => r.startsWith('49.99 USD')), rows.join(' | '));
    await vs.screenshot('refund-2-expanded');
  });

  it('follows a refund of card 5126 in the open inspector: pending in the timeline, then failed, with the reason', async () => {
    const { id } = await vs.createFromPalette({ amount: '25.00', description: 'E2E refund fails later', method: 'Visa 5126 — succeeds; refunds fail later' });
    let frame = await vs.openInspector(id);
    await frame.locator('vscode-button[data-key="act-refund"]').click();
    await vs.waitForInputValue('25.00');
    await vs.answerInput('10');
    await vs.answerQuickPick('requested_by_customer');
    frame = await vs.inspectorFrame(id);
    await frame.locator('.tl-label', { hasText: 'Refund of 10.00 USD pending' }).first().waitFor({ timeout: timeouts.step });
    await frame.locator('.section-refunds .status', { hasText: 'Pending' }).first().waitFor({ timeout: timeouts.step });
    await vs.screenshot('refund-3-pending');
    // No reload, no click: the panel's poll sees the refund fail.
    await frame.locator('.tl-label', { hasText: 'Refund of 10.00 USD failed: refund_failed — The refund was declined by the processor.' }).first().waitFor({ timeout: timeouts.slow });
    await frame.locator('.section-refunds .refund-error', { hasText: 'refund_failed' }).first().waitFor({ timeout: timeouts.step });
    assert.equal(await frame.locator('.tl-label', { hasText: 'pending' }).count(), 0, 'the pending step became the failed one');
    await vs.screenshot('refund-4-failed');
  });
});
