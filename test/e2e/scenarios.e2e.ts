// Payment scenarios as a person sees them: two scenario files in the workspace, run from the Testing
// view in real VS Code (code-server in headless Chromium) against the local sandbox: one passes, the
// deliberate failure shows its message (the step, expected and actual) in the editor's peek.
// Screenshots: test-results/screenshots/scenarios-testing-view.png, scenarios-failure-peek.png.
import * as assert from 'assert';
import * as fs from 'fs';
import type { Locator } from 'playwright-core';
import { twoPartCapture } from '../scenarioFixtures';
import { useSession } from './codeServer';
import { timeouts } from './timeouts';

const PASS = JSON.stringify(twoPartCapture(), null, 2);

const FAIL = [
  '{',
  '  "name": "declined card (deliberately wrong)",',
  '  "steps": [',
  '    { "create": { "amount": 2500, "currency": "EUR" } },',
  '    { "confirm": { "card": "4000000000000002" } },',
  '    { "expect": { "status": "succeeded" } }',
  '  ]',
  '}',
].join('\n');

describe('e2e: payment scenarios in the Testing view', () => {
  const vs = useSession({
    theme: 'dark',
    settings: { 'perfectpay.environment': 'local', 'testing.automaticallyOpenPeekView': 'failureInVisibleDocument' },
    workspaceFiles: { 'scenarios/two-part-capture.perfectpay.json': PASS, 'scenarios/declined.perfectpay.json': FAIL },
  });

  /** The Testing view's row whose text contains `label`. */
  const row = (label: string): Locator => vs().page.locator('.part.sidebar .monaco-list-row', { hasText: label }).first();

  async function waitForState(label: string, state: 'passed' | 'failed', timeoutMs = timeouts.slow): Promise<void> {
    await row(label).locator(`.codicon-testing-${state}-icon`).waitFor({ state: 'visible', timeout: timeoutMs });
  }

  async function runRow(label: string): Promise<void> {
    const r = row(label);
    await r.hover();
    await r.locator('.action-label[aria-label^="Run Test"]').first().click();
  }

  it('finds the files, runs them: one passes, the deliberate failure shows the step, expected and actual', async () => {
    const page = vs().page;
    // The failing file open in the editor: VS Code opens the failure's peek there.
    await page.keyboard.press('Control+P');
    await vs().answerQuickPick('declined.perfectpay.json', { timeoutMs: timeouts.step });
    await page.locator('.monaco-editor .view-lines', { hasText: 'deliberately wrong' }).first().waitFor({ timeout: timeouts.step });
    // The scenario files activate the extension (workspaceContains), which registers its test controller:
    // only then does VS Code show the Testing container (and offer its focus command in the palette).
    await page.locator('.part.activitybar .action-item .action-label[aria-label^="Testing"]').first().waitFor({ state: 'visible', timeout: timeouts.slow });
    await vs().runCommand('Testing: Focus on Test Explorer View');
    await row('manual capture in two parts').waitFor({ state: 'visible', timeout: timeouts.slow });
    await row('declined card (deliberately wrong)').waitFor({ state: 'visible', timeout: timeouts.step });
    assert.ok(await row('Test card matrix (built-in)').isVisible(), 'the built-in matrix is listed');

    await runRow('manual capture in two parts');
    await waitForState('manual capture in two parts', 'passed');
    await runRow('declined card (deliberately wrong)');
    await waitForState('declined card (deliberately wrong)', 'failed');

    const peek = page.locator('.monaco-editor .peekview-widget', { hasText: 'expected' }).first();
    await peek.waitFor({ state: 'visible', timeout: timeouts.step });
    // The peek's diff editor laid out (both sides drawn) before the picture.
    await peek.locator('.monaco-diff-editor .editor.original .view-lines').first().waitFor({ state: 'visible', timeout: timeouts.step });
    await peek.locator('.monaco-diff-editor .editor.modified .view-lines').first().waitFor({ state: 'visible', timeout: timeouts.step });
    await vs().screenshot('scenarios-failure-peek');
    const text = (await peek.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Step 3\. expect status = succeeded: status expected "succeeded", got "failed" \(error_code card_declined/);
    assert.match(text, /"succeeded".*Expected.*"failed".*Actual/, 'expected and actual side by side');
    // The step's second message, in the Test Results view: the answer (redacted) and the payment as a link to its inspector.
    const panel = page.locator('.part.panel');
    await panel.locator('.monaco-list-row', { hasText: /^Payment pay_/ }).first().click();
    const link = panel.locator('a', { hasText: /^pay_/ }).first();
    await link.waitFor({ state: 'visible', timeout: timeouts.action });
    const shown = (await panel.innerText()).replace(/\s+/g, ' ');
    assert.match(shown, /"error_code": "card_declined"/);
    assert.match(shown, /"client_secret": "pay_\w+_secret_••••"/);
    assert.doesNotMatch(shown, /4000000000000002/);
    await vs().screenshot('scenarios-failure-answer');

    // The steps of the passing scenario, each with its result.
    await row('manual capture in two parts').locator('.monaco-tl-twistie').click().catch(() => undefined);
    await row('3. expect status = requires_capture').waitFor({ state: 'visible', timeout: timeouts.action });
    await waitForState('3. expect status = requires_capture', 'passed', timeouts.action);
    const shot = await vs().screenshot('scenarios-testing-view');
    assert.ok(fs.statSync(shot).size > 15_000, 'screenshot looks empty');
  });
});
