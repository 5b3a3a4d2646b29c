// The Payments view on screen: rows that can still change by themselves are read again (ONE list request
// for the loaded rows, backing off), so a processing payment turns Succeeded with no Refresh; payments of
// the extension's test runs are left out unless asked for, and the view says how many.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PerfectPayTestApi } from '../../src/extension';
import { cardArg, createPayment, onLocalSandbox, settings, unique, waitFor } from './helpers';

describe('Payments view, live', function () {
  this.timeout(90_000);
  let a: PerfectPayTestApi;
  const events = onLocalSandbox(10, (x) => (a = x));

  before(async () => {
    await vscode.commands.executeCommand('workbench.view.extension.perfectpay');
    await waitFor(() => a.tree.viewText.description !== undefined && a.tree.rows().length > 0, { what: 'the view shown with its rows', timeout: 30_000 });
  });
  after(async () => {
    // Other suites count requests: the view goes off screen, and with it the live re-reads.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await settings({ 'view.showTestRunPayments': undefined });
  });

  it('a processing payment turns Succeeded in its row by itself: one list request per re-read, never one per row', async () => {
    await a.tree.refresh();
    const p = await createPayment({ description: unique('live'), confirm: true, ...cardArg('4000000000000259') });
    assert.equal(p.status, 'processing');
    assert.equal(a.tree.node(p.payment_id)?.payment.status, 'processing', 'the new row is there, processing');
    events.length = 0;
    const reads = a.tree.liveReads;
    await waitFor(() => a.tree.node(p.payment_id)?.payment.status === 'succeeded', { what: 'the row to turn succeeded without a refresh', timeout: 45_000 });
    assert.ok(a.tree.liveReads > reads, 'the view read its rows again');
    const other = events.filter((e) => !(e.method === 'GET' && /\/payments\/list\?/.test(e.url)));
    assert.deepEqual(other.map((e) => `${e.method} ${e.url}`), [], 'only list requests');
  });

  it("leaves out the payments of test runs (metadata.perfectpay_test_run) and says how many; the setting shows them", async () => {
    const mark = unique('run');
    const marked = await createPayment({ description: mark, metadata: { perfectpay_test_run: 'matrix' } });
    const plain = await createPayment({ description: unique('plain') });
    await a.tree.refresh();
    const shown = () => a.tree.visiblePayments().map((p) => p.payment_id);
    assert.ok(shown().includes(plain.payment_id));
    assert.ok(!shown().includes(marked.payment_id), 'the test run payment is left out');
    assert.ok(a.tree.payments().some((p) => p.payment_id === marked.payment_id), 'it was loaded all the same');
    assert.match(a.tree.viewText.message ?? '', /payments? of (a )?test runs? .* not shown: setting perfectpay\.view\.showTestRunPayments/);
    await settings({ 'view.showTestRunPayments': true });
    await waitFor(() => shown().includes(marked.payment_id), { what: 'the test run payment shown once the setting is on' });
    assert.equal(a.tree.viewText.message, undefined);
  });
});
