// The Webhooks view and its commands in real VS Code, on the local sandbox: the webhook inbox receives
// a delivery (✓ signature valid) and a forged one (✗), Resend Event adds a manual attempt, the event
// opens as a read-only JSON document, the inbox answering 500 makes the sandbox retry, and the
// verification code and the secret are copied (the secret from SecretStorage, never shown).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PerfectPayTestApi } from '../../src/extension';
import type { WebhookNode } from '../../src/tree/WebhooksTreeProvider';
import type { ScenarioController } from '../../src/scenarios/controller';
import { cardArg, createPayment, lastError, onLocalSandbox, run, unique, waitFor } from './helpers';

describe('Webhooks view', function () {
  this.timeout(90_000);
  let a: PerfectPayTestApi;
  onLocalSandbox(10, (x) => (a = x));

  after(async () => {
    await run('perfectpay.stopWebhookInbox');
  });

  const label = (n: WebhookNode) => String(a.webhooks.getTreeItem(n).label);

  it('the inbox receives a signed delivery (✓) and tells a forged one (✗); the view lists the event with its attempts', async () => {
    const url = await run<string>('perfectpay.startWebhookInbox');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/webhooks$/);
    const p = await createPayment({ description: unique('wh'), confirm: true, ...cardArg('4242424242424242') });
    await waitFor(() => a.inbox.arrivals().some((x) => x.objectId === p.payment_id && x.valid), { what: 'the signed delivery in the inbox' });

    const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-signature-512': '0'.repeat(128) }, body: a.inbox.arrivals()[0]!.body });
    assert.equal(forged.status, 400);
    const inboxRows = await a.webhooks.getChildren({ kind: 'inbox' });
    assert.match(label(inboxRows[0]!), /^✗ payment_succeeded/);
    assert.match(String(a.webhooks.getTreeItem(inboxRows[0]!).description), /signature invalid/);
    assert.match(label(inboxRows[1]!), /^✓ payment_succeeded/);

    await waitFor(async () => {
      await a.webhooks.refresh();
      return a.webhooks.shownEvents().find((e) => e.object_id === p.payment_id)?.is_delivery_successful === true;
    }, { what: 'the event delivered, in the view' });
    const roots = await a.webhooks.getChildren();
    assert.equal(roots[0]!.kind, 'inbox', 'the inbox first');
    const row = roots.find((n) => n.kind === 'event' && n.event.object_id === p.payment_id)!;
    assert.match(label(row), /^✓ payment_succeeded$/);
    assert.match(String(a.webhooks.getTreeItem(row).description), new RegExp(`^${p.payment_id} · `));
    const attempts = await a.webhooks.getChildren(row);
    assert.deepEqual(attempts.map(label), ['✓ 200']);
    assert.match(String(a.webhooks.getTreeItem(attempts[0]!).description), /^initial_attempt · \d+ ms/);
  });

  it('Resend Event adds a manual attempt; the event opens as JSON of what was sent and what came back', async () => {
    const p = await createPayment({ description: unique('wh'), confirm: true, ...cardArg('4242424242424242') });
    const event = await waitFor(async () => {
      await a.webhooks.refresh();
      return a.webhooks.shownEvents().find((e) => e.object_id === p.payment_id && e.is_delivery_successful);
    }, { what: 'the event delivered' });
    const before = a.inbox.arrivals().length;
    const attempt = await run<{ delivery_attempt: string; response: { status_code: number } }>('perfectpay.resendEvent', { eventId: event.event_id });
    assert.equal(attempt.delivery_attempt, 'manual_retry');
    assert.equal(attempt.response.status_code, 200);
    assert.equal(a.inbox.arrivals().length, before + 1);
    const row = (await a.webhooks.getChildren()).find((n) => n.kind === 'event' && n.event.event_id === event.event_id)!;
    assert.deepEqual((await a.webhooks.getChildren(row)).map((n) => n.kind === 'attempt' && n.attempt.delivery_attempt), ['initial_attempt', 'manual_retry']);

    const doc = await run<vscode.TextDocument>('perfectpay.openEvent', event.event_id);
    assert.equal(doc.uri.scheme, 'perfectpay');
    assert.equal(doc.languageId, 'json');
    const json = JSON.parse(doc.getText());
    assert.equal(json.event.event_id, event.event_id);
    assert.equal(json.sent.content.object.payment_id, p.payment_id);
    assert.deepEqual(json.attempts.map((x: { delivery_attempt: string }) => x.delivery_attempt), ['initial_attempt', 'manual_retry']);
    assert.ok(json.attempts[0].request_headers.some(([k]: [string]) => k === 'x-webhook-signature-512'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('the inbox answering 500 makes the sandbox retry; answering 200 again, the retry is delivered', async () => {
    await run('perfectpay.webhookInboxAnswer500');
    const p = await createPayment({ description: unique('wh'), confirm: true, ...cardArg('4242424242424242') });
    await waitFor(() => a.inbox.arrivals().some((x) => x.objectId === p.payment_id && x.answered === 500), { what: 'a delivery answered 500' });
    await run('perfectpay.webhookInboxAnswer200');
    const event = await waitFor(async () => {
      await a.webhooks.refresh();
      return a.webhooks.shownEvents().find((e) => e.object_id === p.payment_id && e.is_delivery_successful);
    }, { what: 'the automatic retry delivered', timeout: 30_000 });
    const row = (await a.webhooks.getChildren()).find((n) => n.kind === 'event' && n.event.event_id === event.event_id)!;
    const kinds = (await a.webhooks.getChildren(row)).map((n) => (n.kind === 'attempt' ? `${n.attempt.delivery_attempt} ${n.attempt.response.status_code}` : ''));
    assert.equal(kinds[0], 'initial_attempt 500');
    assert.equal(kinds[kinds.length - 1], 'automatic_retry 200');
  });

  it('the inspector’s timeline shows the payment’s webhook events, delivered, live', async () => {
    const p = await createPayment({ description: unique('wh'), confirm: true, capture_method: 'manual', ...cardArg('4242424242424242') });
    await run('perfectpay.inspectPayment', p.payment_id);
    const probe = a.inspector.test!.probe(p.payment_id)!;
    await probe.waitForModel((m) => m.timeline.some((e) => e.label === 'Webhook payment_authorized' && e.detail === '✓ delivered'), 'the authorized event, delivered');
    await run('perfectpay.capturePayment', { paymentId: p.payment_id, amount_to_capture: 1000 });
    const m = await probe.waitForModel((x) => x.timeline.some((e) => e.label === 'Webhook payment_captured' && e.detail === '✓ delivered'), 'the captured event, delivered');
    const labels = m.timeline.map((e) => e.label);
    assert.ok(labels.indexOf('Webhook payment_authorized') < labels.indexOf('Webhook payment_captured'));
    assert.ok(m.timeline.filter((e) => e.source === 'webhook').every((e) => e.status === null));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("a scenario's expect_webhook reads the inbox: without one it fails saying how to start it; with it, it passes", async () => {
    const s = (await vscode.commands.executeCommand<ScenarioController>('perfectpay.scenarios.testApi'))!;
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, 'scenarios', `${unique('hook')}.perfectpay.json`);
    const steps = [{ create: { amount: 1000, currency: 'USD', confirm: true, card: '4242424242424242' } }, { expect_webhook: { event_type: 'payment_succeeded', fields: { status: 'succeeded' } } }];
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ name: 'hook', steps })));
    try {
      const entry = await s.entry(uri);
      assert.ok(entry);
      await run('perfectpay.stopWebhookInbox');
      const without = (await s.run(new vscode.TestRunRequest([entry.item]), new vscode.CancellationTokenSource().token)).get(entry.item.id)!;
      assert.equal(without.outcome, 'failed');
      assert.equal(without.message, 'Step 2. expect webhook payment_succeeded with status = succeeded: no webhook inbox: start one with "PerfectPay: Start Webhook Inbox", then run the scenario again.');
      await run('perfectpay.startWebhookInbox');
      const withInbox = (await s.run(new vscode.TestRunRequest([entry.item]), new vscode.CancellationTokenSource().token)).get(entry.item.id)!;
      assert.equal(withInbox.outcome, 'passed', withInbox.message);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('copies the verification code and the secret (from SecretStorage, in no message); refuses a URL that is not http(s)', async () => {
    const code = await run<string>('perfectpay.copyWebhookVerificationCode', 'node');
    assert.equal(await vscode.env.clipboard.readText(), code);
    assert.match(code, /timingSafeEqual/);
    assert.ok(await run<boolean>('perfectpay.copyWebhookSecret'));
    const secret = await vscode.env.clipboard.readText();
    assert.equal(secret, await a.environments.webhookSecret());
    assert.ok(!a.notifier.messages.some((m) => m.text.includes(secret)), 'the secret is in no message');
    assert.equal(await run('perfectpay.setWebhookUrl', 'ftp://example.com/hook'), undefined);
    assert.match(lastError(a) ?? '', /must start with http:\/\/ or https:\/\//);
  });
});
