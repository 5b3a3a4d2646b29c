/**
 * The PerfectPay API's requests and answers as zod schemas: one source of truth shared by the
 * client (which validates what it sends and what it gets) and the local sandbox (which validates
 * what it is sent). Built on `zod/mini` to keep the extension bundle small.
 *
 * Answers are parsed leniently on purpose: unknown fields pass through (`looseObject`), and
 * `status` / `next_action.type` are plain strings, so a server that knows more than we do is
 * shown raw rather than rejected. A field of the wrong type is still an error that names it.
 */
import * as z from 'zod/mini';
import { nullableString, nullableNumber, nullableBoolean } from './zodFields';
import { AUTHENTICATION_TYPES, CAPTURE_METHODS, FUTURE_USAGES, LIST_ORDER_BY, LIST_ORDER_ON, type PaymentRequestField } from '../domain/payment';
import { PAYMENT_STATUSES, SIMULATE_OUTCOMES, type PaymentStatus } from '../domain/status';

// ---------------------------------------------------------------------------------------------
// Requests

/** Any JSON value, for the request fields PerfectPay accepts without using them (Hyperswitch's). */
const anyJson = z.optional(z.json());
const optString = z.optional(z.string());
const optInt = z.optional(z.int());
const optBoolean = z.optional(z.boolean());
/** A JSON object whose values are anything: metadata, browser_info, customer_acceptance… */
const jsonObject = z.record(z.string(), z.json());

/** Hyperswitch's `Address`: `{address: {line1, …, country, first_name, last_name}, phone: {number, country_code}, email}`. */
export const addressSchema = z.looseObject({
  address: z.optional(
    z.nullable(
      z.looseObject({
        line1: nullableString,
        line2: nullableString,
        line3: nullableString,
        city: nullableString,
        state: nullableString,
        zip: nullableString,
        country: nullableString,
        first_name: nullableString,
        last_name: nullableString,
      }),
    ),
  ),
  phone: z.optional(
    z.nullable(z.looseObject({ number: nullableString, country_code: nullableString })),
  ),
  email: nullableString,
});
export type Address = z.infer<typeof addressSchema>;

/** Hyperswitch's `CustomerDetails` (request): creates or names the payment's customer. */
export const customerDetailsSchema = z.looseObject({
  id: z.string(),
  name: nullableString,
  email: nullableString,
  phone: nullableString,
  phone_country_code: nullableString,
});

/** Raw card data as sent on confirm. The card number and CVC never come back in an answer. */
export const cardDataSchema = z.looseObject({
  card_number: z.string(),
  card_exp_month: z.string(),
  card_exp_year: z.string(),
  card_cvc: z.optional(z.string()),
  card_holder_name: z.optional(z.string()),
});
export type CardData = z.infer<typeof cardDataSchema>;

/**
 * `payment_method_data` is an object keyed by method family (only `card` is given a shape), plus
 * the `billing` address of the method, which is kept with it.
 */
export const paymentMethodDataSchema = z.looseObject({
  card: z.optional(cardDataSchema),
  billing: z.optional(z.nullable(addressSchema)),
});
export type PaymentMethodData = z.infer<typeof paymentMethodDataSchema>;

/**
 * Every field of a create or confirm body (Hyperswitch's `PaymentsRequest`): the ones PerfectPay
 * uses are typed, the others take any JSON. `satisfies` keeps it the same list as the domain's.
 */
