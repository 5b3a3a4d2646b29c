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
import { AUTHENTICATION_TYPES, CAPTURE_METHODS, NEXT_ACTION_TYPES } from '../domain/payment';
import { SIMULATE_OUTCOMES, type PaymentStatus } from '../domain/status';

// ---------------------------------------------------------------------------------------------
// Requests

const metadataSchema = z.record(z.string(), z.string());

/** Raw card data as sent on confirm. The card number and CVC never come back in an answer. */
export const cardDataSchema = z.looseObject({
  card_number: z.string(),
  card_exp_month: z.string(),
  card_exp_year: z.string(),
  card_cvc: z.optional(z.string()),
  card_holder_name: z.optional(z.string()),
});
export type CardData = z.infer<typeof cardDataSchema>;

/** `payment_method_data` is an object keyed by method family; only `card` is given a shape. */
export const paymentMethodDataSchema = z.looseObject({
  card: z.optional(cardDataSchema),
});
export type PaymentMethodData = z.infer<typeof paymentMethodDataSchema>;

export const createPaymentRequestSchema = z.object({
  amount: z.int(),
  currency: z.string(),
  payment_id: z.optional(z.string()),
  customer_id: z.optional(z.string()),
  capture_method: z.optional(z.enum(CAPTURE_METHODS)),
  authentication_type: z.optional(z.enum(AUTHENTICATION_TYPES)),
  return_url: z.optional(z.string()),
  confirm: z.optional(z.boolean()),
  description: z.optional(z.string()),
  metadata: z.optional(metadataSchema),
  payment_method: z.optional(z.string()),
  payment_method_type: z.optional(z.string()),
  payment_method_data: z.optional(paymentMethodDataSchema),
});
export type CreatePaymentRequest = z.infer<typeof createPaymentRequestSchema>;

export const confirmPaymentRequestSchema = z.object({
  payment_method: z.optional(z.string()),
  payment_method_type: z.optional(z.string()),
  payment_method_data: z.optional(paymentMethodDataSchema),
  return_url: z.optional(z.string()),
  client_secret: z.optional(z.string()),
});
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
// next_action shapes (known types). The payment schema keeps next_action as a loose object with
// a string `type`; `parseNextAction` below narrows it to one of these, or says it is unknown.

const url = z.string();

export const redirectToUrlSchema = z.looseObject({
  type: z.literal('redirect_to_url'),
  redirect_to_url: url,
});

export const threeDsInvokeSchema = z.looseObject({
  type: z.literal('three_ds_invoke'),
  three_ds_data: z.looseObject({
    three_ds_authentication_url: z.optional(url),
    three_ds_authorize_url: z.optional(url),
    message_version: z.optional(z.string()),
    three_ds_method_details: z.optional(
      z.nullable(
        z.looseObject({
          three_ds_method_key: z.optional(z.string()),
          three_ds_method_data_submission: z.optional(z.boolean()),
          three_ds_method_data: z.optional(z.nullable(z.string())),
          three_ds_method_url: z.optional(z.nullable(url)),
        }),
      ),
    ),
    poll_config: z.optional(
      z.nullable(
        z.looseObject({
          poll_id: z.optional(z.string()),
          delay_in_secs: z.optional(z.number()),
          frequency: z.optional(z.number()),
        }),
      ),
    ),
  }),
});

export const sdkSessionTokenSchema = z.looseObject({
  type: z.literal('third_party_sdk_session_token'),
  session_token: z.looseObject({ wallet_name: z.string() }),
});

export const bankTransferInformationSchema = z.looseObject({
  type: z.literal('display_bank_transfer_information'),
  bank_transfer_steps_and_charges_details: z.record(
    z.string(),
    z.record(z.string(), z.nullable(z.union([z.string(), z.number(), z.boolean()]))),
  ),
  receiver: z.optional(
    z.nullable(
      z.looseObject({
        amount_received: z.optional(z.nullable(z.number())),
        amount_charged: z.optional(z.nullable(z.number())),
        amount_remaining: z.optional(z.nullable(z.number())),
      }),
    ),
  ),
});

export const qrCodeInformationSchema = z.looseObject({
  type: z.literal('qr_code_information'),
  image_data_url: z.optional(z.nullable(z.string())),
  qr_code_url: z.optional(z.nullable(url)),
  display_to_timestamp: z.optional(z.nullable(z.number())),
  display_text: z.optional(z.nullable(z.string())),
  border_color: z.optional(z.nullable(z.string())),
});

export const fetchQrCodeInformationSchema = z.looseObject({
  type: z.literal('fetch_qr_code_information'),
  qr_code_fetch_url: url,
});

