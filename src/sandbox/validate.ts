/**
 * Request validation: the shared zod schemas, mapped to the documented error codes, plus the
 * range checks the schemas do not express (amount > 0, currency, Luhn, expiry), and the decision
 * of what a payment method leads to. The full card number and CVC are read here and dropped: only
 * the masked card and the outcome leave this module.
 */
import * as z from 'zod/mini';
import { cancelPaymentRequestSchema, capturePaymentRequestSchema, confirmPaymentRequestSchema, createPaymentRequestSchema, simulateRequestSchema, type CancelPaymentRequest, type CapturePaymentRequest, type ConfirmPaymentRequest, type CreatePaymentRequest, type PaymentMethodData, type SimulateRequest } from '../api/schemas';
import { type AuthenticationType } from '../domain/payment';
import { isKnownCurrency } from '../domain/money';
import { findTestCard, luhnValid, TEST_METHODS } from '../domain/cards';
import { invalidData, invalidFormat, invalidValue, missingParam, type ApiError } from './errors';
import type { ActionKind, MaskedCard, ResolvedMethod } from './types';

// ---------------------------------------------------------------------------------------------
// Generic: zod issue → IR_04 / IR_05 / IR_07

/** Formats named in IR_05 messages, by field path. */
const FIELD_FORMATS: Record<string, string> = {
  amount: "an integer amount in the currency's minor unit",
  amount_to_capture: "an integer amount in the currency's minor unit",
  currency: 'an ISO 4217 currency code in upper case, e.g. USD',
  metadata: 'an object whose values are strings',
  payment_method_data: 'an object keyed by payment method, e.g. {"card": {...}}',
  'payment_method_data.card': 'an object with card_number, card_exp_month, card_exp_year',
};

function describeExpected(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') {
    return 'one of ' + issue.values.map((v) => String(v)).join(', ');
  }
  if (issue.code === 'invalid_type') {
    switch (issue.expected) {
      case 'int':
      case 'number':
        return 'an integer';
      case 'string':
        return 'a string';
      case 'boolean':
        return 'a boolean (true or false)';
      case 'object':
      case 'record':
        return 'a JSON object';
      default:
        return String(issue.expected);
    }
  }
  return 'a valid value';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function issueToError(issue: z.core.$ZodIssue, input: unknown): ApiError {
  const field = issue.path.map(String).join('.');
  if (issue.path.length === 0) return invalidFormat('body', 'a JSON object');
  if (valueAt(input, issue.path) === undefined) return missingParam(field);
  if (issue.code === 'too_big' || issue.code === 'too_small') return invalidValue(field);
  const format = FIELD_FORMATS[field] ?? describeExpected(issue);
  return invalidFormat(field, format);
}

/** JSON `null` means "not given" for optional fields (as serde's `Option` reads it). */
function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

function parse<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidFormat('body', 'a JSON object');
  }
  const input = dropNulls(body);
  const result = schema.safeParse(input);
  if (!result.success) throw issueToError(result.error.issues[0]!, input);
  return result.data;
}

/** A value from the caller, safe to echo in a message: short identifiers only, never digits runs. */
export function echo(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]{0,39}$/.test(value) ? `'${value}'` : '(the given value)';
}

// ---------------------------------------------------------------------------------------------
// Payment methods

const CARD_TYPES = ['credit', 'debit'];

const ACTION_BY_TYPE: Record<string, ActionKind> = {
  ach: 'bank_transfer',
  sepa: 'bank_transfer',
  bacs: 'bank_transfer',
  pix: 'qr_image',
  duit_now: 'qr_url',
  fps: 'qr_fetch',
  google_pay: 'sdk_session_token',
  apple_pay: 'sdk_session_token',
  paypal: 'sdk_session_token',
  klarna: 'redirect',
  boleto: 'wait_screen',
};

/** payment_method → its payment_method_types, from the shared TEST_METHODS (plus card). */
export const SUPPORTED_METHODS: Readonly<Record<string, readonly string[]>> = (() => {
  const out: Record<string, string[]> = { card: [...CARD_TYPES] };
  for (const m of TEST_METHODS) (out[m.payment_method] ??= []).push(m.payment_method_type);
  return out;
})();

export function cardNetwork(digits: string): string {
  if (/^4/.test(digits)) return 'Visa';
  if (/^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/.test(digits)) return 'Mastercard';
  if (/^3[47]/.test(digits)) return 'AmericanExpress';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'Discover';
  if (/^35/.test(digits)) return 'JCB';
  if (/^3(0[0-5]|[68])/.test(digits)) return 'DinersClub';
  if (/^62/.test(digits)) return 'UnionPay';
  return 'Unknown';
}

const CARD = 'payment_method_data.card';

