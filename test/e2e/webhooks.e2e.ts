// The Webhooks view as a person uses it, in real VS Code: "Start Webhook Inbox" from the palette, a
// payment made from the palette arrives in the inbox with a valid signature (✓), a forged delivery
// posted by hand is shown ✗, and "Resend Event" sends the event again (the inbox lists it once more).
import * as assert from 'assert';
import { useSession, waitFor } from './codeServer';
import { timeouts } from './timeouts';

describe('e2e: the Webhooks view and the webhook inbox', function () {
  this.timeout(timeouts.test);
  const vs = useSession({ theme: 'dark', settings: { 'perfectpay.environment': 'local', 'perfectpay.localSandbox.seed': 0 } });

  it('shows a signed delivery ✓ and a forged one ✗ in the inbox, and Resend Event sends it again', async () => {
    await vs().openPerfectPayView();
    await vs().setPaneExpanded(/webhooks/i, true);
    await vs().runCommand('PerfectPay: Start Webhook Inbox');
    const rows = await vs().waitForTreeRow(/Webhook inbox.*answering 200/i, timeouts.slow);
    const url = rows.map((r) => /http:\/\/127\.0\.0\.1:\d+\/webhooks/.exec(r)?.[0]).find(Boolean);
    assert.ok(url, rows.join(' | '));

    const { id } = await vs().createFromPalette({ amount: '12.34', description: 'Webhook e2e', method: 'Visa 4242' });
    await vs().waitForTreeRow(new RegExp(`✓ payment_succeeded.*${id}.*signature valid`), timeouts.slow);
    await vs().waitForTreeRow(new RegExp(`✓ payment_succeeded.*${id}`), timeouts.slow);

    // A delivery that is not signed with the secret: the inbox answers 400 and shows it ✗.
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-signature-512': 'f'.repeat(128) }, body: JSON.stringify({ event_type: 'payment_succeeded', event_id: 'evt_forged', content: { object: { payment_id: 'pay_forged' } } }) });
    assert.equal(res.status, 400);
    await vs().waitForTreeRow(/✗ payment_succeeded.*pay_forged.*signature invalid/, timeouts.step);

    const before = (await vs().treeRows()).filter((r) => r.includes(id) && /signature valid/.test(r)).length;
    await vs().runCommand('PerfectPay: Resend Event');
    await vs().answerQuickPick(/payment_succeeded/, { filter: id });
    await vs().waitForNotification(/payment_succeeded sent again: 200/, timeouts.step);
    await waitFor(async () => (await vs().treeRows()).filter((r) => r.includes(id) && /signature valid/.test(r)).length === before + 1, { what: 'the resent delivery in the inbox', timeout: timeouts.step });
    assert.deepEqual(await vs().errorNotifications(), []);
  });
});