const paymentRequestShape = {
  amount: optInt,
  order_tax_amount: optInt,
  currency: optString,
  amount_to_capture: optInt,
  shipping_cost: optInt,
  payment_id: optString,
  merchant_id: optString,
  routing: anyJson,
  connector: anyJson,
  capture_method: z.optional(z.enum(CAPTURE_METHODS)),
  authentication_type: z.optional(z.enum(AUTHENTICATION_TYPES)),
  billing: z.optional(addressSchema),
  capture_on: optString,
  confirm: optBoolean,
  customer: z.optional(customerDetailsSchema),
  customer_id: optString,
  email: optString,
  name: optString,
  phone: optString,
  phone_country_code: optString,
  off_session: optBoolean,
  description: optString,
  return_url: optString,
  setup_future_usage: z.optional(z.enum(FUTURE_USAGES)),
  payment_method_data: z.optional(paymentMethodDataSchema),
  payment_method: optString,
  payment_token: optString,
  card_cvc: optString,
  shipping: z.optional(addressSchema),
  statement_descriptor_name: optString,
  statement_descriptor_suffix: optString,
  order_details: z.optional(z.array(jsonObject)),
  client_secret: optString,
  mandate_data: anyJson,
  customer_acceptance: z.optional(jsonObject),
  mandate_id: optString,
  browser_info: z.optional(jsonObject),
  payment_experience: optString,
  payment_method_type: optString,
  business_country: optString,
  business_label: optString,
  merchant_connector_details: anyJson,
  allowed_payment_method_types: z.optional(z.array(z.string())),
  business_sub_label: optString,
  retry_action: anyJson,
  metadata: z.optional(jsonObject),
  connector_metadata: anyJson,
  feature_metadata: anyJson,
  payment_link: optBoolean,
  payment_link_config: anyJson,
  payment_link_config_id: optString,
  profile_id: optString,
  surcharge_details: anyJson,
  payment_type: anyJson,
  request_incremental_authorization: optBoolean,
  session_expiry: optInt,
  frm_metadata: anyJson,
  request_external_three_ds_authentication: optBoolean,
  three_ds_data: anyJson,
  recurring_details: anyJson,
  split_payments: anyJson,
  request_extended_authorization: optBoolean,
  merchant_order_reference_id: optString,
  skip_external_tax_calculation: optBoolean,
  psd2_sca_exemption_type: anyJson,
  ctp_service_details: anyJson,
  force_3ds_challenge: optBoolean,
  threeds_method_comp_ind: anyJson,
  is_iframe_redirection_enabled: optBoolean,
  all_keys_required: optBoolean,
  payment_channel: anyJson,
  tax_status: anyJson,
  discount_amount: optInt,
  shipping_amount_tax: optInt,
  duty_amount: optInt,
  order_date: optString,
  enable_partial_authorization: optBoolean,
  enable_overcapture: optBoolean,
  is_stored_credential: optBoolean,
  mit_category: anyJson,
  billing_descriptor: anyJson,
  tokenization: anyJson,
  partner_merchant_identifier_details: anyJson,
  frm_id: optString,
} satisfies Record<PaymentRequestField, z.ZodMiniType>;

/** A create: every field of `PaymentsRequest`, `amount` and `currency` required; any other field is refused. */
export const createPaymentRequestSchema = z.strictObject({ ...paymentRequestShape, amount: z.int(), currency: z.string() });
export type CreatePaymentRequest = z.infer<typeof createPaymentRequestSchema>;

/** A confirm: the same fields as a create (Hyperswitch reads both as `PaymentsRequest`), none required. */
export const confirmPaymentRequestSchema = z.strictObject(paymentRequestShape);
export type ConfirmPaymentRequest = z.infer<typeof confirmPaymentRequestSchema>;

export const capturePaymentRequestSchema = z.object({
  amount_to_capture: z.optional(z.int()),
});
export type CapturePaymentRequest = z.infer<typeof capturePaymentRequestSchema>;

export const cancelPaymentRequestSchema = z.object({
  cancellation_reason: z.optional(z.string()),
});
export type CancelPaymentRequest = z.infer<typeof cancelPaymentRequestSchema>;

export const simulateRequestSchema = z.object({
  outcome: z.enum(SIMULATE_OUTCOMES),
});
export type SimulateRequest = z.infer<typeof simulateRequestSchema>;

/**
 * What both lists (`POST /payments/list`, `POST /refunds/list`) take alike: an amount range, a time range
 * (also flattened, `start_time` / `end_time` at the top), and the page.
 */
const LIST_PAGE_FIELDS = {
  amount_filter: z.optional(
    z.looseObject({ start_amount: z.optional(z.nullable(z.int())), end_amount: z.optional(z.nullable(z.int())) }),
  ),
  time_range: z.optional(z.looseObject({ start_time: z.string(), end_time: nullableString })),
  start_time: optString,
  end_time: optString,
  offset: optInt,
  limit: optInt,
};

/**
 * Body of `POST /payments/list` (perfectpay-api.md, "Routes"; Hyperswitch's
 * `PaymentListFilterConstraints`). Fields it does not name are ignored, as Hyperswitch ignores them.
 * `time_range` may also come flattened (`start_time` / `end_time` at the top), as Hyperswitch reads it.
 */
