// The local sandbox keeps the user's payments across a reload (its snapshot in globalStorage), and
// "Reset Local Sandbox" discards them, back to the seed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Payment } from '../../src/api/schemas';
import type { PerfectPayTestApi } from '../../src/extension';
import { startSandbox } from '../../src/sandbox';
import { PaymentsTreeProvider } from '../../src/tree/PaymentsTreeProvider';
import { api, cardArg, createPayment, run, settings, waitFor } from './helpers';

/** The ids of a fresh sandbox with this seed (the seed's ids are deterministic). */
async function seedIds(seed: number): Promise<string[]> {
  const s = await startSandbox({ apiKey: 'sk_test_seed_ids', seed });
  try {
    return s.paymentIds();
  } finally {
    await s.close();
  }
}

describe('PerfectPay local sandbox across reloads', function () {
  this.timeout(40_000);
  let a: PerfectPayTestApi;

  before(async () => {
    a = await api();
    await settings({ environment: 'local', 'localSandbox.seed': undefined });
  });

  const file = () => {
    const uri = a.environments.localSandbox.snapshotUri;
    assert.ok(uri, 'no snapshot location (globalStorageUri) was given to the local sandbox');
    return uri.fsPath;
  };
  const saved = () => (fs.existsSync(file()) ? fs.readFileSync(file(), 'utf8') : '');

  it('saves a created payment soon after the change (debounced), in globalStorage, without the key', async () => {
    const p = await createPayment({ description: 'saved soon after' });
    const saves = a.environments.localSandbox.saves;
    await waitFor(() => a.environments.localSandbox.saves > saves && saved().includes(p.payment_id), { what: 'the debounced save of the new payment' });
    const o = JSON.parse(saved());
    assert.equal(o.format, 'perfectpay-local-sandbox');
    assert.equal(o.seed, 25);
    assert.equal(o.port, a.environments.localSandbox.instance!.port);
    assert.equal(o.snapshot.version, 1);
    assert.ok(!saved().includes('sk_local_'), 'the key was saved');
  });

  it("shows last session's first page while the sandbox starts again, then the live one", async () => {
    const p = await createPayment({ amount: 4321, description: 'first row of the preview' });
    await a.environments.localSandbox.stop();
    // The saved file holds the first page as GET /payments/list answered it: the new payment on top.
    const page = await a.environments.localSandbox.lastFirstPage(25);
    assert.ok(page && page.length > 0, 'no first page was saved');
    assert.equal((page[0] as Payment).payment_id, p.payment_id);
    assert.equal(await a.environments.localSandbox.lastFirstPage(26), undefined, 'another seed has no preview');
    // A view opened now (as in a new window) answers from it at once, before the sandbox runs.
    const tree = new PaymentsTreeProvider(a.service, a.environments);
    try {
      const first = await tree.getChildren();
      assert.equal(tree.showsPreview, true, 'the first rows did not come from the saved page');
      const ids = first.flatMap((n) => (n.kind === 'payment' ? [n.payment.payment_id] : []));
      assert.equal(ids[0], p.payment_id);
      assert.equal(first[0]?.kind === 'payment' && first[0].payment.description, 'first row of the preview');
      await tree.whenLoaded();
      assert.equal(tree.showsPreview, false);
      assert.equal(tree.payments()[0]?.payment_id, p.payment_id, 'the live page');
      assert.ok(a.environments.localSandbox.url, 'the sandbox runs again');
    } finally {
      tree.dispose();
    }
  });

  it('keeps the payments when the sandbox stops as on a reload, on the same port', async () => {
    const p = await createPayment({ amount: 1234, capture_method: 'manual', confirm: true, description: 'survives a reload', ...cardArg('4242424242424242') });
    assert.equal(p.status, 'requires_capture');
    const url = a.environments.localSandbox.url;
    const count = a.environments.localSandbox.instance!.paymentCount();
    // What deactivate does: stop it (saving first).
    await a.environments.localSandbox.stop();
    assert.equal(a.environments.localSandbox.url, undefined);
    assert.ok(saved().includes(p.payment_id), 'not saved on stop');
    assert.ok(!saved().includes('4242424242424242'), 'the card number was saved');

    const again = await a.service.retrievePayment(p.payment_id);
    assert.equal(again.status, 'requires_capture');
    assert.equal(again.amount, 1234);
    assert.equal(again.description, 'survives a reload');
    assert.equal(a.environments.localSandbox.instance!.startedFrom, 'snapshot');
    assert.equal(a.environments.localSandbox.url, url, 'not restarted on the same port');
    assert.equal(a.environments.localSandbox.instance!.paymentCount(), count);
    // It still acts: capture it.
    const captured = await run<Payment | undefined>('perfectpay.capturePayment', { paymentId: p.payment_id, amount_to_capture: 1234 });
    assert.equal(captured?.status, 'succeeded');
    await a.tree.refresh();
    assert.ok(a.tree.payments().some((x) => x.payment_id === p.payment_id));
  });

  it('restarts on a free port when its old one is taken, with the payments', async () => {
    const p = await createPayment({ description: 'port taken' });
    const oldPort = a.environments.localSandbox.instance!.port;
    await a.environments.localSandbox.stop();
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(oldPort, '127.0.0.1', () => resolve()));
    try {
      const again = await a.service.retrievePayment(p.payment_id);
      assert.equal(again.description, 'port taken');
      assert.notEqual(a.environments.localSandbox.instance!.port, oldPort);
    } finally {
      blocker.close();
    }
  });

  it('starts from the seed when the saved file is unreadable (no crash)', async () => {
    await a.environments.localSandbox.stop();
    const dir = path.dirname(file());
    const before = fs.readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    fs.writeFileSync(file(), '{ not json');
    await a.tree.refresh();
    assert.deepEqual(a.environments.localSandbox.instance!.paymentIds(), await seedIds(25));
    // Set aside, not overwritten by the next save.
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('local-sandbox.json.corrupt-') && !before.includes(f));
    assert.equal(aside.length, 1, fs.readdirSync(dir).join(', '));
    assert.equal(fs.readFileSync(path.join(dir, aside[0]!), 'utf8'), '{ not json');
  });

  it('"Reset Local Sandbox" discards the payments (running and saved): the seed is back', async () => {
    const pkg = vscode.extensions.getExtension('perfectpay.perfectpay-explorer')!.packageJSON;
    const palette: { command: string; when?: string }[] = pkg.contributes.menus.commandPalette;
    assert.equal(palette.find((m) => m.command === 'perfectpay.resetLocalSandbox')?.when, 'config.perfectpay.environment == local');
    const p = await createPayment({ description: 'reset me' });
    await a.environments.localSandbox.save();
    assert.ok(saved().includes(p.payment_id));
    assert.equal(await run('perfectpay.resetLocalSandbox', { confirm: false }), true);
    assert.ok(!fs.existsSync(file()) || !saved().includes(p.payment_id), 'the snapshot was kept');
    assert.ok(!a.tree.payments().some((x) => x.payment_id === p.payment_id), 'the tree still shows it');
    assert.equal(a.tree.payments().length > 0, true);
    assert.equal(a.environments.localSandbox.instance!.startedFrom, 'seed');
    assert.deepEqual(a.environments.localSandbox.instance!.paymentIds(), await seedIds(25));
    await assert.rejects(a.service.retrievePayment(p.payment_id), /does not exist/i);
    // A stop and start now restores the seed's payments, not the discarded ones.
    await a.environments.localSandbox.stop();
    await a.tree.refresh();
    assert.deepEqual(a.environments.localSandbox.instance!.paymentIds(), await seedIds(25));
  });

  it('a new seed setting means a fresh seeded sandbox (the saved payments are discarded)', async () => {
    const p = await createPayment({ description: 'before the seed changed' });
    await settings({ 'localSandbox.seed': 3 });
    await waitFor(async () => {
      await a.tree.refresh();
      return a.environments.localSandbox.instance?.paymentCount() === 3;
    }, { what: 'the restart with seed 3' });
    assert.deepEqual(a.environments.localSandbox.instance!.paymentIds(), await seedIds(3));
    await settings({ 'localSandbox.seed': undefined });
    await waitFor(async () => {
      await a.tree.refresh();
      return a.environments.localSandbox.instance?.paymentCount() === 25;
    }, { what: 'the restart with seed 25' });
    assert.ok(!a.environments.localSandbox.instance!.paymentIds().includes(p.payment_id));
  });
});
