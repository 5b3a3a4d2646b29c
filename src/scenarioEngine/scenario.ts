/**
 * Payment scenarios (`*.perfectpay.json`): a payment's whole story as steps, checked as it runs.
 * This module is the language: its types, and the parser that turns a file's text into a Scenario
 * or into problems that name the line and the field ("line 7: steps[2].capture.amount_to_capture:
 * must be an integer …"). The JSON Schema in schemas/scenario.schema.json describes the same shape
 * for VS Code's editor (completion, hovers); this parser is what decides. Pure: imports the domain.
 *
 *   { "name": "manual capture in two parts", "environment": "local",
 *     "steps": [ { "create": { "amount": 1000, "currency": "USD", "capture_method": "manual_multiple" } },
 *                { "confirm": { "card": "4242424242424242" } },
 *                { "expect": { "status": "requires_capture", "amount_capturable": 1000 } }, … ] }
 */
import { cardFields, describeMethod, maskCardNumber, maskCardsInText } from '../domain/cards';
import { EVENT_TYPES } from '../domain/events';
import { formatMoney } from '../domain/money';
import { AUTHENTICATION_TYPES, CAPTURE_METHODS } from '../domain/payment';
import { SIMULATE_OUTCOMES, type SimulateOutcome } from '../domain/status';
import { JsonSyntaxError, parseJsonTree, propertyOf, toValue, type JsonNode, type JsonProperty, type TextRange } from './json';

export type { TextPosition, TextRange } from './json';

export const SCENARIO_ENVIRONMENTS = ['local', 'sandbox', 'custom'] as const;
export type ScenarioEnvironment = (typeof SCENARIO_ENVIRONMENTS)[number];

