/**
 * The sandbox's error answers (perfectpay-api.md, "Errors"): one class carrying the HTTP status,
 * the code, the type and the message, and one constructor per row of the table.
 */

export type ErrorType =
  | 'invalid_request'
  | 'object_not_found'
  | 'duplicate_request'
  | 'validation_error'
  | 'processing_error'
  | 'server_not_available'
  | 'router_error'
  | 'connector_error';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly type: ErrorType,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { type: string; message: string; code: string } } {
    return { error: { type: this.type, message: this.message, code: this.code } };
  }
}

export const unauthorized = () =>
  new ApiError(401, 'IR_01', 'invalid_request', 'API key not provided or invalid API key used');
export const unknownRoute = () => new ApiError(404, 'IR_02', 'invalid_request', 'Unrecognized request URL');
export const wrongMethod = () =>
  new ApiError(405, 'IR_03', 'invalid_request', 'The HTTP method is not applicable for this API');
export const missingParam = (field: string) =>
  new ApiError(400, 'IR_04', 'invalid_request', `Missing required param: ${field}`);
export const invalidFormat = (field: string, format: string) =>
  new ApiError(400, 'IR_05', 'invalid_request', `${field} contains invalid data. Expected format is ${format}`);
export const invalidData = (message: string) => new ApiError(400, 'IR_06', 'invalid_request', message);
export const invalidValue = (field: string) =>
  new ApiError(400, 'IR_07', 'invalid_request', `Invalid value provided: ${field}`);
export const clientSecretMismatch = () =>
  new ApiError(
    400,
    'IR_09',
    'invalid_request',
    'The client_secret provided does not match the client_secret associated with the Payment',
  );
/** Hyperswitch's PaymentUnexpectedState: the flow, the field that forbids it, and what would allow it. */
const unexpectedState = (flow: string, field: string, value: string, expected: string) =>
  new ApiError(
    400,
    'IR_14',
    'invalid_request',
    `This Payment could not be ${flow} because it has a ${field} of ${value}. The expected state is ${expected}`,
  );
export const statusNotAllowed = (flow: string, status: string, expected: readonly string[]) =>
  unexpectedState(flow, 'payment.status', status, expected.join(', '));
/** A refund of a payment in a status that has nothing to refund (Hyperswitch's text: `status`, not `payment.status`). */
export const refundStatusNotAllowed = (status: string, expected: readonly string[]) =>
  unexpectedState('refund', 'status', status, expected.join(', '));
/** Hyperswitch's RefundAmountExceedsPaymentAmount. */
export const refundAmountExceeded = () =>
  new ApiError(400, 'IR_13', 'invalid_request', 'The refund amount exceeds the amount captured');
/** Hyperswitch's DuplicateRefundRequest: a `refund_id` used before. */
export const duplicateRefund = () =>
  new ApiError(400, 'HE_01', 'duplicate_request', 'Duplicate refund request. Refund already attempted with the refund ID');
export const refundNotFound = () =>
  new ApiError(404, 'HE_02', 'object_not_found', 'Refund does not exist in our records');
/** A second capture of a `manual` payment: only `manual_multiple` captures more than once. */
export const captureMethodNotAllowed = (captureMethod: string) =>
  unexpectedState('captured', 'capture_method', captureMethod, 'manual_multiple');
/** Hyperswitch's PreconditionFailed (IR_16): a cancel in the wrong status, card data that cannot be right. */
export const preconditionFailed = (message: string) => new ApiError(400, 'IR_16', 'invalid_request', message);
export const cancelNotAllowed = (status: string) =>
  preconditionFailed(`You cannot cancel this payment because it has status ${status}`);
/** serde's message for a field the struct does not have: every expected one, in backticks, in order. */
export const unknownField = (field: string, expected: readonly string[]) =>
  invalidData(
    `Json deserialize error: unknown field \`${field}\`, expected ${
      expected.length === 1 ? `\`${expected[0]}\`` : `one of ${expected.map((f) => `\`${f}\``).join(', ')}`
    }`,
  );
export const duplicatePayment = (id: string) =>
  new ApiError(
    400,
    'HE_01',
    'duplicate_request',
    `The payment with the specified payment_id '${id}' already exists in our records`,
  );
export const paymentNotFound = () =>
  new ApiError(404, 'HE_02', 'object_not_found', 'Payment does not exist in our records');
export const eventNotFound = () => new ApiError(404, 'HE_02', 'object_not_found', 'Event does not exist in our records');
export const merchantNotFound = () => new ApiError(404, 'HE_02', 'object_not_found', 'Merchant account does not exist in our records');
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError(429, 'RE_04', 'server_not_available', 'Too many requests', {
    'retry-after': String(retryAfterSeconds),
  });
export const serverError = () => new ApiError(500, 'HE_00', 'server_not_available', 'Something went wrong');
/** A connection over the sandbox's cap: refused before anything ran (safe to send again). */
export const tooManyConnections = (cap: number, retryAfterSeconds: number) =>
  new ApiError(503, 'HE_00', 'server_not_available', `Too many connections at once (the sandbox holds ${cap}): try again in a moment`, {
    'retry-after': String(retryAfterSeconds),
  });
/** A key sent in the URL: refused, so that it never reaches a log, a history or a proxy. */
export const keyInUrl = (param: string) =>
  invalidFormat(param, 'the api-key header: a key in the URL is refused (URLs end up in logs and browser history)');
export const notJson = () => invalidFormat('content-type', 'application/json');
export const bodyTooLarge = (limit: number) =>
  new ApiError(
    413,
    'IR_05',
    'invalid_request',
    `body contains invalid data. Expected format is a JSON object of at most ${limit} bytes`,
  );
