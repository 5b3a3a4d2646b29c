// The payment inspector inside a real VS Code (code-server 4.100.3 here): opened through the palette
// command with an id, its posted models read through the panel's test probe (which exists because the
// extension host runs the extension in ExtensionMode.Test: `exports.inspector.test.probe(id)`), updated
// by commands, by the panel's own actions, and by its polling. Every test makes its own payments: on the
// local sandbox, or on a small PerfectPay server written in this file (a custom environment) for what
// the local sandbox does not send (QR code URLs on another origin, addresses, nested metadata).
import * as assert from 'assert';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Payment } from '../../src/api/schemas';
import { newPaymentId } from '../../src/domain/ids';
import type { PerfectPayTestApi } from '../../src/extension';
import type { PanelProbe } from '../../src/inspector';
import type { InspectorModel, ToWebview } from '../../src/shared/protocol';
import { COMMAND_IDS } from '../../src/domain/commandIds';
import { fakePerfectPay, PNG_DATA_URL, paymentAnswer, type FakePerfectPay, type TestServer } from '../fakePerfectPay';
import { cardArg, closeInspectors, createPayment, EXT_ID, run, settings, waitFor } from './helpers';

const card4242 = cardArg('4242424242424242');

let api: PerfectPayTestApi;

const create = createPayment;

/** The test probe of a payment's open panel. */
function probeOf(id: string): PanelProbe {
  const test = api.inspector.test;
  assert.ok(test, 'the inspector has no test hooks: the extension is not running in ExtensionMode.Test');
  const p = test.probe(id);
  assert.ok(p, `no inspector panel for ${id}`);
  return p;
}

function panelOf(id: string) {
  const p = api.inspector.panel(id);
  assert.ok(p, `no inspector panel for ${id}`);
  return p;
}

async function openPanel(id: string): Promise<PanelProbe> {
  await run(COMMAND_IDS.inspect, id);
  return probeOf(id);
}

// The status steps (the payment's webhook events, when a URL is set, are placed among them: webhooks.test.ts).
const labels = (m: InspectorModel) => m.timeline.filter((e) => e.source !== 'webhook').map((e) => e.label);
const isError = (pattern: RegExp) => (m: ToWebview) => m.type === 'error' && pattern.test(m.message);

