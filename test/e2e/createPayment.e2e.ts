// End to end, as a person: open the PerfectPay view (local sandbox), run "PerfectPay: Create Payment"
// from the palette, answer every question (49.99, USD, automatic, no_three_ds, a description, confirm
// now with Visa 4242) and see the new payment ("49.99 USD") at the top of the tree.
// Every test makes the payments it looks at (the session's own seed only for the seed's test), answers quick
// picks by keyboard (test/e2e/codeServer.ts) and waits for what it checks, never for a fixed time.
// Screenshots: test-results/screenshots/create-*.png.
import * as assert from 'assert';
import { VsCodeSession, waitFor } from './codeServer';
import { timeouts } from './timeouts';

describe('e2e: Create Payment from the palette', function () {
  this.timeout(timeouts.test);
  let vs: VsCodeSession;

  before(async () => {
    vs = await VsCodeSession.start({ theme: 'dark', settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 12 } });
  });

  beforeEach(async () => {
    await vs.closeQuickInput();
    await vs.openPerfectPayView();
  });

  after(async () => {
    await vs?.close();
  });

  it('lists the 12 seeded payments of the local sandbox (perfectpay.localSandbox.seed = 12) and names it in the status bar', async () => {
    const rows = await vs.waitForTreeRow(/\d+(\.\d+)? [A-Z]{3}/, timeouts.slow);
    assert.ok(rows.length >= 12, `rows: ${rows.join(' | ')}`);
    await vs.page.locator('.part.statusbar :text("PerfectPay: Local sandbox")').first().waitFor({ state: 'visible', timeout: timeouts.step });
    await vs.screenshot('create-0-payments-view');
  });

  it('creates and confirms a 49.99 USD payment with Visa 4242, answering every question: refusals explained, the new row on top', async () => {
    await vs.runCommand('PerfectPay: Create Payment');

    // 1/6 amount: refused with a reason, then accepted.
    await vs.waitForStep('1/6');
    await vs.typeInput('49.999');
    await vs.waitForValidation(/2 decimal places at most/);
    await vs.typeInput('abc');
    await vs.waitForValidation(/not an amount/);
    await vs.screenshot('create-1-amount-refused');
    await vs.answerInput('49.99');

    // 2/6 currency, USD first.
    await vs.waitForStep('2/6');
    const currencies = await vs.quickPickItems();
    assert.match(currencies[0] ?? '', /^USD/);
    await vs.screenshot('create-2-currency');
    await vs.answerQuickPick('USD');

    await vs.waitForStep('3/6');
    await vs.answerQuickPick('automatic');
    await vs.waitForStep('4/6');
    await vs.answerQuickPick('no_three_ds');
    await vs.waitForStep('5/6');
    await vs.answerInput('E2E order 42');
    await vs.waitForStep('6/6');
    await vs.answerQuickPick('Yes, confirm now');

    // 7/7 the method: test cards by name.
    await vs.waitForStep('7/7');
    const methods = await vs.quickPickItems();
    assert.ok(methods.some((m) => m.includes('Visa 4242 — succeeds')), methods.join(' | '));
    await vs.screenshot('create-3-method');
    await vs.answerQuickPick('Visa 4242 — succeeds');

    const listed = await vs.waitForNotification(/Created and confirmed pay_\w+ \(49\.99 USD\): Succeeded/, timeouts.step);
    assert.ok(listed.some((t) => /Created and confirmed/.test(t) && /\bInspect\b/.test(t)), listed.join(' | '));
    const rows = await vs.waitForTreeRow(/49\.99 USD.*E2E order 42/, timeouts.step);
    assert.match(rows[0] ?? '', /^49\.99 USD\s*Succeeded · E2E order 42/);
    await vs.screenshot('create-4-created');
  });

  it('captures part of a manual payment from the palette: the prefilled amount, refusals explained, Partially captured', async () => {
    const { id } = await vs.createFromPalette({ amount: '20.00', capture: 'manual', description: 'E2E manual', method: 'Visa 1111 — succeeds' });
    await vs.waitForTreeRow(/20\.00 USD\s*Requires capture · E2E manual/, timeouts.step);

    await vs.runCommand('PerfectPay: Capture Payment');
    // Which payment: the recent ones that can be captured.
    await vs.answerQuickPick(id);
    // The capturable amount comes prefilled, formatted.
    await vs.waitForInputValue('20.00');
    for (const [text, reason] of [['0', /greater than zero/], ['abc', /not an amount/], ['20.01', /more than can be captured: at most 20\.00 USD/]] as const) {
      await vs.typeInput(text);
      await vs.waitForValidation(reason);
    }
    await vs.screenshot('create-5a-capture-refused');
    await vs.answerInput('5');
    await vs.waitForNotification(new RegExp(`Captured 5\\.00 of 20\\.00 USD on ${id}: Partially captured`), timeouts.step);
    await vs.waitForTreeRow(/20\.00 USD\s*Partially captured · E2E manual/, timeouts.step);
  });

  it("shows a payment's key fields (amount, id, outcome, capture method, masked card) in its row's tooltip", async () => {
    // Its own description: another payment of 31.50 USD must not answer for this one.
    const label = `E2E tooltip ${Date.now().toString(36)}`;
    const { id } = await vs.createFromPalette({ amount: '31.50', description: label, method: 'Visa 4242 — succeeds' });
    await vs.waitForTreeRow(new RegExp(`31\\.50 USD\\s*Succeeded · ${label}`), timeouts.step);
    const text = await vs.treeRowTooltip(label, '31.50 USD');
    assert.ok(text.includes(id), `the tooltip does not name ${id}: ${text}`);
    assert.match(text, /Charge completed successfully/);
    assert.match(text, /Capture method automatic/);
    assert.match(text, /Visa •••• 4242/);
    await vs.screenshot('create-5-tooltip');
    // Away from the tree, so the tooltip covers nothing afterwards.
    await vs.page.mouse.move(900, 600);
    await vs.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: id }).waitFor({ state: 'hidden', timeout: timeouts.step });
  });

  it('filters the view on the server by status: only those rows, "N of TOTAL" in the view, Clear Filter brings all back', async () => {
    const label = `E2E filter ${Date.now().toString(36)}`;
    await vs.createFromPalette({ amount: '12.60', description: label, method: 'Visa 0002 — declined' });
    await vs.waitForTreeRow(new RegExp(`12\\.60 USD\\s*Failed · ${label}`), timeouts.step);
    await vs.runCommand('PerfectPay: Filter Payments');
    await vs.answerQuickPick('By status…');
    await vs.checkQuickPickRow('Failed');
    await vs.page.keyboard.press('Enter');
    const side = vs.page.locator('.part.sidebar');
    await side.getByText(/\d+ of \d+ payments? · status: failed/i).first().waitFor({ state: 'visible', timeout: timeouts.step })
      .catch(async (e) => { throw new Error(`no "N of TOTAL" in the view: ${(await side.innerText()).replace(/\s+/g, ' ').slice(0, 600)} (${String(e)})`); });
    // The rows are drawn a moment after the message: until then the unfiltered ones may still show.
    const payments = await waitFor(async () => {
      const rows = (await vs.treeRows()).filter((r) => /\d+(\.\d+)? [A-Z]{3}/.test(r));
      if (!rows.some((r) => r.includes(label))) throw new Error(`no row ${label}: ${rows.join(' | ')}`);
      const other = rows.find((r) => !/Failed/.test(r));
      if (other) throw new Error(`a row that is not Failed: ${other}`);
      return rows;
    }, { what: 'only Failed rows, the new one among them', timeout: timeouts.step });
    assert.ok(payments.length >= 1);
    await vs.screenshot('create-6-filtered-view');
    await vs.runCommand('PerfectPay: Clear Filter');
    await vs.waitForTreeRow(/Succeeded/, timeouts.step);
  });

  it('asks for the key of the hosted sandbox, and shows the welcome content when none is given', async () => {
    try {
      await vs.runCommand('PerfectPay: Select Environment');
      await vs.answerQuickPick('PerfectPay sandbox');
      // The environment needs a key and has none: a password box asks for it.
      const box = vs.page.locator('.quick-input-widget .quick-input-box input[type="password"]');
      await box.waitFor({ state: 'visible', timeout: timeouts.step });
      await vs.screenshot('create-6-api-key');
      await vs.closeQuickInput();
      await vs.page.locator('.part.sidebar :text("needs your secret API key")').first().waitFor({ state: 'visible', timeout: timeouts.step });
      await vs.page.locator('.part.statusbar :text("PerfectPay: Hosted sandbox")').first().waitFor({ state: 'visible', timeout: timeouts.step });
      const setKey = vs.page.locator('.part.sidebar .welcome-view-content a.monaco-button, .part.sidebar .welcome-view-content .monaco-button', { hasText: 'Set API Key' });
      assert.ok(await setKey.count() > 0, 'no "Set API Key" button in the welcome content');
      await vs.screenshot('create-7-welcome-needs-key');
    } finally {
      // Back to the local sandbox, whatever happened: the other tests of this session need it.
      await vs.closeQuickInput();
      await vs.selectEnvironment('Local sandbox', 'PerfectPay: Local sandbox');
    }
  });
});