/** Checks raw card data and reduces it to the masked card and the test card's outcome. */
function checkCard(
  pmd: PaymentMethodData | undefined,
  nowMs: number,
): { card: MaskedCard; testOutcome: ReturnType<typeof findTestCard> } {
  const raw = pmd?.card;
  if (!raw) throw missingParam(CARD);
  const digits = raw.card_number.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits)) throw invalidFormat(`${CARD}.card_number`, 'a card number of 12 to 19 digits');
  if (!luhnValid(digits)) throw invalidValue(`${CARD}.card_number`);
  const monthText = raw.card_exp_month.trim();
  if (!/^\d{1,2}$/.test(monthText)) throw invalidFormat(`${CARD}.card_exp_month`, 'a month number from 1 to 12, e.g. "10"');
  const month = Number(monthText);
  if (month < 1 || month > 12) throw invalidValue(`${CARD}.card_exp_month`);
  const yearText = raw.card_exp_year.trim();
  if (!/^(\d{2}|\d{4})$/.test(yearText)) throw invalidFormat(`${CARD}.card_exp_year`, 'a year of 2 or 4 digits, e.g. "30"');
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const now = new Date(nowMs);
  const nowYear = now.getUTCFullYear();
  const nowMonth = now.getUTCMonth() + 1;
  if (year < nowYear) throw invalidValue(`${CARD}.card_exp_year`);
  if (year === nowYear && month < nowMonth) throw invalidValue(`${CARD}.card_exp_month`);
  if (raw.card_cvc !== undefined && !/^\d{3,4}$/.test(raw.card_cvc.trim())) {
    throw invalidFormat(`${CARD}.card_cvc`, '3 or 4 digits');
  }
  const holder = raw.card_holder_name?.trim();
  return {
    card: {
      last4: digits.slice(-4),
      card_network: cardNetwork(digits),
      card_exp_month: monthText,
      card_exp_year: yearText,
      card_holder_name: holder ? holder : null,
    },
    testOutcome: findTestCard(digits),
  };
}

/**
 * Validates a payment method and decides what a confirm with it leads to. `payment_method` may be
 * left out when `payment_method_data.card` is given.
 */
export function resolveMethod(
  paymentMethod: string | undefined,
  paymentMethodType: string | undefined,
  pmd: PaymentMethodData | undefined,
  authenticationType: AuthenticationType,
  nowMs: number,
): ResolvedMethod {
  const method = paymentMethod ?? (pmd?.card ? 'card' : undefined);
  if (!method) throw missingParam('payment_method');
  const types = SUPPORTED_METHODS[method];
  if (!types) {
    throw invalidData(
      `payment_method ${echo(method)} is not supported by the sandbox. Supported: ${Object.keys(SUPPORTED_METHODS).join(', ')}`,
    );
  }
  if (method === 'card') {
    const type = paymentMethodType ?? 'credit';
    if (!CARD_TYPES.includes(type)) {
      throw invalidData(
        `payment_method_type ${echo(type)} is not supported for payment_method 'card'. Supported: ${CARD_TYPES.join(', ')}`,
      );
    }
    const { card, testOutcome } = checkCard(pmd, nowMs);
    const outcome = testOutcome?.outcome ?? { kind: 'authorised' as const };
    const threeDs = authenticationType === 'three_ds';
    const base = { payment_method: 'card', payment_method_type: type, card };
    switch (outcome.kind) {
      case 'declined':
        return { ...base, outcome: { kind: 'decline', code: outcome.code, message: outcome.message } };
      case 'three_ds_redirect':
        return { ...base, outcome: { kind: 'action', action: 'three_ds_redirect', then: 'authorise' } };
      case 'three_ds_invoke':
        return { ...base, outcome: { kind: 'action', action: 'three_ds_invoke', then: 'authorise' } };
      case 'processing':
        return {
          ...base,
          outcome: threeDs
            ? { kind: 'action', action: 'three_ds_redirect', then: 'processing' }
            : { kind: 'processing' },
        };
      case 'authorised':
        return {
          ...base,
          outcome: threeDs
            ? { kind: 'action', action: 'three_ds_redirect', then: 'authorise' }
            : { kind: 'authorise' },
        };
    }
  }
  if (paymentMethodType === undefined) throw missingParam('payment_method_type');
  if (!types.includes(paymentMethodType)) {
    throw invalidData(
      `payment_method_type ${echo(paymentMethodType)} is not supported for payment_method ${echo(method)}. Supported: ${types.join(', ')}`,
    );
  }
  return {
    payment_method: method,
    payment_method_type: paymentMethodType,
    card: null,
    outcome: { kind: 'action', action: ACTION_BY_TYPE[paymentMethodType]!, then: 'authorise' },
  };
}

// ---------------------------------------------------------------------------------------------
// Requests

const PAYMENT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