export const STEP_KINDS = ['create', 'confirm', 'capture', 'cancel', 'refund', 'simulate', 'retrieve', 'wait', 'expect', 'expect_webhook'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** The file name pattern of scenario files. */

/** `wait`'s default and largest timeout, in seconds. */
export const WAIT_DEFAULT_S = 30;
export const WAIT_MAX_S = 900;

/** `expect_webhook`'s default and largest wait for the delivery, in seconds. */
export const WEBHOOK_WAIT_DEFAULT_S = 10;
export const WEBHOOK_WAIT_MAX_S = 120;

/** Which payment a step acts on: the one an earlier `create` step made (`"$2"`), or an id. */
export type PaymentRef = { kind: 'step'; step: number; text: string } | { kind: 'id'; id: string };

interface StepBase {
  /** 0-based position in `steps`. */
  index: number;
  /** From the step's `{` to its `}`. */
  range: TextRange;
  /** "3. capture 400" as a person reads it (cards masked). */
  label: string;
  /**
   * Undefined: the payment of the step before (the payment a create made, or the one a step
   * named), so `expect` after `confirm {"payment": "$1"}` checks $1's answer.
   */
  payment?: PaymentRef;
}

export interface ExpectField {
  /**
   * A dotted path into the payment: "status", "next_action.type", "attempts.0.status"; or into the
   * payment's last refund: "refund.status", "refund.amount".
   */
  path: string;
  value: unknown;
  range: TextRange;
}

export interface ExpectError {
  code?: string;
  type?: string;
  /** A part of the error's message. */
  message?: string;
  range: TextRange;
}

export type ScenarioStep =
  | (StepBase & { kind: 'create'; request: Record<string, unknown> })
  | (StepBase & { kind: 'confirm'; request: Record<string, unknown> })
  | (StepBase & { kind: 'capture'; request: { amount_to_capture?: number } })
  | (StepBase & { kind: 'cancel'; request: { cancellation_reason?: string } })
  /** No amount: all that is left to refund. */
  | (StepBase & { kind: 'refund'; request: { amount?: number; reason?: string } })
  | (StepBase & { kind: 'simulate'; outcome: SimulateOutcome })
  | (StepBase & { kind: 'retrieve' })
  /** `of` 'refund': the statuses are the payment's last refund's ("refund_status"). */
  | (StepBase & { kind: 'wait'; statuses: string[]; of: 'payment' | 'refund'; timeoutMs: number })
  | (StepBase & { kind: 'expect'; fields: ExpectField[]; error?: ExpectError })
  /**
   * A signature-valid webhook delivery about the payment (or its refunds) of `eventType`, whose
   * `content.object` fits `fields` (dotted paths into it), received within `timeoutMs`.
   */
  | (StepBase & { kind: 'expect_webhook'; eventType: string; fields: ExpectField[]; timeoutMs: number });

export interface Scenario {
  name: string;
  description?: string;
  /** Undefined: the current environment (never a custom URL, though: see `checkEnvironment`). */
  environment?: ScenarioEnvironment;
  steps: ScenarioStep[];
  /** Where "name" is (or the start of the file): the CodeLens and the file item's line. */
  nameRange: TextRange;
}

export interface ScenarioProblem {
  /** "steps[2].capture.amount_to_capture", or "" for the file as a whole. */
  path: string;
  message: string;
  range: TextRange;
}

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

/** "line 7: steps[2].capture.amount_to_capture: must be an integer" (lines counted from 1). */
export function formatProblem(p: ScenarioProblem): string {
  return `line ${p.range.start.line + 1}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

// ---------------------------------------------------------------------------------------------
// Field rules of the action steps. Fields not listed for create and confirm are sent as written
// (the API has many; the server refuses one it does not know with IR_06, which a scenario may
// expect). capture, cancel, simulate, retrieve, wait and expect take only their own fields.

type Rule = 'int' | 'string' | 'boolean' | 'object' | 'stringRecord' | { enum: readonly string[] };

const CREATE_FIELDS: Record<string, Rule> = {
  amount: 'int',
  currency: 'string',
  payment_id: 'string',
  customer_id: 'string',
  capture_method: { enum: CAPTURE_METHODS },
  authentication_type: { enum: AUTHENTICATION_TYPES },
  return_url: 'string',
  confirm: 'boolean',
  description: 'string',
  metadata: 'stringRecord',
  payment_method: 'string',
  payment_method_type: 'string',
  payment_method_data: 'object',
  request_external_three_ds_authentication: 'boolean',
};

const CONFIRM_FIELDS: Record<string, Rule> = {
  payment_method: 'string',
  payment_method_type: 'string',
  payment_method_data: 'object',
  return_url: 'string',
  client_secret: 'string',
};

const CARD_FIELDS: Record<string, Rule> = {
  card_number: 'string',
  card_exp_month: 'string',
  card_exp_year: 'string',
  card_cvc: 'string',
  card_holder_name: 'string',
};

// ---------------------------------------------------------------------------------------------

class Problems {
  readonly list: ScenarioProblem[] = [];
  add(path: string, message: string, range: TextRange): void {
    if (this.list.length < 50) this.list.push({ path, message: maskCardsInText(message), range });
  }
}

/** An optional wait in seconds (`wait`'s timeout_s, `expect_webhook`'s within_s): above 0, at most `max`; `fallback` when absent or wrong (the problem is added). */
function secondsField(body: JsonNode, name: string, path: string, fallback: number, max: number, problems: Problems): number {
  const f = propertyOf(body, name);
  if (!f) return fallback;
  if (f.value.type !== 'number' || !(f.value.value > 0) || f.value.value > max) {
    problems.add(`${path}.${name}`, `must be a number of seconds above 0 and at most ${max}, found ${typeName(f.value)}`, f.value.range);
    return fallback;
  }
  return f.value.value;
}

function typeName(node: JsonNode): string {
  if (node.type === 'number') return `the number ${node.value}`;
  if (node.type === 'string') return `the string ${JSON.stringify(node.value.length > 40 ? node.value.slice(0, 40) + '…' : node.value)}`;
  if (node.type === 'boolean') return String(node.value);
  if (node.type === 'null') return 'null';
  return `an ${node.type}`;
}

/** The known name closest to a misspelt one ("amout" → "amount"), if any is close. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

function unknownField(key: string, known: readonly string[]): string {
  const guess = closest(key, known);
  return `unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; expected one of ${known.map((k) => `"${k}"`).join(', ')}`;
}

/** Checks one field against its rule; true when it fits. */
function checkRule(rule: Rule, node: JsonNode, path: string, problems: Problems): boolean {
  const fail = (expected: string): false => {
    problems.add(path, `must be ${expected}, found ${typeName(node)}`, node.range);
    return false;
  };
  if (rule === 'int') {
    if (node.type !== 'number' || !Number.isSafeInteger(node.value)) {
      return fail(node.type === 'string' && /^\d+$/.test(node.value) ? `an integer, without quotes (${node.value})` : 'an integer (an amount in minor units: 1000 = 10.00 USD)');
    }
    return true;
  }
  if (rule === 'string') return node.type === 'string' || fail('a string');
  if (rule === 'boolean') return node.type === 'boolean' || fail('true or false');
  if (rule === 'object') return node.type === 'object' || fail('an object');
  if (rule === 'stringRecord') {
    if (node.type !== 'object') return fail('an object of strings');
    let ok = true;
    for (const p of node.properties) {
      if (p.value.type !== 'string') {
        problems.add(`${path}.${p.key}`, `must be a string, found ${typeName(p.value)}`, p.value.range);
        ok = false;
      }
    }
    return ok;
  }
  if (node.type !== 'string' || !rule.enum.includes(node.value)) {
    return fail(`one of ${rule.enum.map((v) => `"${v}"`).join(', ')}`);
  }
  return true;
}

interface StepContext {
  problems: Problems;
  /** The kinds of the steps before (for `$N` references). */
  kinds: StepKind[];
  index: number;
  path: string;
  now: Date;
}

function parseRef(node: JsonNode, ctx: StepContext, path: string): PaymentRef | undefined {
  if (node.type !== 'string') {
    ctx.problems.add(path, `must be "$N" (the payment that step N made) or a payment id, found ${typeName(node)}`, node.range);
    return undefined;
  }
  const v = node.value.trim();
  const m = /^\$(\d+)$/.exec(v);
  if (m) {
    const n = Number(m[1]);
    const kind = ctx.kinds[n - 1];
    if (n < 1 || n > ctx.index) {
      ctx.problems.add(path, `"${v}" refers to step ${n}, which does not come before this step (step ${ctx.index + 1}); "$N" names the payment an earlier create step made`, node.range);
      return undefined;
    }
    if (kind !== 'create') {
      ctx.problems.add(path, `"${v}" refers to step ${n}, ${/^[aeiou]/.test(kind ?? '') ? 'an' : 'a'} ${kind} step; "$N" names the payment that a create step made`, node.range);
      return undefined;
    }
    return { kind: 'step', step: n - 1, text: v };
  }
  if (/^pay_[A-Za-z0-9_-]{1,60}$/.test(v)) return { kind: 'id', id: v };
  ctx.problems.add(path, `"${v}" is neither "$N" (the payment that step N made) nor a payment id (pay_…)`, node.range);
  return undefined;
}

/** Fields of `node` checked against `rules`; `extra` fields are handled by the caller. */
function checkFields(
  node: JsonNode & { type: 'object' },
  rules: Record<string, Rule>,
  ctx: StepContext,
  path: string,
  opts: { extra: readonly string[]; passThrough: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of node.properties) {
    if (opts.extra.includes(p.key)) continue;
    const rule = rules[p.key];
    const fieldPath = `${path}.${p.key}`;
    if (!rule) {
      if (opts.passThrough) {
        out[p.key] = toValue(p.value);
        continue;
      }
      ctx.problems.add(fieldPath, unknownField(p.key, [...Object.keys(rules), ...opts.extra]), p.keyRange);
      continue;
    }
    if (checkRule(rule, p.value, fieldPath, ctx.problems)) out[p.key] = toValue(p.value);
  }
  return out;
}

/** `"card": "4242…"` or `"card": { "card_number": …, … }` → the method fields of a confirm. */
function parseCard(prop: JsonProperty, ctx: StepContext, path: string): Record<string, unknown> | undefined {
  const node = prop.value;
  const cardPath = `${path}.card`;
  let fields: Record<string, string>;
  if (node.type === 'string') {
    fields = { card_number: node.value };
  } else if (node.type === 'object') {
    const before = ctx.problems.list.length;
    fields = checkFields(node, CARD_FIELDS, ctx, cardPath, { extra: [], passThrough: false }) as Record<string, string>;
    if (!fields.card_number && ctx.problems.list.length === before) ctx.problems.add(cardPath, 'needs "card_number"', node.range);
    if (ctx.problems.list.length > before) return undefined;
  } else {
    ctx.problems.add(cardPath, `must be a card number (a string of digits) or an object with "card_number", found ${typeName(node)}`, node.range);
    return undefined;
  }
  const digits = fields.card_number!.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits)) {
    ctx.problems.add(cardPath, `a card number has digits only (spaces allowed)`, node.range);
    return undefined;
  }
  return cardFields(fields, ctx.now);
}

function methodStep(
  kind: 'create' | 'confirm',
  body: JsonNode & { type: 'object' },
  ctx: StepContext,
): { request: Record<string, unknown>; payment?: PaymentRef } | undefined {
  const path = `${ctx.path}.${kind}`;
  const before = ctx.problems.list.length;
  const rules = kind === 'create' ? CREATE_FIELDS : CONFIRM_FIELDS;
  const request = checkFields(body, rules, ctx, path, { extra: kind === 'create' ? ['card'] : ['card', 'payment'], passThrough: true });
  const card = propertyOf(body, 'card');
  let payment: PaymentRef | undefined;
  if (kind === 'confirm') {
    const ref = propertyOf(body, 'payment');
    if (ref) payment = parseRef(ref.value, ctx, `${path}.payment`);
  }
  if (card) {
    for (const k of ['payment_method', 'payment_method_type', 'payment_method_data']) {
      if (propertyOf(body, k)) ctx.problems.add(`${path}.${k}`, `give either "card" or "${k}", not both ("card" fills in the card's method fields)`, propertyOf(body, k)!.keyRange);
    }
    const fields = parseCard(card, ctx, path);
    if (fields) Object.assign(request, fields);
  }
  if (kind === 'create') {
    for (const k of ['amount', 'currency'] as const) {
      if (!propertyOf(body, k)) ctx.problems.add(path, `needs "${k}"${k === 'amount' ? ' (an integer in minor units: 1000 = 10.00 USD)' : ' ("USD", "EUR", "JPY"…)'}`, body.range);
    }
    if (propertyOf(body, 'payment')) ctx.problems.add(`${path}.payment`, 'a create makes a new payment: "payment" has no place here', propertyOf(body, 'payment')!.keyRange);
  }
  return ctx.problems.list.length > before ? undefined : { request, payment };
}

