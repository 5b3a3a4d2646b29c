// Smoke test of the end-to-end harness: real VS Code (code-server) in headless Chromium with the extension
// under development loaded. Screenshot: test-results/screenshots/smoke-workbench.png.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot, VsCodeSession } from './codeServer';

describe('e2e harness smoke', () => {
  let vs: VsCodeSession | undefined;

  before(async () => {
    vs = await VsCodeSession.start({ theme: 'dark' });
  });

  after(async () => {
    await vs?.close();
  });

  it('shows the workbench with the extension loaded', async () => {
    const page = vs!.page;
    assert.ok(await page.locator('.part.activitybar .action-item').count() > 0, 'no activity bar items');
    assert.ok(await page.locator('.part.sidebar').isVisible() || await page.locator('.part.editor').isVisible());
    // The extension host came up (and did not crash).
    await vs!.server.waitForLog(/Launched Extension Host Process/, 60_000);
    const crashed = (await vs!.notifications()).filter((n) => /extension host terminated|crashed/i.test(n));
    assert.deepStrictEqual(crashed, []);
    const shot = await vs!.screenshot('smoke-workbench');
    assert.ok(fs.statSync(shot).size > 10_000, 'screenshot looks empty');
  });

  it('opens the PerfectPay view when the extension contributes one', async function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const containers: { title?: string }[] = pkg.contributes?.viewsContainers?.activitybar ?? [];
    if (!containers.some((c) => /PerfectPay/i.test(c.title ?? ''))) this.skip();
    await vs!.openPerfectPayView();
    await vs!.screenshot('smoke-perfectpay-view');
  });
});

describe('e2e: npm start opens the PerfectPay view by itself', () => {
  let vs: VsCodeSession | undefined;

  before(async () => {
    // What scripts/start.sh presets.
    vs = await VsCodeSession.start({
      theme: 'light',
      settings: { 'perfectpay.environment': 'local', 'perfectpay.revealViewOnStartup': true, 'perfectpay.localSandbox.seed': 25 },
    });
  });

  after(async () => {
    await vs?.close();
  });

  it('lists the 25 seeded payments without a click: the view revealed at start-up', async () => {
    const rows = await vs!.waitForTreeRow(/\d+(\.\d+)? [A-Z]{3}/, 90_000);
    assert.ok(rows.length >= 20, `rows: ${rows.join(' | ')}`);
    await vs!.page.locator('.part.statusbar :text("PerfectPay: Local sandbox")').first().waitFor({ state: 'visible', timeout: 30_000 });
    await vs!.screenshot('start-view-on-startup');
  });
});
