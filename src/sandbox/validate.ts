/**
 * Request validation: the shared zod schemas, mapped to the documented error codes, plus the
 * checks the schemas do not express (amount > 0, currency, Luhn, expiry, CVC, URLs), and the
 * decision of what a payment method leads to. The full card number and CVC are read here and
 * dropped: only the masked card and the outcome leave this module.
 */
import * as z from 'zod/mini';
import { EVENTS_LIST_MAX_LIMIT, eventListConstraintsSchema, webhookSettingsRequestSchema, type EventListConstraints, REFUND_REQUEST_FIELDS, REFUND_UPDATE_FIELDS, refundListFilterSchema, refundRequestSchema, refundUpdateRequestSchema, type RefundListFilter, type RefundRequest, type RefundUpdateRequest, cancelPaymentRequestSchema, capturePaymentRequestSchema, confirmPaymentRequestSchema, createPaymentRequestSchema, paymentListFilterSchema, simulateRequestSchema, type CancelPaymentRequest, type CapturePaymentRequest, type ConfirmPaymentRequest, type CreatePaymentRequest, type PaymentListFilter, type PaymentMethodData, type SimulateRequest } from '../api/schemas';
import { cardNetwork, findTestCard, luhnValid, maskCardsInText, TEST_METHODS } from '../domain/cards';
import { EVENT_CLASSES, EVENT_TYPES } from '../domain/events';
import { isKnownCurrency } from '../domain/money';
import { PAYMENT_REQUEST_FIELDS } from '../domain/payment';
import { isThreeDs } from './nextActions';
import { ApiError, invalidData, invalidFormat, invalidValue, missingParam, preconditionFailed, unknownField } from './errors';
import type { ActionKind, MaskedCard, Outcome, ResolvedMethod } from './types';

// ---------------------------------------------------------------------------------------------
// Generic: zod issue → IR_04 / IR_05 / IR_06 / IR_07

/** Formats named in IR_05 messages, by field path (looked up as own properties only). */
const FIELD_FORMATS: Readonly<Record<string, string>> = {
  amount: "an integer amount in the currency's minor unit",
  amount_to_capture: "an integer amount in the currency's minor unit",
  currency: 'an ISO 4217 currency code in upper case, e.g. USD',
  metadata: 'a JSON object',
  payment_method_data: 'an object keyed by payment method, e.g. {"card": {...}}',
  'payment_method_data.card': 'an object with card_number, card_exp_month, card_exp_year, card_cvc',
  billing: 'an address: {"address": {...}, "phone": {...}, "email": ...}',
  shipping: 'an address: {"address": {...}, "phone": {...}, "email": ...}',
};

