/**
 * Confirming as the browser does (issue 9, point 10): the publishable key in `api-key` and the
 * payment's client_secret in the body, over real HTTP against the local sandbox; and the copies of
 * that confirm, which read both from $PERFECTPAY_PUBLISHABLE_KEY and $PERFECTPAY_CLIENT_SECRET and
 * run as written.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError, InvalidRequestError, PerfectPayClient, type RequestEvent } from '../../../src/api';
import { startSandbox } from '../../../src/sandbox';

const KEY = 'sk_test_publishable_suite_0123456789';
const PUBLISHABLE = 'pk_snd_publishable_suite_abcdef0123';
type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const BANK = { payment_method: 'bank_transfer', payment_method_type: 'ach' } as const;
const CARD = {
  payment_method: 'card',
  payment_method_type: 'credit',
  payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123', card_holder_name: 'Jane Doe' } },
} as const;

function run(cmd: string, text: string, ext: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-pk-'));
  const file = path.join(dir, `snippet${ext}`);
  fs.writeFileSync(file, text);
  return new Promise((resolve) => {
    execFile(cmd, [file], { encoding: 'utf8', env, timeout: 20_000 }, (error, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('confirm with the publishable key and client_secret', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  let client: PerfectPayClient;
  const events: RequestEvent[] = [];

  before(async () => {
    sandbox = await startSandbox({ port: 0, apiKey: KEY, publishableKey: PUBLISHABLE, expiryMs: 60_000 });
    client = new PerfectPayClient({ baseUrl: sandbox.url, apiKey: KEY, onEvent: (e) => events.push(e) });
  });
  after(async () => {
    await client.close();
    await sandbox.close();
  });

  it('confirms with a card; the request log holds neither key nor the client_secret', async () => {
    const p = await client.createPayment({ amount: 1234, currency: 'USD' });
    assert.ok(p.client_secret);
    events.length = 0;
    const done = await client.confirmPayment(p.payment_id, { ...CARD, client_secret: p.client_secret! }, { publishableKey: PUBLISHABLE });
    assert.equal(done.status, 'succeeded');
    assert.equal(events.length, 1);
    const logged = JSON.stringify(events);
    assert.ok(!logged.includes(PUBLISHABLE), 'the publishable key is in the request log');
    assert.ok(!logged.includes(KEY), 'the secret key is in the request log');
    assert.ok(!logged.includes(p.client_secret!.split('_secret_')[1]!), 'the client_secret is in the request log');
    assert.ok(!logged.includes('4242424242424242'), 'the card number is in the request log');
    assert.match(events[0]!.curl, /api-key: \$PERFECTPAY_PUBLISHABLE_KEY/);
    assert.match(events[0]!.curl, /"client_secret": "'"\$PERFECTPAY_CLIENT_SECRET"'"/);
  });

  it('a wrong client_secret is refused with IR_09, and nothing is confirmed', async () => {
    const p = await client.createPayment({ amount: 1500, currency: 'EUR' });
    const wrong = `${p.payment_id}_secret_notTheRightOne0000`;
    await assert.rejects(client.confirmPayment(p.payment_id, { ...BANK, client_secret: wrong }, { publishableKey: PUBLISHABLE }), (e: unknown) => {
      assert.ok(e instanceof ApiError, String(e));
      assert.equal(e.code, 'IR_09');
      return true;
    });
    assert.equal((await client.retrievePayment(p.payment_id)).status, 'requires_payment_method');
  });

  it('without a client_secret or a publishable key nothing is sent', async () => {
    const p = await client.createPayment({ amount: 1500, currency: 'EUR' });
    events.length = 0;
    await assert.rejects(client.confirmPayment(p.payment_id, { ...BANK, client_secret: '' }, { publishableKey: PUBLISHABLE }), InvalidRequestError);
    await assert.rejects(client.confirmPayment(p.payment_id, { ...BANK, client_secret: p.client_secret! }, { publishableKey: ' ' }), InvalidRequestError);
    assert.equal(events.length, 0);
  });

  it('the copies read the publishable key and client_secret from the environment; Node runs as written', async () => {
    const p = await client.createPayment({ amount: 2200, currency: 'USD' });
    const secretPart = p.client_secret!.split('_secret_')[1]!;
    const body = { ...BANK, client_secret: p.client_secret };
    for (const lang of ['curl', 'node', 'python', 'httpie'] as const) {
      const code = client.codeFor(lang, 'POST', `/payments/${p.payment_id}/confirm`, body, undefined, 'publishable');
      assert.ok(code.includes('PERFECTPAY_PUBLISHABLE_KEY'), `${lang}: no PERFECTPAY_PUBLISHABLE_KEY`);
      assert.ok(code.includes('PERFECTPAY_CLIENT_SECRET'), `${lang}: no PERFECTPAY_CLIENT_SECRET`);
      assert.ok(!code.includes('PERFECTPAY_API_KEY'), `${lang}: the secret key's variable`);
      assert.ok(!code.includes(secretPart), `${lang}: the client_secret's value`);
      assert.ok(!code.includes(PUBLISHABLE) && !code.includes(KEY), `${lang}: a key`);
    }
    const node = client.codeFor('node', 'POST', `/payments/${p.payment_id}/confirm`, body, undefined, 'publishable');
    const env: NodeJS.ProcessEnv = { ...process.env, PERFECTPAY_PUBLISHABLE_KEY: PUBLISHABLE, PERFECTPAY_CLIENT_SECRET: p.client_secret! };
    delete env.PERFECTPAY_API_KEY;
    const r = await run(process.execPath, node, '.mjs', env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^200 /);
    assert.notEqual((await client.retrievePayment(p.payment_id)).status, 'requires_payment_method');
  });

  it('Python: runs as written (when python3 has requests)', async function () {
    if (spawnSync('python3', ['-c', 'import requests']).status !== 0) this.skip();
    const p = await client.createPayment({ amount: 2300, currency: 'USD' });
    const code = client.codeFor('python', 'POST', `/payments/${p.payment_id}/confirm`, { ...BANK, client_secret: '' }, undefined, 'publishable');
    const r = await run('python3', code, '.py', { ...process.env, PERFECTPAY_PUBLISHABLE_KEY: PUBLISHABLE, PERFECTPAY_CLIENT_SECRET: p.client_secret! });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^200 /);
  });

  it('cURL and HTTPie: the shell puts the variables into the header and the JSON body', () => {
    for (const lang of ['curl', 'httpie'] as const) {
      const code = client.codeFor(lang, 'POST', '/payments/pay_abc/confirm', { ...BANK, client_secret: 'x' }, undefined, 'publishable');
      const script = `http() { printf '%s\\0' "$@"; }\ncurl() { printf '%s\\0' "$@"; }\n${code}\n`;
      const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, PERFECTPAY_PUBLISHABLE_KEY: 'pk-from-env', PERFECTPAY_CLIENT_SECRET: 'pay_abc_secret_fromEnv' } });
      assert.equal(r.status, 0, r.stderr);
      const args = r.stdout.split('\0').slice(0, -1);
      assert.ok(args.includes(lang === 'httpie' ? 'api-key:pk-from-env' : 'api-key: pk-from-env'), `${lang}: ${args.join(' | ')}`);
      const sent = JSON.parse(args[args.indexOf(lang === 'httpie' ? '--raw' : '-d') + 1]!);
      assert.deepEqual(sent, { ...BANK, client_secret: 'pay_abc_secret_fromEnv' });
    }
  });
});