export const paymentListFilterSchema = z.looseObject({
  payment_id: optString,
  profile_id: optString,
  customer_id: optString,
  merchant_order_reference_id: optString,
  status: z.optional(z.array(z.enum(PAYMENT_STATUSES))),
  currency: z.optional(z.array(z.string())),
  payment_method: z.optional(z.array(z.string())),
  payment_method_type: z.optional(z.array(z.string())),
  authentication_type: z.optional(z.array(z.enum(AUTHENTICATION_TYPES))),
  connector: z.optional(z.array(z.string())),
  card_network: z.optional(z.array(z.string())),
  ...LIST_PAGE_FIELDS,
  order: z.optional(z.looseObject({ on: z.enum(LIST_ORDER_ON), by: z.enum(LIST_ORDER_BY) })),
});
export type PaymentListFilter = z.infer<typeof paymentListFilterSchema>;

/** `refund_type` of a refund request: `instant` (the default) or `scheduled`. */
export const REFUND_TYPES = ['instant', 'scheduled'] as const;
/** A refund's statuses as Hyperswitch's API answers them. */
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed', 'review'] as const;

/**
 * Body of `POST /refunds` (Hyperswitch's RefundRequest, which refuses unknown fields). `amount`
 * defaults to all that is left to refund; `refund_id` is the caller's, which makes the call safe to
 * send again (a second refund with it is refused with HE_01).
 */
export const refundRequestSchema = z.strictObject({
  payment_id: z.string(),
  refund_id: optString,
  merchant_id: optString,
  amount: optInt,
  reason: optString,
  refund_type: z.optional(z.enum(REFUND_TYPES)),
  metadata: z.optional(jsonObject),
  merchant_connector_details: anyJson,
  split_refunds: anyJson,
});
export type RefundRequest = z.infer<typeof refundRequestSchema>;
/** The fields of a refund request, in the order an "unknown field" refusal lists them. */
export const REFUND_REQUEST_FIELDS = Object.keys(refundRequestSchema.def.shape);

/** Body of `POST /refunds/{refund_id}` (Hyperswitch's RefundUpdateRequest). */
export const refundUpdateRequestSchema = z.strictObject({
  reason: optString,
  metadata: z.optional(jsonObject),
});
export type RefundUpdateRequest = z.infer<typeof refundUpdateRequestSchema>;
export const REFUND_UPDATE_FIELDS = Object.keys(refundUpdateRequestSchema.def.shape);

/**
 * Body of `POST /refunds/list` (Hyperswitch's RefundListRequest). Fields it does not name are
 * ignored; `time_range` may also come flattened (`start_time` / `end_time` at the top).
 */
export const refundListFilterSchema = z.looseObject({
  payment_id: optString,
  refund_id: optString,
  profile_id: optString,
  currency: z.optional(z.array(z.string())),
  refund_status: z.optional(z.array(z.enum(REFUND_STATUSES))),
  connector: z.optional(z.array(z.string())),
  ...LIST_PAGE_FIELDS,
});
export type RefundListFilter = z.infer<typeof refundListFilterSchema>;

/** Query of `GET /payments/list`. Created filters are ISO 8601 strings. */
export interface ListPaymentsQuery {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
  customer_id?: string;
  created?: string;
  'created.lt'?: string;
  'created.gt'?: string;
  'created.lte'?: string;
  'created.gte'?: string;
}
export const LIST_QUERY_KEYS = [
  'limit',
  'starting_after',
  'ending_before',
  'customer_id',
  'created',
  'created.lt',
  'created.gt',
  'created.lte',
  'created.gte',
] as const;

export interface RetrievePaymentOptions {
  expandAttempts?: boolean;
  expandCaptures?: boolean;
}

// ---------------------------------------------------------------------------------------------
// next_action shapes: in ./nextAction.ts (the extension bundle needs them without the rest).

export * from './nextAction';
import { nextActionSchema } from './nextAction';

// ---------------------------------------------------------------------------------------------
// Answers: Hyperswitch's PaymentsResponse as a real server sends it. Only `payment_id`, `status`,
// `amount` and `currency` are needed to show a payment; everything else may be absent or null.

/**
 * A time that a real server may leave out (a payment's `created`, a capture's `created_at`): read
 * as '' when absent or null, so that code written for the local sandbox, which always sends them,
 * keeps a string (every reader treats '' as "no time": `Date.parse('')` is NaN, never a throw).
 */