function formatOf(field: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(FIELD_FORMATS, field) ? FIELD_FORMATS[field] : undefined;
}

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
      case 'array':
        return 'a JSON array';
      default:
        return String(issue.expected);
    }
  }
  return 'a valid value';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function issueToError(issue: z.core.$ZodIssue, input: unknown, fields: readonly string[]): ApiError {
  if (issue.code === 'unrecognized_keys') return unknownField(issue.keys[0] ?? '', fields);
  const field = issue.path.map(String).join('.');
  if (issue.path.length === 0) return invalidFormat('body', 'a JSON object');
  if (valueAt(input, issue.path) === undefined) return missingParam(field);
  if (issue.code === 'too_big' || issue.code === 'too_small') return invalidValue(field);
  return invalidFormat(field, formatOf(field) ?? describeExpected(issue));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON `null` means "not given" for an optional field (as serde's `Option` reads it). */
function dropNulls(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = v;
  return out;
}

interface ParseOptions {
  /** The only fields the body may have, in the order the "expected one of" message lists them. */
  fields?: readonly string[];
}

function parse<T>(schema: z.ZodMiniType<T>, body: unknown, opts: ParseOptions = {}): T {
  if (!isObject(body)) throw invalidFormat('body', 'a JSON object');
  if (opts.fields) {
    // The first unknown field in the body's own order, as serde meets it.
    const known = new Set(opts.fields);
    const unknown = Object.keys(body).find((k) => !known.has(k));
    if (unknown !== undefined) throw unknownField(unknown, opts.fields);
  }
  const input = dropNulls(body);
  // A card's fields are options too (a null holder name is no holder name).
  const pmd = input.payment_method_data;
  if (isObject(pmd)) {
    const card = isObject(pmd.card) ? { card: dropNulls(pmd.card) } : {};
    input.payment_method_data = { ...dropNulls(pmd), ...card };
  }
  const result = schema.safeParse(input);
  if (!result.success) throw issueToError(result.error.issues[0]!, input, opts.fields ?? []);
  return result.data;
}

/** A value from the caller, safe to echo in a message: short identifiers only, never digit runs. */
export function echo(value: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]{0,39}$/.test(value) ? `'${value}'` : '(the given value)';
}

// ---------------------------------------------------------------------------------------------
// Payment methods

const CARD_TYPES: ReadonlySet<string> = new Set(['credit', 'debit']);

/** The customer step each non-card payment_method_type leads to. A Map: a type is any string. */
const ACTION_BY_TYPE: ReadonlyMap<string, ActionKind> = new Map([
  ['ach', 'bank_transfer'],
  ['sepa', 'bank_transfer'],
  ['bacs', 'bank_transfer'],
  ['pix', 'qr_image'],
  ['duit_now', 'qr_url'],
  ['fps', 'qr_fetch'],
  ['google_pay', 'sdk_session_token'],
  ['apple_pay', 'sdk_session_token'],
  ['paypal', 'sdk_session_token'],
  ['klarna', 'redirect'],
  ['boleto', 'wait_screen'],
]);

/** payment_method → its payment_method_types, from the shared TEST_METHODS (plus card). */
export const SUPPORTED_METHODS: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>([['card', [...CARD_TYPES]]]);
  for (const m of TEST_METHODS) {
    const types = out.get(m.payment_method) ?? [];
    types.push(m.payment_method_type);
    out.set(m.payment_method, types);
  }
  return out;
})();

const CARD = 'payment_method_data.card';

/**
 * Checks raw card data as Hyperswitch does, in its order (number, month, year, CVC), and reduces it
 * to the masked card and the test card's outcome.
 */
function checkCard(
  pmd: PaymentMethodData | undefined,
  paymentMethodType: string,
  nowMs: number,
): { card: MaskedCard; testOutcome: ReturnType<typeof findTestCard> } {
  const raw = pmd?.card;
  if (!raw) throw missingParam(CARD);
  const digits = raw.card_number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) throw invalidValue(`${CARD}.card_number`);
  const monthText = raw.card_exp_month.trim();
  if (!/^\d{1,2}$/.test(monthText)) throw invalidFormat(`${CARD}.card_exp_month`, 'a month number from 1 to 12, e.g. "10"');
  const month = Number(monthText);
  if (month < 1 || month > 12) throw preconditionFailed('Invalid Expiry Month');
  const yearText = raw.card_exp_year.trim();
  if (!/^(\d{2}|\d{4})$/.test(yearText)) throw invalidFormat(`${CARD}.card_exp_year`, 'a year of 2 or 4 digits, e.g. "30"');
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  const now = new Date(nowMs);
  const nowYear = now.getUTCFullYear();
  // A card is good until the end of its expiry month.
  if (year < nowYear || (year === nowYear && month < now.getUTCMonth() + 1)) throw preconditionFailed('Invalid Expiry Year');
  if (raw.card_cvc === undefined) throw missingParam(`${CARD}.card_cvc`);
  const cvc = raw.card_cvc.trim();
  if (cvc.length < 3 || cvc.length > 4) throw preconditionFailed('Invalid card_cvc length');
  if (!/^\d+$/.test(cvc)) throw invalidValue(`${CARD}.card_cvc`);
  const holder = raw.card_holder_name?.trim();
  return {
    card: {
      last4: digits.slice(-4),
      card_network: cardNetwork(digits),
      card_exp_month: monthText,
      card_exp_year: yearText,
      // A holder name is free text: a card number typed into it is masked like anywhere else.
      card_holder_name: holder ? maskCardsInText(holder) : null,
      card_type: paymentMethodType,
      card_isin: digits.slice(0, 6),
    },
    testOutcome: findTestCard(digits),
  };
}

