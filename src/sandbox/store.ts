/**
 * The sandbox's payments and the moves between their statuses (perfectpay-api.md, "Statuses and
 * the moves between them"). Payments are kept in one array ordered by (created, insertion) and a
 * Map by id, so listing pages through thousands of payments with binary searches, never a sort.
 *
 * Time-driven moves (expiry, settlement of `processing`) are applied lazily whenever a payment is
 * read, at the time they were due: no timers, nothing keeps the event loop alive.
 */
import type { ConfirmPaymentRequest, RefundRequest, RefundUpdateRequest } from '../api/schemas';
import { refundTestOutcome } from '../domain/cards';
import { amountLeftToRefund } from '../domain/payment';
import { ALLOWED_FROM, EXPIRABLE_STATUSES, REFUNDABLE_STATUSES, SIMULATE_FROM, type KnownPaymentStatus, type SimulateOutcome } from '../domain/status';
import { cancelNotAllowed, captureMethodNotAllowed, clientSecretMismatch, duplicatePayment, duplicateRefund, invalidData, missingParam, paymentNotFound, refundAmountExceeded, refundNotFound, refundStatusNotAllowed, statusNotAllowed } from './errors';
import { buildNextAction, isThreeDs } from './nextActions';
import { CONNECTOR, DEFAULT_PROFILE_ID, echoedOf, maskCardNumbers } from './payments';
import { cryptoRng, newAttemptId, newCaptureId, newClientSecret, newConnectorCaptureId, newConnectorRefundId, newConnectorTransactionId, newPaymentId, newRefundId, type Rng } from './random';
import type { ListFilter, ListQuery, RefundFilter, ValidConfirm, ValidCreate } from './validate';
import { withThreeDs } from './validate';
import type { Outcome, ResolvedMethod, StoredPayment, StoredRefund } from './types';
import type { StatusChange } from './webhooks';

/**
 * The statuses the local sandbox puts payments in (the contract's table: the seed's ten and
 * `cancelled`). Its refusals name, of the statuses an action allows, only these: the others are
 * only ever sent by a real server.
 */
const SANDBOX_STATUSES: ReadonlySet<string> = new Set<KnownPaymentStatus>([
  'requires_payment_method', 'requires_confirmation', 'requires_customer_action', 'processing', 'requires_capture',
  'succeeded', 'failed', 'partially_captured', 'partially_captured_and_capturable', 'expired', 'cancelled',
]);
const expected = (allowed: readonly KnownPaymentStatus[]) => allowed.filter((s) => SANDBOX_STATUSES.has(s));

const SIMULATE_FLOW: Readonly<Record<SimulateOutcome, string>> = { succeed: 'completed', fail: 'failed', expire: 'expired' };

export interface StoreOptions {
  now: () => number;
  expiryMs: number;
  processingDelayMs: number;
  /** Time a refund of a refund test card stays `pending`. */
  refundDelayMs: number;
  /** The sandbox's own address, for next_action URLs (known once listening). */
  baseUrl: () => string;
  log: (line: string) => void;
  rng?: Rng;
  /** Called (synchronously) after every change of the stored state. */
  onChange?: () => void;
  /** Called (synchronously) when a payment or refund moves to a new status, after the move. */
  onStatus?: (change: StatusChange) => void;
}

/** What a create or confirm sets on a payment, from its request (free text masked). */
interface Patch {
  amount?: number;
  currency?: string;
  capture_method?: StoredPayment['capture_method'];
  authentication_type?: StoredPayment['authentication_type'];
  customer_id?: string;
  description?: string;
  metadata?: Record<string, unknown>;
  return_url?: string;
  method_billing?: Record<string, unknown> | null;
  echoed: Record<string, unknown>;
  /** Seconds from creation to expiry (create only). */
  session_expiry?: number;
}

