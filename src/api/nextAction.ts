/**
 * next_action shapes (known types), apart from the other schemas: the inspector's view of a
 * next_action (src/inspector/nextActionView.ts) runs in the extension bundle and needs only these,
 * so the rest of ./schemas.ts stays in the lazily loaded runtime. ./schemas.ts re-exports them.
 */
import * as z from 'zod/mini';
import { nullableString, nullableNumber } from './zodFields';
import { NEXT_ACTION_TYPES } from '../domain/payment';
import { describeZodError } from './zodError';

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
    message_version: nullableString,
    directory_server_id: nullableString,
    three_ds_method_details: z.optional(
      z.nullable(
        z.looseObject({
          three_ds_method_key: z.optional(z.string()),
          three_ds_method_data_submission: z.optional(z.boolean()),
          three_ds_method_data: nullableString,
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

/** A value of the bank transfer instructions: text, a number or a flag. */
const bankFieldSchema = z.nullable(z.union([z.string(), z.number(), z.boolean()]));

export const bankTransferInformationSchema = z.looseObject({
  type: z.literal('display_bank_transfer_information'),
  // Hyperswitch's BankTransferNextStepsData: one instructions object (ach_credit_transfer,
  // sepa_bank_instructions, …) and the `receiver` amounts, side by side. A null section says
  // nothing and is dropped.
  bank_transfer_steps_and_charges_details: z.pipe(
    z.record(z.string(), z.nullable(z.record(z.string(), bankFieldSchema))),
    z.transform((sections) => {
      const out: Record<string, Record<string, string | number | boolean | null>> = {};
      for (const [name, fields] of Object.entries(sections)) if (fields) out[name] = fields;
      return out;
    }),
  ),
  /** Where older answers put the receiver (beside the details, not inside them). */
  receiver: z.optional(
    z.nullable(
      z.looseObject({
        amount_received: nullableNumber,
        amount_charged: nullableNumber,
        amount_remaining: nullableNumber,
      }),
    ),
  ),
});

export const qrCodeInformationSchema = z.looseObject({
  type: z.literal('qr_code_information'),
  image_data_url: nullableString,
  qr_code_url: z.optional(z.nullable(url)),
  display_to_timestamp: nullableNumber,
  display_text: nullableString,
  border_color: nullableString,
});

export const fetchQrCodeInformationSchema = z.looseObject({
  type: z.literal('fetch_qr_code_information'),
  qr_code_fetch_url: url,
});

/** Hyperswitch's PollConfig: how often to read the payment again while a wait screen shows. */
const pollConfigSchema = z.looseObject({ delay_in_secs: z.optional(z.number()), frequency: z.optional(z.number()) });

export const waitScreenInformationSchema = z.looseObject({
  type: z.literal('wait_screen_information'),
  display_from_timestamp: z.number(),
  display_to_timestamp: nullableNumber,
  poll_config: z.optional(z.nullable(pollConfigSchema)),
});

/** What `GET qr_code_fetch_url` answers. */
export const fetchedQrCodeSchema = z.looseObject({
  qr_code_url: z.optional(z.nullable(url)),
  image_data_url: nullableString,
  display_to_timestamp: nullableNumber,
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