function checkUrl(field: string, value: string | undefined): void {
  if (value === undefined) return;
  let ok = false;
  try {
    const u = new URL(value);
    ok = u.protocol === 'http:' || u.protocol === 'https:' || /^[a-z][a-z0-9+.-]*:$/.test(u.protocol);
  } catch {
    ok = false;
  }
  if (!ok) throw invalidFormat(field, 'an absolute URL, e.g. https://example.com/checkout/complete');
}

export interface ValidCreate {
  req: CreatePaymentRequest;
  method: ResolvedMethod | null;
}

export function validateCreate(body: unknown, nowMs: number): ValidCreate {
  const req = parse(createPaymentRequestSchema, body);
  if (req.amount <= 0) throw invalidValue('amount');
  if (!isKnownCurrency(req.currency)) throw invalidValue('currency');
  if (req.payment_id !== undefined && !PAYMENT_ID_RE.test(req.payment_id)) {
    throw invalidFormat('payment_id', "up to 64 letters, digits, '_' or '-'");
  }
  checkUrl('return_url', req.return_url);
  const hasMethod =
    req.payment_method !== undefined || req.payment_method_type !== undefined || req.payment_method_data !== undefined;
  const method = hasMethod || req.confirm
    ? resolveMethod(
        req.payment_method,
        req.payment_method_type,
        req.payment_method_data,
        req.authentication_type ?? 'no_three_ds',
        nowMs,
      )
    : null;
  return { req, method };
}

export function validateConfirm(body: unknown): ConfirmPaymentRequest {
  const req = parse(confirmPaymentRequestSchema, body);
  checkUrl('return_url', req.return_url);
  return req;
}

export function validateCapture(body: unknown): CapturePaymentRequest {
  const req = parse(capturePaymentRequestSchema, body);
  if (req.amount_to_capture !== undefined && req.amount_to_capture <= 0) throw invalidValue('amount_to_capture');
  return req;
}

export function validateCancel(body: unknown): CancelPaymentRequest {
  return parse(cancelPaymentRequestSchema, body);
}

export function validateSimulate(body: unknown): SimulateRequest {
  return parse(simulateRequestSchema, body);
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface ListQuery {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
  customerId?: string;
  /** Inclusive lower and upper bounds on `created`, in ms. */
  fromMs: number;
  toMs: number;
}

const ISO_FORMAT = 'an ISO 8601 date-time, e.g. 2026-11-24T15:04:05Z';

function parseTime(field: string, text: string): number {
  // An unencoded "+01:00" arrives as " 01:00" (a query string's "+" is a space).
  const t = text.trim().replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$/, '$1+$2');
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(t)) {
    throw invalidFormat(field, ISO_FORMAT);
  }
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(t) && t.length > 10;
  const ms = Date.parse(hasZone ? t : t.length === 10 ? `${t}T00:00:00Z` : `${t.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw invalidFormat(field, ISO_FORMAT);
  return ms;
}

export function parseListQuery(params: URLSearchParams): ListQuery {
  const q: ListQuery = { limit: 10, fromMs: -Infinity, toMs: Infinity };
  const limit = params.get('limit');
  if (limit !== null) {
    if (!/^-?\d+$/.test(limit.trim())) throw invalidFormat('limit', 'an integer from 1 to 100');
    const n = Number(limit);
    if (n < 1 || n > 100) throw invalidValue('limit');
    q.limit = n;
  }
  for (const key of ['starting_after', 'ending_before', 'customer_id'] as const) {
    const v = params.get(key);
    if (v === null) continue;
    if (v.trim() === '') throw invalidFormat(key, key === 'customer_id' ? 'a customer id' : 'a payment id');
    if (key === 'starting_after') q.startingAfter = v;
    else if (key === 'ending_before') q.endingBefore = v;
    else q.customerId = v;
  }
  const bound = (key: string, apply: (ms: number) => void) => {
    const v = params.get(key);
    if (v !== null) apply(parseTime(key, v));
  };
  bound('created', (ms) => { q.fromMs = Math.max(q.fromMs, ms); q.toMs = Math.min(q.toMs, ms); });
  bound('created.gte', (ms) => { q.fromMs = Math.max(q.fromMs, ms); });
  bound('created.gt', (ms) => { q.fromMs = Math.max(q.fromMs, ms + 1); });
  bound('created.lte', (ms) => { q.toMs = Math.min(q.toMs, ms); });
  bound('created.lt', (ms) => { q.toMs = Math.min(q.toMs, ms - 1); });
  return q;
}

/** `true`/`false` query flags (`expand_attempts`, `expand_captures`). */
export function parseFlag(params: URLSearchParams, key: string): boolean {
  const v = params.get(key);
  if (v === null) return false;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0' || t === '') return false;
  throw invalidFormat(key, 'true or false');
}
