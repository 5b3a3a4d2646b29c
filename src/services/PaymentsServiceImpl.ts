/**
 * The payments service: the routes of the current environment's client (from the EnvironmentManager),
 * a cache of the last answer of each payment, the persisted history of what was seen (the timeline),
 * and one event per answer. Answers that arrive after a switch of environment are dropped.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { CancelPaymentRequest, CapturePaymentRequest, ConfirmPaymentRequest, CreatePaymentRequest, FetchedQrCode, FilteredPaymentList, ListPaymentsQuery, PaymentListFilter, Payment, PaymentList, PaymentMethodData, Refund, RetrievePaymentOptions } from '../api/schemas';
import { describeMethod } from '../domain/cards';
import { newPaymentId } from '../domain/ids';
import type { EventAttempt, EventList, EventListConstraints } from '../api/schemas';
import type { SimulateOutcome } from '../domain/status';
import type { EnvironmentManager, Session } from '../environment/EnvironmentManager';
import { ServiceError } from '../environment/errors';
import type { EnvironmentInfo } from '../environment/types';
import type { CopyFormat } from '../api/code';
import { answerLost } from '../api/errors';
import { answerOf, type PaymentAnswer } from '../model/answers';
import { observationOf, type ObservationCause, type ObservationExtra, type PaymentObservation } from '../model/history';
import { createAnswerStore } from './answerStore';
import { createHistoryStore } from './historyStore';
import type { PaymentFileStore } from './paymentFileStore';
import { LOOKUP_MAX_AGE_MS, type ConfirmKey, type PaymentChange, type PaymentsService } from './PaymentsService';

/** The lookups remembered (ids); the oldest are forgotten first. */
const MAX_LOOKUPS = 1000;

export interface ServiceDeps {
  environments: EnvironmentManager;
  log: vscode.LogOutputChannel;
  /** Where the history file is kept (the extension's globalStorageUri). */
  storageUri?: vscode.Uri;
  /** Where 0.1.0 kept the history (moved to the file on first use). */
  legacyState?: vscode.Memento;
}

export class PaymentsServiceImpl implements PaymentsService {
  private readonly changePayment = new vscode.EventEmitter<PaymentChange>();
  readonly onDidChangePayment = this.changePayment.event;
  readonly onDidChangeEnvironment: vscode.Event<EnvironmentInfo>;

