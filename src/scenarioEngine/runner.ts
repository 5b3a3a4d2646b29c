/**
 * Runs a parsed scenario against a "payments port": the PerfectPay client in unit tests and the
 * bench, the extension's PaymentsService in VS Code. Steps run one at a time; each is reported as
 * it starts and ends, and the first failure stops the scenario (the steps after it are skipped).
 *
 * Safety: nothing is ever sent twice here. A refused or lost confirm, capture or cancel is reported,
 * never retried (the client re-reads the payment after a lost answer; its rules decide). Before the
 * first request the environment is checked: a scenario runs only where it says it may (never on a
 * custom URL unless it says "environment": "custom"), and `simulate` only where the environment has
 * it. Every answer kept in a result is redacted (the domain's rules: no key, cards to their last
 * four, client secrets cut).
 *
 * Pure but for the port and the clock: imports only the domain and the scenario language.
 */
import { redactJson, redactText } from '../domain/redact';
import { amountLeftToRefund, amountToCaptureAll, refundStillMoving } from '../domain/payment';
import { canDo, isTerminal, type SimulateOutcome } from '../domain/status';
import type { ExpectField, Scenario, ScenarioEnvironment, ScenarioStep, StepKind, TextRange } from './scenario';

/** What the runner needs of a payment answer (any PerfectPay payment has this shape). */
export interface ScenarioPayment {
  payment_id: string;
  status: string;
  [field: string]: unknown;
}

/** What the runner needs of a refund answer. */
export interface ScenarioRefund {
  refund_id: string;
  payment_id: string;
  status: string;
  [field: string]: unknown;
}

/** The payment routes, as the client and the PaymentsService both offer them. */
export interface ScenarioPort {
  create(request: Record<string, unknown>, signal: AbortSignal): Promise<ScenarioPayment>;
  confirm(paymentId: string, request: Record<string, unknown>, signal: AbortSignal): Promise<ScenarioPayment>;
  /**
   * Always with the amount (a server's default may capture less than all). `before`: the payment as
   * last seen (decides, after a lost answer, whether the capture ran).
   */
  capture(paymentId: string, request: { amount_to_capture: number }, signal: AbortSignal, before?: ScenarioPayment): Promise<ScenarioPayment>;
  cancel(paymentId: string, request: { cancellation_reason?: string }, signal: AbortSignal): Promise<ScenarioPayment>;
  /** A refund of `amount` (minor units; "all" is said as what is left to refund), safe to send again (its refund_id). */
  refund(paymentId: string, request: { amount: number; reason?: string }, signal: AbortSignal): Promise<ScenarioRefund>;
  /** `poll`: a read while waiting (the extension records it as a poll, not a person's read). */
  retrieve(paymentId: string, signal: AbortSignal, poll?: boolean): Promise<ScenarioPayment>;
  simulate(paymentId: string, outcome: SimulateOutcome, signal: AbortSignal): Promise<ScenarioPayment>;
  /**
   * The webhook deliveries received so far (every delivery, retries too; oldest first), at least
   * those about the payment or its refunds, or why none can be had ("no webhook inbox: …"). Absent:
   * this port receives no webhooks, and an `expect_webhook` step fails saying so.
   */
  webhookDeliveries?(paymentId: string, signal: AbortSignal): Promise<WebhookDelivery[] | { unavailable: string }>;
}

/** One webhook delivery as received: its raw body and whether its signature was valid. */
export interface WebhookDelivery {
  body: string;
  signatureValid: boolean;
}

/** The deliveries among `received` that are about `paymentId` (its events or its refunds'), with their bodies parsed. */
function deliveriesAbout(received: readonly WebhookDelivery[], paymentId: string): { body: unknown; signatureValid: boolean }[] {
  const out: { body: unknown; signatureValid: boolean }[] = [];
  for (const r of received) {
    let body: unknown;
    try {
      body = JSON.parse(r.body);
    } catch {
      continue;
    }
    if (readPath(body, 'content.object.payment_id') === paymentId) out.push({ body, signatureValid: r.signatureValid });
  }
  return out;
}

export interface RunEnvironment {
  kind: ScenarioEnvironment;
  /** "Local sandbox", "PerfectPay sandbox", "Custom (https://…)". */
  label: string;
  supportsSimulate: boolean;
}

