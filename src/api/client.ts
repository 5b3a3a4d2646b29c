/**
 * The PerfectPay API client: typed methods for every route, over undici with a keep-alive pool
 * per origin. No `vscode` import: it runs in any Node program (the extension, tests, the bench).
 *
 * Retries are safe by construction: GETs, and creates (each create carries a `payment_id`, so a
 * retried create can never make two payments) are retried on network faults, 5xx and 429
 * (honouring Retry-After on 429 and 503, capped), bounded in count and time. Confirm, capture and cancel are never
 * retried blindly: when their answer is lost the payment is re-read instead. A refund carries a
 * `refund_id`: after a lost answer it is read, and sent again only when it is not there.
 *
 * Every read is bounded: an answer is streamed and refused past a size cap, and every call has a
 * total deadline on top of the connect / headers / body timeouts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import * as z from 'zod/mini';
import { isPaymentId, isRefundId, newPaymentId, newRefundId } from '../domain/ids';
import { amountToCaptureAll } from '../domain/payment';
import { qrFetchDecision } from '../domain/qrFetch';
import { proxyForDisplay } from '../domain/network';
import { redactHeaders, redactJson, redactText } from '../domain/redact';
import { toCode, type CopyFormat } from './code';
import { toCurl, type CurlRequest, type KeyKind } from './curl';
import { answerLost, AnswerTooLargeError, ApiError, CancelledError, CertificateError, InvalidAnswerError, InvalidRequestError, LostAnswerError, NetworkError, PerfectPayError, ProxyError, RefusedUrlError, TimeoutError } from './errors';
import { certificateIssuer, isCertificateErrorCode, NetworkDispatcher, proxyFor, proxyProblemFor, resolveNetwork, type NetworkSettings, type ResolvedNetwork } from './network';
import { eventAttemptListSchema, eventAttemptSchema, eventListConstraintsSchema, eventListSchema, webhookSettingsRequestSchema, webhookSettingsSchema, type EventAttempt, type EventList, type EventListConstraints, type WebhookSettings } from './schemas';
import { refundListFilterSchema, refundListSchema, refundRequestSchema, refundSchema, refundUpdateRequestSchema, type Refund, type RefundList, type RefundListFilter, type RefundRequest, type RefundUpdateRequest } from './schemas';
import { cancelPaymentRequestSchema, capturePaymentRequestSchema, confirmPaymentRequestSchema, createPaymentRequestSchema, describeZodError, errorBodySchema, fetchedQrCodeSchema, filteredPaymentListSchema, paymentListFilterSchema, LIST_QUERY_KEYS, paymentListSchema, paymentSchema, simulateRequestSchema, type CancelPaymentRequest, type CapturePaymentRequest, type ConfirmPaymentRequest, type CreatePaymentRequest, type FetchedQrCode, type FilteredPaymentList, type PaymentListFilter, type ListPaymentsQuery, type Payment, type PaymentList, type RetrievePaymentOptions } from './schemas';
import { type SimulateOutcome } from '../domain/status';
import { ALLOWED_FROM } from '../domain/status';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** No retry starts after this long since the first attempt. */
  maxElapsedMs: number;
  /** First back-off; doubles each time, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ClientOptions {
  /** `https://sandbox.perfectpay.ai` or the local sandbox's `http://127.0.0.1:PORT`. */
  baseUrl: string;
  apiKey: string;
  connectTimeoutMs?: number;
  /** Time to the answer's headers. */
  headersTimeoutMs?: number;
  /** Longest silence while the body streams. */
  bodyTimeoutMs?: number;
  /** Longest a call may take in all, retries included (default 30 s). */
  totalTimeoutMs?: number;
  /** Largest answer read (default 10 MB); a larger one is refused without being read to the end. */
  maxAnswerBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** Told of every request and answer, redacted: the request log. */
  onEvent?: (event: RequestEvent) => void;
  /** Makes the `payment_id` of a create that has none. */
  newPaymentId?: () => string;
  /** Makes the `refund_id` of a refund that has none. */
  newRefundId?: () => string;
  /** An undici dispatcher to use instead of the client's own (tests). */
  dispatcher?: Dispatcher;
  /**
   * VS Code's network settings (proxy, certificates: src/api/network.ts). Without them requests go
   * direct, with Node's own certificate checks.
   */
  network?: NetworkSettings;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** One HTTP exchange, redacted for display. `api-key` is never in it. */
