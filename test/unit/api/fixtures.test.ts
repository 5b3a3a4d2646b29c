/**
 * Issue 9 §11: the client reads every answer a real server can send. Fixtures written from
 * Hyperswitch's OpenAPI spec (api-reference/v1/openapi_spec_v1.json): a PaymentsResponse with every
 * property filled, one with only the required ones, and every NextActionData variant; parsed with
 * the client's own schemas, and read by the client from a bare node:http server.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { filteredPaymentListSchema, parseNextAction, paymentSchema, type NextAction } from '../../../src/api';
import { allowedActions, isKnownStatus, isTerminal, statusKind } from '../../../src/domain/status';
import { useAnsweringServer } from '../helpers';

const FIXTURES = path.resolve(__dirname, '../../../../test/unit/api/fixtures');
const fixture = (name: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

const FULL = fixture('payments-response-full.json');
const REQUIRED = fixture('payments-response-required.json');
const NEXT_ACTIONS = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'next-actions.json'), 'utf8')) as NextAction[];

/** Hyperswitch's IntentStatus, as its spec lists it. */
const INTENT_STATUSES = [
  'succeeded', 'failed', 'cancelled', 'cancelled_post_capture', 'processing', 'requires_customer_action',
  'requires_merchant_action', 'requires_payment_method', 'requires_confirmation', 'requires_capture',
  'partially_captured', 'partially_captured_and_capturable', 'partially_authorized_and_requires_capture',
  'partially_captured_and_processing', 'conflicted', 'expired',
];

function parsed(value: unknown) {
  const r = paymentSchema.safeParse(value);
  assert.ok(r.success, r.success ? '' : JSON.stringify(r.error.issues.slice(0, 3)));
  return r.data;
}

