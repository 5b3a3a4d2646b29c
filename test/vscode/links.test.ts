// Payment ids where developers work, inside a real VS Code against the local sandbox: ids in a
// document become links (resolved to our command), the hover card (a payment made here; warm and cold;
// one request per id), payments as JSON documents (text, redaction, refresh in place), the diff
// editor of Compare Payments, Copy as Code. Every test makes its own payments; no fixed sleeps.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RequestEvent } from '../../src/api/client';
import type { Payment } from '../../src/api/schemas';
import type { PerfectPayTestApi } from '../../src/extension';
import { PaymentDocumentLinkProvider } from '../../src/links/documentLinks';
import { PaymentHoverProvider } from '../../src/links/hover';
import { PaymentTerminalLinkProvider } from '../../src/links/terminalLinks';
import { api, cardArg, closeInspectors, createPayment, EXT_ID, run, settings } from './helpers';

const OPEN_LINK = 'perfectpay.openPaymentLink';
const card4242 = cardArg('4242424242424242');

/** A payment id of the contract's format that no server made. */
function unknownId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = 'pay_';
  for (let i = 0; i < 26; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
}

async function openText(content: string, language = 'log'): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ content, language });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Our links in a document (resolved), as [text under the link, id in the target]. */
async function paymentLinks(doc: vscode.TextDocument): Promise<Array<[string, string]>> {
  const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri, 1000)) ?? [];
  return links
    .filter((l) => l.target?.scheme === 'command' && l.target.path === OPEN_LINK)
    .map((l) => [doc.getText(l.range), (JSON.parse(l.target!.query) as string[])[0]!]);
}

/** Our hover's Markdown at the first occurrence of `id` (undefined when there is none). */
async function hoverText(doc: vscode.TextDocument, id: string): Promise<string | undefined> {
  const at = doc.positionAt(doc.getText().indexOf(id) + 5);
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at)) ?? [];
  for (const h of hovers) {
    for (const c of h.contents) {
      const value = typeof c === 'string' ? c : c.value;
      if (value.includes(id) && value.includes('Local sandbox')) return value;
    }
  }
  return undefined;
}

