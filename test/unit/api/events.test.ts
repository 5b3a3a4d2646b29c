/**
 * The client's events methods against the local sandbox, over real HTTP on loopback: the list, an
 * event's attempts, a manual retry, and the sandbox's webhook URL set at run time.
 */
import assert from 'node:assert/strict';
import { ApiError, InvalidRequestError } from '../../../src/api';
import { rejects } from '../rejects';
import { useLocalApi, waitFor } from '../helpers';
import { startReceiver, type Receiver } from '../sandbox/receiver';

const KEY = 'sk_test_client_events_0123456789';
const CARD = {
  payment_method: 'card',
  payment_method_type: 'credit',
  payment_method_data: { card: { card_number: '4242424242424242', card_exp_month: '12', card_exp_year: '39', card_cvc: '123' } },
};

describe('PerfectPayClient: webhook events against the local sandbox', function () {
  const local = useLocalApi(KEY, { webhooks: { secret: 'whsec_client_test', retryDelaysMs: [] } });
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());

  it('sets the webhook URL, lists the events, reads their attempts and retries one', async () => {
    const { client } = local;
    assert.equal((await client.webhookSettings()).webhook_url, null);
    assert.equal((await client.setWebhookUrl(receiver.url)).webhook_url, receiver.url);
    const p = await client.createPayment({ amount: 1200, currency: 'EUR', confirm: true, ...CARD });
    await waitFor(() => receiver.deliveries.length === 1, 'the delivery');
    const list = await client.listEvents('merchant_local', { object_id: p.payment_id });
    assert.equal(list.total_count, 1);
    const e = list.events[0]!;
    assert.equal(e.event_type, 'payment_succeeded');
    await waitFor(async () => (await client.listEvents('merchant_local', { event_id: e.event_id })).events[0]?.is_delivery_successful === true, 'delivered');
    const attempts = await client.listEventAttempts('merchant_local', e.event_id);
    assert.deepEqual(attempts.map((a) => [a.delivery_attempt, a.response.status_code]), [['initial_attempt', 200]]);
    const again = await client.retryEvent('merchant_local', e.event_id);
    assert.equal(again.delivery_attempt, 'manual_retry');
    assert.equal((await client.listEventAttempts('merchant_local', e.event_id)).length, 2);
    await client.setWebhookUrl(null);
  });

  it('refuses bad ids before sending, and names what the server refused', async () => {
    const { client } = local;
    await rejects(client.listEventAttempts('merchant_local', '../payments'), InvalidRequestError);
    await rejects(client.listEvents('merchant local'), InvalidRequestError);
    await rejects(client.listEvents('merchant_local', { limit: 500 }), ApiError);
    await rejects(client.setWebhookUrl('ftp://x'), ApiError);
  });
});
