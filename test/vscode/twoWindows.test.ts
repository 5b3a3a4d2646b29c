// Two windows on one global storage folder (as two VS Code windows share the extension's globalStorage):
// here two EnvironmentManagers and two history/answer stores in this extension host, on one temporary
// folder. Neither loses the other's payments, history or answers.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Payment } from '../../src/api/schemas';
import { EnvironmentManager } from '../../src/environment/EnvironmentManager';
import * as runtime from '../../src/runtime';
import { createAnswerStore } from '../../src/services/answerStore';
import { createHistoryStore } from '../../src/services/historyStore';
import { settings } from './helpers';

/** A SecretStorage holding nothing (the local sandbox needs no stored key). */
const noSecrets = {
  get: async () => undefined,
  store: async () => undefined,
  delete: async () => undefined,
  keys: async () => [],
  onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event,
} as unknown as vscode.SecretStorage;

describe('Two windows on one global storage', function () {
  this.timeout(60_000);
  let dir: string;
  let storageUri: vscode.Uri;
  let log: vscode.LogOutputChannel;
  const windows: EnvironmentManager[] = [];

  /** One window's environment manager on the shared folder. */
  function window(): EnvironmentManager {
    const m = new EnvironmentManager({ loadRuntime: () => runtime, secrets: noSecrets, log, storageUri, clientOptions: { retry: { maxAttempts: 1 } } });
    windows.push(m);
    return m;
  }

  const create = async (m: EnvironmentManager, amount: number): Promise<Payment> => (await m.session()).client.createPayment({ amount, currency: 'USD' });
  const lockFile = (): string => path.join(dir, 'local-sandbox.lock');

  before(async () => {
    log = vscode.window.createOutputChannel('PerfectPay two windows (test)', { log: true });
    await settings({ environment: 'local' });
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-two-windows-'));
    storageUri = vscode.Uri.file(dir);
  });
  afterEach(async () => {
    await Promise.all(windows.splice(0).map((m) => m.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  after(() => log.dispose());

  it("keeps the local sandbox payments of both windows: A's payment kept, B's kept", async () => {
    const a = window();
    const b = window();
    const pa = await create(a, 1111);
    const pb = await create(b, 2222);
    await a.close();
    await b.close();
    const c = window();
    const s = await c.session();
    for (const p of [pa, pb]) assert.equal((await s.client.retrievePayment(p.payment_id)).amount, p.amount, `${p.payment_id} is lost`);
  });

  it('the second window uses the first one\'s sandbox (lock file 0600), and takes over once when that window closes', async () => {
    const a = window();
    const b = window();
    const sa = await a.session();
    const sb = await b.session();
    assert.equal(a.localSandbox.isShared, false);
    assert.equal(b.localSandbox.isShared, true, 'B started a sandbox of its own');
    assert.equal(sb.baseUrl, sa.baseUrl);
    assert.equal(fs.statSync(lockFile()).mode & 0o777, 0o600);
    const pa = await create(a, 1111);
    const pb = await create(b, 2222);
    assert.equal((await sa.client.retrievePayment(pb.payment_id)).amount, 2222, 'A sees B\'s payment');

    // A closes: its payments saved, its lock removed. B's next request is refused, and B takes over
    // (from the saved file) without a word to the caller, in the same session.
    await a.close();
    assert.equal(fs.existsSync(lockFile()), false);
    const generation = b.generation;
    const pc = await create(b, 3333);
    assert.equal(b.localSandbox.isShared, false);
    assert.ok(b.localSandbox.instance, 'B runs its own sandbox now');
    assert.equal(b.generation, generation);
    assert.ok(fs.existsSync(lockFile()), 'B holds the lock now');
    for (const p of [pa, pb, pc]) assert.equal((await sb.client.retrievePayment(p.payment_id)).amount, p.amount);

    // A window opened now uses B's.
    const c = window();
    await c.session();
    assert.equal(c.localSandbox.isShared, true);
    assert.equal(c.localSandbox.url, b.localSandbox.url);
  });

  it('a lock whose window died (its sandbox does not answer) is taken over', async () => {
    fs.writeFileSync(lockFile(), JSON.stringify(runtime.makeSandboxLock({ pid: process.pid, url: 'http://127.0.0.1:9', apiKey: 'sk_local_gone_gone_gone', publishableKey: 'pk_snd_gone_gone_gone', seed: 25, startedAt: new Date().toISOString() })));
    const a = window();
    await a.session();
    assert.equal(a.localSandbox.isShared, false);
    assert.ok(a.localSandbox.instance);
    assert.ok(runtime.parseSandboxLock(fs.readFileSync(lockFile(), 'utf8')).lock?.url === a.localSandbox.url);
  });

  for (const [what, make, entry] of [
    ['history', (u: vscode.Uri) => createHistoryStore(u, undefined, log), (at: string) => ({ at, cause: 'create', status: 'requires_payment_method' })],
    ['answers', (u: vscode.Uri) => createAnswerStore(u, log), (at: string) => ({ at, cause: 'create', environment: 'local', payment: { status: 'requires_payment_method' } })],
  ] as const) {
    it(`keeps the ${what} of both windows: A's payment kept, B's kept`, async () => {
      const a = make(storageUri);
      const b = make(storageUri);
      await Promise.all([a.load(), b.load()]);
      a.add('pay_window_a', entry('2026-01-01T00:00:01.000Z') as never);
      b.add('pay_window_b', entry('2026-01-01T00:00:02.000Z') as never);
      await a.flush();
      await b.flush();
      const c = make(storageUri);
      await c.load();
      assert.ok(c.has('pay_window_a'), `A's ${what}: lost`);
      assert.ok(c.has('pay_window_b'), `B's ${what}: lost`);
    });
  }
});
