/**
 * The sandbox's outgoing webhooks (perfectpay-api.md, "Webhooks and events"; Hyperswitch's
 * `core/webhooks/outgoing.rs` and `webhook_events.rs`). Every status change of a payment or refund
 * that has an event type makes one event; with a webhook URL set, it is POSTed there, signed with
 * `X-Webhook-Signature-512` (lower-case hex HMAC-SHA512 of the exact body bytes, keyed with the
 * merchant's `payment_response_hash_key`), and retried on a short schedule. Every attempt is kept.
 *
 * Deliveries never hold up the API answer that caused them: the event is recorded synchronously
 * (its body built and frozen), the request goes out on a later turn of the event loop. The work
 * waiting is bounded: past `maxQueue` deliveries waiting (queued or scheduled for a retry), a new
 * one is not sent and its attempt is recorded as dropped. Deliveries about one object go out one
 * at a time, in the order of its events; other objects' go out alongside, `concurrency` at most.
 *
 * The secret signs and nothing else: never logged, never recorded, never answered.
 */
import { createHmac, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { DeliveryAttemptKind, KnownEventType } from '../domain/events';
import { PAYMENT_STATUS_EVENTS, REFUND_STATUS_EVENTS, SIGNATURE_HEADER } from '../domain/events';
import type { KnownPaymentStatus } from '../domain/status';
import { DEFAULT_PROFILE_ID, MERCHANT_ID, renderPayment, renderRefund } from './payments';
import type { StoredEvent, StoredPayment, StoredRefund, StoredWebhookAttempt, WebhookOptions } from './types';

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [2_000, 5_000, 15_000];
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;
export const DEFAULT_WEBHOOK_MAX_QUEUE = 1_000;
export const DEFAULT_WEBHOOK_CONCURRENCY = 8;
/** Events kept (the oldest go first): bounds the memory and the snapshot. */
export const MAX_EVENTS = 5_000;
/** A response body is kept up to this many bytes. */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024;
/** How long the first event of a burst waits for the others before they are sent. */
const PUMP_DELAY_MS = 10;
export const USER_AGENT = 'PerfectPay-Sandbox-Webhooks';

/** The lower-case hex HMAC-SHA512 of `body` keyed with `secret`: the `X-Webhook-Signature-512` value. */
export function signWebhook(body: string | Buffer, secret: string): string {
  return createHmac('sha512', secret).update(body).digest('hex');
}

/** A `payment_response_hash_key` made at random (64 hex digits, as Hyperswitch makes one). */
export const newWebhookSecret = (): string => randomBytes(32).toString('hex');

const newEventId = (): string => 'evt_' + randomBytes(16).toString('hex');

/** Why a webhook URL is refused, or undefined when it is a usable http(s) URL. */
export function webhookUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `the webhook URL "${url}" is not a URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `the webhook URL must be http or https (got ${u.protocol.replace(':', '')})`;
  return undefined;
}

/** The URL without its user and password, for a log line. */
function shownUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What a status change hands to the webhooks. */
export type StatusChange = { kind: 'payment'; p: StoredPayment } | { kind: 'refund'; p: StoredPayment; r: StoredRefund };

export interface WebhookDeps {
  now: () => number;
  log: (line: string) => void;
  /** After any change of the events (a new event, an attempt recorded). */
  onChange: () => void;
}

interface Job {
  event: StoredEvent;
  attempt: StoredWebhookAttempt;
}

interface Sent {
  status_code: number | null;
  headers: Array<[string, string]> | null;
  body: string | null;
  error_message: string | null;
}

export class Webhooks {
  private url: string | null;
  private secret: string;
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly concurrency: number;
  /** Oldest first. */
  private events: StoredEvent[] = [];
  private readonly byId = new Map<string, StoredEvent>();
  private seq = 0;
  private readonly queue: Job[] = [];
  private readonly busyObjects = new Set<string>();
  private inFlight = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private pumping = false;
  private closed = false;
  private readonly agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  constructor(opts: WebhookOptions, private readonly deps: WebhookDeps) {
    this.url = opts.url ?? null;
    if (this.url !== null) {
      const problem = webhookUrlProblem(this.url);
      if (problem) throw new TypeError(`startSandbox: ${problem}`);
    }
    this.secret = opts.secret ?? newWebhookSecret();
    if (this.secret.length === 0) throw new TypeError('startSandbox: the webhook secret must not be empty');
    this.retryDelaysMs = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    if (!this.retryDelaysMs.every((d) => Number.isFinite(d) && d >= 0)) throw new RangeError('startSandbox: retry delays must be numbers ≥ 0');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    this.maxQueue = Math.max(1, opts.maxQueue ?? DEFAULT_WEBHOOK_MAX_QUEUE);
    this.concurrency = Math.max(1, opts.concurrency ?? DEFAULT_WEBHOOK_CONCURRENCY);
  }

  get webhookSecret(): string {
    return this.secret;
  }

  get webhookUrl(): string | null {
    return this.url;
  }

  settings(): { webhook_url: string | null; retry_delays_s: number[]; timeout_s: number } {
    return { webhook_url: this.url, retry_delays_s: this.retryDelaysMs.map((d) => d / 1000), timeout_s: this.timeoutMs / 1000 };
  }

  /** Sets (or, with null, removes) the webhook URL; throws a TypeError naming the problem when it is not http(s). */
  setUrl(url: string | null): void {
    if (url !== null) {
      const problem = webhookUrlProblem(url);
      if (problem) throw new TypeError(problem);
    }
    this.url = url;
    this.deps.log(url === null ? 'webhooks: no URL, events are recorded and not sent' : `webhooks: sending to ${shownUrl(url)}`);
  }

  // -------------------------------------------------------------------------------------------
  // Events

  /** A status change: one event if the new status has an event type; sent when a URL is set. */
  record(change: StatusChange): StoredEvent | undefined {
    const type: KnownEventType | undefined =
      change.kind === 'payment' ? PAYMENT_STATUS_EVENTS[change.p.status as KnownPaymentStatus] : REFUND_STATUS_EVENTS[change.r.status];
    if (type === undefined || this.closed) return undefined;
    const at = this.deps.now();
    const event_id = newEventId();
    const object = change.kind === 'payment' ? renderPayment(change.p) : renderRefund(change.p, change.r);
    // The exact bytes sent, frozen now: "the payment or refund answer at that moment".
    const body = JSON.stringify({
      merchant_id: MERCHANT_ID,
      event_id,
      event_type: type,
      content: { type: change.kind === 'payment' ? 'payment_details' : 'refund_details', object },
      timestamp: iso(at),
    });
    const event: StoredEvent = {
      seq: this.seq++,
      event_id,
      event_type: type,
      event_class: change.kind === 'payment' ? 'payments' : 'refunds',
      object_id: change.kind === 'payment' ? change.p.payment_id : change.r.refund_id,
      profile_id: (change.p.echoed?.profile_id as string | undefined) ?? DEFAULT_PROFILE_ID,
      createdMs: at,
      body,
      attempts: [],
    };
    this.add(event);
    if (this.url !== null) this.enqueue(event, 'initial_attempt');
    this.deps.onChange();
    return event;
  }

  private add(event: StoredEvent): void {
    this.events.push(event);
    this.byId.set(event.event_id, event);
    for (const a of event.attempts) this.byId.set(a.attempt_id, event);
    if (this.events.length > MAX_EVENTS) {
      const gone = this.events.splice(0, this.events.length - MAX_EVENTS);
      for (const e of gone) {
        this.byId.delete(e.event_id);
        for (const a of e.attempts) this.byId.delete(a.attempt_id);
      }
    }
  }

  /** The event with this id (or one of its attempts' ids). */
  get(id: string): StoredEvent | undefined {
    return this.byId.get(id);
  }

  /** Newest first. */
  list(): StoredEvent[] {
    return [...this.events].reverse();
  }

  /** The events oldest first, JSON-safe, for the snapshot. */
  exportState(): StoredEvent[] {
    return JSON.parse(JSON.stringify(this.events)) as StoredEvent[];
  }

  /** Restores events from a snapshot; an attempt that had no answer when it was taken is marked so. */
  importState(events: readonly StoredEvent[]): void {
    this.events = [];
    this.byId.clear();
    for (const e of [...events].sort((a, b) => a.createdMs - b.createdMs || a.seq - b.seq)) {
      for (const a of e.attempts) {
        a.response ??= { status_code: null, headers: null, body: null, error_message: 'the sandbox stopped before an answer came' };
      }
      this.add(e);
      this.seq = Math.max(this.seq, e.seq + 1);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Deliveries

  private newAttempt(event: StoredEvent, kind: DeliveryAttemptKind): StoredWebhookAttempt {
    const attempt: StoredWebhookAttempt = {
      attempt_id: event.attempts.length === 0 ? event.event_id : newEventId(),
      kind,
      createdMs: this.deps.now(),
      url: this.url === null ? null : shownUrl(this.url),
      request_headers: [],
      response: null,
      durationMs: null,
      delivered: null,
    };
    event.attempts.push(attempt);
    this.byId.set(attempt.attempt_id, event);
    return attempt;
  }

  private waiting(): number {
    return this.queue.length + this.timers.size;
  }

  private enqueue(event: StoredEvent, kind: DeliveryAttemptKind): void {
    const attempt = this.newAttempt(event, kind);
    if (this.waiting() >= this.maxQueue) {
      attempt.response = { status_code: null, headers: null, body: null, error_message: `dropped: ${this.waiting()} deliveries were already waiting (at most ${this.maxQueue})` };
      attempt.durationMs = 0;
      attempt.delivered = false;
      this.deps.log(`webhook ${event.event_id} ${event.event_type} (${event.object_id}): dropped, the delivery queue is full`);
      return;
    }
    this.queue.push({ event, attempt });
    this.schedulePump();
  }

  private schedulePump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    // A little later: the API answer that made the event goes out first, and the deliveries of a
    // burst of requests go out together (fewer wake-ups of this process and of the endpoint's).
    setTimeout(() => {
      this.pumping = false;
      this.pump();
    }, PUMP_DELAY_MS).unref();
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.concurrency) {
      const i = this.queue.findIndex((j) => !this.busyObjects.has(j.event.object_id));
      if (i < 0) return;
      const [job] = this.queue.splice(i, 1);
      void this.run(job!);
    }
  }

  private async run({ event, attempt }: Job): Promise<void> {
    this.inFlight++;
    this.busyObjects.add(event.object_id);
    try {
      await this.deliver(event, attempt);
    } finally {
      this.inFlight--;
      this.busyObjects.delete(event.object_id);
    }
    if (!attempt.delivered && attempt.kind !== 'manual_retry') this.scheduleRetry(event);
    this.pump();
  }

  private scheduleRetry(event: StoredEvent): void {
    const automatic = event.attempts.filter((a) => a.kind !== 'manual_retry').length;
    const delay = this.retryDelaysMs[automatic - 1];
    if (delay === undefined || this.closed || this.url === null || event.attempts.some((a) => a.delivered)) return;
    if (this.waiting() >= this.maxQueue) {
      this.enqueue(event, 'automatic_retry'); // recorded as dropped
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed && this.url !== null) this.enqueue(event, 'automatic_retry');
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  /** `POST /events/{merchant_id}/{event_id}/retry`: one more attempt now, answered once it has its answer. */
  async retry(event: StoredEvent): Promise<StoredWebhookAttempt> {
    const attempt = this.newAttempt(event, 'manual_retry');
    this.deps.onChange();
    await this.deliver(event, attempt);
    return attempt;
  }

  /** Sends one attempt and records what came back. */
  private async deliver(event: StoredEvent, attempt: StoredWebhookAttempt): Promise<void> {
    const url = this.url;
    const signature = signWebhook(event.body, this.secret);
    const headers: Array<[string, string]> = [
      ['content-type', 'application/json'],
      ['user-agent', USER_AGENT],
      [SIGNATURE_HEADER, signature],
    ];
    attempt.request_headers = headers;
    attempt.url = url === null ? null : shownUrl(url);
    const started = process.hrtime.bigint();
    const sent: Sent = url === null
      ? { status_code: null, headers: null, body: null, error_message: 'no webhook URL is set' }
      : await this.post(url, event.body, headers);
    attempt.durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    attempt.response = sent;
    attempt.delivered = sent.status_code !== null && sent.status_code >= 200 && sent.status_code < 300;
    const outcome = sent.status_code !== null ? String(sent.status_code) : (sent.error_message ?? 'no answer');
    this.deps.log(`webhook ${event.event_id} ${event.event_type} (${event.object_id}) ${attempt.kind}: ${outcome} in ${Math.round(attempt.durationMs)} ms`);
    this.deps.onChange();
  }

  private post(url: string, body: string, headers: Array<[string, string]>): Promise<Sent> {
    return new Promise((resolve) => {
      const u = new URL(url);
      const secure = u.protocol === 'https:';
      let done = false;
      const finish = (s: Sent) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(s);
      };
      const failed = (message: string) => finish({ status_code: null, headers: null, body: null, error_message: message });
      const req = (secure ? https : http).request(u, {
        method: 'POST',
        agent: secure ? this.agents.https : this.agents.http,
        headers: { ...Object.fromEntries(headers), 'content-length': String(Buffer.byteLength(body)) },
      });
      const timer = setTimeout(() => {
        failed(`no answer within ${this.timeoutMs / 1000} s`);
        req.destroy();
      }, this.timeoutMs);
      timer.unref();
      req.on('error', (e: NodeJS.ErrnoException) => failed(e.code ? `${e.code}: ${e.message}` : e.message));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept >= MAX_RESPONSE_BODY_BYTES) return;
          const part = chunk.subarray(0, MAX_RESPONSE_BODY_BYTES - kept);
          chunks.push(part);
          kept += part.length;
        });
        res.on('error', (e) => failed(e.message));
        res.on('end', () => {
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
          finish({ status_code: res.statusCode ?? null, headers: pairs, body: Buffer.concat(chunks).toString('utf8'), error_message: null });
        });
      });
      req.end(body);
    });
  }

  /** Stops: no more deliveries, retries forgotten, connections closed. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  // -------------------------------------------------------------------------------------------
  // Answers of the /events routes

  /** EventListItemResponse of an event. */
  renderItem(e: StoredEvent): Record<string, unknown> {
    return {
      event_id: e.event_id,
      merchant_id: MERCHANT_ID,
      profile_id: e.profile_id,
      object_id: e.object_id,
      event_type: e.event_type,
      event_class: e.event_class,
      is_delivery_successful: deliveredOf(e),
      initial_attempt_id: e.event_id,
      created: iso(e.createdMs),
    };
  }

  /** EventRetrieveResponse of one attempt (with the sandbox's `duration_ms` and `url`). */
  renderAttempt(e: StoredEvent, a: StoredWebhookAttempt): Record<string, unknown> {
    return {
      event_id: a.attempt_id,
      merchant_id: MERCHANT_ID,
      profile_id: e.profile_id,
      object_id: e.object_id,
      event_type: e.event_type,
      event_class: e.event_class,
      is_delivery_successful: a.delivered,
      initial_attempt_id: e.event_id,
      created: iso(a.createdMs),
      request: { body: e.body, headers: a.request_headers },
      response: a.response ?? { body: null, headers: null, status_code: null, error_message: null },
      delivery_attempt: a.kind,
      duration_ms: a.durationMs,
      url: a.url,
    };
  }
}

/** `is_delivery_successful`: true once an attempt got a 2xx, false after attempts that did not, null with none. */
export function deliveredOf(e: StoredEvent): boolean | null {
  if (e.attempts.length === 0) return null;
  return e.attempts.some((a) => a.delivered === true);
}
