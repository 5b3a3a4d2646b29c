/**
 * The API's enumerations (perfectpay-api.md): the known values. Answers may carry others, which are
 * shown raw; what is refunded and left of a payment. Pure: imports only the domain.
 */
import { formatMinorUnits, formatMoney } from './money';
import { isTerminal } from './status';

export const ATTEMPT_STATUSES = [
  'started', 'authentication_pending', 'authentication_failed', 'authorized', 'charged', 'partial_charged', 'failure', 'voided', 'pending',
] as const;

export const CAPTURE_METHODS = ['automatic', 'manual', 'manual_multiple'] as const;
export type CaptureMethod = (typeof CAPTURE_METHODS)[number];

export const AUTHENTICATION_TYPES = ['no_three_ds', 'three_ds'] as const;
export type AuthenticationType = (typeof AUTHENTICATION_TYPES)[number];

export const NEXT_ACTION_TYPES = [
  'redirect_to_url', 'three_ds_invoke', 'third_party_sdk_session_token', 'display_bank_transfer_information', 'qr_code_information', 'fetch_qr_code_information', 'wait_screen_information',
] as const;
export type KnownNextActionType = (typeof NEXT_ACTION_TYPES)[number];

export const ERROR_TYPES = [
  'invalid_request', 'object_not_found', 'duplicate_request', 'validation_error', 'processing_error', 'server_not_available', 'router_error', 'connector_error',
] as const;

/** The reasons a cancel may give (any other string is accepted too). */
export const CANCELLATION_REASONS = ['requested_by_customer', 'duplicate', 'fraudulent', 'abandoned'] as const;

export const CAPTURE_STATUSES = ['started', 'charged', 'pending', 'failed'] as const;

export const FUTURE_USAGES = ['on_session', 'off_session'] as const;

/**
 * Every field of a create or confirm body: Hyperswitch's v1 `PaymentsRequest`, in its order (the
 * order its "expected one of" message lists them in). A body with any other field is refused, as
 * Hyperswitch's strict deserializer refuses it; PerfectPay uses some of them, accepts the rest.
 */
export const PAYMENT_REQUEST_FIELDS = [
  'amount', 'order_tax_amount', 'currency', 'amount_to_capture', 'shipping_cost', 'payment_id', 'merchant_id',
  'routing', 'connector', 'capture_method', 'authentication_type', 'billing', 'capture_on', 'confirm', 'customer',
  'customer_id', 'email', 'name', 'phone', 'phone_country_code', 'off_session', 'description', 'return_url',
  'setup_future_usage', 'payment_method_data', 'payment_method', 'payment_token', 'card_cvc', 'shipping',
  'statement_descriptor_name', 'statement_descriptor_suffix', 'order_details', 'client_secret', 'mandate_data',
  'customer_acceptance', 'mandate_id', 'browser_info', 'payment_experience', 'payment_method_type',
  'business_country', 'business_label', 'merchant_connector_details', 'allowed_payment_method_types',
  'business_sub_label', 'retry_action', 'metadata', 'connector_metadata', 'feature_metadata', 'payment_link',
  'payment_link_config', 'payment_link_config_id', 'profile_id', 'surcharge_details', 'payment_type',
  'request_incremental_authorization', 'session_expiry', 'frm_metadata', 'request_external_three_ds_authentication',
  'three_ds_data', 'recurring_details', 'split_payments', 'request_extended_authorization',
  'merchant_order_reference_id', 'skip_external_tax_calculation', 'psd2_sca_exemption_type', 'ctp_service_details',
  'force_3ds_challenge', 'threeds_method_comp_ind', 'is_iframe_redirection_enabled', 'all_keys_required',
  'payment_channel', 'tax_status', 'discount_amount', 'shipping_amount_tax', 'duty_amount', 'order_date',
  'enable_partial_authorization', 'enable_overcapture', 'is_stored_credential', 'mit_category', 'billing_descriptor',
  'tokenization', 'partner_merchant_identifier_details', 'frm_id',
] as const;
export type PaymentRequestField = (typeof PAYMENT_REQUEST_FIELDS)[number];