describe('the client\'s schemas read Hyperswitch\'s PaymentsResponse', () => {
  it('with every property filled (the spec\'s 106, in its order)', () => {
    assert.equal(Object.keys(FULL).length, 106);
    const p = parsed(FULL);
    assert.equal(p.status, 'partially_captured_and_capturable');
    assert.equal(p.merchant_id, 'merchant_1668273825');
    assert.equal(p.connector_transaction_id, '993672945374576J');
    assert.equal(p.customer?.email, 'johntest@test.com');
    assert.equal(p.billing?.address?.city, 'San Fransico');
    assert.equal(p.payment_method_data?.billing?.phone?.number, '9123456789');
    assert.equal(p.payment_method_data?.card?.card_isin, '424242');
    assert.deepEqual(p.metadata, { udf1: 'some-value', udf2: { nested: [1, 2, 3] } });
    assert.equal(p.attempts?.[0]?.connector_transaction_id, '993672945374576J');
    // Captures have no timestamp on a real server: read, ordered by capture_sequence.
    assert.deepEqual(p.captures?.map((c) => [c.capture_sequence, c.amount, c.status]), [[1, 3000, 'charged'], [2, 1000, 'pending']]);
    assert.deepEqual(p.captures?.map((c) => c.created_at), ['', ''], 'no timestamp reads as ""');
    // What the client does not model passes through untouched.
    assert.deepEqual((p as Record<string, unknown>).payment_link, FULL.payment_link);
    assert.deepEqual((p as Record<string, unknown>).refunds, FULL.refunds);
  });

  it('with only the required properties', () => {
    assert.deepEqual(Object.keys(REQUIRED).sort(), [
      'amount', 'amount_capturable', 'attempt_count', 'currency', 'merchant_id', 'net_amount', 'payment_id', 'payment_method',
      'processor_merchant_id', 'status',
    ]);
    const p = parsed(REQUIRED);
    assert.equal(p.payment_id, 'pay_mbabizu24mvu3mela5njyhpit4');
    assert.equal(p.created, '', 'no created time reads as ""');
    assert.equal(p.next_action, undefined);
    assert.equal(p.captures, undefined);
  });

  it('with every status Hyperswitch has: each known to the extension, with a kind; only safe actions offered', () => {
    for (const status of INTENT_STATUSES) {
      assert.equal(parsed({ ...REQUIRED, status }).status, status);
      assert.ok(isKnownStatus(status), status);
      assert.notEqual(statusKind(status), undefined);
    }
    const actions: Record<string, string[]> = {
      cancelled_post_capture: [],
      partially_authorized_and_requires_capture: ['capture', 'cancel'],
      partially_captured_and_processing: [],
      requires_merchant_action: [],
      conflicted: [],
    };
    for (const [status, expected] of Object.entries(actions)) assert.deepEqual(allowedActions(status), expected, status);
    assert.equal(isTerminal('cancelled_post_capture'), true);
    assert.equal(statusKind('conflicted'), 'unknown');
    // A status nobody has heard of yet is kept raw, and allows nothing.
    assert.equal(parsed({ ...REQUIRED, status: 'brand_new_status' }).status, 'brand_new_status');
    assert.deepEqual(allowedActions('brand_new_status'), []);
  });

  it('with every NextActionData variant; the known ones are read as documented, the others kept raw', () => {
    const known = new Set(['redirect_to_url', 'display_bank_transfer_information', 'third_party_sdk_session_token', 'qr_code_information',
      'fetch_qr_code_information', 'wait_screen_information', 'three_ds_invoke']);
    assert.equal(NEXT_ACTIONS.length, 14);
    for (const na of NEXT_ACTIONS) {
      const p = parsed({ ...REQUIRED, status: 'requires_customer_action', next_action: na });
      const view = parseNextAction(p.next_action!);
      if (known.has(na.type)) {
        assert.ok(view.known, `${na.type}: ${view.known ? '' : view.problem}`);
      } else {
        assert.equal(view.known, false, na.type);
        assert.deepEqual(view.known ? undefined : view.raw, na);
      }
    }
  });

  it('reads the bank transfer\'s receiver inside bank_transfer_steps_and_charges_details (and drops a null section)', () => {
    const view = parseNextAction(FULL.next_action as NextAction);
    assert.ok(view.known && view.action.type === 'display_bank_transfer_information');
    assert.deepEqual(view.action.bank_transfer_steps_and_charges_details.receiver, { amount_received: 4000, amount_charged: null, amount_remaining: 2540 });
    const withNull = parseNextAction({
      type: 'display_bank_transfer_information',
      bank_transfer_steps_and_charges_details: { sepa_bank_instructions: { iban: 'DE89370400440532013000', bic: 'X', country: 'DE', account_holder_name: 'A', reference: 'R' }, receiver: null },
    } as NextAction);
    assert.ok(withNull.known && withNull.action.type === 'display_bank_transfer_information');
    assert.deepEqual(Object.keys(withNull.action.bank_transfer_steps_and_charges_details), ['sepa_bank_instructions']);
  });

  it('reads POST /payments/list\'s {count, total_count, data}', () => {
    const r = filteredPaymentListSchema.safeParse({ count: 2, total_count: 40, data: [FULL, REQUIRED] });
    assert.ok(r.success);
    assert.equal(r.data.total_count, 40);
  });

  describe('through the client, from a bare server', () => {
    const server = useAnsweringServer();

    it('retrieves a captured payment with its captures expanded (no capture timestamps)', async () => {
      server.answer = FULL;
      const p = await server.client.retrievePayment('pay_mbabizu24mvu3mela5njyhpit4', { expandAttempts: true, expandCaptures: true });
      assert.equal(p.captures?.length, 2);
      assert.equal(p.amount_received, 4000);
    });

    it('retrieves a payment with only the required fields, and lists both', async () => {
      server.answer = REQUIRED;
      assert.equal((await server.client.retrievePayment('pay_mbabizu24mvu3mela5njyhpit4')).status, 'requires_payment_method');
      server.answer = { size: 2, data: [FULL, REQUIRED] };
      assert.equal((await server.client.listPayments()).data.length, 2);
    });
  });
});