function patchOf(req: ConfirmPaymentRequest): Patch {
  const patch: Patch = { echoed: echoedOf(req) };
  // The `customer` object names the customer and fills the deprecated top-level fields it has.
  const c = req.customer;
  if (c) {
    for (const f of ['name', 'email', 'phone', 'phone_country_code'] as const) {
      const v = c[f];
      if (patch.echoed[f] === undefined && typeof v === 'string') patch.echoed[f] = maskCardNumbers(v);
    }
  }
  const customerId = req.customer_id ?? c?.id;
  if (customerId !== undefined) patch.customer_id = customerId;
  if (req.amount !== undefined) patch.amount = req.amount;
  if (req.currency !== undefined) patch.currency = req.currency;
  if (req.capture_method !== undefined) patch.capture_method = req.capture_method;
  if (req.authentication_type !== undefined) patch.authentication_type = req.authentication_type;
  if (req.description !== undefined) patch.description = maskCardNumbers(req.description);
  if (req.metadata !== undefined) patch.metadata = maskCardNumbers(req.metadata);
  if (req.return_url !== undefined) patch.return_url = maskCardNumbers(req.return_url);
  if (req.payment_method_data?.billing !== undefined) patch.method_billing = maskCardNumbers(req.payment_method_data.billing);
  if (req.session_expiry !== undefined) patch.session_expiry = req.session_expiry;
  return patch;
}

/** The payment as a patch leaves it (the patch's fields over the payment's), for deciding and drawing. */
function patched(p: StoredPayment, patch: Patch): StoredPayment {
  const { echoed, session_expiry: _expiry, ...fields } = patch;
  const next: StoredPayment = { ...p, ...fields, echoed: { ...p.echoed, ...echoed } };
  if (patch.amount !== undefined) {
    next.net_amount = patch.amount;
    next.amount_capturable = patch.amount;
  }
  return next;
}

/** The 3DS settings of a payment: its authentication_type and whether it asks for external 3DS. */
const threeDsOf = (p: StoredPayment) => ({
  threeDs: p.authentication_type === 'three_ds',
  external: p.echoed?.request_external_three_ds_authentication === true,
});

export class PaymentStore {
  /** Ordered by (createdMs, seq) ascending: the newest is last. */
  private readonly ordered: StoredPayment[] = [];
  private readonly byId = new Map<string, StoredPayment>();
  /** Every refund by its id, with its payment (the refunds themselves live on their payments). */
  private readonly refundsById = new Map<string, { p: StoredPayment; r: StoredRefund }>();
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
    this.refundsById.clear();
    const sorted = [...state.payments].sort((a, b) => this.compare(a, b));
    let next = state.seq;
    for (const p of sorted) {
      this.ordered.push(p);
      this.byId.set(p.payment_id, p);
      next = Math.max(next, p.seq + 1);
      for (const r of p.refunds ?? []) {
        this.refundsById.set(r.refund_id, { p, r });
        next = Math.max(next, r.seq + 1);
      }
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
    // A further partial capture leaves the status as it was and is an event all the same.
    if (from !== to || to === 'partially_captured_and_capturable') this.opts.onStatus?.({ kind: 'payment', p });
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
    if (EXPIRABLE_STATUSES.includes(p.status) && now >= p.expiresMs) this.expire(p, p.expiresMs);
    for (const r of p.refunds ?? []) {
      if (r.status === 'pending' && r.settleAtMs !== null && r.settleTo !== null && now >= r.settleAtMs) this.settleRefund(p, r, r.settleAtMs, r.settleTo);
    }
  }

  private settleRefund(p: StoredPayment, r: StoredRefund, at: number, to: 'succeeded' | 'failed'): void {
    r.status = to;
    r.modifiedMs = Math.max(r.modifiedMs, at);
    r.settleAtMs = null;
    r.settleTo = null;
    if (to === 'failed') {
      r.error_code = 'refund_failed';
      r.error_message = 'The refund was declined by the processor.';
    }
    this.opts.log(`refund ${r.refund_id} of ${p.payment_id}: pending -> ${to}`);
    this.changed();
    this.opts.onStatus?.({ kind: 'refund', p, r });
  }

