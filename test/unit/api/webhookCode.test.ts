/**
 * The webhook verification code that "Copy Webhook Verification Code" copies, run for real: Node's
 * (and Python's, when python3 is on the machine) against a delivery the sandbox made, and against
 * the same delivery with a forged signature or a changed body.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WEBHOOK_SECRET_VARIABLE, webhookVerificationCode } from '../../../src/api/webhookCode';
import { card, start, waitFor, type TestSandbox } from '../sandbox/helpers';
import { startReceiver, type Delivery, type Receiver } from '../sandbox/receiver';

const SECRET = 'whsec_code_test_secret_value';

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('webhook verification code (Node and Python) against a real delivery', function () {
  this.timeout(20_000);
  let receiver: Receiver;
  let t: TestSandbox;
  let delivery: Delivery;
  let dir: string;

  before(async () => {
    receiver = await startReceiver();
    t = await start({ webhooks: { url: receiver.url, secret: SECRET } });
    await t.post('/payments', { amount: 700, currency: 'USD', confirm: true, ...card('4242424242424242') });
    await waitFor(() => receiver.deliveries.length === 1, 'a delivery');
    delivery = receiver.deliveries[0]!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-whcode-'));
    fs.writeFileSync(path.join(dir, 'body.bin'), delivery.raw);
  });
  after(async () => {
    await t.close();
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const signature = () => String(delivery.headers['x-webhook-signature-512']);
  const forged = () => signature().replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));

  it('never holds the secret; reads it from the environment', () => {
    for (const lang of ['node', 'python'] as const) {
      const code = webhookVerificationCode(lang);
      assert.ok(code.includes(WEBHOOK_SECRET_VARIABLE));
      assert.ok(!code.includes(SECRET));
    }
  });

  it('Node: verifies the delivery, refuses a forged signature and a changed body', () => {
    const file = path.join(dir, 'verify.js');
    fs.writeFileSync(file, webhookVerificationCode('node') + `
const fs = require('node:fs');
const body = fs.readFileSync(process.argv[2]);
const tampered = Buffer.from(body.toString('utf8').replace('"amount":700', '"amount":1'));
const ok = verifyPerfectPayWebhook(body, process.argv[3]);
process.stdout.write(JSON.stringify({
  ok: ok && ok.event_type,
  forged: verifyPerfectPayWebhook(body, process.argv[4]),
  tampered: verifyPerfectPayWebhook(tampered, process.argv[3]),
}));
`);
    const r = spawnSync(process.execPath, [file, path.join(dir, 'body.bin'), signature(), forged()], { env: { ...process.env, [WEBHOOK_SECRET_VARIABLE]: SECRET }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ok: 'payment_succeeded', forged: null, tampered: null });
  });

  it('Python: verifies the delivery, refuses a forged signature and a changed body', function () {
    if (!hasPython) this.skip();
    const file = path.join(dir, 'verify.py');
    fs.writeFileSync(file, webhookVerificationCode('python') + `
import sys
body = open(sys.argv[1], "rb").read()
tampered = body.replace(b'"amount":700', b'"amount":1')
ok = verify_perfectpay_webhook(body, sys.argv[2])
print(json.dumps({"ok": ok and ok["event_type"], "forged": verify_perfectpay_webhook(body, sys.argv[3]), "tampered": verify_perfectpay_webhook(tampered, sys.argv[2])}))
`);
    const r = spawnSync('python3', [file, path.join(dir, 'body.bin'), signature(), forged()], { env: { ...process.env, [WEBHOOK_SECRET_VARIABLE]: SECRET }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { ok: 'payment_succeeded', forged: null, tampered: null });
  });
});