/** `POST /payments/list`: what a page may be ordered on, and how. */
export const LIST_ORDER_ON = ['created', 'amount'] as const;
export const LIST_ORDER_BY = ['asc', 'desc'] as const;

/**
 * The metadata key that marks a payment made by a test run of the extension: `"matrix"` (the test card
 * matrix) or `"scenario"` (a scenario file). The view hides such payments unless asked not to.
 */
export const TEST_RUN_METADATA_KEY = 'perfectpay_test_run';
export type TestRunSource = 'matrix' | 'scenario';

/** The test run that made a payment, from its metadata (an answer: any shape). */
export function testRunOf(payment: { metadata?: unknown }): TestRunSource | undefined {
  const m = payment.metadata;
  const v = m && typeof m === 'object' ? (m as Record<string, unknown>)[TEST_RUN_METADATA_KEY] : undefined;
  return v === 'matrix' || v === 'scenario' ? v : undefined;
}

/**
 * The `amount_to_capture` that means "all that is capturable", for a payment as just read. A capture
 * always says its amount: without one, a server captures the create's `amount_to_capture` if it
 * gave one (`manual`) or refuses (`manual_multiple`). With nothing capturable (a status that allows
 * no capture) the whole amount is asked, so the server's refusal names the status, and a payment
 * that became capturable meanwhile is captured whole or refused, never in part.
 */
export function amountToCaptureAll(p: { amount: number; amount_capturable?: number | null }): number {
  return p.amount_capturable && p.amount_capturable > 0 ? p.amount_capturable : p.amount;
}

/** The reasons a refund commonly gives (offered when asked; any other text is accepted too). */
export const REFUND_REASONS = ['requested_by_customer', 'duplicate', 'fraudulent', 'Customer returned the product'] as const;

/** A refund as far as the amounts go (a refund answer, or the sandbox's own record). */
interface RefundAmount { amount: number; status: string }

/** What the refunds of a payment hold back: every refund that has not failed (a pending one counts). */
export function refundedAmount(p: { refunds?: readonly RefundAmount[] | null }): number {
  return (p.refunds ?? []).reduce((sum, r) => sum + (r.status === 'failed' ? 0 : r.amount), 0);
}

/**
 * What is left to refund (perfectpay-api.md, "Refunds"): what the payment received, less every
 * refund that has not failed; never below 0. The Refund command prefills it, the sandbox refuses
 * more (IR_13).
 */
export function amountLeftToRefund(p: { amount_received?: number | null; refunds?: readonly RefundAmount[] | null }): number {
  return Math.max(0, (p.amount_received ?? 0) - refundedAmount(p));
}

/** A refund whose status can still change (`pending`, `review`, or one this version does not know). */
export function refundStillMoving(r: { status: string }): boolean {
  return r.status !== 'succeeded' && r.status !== 'failed';
}

/**
 * "refunded 12.00 of 49.99 USD" (of what the payment received), or undefined when nothing is refunded.
 * The tree's tooltip and the hover card say it.
 */
export function refundedSummary(p: { currency: string; amount: number; amount_received?: number | null; refunds?: readonly RefundAmount[] | null }): string | undefined {
  const refunded = refundedAmount(p);
  if (!refunded) return undefined;
  return `refunded ${formatMinorUnits(refunded, p.currency)} of ${formatMoney(p.amount_received ?? p.amount, p.currency)}`;
}

/** Whether a payment read again may show something new: its status is not final, or a refund of it is still moving. */
export function paymentStillMoving(p: { status: string; refunds?: readonly { status: string }[] | null }): boolean {
  return !isTerminal(p.status) || (p.refunds ?? []).some(refundStillMoving);
}
