/** The webhook inbox: receives the sandbox's deliveries, tells a valid signature from a forged one, answers 500 on demand. */
import assert from 'node:assert/strict';
import { startWebhookInbox, type WebhookInbox } from '../../../src/sandbox/inbox';
import { card, start, waitFor, type TestSandbox } from './helpers';

const SECRET = 'whsec_inbox_test';

describe('webhook inbox', function () {
  this.timeout(20_000);
  let inbox: WebhookInbox;
  let t: TestSandbox;
  before(async () => {
    inbox = await startWebhookInbox({ secret: () => SECRET });
    t = await start({ webhooks: { url: inbox.url, secret: SECRET, retryDelaysMs: [30] } });
  });
  after(async () => {
    await t.close();
    await inbox.close();
  });

  it('marks a signed delivery valid, a forged one invalid (400), and answers 500 while failing, so the sandbox retries', async () => {
    const p = await t.post('/payments', { amount: 300, currency: 'USD', confirm: true, ...card('4242424242424242') });
    await waitFor(() => inbox.arrivals().length === 1, 'the delivery');
    const [a] = inbox.arrivals();
    assert.deepEqual([a!.valid, a!.answered, a!.eventType, a!.objectId], [true, 200, 'payment_succeeded', p.json.payment_id]);

    const forged = await fetch(inbox.url, { method: 'POST', headers: { 'x-webhook-signature-512': 'ab'.repeat(64), 'content-type': 'application/json' }, body: a!.body });
    assert.equal(forged.status, 400);
    assert.equal(inbox.arrivals()[0]!.valid, false);

    inbox.failing = true;
    await t.post('/payments', { amount: 301, currency: 'USD', confirm: true, ...card('4242424242424242') });
    await waitFor(() => inbox.arrivals().filter((x) => x.answered === 500).length === 2, 'the delivery and its retry answered 500');
    assert.ok(inbox.arrivals().filter((x) => x.answered === 500).every((x) => x.valid));
  });
});