const STEP_FIELDS: Record<'capture' | 'cancel' | 'refund' | 'retrieve' | 'simulate' | 'wait', readonly string[]> = {
  capture: ['amount_to_capture', 'payment'],
  cancel: ['cancellation_reason', 'payment'],
  refund: ['amount', 'reason', 'payment'],
  retrieve: ['payment'],
  simulate: ['outcome', 'payment'],
  wait: ['status', 'refund_status', 'timeout_s', 'payment'],
};

function parseStep(kind: StepKind, body: JsonNode, base: Omit<StepBase, 'label'>, ctx: StepContext): ScenarioStep | undefined {
  const path = `${ctx.path}.${kind}`;
  const problems = ctx.problems;
  const before = problems.list.length;
  const label = (text: string): string => `${base.index + 1}. ${text}`;

  // `"simulate": "succeed"` is short for `{ "outcome": "succeed" }`.
  if (kind === 'simulate' && body.type === 'string') {
    if (!(SIMULATE_OUTCOMES as readonly string[]).includes(body.value)) {
      problems.add(path, `must be one of ${SIMULATE_OUTCOMES.map((o) => `"${o}"`).join(', ')}, found ${typeName(body)}`, body.range);
      return undefined;
    }
    return { ...base, kind, outcome: body.value as SimulateOutcome, label: label(`simulate ${body.value}`) };
  }
  if (body.type !== 'object') {
    problems.add(path, `must be an object${kind === 'simulate' ? ' or one of "succeed", "fail", "expire"' : ''} (use {} for none), found ${typeName(body)}`, body.range);
    return undefined;
  }

  if (kind === 'create' || kind === 'confirm') {
    const r = methodStep(kind, body, ctx);
    if (!r) return undefined;
    const ref = refText(r.payment);
    if (kind === 'create') {
      const q = r.request;
      const extra = [q.capture_method, q.authentication_type === 'three_ds' ? '3DS' : undefined].filter(Boolean).join(', ');
      const method = describeMethod(q as Parameters<typeof describeMethod>[0]);
      const text = `create ${formatMoney(q.amount as number, String(q.currency))}${extra ? ` (${extra})` : ''}${method ? ` with ${method}` : ''}${q.confirm === true ? ', confirmed' : ''}`;
      return { ...base, kind, request: q, label: label(text) };
    }
    return { ...base, kind, request: r.request, payment: r.payment, label: label(`confirm${ref}${methodLabel(r.request)}`) };
  }

  if (kind === 'expect') return parseExpect(body, base, ctx);
  if (kind === 'expect_webhook') return parseExpectWebhook(body, base, ctx);

  const known = STEP_FIELDS[kind];
  for (const p of body.properties) if (!known.includes(p.key)) problems.add(`${path}.${p.key}`, unknownField(p.key, known), p.keyRange);
  const refProp = propertyOf(body, 'payment');
  const payment = refProp ? parseRef(refProp.value, ctx, `${path}.payment`) : undefined;
  const ref = refText(payment);

  switch (kind) {
    case 'capture': {
      const a = propertyOf(body, 'amount_to_capture');
      if (a) checkRule('int', a.value, `${path}.amount_to_capture`, problems);
      if (problems.list.length > before) return undefined;
      const amount = a ? (a.value as { value: number }).value : undefined;
      return { ...base, kind, payment, request: amount === undefined ? {} : { amount_to_capture: amount }, label: label(`capture${ref} ${amount === undefined ? 'all' : amount}`) };
    }
    case 'cancel': {
      const r = propertyOf(body, 'cancellation_reason');
      if (r) checkRule('string', r.value, `${path}.cancellation_reason`, problems);
      if (problems.list.length > before) return undefined;
      const reason = r ? (r.value as { value: string }).value : undefined;
      return { ...base, kind, payment, request: reason === undefined ? {} : { cancellation_reason: reason }, label: label(`cancel${ref}${reason ? ` (${reason})` : ''}`) };
    }
    case 'refund': {
      const a = propertyOf(body, 'amount');
      if (a) checkRule('int', a.value, `${path}.amount`, problems);
      const r = propertyOf(body, 'reason');
      if (r) checkRule('string', r.value, `${path}.reason`, problems);
      if (problems.list.length > before) return undefined;
      const amount = a ? (a.value as { value: number }).value : undefined;
      const reason = r ? (r.value as { value: string }).value : undefined;
      const request = { ...(amount === undefined ? {} : { amount }), ...(reason === undefined ? {} : { reason }) };
      return { ...base, kind, payment, request, label: label(`refund${ref} ${amount === undefined ? 'all' : amount}${reason ? ` (${reason})` : ''}`) };
    }
    case 'retrieve':
      if (problems.list.length > before) return undefined;
      return { ...base, kind, payment, label: label(`retrieve${ref}`) };
    case 'simulate': {
      const o = propertyOf(body, 'outcome');
      if (!o) problems.add(path, `needs "outcome": one of ${SIMULATE_OUTCOMES.map((x) => `"${x}"`).join(', ')}`, body.range);
      else checkRule({ enum: SIMULATE_OUTCOMES }, o.value, `${path}.outcome`, problems);
      if (problems.list.length > before) return undefined;
      const outcome = (o!.value as { value: SimulateOutcome }).value;
      return { ...base, kind, payment, outcome, label: label(`simulate${ref} ${outcome}`) };
    }
    case 'wait': {
      const ps = propertyOf(body, 'status');
      const rs = propertyOf(body, 'refund_status');
      const s = ps ?? rs;
      const of = ps ? 'payment' : 'refund';
      let statuses: string[] = [];
      if (ps && rs) problems.add(path, 'give "status" (the payment\'s) or "refund_status" (its last refund\'s), not both', body.range);
      else if (!s) problems.add(path, 'needs "status": the status to wait for (or a list of them), or "refund_status" for the last refund\'s', body.range);
      else if (s.value.type === 'string' && s.value.value) statuses = [s.value.value];
      else if (s.value.type === 'array' && s.value.items.length && s.value.items.every((i) => i.type === 'string' && i.value)) {
        statuses = s.value.items.map((i) => (i as { value: string }).value);
      } else problems.add(`${path}.status`, `must be a status ("succeeded") or a non-empty list of statuses, found ${typeName(s.value)}`, s.value.range);
      const timeoutS = secondsField(body, 'timeout_s', path, WAIT_DEFAULT_S, WAIT_MAX_S, problems);
      if (problems.list.length > before) return undefined;
      return { ...base, kind, payment, statuses, of, timeoutMs: Math.round(timeoutS * 1000), label: label(`wait${ref} for ${of === 'refund' ? 'refund ' : ''}${statuses.join(' or ')} (${timeoutS} s)`) };
    }
  }
}

