/**
 * A stored payment as the API answers it: every field of Hyperswitch's PaymentsResponse, always
 * present, `null` when it has no value (perfectpay-api.md's example's fields first, in its order).
 * The card is masked; the full number and CVC were never stored, and card numbers in free text
 * were masked when stored (`maskCardNumbers`).
 */
import { maskCardsInText } from '../domain/cards';
import { isSensitiveName, REDACTED } from '../domain/redact';
import type { PaymentRequestField } from '../domain/payment';
import type { StoredAttempt, StoredCapture, StoredPayment, StoredRefund } from './types';

export const MERCHANT_ID = 'merchant_local';
/** The business profile of a payment that names none. */
export const DEFAULT_PROFILE_ID = 'pro_local_sandbox';
export const CONNECTOR = 'perfectpay_sandbox';

/**
 * The request fields kept with a payment and answered under the same name (a create sets them, a
 * confirm may change them). The other request fields are accepted and not kept: Hyperswitch
 * answers them differently (`connector`, `customer`, `split_payments`…) or not at all (`card_cvc`,
 * `routing`, `client_secret`…).
 */
export const ECHOED_FIELDS = [
  'shipping_cost', 'order_tax_amount', 'mandate_id', 'mandate_data', 'setup_future_usage', 'off_session',
  'capture_on', 'payment_token', 'shipping', 'billing', 'order_details', 'email', 'name', 'phone',
  'statement_descriptor_name', 'statement_descriptor_suffix', 'payment_experience', 'business_country',
  'business_label', 'business_sub_label', 'allowed_payment_method_types', 'connector_metadata', 'feature_metadata',
  'profile_id', 'surcharge_details', 'browser_info', 'payment_channel', 'frm_metadata',
  'request_extended_authorization', 'merchant_order_reference_id', 'force_3ds_challenge',
  'is_iframe_redirection_enabled', 'enable_partial_authorization', 'enable_overcapture', 'is_stored_credential',
  'mit_category', 'billing_descriptor', 'tokenization', 'partner_merchant_identifier_details',
  // The contract's, which Hyperswitch's answer does not carry under these names:
  'phone_country_code', 'customer_acceptance', 'amount_to_capture', 'request_external_three_ds_authentication',
] as const satisfies readonly PaymentRequestField[];
export type EchoedField = (typeof ECHOED_FIELDS)[number];

/**
 * A copy of a JSON value with every card number in its text cut to the last four (the domain's
 * mask) and the value of every sensitive name (a `cvv` in metadata, say) replaced: what is stored of
 * free text (description, metadata, addresses…), so that a full card number or a CVC never comes
 * back in an answer nor goes into a snapshot.
 */