export type StepOutcome = 'passed' | 'failed' | 'skipped';

/** What a step's request was refused or lost with, as the scenario sees it. */
export interface StepError {
  /** The error's kind: 'api', 'invalid_request', 'lost_answer', 'network', 'refused'… */
  kind: string;
  /** The API's code ("IR_14"), for an API error. */
  code?: string;
  type?: string;
  status?: number;
  message: string;
}

export interface StepResult {
  index: number;
  kind: StepKind;
  label: string;
  outcome: StepOutcome;
  durationMs: number;
  /** The payment the step acted on or checked. */
  paymentId?: string;
  /** For a failure: what went wrong, naming the step. */
  message?: string;
  /** For a failure: what was expected and what came back (JSON text, for a diff). */
  expected?: string;
  actual?: string;
  /** Where in the file the failure is (the field of an expect that did not match). */
  range?: TextRange;
  /** The answer (the payment, or the error's body), redacted. */
  answer?: unknown;
  /** The error the step's request got, when it got one (expected or not). */
  error?: StepError;
}

export type ScenarioOutcome = 'passed' | 'failed' | 'cancelled' | 'refused';

export interface ScenarioResult {
  name: string;
  outcome: ScenarioOutcome;
  steps: StepResult[];
  /** Every payment the scenario made, in order. */
  payments: string[];
  durationMs: number;
  /** Why nothing ran (outcome 'refused'), or why it stopped. */
  message?: string;
}

export type StepEvent = { type: 'start'; step: ScenarioStep } | { type: 'end'; step: ScenarioStep; result: StepResult };

export interface RunOptions {
  environment: RunEnvironment;
  signal?: AbortSignal;
  /** Run on a custom URL although the scenario does not say "environment": "custom" (asked first). */
  allowCustom?: boolean;
  onStep?: (event: StepEvent) => void;
  /** Told of each payment made, at once (for links in the output). */
  onPayment?: (paymentId: string, step: ScenarioStep) => void;
  /** Strings never to show (the key), on top of the domain's redaction. */
  secrets?: readonly string[];
  /** `wait`'s polling: first interval and largest interval (ms). */
  pollMs?: { first: number; max: number };
  /** How a person changes the environment, for a scenario refused for its environment (default: VS Code's command). */
  howToSwitch?: string;
}

/** Why a scenario may not run in this environment, or undefined when it may. Nothing is sent either way. */
export function checkEnvironment(scenario: Scenario, env: RunEnvironment, allowCustom = false, howToSwitch = 'Switch with "PerfectPay: Select Environment".'): string | undefined {
  if (scenario.environment && scenario.environment !== env.kind) {
    return `Not run: this scenario says "environment": "${scenario.environment}", and the current environment is ${env.label}. ${howToSwitch}`;
  }
  if (env.kind === 'custom' && scenario.environment !== 'custom' && !allowCustom) {
    return `Not run: the current environment is a custom URL (${env.label}), and this scenario does not say "environment": "custom". A scenario runs against a custom URL only when it says so.`;
  }
  if (!env.supportsSimulate) {
    const sim = scenario.steps.find((s) => s.kind === 'simulate');
    if (sim) return `Not run: step ${sim.index + 1} simulates the customer's step, which only the local sandbox can do; the current environment is ${env.label}.`;
  }
  return undefined;
}

/** Reads a dotted path ("next_action.type", "attempts.0.status") out of an answer. */
export function readPath(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const part of path.split('.')) {
    if (v === null || v === undefined) return undefined;
    if (Array.isArray(v)) v = /^\d+$/.test(part) ? v[Number(part)] : undefined;
    else if (typeof v === 'object') v = Object.prototype.hasOwnProperty.call(v, part) ? (v as Record<string, unknown>)[part] : undefined;
    else return undefined;
  }
  return v;
}

/**
 * Whether an answer's value fits an expected one: equal for numbers, strings and booleans; `null`
 * fits null or absent; an object fits when each of its fields fits (others may be there too); a
 * list fits a list of the same length whose items fit in order.
 */