export interface RequestEvent {
  /** Same for every attempt of one call. */
  callId: number;
  attempt: number;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: unknown;
  startedAt: string;
  durationMs: number;
  /** For a failed exchange: what went wrong, for a person. */
  error?: string;
  /** The proxy that carried it (its URL without credentials); absent when it went direct. */
  proxy?: string;
  /** Set when the server's certificate was not verified (http.proxyStrictSSL is false). */
  unverifiedTls?: boolean;
  /** The same request as a cURL command, redacted. */
  curl: string;
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, maxElapsedMs: 20_000, baseDelayMs: 250, maxDelayMs: 4_000 };
export const DEFAULT_TOTAL_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_ANSWER_BYTES = 10_000_000;
/** The longest Retry-After the client honours; a longer one is not waited for. */
export const MAX_RETRY_AFTER_S = 60;

interface Call<T> {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  schema: z.ZodMiniType<T>;
  /** Safe to send again after a lost answer. */
  idempotent: boolean;
  /** Omit the api-key (a QR fetch URL is public). */
  anonymous?: boolean;
  /** Send this publishable key instead of the secret key (a confirm made as the browser makes it). */
  publishableKey?: string;
  /** Absolute URL instead of baseUrl + path. */
  absoluteUrl?: string;
  signal?: AbortSignal;
  /**
   * On an error from a retry that follows an attempt whose outcome is unknown (its answer lost): an
   * answer to return instead, if any. Never after the first attempt alone, nor after attempts that
   * provably did not run (429).
   */
  recoverOnRetry?: (e: PerfectPayError) => Promise<T> | undefined;
}

