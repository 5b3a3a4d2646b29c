/**
 * The API's enumerations (perfectpay-api.md): the known values. Answers may carry others, which are
 * shown raw. Pure: imports nothing.
 */
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
