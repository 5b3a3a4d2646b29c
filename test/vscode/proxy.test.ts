// Behind a proxy, as a user sets one: VS Code's http.* settings (global), a forward proxy of the test's
// own on loopback that alone resolves perfectpay-hosted.test, a TLS server whose certificate a CA made
// in the test signs (trusted through NODE_EXTRA_CA_CERTS), and the local sandbox never proxied.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import type { PerfectPayTestApi } from '../../src/extension';
import { makeTestCertificates, startTestProxy, startTlsFront, type TestCertificates, type TestProxy, type TlsFront } from '../testProxy';
import { api, lastError, run, settings } from './helpers';

const KEY = 'sk_test_behind_the_proxy_42';
const HOST = 'perfectpay-hosted.test';
const TOKEN = `Basic ${Buffer.from('corp-user:corp-pass-9876').toString('base64')}`;

/** Sets VS Code's own `http.*` settings globally, as the Settings editor does (undefined removes one). */
async function httpSettings(values: Record<string, unknown>): Promise<void> {
  const c = vscode.workspace.getConfiguration('http');
  for (const [k, v] of Object.entries(values)) await c.update(k, v, vscode.ConfigurationTarget.Global);
}

describe('PerfectPay behind a proxy (http.* settings)', function () {
  this.timeout(60_000);
  let a: PerfectPayTestApi;
  let sandbox: RunningSandbox;
  let certs: TestCertificates;
  let front: TlsFront;
  let proxy: TestProxy;
  let hosted: string;
  const extraCerts = process.env.NODE_EXTRA_CA_CERTS;

  before(async () => {
    a = await api();
    sandbox = await startSandbox({ port: 0, apiKey: KEY, seed: 4 });
    certs = makeTestCertificates(HOST);
    front = await startTlsFront(certs, Number(new URL(sandbox.url).port));
    proxy = await startTestProxy([HOST]);
    hosted = `https://${HOST}:${front.port}`;
    // The company's certificate authority, as NODE_EXTRA_CA_CERTS names it.
    process.env.NODE_EXTRA_CA_CERTS = certs.caFile;
  });

  afterEach(async () => {
    await httpSettings({ proxy: undefined, proxyAuthorization: undefined });
    proxy.requireAuthorization = undefined;
  });

  after(async () => {
    if (extraCerts === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = extraCerts;
    if (a.service.environment().kind === 'custom') await a.environments.deleteApiKey();
    await settings({ environment: 'local', baseUrl: undefined });
    await proxy?.close();
    await front?.close();
    await sandbox?.close();
    certs?.remove();
  });

  it('lists the payments of a hosted environment only the proxy reaches, with credentials for the proxy only', async () => {
    proxy.requireAuthorization = TOKEN;
    await httpSettings({ proxy: proxy.url, proxyAuthorization: TOKEN });
    await settings({ environment: 'custom', baseUrl: hosted });
    assert.equal(await run('perfectpay.setApiKey', KEY), true);
    proxy.carried.length = 0;
    await a.tree.refresh();
    assert.equal(a.tree.visiblePayments().length, 4, JSON.stringify(a.tree.rows().map((r) => a.tree.getTreeItem(r).description)));
    assert.ok(proxy.carried.some((r) => r.method === 'CONNECT' && r.target === `${HOST}:${front.port}` && r.proxyAuthorization === TOKEN));
    assert.ok(front.received.join('').includes('/payments/list'), 'the server got the request');
    assert.ok(!/corp-pass|Y29ycC11c2Vy|proxy-authorization/i.test(front.received.join('')), 'the credentials stopped at the proxy');
    const logged = JSON.stringify(a.requestLog.recent());
    assert.ok(logged.includes(`"proxy":"${proxy.url}"`), 'the request log names the proxy');
    assert.ok(!logged.includes('Y29ycC11c2Vy') && !logged.includes('corp-pass'), 'no credentials in the request log');

    // The proxy's credentials removed: the next request (no reload) hears the proxy's 407, with its own message.
    await httpSettings({ proxyAuthorization: undefined });
    await a.tree.refresh();
    const rows = a.tree.rows().map((r) => a.tree.getTreeItem(r));
    assert.match(String(rows[0]?.description), new RegExp(`The proxy ${proxy.url.replace(/\./g, '\\.')} asks for credentials \\(HTTP 407\\)`));
    const settingsRow = rows.find((r) => r.command?.command === 'workbench.action.openSettings');
    assert.deepEqual(settingsRow?.command?.arguments, ['http.proxy']);
    assert.equal(await run('perfectpay.createPayment', { amount: 100, currency: 'USD' }), undefined);
    assert.match(lastError(a) ?? '', /asks for credentials \(HTTP 407\)/);
    const shown = [...a.notifier.messages].reverse().find((m) => m.level === 'error');
    assert.ok(shown?.actions.includes('Open Settings'), JSON.stringify(shown));
  });

  it('the local sandbox is never sent through the proxy, with http.proxy set', async () => {
    await httpSettings({ proxy: proxy.url });
    await settings({ environment: 'local' });
    proxy.carried.length = 0;
    let sent = 0;
    const sub = a.environments.onDidRequest(() => sent++);
    try {
      await a.tree.refresh();
    } finally {
      sub.dispose();
    }
    assert.ok(sent > 0, 'the view read its page');
    assert.ok(a.tree.visiblePayments().length > 0);
    assert.equal(proxy.carried.length, 0);
  });
});
