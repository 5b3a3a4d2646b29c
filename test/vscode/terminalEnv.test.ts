// Issue 23 §2: a cURL copied from the local sandbox runs as it is in a new integrated terminal. The
// terminal gets PERFECTPAY_API_KEY, PERFECTPAY_PUBLISHABLE_KEY and PERFECTPAY_BASE_URL through the
// extension's environment-variable collection while the local sandbox is the environment; another
// environment's key never goes into it. Every request here goes to loopback.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PerfectPayTestApi } from '../../src/extension';
import { api, createPayment, run, settings, waitFor } from './helpers';

const VARS = ['PERFECTPAY_API_KEY', 'PERFECTPAY_PUBLISHABLE_KEY', 'PERFECTPAY_BASE_URL'];

describe('the integrated terminal has the local sandbox\'s key and URL', function () {
  this.timeout(60_000);
  let a: PerfectPayTestApi;
  let dir: string;

  before(async () => {
    a = await api();
    await settings({ environment: 'local', baseUrl: '' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-terminal-'));
  });
  after(async () => {
    await settings({ environment: 'local', baseUrl: '' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const value = (name: string) => a.terminalEnvironment.get(name)?.value;

  it('a copied cURL, run in a new integrated terminal, answers the payment (200)', async () => {
    const p = await createPayment({ description: 'curl in the terminal' });
    const local = a.environments.localSandbox.handle;
    assert.ok(local, 'the local sandbox runs');
    assert.equal(value('PERFECTPAY_API_KEY'), local.apiKey);
    assert.equal(value('PERFECTPAY_PUBLISHABLE_KEY'), local.publishableKey);
    assert.equal(value('PERFECTPAY_BASE_URL'), local.url);
    assert.equal(String(a.terminalEnvironment.description), 'PerfectPay local sandbox key and URL');
    assert.equal(a.terminalEnvironment.persistent, false, 'the key is not kept on disk by VS Code');

    const text = await run<string>('perfectpay.copyAsCurl', { paymentId: p.payment_id, request: 'retrieve' });
    assert.ok(text, 'nothing was copied');
    assert.equal(await vscode.env.clipboard.readText(), text);
    assert.ok(text.includes('$PERFECTPAY_API_KEY') && !text.includes(local.apiKey), 'the copy names the variable, not the key');
    assert.ok(text.includes(`${local.url}/payments/${p.payment_id}`), text);

    // As pasted into a new integrated terminal; the answer and curl's exit status go to files.
    const out = path.join(dir, 'answer.json');
    const rc = path.join(dir, 'rc');
    const terminal = vscode.window.createTerminal({ name: 'PerfectPay curl test', shellPath: '/bin/bash', shellArgs: ['--norc', '--noprofile'] });
    try {
      terminal.sendText(`export no_proxy='*' NO_PROXY='*'; ${text} -s -o '${out}' -w '%{http_code}' > '${out}.status'; echo $? > '${rc}'`);
      await waitFor(() => fs.existsSync(rc) && fs.readFileSync(rc, 'utf8').endsWith('\n'), { what: 'the copied cURL to finish in the terminal', timeout: 30_000 });
    } finally {
      terminal.dispose();
    }
    assert.equal(fs.readFileSync(rc, 'utf8').trim(), '0', 'curl failed');
    assert.equal(fs.readFileSync(`${out}.status`, 'utf8'), '200', fs.readFileSync(out, 'utf8'));
    const answer = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(answer.payment_id, p.payment_id);
    assert.equal(answer.description, 'curl in the terminal');
  });

  it('holds nothing for another environment (its key never goes in), and the local ones again on the way back', async () => {
    const server: Server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ size: 0, data: [] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await settings({ environment: 'custom', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await run('perfectpay.setApiKey', 'sk_test_custom_terminal_key');
      for (const name of VARS) assert.equal(value(name), undefined, name);
      let seen = false;
      a.terminalEnvironment.forEach((_, m) => { if (String(m.value).includes('sk_test_custom_terminal_key')) seen = true; });
      assert.equal(seen, false, 'the hosted key is in the terminal\'s environment');
    } finally {
      server.close();
    }
    await settings({ environment: 'local', baseUrl: '' });
    await createPayment({ description: 'back to local' });
    assert.equal(value('PERFECTPAY_API_KEY'), a.environments.localSandbox.handle?.apiKey);
    assert.equal(value('PERFECTPAY_BASE_URL'), a.environments.localSandbox.url);
  });
});
