// Environments, keys and activation: a bad custom URL, the raw-card rule, the missing key, activate's cost.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Payment } from '../../src/api/schemas';
import { COMMAND_IDS } from '../../src/domain/commandIds';
import { statusBarText } from '../../src/environment/statusBar';
import type { PerfectPayTestApi } from '../../src/extension';
import { api, cardArg, createPayment, lastError, run, settings } from './helpers';

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

  it('contributes every command with category PerfectPay, each one registered', async () => {
    const pkg = vscode.extensions.getExtension('perfectpay.perfectpay-explorer')!.packageJSON;
    const commands: { command: string; category: string }[] = pkg.contributes.commands;
    // The manifest and the one list of ids agree, and VS Code knows a handler for each.
    assert.deepEqual(commands.map((c) => c.command).sort(), Object.values(COMMAND_IDS).sort());
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(commands.map((c) => c.command).filter((c) => !registered.has(c)), []);
    assert.ok(commands.every((c) => c.category === 'PerfectPay'));
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, 'perfectpay');
    assert.equal(pkg.contributes.views.perfectpay[0].id, 'perfectpay.payments');
  });
});

describe('PerfectPay environments', function () {
  this.timeout(30_000);
  let a: PerfectPayTestApi;
  const CUSTOM = 'http://127.0.0.1:9'; // nothing listens there
  const KEY = 'sk_test_custom_key';

  before(async () => {
    a = await api();
  });

  // Every test starts in the local sandbox, and leaves no custom key behind.
  beforeEach(async () => {
    await backToLocal();
  });

  afterEach(async () => {
    await backToLocal();
  });

  async function backToLocal(): Promise<void> {
    await settings({ environment: 'custom', baseUrl: CUSTOM });
    await a.environments.deleteApiKey();
    await settings({ environment: 'local', baseUrl: undefined, pciControlledEnvironment: undefined });
    assert.equal(a.service.environment().kind, 'local');
  }

  /** The custom environment at CUSTOM, with its key stored (`key`) or not, PCI-controlled or not. */
  async function useCustom(o: { key?: string; pci?: boolean } = {}): Promise<void> {
    await settings({ environment: 'custom', baseUrl: CUSTOM, pciControlledEnvironment: o.pci });
    if (o.key) assert.equal(await run('perfectpay.setApiKey', o.key), true);
    assert.equal(a.service.environment().kind, 'custom');
  }

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
    await useCustom();
    assert.equal(await a.environments.needsApiKey(), true);
    await a.tree.refresh();
    assert.deepEqual(a.tree.rows(), []);
  });

  it('keeps the key in SecretStorage only, per environment', async () => {
    await useCustom();
    assert.equal(await run('perfectpay.setApiKey', KEY), true);
    assert.equal(await a.environments.needsApiKey(), false);
    assert.equal(await a.environments.hasApiKey('custom'), true);
    const inSettings = JSON.stringify(vscode.workspace.getConfiguration('perfectpay'));
    assert.ok(!inSettings.includes(KEY));
    // The sandbox's key is another one.
    assert.notEqual(a.environments.currentSecretName(), 'perfectpay.apiKey.sandbox');
  });

  it('warns when a publishable key (pk_) is given as the secret key (issue 23)', async () => {
    await useCustom();
    const shown: Array<{ level: string; text: string }> = [];
    const sub = a.notifier.onDidShow((m) => shown.push({ level: m.level, text: m.text }));
    try {
      assert.equal(await run('perfectpay.setApiKey', 'pk_test_given_as_secret'), true);
      const warning = shown.find((m) => m.level === 'warning');
      assert.ok(warning, `no warning: ${JSON.stringify(shown)}`);
      assert.match(warning.text, /starts with pk_.*publishable key.*secret key/);
      assert.ok(!warning.text.includes('pk_test_given_as_secret'), 'the key itself is not shown');
      // A secret key: no warning.
      shown.length = 0;
      assert.equal(await run('perfectpay.setApiKey', KEY), true);
      assert.deepEqual(shown.map((m) => m.level), ['info']);
    } finally {
      sub.dispose();
    }
  });

  /** The POST requests (create, confirm: what would carry card data) sent while `act` runs. */
  async function postsDuring(act: () => Promise<unknown>): Promise<string[]> {
    const posts: string[] = [];
    const sub = a.environments.onDidRequest((e) => {
      if (e.method === 'POST') posts.push(e.url);
    });
    try {
      await act();
    } finally {
      sub.dispose();
    }
    return posts;
  }

  it('refuses raw card data to a custom URL that is not PCI-controlled, before sending anything', async () => {
    await useCustom({ key: KEY });
    assert.equal(a.service.environment().allowsRawCardData, false);
    // (The tree's own list reads may go on meanwhile: only a create or confirm would carry the card.)
    const posts = await postsDuring(async () => {
      const p = await run<Payment | undefined>('perfectpay.createPayment', { amount: 4999, currency: 'USD', confirm: true, ...CARD });
      assert.equal(p, undefined);
      assert.match(lastError(a) ?? '', /raw card data/i);
      assert.match(lastError(a) ?? '', /pciControlledEnvironment/);
      const c = await run<Payment | undefined>('perfectpay.confirmPayment', { paymentId: 'pay_x', ...CARD });
      assert.equal(c, undefined);
      assert.match(lastError(a) ?? '', /raw card data/i);
    });
    assert.deepEqual(posts, [], 'a create or confirm was sent');
  });

  it('sends it when the custom URL is marked PCI-controlled (here: nothing listens, so a network error with advice)', async () => {
    await useCustom({ key: KEY, pci: true });
    assert.equal(a.service.environment().allowsRawCardData, true);
    const posts = await postsDuring(async () => {
      const p = await run<Payment | undefined>('perfectpay.confirmPayment', { paymentId: 'pay_x', ...CARD });
      assert.equal(p, undefined);
    });
    assert.ok(posts.some((u) => u.endsWith('/payments/pay_x/confirm')), `the confirm was not sent: ${posts.join(', ')}`);
    const m = [...a.notifier.messages].reverse().find((x) => x.level === 'error')!;
    assert.match(m.text, /Could not reach http:\/\/127\.0\.0\.1:9/);
    assert.ok(m.actions.includes('Select Environment'));
    assert.ok(m.actions.includes('Show Request Log'));
  });

  it('refuses to simulate outside the local sandbox', async () => {
    await useCustom({ key: KEY });
    const p = await run<Payment | undefined>('perfectpay.simulateCustomerAction', { paymentId: 'pay_x', outcome: 'succeed' });
    assert.equal(p, undefined);
    assert.match(lastError(a) ?? '', /only on the local sandbox/);
  });

  it('comes back to the local sandbox with its payments (one made before leaving it is listed again)', async () => {
    const mine = await createPayment({ description: 'made before leaving' });
    await useCustom({ key: KEY });
    await settings({ environment: 'local', baseUrl: undefined, pciControlledEnvironment: undefined });
    await a.tree.refresh();
    assert.ok(a.tree.payments().some((p) => p.payment_id === mine.payment_id), 'the payment made before is not listed');
    assert.ok(a.isRuntimeLoaded());
  });
});
