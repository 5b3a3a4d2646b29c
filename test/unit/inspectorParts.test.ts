// The parts of an inspector panel, in Node without VS Code: the poller (a fake clock), the QR refresher
// (the origin rule; a fake fetch that records every URL it is asked for), the action dispatcher (a fake
// PanelUi), the message router, the metadata's JSON tree, and the one capture-amount validation.
import assert from 'node:assert/strict';
import type { FetchedQrCode, Payment } from '../../src/api/schemas';
import { ActionDispatcher, type PanelUi } from '../../src/inspector/actions';
import { jsonRows } from '../../src/inspector/jsonTree';
import { buildInspectorModel } from '../../src/inspector/model';
import { Poller, type Timers } from '../../src/model/poller';
import { qrFetchDecision } from '../../src/domain/qrFetch';
import { QrRefresher, type QrMessage } from '../../src/inspector/qrRefresher';
import { createRouter } from '../../src/inspector/router';
import { parseCaptureAmount } from '../../src/model/capture';
import type { InspectorModel, ToWebview } from '../../src/shared/protocol';

/** A clock the test moves by hand: timers fire only in `advance`. */
class FakeClock implements Timers {
  now = 0;
  private next = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Delays of the timers waiting now, soonest first. */
  delays(): number[] {
    return [...this.pending.values()].map((t) => t.at - this.now).sort((a, b) => a - b);
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = until;
  }
}

describe('Poller', () => {
  function setup(o: { visible?: boolean; canChange?: boolean } = {}) {
    const clock = new FakeClock();
    const state = { visible: o.visible ?? true, canChange: o.canChange ?? true, reading: false, reads: 0 };
    const poller = new Poller({
      read: () => { state.reads++; },
      canChange: () => state.canChange,
      visible: () => state.visible,
      reading: () => state.reading,
      policy: { firstMs: 2000, factor: 1.5, maxMs: 5000 },
      timers: clock,
    });
    return { clock, state, poller };
  }

  it('polls after 2 s, then backs off by 1.5 up to the maximum', () => {
    const { clock, state, poller } = setup();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      poller.schedule();
      delays.push(clock.delays()[0]!);
      clock.advance(delays.at(-1)!);
    }
    assert.deepEqual(delays, [2000, 3000, 4500, 5000, 5000]);
    assert.equal(state.reads, 5);
  });

  it('starts from the first delay again when the status changes, and backs off more after an error', () => {
    const { clock, poller } = setup();
    poller.schedule();
    clock.advance(2000);
    poller.schedule(); // 3000 next
    poller.reset();
    poller.schedule();
    assert.deepEqual(clock.delays(), [2000]);
    clock.advance(2000);
    poller.failed();
    poller.schedule();
    assert.deepEqual(clock.delays(), [4500]);
  });

  it('does not poll a payment that can no longer change, one that is gone, a hidden panel, or while a read is on its way', () => {
    for (const [what, change] of [
      ['terminal', (s: ReturnType<typeof setup>) => { s.state.canChange = false; }],
      ['hidden', (s: ReturnType<typeof setup>) => { s.state.visible = false; }],
      ['gone', (s: ReturnType<typeof setup>) => { s.poller.setGone(true); }],
      ['reading', (s: ReturnType<typeof setup>) => { s.state.reading = true; }],
    ] as const) {
      const s = setup();
      change(s);
      s.poller.schedule();
      assert.equal(s.poller.isScheduled(), false, what);
      assert.equal(s.poller.wants(), what === 'reading', what);
    }
  });

  it('stops when hidden, and reads at once (then from the first delay) when shown again; focus moves do nothing', () => {
    const { clock, state, poller } = setup();
    poller.schedule();
    clock.advance(2000);
    poller.schedule();
    state.visible = false;
    poller.visibilityChanged();
    assert.equal(poller.isScheduled(), false);
    poller.visibilityChanged(); // still hidden: nothing
    assert.equal(state.reads, 1);
    state.visible = true;
    poller.visibilityChanged();
    assert.equal(state.reads, 2, 'shown again: a read at once');
    poller.schedule();
    assert.deepEqual(clock.delays(), [2000]);
  });

  it('does nothing once disposed', () => {
    const { clock, state, poller } = setup();
    poller.schedule();
    poller.dispose();
    clock.advance(60_000);
    assert.equal(state.reads, 0);
    poller.schedule();
    assert.equal(poller.isScheduled(), false);
  });
});