const timeOrEmpty = z.pipe(nullableString, z.transform((v: string | null | undefined) => v ?? ''));

/** Card details as answered (Hyperswitch's CardResponse): masked, never the full number or CVC. */
export const cardAnswerSchema = z.looseObject({
  last4: nullableString,
  card_type: nullableString,
  card_network: nullableString,
  card_issuer: nullableString,
  card_issuing_country: nullableString,
  card_isin: nullableString,
  card_extended_bin: nullableString,
  card_exp_month: nullableString,
  card_exp_year: nullableString,
  card_holder_name: nullableString,
});

/** Hyperswitch's PaymentAttemptResponse. */
export const attemptSchema = z.looseObject({
  attempt_id: z.string(),
  status: z.string(),
  amount: z.number(),
  currency: nullableString,
  connector: nullableString,
  payment_method: nullableString,
  payment_method_type: nullableString,
  connector_transaction_id: nullableString,
  capture_method: nullableString,
  authentication_type: nullableString,
  cancellation_reason: nullableString,
  error_code: nullableString,
  error_message: nullableString,
  created_at: z.string(),
  modified_at: nullableString,
});
export type Attempt = z.infer<typeof attemptSchema>;

/**
 * Hyperswitch's CaptureResponse. A capture has no timestamp of its own on a real server (its
 * order is `capture_sequence`): `created_at` is only what the local sandbox adds, '' otherwise.
 */
export const captureSchema = z.looseObject({
  capture_id: z.string(),
  status: z.string(),
  amount: z.number(),
  currency: nullableString,
  connector: nullableString,
  authorized_attempt_id: nullableString,
  connector_capture_id: nullableString,
  capture_sequence: nullableNumber,
  error_message: nullableString,
  error_code: nullableString,
  error_reason: nullableString,
  reference_id: nullableString,
  created_at: timeOrEmpty,
});
export type Capture = z.infer<typeof captureSchema>;

/** Hyperswitch's CustomerDetailsResponse. */
export const customerAnswerSchema = z.looseObject({
  id: nullableString,
  name: nullableString,
  email: nullableString,
  phone: nullableString,
  phone_country_code: nullableString,
});

/**
 * Hyperswitch's RefundResponse. `status` is a plain string (a server may know more statuses than
 * `REFUND_STATUSES`); only the id, the payment, the amount and the currency are needed to show one.
 */
export const refundSchema = z.looseObject({
  refund_id: z.string(),
  payment_id: z.string(),
  amount: z.number(),
  currency: z.string(),
  status: z.string(),
  reason: nullableString,
  metadata: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  error_code: nullableString,
  error_message: nullableString,
  created_at: nullableString,
  updated_at: nullableString,
  connector: nullableString,
  connector_refund_id: nullableString,
  profile_id: nullableString,
});
export type Refund = z.infer<typeof refundSchema>;

// ---------------------------------------------------------------------------------------------
// Webhook events (perfectpay-api.md, "Webhooks and events"; Hyperswitch's webhook_events.rs)

/** `POST /events/{merchant_id}`: Hyperswitch's EventListConstraints (`limit` at most 100, its default). */
export const EVENTS_LIST_MAX_LIMIT = 100;
export const eventListConstraintsSchema = z.looseObject({
  created_after: optString,
  created_before: optString,
  limit: optInt,
  offset: optInt,
  object_id: optString,
  event_id: optString,
  profile_id: optString,
  event_classes: z.optional(z.array(z.string())),
  event_types: z.optional(z.array(z.string())),
  is_delivered: optBoolean,
});
export type EventListConstraints = z.infer<typeof eventListConstraintsSchema>;

/** EventListItemResponse: `event_type` a plain string (a server may know more types). */
export const eventListItemSchema = z.looseObject({
  event_id: z.string(),
  merchant_id: z.string(),
  profile_id: nullableString,
  object_id: z.string(),
  event_type: z.string(),
  event_class: z.string(),
  is_delivery_successful: nullableBoolean,
  initial_attempt_id: z.string(),
  created: z.string(),
});
export type EventListItem = z.infer<typeof eventListItemSchema>;

/** TotalEventsResponse. */
export const eventListSchema = z.looseObject({
  events: z.array(eventListItemSchema),
  total_count: z.number(),
});
export type EventList = z.infer<typeof eventListSchema>;

