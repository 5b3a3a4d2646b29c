// Refunds inside a real VS Code against the local sandbox the extension starts itself: the Refund
// Payment command (a partial refund with its arguments, then the rest through its own input boxes,
// accepted as prefilled), an over-refund explained, the refunded payment expanded in the view (its
// refund rows, their JSON document and cURL), the tooltip, and the inspector following a refund that
// fails later (card 4000000000005126) until it ends.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Payment, Refund } from '../../src/api/schemas';
import { COMMAND_IDS } from '../../src/domain/commandIds';
import type { PerfectPayTestApi } from '../../src/extension';
import type { RefundNode } from '../../src/tree/items';
import { api, cardArg, closeInspectors, createPayment, lastError, run, settings, waitFor } from './helpers';

describe('refunds (extension host)', function () {
  this.timeout(60_000);
  let a: PerfectPayTestApi;

  before(async () => {
    a = await api();
    await settings({ environment: 'local', pageSize: 25 });
  });
  beforeEach(() => a.tree.refresh());
  afterEach(() => closeInspectors(a));

  const info = (pattern: RegExp) => [...a.notifier.messages].reverse().find((m) => pattern.test(m.text))?.text;

  it('a partial refund, then the rest through the input boxes (amount prefilled with what is left); a refunded payment expands to its refunds', async () => {
    const p = await createPayment({ amount: 4999, description: 'Refund me', confirm: true, ...cardArg('4242424242424242') });
    assert.equal(p.status, 'succeeded');
    const partial = await run<Refund>(COMMAND_IDS.refund, { paymentId: p.payment_id, amount: 1200, reason: 'duplicate' });
    assert.equal(partial?.status, 'succeeded');
    assert.equal(partial?.amount, 1200);
    assert.match(info(/^Refunded 12\.00 of 49\.99 USD/) ?? '', new RegExp(`^Refunded 12\\.00 of 49\\.99 USD on ${p.payment_id}: refund succeeded \\(ref_`));
    // The service read the payment again: its row and its history follow.
    const row = await waitFor(() => a.tree.node(p.payment_id)?.payment.refunds?.length === 1 && a.tree.node(p.payment_id), { what: 'the row to list the refund' });
    assert.equal(a.service.history(p.payment_id).at(-1)?.cause, 'refund');
    assert.equal(a.service.history(p.payment_id).at(-1)?.refund_amount, 1200);

    // The rest: no amount, no reason given, so both are asked; each box is accepted as it comes.
    const rest = run<Refund | undefined>(COMMAND_IDS.refund, { paymentId: p.payment_id });
    let done = false;
    void rest.then(() => (done = true));
    // Each look accepts what the open box shows (nothing when none is open): the prefilled amount, then the first reason.
    await waitFor(() => {
      void vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return done;
    }, { what: 'the refund to end once its input boxes were accepted', interval: 300 });
    const full = await rest;
    assert.equal(full?.amount, 3799, 'the amount came prefilled with what was left');
    assert.equal(full?.reason, 'requested_by_customer', 'the first reason offered');

    // Expanded: two refund rows, newest first, each opening its JSON document.
    const item = a.tree.getTreeItem(row);
    assert.equal(item.contextValue, 'payment:refund');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const children = (await a.tree.getChildren(a.tree.node(p.payment_id))) as RefundNode[];
    assert.deepEqual(children.map((c) => [c.kind, c.refund.amount]), [['refund', 3799], ['refund', 1200]]);
    const refundItem = a.tree.getTreeItem(children[1]!);
    assert.equal(refundItem.label, '12.00 USD');
    assert.match(String(refundItem.description), /^Succeeded · .* · duplicate$/);
    assert.equal(refundItem.contextValue, 'refund');
    assert.equal(a.tree.getParent(children[1]!), a.tree.node(p.payment_id));
    const uri = await run<string>(refundItem.command!.command, ...(refundItem.command!.arguments ?? []));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    assert.equal(JSON.parse(doc.getText()).refund_id, partial!.refund_id);
    const curl = await run<string>(COMMAND_IDS.copyCurl, { ...children[1], request: 'retrieve_refund' });
    assert.match(curl, new RegExp(`/refunds/${partial!.refund_id}`));
    assert.doesNotMatch(curl, /sk_test/);
    // Nothing left: not offered again.
    const tooltip = a.tree.resolveTreeItem(a.tree.getTreeItem(a.tree.node(p.payment_id)!), a.tree.node(p.payment_id)!).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /refunded 49\\\.99 of 49\\\.99 USD/);
    assert.equal(await run(COMMAND_IDS.refund, { paymentId: p.payment_id, amount: 1 }), undefined);
    assert.match(lastError(a) ?? '', /cannot be refunded: it is "Succeeded" with 0\.00 USD left to refund/);
  });

  it('an over-refund given as an argument is refused by the server and explained (IR_13)', async () => {
    const p = await createPayment({ amount: 1000, confirm: true, ...cardArg('4242424242424242') });
    assert.equal(await run(COMMAND_IDS.refund, { paymentId: p.payment_id, amount: 1001, reason: undefined }), undefined);
    assert.match(lastError(a) ?? '', /The refund amount exceeds the amount captured/);
  });

  it('the open inspector follows a refund of card 5126 from pending to failed (Refunds section, timeline, details)', async () => {
    const p = await createPayment({ amount: 2500, confirm: true, ...cardArg('4000000000005126') });
    await run(COMMAND_IDS.inspect, p.payment_id);
    const probe = a.inspector.test!.probe(p.payment_id)!;
    await probe.waitForModel((m) => m.actions.refund, 'Refund offered');
    const refund = await run<Refund>(COMMAND_IDS.refund, { paymentId: p.payment_id, amount: 1000, reason: 'duplicate' });
    assert.equal(refund?.status, 'pending');
    const pending = await probe.waitForModel((m) => m.refunds[0]?.status === 'pending', 'the pending refund');
    assert.equal(pending.amounts.refunded, '10.00 USD');
    assert.equal(pending.amounts.leftToRefund, '15.00 USD');
    assert.ok(pending.polling, 'still polling: the refund is moving');
    assert.ok(pending.timeline.some((e) => e.label === 'Refund of 10.00 USD pending'));
    const failed = await probe.waitForModel((m) => m.refunds[0]?.status === 'failed', 'the refund to fail');
    assert.equal(failed.refunds[0]!.error, 'refund_failed — The refund was declined by the processor.');
    assert.ok(failed.timeline.some((e) => e.label === 'Refund of 10.00 USD failed: refund_failed — The refund was declined by the processor.' && e.kind === 'failed'));
    assert.equal(failed.amounts.leftToRefund, '25.00 USD', 'a failed refund holds nothing back');
    await waitFor(() => !probe.isPolling(), { what: 'polling to stop once the refund ended' });
    assert.equal((a.service.cached(p.payment_id) as Payment).status, 'succeeded');
  });
});