describe('qrFetchDecision: only from the API origin', () => {
  const cases: [string, string, string | undefined, boolean, RegExp | null][] = [
    // [what, QR URL, API base URL, fetched?, reason]
    ['the local sandbox itself', 'http://127.0.0.1:4242/sandbox/payments/p/qr', 'http://127.0.0.1:4242', true, null],
    ['the hosted sandbox itself', 'https://sandbox.perfectpay.ai/qr/p?x=1', 'https://sandbox.perfectpay.ai', true, null],
    ['a custom API with a path', 'https://pay.example.com/qr/p', 'https://pay.example.com/api/v1', true, null],
    ['the default port written out', 'https://sandbox.perfectpay.ai:443/qr', 'https://sandbox.perfectpay.ai', true, null],
    ['another loopback port', 'http://127.0.0.1:6379/', 'http://127.0.0.1:4242', false, /on http:\/\/127\.0\.0\.1:6379, not on the API's own origin \(http:\/\/127\.0\.0\.1:4242\)/],
    ['localhost for 127.0.0.1', 'http://localhost:4242/qr', 'http://127.0.0.1:4242', false, /not on the API's own origin/],
    ['http for https', 'http://sandbox.perfectpay.ai/qr', 'https://sandbox.perfectpay.ai', false, /not on the API's own origin/],
    ['a look-alike host', 'https://sandbox.perfectpay.ai.evil.example/qr', 'https://sandbox.perfectpay.ai', false, /not on the API's own origin/],
    ['a cloud metadata address', 'http://169.254.169.254/latest/meta-data', 'https://sandbox.perfectpay.ai', false, /not on the API's own origin/],
    ['credentials in the URL', 'https://user:pw@sandbox.perfectpay.ai/qr', 'https://sandbox.perfectpay.ai', false, /user name or password/],
    ['a file URL', 'file:///etc/passwd', 'https://sandbox.perfectpay.ai', false, /file, not http/],
    ['not a URL', 'qr please', 'https://sandbox.perfectpay.ai', false, /not a URL/],
    ['an unknown API address', 'http://127.0.0.1:4242/qr', undefined, false, /address is not known/],
  ];
  for (const [what, url, api, allowed, reason] of cases) {
    it(`${allowed ? 'fetches' : 'does not fetch'} ${what}`, () => {
      const d = qrFetchDecision(url, api);
      assert.equal(d.allowed, allowed);
      if (reason) assert.match(d.reason ?? '', reason);
      else assert.equal(d.reason, null);
    });
  }
});

describe('QrRefresher', () => {
  const PNG = 'data:image/png;base64,iVBORw0KGgo=';
  function setup(apiBaseUrl = 'http://127.0.0.1:4242', answer: () => Promise<FetchedQrCode> = async () => ({ image_data_url: PNG })) {
    const clock = new FakeClock();
    const fetched: string[] = [];
    const posted: QrMessage[] = [];
    const warnings: string[] = [];
    const abort = new AbortController();
    const qr = new QrRefresher({
      paymentId: 'pay_qr',
      fetch: (url) => { fetched.push(url); return answer(); },
      apiBaseUrl: () => apiBaseUrl,
      post: (m) => posted.push(m),
      warn: (m) => warnings.push(m),
      signal: abort.signal,
      timers: clock,
      now: () => 1_000_000 + clock.now,
    });
    return { clock, fetched, posted, warnings, qr, abort };
  }
  const settle = () => new Promise((r) => setImmediate(r));

  it("fetches a URL on the API's origin, posts it, and fetches it again every 10 s while wanted", async () => {
    const s = setup();
    s.qr.sync('http://127.0.0.1:4242/qr/p');
    await settle();
    assert.deepEqual(s.fetched, ['http://127.0.0.1:4242/qr/p']);
    assert.equal(s.posted.length, 1);
    assert.equal(s.posted[0]!.qr?.image, PNG);
    assert.deepEqual(s.clock.delays(), [10_000]);
    s.qr.sync('http://127.0.0.1:4242/qr/p'); // the same URL again: nothing more
    s.clock.advance(10_000);
    await settle();
    assert.equal(s.fetched.length, 2);
    s.qr.sync(undefined);
    s.clock.advance(60_000);
    await settle();
    assert.equal(s.fetched.length, 2, 'fetched after it was stopped');
  });

  it('never asks for a URL on another origin (and says so once in the log)', async () => {
    const s = setup();
    for (const url of ['http://127.0.0.1:6379/', 'http://169.254.169.254/latest', 'https://evil.example/qr']) {
      s.qr.sync(url);
      s.qr.sync(url);
    }
    s.clock.advance(60_000);
    await settle();
    assert.deepEqual(s.fetched, []);
    assert.deepEqual(s.posted, []);
    assert.equal(s.warnings.length, 3);
    assert.equal(s.qr.isScheduled(), false);
  });

  it('asks the environment before every fetch: a URL that stops being on its origin is not fetched again', async () => {
    let api = 'http://127.0.0.1:4242';
    const clock = new FakeClock();
    const fetched: string[] = [];
    const qr = new QrRefresher({
      paymentId: 'pay_qr', fetch: async (url) => { fetched.push(url); return { image_data_url: PNG }; }, apiBaseUrl: () => api,
      post: () => undefined, warn: () => undefined, signal: new AbortController().signal, timers: clock,
    });
    qr.sync('http://127.0.0.1:4242/qr/p');
    await settle();
    api = 'https://sandbox.perfectpay.ai'; // the environment changed
    clock.advance(10_000);
    await settle();
    assert.deepEqual(fetched, ['http://127.0.0.1:4242/qr/p']);
  });

  it('fetches again before the QR code expires, never more often than every 2 s; keeps the last code on an error', async () => {
    let n = 0;
    const s = setup('http://127.0.0.1:4242', async () => {
      n++;
      if (n === 2) throw new Error('offline');
      return { image_data_url: PNG, display_to_timestamp: 1_000_000 + 4000 };
    });
    s.qr.sync('http://127.0.0.1:4242/qr/p');
    await settle();
    assert.deepEqual(s.clock.delays(), [3000], 'expires in 4 s: again 1 s before');
    s.clock.advance(3000);
    await settle();
    assert.equal(s.posted.at(-1)!.error, 'offline');
    assert.equal(s.posted.at(-1)!.qr?.image, PNG, 'the last code is kept');
    assert.deepEqual(s.clock.delays(), [2000]);
  });

  it('drops an answer that comes after the panel closed', async () => {
    let release!: () => void;
    const s = setup('http://127.0.0.1:4242', () => new Promise((r) => { release = () => r({ image_data_url: PNG }); }));
    s.qr.sync('http://127.0.0.1:4242/qr/p');
    s.abort.abort();
    s.qr.stop();
    release();
    await settle();
    assert.deepEqual(s.posted, []);
    assert.equal(s.qr.isScheduled(), false);
  });
});

describe('ActionDispatcher', () => {
  const base = {
    payment_id: 'pay_actions', status: 'requires_capture', amount: 4999, amount_capturable: 4999, currency: 'USD',
    created: '2026-11-24T15:04:05.000Z', client_secret: 'pay_actions_secret_abc',
  } as unknown as Payment;
  const modelOf = (p: Payment, supportsSimulate = true): InspectorModel =>
    buildInspectorModel({ payment: p, history: [], environment: { label: 'Local sandbox', supportsSimulate }, receivedAt: 'x', polling: false });

  function setup(payment: Payment = base, o: { confirm?: boolean; result?: unknown; execute?: () => Promise<unknown>; localSandbox?: string } = {}) {
    const commands: [string, unknown][] = [];
    const posted: ToWebview[] = [];
    const opened: string[] = [];
    const asked: string[] = [];
    const clipboard: string[] = [];
    const refreshes: string[] = [];
    const applied: Payment[] = [];
    const ui: PanelUi = {
      executeCommand: async <T>(command: string, arg: unknown) => {
        commands.push([command, arg]);
        return (o.execute ? await o.execute() : o.result) as T;
      },
      writeClipboard: async (text) => { clipboard.push(text); },
      confirm: async (message, detail) => { asked.push(`${message}\n${detail}`); return o.confirm ?? false; },
      openExternal: async (url) => { opened.push(url); return true; },
    };
    let model = modelOf(payment);
    const d = new ActionDispatcher({
      paymentId: payment.payment_id,
      payment: () => payment,
      model: () => model,
      refresh: async (cause, fresh) => { refreshes.push(`${cause}${fresh ? ' fresh' : ''}`); },
      applyResult: (p) => { applied.push(p); },
      post: (m) => posted.push(m),
      ui,
      warn: () => undefined,
      localSandboxOrigin: () => o.localSandbox,
    });
    return { d, commands, posted, opened, asked, clipboard, refreshes, applied, setModel: (m: InspectorModel) => { model = m; } };
  }
  const errors = (posted: ToWebview[]) => posted.filter((m) => m.type === 'error').map((m) => (m as { message: string }).message);

  it('runs a capture as the Capture command, always with the amount the person saw (the whole capturable too, never "all")', async () => {
    const s = setup();
    await s.d.run({ type: 'action', action: 'capture', amount: '20.00' });
    await s.d.run({ type: 'action', action: 'capture', amount: '49.99' });
    await s.d.run({ type: 'action', action: 'capture' });
    assert.deepEqual(s.commands, [
      ['perfectpay.capturePayment', { paymentId: 'pay_actions', amount_to_capture: 2000 }],
      ['perfectpay.capturePayment', { paymentId: 'pay_actions', amount_to_capture: 4999 }],
      ['perfectpay.capturePayment', { paymentId: 'pay_actions', amount_to_capture: 4999 }],
    ]);
    assert.deepEqual(s.refreshes, ['poll fresh', 'poll fresh', 'poll fresh'], 'each action is followed by a read of the timeline');
    assert.deepEqual(s.posted.filter((m) => m.type === 'busy').map((m) => (m as { busy: boolean }).busy), [true, false, true, false, true, false]);
  });

  it("refuses what the Capture command's validation refuses, with its reason, running nothing", async () => {
    const cases: [string, string][] = [
      ['', 'Enter an amount, for example 49.99.'],
      ['50.00', 'That is more than can be captured: at most 49.99 USD.'],
      ['abc', '"abc" is not an amount. Type digits, for example 49.99.'],
      ['0', 'The amount must be greater than zero.'],
      ['1.234', 'USD has 2 decimal places at most.'],
    ];
    for (const [amount, reason] of cases) {
      const s = setup();
      await s.d.run({ type: 'action', action: 'capture', amount });
      assert.deepEqual(errors(s.posted), [reason], amount);
      assert.deepEqual(parseCaptureAmount(amount, 'USD', 4999), { ok: false, reason }, 'the same rule as the command');
      assert.deepEqual(s.commands, [], amount);
    }
  });

  it('refuses a button the current model does not offer (a stale page), and a simulate outcome the status does not allow', async () => {
    const succeeded = { ...base, status: 'succeeded', amount_capturable: 0 } as Payment;
    const s = setup(succeeded);
    for (const action of ['confirm', 'capture', 'cancel'] as const) await s.d.run({ type: 'action', action });
    await s.d.run({ type: 'action', action: 'simulate', outcome: 'succeed' });
    assert.deepEqual(s.commands, []);
    assert.deepEqual(errors(s.posted), [
      'Confirm is not possible now: the payment\'s status is "Succeeded".',
      'Capture is not possible now: the payment\'s status is "Succeeded".',
      'Cancel is not possible now: the payment\'s status is "Succeeded".',
      'Simulating "succeed" is not possible now: the payment\'s status is "Succeeded".',
    ]);
    const waiting = setup({ ...base, status: 'requires_customer_action' } as Payment);
    await waiting.d.run({ type: 'action', action: 'simulate', outcome: 'fail' });
    assert.deepEqual(waiting.commands, [['perfectpay.simulateCustomerAction', { paymentId: 'pay_actions', outcome: 'fail' }]]);
    const hosted = setup({ ...base, status: 'requires_customer_action' } as Payment);
    hosted.setModel(modelOf({ ...base, status: 'requires_customer_action' } as Payment, false));
    await hosted.d.run({ type: 'action', action: 'simulate', outcome: 'succeed' });
    assert.deepEqual(hosted.commands, [], 'simulated on an environment that cannot');
  });

  it('passes a cancellation reason, and applies the answer of an action to the panel', async () => {
    const answer = { ...base, status: 'cancelled' } as Payment;
    const s = setup(base, { result: answer });
    await s.d.run({ type: 'action', action: 'cancel', reason: '  duplicate ' });
    assert.deepEqual(s.commands, [['perfectpay.cancelPayment', { paymentId: 'pay_actions', cancellation_reason: 'duplicate' }]]);
    assert.deepEqual(s.applied, [answer]);
  });

  it('refuses a second action while one runs', async () => {
    let finish!: () => void;
    const s = setup(base, { execute: () => new Promise<undefined>((r) => { finish = () => r(undefined); }) });
    const first = s.d.run({ type: 'action', action: 'capture', amount: '1.00' });
    await s.d.run({ type: 'action', action: 'cancel' });
    assert.ok(s.posted.some((m) => m.type === 'notice' && /Wait for the running action/.test(m.message)));
    assert.equal(s.commands.length, 1);
    finish();
    await first;
  });

  it('opens only a URL the payment offers, http(s) only, and only after the person confirms', async () => {
    const redirect = { ...base, status: 'requires_customer_action', next_action: { type: 'redirect_to_url', redirect_to_url: 'https://acs.bank.example/3ds?x=1' } } as Payment;
    const no = setup(redirect, { confirm: false });
    assert.equal(await no.d.openUrl('https://acs.bank.example/3ds?x=1'), false);
    assert.equal(no.asked.length, 1);
    assert.match(no.asked[0]!, /^Open this HTTPS page in your browser\?\nhttps:\/\/acs\.bank\.example\/3ds\?x=1\n\nHost: acs\.bank\.example\n/);
    assert.deepEqual(no.opened, []);
    const yes = setup(redirect, { confirm: true });
    assert.equal(await yes.d.openUrl('https://acs.bank.example/3ds?x=1'), true);
    assert.deepEqual(yes.opened, ['https://acs.bank.example/3ds?x=1']);
    assert.equal(await yes.d.openUrl('https://evil.example/'), false, 'not offered');
    assert.deepEqual(yes.opened, ['https://acs.bank.example/3ds?x=1']);
    const js = setup({ ...redirect, next_action: { type: 'redirect_to_url', redirect_to_url: 'javascript:alert(1)' } } as Payment, { confirm: true });
    assert.equal(await js.d.openUrl('javascript:alert(1)'), false);
    assert.deepEqual(js.asked, []);
  });

  it('warns of plain http, but not for the local sandbox\'s own loopback pages (issue 23)', async () => {
    const at = (url: string) => ({ ...base, status: 'requires_customer_action', next_action: { type: 'redirect_to_url', redirect_to_url: url } } as Payment);
    const local = 'http://127.0.0.1:4242';
    const own = setup(at(`${local}/sandbox/payments/pay_x/3ds`), { confirm: true, localSandbox: local });
    assert.equal(await own.d.openUrl(`${local}/sandbox/payments/pay_x/3ds`), true);
    assert.match(own.asked[0]!, /^Open this page of the local sandbox in your browser\?\nhttp:\/\/127\.0\.0\.1:4242\/sandbox\/payments\/pay_x\/3ds\n/);
    assert.doesNotMatch(own.asked[0]!, /HTTP|unencrypted/);
    for (const [url, sandbox] of [
      ['http://shop.example/3ds', local], // another host
      ['http://127.0.0.1:4243/3ds', local], // loopback, but not the sandbox's port
      [`${local}/sandbox/payments/pay_x/3ds`, undefined], // the environment is not the local sandbox
    ] as const) {
      const s = setup(at(url), { confirm: false, localSandbox: sandbox });
      assert.equal(await s.d.openUrl(url), false);
      assert.match(s.asked[0]!, /^Open this HTTP page in your browser\?\n/, url);
      assert.match(s.asked[0]!, /Plain HTTP: the page, and what you enter on it, travel unencrypted\.$/, url);
    }
    const https = setup(at('https://acs.bank.example/3ds'), { confirm: false, localSandbox: local });
    await https.d.openUrl('https://acs.bank.example/3ds');
    assert.doesNotMatch(https.asked[0]!, /unencrypted/);
  });

  it('copies what the webview asks, and sends the client secret only when asked', async () => {
    const s = setup();
    await s.d.copy({ type: 'copy', text: 'pi_3Nabc', what: 'connector transaction ID' });
    assert.deepEqual(s.clipboard, ['pi_3Nabc']);
    assert.ok(s.posted.some((m) => m.type === 'notice' && m.message === 'Copied connector transaction ID.'));
    assert.ok(!s.posted.some((m) => m.type === 'secret'));
    s.d.revealSecret();
    assert.deepEqual(s.posted.at(-1), { type: 'secret', paymentId: 'pay_actions', value: 'pay_actions_secret_abc' });
  });
});

describe('message router', () => {
  it('routes each valid message to the handler of its type, and drops the rest (described by type only)', async () => {
    const seen: string[] = [];
    const dropped: string[] = [];
    const handler = (name: string) => (m: { type: string }) => { seen.push(`${name}:${m.type}`); };
    const route = createRouter({
      ready: handler('ready'), painted: handler('painted'), action: handler('action'), openUrl: handler('openUrl'),
      copy: handler('copy'), revealSecret: handler('revealSecret'), toolkit: handler('toolkit'), log: handler('log'),
      keep: handler('keep'),
    }, (description) => dropped.push(description));
    await route({ type: 'ready' });
    await route({ type: 'toolkit' });
    await route({ type: 'toolkit', code: 'alert(1)' });
    await route({ type: 'action', action: 'refresh' });
    await route({ type: 'copy', text: 'x' });
    await route({ type: 'keep' });
    await route({ type: 'action', action: 'rm -rf' });
    await route({ type: 'secret-please', secret: 'do not log me' });
    await route(null);
    assert.deepEqual(seen, ['ready:ready', 'toolkit:toolkit', 'action:action', 'copy:copy', 'keep:keep']);
    // A webview cannot hand code back: the request is strict.
    assert.deepEqual(dropped, ['type "toolkit"', 'type "action"', 'type "secret-please"', 'a null value']);
  });
});

describe('jsonRows (the metadata tree)', () => {
  it('lists a nested value in document order, containers with their size', () => {
    const rows = jsonRows({ a: 1, b: { c: [true, null, 'x'] }, d: {}, e: [] });
    assert.deepEqual(rows.map((r) => [r.depth, r.key, r.inArray, r.kind, r.text, r.size]), [
      [0, 'a', false, 'number', '1', null],
      [0, 'b', false, 'object', null, 1],
      [1, 'c', false, 'array', null, 3],
      [2, '0', true, 'boolean', 'true', null],
      [2, '1', true, 'null', 'null', null],
      [2, '2', true, 'string', 'x', null],
      [0, 'd', false, 'object', null, 0],
      [0, 'e', false, 'array', null, 0],
    ]);
  });

  it('redacts sensitive names and card numbers, and keeps hostile keys and values as text', () => {
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "cvv": "123", "nested": {"client_secret": "pay_x_secret_y", "card_number": "4242424242424242"}, "note": "paid with 4242 4242 4242 4242", "<img src=x>": "[x](command:y)"}');
    const rows = jsonRows(value);
    assert.deepEqual(rows.map((r) => [r.key, r.text]), [
      ['__proto__', null], ['polluted', '1'],
      ['cvv', '[redacted]'],
      ['nested', null], ['client_secret', '[redacted]'], ['card_number', '•••• 4242'],
      ['note', 'paid with •••• 4242'],
      ['<img src=x>', '[x](command:y)'],
    ]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('stops at its limits with a row that says so', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 30; i++) deep = { d: deep };
    const rows = jsonRows(deep, { maxRows: 500, maxDepth: 5, maxText: 10 });
    assert.equal(rows.at(-1)!.kind, 'more');
    assert.ok(rows.every((r) => r.depth <= 5));
    const wide = jsonRows(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i])), { maxRows: 10, maxDepth: 5, maxText: 10 });
    assert.equal(wide.length, 10);
    assert.equal(wide.at(-1)!.kind, 'more');
    assert.equal(jsonRows({ s: 'x'.repeat(20) }, { maxRows: 10, maxDepth: 5, maxText: 10 })[0]!.text, `${'x'.repeat(10)}… (10 more characters)`);
  });
});