/** Headers as Hyperswitch sends them: `[name, value]` pairs. */
const headerPairs = z.array(z.array(z.string()));

/** EventRetrieveResponse: one delivery attempt, what was sent and what came back. */
export const eventAttemptSchema = z.looseObject({
  ...eventListItemSchema.def.shape,
  request: z.looseObject({ body: z.string(), headers: headerPairs }),
  response: z.looseObject({
    body: nullableString,
    headers: z.optional(z.nullable(headerPairs)),
    status_code: nullableNumber,
    error_message: nullableString,
  }),
  delivery_attempt: nullableString,
});
export type EventAttempt = z.infer<typeof eventAttemptSchema>;
export const eventAttemptListSchema = z.array(eventAttemptSchema);

/** The body of a delivery (Hyperswitch's OutgoingWebhook), as a receiver checks it. */
export const outgoingWebhookSchema = z.looseObject({
  merchant_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  content: z.looseObject({ type: z.string(), object: z.record(z.string(), z.unknown()) }),
  timestamp: z.string(),
});
export type OutgoingWebhook = z.infer<typeof outgoingWebhookSchema>;

/**
 * The local sandbox's webhook settings (`GET`/`POST /sandbox/webhooks`): the URL (null: none) and
 * the retry schedule. The secret is never answered.
 */
export const webhookSettingsRequestSchema = z.strictObject({ webhook_url: z.nullable(z.string()) });
export const webhookSettingsSchema = z.looseObject({
  webhook_url: nullableString,
  retry_delays_s: z.array(z.number()),
  timeout_s: z.number(),
});
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

/**
 * A page of a filtered list (`POST /payments/list`, `POST /refunds/list`; Hyperswitch's
 * PaymentListResponseV2 and RefundListResponse): `count` this page, `total_count` every match.
 */
function countedPageSchema<T extends z.ZodMiniType>(item: T) {
  return z.looseObject({ count: z.number(), total_count: z.number(), data: z.array(item) });
}

/** `POST /refunds/list`. */
export const refundListSchema = countedPageSchema(refundSchema);
export type RefundList = z.infer<typeof refundListSchema>;

export const paymentSchema = z.looseObject({
  payment_id: z.string(),
  merchant_id: nullableString,
  profile_id: nullableString,
  client_secret: nullableString,
  status: z.string(),
  amount: z.number(),
  net_amount: nullableNumber,
  amount_capturable: nullableNumber,
  amount_received: nullableNumber,
  currency: z.string(),
  capture_method: nullableString,
  authentication_type: nullableString,
  customer_id: nullableString,
  customer: z.optional(z.nullable(customerAnswerSchema)),
  email: nullableString,
  name: nullableString,
  phone: nullableString,
  description: nullableString,
  metadata: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  return_url: nullableString,
  payment_method: nullableString,
  payment_method_type: nullableString,
  payment_method_data: z.optional(
    z.nullable(z.looseObject({ card: z.optional(z.nullable(cardAnswerSchema)), billing: z.optional(z.nullable(addressSchema)) })),
  ),
  billing: z.optional(z.nullable(addressSchema)),
  shipping: z.optional(z.nullable(addressSchema)),
  next_action: z.optional(z.nullable(nextActionSchema)),
  error_code: nullableString,
  error_message: nullableString,
  cancellation_reason: nullableString,
  connector: nullableString,
  connector_transaction_id: nullableString,
  attempt_count: nullableNumber,
  off_session: nullableBoolean,
  created: timeOrEmpty,
  modified_at: nullableString,
  expires_on: nullableString,
  attempts: z.optional(z.nullable(z.array(attemptSchema))),
  captures: z.optional(z.nullable(z.array(captureSchema))),
  refunds: z.optional(z.nullable(z.array(refundSchema))),
});
export type Payment = z.infer<typeof paymentSchema> & { status: PaymentStatus };

/** `GET /payments/list`. */
export const paymentListSchema = z.looseObject({
  size: z.number(),
  data: z.array(paymentSchema),
});
export type PaymentList = z.infer<typeof paymentListSchema>;

/** `POST /payments/list`. */
export const filteredPaymentListSchema = countedPageSchema(paymentSchema);
export type FilteredPaymentList = z.infer<typeof filteredPaymentListSchema>;

export const errorBodySchema = z.looseObject({
  error: z.looseObject({
    type: z.string(),
    message: z.string(),
    code: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export { describeZodError } from './zodError';