export function matches(expected: unknown, actual: unknown): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i]));
  }
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected as Record<string, unknown>).every(([k, v]) => matches(v, (actual as Record<string, unknown>)[k]));
  }
  return expected === actual;
}

function errorOf(e: unknown): StepError & { payment?: ScenarioPayment } {
  const o = (e && typeof e === 'object' ? e : {}) as Record<string, unknown>;
  const message = typeof o.message === 'string' && o.message ? o.message : String(e);
  const payment = o.payment && typeof o.payment === 'object' && typeof (o.payment as ScenarioPayment).payment_id === 'string' ? (o.payment as ScenarioPayment) : undefined;
  return {
    kind: typeof o.kind === 'string' ? o.kind : 'unexpected',
    code: typeof o.code === 'string' ? o.code : undefined,
    type: typeof o.type === 'string' ? o.type : undefined,
    status: typeof o.status === 'number' ? o.status : undefined,
    message: typeof o.apiMessage === 'string' && o.apiMessage ? o.apiMessage : message,
    payment,
  };
}

const json = (v: unknown): string => JSON.stringify(v === undefined ? null : v, null, 2);
const shown = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));

function describeError(e: StepError): string {
  if (e.code) return `${e.code}${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}`;
  return e.message;
}

function errorAnswer(e: StepError): Record<string, unknown> {
  return { error: { kind: e.kind, code: e.code ?? null, type: e.type ?? null, message: e.message }, http_status: e.status ?? null };
}

class Aborted extends Error {}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Aborted());
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Aborted());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const ACTIONS: readonly StepKind[] = ['create', 'confirm', 'capture', 'cancel', 'refund', 'simulate', 'retrieve', 'wait'];