export const waitScreenInformationSchema = z.looseObject({
  type: z.literal('wait_screen_information'),
  display_from_timestamp: z.number(),
  display_to_timestamp: z.optional(z.nullable(z.number())),
});

/** What `GET qr_code_fetch_url` answers. */
export const fetchedQrCodeSchema = z.looseObject({
  qr_code_url: z.optional(z.nullable(url)),
  image_data_url: z.optional(z.nullable(z.string())),
  display_to_timestamp: z.optional(z.nullable(z.number())),
});
export type FetchedQrCode = z.infer<typeof fetchedQrCodeSchema>;

export const knownNextActionSchema = z.discriminatedUnion('type', [
  redirectToUrlSchema,
  threeDsInvokeSchema,
  sdkSessionTokenSchema,
  bankTransferInformationSchema,
  qrCodeInformationSchema,
  fetchQrCodeInformationSchema,
  waitScreenInformationSchema,
]);
export type KnownNextAction = z.infer<typeof knownNextActionSchema>;
export type RedirectToUrl = z.infer<typeof redirectToUrlSchema>;
export type ThreeDsInvoke = z.infer<typeof threeDsInvokeSchema>;
export type SdkSessionToken = z.infer<typeof sdkSessionTokenSchema>;
export type BankTransferInformation = z.infer<typeof bankTransferInformationSchema>;
export type QrCodeInformation = z.infer<typeof qrCodeInformationSchema>;
export type FetchQrCodeInformation = z.infer<typeof fetchQrCodeInformationSchema>;
export type WaitScreenInformation = z.infer<typeof waitScreenInformationSchema>;

/** A next_action as received: any object with a string `type`. */
export const nextActionSchema = z.looseObject({ type: z.string() });
export type NextAction = z.infer<typeof nextActionSchema>;

export type ParsedNextAction =
  | { known: true; action: KnownNextAction }
  /** Unknown type, or a known type whose fields are not as documented: shown raw. */
  | { known: false; raw: NextAction; problem?: string };

export function parseNextAction(raw: NextAction): ParsedNextAction {
  if (!(NEXT_ACTION_TYPES as readonly string[]).includes(raw.type)) return { known: false, raw };
  const parsed = knownNextActionSchema.safeParse(raw);
  if (parsed.success) return { known: true, action: parsed.data };
  return { known: false, raw, problem: describeZodError(parsed.error) };
}

// ---------------------------------------------------------------------------------------------
// Answers

const nullableString = z.optional(z.nullable(z.string()));
const nullableNumber = z.optional(z.nullable(z.number()));

/** Card details as answered: masked, never the full number or CVC. */
export const cardAnswerSchema = z.looseObject({
  last4: nullableString,
  card_network: nullableString,
  card_exp_month: nullableString,
  card_exp_year: nullableString,
  card_holder_name: nullableString,
});

export const attemptSchema = z.looseObject({
  attempt_id: z.string(),
  status: z.string(),
  amount: z.number(),
  payment_method: nullableString,
  error_code: nullableString,
  error_message: nullableString,
  created_at: z.string(),
  modified_at: nullableString,
});
export type Attempt = z.infer<typeof attemptSchema>;

export const captureSchema = z.looseObject({
  capture_id: z.string(),
  status: z.string(),
  amount: z.number(),
  created_at: z.string(),
});
export type Capture = z.infer<typeof captureSchema>;

export const paymentSchema = z.looseObject({
  payment_id: z.string(),
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
  description: nullableString,
  metadata: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  return_url: nullableString,
  payment_method: nullableString,
  payment_method_type: nullableString,
  payment_method_data: z.optional(
    z.nullable(z.looseObject({ card: z.optional(z.nullable(cardAnswerSchema)) })),
  ),
  next_action: z.optional(z.nullable(nextActionSchema)),
  error_code: nullableString,
  error_message: nullableString,
  cancellation_reason: nullableString,
  connector: nullableString,
  attempt_count: nullableNumber,
  created: z.string(),
  modified_at: nullableString,
  expires_on: nullableString,
  attempts: z.optional(z.nullable(z.array(attemptSchema))),
  captures: z.optional(z.nullable(z.array(captureSchema))),
});
export type Payment = z.infer<typeof paymentSchema> & { status: PaymentStatus };

export const paymentListSchema = z.looseObject({
  size: z.number(),
  data: z.array(paymentSchema),
});
export type PaymentList = z.infer<typeof paymentListSchema>;

export const errorBodySchema = z.looseObject({
  error: z.looseObject({
    type: z.string(),
    message: z.string(),
    code: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

// ---------------------------------------------------------------------------------------------

/** A zod error as one sentence that names the field(s), for a person. */
export function describeZodError(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.length ? issue.path.map(String).join('.') : '(the whole answer)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