/**
 * Validates a payment method and decides what a confirm with it leads to, before the payment's 3DS
 * settings (see `withThreeDs`). `payment_method` may be left out when `payment_method_data.card` is
 * given.
 */
export function resolveMethod(
  paymentMethod: string | undefined,
  paymentMethodType: string | undefined,
  pmd: PaymentMethodData | undefined,
  nowMs: number,
): ResolvedMethod {
  const method = paymentMethod ?? (pmd?.card ? 'card' : undefined);
  if (!method) throw missingParam('payment_method');
  const types = SUPPORTED_METHODS.get(method);
  if (!types) {
    throw invalidData(
      `payment_method ${echo(method)} is not supported by the sandbox. Supported: ${[...SUPPORTED_METHODS.keys()].join(', ')}`,
    );
  }
  if (method === 'card') {
    const type = paymentMethodType ?? 'credit';
    if (!CARD_TYPES.has(type)) {
      throw invalidData(
        `payment_method_type ${echo(type)} is not supported for payment_method 'card'. Supported: ${[...CARD_TYPES].join(', ')}`,
      );
    }
    const { card, testOutcome } = checkCard(pmd, type, nowMs);
    const outcome = testOutcome?.outcome ?? { kind: 'authorised' as const };
    const base = { payment_method: 'card', payment_method_type: type, card };
    switch (outcome.kind) {
      case 'declined':
        return { ...base, outcome: { kind: 'decline', code: outcome.code, message: outcome.message } };
      case 'three_ds_redirect':
      case 'three_ds_invoke':
        return { ...base, outcome: { kind: 'action', action: 'three_ds_redirect', then: 'authorise' } };
      case 'processing':
        return { ...base, outcome: { kind: 'processing' } };
      case 'authorised':
        return { ...base, outcome: { kind: 'authorise' } };
    }
  }
  if (paymentMethodType === undefined) throw missingParam('payment_method_type');
  const action = ACTION_BY_TYPE.get(paymentMethodType);
  if (!types.includes(paymentMethodType) || !action) {
    throw invalidData(
      `payment_method_type ${echo(paymentMethodType)} is not supported for payment_method ${echo(method)}. Supported: ${types.join(', ')}`,
    );
  }
  return {
    payment_method: method,
    payment_method_type: paymentMethodType,
    card: null,
    outcome: { kind: 'action', action, then: 'authorise' },
  };
}

/**
 * What a method's outcome becomes under the payment's 3DS settings: `authentication_type:
 * three_ds` puts a 3DS step before an authorisation, and a 3DS step is the 3DS method
 * (`three_ds_invoke`) when an external authenticator is asked for, a redirect otherwise.
 * Applying it twice changes nothing.
 */