/** Runs one scenario: never rejects (a fault of the port is a failed step). */
export async function runScenario(scenario: Scenario, port: ScenarioPort, options: RunOptions): Promise<ScenarioResult> {
  const t0 = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const secrets = options.secrets ?? [];
  const poll = options.pollMs ?? { first: 200, max: 2000 };
  const results: StepResult[] = [];
  const payments: string[] = [];
  const madeBy = new Map<number, string>();
  const lastAnswer = new Map<string, ScenarioPayment>();
  /** The last refund a step made of each payment, as answered. */
  const lastRefund = new Map<string, ScenarioRefund>();
  const redact = (v: unknown): unknown => redactJson(v, secrets);
  let current: string | undefined;
  /** The error of the step before, when the step after it expects one. */
  let pendingError: { step: ScenarioStep; error: StepError } | undefined;
  let outcome: ScenarioOutcome = 'passed';
  let stopMessage: string | undefined;

  const skipFrom = (from: number): void => {
    for (const s of scenario.steps.slice(from)) {
      results.push({ index: s.index, kind: s.kind, label: s.label, outcome: 'skipped', durationMs: 0 });
    }
  };
  const done = (): ScenarioResult => ({
    name: scenario.name,
    outcome,
    steps: results,
    payments,
    durationMs: Math.round(performance.now() - t0),
    message: stopMessage === undefined ? undefined : redactText(stopMessage, secrets),
  });

  const refused = checkEnvironment(scenario, options.environment, options.allowCustom, options.howToSwitch);
  if (refused) {
    outcome = 'refused';
    stopMessage = refused;
    skipFrom(0);
    return done();
  }

  for (let i = 0; i < scenario.steps.length; i++) {
    const step = scenario.steps[i]!;
    if (signal.aborted) {
      outcome = 'cancelled';
      stopMessage = 'The run was cancelled.';
      skipFrom(i);
      return done();
    }
    options.onStep?.({ type: 'start', step });
    const s0 = performance.now();
    const target = step.kind === 'create' ? undefined : step.payment ? (step.payment.kind === 'id' ? step.payment.id : madeBy.get(step.payment.step)) : current;
    const next = scenario.steps[i + 1];
    const nextExpectsError = next?.kind === 'expect' && next.error !== undefined;
    let result: StepResult;
    try {
      result = await runStep(step, target);
    } catch (e) {
      if (e instanceof Aborted || signal.aborted || errorOf(e).kind === 'cancelled') {
        const r: StepResult = { index: step.index, kind: step.kind, label: step.label, outcome: 'skipped', durationMs: Math.round(performance.now() - s0), paymentId: target, message: 'Cancelled.' };
        results.push(r);
        options.onStep?.({ type: 'end', step, result: r });
        outcome = 'cancelled';
        stopMessage = 'The run was cancelled.';
        skipFrom(i + 1);
        return done();
      }
      const err = errorOf(e);
      if (err.payment) lastAnswer.set(err.payment.payment_id, err.payment);
      const { payment: _p, ...error } = err;
      if (nextExpectsError && ACTIONS.includes(step.kind)) {
        pendingError = { step, error };
        result = { index: step.index, kind: step.kind, label: step.label, outcome: 'passed', durationMs: 0, paymentId: target, error, answer: redact(errorAnswer(error)) };
      } else {
        result = {
          index: step.index,
          kind: step.kind,
          label: step.label,
          outcome: 'failed',
          durationMs: 0,
          paymentId: target,
          error,
          message: `Step ${step.label}: ${err.kind === 'api' ? 'refused with ' : err.kind === 'lost_answer' ? '' : 'failed: '}${describeError(error)}${err.kind === 'lost_answer' ? ' (not retried)' : ''}`,
          expected: json({ answer: 'a payment' }),
          actual: json(redact(errorAnswer(error))),
          answer: redact(err.payment ? { ...errorAnswer(error), payment: err.payment } : errorAnswer(error)),
        };
      }
    }
    result.durationMs = Math.round(performance.now() - s0);
    // A safety net: what the file itself says (an expected card number, say) is masked too.
    for (const k of ['message', 'expected', 'actual'] as const) if (result[k] !== undefined) result[k] = redactText(result[k]!, secrets);
    results.push(result);
    options.onStep?.({ type: 'end', step, result });
    if (result.outcome === 'failed') {
      outcome = 'failed';
      stopMessage = result.message;
      skipFrom(i + 1);
      return done();
    }
  }
  return done();

  /** One step: its result, or a throw for a request that failed. */
  async function runStep(step: ScenarioStep, target: string | undefined): Promise<StepResult> {
    const base = { index: step.index, kind: step.kind, label: step.label, durationMs: 0 };
    if (step.kind === 'create') {
      const p = await port.create(step.request, signal);
      payments.push(p.payment_id);
      madeBy.set(step.index, p.payment_id);
      options.onPayment?.(p.payment_id, step);
      return answered(p);
    }
    if (target === undefined) {
      // The parser makes sure a step has a payment; an earlier create that failed (expected) made none.
      return { ...base, outcome: 'failed', message: `Step ${step.label}: there is no payment to act on (the create it refers to made none).` };
    }
    switch (step.kind) {
      case 'confirm':
        return answered(await port.confirm(target, step.request, signal));
      case 'capture':
        return answered(await capture(step.request, target));
      case 'cancel':
        return answered(await port.cancel(target, step.request, signal));
      case 'refund': {
        const amount = step.request.amount ?? amountLeftToRefund((await port.retrieve(target, signal, true)) as Parameters<typeof amountLeftToRefund>[0]);
        const r = await port.refund(target, { ...step.request, amount }, signal);
        lastRefund.set(target, r);
        // The payment answer seen before is stale now (its refunds): an expect reads it again.
        lastAnswer.delete(target);
        current = target;
        pendingError = undefined;
        return { ...base, outcome: 'passed', paymentId: target, answer: redact(r) };
      }
      case 'simulate':
        return answered(await port.simulate(target, step.outcome, signal));
      case 'retrieve':
        return answered(await port.retrieve(target, signal));
      case 'wait':
        return waitFor(step, target);
      case 'expect':
        return expect(step, target);
      case 'expect_webhook':
        return expectWebhook(step, target);
    }

    /** `capture: {}` means all that is capturable: read now, and that amount sent. */
    async function capture(request: { amount_to_capture?: number }, id: string): Promise<ScenarioPayment> {
      if (request.amount_to_capture !== undefined) return port.capture(id, { amount_to_capture: request.amount_to_capture }, signal, lastAnswer.get(id));
      const now = await port.retrieve(id, signal, true);
      const num = (v: unknown) => (typeof v === 'number' ? v : 0);
      return port.capture(id, { amount_to_capture: amountToCaptureAll({ amount: num(now.amount), amount_capturable: num(now.amount_capturable) }) }, signal, now);
    }

    function answered(p: ScenarioPayment): StepResult {
      lastAnswer.set(p.payment_id, p);
      current = p.payment_id;
      pendingError = undefined;
      return { ...base, outcome: 'passed', paymentId: p.payment_id, answer: redact(p) };
    }
  }

  /** The payment's last refund: the one a step made (as the payment lists it now, when read since), else the last it lists. */
  function currentRefund(id: string): ScenarioRefund | undefined {
    const listed = lastAnswer.get(id)?.refunds;
    const refunds = Array.isArray(listed) ? (listed as ScenarioRefund[]) : [];
    const made = lastRefund.get(id);
    if (made) return refunds.find((r) => r?.refund_id === made.refund_id) ?? made;
    return refunds[refunds.length - 1];
  }

  async function waitFor(step: ScenarioStep & { kind: 'wait' }, target: string): Promise<StepResult> {
    const base = { index: step.index, kind: step.kind, label: step.label, durationMs: 0, paymentId: target };
    const deadline = performance.now() + step.timeoutMs;
    let interval = poll.first;
    const wanted = step.statuses.map((s) => `"${s}"`).join(' or ');
    for (;;) {
      const p = await port.retrieve(target, signal, true);
      lastAnswer.set(target, p);
      current = target;
      pendingError = undefined;
      if (step.of === 'refund') {
        const r = currentRefund(target);
        const failedRefund = (message: string): StepResult => ({
          ...base, outcome: 'failed', message: `Step ${step.label}: ${message}`, range: step.range, answer: redact(r ?? p),
          expected: json({ 'refund.status': step.statuses.length === 1 ? step.statuses[0] : step.statuses }), actual: json({ 'refund.status': r?.status ?? '(no refund)' }),
        });
        if (!r) return failedRefund(`the payment has no refund to wait for (${wanted}).`);
        if (step.statuses.includes(r.status)) return { ...base, outcome: 'passed', answer: redact(r) };
        if (!refundStillMoving(r)) return failedRefund(`the refund reached "${r.status}", a final status, while waiting for ${wanted}.`);
        const left = deadline - performance.now();
        if (left <= 0) return failedRefund(`the refund is still "${r.status}" after ${step.timeoutMs / 1000} s, waiting for ${wanted}.`);
        await sleep(Math.min(interval, left), signal);
        interval = Math.min(poll.max, Math.round(interval * 1.5));
        continue;
      }
      if (step.statuses.includes(p.status)) return { ...base, outcome: 'passed', answer: redact(p) };
      const failed = (message: string): StepResult => ({
        ...base,
        outcome: 'failed',
        message: `Step ${step.label}: ${message}`,
        expected: json({ status: step.statuses.length === 1 ? step.statuses[0] : step.statuses }),
        actual: json({ status: p.status }),
        answer: redact(p),
        range: step.range,
      });
      if (isTerminal(p.status)) return failed(`the payment reached "${p.status}", a final status, while waiting for ${step.statuses.map((s) => `"${s}"`).join(' or ')}${errorNote(p)}.`);
      const left = deadline - performance.now();
      if (left <= 0) return failed(`still "${p.status}" after ${step.timeoutMs / 1000} s, waiting for ${step.statuses.map((s) => `"${s}"`).join(' or ')}.`);
      await sleep(Math.min(interval, left), signal);
      interval = Math.min(poll.max, Math.round(interval * 1.5));
    }
  }

  /** Reads what the port received until a valid delivery of the type fits, or `within_s` has passed. */
  async function expectWebhook(step: ScenarioStep & { kind: 'expect_webhook' }, target: string): Promise<StepResult> {
    const base = { index: step.index, kind: step.kind, label: step.label, durationMs: 0, paymentId: target };
    current = target;
    pendingError = undefined;
    const expected = json({ event_type: step.eventType, ...(step.fields.length ? { 'content.object': Object.fromEntries(step.fields.map((f) => [f.path, f.value])) } : {}) });
    if (!port.webhookDeliveries) {
      return { ...base, outcome: 'failed', range: step.range, message: `Step ${step.label}: no webhook inbox: this run receives no webhooks.`, expected, actual: json(null) };
    }
    const deadline = performance.now() + step.timeoutMs;
    let interval = poll.first;
    for (;;) {
      const received = await port.webhookDeliveries(target, signal);
      if (!Array.isArray(received)) return { ...base, outcome: 'failed', range: step.range, message: `Step ${step.label}: ${received.unavailable}`, expected, actual: json(null) };
      const got = deliveriesAbout(received, target);
      const valid = got.filter((d) => d.signatureValid);
      const ofType = valid.filter((d) => readPath(d.body, 'event_type') === step.eventType);
      const object = (d: { body: unknown }): unknown => readPath(d.body, 'content.object');
      const fit = ofType.find((d) => step.fields.every((f) => matches(f.value, readPath(object(d), f.path))));
      if (fit) return { ...base, outcome: 'passed', answer: redact(fit.body) };
      const left = deadline - performance.now();
      if (left <= 0) {
        // Each event once (a retry delivers the same event again), in the order they arrived.
        const seen = [...new Set(valid.map((d) => String(readPath(d.body, 'event_type') ?? '(no event_type)')))];
        const forged = got.length - valid.length;
        const within = `within ${step.timeoutMs / 1000} s`;
        const last = ofType[ofType.length - 1];
        let message: string;
        if (last) {
          const wrong = step.fields.filter((f) => !matches(f.value, readPath(object(last), f.path)));
          message = `a ${step.eventType} webhook arrived, but its content.object has ${wrong.map((f) => `${f.path} ${shown(redact(readPath(object(last), f.path)))} (expected ${shown(f.value)})`).join('; ')}.`;
        } else {
          message = `expected a ${step.eventType} webhook about ${target} ${within}; ${seen.length ? `received ${seen.join(', ')}` : 'received none'}${forged ? ` (and ${forged} with an invalid signature, not counted)` : ''}.`;
        }
        return {
          ...base,
          outcome: 'failed',
          range: last ? step.fields.find((f) => !matches(f.value, readPath(object(last), f.path)))?.range ?? step.range : step.range,
          message: `Step ${step.label}: ${message}`,
          expected,
          actual: json(redact(last ? { event_type: step.eventType, 'content.object': object(last) } : { event_types: seen })),
          answer: last ? redact(last.body) : undefined,
        };
      }
      await sleep(Math.min(interval, left), signal);
      interval = Math.min(poll.max, Math.round(interval * 1.5));
    }
  }

  async function expect(step: ScenarioStep & { kind: 'expect' }, target: string): Promise<StepResult> {
    const base = { index: step.index, kind: step.kind, label: step.label, durationMs: 0, paymentId: target };
    const refusedStep = pendingError;
    pendingError = undefined;
    if (step.error) {
      const wanted = step.error;
      const wantedJson = json({ error: { code: wanted.code, type: wanted.type, message: wanted.message } });
      if (!refusedStep) {
        const prev = scenario.steps[step.index - 1];
        const p = lastAnswer.get(target);
        return {
          ...base,
          outcome: 'failed',
          range: wanted.range,
          message: `Step ${step.label}: expected ${prev ? `step ${prev.label}` : 'the step before'} to be refused${wanted.code ? ` with ${wanted.code}` : ''}, but it succeeded${p ? `: the payment is "${p.status}"` : ''}.`,
          expected: wantedJson,
          actual: json(p ? { status: p.status } : null),
          answer: p ? redact(p) : undefined,
        };
      }
      const e = refusedStep.error;
      const codeOk = !wanted.code || wanted.code === e.code || wanted.code === e.kind;
      const typeOk = !wanted.type || wanted.type === e.type;
      const messageOk = !wanted.message || e.message.toLowerCase().includes(wanted.message.toLowerCase());
      if (!codeOk || !typeOk || !messageOk) {
        const got = { code: e.code ?? e.kind, type: e.type, message: e.message };
        return {
          ...base,
          outcome: 'failed',
          range: wanted.range,
          message: `Step ${step.label}: step ${refusedStep.step.label} was refused with ${describeError(e)}; expected ${[wanted.code, wanted.type, wanted.message && `a message containing "${wanted.message}"`].filter(Boolean).join(', ')}.`,
          expected: wantedJson,
          actual: json(redact({ error: got })),
          answer: redact(errorAnswer(e)),
        };
      }
      if (!step.fields.length) return { ...base, outcome: 'passed', answer: redact(errorAnswer(e)) };
    }
    let p = lastAnswer.get(target);
    if (!p) {
      // A payment named by id that no step has read yet: read it (a GET, safe).
      p = await port.retrieve(target, signal);
      lastAnswer.set(target, p);
    }
    current = target;
    // "refund.…" reads the payment's last refund.
    const refund = currentRefund(target);
    const read = (path: string): unknown => (path === 'refund' || path.startsWith('refund.') ? readPath({ refund }, path) : readPath(p, path));
    const wrong: ExpectField[] = step.fields.filter((f) => !matches(f.value, read(f.path)));
    if (!wrong.length) return { ...base, outcome: 'passed', answer: redact(p) };
    const expected: Record<string, unknown> = {};
    const actual: Record<string, unknown> = {};
    for (const f of step.fields) {
      expected[f.path] = f.value;
      const v = read(f.path);
      actual[f.path] = v === undefined ? '(absent)' : v;
    }
    const what = wrong.map((f) => `${f.path} expected ${shown(f.value)}, got ${shown(redact(read(f.path)))}`).join('; ');
    return {
      ...base,
      outcome: 'failed',
      range: wrong[0]!.range,
      message: `Step ${step.label}: ${what}${errorNote(p)}.`,
      expected: json(expected),
      actual: json(redact(actual)),
      answer: redact(p),
    };
  }
}