/** Resolves when the document's text satisfies `ok` (checked now and at each change of it). */
function whenText(doc: vscode.TextDocument, ok: (text: string) => boolean, what: string, ms = 15_000): Promise<void> {
  if (ok(doc.getText())) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${what}: not after ${ms} ms; text is ${doc.getText().slice(0, 300)}`));
    }, ms);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== doc || !ok(doc.getText())) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

const statusOf = (doc: vscode.TextDocument): string | undefined => (JSON.parse(doc.getText()) as { status?: string }).status;

/** Retries `probe` until it gives a value (a provider of another extension may still be starting). */
async function eventually<T>(probe: () => Thenable<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what}: nothing after ${ms} ms`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Figures for `npm run bench` (test-results/links.json). */
const figures = {
  /** Our hover provider itself, called in this extension host against the local sandbox. */
  provider: { warmMs: [] as number[], coldMs: [] as number[] },
  /** vscode.executeHoverProvider: the workbench's round trip through every hover provider included. */
  executeHoverProvider: { warmMs: [] as number[], coldMs: [] as number[] },
  /** vscode.executeLinkProvider on a 1 MB log: first call (the document reaches the workbench) and again. */
  linksOneMb: { firstMs: 0, againMs: 0, count: 0, providerMs: [] as number[] },
};
const ms = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;

/** Our hover provider's own answer (no workbench round trip), timed. */
async function providerHover(a: PerfectPayTestApi, doc: vscode.TextDocument, id: string): Promise<{ text: string; ms: number }> {
  const provider = new PaymentHoverProvider(a.service, a.environments);
  const cts = new vscode.CancellationTokenSource();
  try {
    const t0 = performance.now();
    const h = await provider.provideHover(doc, doc.positionAt(doc.getText().indexOf(id) + 5), cts.token);
    const took = ms(t0);
    return { text: (h?.contents[0] as vscode.MarkdownString | undefined)?.value ?? '', ms: took };
  } finally {
    cts.dispose();
    provider.dispose();
  }
}

describe('payment links, hovers and JSON documents (extension host)', function () {
  this.timeout(60_000);
  let a: PerfectPayTestApi;
  const requests: RequestEvent[] = [];
  let sub: vscode.Disposable | undefined;
  const requestsFor = (id: string): RequestEvent[] => requests.filter((r) => r.url.includes(`/payments/${id}`));

  before(async () => {
    a = await api();
    await settings({ environment: 'local', 'links.enabled': true, 'links.languages': ['*'] });
    assert.equal(a.service.environment().kind, 'local');
    sub = a.environments.onDidRequest((e) => requests.push(e));
  });

  afterEach(() => closeInspectors(a));

  after(async () => {
    sub?.dispose();
    const out = path.join(vscode.extensions.getExtension(EXT_ID)!.extensionPath, 'test-results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'links.json'), JSON.stringify({ at: new Date().toISOString(), ...figures }));
    const f = figures;
    console.log(`      hover provider: warm ${f.provider.warmMs.join(', ')} ms, cold ${f.provider.coldMs.join(', ')} ms; ` +
      `executeHoverProvider: warm ${f.executeHoverProvider.warmMs.join(', ')} ms, cold ${f.executeHoverProvider.coldMs.join(', ')} ms; ` +
      `executeLinkProvider on a 1 MB log: ${f.linksOneMb.firstMs} ms, again ${f.linksOneMb.againMs} ms (${f.linksOneMb.count} links), our provider alone ${f.linksOneMb.providerMs.join(', ')} ms`);
    await settings({ 'links.enabled': undefined, 'links.languages': undefined });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('turns the ids of a document into links to the inspector (not a client secret, not a near miss)', async () => {
    const p = await createPayment({ description: 'links' });
    const doc = await openText(
      [
        `2026-11-24T15:04:05Z INFO GET /payments/${p.payment_id} → 200 in 12 ms`,
        `client_secret=${p.client_secret}`,
        `not ids: xpay_${'a'.repeat(26)} pay_tooshort PAY_${'b'.repeat(26)}`,
        `{"payment_id": "${p.payment_id}"}`,
      ].join('\n'),
    );
    const links = await paymentLinks(doc);
    assert.deepEqual(links, [[p.payment_id, p.payment_id], [p.payment_id, p.payment_id]]);

    // Following one opens the inspector on the current environment.
    const opened = await run<Payment | undefined>(OPEN_LINK, p.payment_id);
    assert.equal(opened?.payment_id, p.payment_id);
    const panel = a.inspector.panel(p.payment_id);
    assert.ok(panel, 'the inspector did not open');
    panel.dispose();
  });

  it('an id that is not in this environment: says so, and offers only the other environments', async () => {
    const id = unknownId();
    const opened = await run<Payment | undefined>(OPEN_LINK, id);
    assert.equal(opened, undefined);
    const msg = [...a.notifier.messages].reverse().find((m) => m.text.includes(id));
    assert.ok(msg, 'nothing was said');
    assert.equal(msg.level, 'warning');
    assert.match(msg.text, /was not found in Local sandbox/);
    assert.ok(msg.actions.every((t) => t.startsWith('Look in ') && !t.includes('Local sandbox')), msg.actions.join(', '));
    assert.equal(a.inspector.panel(id), undefined);
  });

  it('follows the settings: disabled, other languages, files over 1 MB', async () => {
    const p = await createPayment();
    const doc = await openText(`charged ${p.payment_id}\n`, 'plaintext');
    assert.equal((await paymentLinks(doc)).length, 1);
    await settings({ 'links.enabled': false });
    assert.equal((await paymentLinks(doc)).length, 0, 'links while disabled');
    assert.equal(await hoverText(doc, p.payment_id), undefined, 'a hover while disabled');
    await settings({ 'links.enabled': true, 'links.languages': ['*', '!plaintext'] });
    assert.equal((await paymentLinks(doc)).length, 0, 'links in an excluded language');
    await settings({ 'links.languages': ['*'] });
    const big = await openText(`${p.payment_id}\n${'x'.repeat(1024 * 1024)}\n`);
    assert.equal((await paymentLinks(big)).length, 0, 'links in a document over 1 MB');
    assert.equal(await hoverText(big, p.payment_id), undefined, 'a hover in a document over 1 MB');
  });

  it('links every id of a 1 MB log (and skips it when over 1 MB)', async () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const lines: string[] = [];
    let size = 0;
    let ids = 0;
    for (let i = 0; size < 1024 * 1024 - 300; i++) {
      let id = 'pay_';
      for (let k = 0; k < 26; k++) id += alphabet[(i * 7 + k * 13 + k * i) % 36];
      const line = i % 2 ? `2026-11-24 15:04:05.000 [info] POST /payments/${id}/capture → 200 in 14 ms` : `[debug] {"payment_id":"${id}","client_secret":"${id}_secret_ZqgE3d2x8a2vnwUf3mfg"}`;
      lines.push(line);
      size += line.length + 1;
      ids++;
    }
    const doc = await vscode.workspace.openTextDocument({ content: lines.join('\n'), language: 'log' });
    let t0 = performance.now();
    const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri)) ?? [];
    figures.linksOneMb.firstMs = ms(t0);
    const ours = links.filter((l) => /^pay_[a-z0-9]{26}$/.test(doc.getText(l.range)));
    assert.equal(ours.length, ids);
    figures.linksOneMb.count = ours.length;
    t0 = performance.now();
    await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri);
    figures.linksOneMb.againMs = ms(t0);
    // Our provider alone (scan + ranges), without the workbench's round trip.
    const provider = new PaymentDocumentLinkProvider();
    const cts = new vscode.CancellationTokenSource();
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      assert.equal(provider.provideDocumentLinks(doc, cts.token).length, ids);
      figures.linksOneMb.providerMs.push(ms(t0));
    }
    cts.dispose();
  });

  it('the request log gets the same links', async function () {
    const p = await createPayment({ description: 'in the log' });
    await a.service.retrievePayment(p.payment_id); // "GET /payments/pay_… → 200" in the log
    await run('perfectpay.showRequestLog');
    const find = (): vscode.TextDocument | undefined =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.getText().includes(p.payment_id));
    const log = await eventually(async () => find(), 'the request log as a document', 10_000).catch(() => undefined);
    if (!log) {
      // This host does not hand output channels to extensions as documents: nothing to check here.
      console.log('      (the request log is not visible to extensions as a document in this host)');
      this.skip();
    }
    const links = await paymentLinks(log);
    assert.ok(links.some(([text]) => text === p.payment_id), `no link to ${p.payment_id} in the request log (${log.uri.toString()})`);
    assert.ok(links.every(([text, id]) => text === id));
  });

  it("each request of the log opens as a JSON document: its #N is a link, and the palette offers it", async () => {
    const p = await createPayment({ description: 'exchange document', ...card4242 });
    const kept = a.requestLog.recent().find(({ e }) => e.method === 'POST' && e.url.endsWith('/payments') && JSON.stringify(e.requestBody).includes('exchange document'));
    assert.ok(kept, 'the create is kept by the request log');
    // The log's line names it: "#N POST /payments → 200 in … ms", and #N is a link to the command.
    const line = `2026-12-06 22:00:00.000 [info] #${kept.exchange} POST /payments → 200 in 5 ms`;
    const doc = await openText(line, 'log');
    const links = (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri, 1000)) ?? [];
    const link = links.find((l) => l.target?.scheme === 'command' && l.target.path === 'perfectpay.openRequestFromLog');
    assert.ok(link, `no link on #${kept.exchange}`);
    assert.equal(doc.getText(link.range), `#${kept.exchange}`);
    assert.deepEqual(JSON.parse(link.target!.query), [kept.exchange]);
    // Following it opens the request and its answer, pretty-printed and redacted.
    const uri = await run<string>('perfectpay.openRequestFromLog', kept.exchange);
    assert.equal(uri, `perfectpay:/exchanges/${kept.exchange}.json`);
    const editor = await eventually(async () => (vscode.window.activeTextEditor?.document.uri.toString() === uri ? vscode.window.activeTextEditor : undefined), 'the exchange document', 10_000);
    const text = editor.document.getText();
    assert.ok(text.includes('\n  "request": {'), 'pretty-printed');
    const shown = JSON.parse(text) as { request: { method: string; body: { description: string; payment_method_data?: unknown } }; response: { status: number; body: { payment_id: string } } };
    assert.equal(shown.request.method, 'POST');
    assert.equal(shown.request.body.description, 'exchange document');
    assert.equal(shown.response.status, 200);
    assert.equal(shown.response.body.payment_id, p.payment_id);
    assert.ok(!text.includes('4242424242424242'), 'the card number is masked');
    assert.ok(!/_secret_[A-Za-z0-9]{8}/.test(text), 'no client secret');
    // A number the log no longer keeps (or never had) says so, in the document.
    const gone = await run<string>('perfectpay.openRequestFromLog', 999_999_999);
    const goneText = (await vscode.workspace.openTextDocument(vscode.Uri.parse(gone))).getText();
    assert.match(goneText, /no longer kept/);
  });

  it('the terminal gets the same links', () => {
    const provider = new PaymentTerminalLinkProvider();
    const id = unknownId();
    const links = provider.provideTerminalLinks({ line: `$ curl …/payments/${id}/capture → ${id}_secret_abc`, terminal: undefined as unknown as vscode.Terminal });
    assert.deepEqual(links.map((l) => [l.startIndex, l.length, l.paymentId]), [[`$ curl …/payments/`.length, id.length, id]]);
  });

  it('hover: the card of a payment made here, at once and with no request (the answer is fresh)', async () => {
    const p = await createPayment({ amount: 1250, currency: 'EUR', customer_id: 'cus_hover', description: 'Hover *me* [x](command:evil)', capture_method: 'manual', confirm: true, ...card4242 });
    assert.equal(p.status, 'requires_capture');
    const doc = await openText(`see ${p.payment_id} in the log`);
    const before = requestsFor(p.payment_id).length;
    const md = await hoverText(doc, p.payment_id);
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await hoverText(doc, p.payment_id);
      figures.executeHoverProvider.warmMs.push(ms(t0));
      figures.provider.warmMs.push((await providerHover(a, doc, p.payment_id)).ms);
    }
    assert.ok(md, 'no PerfectPay hover');
    assert.match(md, /\$\(clock\) \*\*Requires capture\*\* · \*\*12\\\.50 EUR\*\*/);
    assert.match(md, /customer cus\\_hover · created (just now|\d+ s ago) · Local sandbox/);
    assert.match(md, /Hover \\\*me\\\* \\\[x\\\]\\\(command\\:evil\\\)/, 'the description is not escaped');
    assert.match(md, /Next: Capture all or part of the amount/);
    for (const c of ['perfectpay.inspectPayment', 'perfectpay.openPaymentAsJson', 'perfectpay.copyAsCurl']) {
      assert.ok(md.includes(`](command:${c}?${encodeURIComponent(JSON.stringify([p.payment_id]))})`), `no ${c} link`);
    }
    assert.ok(!md.includes('command:evil)'), 'a server string made a link');
    assert.equal(requestsFor(p.payment_id).length, before, 'a hover of a fresh payment sent a request');
  });

  it('hover, cold: "loading…" or the card, then the card; ONE request for any number of hovers', async () => {
    // A payment the extension has never seen: made with the client directly.
    const session = await a.environments.session();
    const p = await session.client.createPayment({ amount: 700, currency: 'USD', customer_id: 'cus_cold' });
    requests.length = 0;
    const doc = await openText(`cold ${p.payment_id}`);
    const t0 = performance.now();
    const first = await hoverText(doc, p.payment_id);
    figures.executeHoverProvider.coldMs.push(ms(t0));
    assert.ok(first, 'no PerfectPay hover');
    assert.ok(/loading…/.test(first) || /Requires payment method/.test(first), first);
    await a.service.lookupPayment(p.payment_id); // the same read the hover started
    const second = await hoverText(doc, p.payment_id);
    assert.match(second ?? '', /\*\*Requires payment method\*\* · \*\*7\\\.00 USD\*\*/);
    await hoverText(doc, p.payment_id);
    assert.equal(requestsFor(p.payment_id).length, 1, requestsFor(p.payment_id).map((r) => `${r.method} ${r.url}`).join('\n'));
  });

  it('hover provider, cold then warm, timed in this extension host (for the bench)', async () => {
    const session = await a.environments.session();
    for (let i = 0; i < 3; i++) {
      const p = await session.client.createPayment({ amount: 100 + i, currency: 'USD' });
      const doc = await vscode.workspace.openTextDocument({ content: `timed ${p.payment_id}`, language: 'log' });
      const cold = await providerHover(a, doc, p.payment_id);
      assert.match(cold.text, /Requires payment method|loading…/, cold.text);
      figures.provider.coldMs.push(cold.ms);
      await a.service.lookupPayment(p.payment_id);
      const warm = await providerHover(a, doc, p.payment_id);
      assert.match(warm.text, /Requires payment method/);
      figures.provider.warmMs.push(warm.ms);
    }
  });

  it('hover on an unknown id: not found here, after one request; the next hovers send none', async () => {
    const id = unknownId();
    const doc = await openText(`missing ${id}`);
    requests.length = 0;
    await hoverText(doc, id);
    await a.service.lookupPayment(id).then(
      () => assert.fail('found an id no server made'),
      () => undefined,
    );
    const md = await hoverText(doc, id);
    assert.match(md ?? '', /Not found in Local sandbox\./);
    await hoverText(doc, id);
    assert.equal(requestsFor(id).length, 1);
  });

  it('opens a payment as a JSON document (redacted, JSON language), updated in place by actions and by Refresh', async () => {
    const p = await createPayment({ amount: 4999, capture_method: 'manual_multiple', confirm: true, email: 'jane.doe@example.com', metadata: { order_id: '1001' }, ...card4242 });
    assert.equal(p.status, 'requires_capture');
    const uri = await run<string | undefined>('perfectpay.openPaymentAsJson', p.payment_id);
    assert.equal(uri, `perfectpay:/local/${p.payment_id}.json`);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    assert.ok(doc, 'the document is not open');
    assert.equal(vscode.window.activeTextEditor?.document, doc);
    assert.equal(doc.languageId, 'json');
    const json = JSON.parse(doc.getText()) as Payment & { email?: string };
    assert.equal(json.payment_id, p.payment_id);
    assert.equal(json.status, 'requires_capture');
    assert.deepEqual(json.metadata, { order_id: '1001' });
    assert.ok(doc.getText().startsWith('{\n  "payment_id": '), 'not pretty-printed');
    assert.ok(!doc.getText().includes(p.client_secret!), 'the client secret is in the document');
    assert.ok(!doc.getText().includes('jane.doe@'), 'the e-mail is not masked');
    // VS Code's JSON tools work on it: the outline has the payment's fields.
    const symbols = await eventually(
      async () => {
        const r = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', doc.uri);
        return r?.length ? r : undefined;
      },
      'the outline of the JSON document',
    );
    for (const name of ['payment_id', 'status', 'metadata']) assert.ok(symbols.some((x) => x.name === name), `no ${name} in the outline`);

    // An action through the extension: the open document follows, in place.
    await run('perfectpay.capturePayment', { paymentId: p.payment_id, amount_to_capture: 1000 });
    await whenText(doc, () => statusOf(doc) === 'partially_captured_and_capturable', 'after a capture');
    assert.equal(doc.isClosed, false);

    // A change the extension did not see: "Refresh Payment JSON" reads it and updates the same document.
    const session = await a.environments.session();
    await session.client.capturePayment(p.payment_id, {});
    assert.equal(statusOf(doc), 'partially_captured_and_capturable');
    const refreshed = await run<Payment | undefined>('perfectpay.refreshPaymentJson', vscode.Uri.parse(uri!));
    assert.equal(refreshed?.status, 'succeeded');
    await whenText(doc, () => statusOf(doc) === 'succeeded', 'after Refresh Payment JSON');
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.uri.toString() === uri).length, 1);
  });

  it('compares a payment now with an earlier answer, and two payments, in a diff editor', async () => {
    const p = await createPayment({ amount: 3000, capture_method: 'manual', confirm: true, ...card4242 });
    await run('perfectpay.capturePayment', { paymentId: p.payment_id, all: true });
    const answers = a.service.answers(p.payment_id);
    assert.deepEqual(answers.map((x) => x.payment.status), ['requires_capture', 'succeeded']);
    assert.ok(!JSON.stringify(answers).includes(p.client_secret!), 'a kept answer holds the client secret');

    const r = await run<{ left: string; right: string } | undefined>('perfectpay.comparePayments', { paymentId: p.payment_id, at: answers[0]!.at });
    assert.ok(r, 'no diff');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, `the active tab is ${tab?.label}`);
    assert.equal(tab.input.original.toString(), r.left);
    assert.equal(tab.input.modified.toString(), r.right);
    assert.match(tab.label, /↔ now/);
    const left = await vscode.workspace.openTextDocument(tab.input.original);
    const right = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.equal(statusOf(left), 'requires_capture');
    assert.equal(statusOf(right), 'succeeded');
    assert.equal(left.languageId, 'json');

    const other = await createPayment({ amount: 3000 });
    const two = await run<{ left: string; right: string } | undefined>('perfectpay.comparePayments', { paymentId: p.payment_id, with: other.payment_id });
    assert.deepEqual(two, { left: `perfectpay:/local/${p.payment_id}.json`, right: `perfectpay:/local/${other.payment_id}.json` });
    const tab2 = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab2?.input instanceof vscode.TabInputTextDiff);
    assert.equal(tab2.input.modified.toString(), two.right);
  });

  it('copies a request as code: the key as $PERFECTPAY_API_KEY, never its value', async () => {
    const p = await createPayment({ capture_method: 'manual', confirm: true, ...card4242 });
    const { apiKey } = await a.environments.localSandbox.ensure(a.environments.settings().seed);
    for (const language of ['node', 'python', 'httpie']) {
      const text = await run<string | undefined>('perfectpay.copyAsCode', { paymentId: p.payment_id, request: 'capture', language });
      assert.ok(text, `${language}: nothing copied`);
      assert.ok(text.includes('PERFECTPAY_API_KEY'), `${language}: ${text}`);
      assert.ok(!text.includes(apiKey), `${language}: the key is in the copy`);
      assert.ok(text.includes(`/payments/${p.payment_id}/capture`), text);
      assert.equal(await vscode.env.clipboard.readText(), text);
    }
  });
});
