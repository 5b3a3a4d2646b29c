// The PerfectPay commands and the Payments tree, driven with arguments inside a real VS Code against
// the local sandbox the extension starts itself (perfectpay.environment = local). Every test makes the
// payments it looks at; none counts on the seed, on another test's payments or on running after it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RequestEvent } from '../../src/api/client';
import type { CreatePaymentRequest, Payment } from '../../src/api/schemas';
import type { PerfectPayTestApi } from '../../src/extension';
import { RequestLog } from '../../src/log/requestLog';
import { summaryLine } from '../../src/model/requestLine';
import { paymentContextValue, paymentTreeItem } from '../../src/tree/items';
import { api, cardArg, closeInspectors, createPayment, lastError, onLocalSandbox, pageReads, run, settings, unique } from './helpers';

const create = createPayment;

/**
 * Each test card and what confirming with it gives, written out here (not read from the table the sandbox
 * runs on): card number → status, error_code, next_action type, and the tree row's contextValue after it.
 */
type Expected = { status: string; errorCode?: string; nextAction?: string; contextValue: string };
const SUCCEEDS: Expected = { status: 'succeeded', contextValue: 'payment:refund' };
const DECLINED = (errorCode: string): Expected => ({ status: 'failed', errorCode, contextValue: 'payment' });
const THREE_DS: Expected = { status: 'requires_customer_action', nextAction: 'redirect_to_url', contextValue: 'payment:simulate:cancel' };
const PROCESSING: Expected = { status: 'processing', contextValue: 'payment:simulate' };
const CARDS: readonly (Expected & { number: string })[] = [
  { number: '4242424242424242', ...SUCCEEDS },
  { number: '4111111111111111', ...SUCCEEDS },
  { number: '4000000000000002', ...DECLINED('card_declined') },
  { number: '4000000000009995', ...DECLINED('insufficient_funds') },
  { number: '4000000000000069', ...DECLINED('expired_card') },
  { number: '4000000000000127', ...DECLINED('incorrect_cvc') },
  { number: '4000000000003220', ...THREE_DS },
  { number: '4000000000003063', ...THREE_DS },
  { number: '4000000000000259', ...PROCESSING },
];

