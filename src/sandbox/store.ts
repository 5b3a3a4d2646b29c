/**
 * The sandbox's payments and the moves between their statuses (perfectpay-api.md, "Statuses and
 * the moves between them"). Payments are kept in one array ordered by (created, insertion) and a
 * Map by id, so listing pages through thousands of payments with binary searches, never a sort.
 *
 * Time-driven moves (expiry, settlement of `processing`) are applied lazily whenever a payment is
 * read, at the time they were due: no timers, nothing keeps the event loop alive.
 */
import type { CaptureMethod } from '../domain/payment';
import type { KnownPaymentStatus } from '../domain/status';
import { ALLOWED_FROM, EXPIRABLE_STATUSES } from '../domain/status';
import { clientSecretMismatch, duplicatePayment, invalidData, missingParam, paymentNotFound, statusNotAllowed } from './errors';
import { buildNextAction, isThreeDs } from './nextActions';
import { cryptoRng, newAttemptId, newCaptureId, newClientSecret, newPaymentId, type Rng } from './random';
import type { ListQuery, ValidCreate } from './validate';
import { resolveMethod } from './validate';
import type { ConfirmPaymentRequest } from '../api/schemas';
import type { SimulateOutcome } from '../domain/status';
import type { Outcome, ResolvedMethod, StoredPayment } from './types';

/** The statuses that expire (one table with the inspector's, in src/model/status). */
export const EXPIRABLE: readonly KnownPaymentStatus[] = EXPIRABLE_STATUSES;

/** Which statuses each simulated outcome applies to. */
export const SIMULATE_FROM: Readonly<Record<SimulateOutcome, readonly KnownPaymentStatus[]>> = {
  succeed: ['requires_customer_action', 'processing'],
  fail: ['requires_customer_action', 'processing'],
  expire: EXPIRABLE,
};
const SIMULATE_FLOW: Record<SimulateOutcome, string> = { succeed: 'completed', fail: 'failed', expire: 'expired' };

export interface StoreOptions {
  now: () => number;
  expiryMs: number;
  processingDelayMs: number;
  /** The sandbox's own address, for next_action URLs (known once listening). */
  baseUrl: () => string;
  log: (line: string) => void;
  rng?: Rng;
  /** Called (synchronously) after every change of the stored state. */
  onChange?: () => void;
}

export class PaymentStore {
  /** Ordered by (createdMs, seq) ascending: the newest is last. */
  private readonly ordered: StoredPayment[] = [];
  private readonly byId = new Map<string, StoredPayment>();
  private seq = 0;
  private readonly rng: Rng;

  constructor(private readonly opts: StoreOptions) {
    this.rng = opts.rng ?? cryptoRng;
  }

  get size(): number {
    return this.ordered.length;
  }

  now(): number {
    return this.opts.now();
  }

  /** Ids newest first. */
  ids(): string[] {
    return this.ordered.map((p) => p.payment_id).reverse();
  }