describe('payment inspector (extension host)', function () {
  this.timeout(60_000);

  before(async () => {
    const ext = vscode.extensions.getExtension<PerfectPayTestApi>(EXT_ID);
    assert.ok(ext, `${EXT_ID} is not loaded`);
    api = await ext.activate();
    assert.ok(api.inspector, 'the extension exports no inspector');
    assert.ok(api.inspector.test, 'the extension runs in ExtensionMode.Test here: the inspector has its test hooks');
  });

  afterEach(() => closeInspectors(api));

  after(async () => {
    const paints = api?.inspector.test?.firstPaints ?? [];
    for (const f of paints) {
      const marks = Object.entries(f.marks).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ');
      console.log(`      first paint ${f.paymentId}: ${f.ms} ms (webview document ${f.webviewMs} ms: ${marks})`);
    }
    // For `npm run bench`, which cannot start VS Code itself: the figures measured here.
    const fresh = paints.filter((f) => !f.restored && !f.reloaded).map((f) => ({ ms: f.ms, webviewMs: f.webviewMs }));
    if (fresh.length) {
      const out = path.join(vscode.extensions.getExtension(EXT_ID)!.extensionPath, 'test-results');
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, 'first-paint.json'), JSON.stringify({ at: new Date().toISOString(), paints: fresh }));
    }
  });

  it('opens a panel through perfectpay.inspectPayment with an id, and posts the payment model', async () => {
    const manual = await create({ amount: 4999, capture_method: 'manual_multiple', confirm: true, description: 'Order 1001', metadata: { order_id: '1001' }, ...card4242 });
    assert.equal(manual.status, 'requires_capture');
    const t0 = Date.now();
    const probe = await openPanel(manual.payment_id);
    const panel = panelOf(manual.payment_id);
    assert.equal(panel.panel.viewType, 'perfectpay.inspector');
    assert.match(panel.panel.title, /^49\.99 USD · pay_/);
    const m = await probe.waitForModel((x) => x.status.value === 'requires_capture' && x.timeline.length >= 1, 'status requires_capture');
    assert.equal(m.paymentId, manual.payment_id);
    assert.equal(m.amounts.amount, '49.99 USD');
    assert.equal(m.amounts.capturableInput, '49.99');
    assert.equal(m.details.description, 'Order 1001');
    assert.deepEqual(m.metadata, [{ depth: 0, key: 'order_id', inArray: false, kind: 'string', text: '1001', size: null }]);
    assert.match(m.details.card ?? '', /•••• 4242/);
    assert.deepEqual(m.actions, { confirm: false, capture: true, cancel: true, refund: false, simulate: [] });
    assert.deepEqual(labels(m), ['Created and confirmed with card •••• 4242']);
    assert.ok(!JSON.stringify(m).includes(manual.client_secret ?? '\u0000'), 'the client secret is in the model');
    assert.equal(m.polling, true);
    // The webview really rendered it (it answers {type:'painted'} after its first render).
    const ms = await probe.waitForFirstPaint(30_000);
    assert.ok(ms > 0 && ms < Date.now() - t0 + 50, `first paint ${ms} ms`);
    assert.equal(api.inspector.test!.lastFirstPaintMs(), ms);
    const fp = api.inspector.test!.firstPaints.at(-1);
    console.log(`      inspector first paint: ${ms} ms after perfectpay.inspectPayment (webview document: ${fp?.webviewMs} ms of it)`);
  });

  it('loads a page that stays silent again (twice), showing "Loading…" meanwhile, until it paints', async () => {
    const test = api.inspector.test!;
    const saved = { ...test.pageLoad };
    // The first two loads of the page leave its script out: it never says ready nor paints.
    test.pageLoad.firstPaintTimeoutMs = 1000;
    test.pageLoad.silentLoads = 2;
    try {
      const p = await create({ amount: 1600, description: 'silent page' });
      const probe = await openPanel(p.payment_id);
      const html = panelOf(p.payment_id).panel.webview.html;
      assert.match(html, new RegExp(`<p class="loading">Loading ${p.payment_id}…</p>`), 'the silent page says "Loading…"');
      assert.doesNotMatch(html, /<script nonce=/, 'the first load is silent (no script)');
      await probe.waitForFirstPaint(30_000);
      assert.equal(probe.stats.pageLoads, 3, 'loaded, then loaded again twice');
      assert.equal(test.firstPaints.at(-1)?.reloaded, true, 'its first paint is kept out of the bench figures');
      assert.match(panelOf(p.payment_id).panel.webview.html, /<script nonce=/, 'the third load carries the script');
      const warnings = probe.warnings();
      const reloads = warnings.filter((w) => w.includes(p.payment_id) && /has not painted within \d+ ms \(it did not say ready\): loading it again/.test(w));
      assert.equal(reloads.length, 2, `the reloads were logged: ${JSON.stringify(warnings)}`);
      assert.match(reloads[0]!, /within 1000 ms .*\(1 of 2\)$/);
      assert.match(reloads[1]!, /within 2000 ms .*\(2 of 2\)$/);
    } finally {
      Object.assign(test.pageLoad, saved);
    }
  });

  it('reveals the same panel on a second open', async () => {
    const p = await create({ amount: 1200, description: 'second open' });
    await openPanel(p.payment_id);
    const before = panelOf(p.payment_id);
    await run(COMMAND_IDS.inspect, { paymentId: p.payment_id });
    assert.strictEqual(panelOf(p.payment_id), before);
    assert.equal(api.inspector.panels().filter((x) => x.paymentId === p.payment_id).length, 1);
    assert.equal(before.panel.visible, true);
  });

  it('follows a capture made with the palette command (the model updates)', async () => {
    const p = await create({ amount: 4999, capture_method: 'manual_multiple', confirm: true, ...card4242 });
    const probe = await openPanel(p.payment_id);
    await probe.waitForModel((x) => x.status.value === 'requires_capture', 'status requires_capture');
    const after = await run<Payment>(COMMAND_IDS.capture, { paymentId: p.payment_id, amount_to_capture: 2000 });
    assert.equal(after?.status, 'partially_captured_and_capturable');
    const m = await probe.waitForModel((x) => x.status.value === 'partially_captured_and_capturable' && labels(x).includes('Captured 20.00 USD'),
      'the capture of 20.00 USD in the timeline');
    assert.equal(m.amounts.capturable, '29.99 USD');
    assert.equal(m.amounts.capturableInput, '29.99');
    assert.deepEqual(labels(m), ['Created and confirmed with card •••• 4242', 'Captured 20.00 USD']);
  });

  it('runs the panel capture (the message the webview sends) through the Capture command, busy meanwhile, then stops polling', async () => {
    const p = await create({ amount: 4999, capture_method: 'manual_multiple', confirm: true, ...card4242 });
    const probe = await openPanel(p.payment_id);
    await probe.waitForModel((x) => x.actions.capture, 'Capture offered');
    const busy = probe.waitForMessage((x) => x.type === 'busy' && x.busy && x.action === 'Capturing…', 'the busy message');
    await probe.receive({ type: 'action', action: 'capture', amount: '20.00' });
    await busy;
    await probe.waitForModel((x) => x.status.value === 'partially_captured_and_capturable', 'status partially_captured_and_capturable');
    // The rest, typed as the whole capturable amount: sent as that amount (manual_multiple requires one).
    await probe.receive({ type: 'action', action: 'capture', amount: '29.99' });
    const m = await probe.waitForModel((x) => x.status.value === 'succeeded', 'status succeeded');
    assert.deepEqual(labels(m), ['Created and confirmed with card •••• 4242', 'Captured 20.00 USD', 'Captured 29.99 USD']);
    assert.deepEqual(m.timeline.map((e) => e.status), ['requires_capture', 'partially_captured_and_capturable', 'succeeded']);
    assert.deepEqual(m.actions, { confirm: false, capture: false, cancel: false, refund: true, simulate: [] });
    assert.ok(probe.messages().some((x) => x.type === 'busy' && !x.busy), 'the panel was told the action ended');
    // Terminal: no more polling.
    await waitFor(() => !probe.isPolling() && probe.lastModel()?.polling === false, { what: 'polling to stop on a terminal payment' });
  });

  it("the panel's Capture with the prefilled amount captures all of it, not the create's smaller amount_to_capture", async () => {
    const p = await create({ amount: 4999, amount_to_capture: 4000, capture_method: 'manual', confirm: true, ...card4242 });
    const probe = await openPanel(p.payment_id);
    const ready = await probe.waitForModel((x) => x.actions.capture, 'Capture offered');
    assert.equal(ready.amounts.capturableInput, '49.99');
    await probe.receive({ type: 'action', action: 'capture', amount: ready.amounts.capturableInput });
    const m = await probe.waitForModel((x) => x.status.value === 'succeeded', 'status succeeded');
    assert.equal(m.amounts.received, '49.99 USD');
    assert.equal(api.service.cached(p.payment_id)?.amount_received, 4999);
  });

  it('refuses a capture amount the Capture command would refuse, with its reason, and sends nothing', async () => {
    const p = await create({ amount: 4999, capture_method: 'manual', confirm: true, ...card4242 });
    const probe = await openPanel(p.payment_id);
    await probe.waitForModel((x) => x.actions.capture, 'Capture offered');
    const tooMuch = probe.waitForMessage(isError(/more than can be captured: at most 49\.99 USD/), 'the over-capture refusal');
    await probe.receive({ type: 'action', action: 'capture', amount: '50.00' });
    await tooMuch;
    const notAmount = probe.waitForMessage(isError(/is not an amount/), 'the "not an amount" refusal');
    await probe.receive({ type: 'action', action: 'capture', amount: 'abc' });
    await notAmount;
    assert.equal(api.service.cached(p.payment_id)?.status, 'requires_capture', 'a capture was sent');
    assert.ok(!probe.messages().some((x) => x.type === 'busy' && x.busy), 'the panel went busy for a refused capture');
  });

  it('offers the buttons of the one action table, and refuses one it does not offer', async () => {
    const unconfirmed = await create({ amount: 1300, description: 'buttons' });
    const probe = await openPanel(unconfirmed.payment_id);
    const m = await probe.waitForModel((x) => x.status.value === 'requires_payment_method', 'status requires_payment_method');
    // requires_payment_method: confirm, cancel; the local sandbox can let it expire.
    assert.deepEqual(m.actions, { confirm: true, capture: false, cancel: true, refund: false, simulate: ['expire'] });
    const refused = probe.waitForMessage(isError(/Simulating "succeed" is not possible now/), 'the refusal of a simulate not offered');
    await probe.receive({ type: 'action', action: 'simulate', outcome: 'succeed' });
    await refused;
    assert.equal(api.service.cached(unconfirmed.payment_id)?.status, 'requires_payment_method');

    const pix = await create({ amount: 1500, currency: 'BRL', confirm: true, payment_method: 'bank_transfer', payment_method_type: 'pix' });
    const probe2 = await openPanel(pix.payment_id);
    const m2 = await probe2.waitForModel((x) => x.status.value === 'requires_customer_action', 'status requires_customer_action');
    assert.deepEqual(m2.actions, { confirm: false, capture: false, cancel: true, refund: false, simulate: ['succeed', 'fail', 'expire'] });
    await probe2.receive({ type: 'action', action: 'simulate', outcome: 'expire' });
    const expired = await probe2.waitForModel((x) => x.status.value === 'expired', 'status expired');
    assert.deepEqual(expired.actions, { confirm: false, capture: false, cancel: false, refund: false, simulate: [] });
  });

  it('drops invalid messages from the webview', async () => {
    const p = await create({ amount: 1400, description: 'invalid messages' });
    const probe = await openPanel(p.payment_id);
    await probe.waitForModel(() => true, 'any model');
    const dropped = probe.stats.dropped;
    await probe.receive({ type: 'action', action: 'delete' });
    await probe.receive({ type: 'openUrl', url: 'javascript:alert(1)', extra: true });
    await probe.receive('ready');
    assert.equal(probe.stats.dropped, dropped + 3);
    // A URL the payment does not offer is not opened, and nobody is asked.
    let asked = 0;
    probe.ui.confirm = async () => { asked++; return true; };
    probe.ui.openExternal = async () => { throw new Error('opened a URL the payment does not offer'); };
    await probe.receive({ type: 'openUrl', url: 'https://example.com/not-offered' });
    assert.equal(asked, 0);
  });

  it('polls a waiting payment: a customer step completed outside the extension shows up', async () => {
    const pix = await create({ amount: 1500, currency: 'BRL', confirm: true, payment_method: 'bank_transfer', payment_method_type: 'pix' });
    assert.equal(pix.status, 'requires_customer_action');
    await api.inspector.open(pix.payment_id);
    const probe = probeOf(pix.payment_id);
    const m = await probe.waitForModel((x) => x.nextAction?.kind === 'qr', 'a qr_code_information view');
    assert.ok(m.nextAction?.kind === 'qr');
    assert.match(m.nextAction.qr.image ?? '', /^data:image\/png;base64,/);
    assert.equal(m.nextAction.qr.borderColor, '#0A84FF');
    assert.ok(m.actions.simulate.includes('succeed'));
    assert.ok(probe.isPolling(), 'a waiting payment is polled');
    const ms = await probe.waitForFirstPaint(30_000);
    console.log(`      inspector first paint (a second panel in the session): ${ms} ms`);
    // Complete the step through the sandbox's customer page (not through the service): only a poll can see it.
    const base = api.service.environment().baseUrl;
    assert.ok(base, 'the local sandbox has an address');
    // As a person would: the page first (its Complete form carries that step's token for this payment), then its form.
    const page = await (await fetch(`${base}/sandbox/payments/${encodeURIComponent(pix.payment_id)}`)).text();
    const token = /name="token" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(token, 'the customer page has no form token');
    const res = await fetch(`${base}/sandbox/payments/${encodeURIComponent(pix.payment_id)}/complete`, {
      method: 'POST', body: `from=qr&token=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual',
    });
    assert.equal(res.status, 303);
    const done = await probe.waitForModel((x) => x.status.value !== 'requires_customer_action', 'the status after the customer step', 20_000);
    assert.ok(['succeeded', 'processing'].includes(done.status.value), done.status.value);
    assert.ok(labels(done).includes('Customer step completed'), labels(done).join(' / '));
    assert.equal(probe.stats.webviewErrors, 0, 'the webview reported an error');
  });

  it('fetches a fetch_qr_code_information QR code on the local sandbox (its own origin) through the service, and stops when cancelled', async () => {
    const fps = await create({ amount: 2500, currency: 'MYR', confirm: true, payment_method: 'real_time_payment', payment_method_type: 'fps' });
    assert.equal(fps.next_action?.type, 'fetch_qr_code_information');
    await api.inspector.open(fps.payment_id);
    const probe = probeOf(fps.payment_id);
    const m = await probe.waitForModel((x) => x.nextAction?.kind === 'fetchQr', 'a fetch_qr_code_information view');
    assert.ok(m.nextAction?.kind === 'fetchQr');
    assert.equal(m.nextAction.fetch.allowed, true, m.nextAction.fetch.reason ?? '');
    assert.equal(m.nextAction.fetch.apiOrigin, new URL(api.service.environment().baseUrl!).origin);
    const qr = await probe.waitForMessage((x) => x.type === 'qr' && x.qr !== null && x.error === null, 'a fetched QR code', 15_000);
    assert.ok(qr.type === 'qr' && (qr.qr?.image || qr.qr?.drawFromUrl));
    assert.ok(probe.stats.qrFetches >= 1, 'the extension fetched the QR code');
    assert.ok(probe.isFetchingQr(), 'the QR code is fetched again while the payment waits');
    await probe.waitForFirstPaint(30_000);
    // Cancelled: the panel stops fetching and polling.
    await run(COMMAND_IDS.cancel, { paymentId: fps.payment_id, cancellation_reason: 'abandoned' });
    const cancelled = await probe.waitForModel((x) => x.status.value === 'cancelled', 'status cancelled');
    assert.equal(labels(cancelled).at(-1), 'Cancelled: abandoned');
    await waitFor(() => !probe.isPolling() && !probe.isFetchingQr(), { what: 'polling and QR fetching to stop after the cancel' });
    assert.equal(probe.stats.webviewErrors, 0, 'the webview reported an error');
  });

  it('paints within a few seconds of perfectpay.inspectPayment, every time (measured for the bench)', async () => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await create({ amount: 1000 + i, confirm: false, description: `first paint ${i}` });
      const probe = await openPanel(p.payment_id);
      samples.push(await probe.waitForFirstPaint(30_000));
      panelOf(p.payment_id).dispose();
    }
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(`      first paint of 5 inspectors opened one after another: ${samples.join(', ')} ms (median ${sorted[2]} ms)`);
    assert.ok(sorted[2]! < 10_000, `median first paint ${sorted[2]} ms`);
  });

  it('stops polling while hidden, and reads the payment again when shown', async () => {
    const a = await create({ amount: 800, confirm: false, description: 'hidden A' });
    const b = await create({ amount: 900, confirm: false, description: 'hidden B' });
    await api.inspector.open(a.payment_id);
    const pa = probeOf(a.payment_id);
    await pa.waitForModel((x) => x.polling, 'polling on');
    assert.ok(pa.isPolling());
    await api.inspector.open(b.payment_id); // same editor group: A is hidden behind B
    const pb = probeOf(b.payment_id);
    await pb.waitForModel((x) => x.polling, 'polling on');
    // B's panel is "visible" in this extension host as soon as it is made: A hears that it is hidden when
    // the workbench shows B, which takes seconds on a busy machine. B's first paint comes after that.
    await pb.waitForFirstPaint(30_000);
    await waitFor(() => {
      if (!panelOf(a.payment_id).panel.visible) return true;
      const groups = vscode.window.tabGroups.all.map((g) => `${g.viewColumn}${g.isActive ? '*' : ''}: ${g.tabs.map((t) => `${t.label}${t.isActive ? '*' : ''}`).join(', ')}`);
      throw new Error(`A (column ${panelOf(a.payment_id).panel.viewColumn}) still visible, B (column ${panelOf(b.payment_id).panel.viewColumn}); groups ${groups.join(' | ')}`);
    }, { what: 'panel A to be hidden behind B' });
    assert.equal(pa.isPolling(), false, 'a hidden panel still polls');
    const polls = pa.stats.polls;
    panelOf(a.payment_id).reveal();
    await waitFor(() => pa.stats.polls > polls, { what: 'panel A to read its payment when shown again' });
    await pa.waitForModel((x) => x.polling, 'polling on again');
  });

  it('stops polling when the panel is closed', async () => {
    const waiting = await create({ amount: 700, confirm: false });
    const probe = await openPanel(waiting.payment_id);
    await probe.waitForModel((x) => x.status.value === 'requires_payment_method', 'status requires_payment_method');
    assert.ok(probe.isPolling());
    const panel = panelOf(waiting.payment_id);
    panel.panel.dispose();
    assert.equal(panel.isDisposed(), true);
    assert.equal(probe.isPolling(), false);
    assert.equal(api.inspector.panel(waiting.payment_id), undefined);
  });

  describe('preview panels (a tree row\'s click) and the outcomes it shows', () => {
    /** Runs what a click on the payment's row in the view runs (its TreeItem's command). */
    const clickRow = async (p: Payment): Promise<void> => {
      const c = api.tree.getTreeItem({ kind: 'payment', payment: p }).command;
      assert.ok(c, 'the row has no command');
      await vscode.commands.executeCommand(c.command, ...(c.arguments ?? []));
    };
    const open = () => api.inspector.panels().map((p) => p.paymentId).sort();
    const inspectorTabs = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('perfectpay.inspector')).length;

    it('reuses one preview panel for row clicks; a double click or using the panel keeps it', async () => {
      const [a, b, c] = [await create(), await create(), await create()];
      await clickRow(a);
      assert.equal(api.inspector.previewId(), a.payment_id);
      await clickRow(b);
      assert.deepEqual(open(), [b.payment_id], 'the second click shows its payment in the preview panel, not a second one');
      assert.equal(api.inspector.previewId(), b.payment_id);
      await waitFor(() => inspectorTabs() === 1, { what: 'one inspector tab' });
      await probeOf(b.payment_id).waitForModel((m) => m.paymentId === b.payment_id, 'the model of the second payment');

      // A double click (the row's command twice at once): the panel is kept, the next click opens another.
      await clickRow(c);
      await clickRow(c);
      assert.equal(api.inspector.previewId(), undefined, 'a double click keeps the panel');
      assert.deepEqual(open(), [c.payment_id]);
      await clickRow(a);
      assert.deepEqual(open(), [a.payment_id, c.payment_id].sort(), 'after a kept panel, a click opens a new preview');
      assert.equal(api.inspector.previewId(), a.payment_id);

      // Using the preview (typing in it) keeps it too.
      await probeOf(a.payment_id).receive({ type: 'keep' });
      assert.equal(api.inspector.previewId(), undefined);
      await clickRow(b);
      assert.deepEqual(open(), [a.payment_id, b.payment_id, c.payment_id].sort());
      await waitFor(() => inspectorTabs() === 3, { what: 'three inspector tabs' });

      // Opened otherwise (the palette command with an id): a kept panel.
      await run(COMMAND_IDS.inspect, b.payment_id);
      assert.equal(api.inspector.previewId(), undefined);
    });

    it('does not toast an outcome its visible inspector shows; says how much a capture took, of the amount', async () => {
      const p = await create({ amount: 10000, capture_method: 'manual_multiple', confirm: true, ...card4242 });
      const probe = await openPanel(p.payment_id);
      await probe.waitForModel((x) => x.status.value === 'requires_capture', 'status requires_capture');
      assert.ok(panelOf(p.payment_id).panel.visible, 'the inspector is on screen');
      const t0 = Date.now();
      const about = () => api.notifier.messages.filter((m) => m.at >= t0 && m.text.includes(p.payment_id));
      const after = await run<Payment>(COMMAND_IDS.capture, { paymentId: p.payment_id, amount_to_capture: 4000 });
      assert.equal(after?.status, 'partially_captured_and_capturable');
      assert.deepEqual(about().map((m) => m.text), [], 'no message: the inspector on screen shows the capture');

      panelOf(p.payment_id).dispose();
      await run<Payment>(COMMAND_IDS.capture, { paymentId: p.payment_id, amount_to_capture: 1000 });
      const told = about();
      assert.equal(told.length, 1, told.map((m) => m.text).join(' | '));
      assert.equal(told[0]!.level, 'info');
      assert.equal(told[0]!.text, `Captured 10.00 of 100.00 USD on ${p.payment_id}: Partially captured and capturable.`);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// A PerfectPay server written for the tests (test/fakePerfectPay.ts), for answers the local sandbox never gives.

describe('payment inspector against a hand-written PerfectPay server (custom environment)', function () {
  this.timeout(60_000);
  const KEY = `sk_test_inspector_${Date.now()}`;
  let fake: FakePerfectPay;
  let server: TestServer;
  let elsewhere: TestServer;

  before(async () => {
    api ??= await vscode.extensions.getExtension<PerfectPayTestApi>(EXT_ID)!.activate();
    fake = await fakePerfectPay(KEY);
    ({ api: server, elsewhere } = fake);
    await settings({ environment: 'custom', baseUrl: server.base });
    assert.equal(await run(COMMAND_IDS.setApiKey, KEY), true);
    assert.equal(api.service.environment().baseUrl, server.base);
  });

  afterEach(() => closeInspectors(api));

  after(async () => {
    await settings({ environment: 'local', baseUrl: undefined });
    await fake?.close();
  });

  /** A payment the server answers for, made by this test. */
  function payment(over: Record<string, unknown>): string {
    const id = newPaymentId();
    fake.payments.set(id, paymentAnswer(id, over));
    return id;
  }

  const fetchQr = (url: string) => ({ next_action: { type: 'fetch_qr_code_information', qr_code_fetch_url: url } });

  it("fetches a QR code from the API's own origin, without the api-key", async () => {
    const id = payment(fetchQr(''));
    fake.payments.get(id)!.next_action = { type: 'fetch_qr_code_information', qr_code_fetch_url: `${server.base}/qr/${id}` };
    const probe = await openPanel(id);
    const m = await probe.waitForModel((x) => x.nextAction?.kind === 'fetchQr', 'a fetch_qr_code_information view');
    assert.ok(m.nextAction?.kind === 'fetchQr');
    assert.deepEqual(m.nextAction.fetch, { allowed: true, apiOrigin: server.base, reason: null });
    await probe.waitForMessage((x) => x.type === 'qr' && x.qr?.image === PNG_DATA_URL && x.error === null, 'the fetched QR code');
    const qrHits = server.hits.filter((h) => h.url === `/qr/${id}`);
    assert.ok(qrHits.length >= 1, 'the QR code URL was not requested');
    assert.deepEqual(qrHits.map((h) => h.apiKey), qrHits.map(() => undefined), 'the api-key was sent with the QR code fetch');
    assert.ok(server.hits.some((h) => h.url.startsWith(`/payments/${id}`) && h.apiKey === KEY), 'the payment read carries the key');
  });

  it('never fetches a QR code URL on another origin: it offers to open it, after a confirmation', async () => {
    const foreign = `${elsewhere.base}/qr/elsewhere`;
    const id = payment(fetchQr(foreign));
    const probe = await openPanel(id);
    const m = await probe.waitForModel((x) => x.nextAction?.kind === 'fetchQr', 'a fetch_qr_code_information view');
    assert.ok(m.nextAction?.kind === 'fetchQr');
    assert.equal(m.nextAction.fetch.allowed, false);
    assert.match(m.nextAction.fetch.reason ?? '', new RegExp(`on ${elsewhere.base.replace(/[.]/g, '\\.')}, not on the API's own origin \\(${server.base.replace(/[.]/g, '\\.')}\\)`));
    assert.equal(m.nextAction.fetchUrl.openable, true);
    // Decided when the model is built: nothing is scheduled, nothing was fetched.
    assert.equal(probe.isFetchingQr(), false);
    assert.equal(probe.stats.qrFetches, 0);
    assert.deepEqual(elsewhere.hits, []);

    // Open: asked first (modal), with the host; opened only when the person says Open.
    const asked: string[] = [];
    const opened: string[] = [];
    let answerOpen = false;
    probe.ui.confirm = async (message, detail, button) => { asked.push(`${message} | ${detail} | ${button}`); return answerOpen; };
    probe.ui.openExternal = async (url) => { opened.push(url); return true; };
    await probe.receive({ type: 'openUrl', url: foreign });
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /Open this HTTP page in your browser\? \| http:\/\/127\.0\.0\.1:\d+\/qr\/elsewhere[\s\S]*Host: 127\.0\.0\.1:\d+[\s\S]* \| Open$/);
    assert.deepEqual(opened, [], 'opened although the person did not confirm');
    answerOpen = true;
    await probe.receive({ type: 'openUrl', url: foreign });
    assert.deepEqual(opened, [foreign]);
    assert.deepEqual(elsewhere.hits, [], 'the other origin was requested');
  });

  it('follows no redirect from the API origin to another one', async () => {
    const id = payment(fetchQr(''));
    fake.payments.get(id)!.next_action = { type: 'fetch_qr_code_information', qr_code_fetch_url: `${server.base}/qr-redirect/${id}` };
    const probe = await openPanel(id);
    const failed = await probe.waitForMessage((x) => x.type === 'qr' && x.error !== null, 'the failed QR fetch (a redirect)', 15_000);
    assert.ok(failed.type === 'qr' && failed.qr === null);
    assert.ok(server.hits.some((h) => h.url === `/qr-redirect/${id}`));
    assert.deepEqual(elsewhere.hits, [], 'the redirect was followed to another origin');
  });

  it('shows the addresses, email, phone, connector_transaction_id and nested metadata a real server sends', async () => {
    const id = payment({
      status: 'succeeded', amount: 4999, currency: 'USD', amount_received: 4999, payment_method: 'card', payment_method_type: 'credit',
      payment_method_data: { card: { last4: '4242', card_network: 'Visa', card_exp_month: '12', card_exp_year: '35', card_holder_name: 'Jane Doe' } },
      connector_transaction_id: 'pi_3NfAkE<b>`x`',
      name: 'Jane Doe', email: 'jane@example.com', phone: '4155550100', phone_country_code: '+1',
      billing: { address: { line1: '1 Main St', line2: 'Apt <2>', city: 'San Francisco', state: 'CA', zip: '94122', country: 'US', first_name: 'Jane', last_name: 'Doe' },
        phone: { number: '4155550100', country_code: '+1' }, email: 'billing@example.com' },
      shipping: { address: { line1: '2 Dock Rd', city: 'Oakland', country: 'US', first_name: 'J', last_name: 'D' }, phone: null, email: null },
      metadata: { order: { id: 1001, lines: [{ sku: 'A-1', qty: 2 }, { sku: '<img src=x onerror=alert(1)>', qty: 1 }], gift: false, note: null }, card_cvc: '123' },
    });
    const probe = await openPanel(id);
    const m = await probe.waitForModel((x) => x.status.value === 'succeeded', 'status succeeded');
    assert.equal(m.details.connectorTransactionId, 'pi_3NfAkE<b>`x`');
    assert.equal(m.details.customerName, 'Jane Doe');
    assert.equal(m.details.email, 'jane@example.com');
    assert.equal(m.details.phone, '+1 4155550100');
    assert.deepEqual(m.addresses, [
      { title: 'Billing', name: 'Jane Doe', lines: ['1 Main St', 'Apt <2>', 'San Francisco, CA 94122', 'US'], phone: '+1 4155550100', email: 'billing@example.com' },
      { title: 'Shipping', name: 'J D', lines: ['2 Dock Rd', 'Oakland', 'US'], phone: null, email: null },
    ]);
    assert.deepEqual(m.metadata.map((r) => [r.depth, r.key, r.kind, r.text, r.size]), [
      [0, 'order', 'object', null, 4],
      [1, 'id', 'number', '1001', null],
      [1, 'lines', 'array', null, 2],
      [2, '0', 'object', null, 2],
      [3, 'sku', 'string', 'A-1', null],
      [3, 'qty', 'number', '2', null],
      [2, '1', 'object', null, 2],
      [3, 'sku', 'string', '<img src=x onerror=alert(1)>', null],
      [3, 'qty', 'number', '1', null],
      [1, 'gift', 'boolean', 'false', null],
      [1, 'note', 'null', 'null', null],
      [0, 'card_cvc', 'string', '[redacted]', null],
    ]);
    assert.ok(!JSON.stringify(m).includes('"123"'), 'the CVC reached the model');
    await probe.waitForFirstPaint(30_000);
    assert.equal(probe.stats.webviewErrors, 0, 'the webview reported an error');
  });
});