function errorNote(p: ScenarioPayment): string {
  const code = p.error_code;
  const msg = p.error_message;
  if (typeof code !== 'string' || !code) return '';
  return ` (error_code ${code}${typeof msg === 'string' && msg ? `: ${msg}` : ''})`;
}

/** Runs `fn` over `items`, at most `limit` at a time; results in the items' order. */
export async function runWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Scenarios run in parallel at most this many at a time (steps within one are one at a time). */
export const SCENARIO_CONCURRENCY = 4;

/**
 * Cancels the payments of `results` whose last answer says they can still be cancelled (waiting for the
 * customer, for a capture, for a method), each once, with the reason "abandoned": the matrix's, which
 * nobody will finish. A failure is told to `warn`: the run's own results stand. Resolves how many.
 */
export async function cancelLeftovers(results: readonly (ScenarioResult | undefined)[], port: ScenarioPort, warn: (message: string) => void): Promise<number> {
  const last = new Map<string, string>();
  for (const r of results) {
    for (const st of r?.steps ?? []) {
      const status = (st.answer as { status?: unknown } | undefined)?.status;
      if (st.paymentId && typeof status === 'string') last.set(st.paymentId, status);
    }
  }
  const open = [...last].filter(([, status]) => canDo('cancel', status));
  await runWithLimit(open, SCENARIO_CONCURRENCY, async ([id]) => {
    try {
      await port.cancel(id, { cancellation_reason: 'abandoned' }, AbortSignal.timeout(30_000));
    } catch (e) {
      warn(`Test card matrix: could not cancel ${id}, left waiting: ${String(e)}`);
    }
  });
  return open.length;
}

/**
 * A step's lines in a run's output, as the Testing view and the CLI print them: `  ✓ 2. confirm card
 * •••• 4242 (12 ms)  pay_…`, and for a failure its message under it. `refusedNote` words the note of
 * a refusal the scenario expected (the Testing view's is translated).
 */
export function stepLines(r: StepResult, refusedNote: (code: string) => string = (code) => `refused as expected: ${code}`): string[] {
  const mark = r.outcome === 'passed' ? '✓' : r.outcome === 'failed' ? '✗' : '–';
  const lines = [`  ${mark} ${r.label} (${r.durationMs} ms)${r.paymentId ? `  ${r.paymentId}` : ''}${r.error && r.outcome === 'passed' ? `  ${refusedNote(r.error.code ?? r.error.kind)}` : ''}`];
  if (r.outcome === 'failed') lines.push(`    ${r.message}`);
  return lines;
}
