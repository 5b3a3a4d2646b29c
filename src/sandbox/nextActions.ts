/**
 * The next_action objects of perfectpay-api.md ("next_action shapes"), one per customer step.
 * Every URL points at the sandbox's own pages (`/sandbox/...`) on the address it listens on.
 */
import { formatMinorUnits } from '../domain/money';
import { qrPng } from './png';
import type { ActionKind, StoredPayment } from './types';

export function paymentPageUrl(baseUrl: string, paymentId: string, page = ''): string {
  return `${baseUrl}/sandbox/payments/${encodeURIComponent(paymentId)}${page ? '/' + page : ''}`;
}

/** The URL a QR code carries: the page where the customer's step is completed or failed. */
export const qrTargetUrl = (baseUrl: string, id: string) => paymentPageUrl(baseUrl, id, 'qr');
/** What `fetch_qr_code_information` points at: GET without api-key answers fresh QR data. */
export const qrFetchUrl = (baseUrl: string, id: string) => paymentPageUrl(baseUrl, id, 'qr_code');

export async function qrPngDataUrl(text: string): Promise<string> {
  return `data:image/png;base64,${qrPng(text, { errorCorrectionLevel: 'M', margin: 2, scale: 4 }).toString('base64')}`;
}

/** The decimal amount wallets want ("49.99"). */
const decimalAmount = (p: StoredPayment) => formatMinorUnits(p.amount, p.currency);

function bankDetails(type: string, p: StoredPayment): Record<string, Record<string, string | number | boolean | null>> {
  const ref = p.payment_id.slice(4, 16).toUpperCase();
  switch (type) {
    case 'sepa':
      return {
        sepa_bank_instructions: {
          account_holder_name: 'PerfectPay Sandbox GmbH',
          bic: 'PPAYDEFFXXX',
          country: 'DE',
          iban: 'DE89370400440532013000',
          reference: ref,
        },
      };
    case 'bacs':
      return {
        bacs_bank_instructions: {
          account_holder_name: 'PerfectPay Sandbox Ltd',
          account_number: '31926819',
          sort_code: '60-16-13',
          reference: ref,
        },
      };
    default:
      return {
        ach_credit_transfer: {
          account_number: '000123456789',
          bank_name: 'PerfectPay Sandbox Bank',
          routing_number: '110000000',
          swift_code: 'PPAYUS33XXX',
        },
      };
  }
}

function sessionToken(type: string, p: StoredPayment): Record<string, unknown> {
  const amount = decimalAmount(p);
  switch (type) {
    case 'apple_pay':
      return {
        wallet_name: 'apple_pay',
        connector: 'perfectpay_sandbox',
        session_token_data: {
          epoch_timestamp: p.modifiedMs,
          expires_at: p.expiresMs,
          merchant_session_identifier: `sandbox_${p.payment_id}`,
          display_name: 'PerfectPay Sandbox',
        },
        payment_request_data: {
          country_code: 'US',
          currency_code: p.currency,
          total: { label: 'PerfectPay Sandbox', type: 'final', amount },
          merchant_capabilities: ['supports3DS'],
          supported_networks: ['visa', 'masterCard', 'amex'],
        },
        sdk_next_action: { next_action: 'confirm' },
      };
    case 'paypal':
      return {
        wallet_name: 'paypal',
        connector: 'perfectpay_sandbox',
        session_token: `EC-SANDBOX${p.payment_id.slice(4, 18).toUpperCase()}`,
        sdk_next_action: { next_action: 'post_session_tokens' },
      };
    default:
      return {
        wallet_name: 'google_pay',
        connector: 'perfectpay_sandbox',
        merchant_info: { merchant_name: 'PerfectPay Sandbox' },
        allowed_payment_methods: [
          {
            type: 'CARD',
            parameters: { allowed_auth_methods: ['PAN_ONLY', 'CRYPTOGRAM_3DS'], allowed_card_networks: ['VISA', 'MASTERCARD'] },
            tokenization_specification: {
              type: 'PAYMENT_GATEWAY',
              parameters: { gateway: 'perfectpay', gateway_merchant_id: 'sandbox' },
            },
          },
        ],
        transaction_info: {
          country_code: 'US',
          currency_code: p.currency,
          total_price_status: 'FINAL',
          total_price: amount,
        },
        delayed_session_token: false,
        sdk_next_action: { next_action: 'confirm' },
      };
  }
}

/** Builds the next_action of a payment waiting for `action` (its type is p.payment_method_type). */
export async function buildNextAction(
  action: ActionKind,
  p: StoredPayment,
  baseUrl: string,
  nowMs: number,
): Promise<Record<string, unknown>> {
  const id = p.payment_id;
  const type = p.payment_method_type ?? '';
  switch (action) {
    case 'three_ds_redirect':
      return { type: 'redirect_to_url', redirect_to_url: paymentPageUrl(baseUrl, id, '3ds') };
    case 'redirect':
      return { type: 'redirect_to_url', redirect_to_url: paymentPageUrl(baseUrl, id, 'redirect') };
    case 'three_ds_invoke': {
      const transId = `3ds_${id.slice(4)}`;
      const methodData = Buffer.from(
        JSON.stringify({
          threeDSServerTransID: transId,
          threeDSMethodNotificationURL: paymentPageUrl(baseUrl, id, '3ds/method/notify'),
        }),
      ).toString('base64');
      return {
        type: 'three_ds_invoke',
        three_ds_data: {
          three_ds_authentication_url: paymentPageUrl(baseUrl, id, '3ds/authenticate'),
          three_ds_authorize_url: paymentPageUrl(baseUrl, id, '3ds/authorize'),
          message_version: '2.2.0',
          three_ds_method_details: {
            three_ds_method_key: 'threeDSMethodData',
            three_ds_method_data_submission: true,
            three_ds_method_data: methodData,
            three_ds_method_url: paymentPageUrl(baseUrl, id, '3ds/method'),
          },
          poll_config: { poll_id: `external_authentication_${id}`, delay_in_secs: 1, frequency: 5 },
        },
      };
    }
    case 'sdk_session_token':
      return { type: 'third_party_sdk_session_token', session_token: sessionToken(type, p) };
    case 'bank_transfer':
      return {
        type: 'display_bank_transfer_information',
        // Hyperswitch's BankTransferNextStepsData: the instructions and the receiver side by side.
        bank_transfer_steps_and_charges_details: {
          ...bankDetails(type, p),
          receiver: { amount_received: 0, amount_charged: null, amount_remaining: p.amount },
        },
      };
    case 'qr_image': {
      const target = qrTargetUrl(baseUrl, id);
      return {
        type: 'qr_code_information',
        image_data_url: await qrPngDataUrl(target),
        qr_code_url: target,
        display_to_timestamp: p.expiresMs,
        display_text: 'Scan to pay',
        border_color: '#0A84FF',
      };
    }
    case 'qr_url':
      return {
        type: 'qr_code_information',
        qr_code_url: qrTargetUrl(baseUrl, id),
        display_to_timestamp: p.expiresMs,
        display_text: 'Scan to pay with DuitNow',
        border_color: '#ED2E67',
      };
    case 'qr_fetch':
      return { type: 'fetch_qr_code_information', qr_code_fetch_url: qrFetchUrl(baseUrl, id) };
    case 'wait_screen':
      return { type: 'wait_screen_information', display_from_timestamp: nowMs, display_to_timestamp: nowMs + 60_000 };
  }
}

/** Whether a customer step is a 3DS one (its failure is an authentication failure). */
export const isThreeDs = (action: ActionKind) => action === 'three_ds_redirect' || action === 'three_ds_invoke';
