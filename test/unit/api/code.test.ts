/**
 * Copy as code (src/api/code.ts): Node fetch, Python requests and HTTPie, each reading the key from
 * $PERFECTPAY_API_KEY and never holding it, with the body redacted. The Node code (and the Python
 * code, when python3 with `requests` is here) is RUN against the local sandbox over real HTTP; the
 * shell copies are run by bash with `http`/`curl` replaced by a function that prints its arguments,
 * which proves their quoting.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_KEY_ENV_VAR, CODE_LANGUAGES, toCode, type CopyFormat, type Payment } from '../../../src/api';
import { useLocalApi } from '../helpers';

const KEY = 'sk_test_code_suite_0123456789abcdef';

const hostileBody = {
  description: `Jane's "order" \\ $HOME \`id\` ${'\u2028'}é`,
  payment_method: 'card',
  payment_method_type: 'credit',
  payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123', card_holder_name: 'Jane Doe' } },
  client_secret: 'pay_mbabizu24mvu3mela5njyhpit4_secret_ZqgE3d2x8a2vnwUf3mfg',
  metadata: { ok: true, none: null, n: 1.5, list: [1, 'two'] },
};

/**
 * Runs a snippet from a file, asynchronously: the sandbox answering it lives in this process, so
 * this process must not block while the child waits for it.
 */
function run(cmd: string, input: { text: string; ext: string }, env: NodeJS.ProcessEnv = { ...process.env }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfectpay-code-'));
  const file = path.join(dir, `snippet${input.ext}`);
  fs.writeFileSync(file, input.text);
  return new Promise((resolve) => {
    execFile(cmd, [file], { encoding: 'utf8', env, timeout: 20_000 }, (error, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

function hasPythonRequests(): boolean {
  const r = spawnSync('python3', ['-c', 'import requests'], { encoding: 'utf8' });
  return r.status === 0;
}

describe('copy as code', function () {
  this.timeout(30_000);
  const local = useLocalApi(KEY, { expiryMs: 60_000 });

  it('every language reads the key from the environment variable and never holds it; the body is redacted', () => {
    for (const lang of [...CODE_LANGUAGES, 'curl'] as CopyFormat[]) {
      const code = local.client.codeFor(lang, 'POST', '/payments/pay_mbabizu24mvu3mela5njyhpit4/confirm', hostileBody);
      assert.ok(code.includes(API_KEY_ENV_VAR), `${lang}: no $${API_KEY_ENV_VAR}`);
      assert.ok(!code.includes(KEY), `${lang}: the key is in the copy`);
      assert.ok(!code.includes('4242424242424242'), `${lang}: the card number`);
      assert.ok(code.includes('•••• 4242'), `${lang}: the card's last four`);
      assert.ok(!code.includes('ZqgE3d2x8a2vnwUf3mfg'), `${lang}: the client secret`);
      assert.ok(!/"card_cvc": "123"/.test(code), `${lang}: the CVC`);
    }
    assert.match(local.client.codeFor('node', 'GET', '/payments/pay_mbabizu24mvu3mela5njyhpit4'), /'api-key': process\.env\.PERFECTPAY_API_KEY/);
    assert.match(local.client.codeFor('python', 'GET', '/payments/pay_mbabizu24mvu3mela5njyhpit4'), /"api-key": os\.environ\["PERFECTPAY_API_KEY"\]/);
    assert.match(local.client.codeFor('httpie', 'GET', '/payments/pay_mbabizu24mvu3mela5njyhpit4'), /"api-key:\$PERFECTPAY_API_KEY"/);
  });

  it('Node (fetch): runs as written against the local sandbox', async () => {
    const p = await local.client.createPayment({ amount: 4999, currency: 'USD', capture_method: 'manual', confirm: true, ...cardFields() });
    assert.equal(p.status, 'requires_capture');
    const code = local.client.codeFor('node', 'POST', `/payments/${p.payment_id}/capture`, { amount_to_capture: 1000 });
    const r = await run(process.execPath, { text: code, ext: '.mjs' }, { ...process.env, [API_KEY_ENV_VAR]: KEY });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^200 /);
    assert.match(r.stdout, /partially_captured/);
    const after: Payment = await local.client.retrievePayment(p.payment_id);
    assert.equal(after.status, 'partially_captured');
    // Without the variable the server refuses it: the key really comes from the environment.
    const get = local.client.codeFor('node', 'GET', `/payments/${p.payment_id}`);
    const env = { ...process.env };
    delete env[API_KEY_ENV_VAR];
    const refused = await run(process.execPath, { text: get, ext: '.mjs' }, env);
    assert.match(refused.stdout, /^401 /);
  });

  it('Node (fetch): a hostile body is a valid literal, sent as it is shown', async () => {
    const code = toCode('node', { method: 'POST', url: `${local.sandbox.url}/payments`, body: { amount: 100, currency: 'USD', description: hostileBody.description, metadata: { order: "it's 1001", emoji: '✓ "ok"' } } });
    const r = await run(process.execPath, { text: code, ext: '.mjs' }, { ...process.env, [API_KEY_ENV_VAR]: KEY });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^200 /);
    const newest = (await local.client.listPayments({ limit: 1 })).data[0];
    assert.equal(newest?.description, hostileBody.description, 'the description did not arrive as written');
    assert.deepEqual(newest?.metadata, { order: "it's 1001", emoji: '✓ "ok"' });
  });

  it('Python (requests): runs as written against the local sandbox', async function () {
    if (!hasPythonRequests()) this.skip();
    const p = await local.client.createPayment({ amount: 2500, currency: 'EUR', metadata: { order: 'py' } });
    const code = local.client.codeFor('python', 'POST', `/payments/${p.payment_id}/cancel`, { cancellation_reason: "customer's request" });
    const r = await run('python3', { text: code, ext: '.py' }, { ...process.env, [API_KEY_ENV_VAR]: KEY });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^200 /);
    assert.equal((await local.client.retrievePayment(p.payment_id)).status, 'cancelled');
    // A body with every JSON type is a valid Python literal.
    const literal = toCode('python', { method: 'POST', url: 'http://127.0.0.1:1/x', body: hostileBody });
    const check = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: literal, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });

  it('HTTPie and cURL: the shell passes the URL, header and body exactly', () => {
    for (const lang of ['httpie', 'curl'] as const) {
      const code = toCode(lang, { method: 'POST', url: `${local.sandbox.url}/payments/pay_mbabizu24mvu3mela5njyhpit4/capture?x='y'`, body: { description: hostileBody.description } });
      const script = `http() { printf '%s\\0' "$@"; }\ncurl() { printf '%s\\0' "$@"; }\n${code}\n`;
      const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, [API_KEY_ENV_VAR]: 'from-env' } });
      assert.equal(r.status, 0, r.stderr);
      const args = r.stdout.split('\0').slice(0, -1);
      assert.ok(args.includes(`${local.sandbox.url}/payments/pay_mbabizu24mvu3mela5njyhpit4/capture?x='y'`), `${lang}: ${args.join(' | ')}`);
      assert.ok(args.includes(lang === 'httpie' ? 'api-key:from-env' : 'api-key: from-env'), `${lang}: ${args.join(' | ')}`);
      const body = args[args.indexOf(lang === 'httpie' ? '--raw' : '-d') + 1]!;
      assert.deepEqual(JSON.parse(body), { description: hostileBody.description });
    }
  });
});

function cardFields() {
  return {
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123', card_holder_name: 'Jane Doe' } },
  } as const;
}