export class PerfectPayClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private dispatcher: Dispatcher;
  private net: ResolvedNetwork;
  private readonly ownsDispatcher: boolean;
  private readonly retry: RetryPolicy;
  private readonly timeouts: { connect: number; headers: number; body: number; total: number };
  private readonly maxAnswerBytes: number;
  private readonly onEvent?: (event: RequestEvent) => void;
  private readonly makeId: () => string;
  private readonly makeRefundId: () => string;
  private callSeq = 0;

  constructor(options: ClientOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new InvalidRequestError(`"${options.baseUrl}" is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new InvalidRequestError(`the base URL must be http or https, not ${base.protocol}`);
    }
    this.baseUrl = base.toString().replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeouts = {
      connect: options.connectTimeoutMs ?? 5_000,
      headers: options.headersTimeoutMs ?? 20_000,
      body: options.bodyTimeoutMs ?? 20_000,
      total: options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
    };
    this.maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    this.onEvent = options.onEvent;
    this.makeId = options.newPaymentId ?? newPaymentId;
    this.makeRefundId = options.newRefundId ?? newRefundId;
    this.ownsDispatcher = !options.dispatcher;
    this.net = options.network ? resolveNetwork(options.network) : DIRECT;
    // One keep-alive pool per origin, direct or through the proxy the settings name.
    this.dispatcher = options.dispatcher ?? new NetworkDispatcher(this.net, this.timeouts);
  }

  /** How requests leave now (proxy, certificates), for the log. */
  get network(): ResolvedNetwork {
    return this.net;
  }

  /**
   * New network settings (VS Code's `http.*` changed): the next request goes by them, through a new
   * dispatcher; the requests on their way finish on the old one, which then closes.
   */
  setNetwork(settings: NetworkSettings | undefined): void {
    if (!this.ownsDispatcher) return;
    const old = this.dispatcher;
    this.net = settings ? resolveNetwork(settings) : DIRECT;
    this.dispatcher = new NetworkDispatcher(this.net, this.timeouts);
    void old.close().catch(() => undefined);
  }

  // ----------------------------------------------------------------------------------- routes

  /** `POST /payments`. A `payment_id` is added when missing, which makes the create safe to retry. */
  async createPayment(request: CreatePaymentRequest, options: RequestOptions = {}): Promise<Payment> {
    const body = { ...request, payment_id: request.payment_id ?? this.makeId() };
    this.validate(createPaymentRequestSchema, body, 'POST /payments');
    return this.send({
      method: 'POST',
      path: '/payments',
      body,
      schema: paymentSchema,
      idempotent: true,
      signal: options.signal,
      // A retry after a lost answer that finds the payment already made: the attempt whose answer
      // was lost worked, so this is success, not a duplicate. Any other HE_01 is a duplicate id.
      recoverOnRetry: (e) =>
        e instanceof ApiError && e.code === 'HE_01' ? this.retrievePayment(body.payment_id, {}, options) : undefined,
    });
  }

  /**
   * `POST /payments/{id}/confirm`. With `publishableKey`, as the browser sends it: that key in `api-key`
   * and the payment's `client_secret` in the body (the secret key stays home; the sandbox opens only
   * confirm and retrieve to it). After a lost answer the payment is re-read with the secret key.
   */
  async confirmPayment(paymentId: string, request: ConfirmPaymentRequest, options: RequestOptions & { publishableKey?: string } = {}): Promise<Payment> {
    checkId(paymentId, `POST /payments/…/confirm`);
    const label = `POST /payments/${paymentId}/confirm`;
    const publishableKey = options.publishableKey?.trim();
    if (options.publishableKey !== undefined) {
      if (!publishableKey) throw new InvalidRequestError('there is no publishable key', label);
      if (!request.client_secret) throw new InvalidRequestError("a confirm with the publishable key needs the payment's client_secret", label);
    }
    this.validate(confirmPaymentRequestSchema, request, label);
    return this.sendUnsafe('confirm', paymentId, `/payments/${enc(paymentId)}/confirm`, request, options, (p) =>
      !(ALLOWED_FROM.confirm as readonly string[]).includes(p.status), {}, publishableKey);
  }

  /**
   * `POST /payments/{id}/capture`, always with `amount_to_capture`. `before` is the payment as last
   * seen (read first when not given): without an amount, all that it shows capturable is sent as the
   * amount (`amountToCaptureAll`: a server's own default may capture less, a `manual` payment's
   * create `amount_to_capture`); after a lost answer, whether the capture took effect is decided by
   * comparing what was received and captured then and now, so that a capture that may have run is
   * never offered again.
   */
  async capturePayment(
    paymentId: string,
    request: CapturePaymentRequest = {},
    options: RequestOptions & { before?: Payment } = {},
  ): Promise<Payment> {
    checkId(paymentId, `POST /payments/…/capture`);
    this.validate(capturePaymentRequestSchema, request, `POST /payments/${paymentId}/capture`);
    const before = options.before ?? (await this.retrievePayment(paymentId, { expandCaptures: true }, options));
    const amount = request.amount_to_capture ?? amountToCaptureAll(before);
    return this.sendUnsafe('capture', paymentId, `/payments/${enc(paymentId)}/capture`, { ...request, amount_to_capture: amount }, options, (now) => captureTookEffect(before, now), {
      expandCaptures: true,
    });
  }

  /** `POST /payments/{id}/cancel`. */
  async cancelPayment(paymentId: string, request: CancelPaymentRequest = {}, options: RequestOptions = {}): Promise<Payment> {
    checkId(paymentId, `POST /payments/…/cancel`);
    this.validate(cancelPaymentRequestSchema, request, `POST /payments/${paymentId}/cancel`);
    return this.sendUnsafe('cancel', paymentId, `/payments/${enc(paymentId)}/cancel`, request, options, (p) => p.status === 'cancelled');
  }

  /** `GET /payments/{id}`, optionally with its attempts and captures. */
  async retrievePayment(paymentId: string, expand: RetrievePaymentOptions = {}, options: RequestOptions = {}): Promise<Payment> {
    checkId(paymentId, 'GET /payments/…');
    return this.send({
      method: 'GET',
      path: `/payments/${enc(paymentId)}`,
      query: {
        expand_attempts: expand.expandAttempts ? 'true' : undefined,
        expand_captures: expand.expandCaptures ? 'true' : undefined,
      },
      schema: paymentSchema,
      idempotent: true,
      signal: options.signal,
    });
  }

  /** `GET /payments/list`: one page, newest first. */
  listPayments(query: ListPaymentsQuery = {}, options: RequestOptions = {}): Promise<PaymentList> {
    const q: Record<string, string | undefined> = {};
    for (const key of LIST_QUERY_KEYS) {
      const v = query[key];
      if (v !== undefined && v !== '') q[key] = String(v);
    }
    return this.send({ method: 'GET', path: '/payments/list', query: q, schema: paymentListSchema, idempotent: true, signal: options.signal });
  }

  /**
   * `POST /payments/list`: one page of the payments matching `filter` (status, currency, method,
   * customer, amount and time ranges), with `total_count` of every match. A read: safe to retry.
   */
  async filterPayments(filter: PaymentListFilter, options: RequestOptions = {}): Promise<FilteredPaymentList> {
    this.validate(paymentListFilterSchema, filter, 'POST /payments/list');
    return this.send({ method: 'POST', path: '/payments/list', body: filter, schema: filteredPaymentListSchema, idempotent: true, signal: options.signal });
  }

  /** Every payment matching `query`, page after page (one request per page), newest first. */
  async *listAllPayments(query: ListPaymentsQuery = {}, options: RequestOptions = {}): AsyncGenerator<Payment, void, undefined> {
    const limit = query.limit ?? 100;
    let after = query.starting_after;
    for (;;) {
      const page = await this.listPayments({ ...query, limit, starting_after: after, ending_before: undefined }, options);
      yield* page.data;
      if (page.data.length < limit) return;
      after = page.data[page.data.length - 1]!.payment_id;
    }
  }

  // ---------------------------------------------------------------------------------- refunds

  /**
   * `POST /refunds`. A `refund_id` is added when missing, which makes the refund safe to send again:
   * the server refuses a second refund with it (HE_01). The same rule as a lost capture answer: after
   * a lost answer the refund is read first (`GET /refunds/{refund_id}`); found, it is the answer; not
   * there, it is sent again, and HE_01 on a send that follows a lost answer means the lost one went
   * through (the refund is read and returned). HE_01 with no lost answer before is a refund_id used
   * by another refund: the caller hears it.
   */
  async createRefund(request: RefundRequest, options: RequestOptions = {}): Promise<Refund> {
    const label = 'POST /refunds';
    const body = { ...request, refund_id: request.refund_id ?? this.makeRefundId() };
    this.validate(refundRequestSchema, body, label);
    checkId(body.payment_id, label);
    checkRefundId(body.refund_id, label);
    const started = Date.now();
    let lost = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send({ method: 'POST', path: '/refunds', body, schema: refundSchema, idempotent: false, signal: options.signal });
      } catch (e) {
        if (lost && e instanceof ApiError && e.code === 'HE_01') return this.retrieveRefund(body.refund_id, options);
        if (!answerLost(e)) throw e;
        lost = true;
        // Read before sending again: the refund may have been made. A read that fails tells nothing,
        // and sending again stays safe (the refund_id).
        const made = await this.retrieveRefund(body.refund_id, options).catch((r: unknown) => {
          if (r instanceof CancelledError || r instanceof TimeoutError) throw r;
          return undefined;
        });
        if (made) return made;
        const delay = this.backoff(attempt);
        if (attempt >= this.retry.maxAttempts || Date.now() - started + delay > this.retry.maxElapsedMs) throw e;
        await sleep(delay, undefined, { signal: options.signal }).catch(() => {
          throw new CancelledError(label);
        });
      }
    }
  }

  /** `GET /refunds/{refund_id}`. */
  async retrieveRefund(refundId: string, options: RequestOptions = {}): Promise<Refund> {
    checkRefundId(refundId, 'GET /refunds/…');
    return this.send({ method: 'GET', path: `/refunds/${enc(refundId)}`, schema: refundSchema, idempotent: true, signal: options.signal });
  }

  /**
   * `POST /refunds/{refund_id}`: a new reason and/or metadata. Safe to send again: the same body
   * leaves the refund the same, however many times it runs.
   */
  async updateRefund(refundId: string, request: RefundUpdateRequest, options: RequestOptions = {}): Promise<Refund> {
    checkRefundId(refundId, 'POST /refunds/…');
    this.validate(refundUpdateRequestSchema, request, `POST /refunds/${refundId}`);
    return this.send({ method: 'POST', path: `/refunds/${enc(refundId)}`, body: request, schema: refundSchema, idempotent: true, signal: options.signal });
  }

  /** `POST /refunds/list`: one page of the matching refunds, newest first, with `total_count`. A read: safe to retry. */
  async listRefunds(filter: RefundListFilter = {}, options: RequestOptions = {}): Promise<RefundList> {
    this.validate(refundListFilterSchema, filter, 'POST /refunds/list');
    return this.send({ method: 'POST', path: '/refunds/list', body: filter, schema: refundListSchema, idempotent: true, signal: options.signal });
  }

  /** `POST /events/{merchant_id}`: the events, newest first, and how many match. Read only: safe to send again. */
  async listEvents(merchantId: string, constraints: EventListConstraints = {}, options: RequestOptions = {}): Promise<EventList> {
    checkPathId(merchantId, 'merchant id', 'POST /events/…');
    this.validate(eventListConstraintsSchema, constraints, 'POST /events/…');
    return this.send({ method: 'POST', path: `/events/${enc(merchantId)}`, body: constraints, schema: eventListSchema, idempotent: true, signal: options.signal });
  }

  /** `GET /events/{merchant_id}/{event_id}/attempts`: every delivery attempt of an event. */
  async listEventAttempts(merchantId: string, eventId: string, options: RequestOptions = {}): Promise<EventAttempt[]> {
    checkPathId(merchantId, 'merchant id', 'GET /events/…/attempts');
    checkPathId(eventId, 'event id', 'GET /events/…/attempts');
    return this.send({ method: 'GET', path: `/events/${enc(merchantId)}/${enc(eventId)}/attempts`, schema: eventAttemptListSchema, idempotent: true, signal: options.signal });
  }

  /**
   * `POST /events/{merchant_id}/{event_id}/retry`: one more delivery now, answered with its attempt.
   * Not sent again by itself: each send is one more delivery to the merchant's endpoint.
   */
  async retryEvent(merchantId: string, eventId: string, options: RequestOptions = {}): Promise<EventAttempt> {
    checkPathId(merchantId, 'merchant id', 'POST /events/…/retry');
    checkPathId(eventId, 'event id', 'POST /events/…/retry');
    return this.send({ method: 'POST', path: `/events/${enc(merchantId)}/${enc(eventId)}/retry`, body: {}, schema: eventAttemptSchema, idempotent: false, signal: options.signal });
  }

  /** The local sandbox's webhook settings (URL, retry schedule; never the secret). */
  async webhookSettings(options: RequestOptions = {}): Promise<WebhookSettings> {
    return this.send({ method: 'GET', path: '/sandbox/webhooks', schema: webhookSettingsSchema, idempotent: true, signal: options.signal });
  }

  /** Points the local sandbox's webhooks at `url` (http or https), or nowhere (null). Setting a value twice is harmless. */
  async setWebhookUrl(url: string | null, options: RequestOptions = {}): Promise<WebhookSettings> {
    const body = { webhook_url: url };
    this.validate(webhookSettingsRequestSchema, body, 'POST /sandbox/webhooks');
    return this.send({ method: 'POST', path: '/sandbox/webhooks', body, schema: webhookSettingsSchema, idempotent: true, signal: options.signal });
  }

  /** The local sandbox's helper that completes, fails or expires the customer's step. */
  async simulateCustomerAction(paymentId: string, outcome: SimulateOutcome, options: RequestOptions = {}): Promise<Payment> {
    checkId(paymentId, 'POST /sandbox/payments/…/simulate');
    const body = { outcome };
    this.validate(simulateRequestSchema, body, `POST /sandbox/payments/${paymentId}/simulate`);
    return this.send({
      method: 'POST',
      path: `/sandbox/payments/${enc(paymentId)}/simulate`,
      body,
      schema: paymentSchema,
      idempotent: false,
      signal: options.signal,
    });
  }

  /**
   * GETs a `fetch_qr_code_information` URL (public: no api-key) for fresh QR data. Only on the API's
   * own origin (src/domain/qrFetch.ts): any other URL is refused with a RefusedUrlError before any
   * socket opens.
   */
  fetchQrCode(url: string, options: RequestOptions = {}): Promise<FetchedQrCode> {
    const decision = qrFetchDecision(url, this.baseUrl);
    if (!decision.allowed) return Promise.reject(new RefusedUrlError(url, decision.reason ?? 'the QR code URL is refused'));
    const parsed = new URL(url);
    return this.send({
      method: 'GET',
      path: parsed.pathname,
      absoluteUrl: parsed.toString(),
      schema: fetchedQrCodeSchema,
      idempotent: true,
      anonymous: true,
      signal: options.signal,
    });
  }

  /** A route call as a cURL command, the key as `$PERFECTPAY_API_KEY`, card data masked. */
  curlFor(method: 'GET' | 'POST', path: string, body?: unknown, query?: Record<string, string | undefined>, key: KeyKind = 'secret'): string {
    return toCurl({ method, url: this.urlFor(path, query), body, key });
  }

  /** The same call as code to paste (Node fetch, Python requests, HTTPie, or cURL): same redaction, key from $PERFECTPAY_API_KEY. */
  codeFor(format: CopyFormat, method: 'GET' | 'POST', path: string, body?: unknown, query?: Record<string, string | undefined>, key: KeyKind = 'secret'): string {
    return toCode(format, { method, url: this.urlFor(path, query), body, key });
  }

  /** Closes the connection pool (when the client made its own). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  // ------------------------------------------------------------------------------- machinery

  private validate<T>(schema: z.ZodMiniType<T>, value: unknown, request: string): void {
    const r = schema.safeParse(value);
    if (!r.success) throw new InvalidRequestError(describeZodError(r.error), request);
  }

  private urlFor(path: string, query?: Record<string, string | undefined>): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u.toString();
  }

  /**
   * A confirm, capture or cancel: sent once (429 aside: a rate-limited request was not run). If
   * the answer is lost the payment is re-read; when the re-read shows the action took effect
   * (`tookEffect`), that payment is the answer, otherwise a LostAnswerError carries it.
   */
  private async sendUnsafe(
    action: string,
    paymentId: string,
    path: string,
    body: unknown,
    options: RequestOptions,
    tookEffect: (p: Payment) => boolean | undefined,
    reread: RetrievePaymentOptions = {},
    publishableKey?: string,
  ): Promise<Payment> {
    try {
      return await this.send({ method: 'POST', path, body, schema: paymentSchema, idempotent: false, signal: options.signal, publishableKey });
    } catch (e) {
      if (!answerLost(e)) throw e;
      let now: Payment | undefined;
      try {
        now = await this.retrievePayment(paymentId, reread, options);
      } catch {
        now = undefined;
      }
      // true: it ran; false: it provably did not; undefined: cannot tell (never offer it again).
      const verdict = now ? tookEffect(now) : undefined;
      if (now && verdict === true) return now;
      throw new LostAnswerError(action, e as PerfectPayError, now, `POST ${path}`, verdict === false);
    }
  }

  private async send<T>(call: Call<T>): Promise<T> {
    const callId = ++this.callSeq;
    const url = call.absoluteUrl ?? this.urlFor(call.path, call.query);
    const label = `${call.method} ${new URL(url).pathname}`;
    const started = Date.now();
    // The call's deadline, retries included; the caller's signal still cancels.
    const deadline = AbortSignal.timeout(this.timeouts.total);
    const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
    const stopped = (): PerfectPayError =>
      call.signal?.aborted ? new CancelledError(label) : new TimeoutError(new URL(url).origin, 'total', this.timeouts.total, label);

    // Whether an attempt before this one may have run without its answer reaching us.
    let mayHaveRun = false;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw stopped();
      try {
        return await this.exchange({ ...call, signal }, url, label, callId, attempt);
      } catch (e) {
        if (!(e instanceof PerfectPayError)) throw e;
        if (e instanceof CancelledError && signal.aborted) throw stopped();
        const recovered = mayHaveRun ? call.recoverOnRetry?.(e) : undefined;
        if (recovered) return recovered;
        mayHaveRun ||= answerLost(e);
        const delay = this.retryDelay(call, e, attempt, Date.now() - started);
        if (delay === undefined) throw e;
        await sleep(delay, undefined, { signal }).catch(() => {
          throw stopped();
        });
      }
    }
  }

  /** Milliseconds to wait before the next attempt, or undefined to give up. */
  private retryDelay(call: Call<unknown>, e: PerfectPayError, attempt: number, elapsedMs: number): number | undefined {
    if (attempt >= this.retry.maxAttempts) return undefined;
    let delay: number;
    if (e instanceof ApiError && e.status === 429) {
      // Refused before it ran: safe to send again for any route, after the time the server asks.
      // A Retry-After past the cap is not waited for: the caller hears the 429.
      if (e.retryAfterSeconds !== undefined && e.retryAfterSeconds > MAX_RETRY_AFTER_S) return undefined;
      delay = e.retryAfterSeconds !== undefined ? Math.max(e.retryAfterSeconds * 1000, this.backoff(attempt) / 4) : this.backoff(attempt);
    } else if (call.idempotent && (answerLost(e) || (e instanceof ApiError && e.status >= 500))) {
      // A 503 may say when to come back (the local sandbox's connection cap does): that time, within
      // the cap, instead of the back-off, which could come back too soon and be refused again.
      const after = e instanceof ApiError && e.status === 503 ? e.retryAfterSeconds : undefined;
      if (after !== undefined && after > MAX_RETRY_AFTER_S) return undefined;
      delay = after !== undefined ? Math.max(after * 1000, this.backoff(attempt) / 4) : this.backoff(attempt);
    } else {
      return undefined;
    }
    if (elapsedMs + delay > this.retry.maxElapsedMs) return undefined;
    return delay;
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + Math.random() * (exp / 2));
  }

  /** One HTTP exchange: send, read, validate, report. Throws only PerfectPayErrors. */
  private async exchange<T>(call: Call<T>, url: string, label: string, callId: number, attempt: number): Promise<T> {
    const u = new URL(url);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'perfectpay-explorer' };
    if (!call.anonymous) headers['api-key'] = call.publishableKey ?? this.apiKey;
    // Neither key, nor the client_secret sent with the publishable one, appears in what is reported.
    const secrets = call.publishableKey ? [this.apiKey, call.publishableKey] : [this.apiKey];
    const bodyText = call.body === undefined ? undefined : JSON.stringify(call.body);
    if (bodyText !== undefined) headers['content-type'] = 'application/json';

    const startedAt = new Date();
    const t0 = performance.now();
    const net = this.net;
    const dispatcher = this.dispatcher;
    const proxy = this.ownsDispatcher ? proxyFor(net, u) : undefined;
    const event: RequestEvent = {
      callId,
      attempt,
      method: call.method,
      url: redactText(url, secrets),
      requestHeaders: redactHeaders(headers),
      requestBody: call.body === undefined ? undefined : redactJson(call.body, secrets),
      startedAt: startedAt.toISOString(),
      durationMs: 0,
      ...(proxy ? { proxy: proxyForDisplay(proxy) } : {}),
      ...(u.protocol === 'https:' && !net.strictSSL ? { unverifiedTls: true } : {}),
      curl: toCurl({
        method: call.method,
        url,
        body: call.body,
        authenticated: !call.anonymous,
        key: call.publishableKey ? 'publishable' : 'secret',
      } satisfies CurlRequest),
    };
    const report = (patch: Partial<RequestEvent>): void => {
      if (!this.onEvent) return;
      try {
        this.onEvent({ ...event, ...patch, durationMs: Math.round((performance.now() - t0) * 10) / 10 });
      } catch {
        // A listener's fault must not break the request.
      }
    };

    let status: number;
    let responseHeaders: Record<string, string>;
    let text: string;
    try {
      const problem = this.ownsDispatcher ? proxyProblemFor(net, url) : undefined;
      if (problem) throw new ProxyError(problem.proxy, 'invalid', u.origin, problem.message, label);
      const res = await dispatcher.request({
        origin: u.origin,
        path: u.pathname + u.search,
        method: call.method,
        headers,
        body: bodyText,
        signal: call.signal,
        headersTimeout: this.timeouts.headers,
        bodyTimeout: this.timeouts.body,
      });
      status = res.statusCode;
      responseHeaders = flattenHeaders(res.headers);
      text = await readCapped(res.body, Number(responseHeaders['content-length']), this.maxAnswerBytes, () => new AnswerTooLargeError(u.origin, this.maxAnswerBytes, status, label));
    } catch (e) {
      const err = await this.translate(e, u.origin, label, net, proxy);
      report({ error: err.message });
      throw err;
    }

    let json: unknown;
    let jsonOk = true;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      jsonOk = false;
    }
    report({
      status,
      responseHeaders: redactHeaders(responseHeaders, secrets),
      responseBody: jsonOk ? redactJson(json, secrets) : redactText(text.slice(0, 2000), secrets),
    });

    if (status >= 400) {
      const parsed = jsonOk ? errorBodySchema.safeParse(json) : undefined;
      // Plain http goes to the proxy as an absolute URI: its refusal comes back as an answer, not a PerfectPay error.
      if (proxy && u.protocol === 'http:' && (status === 403 || status === 407) && !parsed?.success) {
        throw new ProxyError(proxyForDisplay(proxy), status === 407 ? 'auth' : 'refused', u.origin, '', label, status);
      }
      const retryAfter = parseRetryAfter(responseHeaders['retry-after']);
      if (parsed?.success) {
        const { code, type, message } = parsed.data.error;
        throw new ApiError(status, code, type, redactText(message, secrets), label, retryAfter);
      }
      throw new ApiError(status, `HTTP_${status}`, 'unknown', httpReason(status), label, retryAfter);
    }
    if (!jsonOk) throw new InvalidAnswerError('it is not JSON', status, label);
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) throw new InvalidAnswerError(describeZodError(parsed.error), status, label);
    return parsed.data;
  }

  private async translate(e: unknown, origin: string, label: string, net: ResolvedNetwork, proxyUrl: URL | undefined): Promise<PerfectPayError> {
    if (e instanceof PerfectPayError) return e;
    const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string } };
    const code = err?.code ?? err?.cause?.code;
    const proxy = proxyUrl && proxyForDisplay(proxyUrl);
    if (proxy) {
      // undici: "Proxy response (403) !== 200 when HTTP Tunneling", "Proxy Authentication Required (407)".
      const refused = /^Proxy (?:response \((\d{3})\)|Authentication Required \((407)\))/.exec(err?.message ?? '');
      if (refused) {
        const status = Number(refused[1] ?? refused[2]);
        return new ProxyError(proxy, status === 407 ? 'auth' : 'refused', origin, '', label, status, e);
      }
      if (code && PROXY_UNREACHABLE[code]) return new ProxyError(proxy, 'unreachable', origin, PROXY_UNREACHABLE[code], label, undefined, e);
    }
    // A certificate refused; through a proxy, a wrong host name comes wrapped (UND_ERR_PRX_TLS, its cause).
    const certCode = [code, err?.cause?.code].find(isCertificateErrorCode);
    if (certCode) {
      const issuer = await certificateIssuer(net, origin, this.timeouts.connect);
      return new CertificateError(origin, certCode, issuer, proxy, label, e);
    }
    if (err?.name === 'AbortError' || err?.code === 'UND_ERR_ABORTED') return new CancelledError(label);
    if (e instanceof undiciErrors.ConnectTimeoutError) return new TimeoutError(origin, 'connect', this.timeouts.connect, label);
    if (e instanceof undiciErrors.HeadersTimeoutError) return new TimeoutError(origin, 'headers', this.timeouts.headers, label);
    if (e instanceof undiciErrors.BodyTimeoutError) return new TimeoutError(origin, 'body', this.timeouts.body, label);
    const reasons: Record<string, string> = {
      ECONNREFUSED: 'the connection was refused (is the server running?)',
      ECONNRESET: 'the connection was reset',
      ENOTFOUND: 'the host name was not found',
      EAI_AGAIN: 'the host name could not be looked up',
      ETIMEDOUT: 'the connection timed out',
      EHOSTUNREACH: 'the host is unreachable',
      UND_ERR_SOCKET: 'the server closed the connection without answering',
      UND_ERR_CLOSED: 'the connection was closed',
    };
    const reason = (code && reasons[code]) ?? redactText(err?.message ?? String(e), [this.apiKey]);
    return new NetworkError(origin, reason, label, e);
  }
}

/** Requests go direct, with Node's own certificate checks (a client made without network settings). */
const DIRECT: ResolvedNetwork = { noProxy: [], strictSSL: true, notes: [] };

/** Failures to connect to a proxy (the only host the client connects to when one carries the request). */
const PROXY_UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'its host name was not found',
  EAI_AGAIN: 'its host name could not be looked up',
  EHOSTUNREACH: 'the host is unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

function enc(id: string): string {
  return encodeURIComponent(id);
}

/** Ids go into URL paths: anything but the API's id format is refused before sending. */
function checkRefundId(id: string, request: string): void {
  if (!isRefundId(id)) {
    throw new InvalidRequestError(`"${String(id).slice(0, 70)}" is not a refund id (letters, digits, _ or -, e.g. ref_mbabizu24mvu3mela5njyhpit4)`, request);
  }
}

/** A merchant or event id going into a path: letters, digits, `_` and `-` only. */
function checkPathId(id: string, what: string, request: string): void {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(id)) {
    throw new InvalidRequestError(`"${String(id).slice(0, 70)}" is not a ${what} (letters, digits, _ or -)`, request);
  }
}

function checkId(id: string, request: string): void {
  if (!isPaymentId(id)) {
    throw new InvalidRequestError(`"${String(id).slice(0, 70)}" is not a payment id (pay_ and then letters, digits, _ or -)`, request);
  }
}

/**
 * Whether a capture whose answer was lost took effect, judged from the payment before it and after:
 * more received or more captures means yes; the same capturable amount, nothing more received and
 * no new capture means no; anything else cannot be told (undefined).
 */
export function captureTookEffect(before: Payment, now: Payment): boolean | undefined {
  const received = (p: Payment): number => p.amount_received ?? 0;
  const captures = (p: Payment): number | undefined => (Array.isArray(p.captures) ? p.captures.length : undefined);
  if (received(now) > received(before)) return true;
  const cb = captures(before);
  const cn = captures(now);
  if (cb !== undefined && cn !== undefined && cn > cb) return true;
  if (now.status !== before.status && !(ALLOWED_FROM.capture as readonly string[]).includes(now.status)) return true;
  if (now.status === before.status && now.amount_capturable === before.amount_capturable && received(now) === received(before)) return false;
  return undefined;
}

/** Reads a body to the end, or throws `tooLarge()` as soon as it passes `max` bytes (nothing more is read). */
async function readCapped(
  body: AsyncIterable<Buffer | Uint8Array> & { destroy(err?: Error): unknown },
  declared: number,
  max: number,
  tooLarge: () => Error,
): Promise<string> {
  if (Number.isFinite(declared) && declared > max) {
    body.destroy();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * Retry-After in seconds: delta-seconds (digits only) or an HTTP date in the future. Anything else
 * (negative, fractional, a date in the past, garbage) is undefined: the caller backs off instead.
 */
export function parseRetryAfter(v: string | undefined, now = Date.now()): number | undefined {
  if (!v) return undefined;
  const text = v.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text);
  if (!/[a-z]/i.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) || t <= now ? undefined : Math.ceil((t - now) / 1000);
}

function httpReason(status: number): string {
  if (status === 401) return 'Unauthorized';
  if (status === 404) return 'Not found';
  if (status === 429) return 'Too many requests';
  if (status >= 500) return 'The server failed';
  return `HTTP error ${status}`;
}