  /** Authorisation succeeded: the capture rule decides between succeeded and requires_capture. */
  private authorise(p: StoredPayment, at: number): void {
    p.connector_transaction_id ??= newConnectorTransactionId(this.rng);
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
        if (outcome.action === 'three_ds_invoke') p.external_3ds = true;
        this.setAttempt(p, isThreeDs(outcome.action) ? 'authentication_pending' : 'pending', at);
        this.move(p, 'requires_customer_action', at);
        return;
      }
    }
  }

  /** The next_action an outcome needs (async: a QR image is drawn), built on a view of the payment. */
  private async prepareNextAction(view: StoredPayment, outcome: Outcome, at: number): Promise<Record<string, unknown> | null> {
    if (outcome.kind !== 'action') return null;
    return buildNextAction(outcome.action, view, this.opts.baseUrl(), at);
  }

  private attach(p: StoredPayment, method: ResolvedMethod): void {
    p.payment_method = method.payment_method;
    p.payment_method_type = method.payment_method_type;
    p.card = method.card;
    p.attachedOutcome = method.outcome;
    this.attempt(p).payment_method = method.payment_method;
  }

  private withMethod(p: StoredPayment, method: ResolvedMethod | null): StoredPayment {
    return method ? { ...p, payment_method: method.payment_method, payment_method_type: method.payment_method_type } : p;
  }

  // -------------------------------------------------------------------------------------------
  // Routes

  async create(v: ValidCreate, at = this.opts.now()): Promise<StoredPayment> {
    const { req, method } = v;
    if (req.payment_id !== undefined && this.byId.has(req.payment_id)) throw duplicatePayment(req.payment_id);
    let id = req.payment_id ?? newPaymentId(this.rng);
    while (this.byId.has(id)) id = newPaymentId(this.rng);
    const patch = patchOf(req);
    const p: StoredPayment = {
      seq: this.seq++,
      createdMs: at,
      modifiedMs: at,
      expiresMs: at + (patch.session_expiry !== undefined ? patch.session_expiry * 1000 : this.opts.expiryMs),
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
      customer_id: patch.customer_id ?? null,
      description: patch.description ?? null,
      metadata: patch.metadata ?? null,
      return_url: patch.return_url ?? null,
      payment_method: null,
      payment_method_type: null,
      card: null,
      method_billing: patch.method_billing ?? null,
      next_action: null,
      error_code: null,
      error_message: null,
      cancellation_reason: null,
      attempt_count: 1,
      connector_transaction_id: null,
      echoed: patch.echoed,
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
    const outcome = method && req.confirm ? withThreeDs(method.outcome, threeDsOf(p)) : null;
    const nextAction = outcome ? await this.prepareNextAction(this.withMethod(p, method), outcome, at) : null;
    // Checked again after the await: a concurrent create may have taken the id meanwhile.
    if (this.byId.has(id)) throw duplicatePayment(id);
    this.insert(p);
    this.opts.log(`payment ${id}: created (requires_payment_method)`);
    if (method) {
      this.attach(p, method);
      if (outcome) this.applyOutcome(p, outcome, at, nextAction);
      else this.move(p, 'requires_confirmation', at);
    }
    return p;
  }

  async confirm(id: string, v: ValidConfirm, at = this.opts.now()): Promise<StoredPayment> {
    const { req, method } = v;
    const check = () => {
      const p = this.get(id);
      if (req.client_secret !== undefined && req.client_secret !== p.client_secret) throw clientSecretMismatch();
      if (!ALLOWED_FROM.confirm.includes(p.status)) {
        throw statusNotAllowed('confirmed', p.status, expected(ALLOWED_FROM.confirm));
      }
      return p;
    };
    let p = check();
    const patch = patchOf(req);
    const base = method?.outcome ?? p.attachedOutcome;
    if (!base) throw missingParam('payment_method');
    // Decided on the payment as this confirm leaves it (it may change the amount or the 3DS settings).
    const view = this.withMethod(patched(p, patch), method);
    const outcome = withThreeDs(base, threeDsOf(view));
    const nextAction = await this.prepareNextAction(view, outcome, at);
    // Checked again after the await: a concurrent request may have moved the payment meanwhile.
    p = check();
    const { echoed, session_expiry: _expiry, ...fields } = patch;
    Object.assign(p, fields);
    p.echoed = { ...p.echoed, ...echoed };
    if (patch.amount !== undefined) {
      p.net_amount = patch.amount;
      p.amount_capturable = patch.amount;
      this.attempt(p).amount = patch.amount;
    }
    if (method) this.attach(p, method);
    p.modifiedMs = Math.max(p.modifiedMs, at);
    this.applyOutcome(p, outcome, at, nextAction);
    return p;
  }

  capture(id: string, amountToCapture: number | undefined, at = this.opts.now()): StoredPayment {
    const p = this.get(id);
    // A manual payment is captured once: what is left of it after a part was released.
    if (p.status === 'partially_captured' && p.capture_method === 'manual') throw captureMethodNotAllowed(p.capture_method);
    if (!ALLOWED_FROM.capture.includes(p.status)) {
      throw statusNotAllowed('captured', p.status, expected(ALLOWED_FROM.capture));
    }
    // Without an amount, as Hyperswitch's payment_capture.rs: manual_multiple must say how much;
    // manual captures what the create asked to capture (its amount_to_capture), else all of it.
    if (amountToCapture === undefined && p.capture_method === 'manual_multiple') throw missingParam('amount_to_capture');
    const asked = p.echoed?.amount_to_capture;
    const amount = amountToCapture ?? (typeof asked === 'number' ? asked : p.amount_capturable);
    if (amount > p.amount_capturable) throw invalidData('amount_to_capture is greater than amount');
    p.captures.push({
      capture_id: newCaptureId(this.rng),
      status: 'charged',
      amount,
      createdMs: at,
      connector_capture_id: newConnectorCaptureId(this.rng),
    });
    p.amount_received = (p.amount_received ?? 0) + amount;
    const left = p.amount_capturable - amount;
    if (left === 0) {
      p.amount_capturable = 0;
      this.setAttempt(p, p.amount_received === p.amount ? 'charged' : 'partial_charged', at);
      this.move(p, 'succeeded', at);
    } else if (p.capture_method === 'manual_multiple') {
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
    if (!ALLOWED_FROM.cancel.includes(p.status)) throw cancelNotAllowed(p.status);
    p.cancellation_reason = reason === undefined ? null : maskCardNumbers(reason);
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
  // Refunds

  /** What is left to refund: what was received, less every refund that has not failed. */
  refundable(p: StoredPayment): number {
    return amountLeftToRefund(p);
  }

  /**
   * `POST /refunds`, checked as Hyperswitch's refunds.rs checks it, a `refund_id` used before first
   * (so that a refund sent again after a lost answer hears HE_01, never a misleading IR_13): the
   * payment, its status, then the amount (default: all that is left).
   */
  createRefund(req: RefundRequest, at = this.opts.now()): { p: StoredPayment; r: StoredRefund } {
    if (req.refund_id !== undefined && this.refundsById.has(req.refund_id)) throw duplicateRefund();
    const p = this.get(req.payment_id);
    if (!REFUNDABLE_STATUSES.includes(p.status)) throw refundStatusNotAllowed(p.status, REFUNDABLE_STATUSES);
    const left = this.refundable(p);
    const amount = req.amount ?? left;
    if (amount <= 0 || amount > left) throw refundAmountExceeded();
    let id = req.refund_id ?? newRefundId(this.rng);
    while (this.refundsById.has(id)) id = newRefundId(this.rng);
    const later = refundTestOutcome(p.card);
    const r: StoredRefund = {
      seq: this.seq++,
      refund_id: id,
      amount,
      status: later ? 'pending' : 'succeeded',
      reason: req.reason === undefined ? null : maskCardNumbers(req.reason),
      metadata: req.metadata === undefined ? null : maskCardNumbers(req.metadata),
      refund_type: req.refund_type ?? 'instant',
      error_code: null,
      error_message: null,
      connector_refund_id: newConnectorRefundId(this.rng),
      createdMs: at,
      modifiedMs: at,
      settleAtMs: later ? at + this.opts.refundDelayMs : null,
      settleTo: later === 'fails_later' ? 'failed' : later === 'succeeds_later' ? 'succeeded' : null,
    };
    (p.refunds ??= []).push(r);
    this.refundsById.set(id, { p, r });
    this.opts.log(`refund ${id} of ${p.payment_id}: created (${r.status}, ${amount} ${p.currency})`);
    this.changed();
    this.opts.onStatus?.({ kind: 'refund', p, r });
    return { p, r };
  }

  /** The refund with that id, its due settlement applied; HE_02 "Refund does not exist" when unknown. */
  getRefund(id: string): { p: StoredPayment; r: StoredRefund } {
    const found = this.refundsById.get(id);
    if (!found) throw refundNotFound();
    this.refresh(found.p);
    return found;
  }

  /** `POST /refunds/{refund_id}`: a new reason and/or metadata (the metadata replaced whole). */
  updateRefund(id: string, req: RefundUpdateRequest, at = this.opts.now()): { p: StoredPayment; r: StoredRefund } {
    const found = this.getRefund(id);
    const { r } = found;
    if (req.reason !== undefined) r.reason = maskCardNumbers(req.reason);
    if (req.metadata !== undefined) r.metadata = maskCardNumbers(req.metadata);
    r.modifiedMs = Math.max(r.modifiedMs, at);
    this.changed();
    return found;
  }

  /** `POST /refunds/list`: the page [offset, offset + limit) of the matching refunds, newest first, and how many match. */
  filterRefunds(f: RefundFilter): { total: number; page: Array<{ p: StoredPayment; r: StoredRefund }> } {
    const candidates =
      f.refundId !== undefined
        ? [this.refundsById.get(f.refundId)].filter((x) => x !== undefined)
        : f.paymentId !== undefined
          ? (this.byId.get(f.paymentId)?.refunds ?? []).map((r) => this.refundsById.get(r.refund_id)!)
          : [...this.refundsById.values()];
    const found = candidates.filter(({ p, r }) => {
      if (f.statuses !== undefined) this.refresh(p);
      return (
        (f.paymentId === undefined || p.payment_id === f.paymentId) &&
        (f.profileId === undefined || (p.echoed?.profile_id ?? DEFAULT_PROFILE_ID) === f.profileId) &&
        (f.currencies === undefined || f.currencies.has(p.currency)) &&
        (f.connectors === undefined || f.connectors.has(CONNECTOR)) &&
        (f.statuses === undefined || f.statuses.has(r.status)) &&
        r.amount >= f.minAmount &&
        r.amount <= f.maxAmount &&
        r.createdMs >= f.fromMs &&
        r.createdMs <= f.toMs
      );
    });
    found.sort((a, b) => this.compare(b.r, a.r));
    const page = found.slice(f.offset, f.offset + f.limit);
    for (const { p } of page) this.refresh(p);
    return { total: found.length, page };
  }

  /** Every refund, newest first (for tests and the seed). */
  refundIds(): string[] {
    return [...this.refundsById.values()].sort((a, b) => this.compare(b.r, a.r)).map(({ r }) => r.refund_id);
  }

  // -------------------------------------------------------------------------------------------
  // List

  /** Index range [lo, hi) of the payments created within [fromMs, toMs]. */
  private timeRange(fromMs: number, toMs: number): [number, number] {
    const lo = fromMs === -Infinity ? 0 : this.lowerBound({ createdMs: fromMs, seq: -1 });
    const hi = toMs === Infinity ? this.ordered.length : this.lowerBound({ createdMs: toMs + 1, seq: -1 });
    return [lo, hi];
  }

  /** A page of payments, newest first. Cursors that are not stored answer HE_02. */
  list(q: ListQuery): StoredPayment[] {
    let [lo, hi] = this.timeRange(q.fromMs, q.toMs);
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

  /**
   * `POST /payments/list`: the page [offset, offset + limit) of the payments matching every filter,
   * in the asked order, and how many match in all. Statuses are read after their due time-driven
   * moves, so a filter on `expired` finds what has expired by now.
   */
  filter(f: ListFilter): { total: number; page: StoredPayment[] } {
    const matches = (p: StoredPayment): boolean =>
      p.amount >= f.minAmount &&
      p.amount <= f.maxAmount &&
      (f.customerId === undefined || p.customer_id === f.customerId) &&
      (f.currencies === undefined || f.currencies.has(p.currency)) &&
      (f.methods === undefined || (p.payment_method !== null && f.methods.has(p.payment_method))) &&
      (f.methodTypes === undefined || (p.payment_method_type !== null && f.methodTypes.has(p.payment_method_type))) &&
      (f.authenticationTypes === undefined || f.authenticationTypes.has(p.authentication_type)) &&
      (f.connectors === undefined || f.connectors.has(CONNECTOR)) &&
      (f.cardNetworks === undefined || (p.card !== null && f.cardNetworks.has(p.card.card_network))) &&
      (f.profileId === undefined || (p.echoed?.profile_id ?? DEFAULT_PROFILE_ID) === f.profileId) &&
      (f.merchantOrderReferenceId === undefined || p.echoed?.merchant_order_reference_id === f.merchantOrderReferenceId) &&
      (f.statuses === undefined || (this.refresh(p), f.statuses.has(p.status)));
    let candidates: StoredPayment[];
    if (f.paymentId !== undefined) {
      const p = this.byId.get(f.paymentId);
      candidates = p && p.createdMs >= f.fromMs && p.createdMs <= f.toMs ? [p] : [];
    } else {
      const [lo, hi] = this.timeRange(f.fromMs, f.toMs);
      candidates = this.ordered.slice(lo, hi);
    }
    const found = candidates.filter(matches);
    // `ordered` is oldest first: created asc as it is; amount sorts (ties by creation, same way).
    const dir = f.orderBy === 'asc' ? 1 : -1;
    if (f.orderOn === 'amount') found.sort((a, b) => dir * (a.amount - b.amount || this.compare(a, b)));
    else if (dir < 0) found.reverse();
    const page = found.slice(f.offset, f.offset + f.limit);
    for (const p of page) this.refresh(p);
    return { total: found.length, page };
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