export function withThreeDs(outcome: Outcome, s: { threeDs: boolean; external: boolean }): Outcome {
  const step: ActionKind = s.external ? 'three_ds_invoke' : 'three_ds_redirect';
  switch (outcome.kind) {
    case 'authorise':
    case 'processing':
      return s.threeDs ? { kind: 'action', action: step, then: outcome.kind === 'authorise' ? 'authorise' : 'processing' } : outcome;
    case 'action':
      return isThreeDs(outcome.action) ? { ...outcome, action: step } : outcome;
    case 'decline':
      return outcome;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

const PAYMENT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Ids are the caller's, answered as given (a digit run in one is an order number or a time far more
 * often than a card number, and masking it would break the id): only their alphabet is checked.
 */
function checkId(field: string, value: string | undefined, format: string): void {
  if (value !== undefined && !PAYMENT_ID_RE.test(value)) throw invalidFormat(field, format);
}

function checkUrl(field: string, value: string | undefined): void {
  if (value === undefined) return;
  let ok = false;
  try {
    const u = new URL(value);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) throw invalidFormat(field, 'an http or https URL, e.g. https://example.com/checkout/complete');
}

/** Range checks shared by create and confirm (a confirm may change these fields too). */
function checkFields(req: ConfirmPaymentRequest): void {
  if (req.amount !== undefined && req.amount <= 0) throw invalidValue('amount');
  if (req.currency !== undefined && !isKnownCurrency(req.currency)) throw invalidValue('currency');
  if (req.amount_to_capture !== undefined && req.amount_to_capture <= 0) throw invalidValue('amount_to_capture');
  // Hyperswitch keeps a session between 60 seconds and about three months.
  if (req.session_expiry !== undefined && (req.session_expiry < 60 || req.session_expiry > 7_890_000)) {
    throw invalidValue('session_expiry');
  }
  checkId('payment_id', req.payment_id, "up to 64 letters, digits, '_' or '-'");
  checkId('customer_id', req.customer_id, "up to 64 letters, digits, '_' or '-'");
  if (req.customer) checkId('customer.id', req.customer.id, "up to 64 letters, digits, '_' or '-'");
  if (req.customer_id !== undefined && req.customer && req.customer.id !== req.customer_id) {
    throw invalidData('The field names `customer_id and customer.id` sent in both places is ambiguous');
  }
  checkUrl('return_url', req.return_url);
  if (req.capture_on !== undefined) parseTime('capture_on', req.capture_on);
}

export interface ValidCreate {
  req: CreatePaymentRequest;
  method: ResolvedMethod | null;
}

const hasMethod = (r: ConfirmPaymentRequest) =>
  r.payment_method !== undefined || r.payment_method_type !== undefined || r.payment_method_data?.card !== undefined ||
  (r.payment_method_data !== undefined && Object.keys(r.payment_method_data).some((k) => k !== 'billing'));

export function validateCreate(body: unknown, nowMs: number): ValidCreate {
  const req = parse(createPaymentRequestSchema, body, { fields: PAYMENT_REQUEST_FIELDS });
  checkFields(req);
  if (req.amount_to_capture !== undefined && req.amount_to_capture > req.amount) {
    throw invalidData('amount_to_capture is greater than amount');
  }
  const method = hasMethod(req) || req.confirm
    ? resolveMethod(req.payment_method, req.payment_method_type, req.payment_method_data, nowMs)
    : null;
  return { req, method };
}

export interface ValidConfirm {
  req: ConfirmPaymentRequest;
  method: ResolvedMethod | null;
}

export function validateConfirm(body: unknown, nowMs: number): ValidConfirm {
  const req = parse(confirmPaymentRequestSchema, body, { fields: PAYMENT_REQUEST_FIELDS });
  checkFields(req);
  const method = hasMethod(req) ? resolveMethod(req.payment_method, req.payment_method_type, req.payment_method_data, nowMs) : null;
  return { req, method };
}

export function validateCapture(body: unknown): CapturePaymentRequest {
  const req = parse(capturePaymentRequestSchema, body);
  if (req.amount_to_capture !== undefined && req.amount_to_capture <= 0) throw invalidValue('amount_to_capture');
  return req;
}

export function validateCancel(body: unknown): CancelPaymentRequest {
  return parse(cancelPaymentRequestSchema, body);
}

/** `POST /refunds`: Hyperswitch's strict RefundRequest; an amount, when given, above 0. */
export function validateRefund(body: unknown): RefundRequest {
  const req = parse(refundRequestSchema, body, { fields: REFUND_REQUEST_FIELDS });
  checkId('payment_id', req.payment_id, 'a payment id, e.g. pay_mbabizu24mvu3mela5njyhpit4');
  checkId('refund_id', req.refund_id, 'a refund id: letters, digits, _ and - (64 at most), e.g. ref_mbabizu24mvu3mela5njyhpit4');
  if (req.amount !== undefined && req.amount <= 0) throw invalidValue('amount');
  return req;
}

/** `POST /refunds/{refund_id}`: reason and metadata only. */
export function validateRefundUpdate(body: unknown): RefundUpdateRequest {
  return parse(refundUpdateRequestSchema, body, { fields: REFUND_UPDATE_FIELDS });
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

export function parseTime(field: string, text: string): number {
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

/** What both lists' filters have: inclusive bounds on the amount and on the creation time (ms), and the page. */
export interface ListPage {
  minAmount: number;
  maxAmount: number;
  fromMs: number;
  toMs: number;
  offset: number;
  limit: number;
}

/** `POST /payments/list`, checked: every filter it names, the page and its order. */
export interface ListFilter extends ListPage {
  paymentId?: string;
  customerId?: string;
  profileId?: string;
  merchantOrderReferenceId?: string;
  statuses?: ReadonlySet<string>;
  currencies?: ReadonlySet<string>;
  methods?: ReadonlySet<string>;
  methodTypes?: ReadonlySet<string>;
  authenticationTypes?: ReadonlySet<string>;
  connectors?: ReadonlySet<string>;
  cardNetworks?: ReadonlySet<string>;
  orderOn: 'created' | 'amount';
  orderBy: 'asc' | 'desc';
}

/** The body's single-valued filters and where they go in a ListFilter. */
const LIST_FILTER_IDS = [
  ['payment_id', 'paymentId'],
  ['customer_id', 'customerId'],
  ['profile_id', 'profileId'],
  ['merchant_order_reference_id', 'merchantOrderReferenceId'],
] as const satisfies readonly (readonly [keyof PaymentListFilter, keyof ListFilter])[];

/** The body's list filters (any of the values matches) and the sets they become in a ListFilter. */
const LIST_FILTER_SETS = [
  ['status', 'statuses'],
  ['currency', 'currencies'],
  ['payment_method', 'methods'],
  ['payment_method_type', 'methodTypes'],
  ['authentication_type', 'authenticationTypes'],
  ['connector', 'connectors'],
  ['card_network', 'cardNetworks'],
] as const satisfies readonly (readonly [keyof PaymentListFilter, keyof ListFilter])[];

/** What both lists check alike: the page (`limit` 1–100, `offset` ≥ 0), the currencies, the amount and time ranges. */
function parseListPage(f: PaymentListFilter | RefundListFilter): ListPage {
  const limit = f.limit ?? 10;
  if (limit < 1 || limit > 100) throw invalidValue('limit');
  const offset = f.offset ?? 0;
  if (offset < 0) throw invalidValue('offset');
  for (const c of f.currency ?? []) if (!isKnownCurrency(c)) throw invalidValue('currency');
  const range = f.time_range ?? (f.start_time !== undefined ? { start_time: f.start_time, end_time: f.end_time } : undefined);
  const page = {
    minAmount: f.amount_filter?.start_amount ?? -Infinity,
    maxAmount: f.amount_filter?.end_amount ?? Infinity,
    fromMs: range ? parseTime(f.time_range ? 'time_range.start_time' : 'start_time', range.start_time) : -Infinity,
    toMs: range?.end_time != null ? parseTime(f.time_range ? 'time_range.end_time' : 'end_time', range.end_time) : Infinity,
    offset,
    limit,
  };
  if (page.minAmount > page.maxAmount) throw invalidValue('amount_filter');
  return page;
}

export function parseListFilter(body: unknown): ListFilter {
  const f: PaymentListFilter = parse(paymentListFilterSchema, body);
  const set = (xs: readonly string[] | undefined) => (xs && xs.length ? new Set(xs) : undefined);
  const out: ListFilter = { ...parseListPage(f), orderOn: f.order?.on ?? 'created', orderBy: f.order?.by ?? 'desc' };
  for (const [from, to] of LIST_FILTER_IDS) {
    const v = f[from];
    if (v !== undefined) out[to] = v;
  }
  for (const [from, to] of LIST_FILTER_SETS) {
    const values = set(f[from]);
    if (values) out[to] = values;
  }
  return out;
}

/** `POST /refunds/list`, checked. */
export interface RefundFilter extends ListPage {
  paymentId?: string;
  refundId?: string;
  profileId?: string;
  currencies?: ReadonlySet<string>;
  statuses?: ReadonlySet<string>;
  connectors?: ReadonlySet<string>;
}

export function parseRefundListFilter(body: unknown): RefundFilter {
  const f: RefundListFilter = parse(refundListFilterSchema, body);
  const set = (xs: readonly string[] | undefined) => (xs && xs.length ? new Set(xs) : undefined);
  const out: RefundFilter = parseListPage(f);
  if (f.payment_id !== undefined) out.paymentId = f.payment_id;
  if (f.refund_id !== undefined) out.refundId = f.refund_id;
  if (f.profile_id !== undefined) out.profileId = f.profile_id;
  const currencies = set(f.currency);
  if (currencies) out.currencies = currencies;
  const statuses = set(f.refund_status);
  if (statuses) out.statuses = statuses;
  const connectors = set(f.connector);
  if (connectors) out.connectors = connectors;
  return out;
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

// ---------------------------------------------------------------------------------------------
// Events

/** `POST /events/{merchant_id}`, checked (Hyperswitch's EventListConstraints). */
export interface EventFilter {
  fromMs: number;
  toMs: number;
  limit: number;
  offset: number;
  objectId?: string;
  eventId?: string;
  types?: ReadonlySet<string>;
  classes?: ReadonlySet<string>;
  delivered?: boolean;
}

export function parseEventListConstraints(body: unknown): EventFilter {
  const c: EventListConstraints = parse(eventListConstraintsSchema, body ?? {});
  const limit = c.limit ?? EVENTS_LIST_MAX_LIMIT;
  // Hyperswitch's own words for a limit over its maximum.
  if (limit > EVENTS_LIST_MAX_LIMIT) throw invalidData(`\`limit\` must be a number less than ${EVENTS_LIST_MAX_LIMIT}`);
  if (limit < 1) throw invalidValue('limit');
  const offset = c.offset ?? 0;
  if (offset < 0) throw invalidValue('offset');
  const f: EventFilter = {
    fromMs: c.created_after !== undefined ? parseTime('created_after', c.created_after) : -Infinity,
    toMs: c.created_before !== undefined ? parseTime('created_before', c.created_before) : Infinity,
    limit,
    offset,
  };
  for (const t of c.event_types ?? []) if (!(EVENT_TYPES as readonly string[]).includes(t)) throw invalidValue('event_types');
  for (const k of c.event_classes ?? []) if (!(EVENT_CLASSES as readonly string[]).includes(k)) throw invalidValue('event_classes');
  if (c.object_id !== undefined) f.objectId = c.object_id;
  if (c.event_id !== undefined) f.eventId = c.event_id;
  if (c.event_types?.length) f.types = new Set(c.event_types);
  if (c.event_classes?.length) f.classes = new Set(c.event_classes);
  if (c.is_delivered !== undefined) f.delivered = c.is_delivered;
  return f;
}

/** `POST /sandbox/webhooks`: `{"webhook_url": "http(s)://…" | null}`. */
export function validateWebhookSettings(body: unknown): { webhook_url: string | null } {
  // Here null is a value (no URL), not "not given".
  if (isObject(body) && body.webhook_url === null && Object.keys(body).length === 1) return { webhook_url: null };
  const req = parse(webhookSettingsRequestSchema, body, { fields: ['webhook_url'] });
  return { webhook_url: req.webhook_url };
}