export function maskCardNumbers<T>(value: T): T {
  if (typeof value === 'string') return maskCardsInText(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskCardNumbers(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[maskCardsInText(k)] = isSensitiveName(k) ? REDACTED : maskCardNumbers(v);
    return out as T;
  }
  return value;
}

/** The echoed fields a request gives (undefined ones left out), masked. */
export function echoedOf(req: Partial<Record<EchoedField, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of ECHOED_FIELDS) if (req[f] !== undefined) out[f] = maskCardNumbers(req[f]);
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

export interface RenderOptions {
  attempts?: boolean;
  captures?: boolean;
}

function echoed(p: StoredPayment, field: EchoedField): unknown {
  const v = p.echoed?.[field];
  return v === undefined ? null : v;
}

function customerOf(p: StoredPayment): Record<string, unknown> | null {
  const c = {
    id: p.customer_id,
    name: echoed(p, 'name'),
    email: echoed(p, 'email'),
    phone: echoed(p, 'phone'),
    phone_country_code: echoed(p, 'phone_country_code'),
  };
  return Object.values(c).some((v) => v !== null) ? c : null;
}

function paymentMethodData(p: StoredPayment): Record<string, unknown> | null {
  const billing = p.method_billing ?? null;
  if (!p.card) return billing ? { billing } : null;
  const card = {
    last4: p.card.last4,
    card_network: p.card.card_network,
    card_exp_month: p.card.card_exp_month,
    card_exp_year: p.card.card_exp_year,
    card_holder_name: p.card.card_holder_name,
    card_type: p.card.card_type ?? p.payment_method_type,
    card_issuer: null,
    card_issuing_country: null,
    card_isin: p.card.card_isin ?? null,
    card_extended_bin: null,
    payment_checks: null,
    authentication_data: null,
  };
  return billing ? { card, billing } : { card };
}

function renderAttempt(p: StoredPayment, a: StoredAttempt): Record<string, unknown> {
  return {
    attempt_id: a.attempt_id,
    status: a.status,
    amount: a.amount,
    payment_method: a.payment_method,
    error_code: a.error_code,
    error_message: a.error_message,
    created_at: iso(a.createdMs),
    modified_at: iso(a.modifiedMs),
    // Hyperswitch's PaymentAttemptResponse, beyond the contract's list:
    currency: p.currency,
    connector: CONNECTOR,
    payment_method_type: a.payment_method ? p.payment_method_type : null,
    connector_transaction_id: p.connector_transaction_id ?? null,
    capture_method: p.capture_method,
    authentication_type: p.authentication_type,
    cancellation_reason: a.status === 'voided' ? p.cancellation_reason : null,
    mandate_id: null,
    payment_token: null,
    connector_metadata: null,
    payment_experience: null,
    reference_id: null,
    unified_code: null,
    unified_message: null,
    client_source: null,
    client_version: null,
    order_tax_amount: null,
  };
}

/** Hyperswitch's CaptureResponse: no timestamp (a capture has none on a real server). */
function renderCapture(p: StoredPayment, c: StoredCapture, i: number): Record<string, unknown> {
  return {
    capture_id: c.capture_id,
    status: c.status,
    amount: c.amount,
    currency: p.currency,
    connector: CONNECTOR,
    authorized_attempt_id: p.attempts[p.attempts.length - 1]!.attempt_id,
    connector_capture_id: c.connector_capture_id ?? null,
    capture_sequence: i + 1,
    error_message: null,
    error_code: null,
    error_reason: null,
    reference_id: null,
  };
}

export function renderPayment(p: StoredPayment, opts: RenderOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    // perfectpay-api.md's example, in its order.
    payment_id: p.payment_id,
    client_secret: p.client_secret,
    status: p.status,
    amount: p.amount,
    net_amount: p.net_amount,
    amount_capturable: p.amount_capturable,
    amount_received: p.amount_received,
    currency: p.currency,
    capture_method: p.capture_method,
    authentication_type: p.authentication_type,
    customer_id: p.customer_id,
    description: p.description,
    metadata: p.metadata,
    return_url: p.return_url,
    payment_method: p.payment_method,
    payment_method_type: p.payment_method_type,
    payment_method_data: paymentMethodData(p),
    next_action: p.next_action,
    error_code: p.error_code,
    error_message: p.error_message,
    cancellation_reason: p.cancellation_reason,
    connector: CONNECTOR,
    attempt_count: p.attempt_count,
    created: iso(p.createdMs),
    modified_at: iso(p.modifiedMs),
    expires_on: iso(p.expiresMs),
    // Every payment's, then the rest of Hyperswitch's PaymentsResponse in its order.
    merchant_id: MERCHANT_ID,
    profile_id: p.echoed?.profile_id ?? DEFAULT_PROFILE_ID,
    connector_transaction_id: p.connector_transaction_id ?? null,
    shipping_cost: echoed(p, 'shipping_cost'),
    processor_merchant_id: MERCHANT_ID,
    initiator: null,
    customer: customerOf(p),
    refunds: p.refunds?.length ? p.refunds.map((r) => renderRefund(p, r)) : null,
    disputes: null,
    mandate_id: echoed(p, 'mandate_id'),
    mandate_data: echoed(p, 'mandate_data'),
    setup_future_usage: echoed(p, 'setup_future_usage'),
    off_session: echoed(p, 'off_session'),
    capture_on: echoed(p, 'capture_on'),
    payment_token: echoed(p, 'payment_token'),
    shipping: echoed(p, 'shipping'),
    billing: echoed(p, 'billing'),
    order_details: echoed(p, 'order_details'),
    email: echoed(p, 'email'),
    name: echoed(p, 'name'),
    phone: echoed(p, 'phone'),
    statement_descriptor_name: echoed(p, 'statement_descriptor_name'),
    statement_descriptor_suffix: echoed(p, 'statement_descriptor_suffix'),
    unified_code: null,
    unified_message: null,
    payment_experience: echoed(p, 'payment_experience'),
    connector_label: null,
    business_country: echoed(p, 'business_country'),
    business_label: echoed(p, 'business_label'),
    business_sub_label: echoed(p, 'business_sub_label'),
    allowed_payment_method_types: echoed(p, 'allowed_payment_method_types'),
    manual_retry_allowed: null,
    frm_message: null,
    connector_metadata: echoed(p, 'connector_metadata'),
    feature_metadata: echoed(p, 'feature_metadata'),
    reference_id: null,
    payment_link: null,
    surcharge_details: echoed(p, 'surcharge_details'),
    merchant_decision: null,
    merchant_connector_id: null,
    incremental_authorization_allowed: null,
    authorization_count: null,
    incremental_authorizations: null,
    external_authentication_details: null,
    external_3ds_authentication_attempted: p.external_3ds ?? null,
    fingerprint: null,
    browser_info: echoed(p, 'browser_info'),
    payment_channel: echoed(p, 'payment_channel'),
    payment_method_id: null,
    network_transaction_id: null,
    payment_method_status: null,
    updated: iso(p.modifiedMs),
    split_payments: null,
    frm_metadata: echoed(p, 'frm_metadata'),
    extended_authorization_applied: null,
    extended_authorization_last_applied_at: null,
    request_extended_authorization: echoed(p, 'request_extended_authorization'),
    capture_before: null,
    merchant_order_reference_id: echoed(p, 'merchant_order_reference_id'),
    order_tax_amount: echoed(p, 'order_tax_amount'),
    connector_mandate_id: null,
    card_discovery: p.card ? 'manual' : null,
    force_3ds_challenge: echoed(p, 'force_3ds_challenge'),
    force_3ds_challenge_trigger: null,
    issuer_error_code: null,
    issuer_error_message: null,
    is_iframe_redirection_enabled: echoed(p, 'is_iframe_redirection_enabled'),
    whole_connector_response: null,
    enable_partial_authorization: echoed(p, 'enable_partial_authorization'),
    enable_overcapture: echoed(p, 'enable_overcapture'),
    is_overcapture_enabled: null,
    network_details: null,
    is_stored_credential: echoed(p, 'is_stored_credential'),
    mit_category: echoed(p, 'mit_category'),
    billing_descriptor: echoed(p, 'billing_descriptor'),
    tokenization: echoed(p, 'tokenization'),
    partner_merchant_identifier_details: echoed(p, 'partner_merchant_identifier_details'),
    payment_method_tokenization_details: null,
    connector_customer_id: null,
    error_details: null,
    connector_response_metadata: null,
    // The contract's, beyond Hyperswitch's names.
    phone_country_code: echoed(p, 'phone_country_code'),
    customer_acceptance: echoed(p, 'customer_acceptance'),
    amount_to_capture: echoed(p, 'amount_to_capture'),
    request_external_three_ds_authentication: echoed(p, 'request_external_three_ds_authentication'),
  };
  if (opts.attempts) out.attempts = p.attempts.map((a) => renderAttempt(p, a));
  if (opts.captures) out.captures = p.captures.map((c, i) => renderCapture(p, c, i));
  return out;
}

/**
 * A refund as the API answers it: every field of Hyperswitch's RefundResponse, always present,
 * `null` when it has no value, and the contract's `connector_refund_id`.
 */
export function renderRefund(p: StoredPayment, r: StoredRefund): Record<string, unknown> {
  return {
    refund_id: r.refund_id,
    payment_id: p.payment_id,
    amount: r.amount,
    currency: p.currency,
    status: r.status,
    reason: r.reason,
    metadata: r.metadata,
    error_message: r.error_message,
    error_code: r.error_code,
    unified_code: null,
    unified_message: null,
    created_at: iso(r.createdMs),
    updated_at: iso(r.modifiedMs),
    connector: CONNECTOR,
    profile_id: p.echoed?.profile_id ?? DEFAULT_PROFILE_ID,
    merchant_connector_id: null,
    split_refunds: null,
    issuer_error_code: null,
    issuer_error_message: null,
    raw_connector_response: null,
    connector_refund_id: r.connector_refund_id,
  };
}