  /** The payment with that id, with its due time-driven moves applied; HE_02 when unknown. */
  get(id: string): StoredPayment {
    const p = this.byId.get(id);
    if (!p) throw paymentNotFound();
    this.refresh(p);
    return p;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  // -------------------------------------------------------------------------------------------
  // Ordering

  private compare(a: { createdMs: number; seq: number }, b: { createdMs: number; seq: number }): number {
    return a.createdMs - b.createdMs || a.seq - b.seq;
  }

  /** First index whose payment is not before `key`. */
  private lowerBound(key: { createdMs: number; seq: number }): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.ordered[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(p: StoredPayment): number {
    return this.lowerBound(p);
  }

  private insert(p: StoredPayment): void {
    const last = this.ordered[this.ordered.length - 1];
    if (!last || this.compare(last, p) < 0) this.ordered.push(p);
    else this.ordered.splice(this.lowerBound(p), 0, p);
    this.byId.set(p.payment_id, p);
    this.changed();
  }

  private changed(): void {
    this.opts.onChange?.();
  }

  // -------------------------------------------------------------------------------------------
  // Snapshot

  /** A deep, JSON-safe copy of the state: the payments oldest first and the insertion counter. */
  exportState(): { seq: number; payments: StoredPayment[] } {
    return { seq: this.seq, payments: JSON.parse(JSON.stringify(this.ordered)) as StoredPayment[] };
  }

  /**
   * Replaces the state with validated payments (see snapshot.ts): unique ids and unique `seq`s.
   * Time-driven moves stay lazy: they are applied on the next read, at the time they were due.
   */
  importState(state: { seq: number; payments: StoredPayment[] }): void {
    this.ordered.length = 0;
    this.byId.clear();
    const sorted = [...state.payments].sort((a, b) => this.compare(a, b));
    let next = state.seq;
    for (const p of sorted) {
      this.ordered.push(p);
      this.byId.set(p.payment_id, p);
      next = Math.max(next, p.seq + 1);
    }
    this.seq = next;
  }

  // -------------------------------------------------------------------------------------------
  // Moves

  private move(p: StoredPayment, to: KnownPaymentStatus, at: number): void {
    const from = p.status;
    p.status = to;
    p.modifiedMs = Math.max(p.modifiedMs, at);
    if (to !== 'requires_customer_action') {
      p.next_action = null;
      p.pendingAction = null;
    }
    if (to !== 'processing') p.settleAtMs = null;
    if (from !== to) this.opts.log(`payment ${p.payment_id}: ${from} -> ${to}`);
    this.changed();
  }

  private attempt(p: StoredPayment) {
    return p.attempts[p.attempts.length - 1]!;
  }

  private setAttempt(p: StoredPayment, status: string, at: number, error?: { code: string; message: string }): void {
    const a = this.attempt(p);
    a.status = status;
    a.modifiedMs = at;
    a.payment_method = p.payment_method;
    if (error) {
      a.error_code = error.code;
      a.error_message = error.message;
    }
  }

  /** Applies the expiry and settlement that were due by now, at the time they were due. */
  refresh(p: StoredPayment): void {
    const now = this.opts.now();
    if (p.status === 'processing' && p.settleAtMs !== null && now >= p.settleAtMs) {
      this.authorise(p, p.settleAtMs);
    }
    if (EXPIRABLE.includes(p.status) && now >= p.expiresMs) this.expire(p, p.expiresMs);
  }

  /** Authorisation succeeded: the capture rule decides between succeeded and requires_capture. */
  private authorise(p: StoredPayment, at: number): void {
    if (p.capture_method === 'automatic') {
      p.amount_received = p.amount;
      p.amount_capturable = 0;
      this.setAttempt(p, 'charged', at);
      this.move(p, 'succeeded', at);
    } else {
      p.amount_capturable = p.amount;
      this.setAttempt(p, 'authorized', at);
      this.move(p, 'requires_capture', at);
    }
  }

  private fail(p: StoredPayment, at: number, code: string, message: string, attemptStatus = 'failure'): void {
    p.error_code = code;
    p.error_message = message;
    p.amount_capturable = 0;
    this.setAttempt(p, attemptStatus, at, { code, message });
    this.move(p, 'failed', at);
  }

  private expire(p: StoredPayment, at: number): void {
    const a = this.attempt(p);
    if (a.status === 'pending' || a.status === 'authentication_pending') {
      this.setAttempt(p, 'failure', at, {
        code: 'payment_expired',
        message: 'The payment expired before the customer step was completed.',
      });
    }
    p.amount_capturable = 0;
    this.move(p, 'expired', at);
  }

  private startProcessing(p: StoredPayment, at: number): void {
    p.settleAtMs = at + this.opts.processingDelayMs;
    this.setAttempt(p, 'pending', at);
    this.move(p, 'processing', at);
  }

  /** Applies what a confirm leads to. Synchronous: a customer step's next_action is built before. */
  private applyOutcome(p: StoredPayment, outcome: Outcome, at: number, nextAction: Record<string, unknown> | null): void {
    switch (outcome.kind) {
      case 'authorise':
        return this.authorise(p, at);
      case 'processing':
        return this.startProcessing(p, at);
      case 'decline':
        return this.fail(p, at, outcome.code, outcome.message);
      case 'action': {
        p.pendingAction = { action: outcome.action, then: outcome.then };
        p.next_action = nextAction;
        this.setAttempt(p, isThreeDs(outcome.action) ? 'authentication_pending' : 'pending', at);
        this.move(p, 'requires_customer_action', at);
        return;
      }
    }
  }

  /** The next_action an outcome needs (async: a QR image is drawn), built on a copy of the payment. */
  private async prepareNextAction(
    p: StoredPayment,
    outcome: Outcome,
    method: ResolvedMethod | null,
    at: number,
  ): Promise<Record<string, unknown> | null> {
    if (outcome.kind !== 'action') return null;
    const view: StoredPayment = method
      ? { ...p, payment_method: method.payment_method, payment_method_type: method.payment_method_type }
      : p;
    return buildNextAction(outcome.action, view, this.opts.baseUrl(), at);
  }

  private attach(p: StoredPayment, method: ResolvedMethod): void {
    p.payment_method = method.payment_method;
    p.payment_method_type = method.payment_method_type;
    p.card = method.card;
    p.attachedOutcome = method.outcome;
    this.attempt(p).payment_method = method.payment_method;
  }

  // -------------------------------------------------------------------------------------------
  // Routes

  async create(v: ValidCreate, at = this.opts.now()): Promise<StoredPayment> {
    const { req, method } = v;
    if (req.payment_id !== undefined && this.byId.has(req.payment_id)) throw duplicatePayment(req.payment_id);
    let id = req.payment_id ?? newPaymentId(this.rng);
    while (this.byId.has(id)) id = newPaymentId(this.rng);
    const p: StoredPayment = {
      seq: this.seq++,
      createdMs: at,
      modifiedMs: at,
      expiresMs: at + this.opts.expiryMs,
      payment_id: id,
      client_secret: newClientSecret(id, this.rng),
      status: 'requires_payment_method',
      amount: req.amount,
      net_amount: req.amount,
      amount_capturable: req.amount,
      amount_received: null,
      currency: req.currency,
      capture_method: req.capture_method ?? 'automatic',
      authentication_type: req.authentication_type ?? 'no_three_ds',
      customer_id: req.customer_id ?? null,
      description: req.description ?? null,
      metadata: req.metadata ?? null,
      return_url: req.return_url ?? null,
      payment_method: null,
      payment_method_type: null,
      card: null,
      next_action: null,
      error_code: null,
      error_message: null,
      cancellation_reason: null,
      attempt_count: 1,
      attachedOutcome: null,
      pendingAction: null,
      settleAtMs: null,
      attempts: [
        {
          attempt_id: newAttemptId(id, 1),
          status: 'started',
          amount: req.amount,
          payment_method: null,
          error_code: null,
          error_message: null,
          createdMs: at,
          modifiedMs: at,
        },
      ],
      captures: [],
    };
    const nextAction = method && req.confirm ? await this.prepareNextAction(p, method.outcome, method, at) : null;
    // Checked again after the await: a concurrent create may have taken the id meanwhile.
    if (this.byId.has(id)) throw duplicatePayment(id);
    this.insert(p);
    this.opts.log(`payment ${id}: created (requires_payment_method)`);
    if (method) {
      this.attach(p, method);
      if (req.confirm) this.applyOutcome(p, method.outcome, at, nextAction);
      else this.move(p, 'requires_confirmation', at);
    }
    return p;
  }

  async confirm(id: string, req: ConfirmPaymentRequest, at = this.opts.now()): Promise<StoredPayment> {
    const check = () => {
      const p = this.get(id);
      if (req.client_secret !== undefined && req.client_secret !== p.client_secret) throw clientSecretMismatch();
      if (!ALLOWED_FROM.confirm.includes(p.status)) {
        throw statusNotAllowed('confirmed', p.status, ALLOWED_FROM.confirm);
      }
      return p;
    };
    let p = check();
    const given =
      req.payment_method !== undefined || req.payment_method_type !== undefined || req.payment_method_data !== undefined;
    let method: ResolvedMethod | null = null;
    let outcome: Outcome;
    if (given) {
      method = resolveMethod(req.payment_method, req.payment_method_type, req.payment_method_data, p.authentication_type, at);
      outcome = method.outcome;
    } else if (p.attachedOutcome) {
      outcome = p.attachedOutcome;
    } else {
      throw missingParam('payment_method');
    }
    const nextAction = await this.prepareNextAction(p, outcome, method, at);
    // Checked again after the await: a concurrent request may have moved the payment meanwhile.
    p = check();
    if (method) this.attach(p, method);
    if (req.return_url !== undefined) p.return_url = req.return_url;
    p.modifiedMs = Math.max(p.modifiedMs, at);
    this.applyOutcome(p, outcome, at, nextAction);
    return p;
  }

  capture(id: string, amountToCapture: number | undefined, at = this.opts.now()): StoredPayment {
    const p = this.get(id);
    if (!ALLOWED_FROM.capture.includes(p.status)) {
      throw statusNotAllowed('captured', p.status, ALLOWED_FROM.capture);
    }
    const amount = amountToCapture ?? p.amount_capturable;
    if (amount > p.amount_capturable) {
      throw invalidData(
        `amount_to_capture (${amount}) is greater than amount_capturable (${p.amount_capturable}): capture at most the capturable amount`,
      );
    }
    p.captures.push({ capture_id: newCaptureId(this.rng), status: 'charged', amount, createdMs: at });
    p.amount_received = (p.amount_received ?? 0) + amount;
    const left = p.amount_capturable - amount;
    const method: CaptureMethod = p.capture_method;
    if (left === 0) {
      p.amount_capturable = 0;
      this.setAttempt(p, p.amount_received === p.amount ? 'charged' : 'partial_charged', at);
      this.move(p, 'succeeded', at);
    } else if (method === 'manual_multiple') {
      p.amount_capturable = left;
      this.setAttempt(p, 'partial_charged', at);
      this.move(p, 'partially_captured_and_capturable', at);
    } else {
      // manual: one capture; the rest of the authorisation is released.
      p.amount_capturable = 0;
      this.setAttempt(p, 'partial_charged', at);
      this.move(p, 'partially_captured', at);
    }
    return p;
  }

  cancel(id: string, reason: string | undefined, at = this.opts.now()): StoredPayment {
    const p = this.get(id);
    if (!ALLOWED_FROM.cancel.includes(p.status)) {
      throw statusNotAllowed('cancelled', p.status, ALLOWED_FROM.cancel);
    }
    p.cancellation_reason = reason ?? null;
    p.amount_capturable = 0;
    this.setAttempt(p, 'voided', at);
    this.move(p, 'cancelled', at);
    return p;
  }

  /** The customer completed the step (sandbox page or simulate), or settlement ended well. */
  complete(id: string, at = this.opts.now()): StoredPayment {
    const p = this.get(id);
    if (!SIMULATE_FROM.succeed.includes(p.status)) {
      throw statusNotAllowed('completed', p.status, SIMULATE_FROM.succeed);
    }
    if (p.status === 'processing') this.authorise(p, at);
    else if (p.pendingAction?.then === 'processing') this.startProcessing(p, at);
    else this.authorise(p, at);
    return p;
  }

  /** The customer failed or abandoned the step, or settlement failed. */
  failStep(id: string, at = this.opts.now()): StoredPayment {
    const p = this.get(id);
    if (!SIMULATE_FROM.fail.includes(p.status)) {
      throw statusNotAllowed('failed', p.status, SIMULATE_FROM.fail);
    }
    if (p.status === 'processing') {
      this.fail(p, at, 'processing_error', 'The payment failed during settlement.');
    } else if (p.pendingAction && isThreeDs(p.pendingAction.action)) {
      this.fail(p, at, 'authentication_failed', 'The customer failed 3D Secure authentication.', 'authentication_failed');
    } else {
      this.fail(p, at, 'customer_action_failed', 'The customer did not complete the payment step.');
    }
    return p;
  }

  simulate(id: string, outcome: SimulateOutcome, at = this.opts.now()): StoredPayment {
    const p = this.get(id);
    if (!SIMULATE_FROM[outcome].includes(p.status)) {
      throw statusNotAllowed(SIMULATE_FLOW[outcome], p.status, SIMULATE_FROM[outcome]);
    }
    if (outcome === 'succeed') return this.complete(id, at);
    if (outcome === 'fail') return this.failStep(id, at);
    this.expire(p, at);
    return p;
  }

  // -------------------------------------------------------------------------------------------
  // List

  /** A page of payments, newest first. Cursors that are not stored answer HE_02. */
  list(q: ListQuery): StoredPayment[] {
    // Index range [lo, hi) of payments whose created time is within bounds.
    let lo = q.fromMs === -Infinity ? 0 : this.lowerBound({ createdMs: q.fromMs, seq: -1 });
    let hi = q.toMs === Infinity ? this.ordered.length : this.lowerBound({ createdMs: q.toMs + 1, seq: -1 });
    if (q.startingAfter !== undefined) {
      const cursor = this.byId.get(q.startingAfter);
      if (!cursor) throw paymentNotFound();
      hi = Math.min(hi, this.indexOf(cursor));
    }
    if (q.endingBefore !== undefined) {
      const cursor = this.byId.get(q.endingBefore);
      if (!cursor) throw paymentNotFound();
      lo = Math.max(lo, this.indexOf(cursor) + 1);
    }
    const out: StoredPayment[] = [];
    const matches = (p: StoredPayment) => q.customerId === undefined || p.customer_id === q.customerId;
    if (q.endingBefore !== undefined && q.startingAfter === undefined) {
      // The page just before the cursor (newer than it), still answered newest first.
      for (let i = lo; i < hi && out.length < q.limit; i++) if (matches(this.ordered[i]!)) out.push(this.ordered[i]!);
      out.reverse();
    } else {
      for (let i = hi - 1; i >= lo && out.length < q.limit; i--) if (matches(this.ordered[i]!)) out.push(this.ordered[i]!);
    }
    for (const p of out) this.refresh(p);
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Seeding helpers

  /** Lets the seed keep its waiting payments from expiring / settling during a demo. */
  hold(p: StoredPayment, expiresMs: number, settleAtMs: number | null): void {
    p.expiresMs = expiresMs;
    if (p.status === 'processing') p.settleAtMs = settleAtMs;
    this.changed();
  }
}
