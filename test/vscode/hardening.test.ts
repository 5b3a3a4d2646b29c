// Hardening inside the extension host: plain http to another machine is refused until confirmed,
// settings are written where their effective value lives, a lost answer never invites a second capture.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { statusBarText } from '../../src/environment/statusBar';
import type { PerfectPayTestApi } from '../../src/extension';
import { api, lastError, run, settings } from './helpers';

describe('PerfectPay hardening', () => {
  let a: PerfectPayTestApi;
  before(async () => {
    a = await api();
  });
  afterEach(async () => {
    await settings({ environment: 'local', baseUrl: '' });
    const c = vscode.workspace.getConfiguration('perfectpay');
    if (c.inspect('environment')?.workspaceValue !== undefined) await c.update('environment', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('refuses to send the key over plain http to another machine until confirmed, and shows it as not secure', async () => {
    // 203.0.113.0/24 is TEST-NET-3: nothing answers there, and nothing must be sent.
    await settings({ environment: 'custom', baseUrl: 'http://203.0.113.7:8080' });
    assert.equal(a.environments.environment().insecure, true);
    assert.match(statusBarText(a.environments.environment()), /not secure/);
    const count = a.environments.requestCount;
    await run('perfectpay.openPaymentById', 'pay_plain_http_refused');
    assert.match(lastError(a) ?? '', /plain http/);
    assert.equal(a.environments.requestCount, count, 'a request was sent over plain http');
  });

  it('plain http to a loopback address needs no confirmation (nothing leaves the machine)', async () => {
    await settings({ environment: 'custom', baseUrl: 'http://127.0.0.1:9' });
    assert.equal(a.environments.environment().insecure, false);
    assert.equal(a.environments.configProblem(), undefined);
  });

  it('Select Environment writes to the workspace when the workspace sets perfectpay.environment', async () => {
    const c = vscode.workspace.getConfiguration('perfectpay');
    await c.update('environment', 'sandbox', vscode.ConfigurationTarget.Workspace);
    assert.equal(a.environments.settings().environment, 'sandbox');
    const env = await run<{ kind: string }>('perfectpay.selectEnvironment', 'local');
    assert.equal(env?.kind, 'local');
    assert.equal(vscode.workspace.getConfiguration('perfectpay').inspect('environment')?.workspaceValue, 'local');
    assert.equal(a.environments.settings().environment, 'local');
  });
});