  private readonly histories: PaymentFileStore<PaymentObservation>;
  private readonly cache = new Map<string, Payment>();
  /** When the cached answer of each payment arrived (ms). */
  private readonly seen = new Map<string, number>();
  /** `lookupPayment`'s reads: pending, or settled less than their max age ago (failures included). */
  private readonly lookups = new Map<string, { at: number; promise: Promise<Payment> }>();
  private readonly answerStore: PaymentFileStore<PaymentAnswer>;
  /**
   * payment_ids of this window's creates whose outcome is unknown (the answer lost, or the request
   * cancelled in flight; most recent 500). An id leaves the set as soon as a create of it is answered.
   */
  private readonly createsUnknown = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ServiceDeps) {
    this.histories = createHistoryStore(deps.storageUri, deps.legacyState, deps.log);
    this.answerStore = createAnswerStore(deps.storageUri, deps.log);
    this.onDidChangeEnvironment = deps.environments.onDidChangeEnvironment;
    this.disposables.push(
      this.changePayment,
      // Whatever was cached belongs to the environment before.
      deps.environments.onDidChangeEnvironment(() => {
        this.cache.clear();
        this.seen.clear();
        this.lookups.clear();
      }),
    );
  }

  environment(): EnvironmentInfo {
    return this.deps.environments.environment();
  }

  private async session(): Promise<Session> {
    const [s] = await Promise.all([this.deps.environments.session(), this.histories.load(), this.answerStore.load()]);
    return s;
  }

  // --------------------------------------------------------------------------------- routes

  /**
   * The payment_id is chosen here when missing. Sending again a payment_id whose create's outcome is
   * unknown (the person's Retry after a lost answer) and hearing HE_01 "already exists" means that
   * create worked: the payment is read and answered as this one's result. Any other HE_01 is what it
   * says, a duplicate id: a create that was answered (success or refusal) leaves nothing to recover.
   */
  async createPayment(request: CreatePaymentRequest, signal?: AbortSignal): Promise<Payment> {
    this.guardRawCard(request.payment_method_data, 'create');
    const body: CreatePaymentRequest = { ...request, payment_id: request.payment_id ?? newPaymentId() };
    const id = body.payment_id!;
    const s = await this.session();
    const unknownBefore = this.createsUnknown.delete(id);
    let p: Payment;
    try {
      p = await s.client.createPayment(body, { signal });
    } catch (e) {
      if (unknownBefore && (e as { code?: unknown }).code === 'HE_01') {
        p = await s.client.retrievePayment(id, {}, { signal });
      } else {
        if (answerLost(e) || (e as { kind?: unknown }).kind === 'cancelled') this.rememberUnknownCreate(id);
        throw e;
      }
    }
    this.observe(p, 'create', s.generation, { method: describeMethod(request) });
    return p;
  }

  private rememberUnknownCreate(id: string): void {
    this.createsUnknown.add(id);
    if (this.createsUnknown.size > 500) this.createsUnknown.delete(this.createsUnknown.values().next().value as string);
  }

  async confirmPayment(paymentId: string, request: ConfirmPaymentRequest, signal?: AbortSignal, key: ConfirmKey = 'secret'): Promise<Payment> {
    this.guardRawCard(request.payment_method_data, 'confirm');
    const s = await this.session();
    let sent = request;
    let publishableKey: string | undefined;
    if (key === 'publishable') {
      publishableKey = await this.deps.environments.publishableKey();
      if (!publishableKey) {
        throw new ServiceError(
          'missing_key',
          l10n.t('No publishable key is set for {0}. Confirm with the secret key, or give the publishable key when asked.', this.environment().label),
          this.environment().kind,
        );
      }
      const clientSecret =
        request.client_secret ?? this.cache.get(paymentId)?.client_secret ?? (await this.retrievePayment(paymentId, {}, 'retrieve', signal)).client_secret;
      if (!clientSecret) throw new ServiceError('refused', l10n.t('{0} has no client_secret: it cannot be confirmed with the publishable key.', paymentId));
      sent = { ...request, client_secret: clientSecret };
    }
    const p = await s.client.confirmPayment(paymentId, sent, { signal, publishableKey }).catch((e: unknown) => this.rethrowLost(e, s.generation));
    const method = describeMethod(request);
    this.observe(p, 'confirm', s.generation, { method: key === 'publishable' && method ? `${method} · publishable key` : method });
    return p;
  }

  async capturePayment(paymentId: string, request: Required<CapturePaymentRequest>, signal?: AbortSignal): Promise<Payment> {
    const s = await this.session();
    // What was last seen decides, after a lost answer, whether the capture ran.
    const p = await s.client.capturePayment(paymentId, request, { signal, before: this.cache.get(paymentId) }).catch((e: unknown) => this.rethrowLost(e, s.generation));
    this.observe(p, 'capture', s.generation, { amount_to_capture: request.amount_to_capture });
    return p;
  }

  async cancelPayment(paymentId: string, request: CancelPaymentRequest, signal?: AbortSignal): Promise<Payment> {
    const s = await this.session();
    const p = await s.client.cancelPayment(paymentId, request, { signal }).catch((e: unknown) => this.rethrowLost(e, s.generation));
    this.observe(p, 'cancel', s.generation);
    return p;
  }

  async retrievePayment(
    paymentId: string,
    expand: RetrievePaymentOptions = {},
    cause: 'retrieve' | 'poll' = 'retrieve',
    signal?: AbortSignal,
  ): Promise<Payment> {
    const s = await this.session();
    const p = await s.client.retrievePayment(paymentId, expand, { signal });
    this.observe(p, cause, s.generation);
    return p;
  }

  async listPayments(query: ListPaymentsQuery, signal?: AbortSignal): Promise<PaymentList> {
    const s = await this.session();
    const list = await s.client.listPayments(query, { signal });
    for (const p of list.data) this.observe(p, 'list', s.generation);
    return list;
  }

  async filterPayments(filter: PaymentListFilter, signal?: AbortSignal): Promise<FilteredPaymentList> {
    const s = await this.session();
    const list = await s.client.filterPayments(filter, { signal });
    for (const p of list.data) this.observe(p, 'list', s.generation);
    return list;
  }

  async simulateCustomerAction(paymentId: string, outcome: SimulateOutcome, signal?: AbortSignal): Promise<Payment> {
    if (!this.environment().supportsSimulate) {
      throw new ServiceError(
        'refused',
        l10n.t("Simulating the customer's step works only on the local sandbox; the current environment is {0}.", this.environment().label),
      );
    }
    const s = await this.session();
    const p = await s.client.simulateCustomerAction(paymentId, outcome, { signal });
    this.observe(p, 'simulate', s.generation);
    return p;
  }

  async createRefund(paymentId: string, request: { amount: number; reason?: string }, signal?: AbortSignal): Promise<Refund> {
    const s = await this.session();
    const reason = request.reason?.trim() || undefined;
    const refund = await s.client.createRefund({ payment_id: paymentId, amount: request.amount, ...(reason ? { reason } : {}) }, { signal });
    // The payment as it is now (its refunds), observed as the refund's step. The refund was made:
    // a read that fails here is only logged (the next read shows it).
    try {
      const p = await s.client.retrievePayment(paymentId, {}, { signal });
      this.observe(p, 'refund', s.generation, { refund_amount: refund.amount, ...(reason ? { refund_reason: reason } : {}) });
    } catch (e) {
      this.deps.log.warn(`Refunded ${paymentId} (${refund.refund_id}), but could not read the payment again: ${String(e)}`);
    }
    return refund;
  }

  async listRefunds(paymentId: string, signal?: AbortSignal): Promise<Refund[]> {
    const s = await this.session();
    const out: Refund[] = [];
    // Pages of 100 until every refund is read (a payment rarely has more than a few).
    for (;;) {
      const page = await s.client.listRefunds({ payment_id: paymentId, limit: 100, offset: out.length }, { signal });
      out.push(...page.data);
      if (!page.data.length || out.length >= page.total_count) return out;
    }
  }

  async fetchQrCode(url: string, signal?: AbortSignal): Promise<FetchedQrCode> {
    const s = await this.session();
    return s.client.fetchQrCode(url, { signal });
  }

  // -------------------------------------------------------------------------------------------
  // Webhook events

  /** The merchant whose events are read: the local sandbox's, else the one the payments name. */
  private async merchantId(s: Session): Promise<string> {
    if (this.environment().kind === 'local') return 'merchant_local';
    for (const p of this.cache.values()) if (p.merchant_id) return p.merchant_id;
    const first = (await s.client.listPayments({ limit: 1 })).data[0];
    if (first?.merchant_id) return first.merchant_id;
    throw new ServiceError('refused', l10n.t('The merchant id is not known yet: create a payment first, then its events can be read.'));
  }

  async listEvents(constraints: EventListConstraints = {}, signal?: AbortSignal): Promise<EventList> {
    const s = await this.session();
    return s.client.listEvents(await this.merchantId(s), constraints, { signal });
  }

  async eventAttempts(eventId: string, signal?: AbortSignal): Promise<EventAttempt[]> {
    const s = await this.session();
    return s.client.listEventAttempts(await this.merchantId(s), eventId, { signal });
  }

  async retryEvent(eventId: string): Promise<EventAttempt> {
    const s = await this.session();
    return s.client.retryEvent(await this.merchantId(s), eventId);
  }

  async setWebhookUrl(url: string | null, options: { remember?: boolean } = {}): Promise<void> {
    if (this.environment().kind !== 'local') {
      throw new ServiceError('refused', l10n.t("The webhook URL of {0} is set in its dashboard (the business profile's webhook URL); here it can be set for the local sandbox only.", this.environment().label));
    }
    const s = await this.session();
    await s.client.setWebhookUrl(url);
    if (options.remember !== false) await this.deps.environments.rememberWebhookUrl(url);
  }

  cached(paymentId: string): Payment | undefined {
    return this.cache.get(paymentId);
  }

  seenAt(paymentId: string): number | undefined {
    return this.seen.get(paymentId);
  }

  lookupPayment(paymentId: string, maxAgeMs = LOOKUP_MAX_AGE_MS): Promise<Payment> {
    const now = Date.now();
    const cached = this.cache.get(paymentId);
    const seenAt = this.seen.get(paymentId);
    if (cached && seenAt !== undefined && now - seenAt < maxAgeMs) return Promise.resolve(cached);
    const prior = this.lookups.get(paymentId);
    if (prior && now - prior.at < maxAgeMs) return prior.promise;
    const generation = this.deps.environments.generation;
    const promise = this.retrievePayment(paymentId, {}, 'retrieve').then((p) => {
      // An answer from the environment before a switch is not this environment's payment.
      if (generation !== this.deps.environments.generation) throw new ServiceError('config', l10n.t('The environment changed while reading the payment: try again.'));
      return p;
    });
    promise.catch(() => undefined); // read by whoever awaits it; never an unhandled rejection
    this.lookups.delete(paymentId);
    this.lookups.set(paymentId, { at: now, promise });
    if (this.lookups.size > MAX_LOOKUPS) this.lookups.delete(this.lookups.keys().next().value as string);
    return promise;
  }

  history(paymentId: string): PaymentObservation[] {
    return this.histories.get(paymentId);
  }

  answers(paymentId: string): PaymentAnswer[] {
    return this.answerStore.get(paymentId);
  }

  async curlFor(method: 'GET' | 'POST', path: string, body?: unknown, key: ConfirmKey = 'secret'): Promise<string> {
    const s = await this.session();
    return s.client.curlFor(method, path, body, undefined, key);
  }

  async codeFor(format: CopyFormat, method: 'GET' | 'POST', path: string, body?: unknown, key: ConfirmKey = 'secret'): Promise<string> {
    const s = await this.session();
    return s.client.codeFor(format, method, path, body, undefined, key);
  }

  // ------------------------------------------------------------------------------ machinery

  /** A lost answer carries the payment as re-read: it is what the tree and inspector must show. */
  private rethrowLost(e: unknown, generation: number): never {
    const lost = e as { kind?: unknown; payment?: Payment };
    if (lost?.kind === 'lost_answer' && lost.payment) this.observe(lost.payment, 'retrieve', generation);
    throw e;
  }

  /** Raw card data goes only to the local sandbox, the hosted sandbox, or a PCI-controlled URL. */
  private guardRawCard(data: PaymentMethodData | undefined, action: 'create' | 'confirm'): void {
    if (!data?.card) return;
    const env = this.environment();
    if (env.allowsRawCardData) return;
    const where = this.deps.environments.settings().baseUrl || env.label;
    throw new ServiceError(
      'refused',
      l10n.t(
        'Not sent: raw card data may go only to the local sandbox or the PerfectPay sandbox, and {0} is neither. If it is a PCI-controlled environment, set "perfectpay.pciControlledEnvironment" to true; otherwise {1} with a non-card method or use the Web SDK.',
        where,
        action,
      ),
      env.kind,
    );
  }

  private observe(payment: Payment, cause: ObservationCause, generation: number, extra: ObservationExtra = {}): void {
    if (generation !== this.deps.environments.generation) return; // an answer from the environment before a switch
    this.cache.set(payment.payment_id, payment);
    this.seen.set(payment.payment_id, Date.now());
    const at = new Date().toISOString();
    try {
      this.histories.add(payment.payment_id, observationOf(payment, cause, at, extra));
      // A list page shows many payments a person has not looked at: their answers are kept only once
      // the payment was read or acted on (so paging through the tree does not push those out).
      if (cause !== 'list' || this.answerStore.has(payment.payment_id)) {
        this.answerStore.add(payment.payment_id, answerOf(payment, cause, this.environment().kind, at));
      }
    } catch (e) {
      this.deps.log.warn(`Could not record the history of ${payment.payment_id}: ${String(e)}`);
    }
    this.changePayment.fire({ payment, cause });
  }

  dispose(): void {
    void this.histories.flush();
    void this.answerStore.flush();
    for (const d of this.disposables) d.dispose();
  }

  /** For deactivate: waits for the history to be saved. */
  async close(): Promise<void> {
    const flush = Promise.all([this.histories.flush(), this.answerStore.flush()]);
    this.dispose();
    await flush;
  }
}