function refText(ref: PaymentRef | undefined): string {
  if (!ref) return '';
  return ` ${ref.kind === 'step' ? ref.text : ref.id}`;
}

function methodLabel(request: Record<string, unknown>): string {
  const m = describeMethod(request as Parameters<typeof describeMethod>[0]);
  return m ? ` ${m}` : '';
}

const ERROR_FIELDS = ['code', 'type', 'message'] as const;

function parseExpect(body: JsonNode & { type: 'object' }, base: Omit<StepBase, 'label'>, ctx: StepContext): ScenarioStep | undefined {
  const path = `${ctx.path}.expect`;
  const problems = ctx.problems;
  const before = problems.list.length;
  const fields: ExpectField[] = [];
  let error: ExpectError | undefined;
  let payment: PaymentRef | undefined;
  for (const p of body.properties) {
    const fieldPath = `${path}.${p.key}`;
    if (p.key === 'payment') {
      payment = parseRef(p.value, ctx, fieldPath);
      continue;
    }
    if (p.key === 'error') {
      if (p.value.type !== 'object') {
        problems.add(fieldPath, `must be an object like {"code": "IR_14"}, found ${typeName(p.value)}`, p.value.range);
        continue;
      }
      const e: ExpectError = { range: p.value.range };
      for (const q of p.value.properties) {
        if (!(ERROR_FIELDS as readonly string[]).includes(q.key)) {
          problems.add(`${fieldPath}.${q.key}`, unknownField(q.key, ERROR_FIELDS), q.keyRange);
        } else if (q.value.type !== 'string' || !q.value.value) {
          problems.add(`${fieldPath}.${q.key}`, `must be a non-empty string, found ${typeName(q.value)}`, q.value.range);
        } else e[q.key as (typeof ERROR_FIELDS)[number]] = q.value.value;
      }
      if (!e.code && !e.type && !e.message) problems.add(fieldPath, 'needs "code" (e.g. "IR_14"), "type" or "message"', p.value.range);
      error = e;
      continue;
    }
    if (!/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(p.key)) {
      problems.add(fieldPath, `"${p.key}" is not a field path: names joined by dots, like "next_action.type"`, p.keyRange);
      continue;
    }
    fields.push({ path: p.key, value: toValue(p.value), range: { start: p.keyRange.start, end: p.value.range.end } });
  }
  if (!fields.length && !error && problems.list.length === before) {
    problems.add(path, 'expects nothing: give payment fields ("status": "succeeded", "next_action.type": …), the last refund\'s ("refund.status": …) or "error": {"code": …}', body.range);
  }
  if (problems.list.length > before) return undefined;
  const shown = fields.map((f) => `${f.path} = ${short(f.value)}`);
  if (error) shown.unshift(`error ${[error.code, error.type, error.message && `"${error.message}"`].filter(Boolean).join(' ')}`);
  let text = `expect${refText(payment)} ${shown.join(', ')}`;
  if (text.length > 90) text = text.slice(0, 89) + '…';
  return { ...base, kind: 'expect', payment, fields, error, label: `${base.index + 1}. ${text}` };
}

