// Activation (issue 10): PerfectPay costs nothing in a window that never uses it. No `onStartupFinished`
// and no `*`: the view, the commands and the inspector's serializer activate it, and so does
// `npm start`'s scratch workspace (workspaceContains:.vscode/perfectpay-reveal-on-startup, see smoke.e2e.ts).
// Read from the extension host's own log (extHostLog.ts).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { activations, PERFECTPAY_ID, waitForActivations, waitForStartupActivations } from './extHostLog';
import { repoRoot, VsCodeSession } from './codeServer';
import { timeouts } from './timeouts';

describe('e2e: activation only when PerfectPay is used', () => {
  let vs: VsCodeSession | undefined;

  before(async () => {
    vs = await VsCodeSession.start({ settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 25 } });
  });

  after(async () => {
    await vs?.close();
  });

  it('declares neither onStartupFinished nor *', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const events: string[] = pkg.activationEvents ?? [];
    assert.deepStrictEqual(events.filter((e) => e === '*' || e === 'onStartupFinished'), []);
  });

  it('is not activated when the window has started and the view was never opened', async () => {
    const all = await waitForStartupActivations(vs!.server.userDataDir);
    assert.deepStrictEqual(all.filter((a) => a.extensionId === PERFECTPAY_ID), [], 'PerfectPay was activated at start-up');
    assert.ok(!(await vs!.page.locator('.part.statusbar :text("PerfectPay:")').count()), 'its status-bar item is there');
  });

  it('is activated by opening its view, which lists the demo payments', async () => {
    await vs!.openPerfectPayView();
    const all = await waitForActivations(vs!.server.userDataDir, (a) => a.some((x) => x.extensionId === PERFECTPAY_ID), 'PerfectPay activated');
    const ours = all.filter((a) => a.extensionId === PERFECTPAY_ID);
    assert.deepStrictEqual(ours.map((a) => a.event), ['onView:perfectpay.payments']);
    await vs!.waitForTreeRow(/\d+(\.\d+)? [A-Z]{3}/, timeouts.slow);
    assert.strictEqual(activations(vs!.server.userDataDir).filter((a) => a.extensionId === PERFECTPAY_ID).length, 1);
  });
});