describe('PerfectPay commands against the local sandbox', function () {
  this.timeout(30_000);
  let a: PerfectPayTestApi;

  before(async () => {
    a = await api();
    await settings({ environment: 'local', pageSize: 25 });
    assert.equal(a.service.environment().kind, 'local');
  });

  afterEach(() => closeInspectors(a));

  beforeEach(async () => {
    // Loaded and settled: a new payment goes into a loaded tree only (a setting change or a sandbox reset
    // in another test leaves it unloaded until its rows are next asked for).
    await a.tree.refresh();
  });

  it('creates a payment without confirming: requires_payment_method, at the top of the tree', async () => {
    await a.tree.refresh();
    const before = a.tree.payments().length;
    const p = await create({ description: 'Order 1001', customer_id: 'cus_test' });
    assert.equal(p.status, 'requires_payment_method');
    assert.equal(p.amount, 4999);
    assert.match(p.payment_id, /^pay_/);
    const rows = a.tree.rows();
    assert.equal(rows[0]?.kind, 'payment');
    assert.equal(rows[0]?.kind === 'payment' && rows[0].payment.payment_id, p.payment_id);
    assert.equal(a.tree.payments().length, before + 1);
    const item = a.tree.getTreeItem(rows[0]!);
    assert.equal(item.label, '49.99 USD');
    assert.equal(item.description, 'Requires payment method · Order 1001');
    assert.equal(item.contextValue, 'payment:confirm:simulate:cancel');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'clock');
  });

  it('labels amounts in each currency\'s own unit (5000 JPY)', async () => {
    const p = await create({ amount: 5000, currency: 'JPY' });
    const node = a.tree.node(p.payment_id);
    assert.ok(node, 'the JPY payment is not in the tree');
    assert.equal(a.tree.getTreeItem(node).label, '5000 JPY');
  });

  for (const card of CARDS) {
    const outcome = `${card.status}${card.errorCode ? ` (${card.errorCode})` : ''}${card.nextAction ? ` with ${card.nextAction}` : ''}`;
    it(`confirms with card ${card.number} → ${outcome}; the row updated in place (${card.contextValue})`, async () => {
      const created = await create();
      const p = await run<Payment | undefined>('perfectpay.confirmPayment', { paymentId: created.payment_id, ...cardArg(card.number) });
      assert.ok(p, 'confirmPayment returned nothing');
      assert.equal(p.payment_id, created.payment_id);
      assert.equal(p.payment_method_data?.card?.last4, card.number.slice(-4));
      assert.equal(p.status, card.status);
      assert.equal(p.error_code ?? undefined, card.errorCode);
      assert.equal(p.next_action?.type, card.nextAction);
      // The row was updated in place.
      const node = a.tree.node(p.payment_id);
      assert.equal(node?.payment.status, card.status);
      assert.equal(a.tree.getTreeItem(node!).contextValue, card.contextValue);
    });
  }

  it('confirms with a non-card method (ACH bank transfer) → display_bank_transfer_information', async () => {
    const created = await create();
    const p = await run<Payment>('perfectpay.confirmPayment', { paymentId: created.payment_id, payment_method: 'bank_transfer', payment_method_type: 'ach' });
    assert.equal(p.status, 'requires_customer_action');
    assert.equal(p.next_action?.type, 'display_bank_transfer_information');
  });

  it('captures part of a manual payment (partial → partially_captured); its row offers capture:cancel before, nothing after', async () => {
    const created = await create({ capture_method: 'manual', confirm: true, ...cardArg('4242424242424242') });
    assert.equal(created.status, 'requires_capture');
    const node = a.tree.node(created.payment_id);
    assert.ok(node);
    assert.equal(a.tree.getTreeItem(node).contextValue, 'payment:capture:cancel');
    const p = await run<Payment>('perfectpay.capturePayment', { paymentId: created.payment_id, amount_to_capture: 1000 });
    assert.equal(p.status, 'partially_captured');
    assert.equal(p.amount_received, 1000);
    assert.equal(a.tree.getTreeItem(a.tree.node(p.payment_id)!).contextValue, 'payment:refund');
  });

  it('captures manual_multiple in parts: partial, then the rest → succeeded', async () => {
    const created = await create({ capture_method: 'manual_multiple', confirm: true, ...cardArg('4111111111111111') });
    assert.equal(created.status, 'requires_capture');
    const first = await run<Payment>('perfectpay.capturePayment', { paymentId: created.payment_id, amount_to_capture: 2000 });
    assert.equal(first.status, 'partially_captured_and_capturable');
    assert.equal(first.amount_capturable, 2999);
    const row = a.tree.getTreeItem(a.tree.node(created.payment_id)!);
    assert.match(String(row.contextValue), /:capture(:|$)/);
    const last = await run<Payment>('perfectpay.capturePayment', { paymentId: created.payment_id, amount_to_capture: 2999 });
    assert.equal(last.status, 'succeeded');
    assert.equal(last.amount_received, 4999);
  });

  it('captures all with { all: true }, sent as the amount (not the create\'s smaller amount_to_capture); a second is refused and the person told why', async () => {
    const created = await create({ capture_method: 'manual', amount_to_capture: 4000, confirm: true, ...cardArg('4242424242424242') });
    const node = a.tree.node(created.payment_id);
    assert.ok(node);
    const p = await run<Payment>('perfectpay.capturePayment', Object.assign({ all: true }, { paymentId: created.payment_id }));
    assert.equal(p.status, 'succeeded');
    assert.equal(p.amount_received, 4999);
    // Nothing is capturable now: undefined, and the person is told why.
    const again = await run<Payment | undefined>('perfectpay.capturePayment', { paymentId: created.payment_id, all: true });
    assert.equal(again, undefined);
    assert.match(lastError(a) ?? '', /cannot be captured: it is "[^"]+" with 0\.00 USD capturable/);
  });

  it('passes a tree row straight from the view (the argument menus give)', async () => {
    const created = await create();
    const node = a.tree.node(created.payment_id)!;
    const id = await run<string>('perfectpay.copyPaymentId', node);
    assert.equal(id, created.payment_id);
    assert.equal(await vscode.env.clipboard.readText(), created.payment_id);
  });

  it('cancels with a reason', async () => {
    const created = await create();
    const p = await run<Payment>('perfectpay.cancelPayment', { paymentId: created.payment_id, cancellation_reason: 'duplicate' });
    assert.equal(p.status, 'cancelled');
    assert.equal(p.cancellation_reason, 'duplicate');
    const item = a.tree.getTreeItem(a.tree.node(p.payment_id)!);
    assert.equal(item.contextValue, 'payment');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'circle-slash');
  });

  it('cancels without a reason when the key is there but undefined', async () => {
    const created = await create();
    const p = await run<Payment>('perfectpay.cancelPayment', { paymentId: created.payment_id, cancellation_reason: undefined });
    assert.equal(p.status, 'cancelled');
    assert.ok(!p.cancellation_reason);
  });

  it('simulates the customer completing a 3DS step', async () => {
    const created = await create({ confirm: true, ...cardArg('4000000000003220') });
    assert.equal(created.status, 'requires_customer_action');
    const p = await run<Payment>('perfectpay.simulateCustomerAction', { paymentId: created.payment_id, outcome: 'succeed' });
    assert.equal(p.status, 'succeeded');
    const failed = await create({ confirm: true, ...cardArg('4000000000003220') });
    const f = await run<Payment>('perfectpay.simulateCustomerAction', { paymentId: failed.payment_id, outcome: 'fail' });
    assert.equal(f.status, 'failed');
  });

  it('copies the payment id (by id string)', async () => {
    const created = await create();
    assert.equal(await run<string>('perfectpay.copyPaymentId', created.payment_id), created.payment_id);
    assert.equal(await vscode.env.clipboard.readText(), created.payment_id);
  });

  it('copies a cURL command with $PERFECTPAY_API_KEY, never the key, card masked', async () => {
    const created = await create();
    const text = await run<string>('perfectpay.copyAsCurl', { paymentId: created.payment_id, request: 'confirm' });
    const clip = await vscode.env.clipboard.readText();
    assert.equal(clip, text);
    assert.match(clip, /\$PERFECTPAY_API_KEY/);
    assert.match(clip, new RegExp(`/payments/${created.payment_id}/confirm`));
    assert.ok(!clip.includes('4242424242424242'), 'the card number is in the cURL command');
    assert.match(clip, /•••• 4242/);
    assert.ok(!/sk_local_/.test(clip), 'the local sandbox key is in the cURL command');
    const get = await run<string>('perfectpay.copyAsCurl', { paymentId: created.payment_id, request: 'retrieve' });
    assert.match(get, /^curl '.*\/payments\/pay_/);
    assert.ok(!/-X POST/.test(get));
  });

  it('confirms as the browser does: the local sandbox\'s publishable key and the payment\'s client_secret', async () => {
    const created = await create({ description: unique('browser confirm') });
    const p = await run<Payment | undefined>('perfectpay.confirmPayment', { paymentId: created.payment_id, ...cardArg('4242424242424242'), key: 'publishable' });
    assert.equal(p?.status, 'succeeded', lastError(a));
    const last = a.service.history(created.payment_id).at(-1);
    assert.equal(last?.cause, 'confirm');
    assert.match(last?.method ?? '', /•••• 4242 · publishable key$/);
    // Its copy reads both from the environment, and holds neither the key nor the secret.
    const other = await create();
    const text = await run<string>('perfectpay.copyAsCurl', { paymentId: other.payment_id, request: 'confirm_publishable' });
    assert.match(text, /-H "api-key: \$PERFECTPAY_PUBLISHABLE_KEY"/);
    assert.match(text, /"client_secret": "'"\$PERFECTPAY_CLIENT_SECRET"'"/);
    assert.ok(!text.includes(other.client_secret!), 'the client_secret is in the copy');
    assert.ok(!/pk_snd_|sk_local_/.test(text), 'a key is in the copy');
  });

  it('opens an unknown payment id: no crash, an error is shown', async () => {
    const shown: string[] = [];
    const sub = a.notifier.onDidShow((m) => shown.push(`${m.level}: ${m.text} [${m.actions.join(', ')}]`));
    const p = await run<Payment | undefined>('perfectpay.openPaymentById', 'pay_doesnotexist000000000000000');
    sub.dispose();
    assert.equal(p, undefined);
    assert.equal(shown.length, 1, `shown: ${shown.join(' | ')}`);
    assert.match(shown[0]!, /^error: Could not open pay_doesnotexist0+: Payment does not exist/);
    assert.match(shown[0]!, /Show Request Log/);
  });

  it('opens a known payment id and returns it', async () => {
    const created = await create();
    const p = await run<Payment>('perfectpay.openPaymentById', created.payment_id);
    assert.equal(p?.payment_id, created.payment_id);
    const inspected = await run<Payment>('perfectpay.inspectPayment', { paymentId: created.payment_id });
    assert.equal(inspected?.payment_id, created.payment_id);
  });

  it('records a history of each payment (create, confirm)', async () => {
    const created = await create();
    await run('perfectpay.confirmPayment', { paymentId: created.payment_id, ...cardArg('4242424242424242') });
    const h = a.service.history(created.payment_id);
    assert.deepEqual(h.map((o) => o.cause), ['create', 'confirm']);
    assert.equal(h[1]?.method, 'card •••• 4242');
    assert.deepEqual(h.map((o) => o.status), ['requires_payment_method', 'succeeded']);
  });

  it('logs each request as one line, redacted: no key, no card number, no CVC', async () => {
    const events: RequestEvent[] = [];
    const sub = a.environments.onDidRequest((e) => events.push(e));
    const created = await create({ confirm: true, ...cardArg('4242424242424242') });
    sub.dispose();
    assert.equal(created.status, 'succeeded');
    const creates = events.filter((x) => x.method === 'POST');
    assert.equal(creates.length, 1, `requests: ${events.map((x) => `${x.method} ${x.url}`).join(', ')}`);
    const e = creates[0]!;
    assert.match(summaryLine(e), /^POST \/payments → 200 in \d+ ms$/);
    assert.equal(e.requestHeaders['api-key'], '[redacted]');
    const all = JSON.stringify(events);
    assert.ok(!all.includes('4242424242424242'), 'a card number is in the request event');
    assert.ok(!/"card_cvc":"123"/.test(all), 'the CVC is in the request event');
    assert.ok(!/sk_local_/.test(all), 'the local key is in the request event');
    // What the channel receives, level by level.
    const lines: string[] = [];
    const fake = Object.fromEntries(
      ['info', 'warn', 'error', 'debug', 'trace'].map((level) => [level, (m: string) => lines.push(`${level}: ${m}`)]),
    ) as unknown as vscode.LogOutputChannel;
    const log = new RequestLog(fake);
    log.record(e);
    log.record({ ...e, status: 404, responseBody: { error: { code: 'HE_02', message: 'Payment does not exist in our records', type: 'object_not_found' } } });
    log.record({ ...e, status: undefined, error: 'Could not reach http://127.0.0.1:9: the connection was refused.' });
    assert.match(lines[0]!, /^info: #\d+ POST \/payments → 200 in \d+ ms$/);
    assert.match(lines[1]!, /^debug: +request body: .*"card_number":"•••• 4242"/);
    assert.ok(lines.some((l) => /^warn: #\d+ POST \/payments → 404 in \d+ ms HE_02: Payment does not exist/.test(l)));
    assert.ok(lines.some((l) => /^error: #\d+ POST \/payments → failed in \d+ ms: Could not reach/.test(l)));
    assert.ok(!lines.join('\n').includes('4242424242424242'));
  });

  it('offers Retry when a create fails, and the retry reuses the same input and payment_id (one payment)', async function () {
    this.timeout(60_000);
    await a.tree.refresh(); // the local sandbox starts on first use
    const sandbox = a.environments.localSandbox.instance;
    assert.ok(sandbox, 'the local sandbox is not running');
    const events: RequestEvent[] = [];
    const sub = a.environments.onDidRequest((e) => events.push(e));
    const countBefore = sandbox.paymentCount();
    // Every attempt of the create loses its answer: the first after it was stored (so the Retry meets
    // HE_01 and recovers the payment), the others before. Only the creates: reads in the background go on.
    sandbox.setFaults({ targeted: [
      { method: 'POST', path: '/payments', kind: 'drop', when: 'after' },
      { method: 'POST', path: '/payments', kind: 'drop', times: Infinity },
    ] });
    let p: Payment | undefined;
    try {
      p = await run<Payment | undefined>('perfectpay.createPayment', { amount: 1234, currency: 'EUR', description: 'retry me' });
    } finally {
      sandbox.setFaults({});
    }
    assert.equal(p, undefined);
    const failure = [...a.notifier.messages].reverse().find((m) => m.level === 'error' && m.text.startsWith('Could not create the payment of 12.34 EUR: '));
    assert.ok(failure, `no error about the create: ${lastError(a)}`);
    assert.deepEqual(failure.actions.slice(0, 1), ['Retry']);
    assert.ok(failure.actions.includes('Show Request Log'));
    const ids = new Set(events.filter((e) => e.method === 'POST').map((e) => (e.requestBody as { payment_id?: string }).payment_id));
    assert.equal(ids.size, 1, 'the client changed the payment_id between attempts');
    const retried = (await failure.choose('Retry')) as Payment | undefined;
    sub.dispose();
    assert.ok(retried, 'the retry did not give a payment');
    assert.equal(retried.payment_id, [...ids][0]);
    assert.equal(retried.amount, 1234);
    assert.equal(retried.description, 'retry me');
    assert.equal(sandbox.paymentCount(), countBefore + 1, 'not exactly one payment was made');
    assert.equal(a.tree.rows()[0]?.kind === 'payment' && (a.tree.rows()[0] as { payment: Payment }).payment.payment_id, retried.payment_id);
  });

  it('a second create with a payment_id whose first create was answered is refused HE_01, not answered with the first payment', async () => {
    const id = `${unique('pay')}duplicate`;
    const first = await a.service.createPayment({ amount: 700, currency: 'USD', payment_id: id, description: 'first' });
    assert.equal(first.payment_id, id);
    await assert.rejects(a.service.createPayment({ amount: 800, currency: 'USD', payment_id: id, description: 'second' }), (e: { code?: string }) => {
      assert.equal(e.code, 'HE_01');
      return true;
    });
    // The same through the command: the person is told, nothing is answered as made.
    const again = await run<Payment | undefined>('perfectpay.createPayment', { amount: 900, currency: 'USD', payment_id: id });
    assert.equal(again, undefined);
    assert.match(lastError(a) ?? '', /already exists in our records/);
  });

  it('offers Retry when a confirm fails: the same card again while confirmable, nothing resent once it went through', async function () {
    this.timeout(60_000);
    await a.tree.refresh(); // the local sandbox starts on first use
    const sandbox = a.environments.localSandbox.instance;
    assert.ok(sandbox, 'the local sandbox is not running');
    const number = '4111111111111111';
    const events: RequestEvent[] = [];
    const shown: string[] = [];
    const subs = [a.environments.onDidRequest((e) => events.push(e)), a.notifier.onDidShow((m) => shown.push(m.text))];
    const confirmsOf = (id: string) => events.filter((e) => e.method === 'POST' && e.url.endsWith(`/payments/${id}/confirm`));
    const confirmError = (id: string) => {
      const m = [...a.notifier.messages].reverse().find((e) => e.level === 'error' && e.text.startsWith(`Could not confirm ${id} with card •••• 1111: `));
      assert.ok(m, `no error about confirming ${id}: ${lastError(a)}`);
      return m;
    };
    const confirmFailing = async (id: string, faults: Parameters<typeof sandbox.setFaults>[0]) => {
      sandbox.setFaults(faults);
      try {
        return await run<Payment | undefined>('perfectpay.confirmPayment', { paymentId: id, ...cardArg(number) });
      } finally {
        sandbox.setFaults({});
      }
    };
    try {
      // 1. An error answer (429, refused before it ran): the payment is still confirmable, so Retry
      //    re-reads it and sends the very same card, without asking for it again.
      const b = await create();
      const confirmB = `/payments/${b.payment_id}/confirm`;
      assert.equal(await confirmFailing(b.payment_id, { targeted: [{ method: 'POST', path: confirmB, kind: 'rate_limit', times: Infinity }], retryAfterSeconds: 0 }), undefined);
      const failure = confirmError(b.payment_id);
      assert.deepEqual(failure.actions.slice(0, 1), ['Retry']);
      assert.ok(failure.actions.includes('Show Request Log'));
      const sentBefore = confirmsOf(b.payment_id).length;
      const retried = (await failure.choose('Retry')) as Payment | undefined;
      assert.ok(retried, 'the retry did not give a payment');
      assert.equal(retried.status, 'succeeded');
      assert.equal(retried.payment_method_data?.card?.last4, '1111');
      assert.equal(confirmsOf(b.payment_id).length, sentBefore + 1, 'the retry did not send the confirm exactly once more');
      const between = events.slice(events.indexOf(confirmsOf(b.payment_id)[sentBefore - 1]!) + 1, events.indexOf(confirmsOf(b.payment_id)[sentBefore]!));
      assert.ok(between.some((e) => e.method === 'GET' && new URL(e.url).pathname.endsWith(`/payments/${b.payment_id}`)), 'the payment was not re-read before the confirm was sent again');

      // 2. A lost connection after the server confirmed it: Retry re-reads it, sees it is no longer
      //    confirmable, sends nothing, and says what it is now.
      //    Exactly that confirm loses its answer after it ran, and the client's re-read of the payment
      //    loses its answers too (so it cannot tell), whatever else is read meanwhile.
      const c = await create();
      assert.equal(await confirmFailing(c.payment_id, { targeted: [
        { method: 'POST', path: `/payments/${c.payment_id}/confirm`, kind: 'drop', when: 'after' },
        { method: 'GET', path: `/payments/${c.payment_id}`, kind: 'drop', times: Infinity },
      ] }), undefined);
      const lost = confirmError(c.payment_id);
      assert.deepEqual(lost.actions.slice(0, 1), ['Retry']);
      const sent = confirmsOf(c.payment_id).length;
      assert.equal(sent, 1);
      const now = (await lost.choose('Retry')) as Payment | undefined;
      assert.equal(now?.status, 'succeeded');
      assert.equal(confirmsOf(c.payment_id).length, sent, 'a confirm was sent again to a payment no longer confirmable');
      const told = [...a.notifier.messages].at(-1)!;
      assert.match(told.text, new RegExp(`^Not confirmed again \\(it can no longer be confirmed\\): ${c.payment_id} \\(49\\.99 USD\\): Succeeded\\.`));
      assert.equal(a.service.cached(c.payment_id)?.status, 'succeeded');
    } finally {
      for (const sub of subs) sub.dispose();
    }
    // The card number is never shown nor logged: only its last four.
    assert.ok(!shown.some((t) => t.includes(number)), `a message shows the card number: ${shown.join(' | ')}`);
    assert.ok(!JSON.stringify(events).includes(number), 'the card number is in a request event');
  });

  it('refuses an amount that is not a whole number of minor units (1.5) before sending it, with a message', async () => {
    await a.tree.refresh(); // the local sandbox starts on first use
    const events: RequestEvent[] = [];
    const sub = a.environments.onDidRequest((e) => events.push(e));
    const shown: string[] = [];
    const told = a.notifier.onDidShow((m) => shown.push(`${m.level}: ${m.text}`));
    try {
      const p = await run<Payment | undefined>('perfectpay.createPayment', { amount: 1.5, currency: 'USD' });
      assert.equal(p, undefined);
    } finally {
      sub.dispose();
      told.dispose();
    }
    assert.deepEqual(events.filter((e) => e.method === 'POST').map((e) => e.url), [], 'a create was sent');
    assert.equal(shown.length, 1, `shown: ${shown.join(' | ')}`);
    assert.match(shown[0]!, /^error: Could not create the payment of .*amount/);
  });

  it('shows the server\'s refusal of a create (amount 0 → 400 IR_07) and makes no payment: one request, no retry', async () => {
    await a.tree.refresh(); // the local sandbox starts on first use
    const sandbox = a.environments.localSandbox.instance;
    assert.ok(sandbox, 'the local sandbox is not running');
    const count = sandbox.paymentCount();
    const events: RequestEvent[] = [];
    const sub = a.environments.onDidRequest((e) => events.push(e));
    try {
      const p = await run<Payment | undefined>('perfectpay.createPayment', { amount: 0, currency: 'USD' });
      assert.equal(p, undefined);
    } finally {
      sub.dispose();
    }
    const posts = events.filter((e) => e.method === 'POST');
    assert.equal(posts.length, 1, `requests: ${posts.map((e) => `${e.method} ${e.url} → ${e.status}`).join(', ')}`);
    assert.equal(posts[0]!.status, 400);
    assert.match(lastError(a) ?? '', /Invalid value provided: amount/);
    assert.equal(sandbox.paymentCount(), count, 'a payment was made');
  });
});

describe('Payments tree paging and filters', function () {
  this.timeout(60_000);
  let a: PerfectPayTestApi;
  const events = onLocalSandbox(10, (x) => (a = x));

  /** `n` new payments made through the service, oldest first (so the newest `pageSize` of the list are theirs). */
  async function make(n: number, fields: (i: number) => Partial<CreatePaymentRequest> = () => ({})): Promise<Payment[]> {
    await a.tree.refresh(); // the local sandbox starts on first use
    const made: Payment[] = [];
    for (let i = 0; i < n; i++) made.push(await a.service.createPayment({ amount: 100 + i, currency: 'USD', ...fields(i) }));
    return made;
  }
  const ids = (ps: readonly Payment[]) => ps.map((p) => p.payment_id);

  it('loads the first page with ONE request: the 10 newest payments (page size) + "Load more…"', async () => {
    const mine = await make(11);
    events.length = 0;
    await a.tree.refresh();
    assert.equal(pageReads(events).length, 1, `requests: ${events.map((e) => `${e.method} ${e.url}`).join(', ')}`);
    assert.match(pageReads(events)[0]!.url, /\/payments\/list\?.*limit=10/);
    const rows = a.tree.rows();
    assert.equal(rows.length, 11);
    assert.equal(rows.filter((r) => r.kind === 'payment').length, 10);
    assert.equal(rows[10]?.kind, 'loadMore');
    assert.equal(a.tree.getTreeItem(rows[10]!).label, 'Load more…');
    // Newest first: the ten made last, the last one on top.
    assert.deepEqual(ids(a.tree.payments()), ids(mine.slice(1).reverse()));
  });

  it('loads the next page with ONE request using starting_after: the next 10, none twice', async () => {
    const mine = await make(21);
    await a.tree.refresh();
    const lastId = a.tree.payments().at(-1)!.payment_id;
    assert.equal(lastId, mine[11]!.payment_id);
    events.length = 0;
    const added = await run<number>('perfectpay.loadMore');
    assert.equal(added, 10);
    assert.equal(pageReads(events).length, 1);
    assert.match(pageReads(events)[0]!.url, new RegExp(`starting_after=${lastId}`));
    const rows = a.tree.rows();
    assert.equal(rows.filter((r) => r.kind === 'payment').length, 20);
    assert.equal(rows.at(-1)?.kind, 'loadMore');
    assert.deepEqual(ids(a.tree.payments()), ids(mine.slice(1).reverse()));
  });

  it('gives each status only the actions it allows (contextValue), as the menus\' when clauses expect', async () => {
    assert.equal(paymentContextValue('requires_payment_method'), 'payment:confirm:simulate:cancel');
    assert.equal(paymentContextValue('requires_capture'), 'payment:capture:cancel');
    assert.equal(paymentContextValue('partially_captured_and_capturable'), 'payment:capture');
    assert.equal(paymentContextValue('requires_customer_action'), 'payment:simulate:cancel');
    assert.equal(paymentContextValue('succeeded'), 'payment:refund');
    assert.equal(paymentContextValue('partially_captured'), 'payment:refund');
    assert.equal(paymentContextValue('failed'), 'payment');
    assert.equal(paymentContextValue('some_new_status'), 'payment');
    // The menus' when clauses match these.
    const pkg = vscode.extensions.getExtension('perfectpay.perfectpay-explorer')!.packageJSON;
    const menu: { command: string; when: string }[] = pkg.contributes.menus['view/item/context'];
    const captureWhen = menu.find((m) => m.command === 'perfectpay.capturePayment' && !/inline/.test((m as { group?: string }).group ?? ''))!.when;
    const re = new RegExp(/viewItem =~ \/(.*)\//.exec(captureWhen)![1]!);
    assert.ok(re.test('payment:capture:cancel'));
    assert.ok(!re.test('payment:confirm:simulate:cancel'));
    assert.ok(!re.test('payment'));
    const refundWhen = menu.find((m) => m.command === 'perfectpay.refundPayment')!.when;
    const refundRe = new RegExp(/viewItem =~ \/(.*)\//.exec(refundWhen)![1]!);
    assert.ok(refundRe.test('payment:refund'));
    assert.ok(!refundRe.test('payment:capture:cancel') && !refundRe.test('payment') && !refundRe.test('refund'));
  });

  it('shows an unknown status raw with a question mark, the id in place of a description', async () => {
    const made = await create({ description: 'unknown status' });
    const p = { ...made, status: 'on_hold_by_bank', description: null };
    const item = paymentTreeItem(p);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'question');
    assert.equal(item.description, `on_hold_by_bank · ${p.payment_id}`);
  });
});
