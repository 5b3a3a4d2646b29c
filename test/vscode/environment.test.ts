// Environments, keys and activation: a bad custom URL, the raw-card rule, the missing key, activate's cost.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Payment } from '../../src/api/schemas';
import { statusBarText } from '../../src/environment/statusBar';
import type { PerfectPayTestApi } from '../../src/extension';
import { api, cardArg, lastError, run, settings } from './helpers';

const CARD = cardArg('4242424242424242');

describe('PerfectPay activation', () => {
  it('activates without loading the runtime, registers every command, and returns { service, tree }', async () => {
    const a = await api();
    assert.ok(a.service && a.tree);
    // Speed is the benchmark's to report, not a timed test's to assert (a loaded CI machine would
    // make it flaky): the figure measured here goes to a file that `npm run bench` prints.
    console.log(`    activate took ${a.activationMs} ms`);
    const ext = vscode.extensions.getExtension('perfectpay.perfectpay-explorer')!;
    const out = path.join(ext.extensionPath, 'test-results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'activation.json'), JSON.stringify({ activateMs: a.activationMs, at: new Date().toISOString() }));
    assert.equal(a.runtimeLoadedAtActivation, false, 'activate loaded dist/runtime.js');
    const all = await vscode.commands.getCommands(true);
    for (const id of [
      'createPayment', 'confirmPayment', 'capturePayment', 'cancelPayment', 'refreshPayments', 'inspectPayment',
      'openPaymentById', 'copyPaymentId', 'copyAsCurl', 'selectEnvironment', 'setApiKey', 'showRequestLog',
      'simulateCustomerAction', 'loadMore', 'filterPayments', 'clearFilter', 'resetLocalSandbox',
    ]) assert.ok(all.includes(`perfectpay.${id}`), `perfectpay.${id} is not registered`);
  });

  it('contributes every command with category PerfectPay', () => {
    const pkg = vscode.extensions.getExtension('perfectpay.perfectpay-explorer')!.packageJSON;
    const commands: { command: string; category: string }[] = pkg.contributes.commands;
    assert.equal(commands.length, 22);
    assert.ok(commands.every((c) => c.category === 'PerfectPay'));
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, 'perfectpay');
    assert.equal(pkg.contributes.views.perfectpay[0].id, 'perfectpay.payments');
  });
});

describe('PerfectPay environments', function () {
  this.timeout(30_000);
  let a: PerfectPayTestApi;

  before(async () => {
    a = await api();
  });

  after(async () => {
    await settings({ environment: 'local', baseUrl: undefined, pciControlledEnvironment: undefined });
    assert.equal(a.service.environment().kind, 'local');
  });

  it('tells of the environment change (onDidChangeEnvironment) and shows it in the status bar text', async () => {
    assert.equal(statusBarText(a.service.environment()), '$(credit-card) PerfectPay: Local sandbox');
    const changed = new Promise<string>((resolve) => {
      const sub = a.service.onDidChangeEnvironment((e) => {
        if (e.kind !== 'custom') return;
        sub.dispose();
        resolve(e.kind);
      });
    });
    await run('perfectpay.selectEnvironment', { environment: 'custom', baseUrl: 'not a url' });
    assert.equal(await changed, 'custom');
  });

  it('a custom environment with a bad URL gives a clear error, not a crash', async () => {
    await settings({ environment: 'custom', baseUrl: 'not a url' });
    await a.tree.refresh();
    const rows = a.tree.rows();
    assert.ok(rows.length > 0, 'the tree is empty and silent');
    const first = a.tree.getTreeItem(rows[0]!);
    assert.equal(first.label, 'Could not load payments');
    assert.match(String(first.description), /not a URL/);
    assert.equal(first.command?.command, 'perfectpay.showRequestLog');
    assert.ok(rows.some((r) => a.tree.getTreeItem(r).command?.command === 'perfectpay.selectEnvironment'));
    const p = await run<Payment | undefined>('perfectpay.createPayment', { amount: 100, currency: 'USD' });
    assert.equal(p, undefined);
    assert.match(lastError(a) ?? '', /not a URL/);
  });

  it('asks for a key where one is needed: the tree is empty (welcome content) and needsApiKey is true', async () => {
    await settings({ environment: 'custom', baseUrl: 'http://127.0.0.1:9' });
    await a.environments.deleteApiKey();
    assert.equal(await a.environments.needsApiKey(), true);
    await a.tree.refresh();
    assert.deepEqual(a.tree.rows(), []);
  });

  it('keeps the key in SecretStorage only, per environment', async () => {
    assert.equal(await run('perfectpay.setApiKey', 'sk_test_custom_key'), true);
    assert.equal(await a.environments.needsApiKey(), false);
    assert.equal(await a.environments.hasApiKey('custom'), true);
    const inSettings = JSON.stringify(vscode.workspace.getConfiguration('perfectpay'));
    assert.ok(!inSettings.includes('sk_test_custom_key'));
    // The sandbox's key is another one.
    assert.notEqual(a.environments.currentSecretName(), 'perfectpay.apiKey.sandbox');
  });

  it('refuses raw card data to a custom URL that is not PCI-controlled, before sending anything', async () => {
    assert.equal(a.service.environment().allowsRawCardData, false);
    const count = a.environments.requestCount;
    const p = await run<Payment | undefined>('perfectpay.createPayment', { amount: 4999, currency: 'USD', confirm: true, ...CARD });
    assert.equal(p, undefined);
    assert.match(lastError(a) ?? '', /raw card data/i);
    assert.match(lastError(a) ?? '', /pciControlledEnvironment/);
    const c = await run<Payment | undefined>('perfectpay.confirmPayment', { paymentId: 'pay_x', ...CARD });
    assert.equal(c, undefined);
    assert.match(lastError(a) ?? '', /raw card data/i);
    assert.equal(a.environments.requestCount, count, 'a request was sent');
  });

  it('sends it when the custom URL is marked PCI-controlled (here: nothing listens, so a network error with advice)', async () => {
    await settings({ pciControlledEnvironment: true });
    assert.equal(a.service.environment().allowsRawCardData, true);
    const count = a.environments.requestCount;
    const p = await run<Payment | undefined>('perfectpay.confirmPayment', { paymentId: 'pay_x', ...CARD });
    assert.equal(p, undefined);
    assert.ok(a.environments.requestCount > count, 'nothing was sent');
    const m = [...a.notifier.messages].reverse().find((x) => x.level === 'error')!;
    assert.match(m.text, /Could not reach http:\/\/127\.0\.0\.1:9/);
    assert.ok(m.actions.includes('Select Environment'));
    assert.ok(m.actions.includes('Show Request Log'));
    await a.environments.deleteApiKey();
  });

  it('refuses to simulate outside the local sandbox', async () => {
    const p = await run<Payment | undefined>('perfectpay.simulateCustomerAction', { paymentId: 'pay_x', outcome: 'succeed' });
    assert.equal(p, undefined);
    assert.match(lastError(a) ?? '', /only on the local sandbox/);
  });

  it('comes back to the local sandbox with its payments', async () => {
    await settings({ environment: 'local', baseUrl: undefined, pciControlledEnvironment: undefined });
    await a.tree.refresh();
    assert.ok(a.tree.payments().length > 0);
    assert.ok(a.isRuntimeLoaded());
  });
});
