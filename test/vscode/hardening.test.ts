// Hardening inside the extension host: plain http to another machine is refused until confirmed,
// settings are written where their effective value lives, a lost answer never invites a second capture.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Payment } from '../../src/api/schemas';
import { statusBarText } from '../../src/environment/statusBar';
import { paymentTooltip } from '../../src/tree/items';
import type { PerfectPayTestApi } from '../../src/extension';
import { api, lastError, requestsDuring, run, settings } from './helpers';

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
    const { sent } = await requestsDuring(a, () => run('perfectpay.openPaymentById', 'pay_plain_http_refused'));
    assert.match(lastError(a) ?? '', /plain http/);
    assert.deepEqual(sent.filter((r) => r.includes('203.0.113.7')), [], 'a request was sent over plain http');
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

  it('tree tooltips show hostile server strings as text: no link, HTML, icon, backslash in code, or card number', () => {
    const hostile = {
      payment_id: 'pay_tooltip_hostile',
      status: 'requires_capture',
      amount: 4999,
      currency: 'USD',
      created: '2026-11-24T15:04:05.000Z',
      customer_id: 'cus_`evil`\n| x |',
      description: '[click me](command:workbench.action.openSettings) <img src=x onerror=alert(1)> $(alert) *bold* 4242 4242 4242 4242',
      capture_method: 'manual_multiple',
      next_action: { type: 'redirect_to_url`\n' },
    } as unknown as Payment;
    const md = paymentTooltip(hostile).value;
    assert.ok(!md.includes('](command:'), md);
    assert.ok(!/(^|[^\\])<img/.test(md), md);
    assert.ok(!/(^|[^\\])\[click me\]/.test(md), md);
    assert.ok(!md.includes('$(alert)'), md);
    assert.ok(!md.includes('4242 4242 4242 4242'), md);
    assert.match(md, /•••• 4242/);
    // Ids and codes in code spans, without added backslashes (no `requires\_capture`).
    assert.match(md, /`requires_capture`/);
    assert.match(md, /`manual_multiple`/);
    assert.match(md, /`pay_tooltip_hostile`/);
    assert.ok(!md.includes('requires\\_capture'), md);
    assert.ok(!/cus_`/.test(md), 'a backtick of the id closed the code span');
  });
});
