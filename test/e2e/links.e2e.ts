// End to end, as a person: a payment id typed into an editor gets the PerfectPay hover card (status,
// amount, the three command links), and its "Open as JSON" link opens the payment as a read-only JSON
// document. Screenshots: test-results/screenshots/links-<theme>-hover.png and links-<theme>-json.png.
import * as assert from 'assert';
import { useSession, waitFor } from './codeServer';
import { timeouts } from './timeouts';

describe('e2e: payment ids in an editor (hover card, JSON document)', function () {
  this.timeout(timeouts.test);
  const vs = useSession({
    theme: 'dark',
    viewport: { width: 1400, height: 900 },
    settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 5, 'workbench.startupEditor': 'none' },
  });

  it('hovering an id shows its card; "Open as JSON" opens the document', async () => {
    const page = vs().page;
    // An id as a person finds one: "Copy Payment ID" lists the recent payments with their ids.
    await vs().runCommand('PerfectPay: Copy Payment ID');
    const id = await waitFor(async () => (await vs().quickPickItems()).join(' ').match(/pay_[a-z0-9]{20,32}/)?.[0], {
      what: 'a payment id offered by "Copy Payment ID"',
      interval: 200,
    });
    await page.keyboard.press('Escape');

    // A new editor with a log line holding the id.
    await page.keyboard.press('Control+Shift+P');
    const palette = page.locator('.quick-input-widget .quick-input-box input');
    await palette.waitFor({ state: 'visible', timeout: timeouts.action });
    await palette.fill('>File: New Untitled Text File');
    // The row whose label is exactly that ("Compare New Untitled Text Files" matches too), by keyboard.
    const focused = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused .label-name');
    for (let i = 0; ; i++) {
      const label = (await focused.first().textContent({ timeout: timeouts.action }).catch(() => ''))?.trim();
      if (label === 'File: New Untitled Text File') break;
      if (i > 10) throw new Error(`no "File: New Untitled Text File" in the palette (focused: ${label})`);
      await palette.press('ArrowDown');
    }
    await palette.press('Enter');
    const editor = page.locator('.part.editor .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: timeouts.action });
    await editor.click();
    await page.keyboard.type(`2026-11-24 15:04:05 INFO captured ${id} for order 1001`);
    await page.keyboard.press('Escape');

    // Hover the id (the mouse rests on it, as a person's would).
    const word = page.locator('.part.editor .view-line span', { hasText: id }).first();
    await word.waitFor({ state: 'visible', timeout: timeouts.action });
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Open as JSON' });
    // Moving off and on again makes VS Code ask again (the first answer may be "loading…").
    const text = await waitFor(async () => {
      await vs().restMouseOn(word, { fx: 0.75 });
      await hover.waitFor({ state: 'visible', timeout: timeouts.short });
      const shown = (await hover.innerText({ timeout: timeouts.look })).replace(/\s+/g, ' ');
      if (!/Local sandbox/.test(shown) || /loading…/.test(shown)) throw new Error(`the hover shows: ${shown}`);
      return shown;
    }, { what: "the id's hover card", timeout: timeouts.slow, interval: 250 });
    assert.match(text, /Local sandbox/, `the hover shows: ${text}`);
    assert.match(text, /\d+(\.\d+)? [A-Z]{3}/, `no amount in: ${text}`);
    assert.match(text, /Next:/);
    for (const link of ['Inspect', 'Open as JSON', 'Copy cURL']) assert.ok(text.includes(link), `no ${link} in: ${text}`);
    await vs().screenshot('links-dark-hover');

    // Its "Open as JSON" link: the payment as a JSON document.
    await hover.locator('a', { hasText: 'Open as JSON' }).click();
    const tab = page.locator('.part.editor .tab', { hasText: `${id}.json` });
    await tab.waitFor({ state: 'visible', timeout: timeouts.step });
    await page.locator('.part.editor .view-line', { hasText: '"payment_id"' }).first().waitFor({ state: 'visible', timeout: timeouts.step });
    const lines = (await page.locator('.part.editor .monaco-editor .view-lines').last().innerText()).replace(/\u00a0/g, ' ');
    assert.ok(lines.includes(id), 'the document does not show the payment');
    assert.ok(!/_secret_[A-Za-z0-9]{20}/.test(lines), 'a client secret is on screen');
    await vs().screenshot('links-dark-json');
  });
});
