/**
 * Snapshot and restore: payments in many states survive snapshot → close → start with `restore`
 * on another port, over real HTTP: the same fields, the same list order, actions that still work,
 * next_action URLs (and the pix QR image) on the new origin; a bad snapshot falls back to the seed.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { startSandbox, type SandboxSnapshot } from '../../../src/sandbox';
import { card, create, KEY, ok, start, waitFor, type TestSandbox } from './helpers';

function decodeQr(dataUrl: string): string | undefined {
  const m = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  assert.ok(m, 'not a PNG data URL');
  const png = PNG.sync.read(Buffer.from(m[1]!, 'base64'));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
}

const decode64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** A payment answer with the old origin written as the new one, QR images and 3DS method data made comparable. */
function normalise(value: unknown, from: string, to: string): unknown {
  const text = JSON.stringify(value).split(from).join(to);
  return JSON.parse(text, (k, v) => {
    if (k === 'image_data_url') return 'IMAGE';
    if (k === 'three_ds_method_data') return JSON.parse(decode64(v as string).split(from).join(to));
    return v;
  });
}

/** Holds a port so that the next sandbox cannot get it. */
function holdPort(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

describe('sandbox snapshot and restore', function () {
  this.timeout(30_000);
  // One sandbox `a`, made into a snapshot and closed before the tests (it is only read); each test restores
  // its own `b` from that snapshot, on a clock set back to the snapshot's time.
  let a: TestSandbox;
  let b: TestSandbox | undefined;
  const takenAt = Date.now();
  const clock = { now: takenAt };
  const ids: Record<string, string> = {};
  let snapshot: SandboxSnapshot;
  const seen: Record<string, any> = {};
  let listBefore: string[] = [];
  let changes = 0;

  const full = (t: TestSandbox, id: string) => t.get(`/payments/${id}?expand_attempts=true&expand_captures=true`);

  /** A sandbox restored from the snapshot on another port than `a`'s (held meanwhile). */
  async function restore(): Promise<TestSandbox> {
    const held = await holdPort(a.sandbox.port);
    try {
      b = await start({ seed: 3, now: () => clock.now, processingDelayMs: 60_000, expiryMs: 3_600_000, restore: JSON.parse(JSON.stringify(snapshot)) });
    } finally {
      held.close();
    }
    return b;
  }

  before(async () => {
    a = await start({ seed: 3, now: () => clock.now, onChange: () => changes++, processingDelayMs: 60_000, expiryMs: 3_600_000 });
    const partialManual = await create(a, { capture_method: 'manual', confirm: true, ...card('4242424242424242'), customer_id: 'cus_snap', metadata: { order_id: '7' } });
    ok(await a.post(`/payments/${partialManual.payment_id}/capture`, { amount_to_capture: 1000 }));
    ids.partialManual = partialManual.payment_id;
    const partialMulti = await create(a, { capture_method: 'manual_multiple', confirm: true, ...card('5555555555554444') });
    ok(await a.post(`/payments/${partialMulti.payment_id}/capture`, { amount_to_capture: 1999 }));
    ids.partialMulti = partialMulti.payment_id;
    ids.redirect = (await create(a, { confirm: true, ...card('4000000000003220') })).payment_id;
    ids.invoke = (await create(a, { confirm: true, request_external_three_ds_authentication: true, ...card('4000000000003063') })).payment_id;
    ids.pix = (await create(a, { amount: 1500, currency: 'BRL', confirm: true, payment_method: 'bank_transfer', payment_method_type: 'pix' })).payment_id;
    const toCancel = await create(a, { description: 'cancel me' });
    ok(await a.post(`/payments/${toCancel.payment_id}/cancel`, { cancellation_reason: 'duplicate' }));
    ids.cancelled = toCancel.payment_id;
    ids.processing = (await create(a, { confirm: true, ...card('4000000000000259') })).payment_id;
    for (const [name, id] of Object.entries(ids)) seen[name] = ok(await full(a, id));
    assert.equal(seen.partialManual.status, 'partially_captured');
    assert.equal(seen.partialMulti.status, 'partially_captured_and_capturable');
    assert.equal(seen.redirect.next_action.type, 'redirect_to_url');
    assert.equal(seen.invoke.next_action.type, 'three_ds_invoke');
    assert.equal(seen.pix.next_action.type, 'qr_code_information');
    assert.equal(seen.cancelled.status, 'cancelled');
    assert.equal(seen.processing.status, 'processing');
    listBefore = ok(await a.get('/payments/list?limit=100')).data.map((p: any) => p.payment_id);
    assert.equal(listBefore.length, 10);

    snapshot = a.sandbox.snapshot();
    await a.close();
  });

  beforeEach(() => {
    clock.now = takenAt;
  });

  afterEach(async () => {
    await b?.close();
    b = undefined;
  });

  it('announces changes through onChange (not for the seed): at least once for the 7 payments made, not per field', async () => {
    // onChange runs once per burst of synchronous changes, after it: wait for the calls, not for a tick.
    await waitFor(() => changes >= 7, 'onChange ran for the changes made before the snapshot');
    assert.ok(changes < 40, `onChange ran ${changes} times`);
  });

  it('is versioned JSON that survives JSON.parse(JSON.stringify()) and holds no card number or CVC', () => {
    assert.equal(snapshot.format, 'perfectpay-sandbox-snapshot');
    assert.equal(snapshot.version, 1);
    assert.equal(snapshot.origin, a.url);
    assert.equal(snapshot.payments.length, 10);
    const text = JSON.stringify(snapshot);
    assert.deepEqual(JSON.parse(text), snapshot);
    for (const secret of ['4242424242424242', '5555555555554444', '4000000000003220']) {
      assert.ok(!text.includes(secret), `the snapshot holds ${secret}`);
    }
    // The CVC (737) as a value or under any CVC name; as digits inside a time or an id it proves nothing.
    assert.ok(!text.includes('"737"') && !/"(card_)?(cvc|cvv)"/i.test(text), 'the snapshot holds a CVC');
    const p = snapshot.payments.find((x) => x.payment_id === ids.partialManual)!;
    assert.deepEqual(Object.keys(p.card!).sort(), ['card_exp_month', 'card_exp_year', 'card_holder_name', 'card_isin', 'card_network', 'card_type', 'last4']);
  });

  it('restores on another port: the same payments, fields and list order, URLs on the new origin', async () => {
    const b = await restore();
    assert.notEqual(b.url, a.url);
    assert.equal(b.sandbox.startedFrom, 'snapshot');
    assert.equal(b.sandbox.restoreProblem, undefined);
    assert.equal(b.sandbox.paymentCount(), 10);
    const listAfter = ok(await b.get('/payments/list?limit=100')).data.map((p: any) => p.payment_id);
    assert.deepEqual(listAfter, listBefore);
    for (const [name, id] of Object.entries(ids)) {
      const now = ok(await full(b, id));
      assert.deepEqual(normalise(now, a.url, b.url), normalise(seen[name], a.url, b.url), name);
      assert.ok(!JSON.stringify(now).includes(a.url), `${name} still points at ${a.url}`);
    }
    const redirect = ok(await b.get(`/payments/${ids.redirect}`));
    assert.equal(redirect.next_action.redirect_to_url, `${b.url}/sandbox/payments/${ids.redirect}/3ds`);
    const page = await fetch(redirect.next_action.redirect_to_url);
    assert.equal(page.status, 200);
    const invoke = ok(await b.get(`/payments/${ids.invoke}`)).next_action.three_ds_data;
    assert.ok(invoke.three_ds_authentication_url.startsWith(`${b.url}/`));
    assert.equal(
      JSON.parse(decode64(invoke.three_ds_method_details.three_ds_method_data)).threeDSMethodNotificationURL,
      `${b.url}/sandbox/payments/${ids.invoke}/3ds/method/notify`,
    );
  });

  it('draws the pix QR again: a real PNG that decodes to the new qr_code_url', async () => {
    const b = await restore();
    const na = ok(await b.get(`/payments/${ids.pix}`)).next_action;
    assert.equal(na.qr_code_url, `${b.url}/sandbox/payments/${ids.pix}/qr`);
    assert.equal(decodeQr(na.image_data_url), na.qr_code_url);
    assert.equal(decodeQr(seen.pix.next_action.image_data_url), seen.pix.next_action.qr_code_url);
  });

  it('keeps the actions working: capture the rest, simulate, settle, create after', async () => {
    const t = await restore();
    const rest = ok(await t.post(`/payments/${ids.partialMulti}/capture`, { amount_to_capture: 4999 - 1999 }));
    assert.equal(rest.status, 'succeeded');
    assert.equal(rest.amount_received, rest.amount);
    const multi = ok(await full(t, ids.partialMulti));
    assert.equal(multi.captures.length, 2);
    assert.equal(ok(await t.post(`/sandbox/payments/${ids.redirect}/simulate`, { outcome: 'succeed' })).status, 'succeeded');
    assert.equal(ok(await t.post(`/sandbox/payments/${ids.pix}/simulate`, { outcome: 'fail' })).status, 'failed');
    // The processing payment settles at its stored time, lazily.
    assert.equal(ok(await t.get(`/payments/${ids.processing}`)).status, 'processing');
    clock.now += 61_000;
    assert.equal(ok(await t.get(`/payments/${ids.processing}`)).status, 'succeeded');
    // A new payment goes to the top of the list, after the restored ones.
    const fresh = await create(t, { description: 'after restore' });
    const list = ok(await t.get('/payments/list?limit=100')).data.map((p: any) => p.payment_id);
    assert.deepEqual(list, [fresh.payment_id, ...listBefore]);
    assert.equal(t.sandbox.snapshot().payments.length, 11);
  });

  it('ignores a bad or wrong-version snapshot and starts from the seed (logged, no crash)', async () => {
    const seeded = await startSandbox({ apiKey: KEY, seed: 5, now: () => clock.now });
    const seedIds = seeded.paymentIds();
    await seeded.close();
    const wrongVersion = { ...JSON.parse(JSON.stringify(snapshot)), version: 2 };
    const broken = JSON.parse(JSON.stringify(snapshot));
    broken.payments[0].amount = 'lots';
    const twice = JSON.parse(JSON.stringify(snapshot));
    twice.payments.push(twice.payments[0]);
    for (const [name, bad] of Object.entries({ wrongVersion, broken, twice, nothing: null, text: 'nope', empty: {} })) {
      const logs: string[] = [];
      const s = await startSandbox({ apiKey: KEY, seed: 5, now: () => clock.now, restore: bad as SandboxSnapshot, log: (l) => logs.push(l) });
      try {
        assert.equal(s.startedFrom, 'seed', name);
        assert.ok(s.restoreProblem, name);
        assert.deepEqual(s.paymentIds(), seedIds, name);
        assert.ok(logs.some((l) => /snapshot ignored/.test(l)), name);
      } finally {
        await s.close();
      }
    }
    assert.match(
      (await (async () => {
        const s = await startSandbox({ apiKey: KEY, restore: wrongVersion as SandboxSnapshot });
        await s.close();
        return s.restoreProblem ?? '';
      })()),
      /version 2/,
    );
  });

  it('keeps cards masked even when a snapshot file carries more', async () => {
    const tampered = JSON.parse(JSON.stringify(snapshot));
    const p = tampered.payments.find((x: any) => x.payment_id === ids.partialManual);
    p.card.card_number = '4242424242424242';
    p.card.card_cvc = '123';
    const s = await startSandbox({ apiKey: KEY, restore: tampered, now: () => clock.now });
    try {
      assert.equal(s.startedFrom, 'snapshot');
      const text = JSON.stringify(s.snapshot());
      assert.ok(!text.includes('4242424242424242') && !text.includes('card_cvc'));
      const res = await fetch(`${s.url}/payments/${ids.partialManual}`, { headers: { 'api-key': KEY } });
      const body = await res.text();
      assert.ok(!body.includes('4242424242424242'));
      assert.equal(JSON.parse(body).payment_method_data.card.last4, '4242');
    } finally {
      await s.close();
    }
  });

  it('restores a snapshot written before the fields it now keeps (same version): they answer null', async () => {
    const old = JSON.parse(JSON.stringify(snapshot));
    for (const p of old.payments) {
      for (const k of ['echoed', 'method_billing', 'connector_transaction_id', 'external_3ds']) delete p[k];
      if (p.card) {
        delete p.card.card_type;
        delete p.card.card_isin;
      }
      for (const c of p.captures) delete c.connector_capture_id;
    }
    const s = await startSandbox({ apiKey: KEY, restore: old, now: () => clock.now });
    try {
      assert.equal(s.startedFrom, 'snapshot', s.restoreProblem);
      const res = await fetch(`${s.url}/payments/${ids.partialManual}?expand_captures=true`, { headers: { 'api-key': KEY } });
      const p = (await res.json()) as any;
      assert.equal(p.status, 'partially_captured');
      assert.equal(p.connector_transaction_id, null);
      assert.equal(p.billing, null);
      assert.equal(p.payment_method_data.card.card_type, 'credit', 'from the payment_method_type');
      assert.equal(p.payment_method_data.card.card_isin, null);
      assert.equal(p.captures[0].connector_capture_id, null);
      assert.equal(p.profile_id, 'pro_local_sandbox');
    } finally {
      await s.close();
    }
  });

  it('masks card numbers in free text that a snapshot file carries, and keeps only the fields it answers', async () => {
    const tampered = JSON.parse(JSON.stringify(snapshot));
    const p = tampered.payments.find((x: any) => x.payment_id === ids.cancelled);
    p.description = 'paid with 4242424242424242';
    p.metadata = { pan: '5555 5555 5555 4444' };
    p.cancellation_reason = 'dup 4111111111111111';
    p.echoed = { email: 'a@example.com', billing: { address: { line1: '6011111111111117' } }, not_a_field: 'x' };
    const s = await startSandbox({ apiKey: KEY, restore: tampered, now: () => clock.now });
    try {
      assert.equal(s.startedFrom, 'snapshot', s.restoreProblem);
      const text = JSON.stringify(s.snapshot());
      for (const n of ['4242424242424242', '5555 5555 5555 4444', '4111111111111111', '6011111111111117', 'not_a_field']) {
        assert.ok(!text.includes(n), `${n} kept`);
      }
      const got = (await (await fetch(`${s.url}/payments/${ids.cancelled}`, { headers: { 'api-key': KEY } })).json()) as any;
      assert.equal(got.description, 'paid with •••• 4242');
      assert.deepEqual(got.metadata, { pan: '•••• 4444' });
      assert.equal(got.cancellation_reason, 'dup •••• 1111');
      assert.equal(got.email, 'a@example.com');
      assert.equal(got.billing.address.line1, '•••• 1117');
    } finally {
      await s.close();
    }
  });
});