export const EXPECT_WEBHOOK_FIELDS = ['event_type', 'fields', 'within_s', 'payment'] as const;

function parseExpectWebhook(body: JsonNode & { type: 'object' }, base: Omit<StepBase, 'label'>, ctx: StepContext): ScenarioStep | undefined {
  const path = `${ctx.path}.expect_webhook`;
  const problems = ctx.problems;
  const before = problems.list.length;
  for (const p of body.properties) if (!(EXPECT_WEBHOOK_FIELDS as readonly string[]).includes(p.key)) problems.add(`${path}.${p.key}`, unknownField(p.key, EXPECT_WEBHOOK_FIELDS), p.keyRange);
  const refProp = propertyOf(body, 'payment');
  const payment = refProp ? parseRef(refProp.value, ctx, `${path}.payment`) : undefined;
  const t = propertyOf(body, 'event_type');
  let eventType = '';
  if (!t) problems.add(path, `needs "event_type": the event the webhook must be, like ${EVENT_TYPES.slice(0, 3).map((e) => `"${e}"`).join(', ')}`, body.range);
  else if (t.value.type !== 'string' || !t.value.value.trim()) problems.add(`${path}.event_type`, `must be an event type like "payment_succeeded", found ${typeName(t.value)}`, t.value.range);
  else {
    eventType = t.value.value.trim();
    // Another server may send other types; a near miss of a known one is a typo.
    const guess = (EVENT_TYPES as readonly string[]).includes(eventType) ? undefined : closest(eventType, EVENT_TYPES);
    if (guess) problems.add(`${path}.event_type`, `unknown event type "${eventType}" (did you mean "${guess}"?)`, t.value.range);
  }
  const fields: ExpectField[] = [];
  const f = propertyOf(body, 'fields');
  if (f) {
    if (f.value.type !== 'object') problems.add(`${path}.fields`, `must be an object of fields of the event's content.object, like {"status": "succeeded"}, found ${typeName(f.value)}`, f.value.range);
    else {
      for (const q of f.value.properties) {
        if (!/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(q.key)) problems.add(`${path}.fields.${q.key}`, `"${q.key}" is not a field path: names joined by dots, like "status" or "amount"`, q.keyRange);
        else fields.push({ path: q.key, value: toValue(q.value), range: { start: q.keyRange.start, end: q.value.range.end } });
      }
    }
  }
  const withinS = secondsField(body, 'within_s', path, WEBHOOK_WAIT_DEFAULT_S, WEBHOOK_WAIT_MAX_S, problems);
  if (problems.list.length > before) return undefined;
  let text = `expect webhook${refText(payment)} ${eventType}${fields.length ? ` with ${fields.map((x) => `${x.path} = ${short(x.value)}`).join(', ')}` : ''}`;
  if (text.length > 90) text = text.slice(0, 89) + '…';
  return { ...base, kind: 'expect_webhook', payment, eventType, fields, timeoutMs: Math.round(withinS * 1000), label: `${base.index + 1}. ${text}` };
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

const TOP_FIELDS = ['$schema', 'name', 'description', 'environment', 'steps'] as const;

export interface ParseOptions {
  /** The name when the file gives none (its file name). */
  fallbackName?: string;
  /** "Now", for the test cards' default expiry. */
  now?: Date;
}

/** Parses a scenario file's text: the scenario, or every problem found (each with its line and field). */
export function parseScenario(text: string, options: ParseOptions = {}): ParseResult {
  let root: JsonNode;
  try {
    root = parseJsonTree(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { ok: false, problems: [{ path: '', message: `not valid JSON: ${e.message}`, range: { start: e.position, end: e.position } }] };
  }
  const problems = new Problems();
  if (root.type !== 'object') {
    problems.add('', `a scenario is a JSON object, { "name": …, "steps": [ … ] }, found ${typeName(root)}`, root.range);
    return { ok: false, problems: problems.list };
  }
  for (const p of root.properties) {
    if (!(TOP_FIELDS as readonly string[]).includes(p.key)) problems.add(p.key, unknownField(p.key, TOP_FIELDS.slice(1)), p.keyRange);
  }
  const nameProp = propertyOf(root, 'name');
  let name = options.fallbackName ?? 'scenario';
  if (nameProp) {
    if (nameProp.value.type !== 'string' || !nameProp.value.value.trim()) problems.add('name', `must be a non-empty string, found ${typeName(nameProp.value)}`, nameProp.value.range);
    else name = nameProp.value.value.trim();
  }
  const descProp = propertyOf(root, 'description');
  if (descProp && descProp.value.type !== 'string') problems.add('description', `must be a string, found ${typeName(descProp.value)}`, descProp.value.range);
  const envProp = propertyOf(root, 'environment');
  let environment: ScenarioEnvironment | undefined;
  if (envProp) {
    if (envProp.value.type === 'string' && (SCENARIO_ENVIRONMENTS as readonly string[]).includes(envProp.value.value)) {
      environment = envProp.value.value as ScenarioEnvironment;
    } else {
      problems.add('environment', `must be one of ${SCENARIO_ENVIRONMENTS.map((e) => `"${e}"`).join(', ')} (or left out: the current environment, never a custom URL), found ${typeName(envProp.value)}`, envProp.value.range);
    }
  }
  const stepsProp = propertyOf(root, 'steps');
  const steps: ScenarioStep[] = [];
  if (!stepsProp) {
    problems.add('', 'needs "steps": a list of steps like { "create": { "amount": 1000, "currency": "USD" } }', root.range);
  } else if (stepsProp.value.type !== 'array' || stepsProp.value.items.length === 0) {
    problems.add('steps', `must be a non-empty list of steps, found ${stepsProp.value.type === 'array' ? 'an empty list' : typeName(stepsProp.value)}`, stepsProp.value.range);
  } else {
    const kinds: StepKind[] = [];
    const now = options.now ?? new Date();
    stepsProp.value.items.forEach((item, index) => {
      const path = `steps[${index}]`;
      const ctx: StepContext = { problems, kinds, index, path, now };
      if (item.type !== 'object' || item.properties.length === 0) {
        problems.add(path, `a step is an object with one action, like { "capture": {} }; found ${item.type === 'object' ? 'an empty object' : typeName(item)}`, item.range);
        kinds.push('expect');
        return;
      }
      const actions = item.properties.filter((p) => (STEP_KINDS as readonly string[]).includes(p.key));
      for (const p of item.properties) {
        if (!(STEP_KINDS as readonly string[]).includes(p.key)) problems.add(`${path}.${p.key}`, `unknown step "${p.key}"${closest(p.key, STEP_KINDS) ? ` (did you mean "${closest(p.key, STEP_KINDS)}"?)` : ''}; a step is one of ${STEP_KINDS.join(', ')}`, p.keyRange);
      }
      if (actions.length > 1) problems.add(path, `a step does one thing: found ${actions.map((a) => `"${a.key}"`).join(' and ')} (make them separate steps)`, item.range);
      const action = actions[0];
      kinds.push((action?.key as StepKind | undefined) ?? 'expect');
      if (!action || actions.length > 1) return;
      const step = parseStep(action.key as StepKind, action.value, { index, range: item.range }, ctx);
      if (step) steps.push(step);
    });
    const first = steps[0];
    if (first && first.index === 0 && first.kind !== 'create' && !first.payment) {
      problems.add('steps[0]', `the first step has no payment to act on: start with { "create": { "amount": …, "currency": … } }, or name an existing payment with "payment": "pay_…"`, first.range);
    }
  }
  if (problems.list.length) return { ok: false, problems: problems.list };
  const nameRange = nameProp ? { start: nameProp.keyRange.start, end: nameProp.value.range.end } : { start: root.range.start, end: root.range.start };
  const description = descProp?.value.type === 'string' ? descProp.value.value : undefined;
  // Labels and the name are shown everywhere: a card number in them is masked like any other.
  for (const step of steps) step.label = maskCardsInText(step.label);
  return { ok: true, scenario: { name: maskCardsInText(name), description, environment, steps, nameRange } };
}

/** A card number as it may be shown (test cards too: one rule for every card). */
export function showCard(number: string): string {
  return maskCardNumber(number);
}
