// End to end, as a person: open the PerfectPay view (local sandbox), run "PerfectPay: Create Payment"
// from the palette, answer every question (49.99, USD, automatic, no_three_ds, a description, confirm
// now with Visa 4242) and see the new payment ("49.99 USD") at the top of the tree.
// Screenshots: test-results/screenshots/create-*.png.
import * as assert from 'assert';
import { VsCodeSession } from './codeServer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('e2e: Create Payment from the palette', function () {
  this.timeout(180_000);
  let vs: VsCodeSession | undefined;

  before(async () => {
    vs = await VsCodeSession.start({ theme: 'dark', settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 12 } });
  });

  after(async () => {
    await vs?.close();
  });

  const waitForStep = (step: string, timeoutMs?: number): Promise<void> => vs!.waitForStep(step, timeoutMs);
  const validationMessage = (): Promise<string> => vs!.validationMessage();

  it('shows the seeded payments of the local sandbox', async () => {
    await vs!.openPerfectPayView();
    const rows = await vs!.waitForTreeRow(/\d+(\.\d+)? [A-Z]{3}/, 30_000);
    assert.ok(rows.length >= 12, `rows: ${rows.join(' | ')}`);
    await vs!.page.waitForSelector('.part.statusbar :text("PerfectPay: Local sandbox")', { timeout: 10_000 });
    await vs!.screenshot('create-0-payments-view');
  });

  it('creates and confirms a 49.99 USD payment with Visa 4242, answering every question', async () => {
    await vs!.runCommand('PerfectPay: Create Payment');

    // 1/6 amount: refused with a reason, then accepted.
    await waitForStep('1/6');
    const input = vs!.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('49.999');
    await sleep(300);
    assert.match(await validationMessage(), /2 decimal places at most/);
    await input.fill('abc');
    await sleep(300);
    assert.match(await validationMessage(), /not an amount/);
    await vs!.screenshot('create-1-amount-refused');
    await vs!.answerInput('49.99');

    // 2/6 currency, USD first.
    await waitForStep('2/6');
    const currencies = await vs!.quickPickItems();
    assert.match(currencies[0] ?? '', /^USD/);
    await vs!.screenshot('create-2-currency');
    await vs!.pickItem('USD');

    await waitForStep('3/6');
    await vs!.pickItem('automatic');
    await waitForStep('4/6');
    await vs!.pickItem('no_three_ds');
    await waitForStep('5/6');
    await vs!.answerInput('E2E order 42');
    await waitForStep('6/6');
    await vs!.pickItem('Yes, confirm now');

    // 7/7 the method: test cards by name.
    await waitForStep('7/7');
    const methods = await vs!.quickPickItems();
    assert.ok(methods.some((m) => m.includes('Visa 4242 — succeeds')), methods.join(' | '));
    await vs!.screenshot('create-3-method');
    await vs!.pickItem('Visa 4242 — succeeds');

    const toasts = await vs!.waitForNotification(/Created and confirmed pay_\w+ \(49\.99 USD\): Succeeded/, 20_000);
    assert.ok(toasts.some((t) => /Inspect/.test(t)), toasts.join(' | '));
    const rows = await vs!.waitForTreeRow(/49\.99 USD.*E2E order 42/, 15_000);
    assert.match(rows[0] ?? '', /^49\.99 USD\s*Succeeded · E2E order 42/);
    await vs!.screenshot('create-4-created');
  });

  it('captures part of a manual payment from the palette, the amount checked in the box', async () => {
    await vs!.runCommand('PerfectPay: Create Payment');
    await waitForStep('1/6');
    await vs!.answerInput('20.00');
    await waitForStep('2/6');
    await vs!.pickItem('USD');
    await waitForStep('3/6');
    await vs!.pickItem('authorise now, capture once later');
    await waitForStep('4/6');
    await vs!.pickItem('no_three_ds');
    await waitForStep('5/6');
    await vs!.answerInput('E2E manual');
    await waitForStep('6/6');
    await vs!.pickItem('Yes, confirm now');
    await waitForStep('7/7');
    await vs!.pickItem('Visa 1111 — succeeds');
    await vs!.waitForTreeRow(/20\.00 USD\s*Requires capture · E2E manual/, 20_000);

    await vs!.runCommand('PerfectPay: Capture Payment');
    // Which payment: the recent ones that can be captured.
    await vs!.pickItem('E2E manual');
    const input = vs!.page.locator('.quick-input-widget .quick-input-box input');
    // The capturable amount comes prefilled, formatted.
    const deadline = Date.now() + 15_000;
    while ((await input.inputValue().catch(() => '')) !== '20.00') {
      if (Date.now() > deadline) throw new Error(`the capture box shows "${await input.inputValue()}", not 20.00`);
      await sleep(100);
    }
    for (const [text, reason] of [['0', /greater than zero/], ['abc', /not an amount/], ['20.01', /more than can be captured: at most 20\.00 USD/]] as const) {
      await input.fill(text);
      await sleep(300);
      assert.match(await validationMessage(), reason);
    }
    await vs!.screenshot('create-5a-capture-refused');
    await vs!.answerInput('5');
    await vs!.waitForNotification(/Captured pay_\w+ \(20\.00 USD\): Partially captured/, 20_000);
    await vs!.waitForTreeRow(/20\.00 USD\s*Partially captured · E2E manual/, 10_000);
  });

  it("shows a payment's key fields in the row's tooltip", async () => {
    const row = vs!.page.locator('.part.sidebar .pane .monaco-list-row', { hasText: 'E2E order 42' }).first();
    await row.hover();
    const hover = vs!.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Charge completed successfully' }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /49\.99 USD/);
    assert.match(text, /pay_\w+/);
    assert.match(text, /Capture method automatic/);
    assert.match(text, /Visa •••• 4242/);
    await vs!.screenshot('create-5-tooltip');
    await vs!.page.mouse.move(900, 600);
  });

  it('asks for the key of the hosted sandbox, and shows the welcome content when none is given', async () => {
    await vs!.runCommand('PerfectPay: Select Environment');
    await vs!.pickItem('PerfectPay sandbox');
    // The environment needs a key and has none: a password box asks for it.
    const box = vs!.page.locator('.quick-input-widget .quick-input-box input[type="password"]');
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    await vs!.screenshot('create-6-api-key');
    await vs!.page.keyboard.press('Escape');
    await vs!.page.waitForSelector('.part.sidebar :text("needs your secret API key")', { timeout: 15_000 });
    await vs!.page.waitForSelector('.part.statusbar :text("PerfectPay: Hosted sandbox")', { timeout: 10_000 });
    assert.ok(await vs!.page.locator('.part.sidebar .welcome-view-content a.monaco-button, .part.sidebar .welcome-view-content .monaco-button', { hasText: 'Set API Key' }).count() > 0);
    await vs!.screenshot('create-7-welcome-needs-key');
  });
});
