/**
 * Public options of the local sandbox and the internal records it keeps. No `vscode` here: the
 * sandbox runs in the extension host, in a CLI and in tests alike.
 */
import type { CaptureMethod, AuthenticationType } from '../domain/payment';
import type { DeliveryAttemptKind } from '../domain/events';
import type { KnownPaymentStatus } from '../domain/status';

/** Fault injection, applied to the API routes (`/payments...`, `/refunds...`) only. Each rate is a share, 0..1. */
export interface SandboxFaults {
  /** Share answered 500 `HE_00` (every other one after the request was processed). */
  errorRate?: number;
  /** Share answered 200 with a body of broken JSON (after the request was processed). */
  malformedRate?: number;
  /** Share whose connection is destroyed without an answer (every other one after processing). */
  dropRate?: number;
  /** Share answered 429 `RE_04` with `Retry-After` (never processed). */
  rateLimitRate?: number;
  /** `Retry-After` of the 429 answers, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /**
   * Random source in [0, 1), injectable for deterministic tests. Each API request draws ONCE and
   * gets the fault whose share the draw falls in (rate limit, error, malformed, drop: cumulative,
   * in that order). Errors and drops alternate between striking after the request was processed
   * (so a create WAS stored) and before it; the first strikes after. Default `Math.random`.
   */
  random?: () => number;
  /**
   * Targeted faults, for tests that need one particular request to meet one particular fault: each
   * strikes the next `times` API requests whose method and path match, whatever the shares above
   * say and whatever other requests arrive meanwhile. The first rule that matches and has strikes
   * left applies; a request no rule matches goes on to the shares.
   */
  targeted?: readonly TargetedFault[];
}

/** E.g. "drop the answer of the next POST /payments/pay_1/confirm after running it". */
export interface TargetedFault {
  /** `GET`, `POST`, ... */
  method: string;
  /** The request's path as sent, exactly (no query, no trailing slash), e.g. `/payments/pay_1/confirm`. */
  path: string;
  kind: 'rate_limit' | 'error' | 'malformed' | 'drop';
  /** Error and drop only: strike after the request was processed (a create is stored) or before. Default before. */
  when?: 'before' | 'after';
  /** How many matching requests it strikes (default 1; `Infinity`: every one until the faults are set again). */
  times?: number;
}

export interface SandboxOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The secret key expected in the `api-key` header: it opens every route. */
  apiKey: string;
  /**
   * The publishable key (`pk_snd_…`): with a payment's `client_secret` it opens only what a browser
   * may do, `POST /payments/{id}/confirm` and `GET /payments/{id}`. Made at random when not given
   * (`RunningSandbox.publishableKey`).
   */
  publishableKey?: string;
  /** Time a client has to send the request headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request. Default 30 s. */
  requestTimeoutMs?: number;
  /**
   * Connections held at once. A connection over it is answered 503 (`Retry-After`, a JSON error) and
   * closed. Default 2048.
   */
  maxConnections?: number;
  /** Fill the store with this many demo payments spread over every status. */
  seed?: number;
  /** Delay before every API answer, in ms. */
  latencyMs?: number;
  faults?: SandboxFaults;
  /** Time from creation until a waiting payment expires. Default 15 minutes. */
  expiryMs?: number;
  /** Time a `processing` payment (card 0259) takes to settle. Default 3000 ms. */
  processingDelayMs?: number;
  /** Time a refund of a refund test card (4000000000005126, 4000000000007726) stays `pending`. Default 3000 ms. */
  refundDelayMs?: number;
  /** Clock, injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** One line per request and per status move. Never carries card numbers or CVCs. */
  log?: (line: string) => void;
  /**
   * Start with this state (from `RunningSandbox.snapshot()`) instead of the seed. An invalid or
   * wrong-version snapshot is ignored (logged, `restoreProblem` says why) and the seed is used.
   * URLs in next_actions that point at the snapshot's origin are moved to the new one.
   */
  restore?: SandboxSnapshot;
  /**
   * A file holding a snapshot (JSON) to start from, instead of `restore`; `saveSnapshot()` writes
   * it. A file that is missing means the seed; one that does not parse or is refused is set aside
   * as `<file>.corrupt-<time>` (a warning in the log) and the seed is used.
   */
  snapshotFile?: string;
  /**
   * Called after any change of the stored state (create, confirm, capture, cancel, a customer
   * step, an expiry or settlement applied), once per burst of synchronous changes, never during
   * seeding or restoring. A throwing listener does not break the sandbox.
   */
  onChange?: () => void;
  /** Outgoing webhooks (perfectpay-api.md, "Webhooks and events"). */
  webhooks?: WebhookOptions;
}

/** Where and how the sandbox sends its events. */
export interface WebhookOptions {
  /** http(s) URL the events are POSTed to; none (default): events are recorded, not sent. */
  url?: string | null;
  /** The `payment_response_hash_key` that signs them. Made at random when not given (`RunningSandbox.webhookSecret`). */
  secret?: string;
  /** Waits before each automatic retry (their count is the number of retries). Default 2 s, 5 s, 15 s. */
  retryDelaysMs?: readonly number[];
  /** Time an endpoint has to answer. Default 5 s. */
  timeoutMs?: number;
  /** Deliveries waiting at most (queued or scheduled for a retry); past it a delivery is dropped and recorded so. Default 1000. */
  maxQueue?: number;
  /** Deliveries in flight at once (one per object at a time). Default 8. */
  concurrency?: number;
}

/** Version of `SandboxSnapshot`; a snapshot of another version is not restored. */
export const SANDBOX_SNAPSHOT_VERSION = 1;

/**
 * A copy of the sandbox's store, JSON-serialisable (`JSON.parse(JSON.stringify(s))` restores the
 * same): every payment with its attempts, captures, next_action, held expiry and settle times and
 * the customer step it waits for, the insertion counter, and the origin it was served on (so a
 * restore on another port can move the next_action URLs). Cards are masked as in the store: the
 * full number and CVC were never stored.
 */
export interface SandboxSnapshot {
  format: 'perfectpay-sandbox-snapshot';
  version: typeof SANDBOX_SNAPSHOT_VERSION;
  /** `http://127.0.0.1:PORT`: where the next_action URLs point. */
  origin: string;
  /** When it was taken (ISO 8601). */
  takenAt: string;
  /** The store's insertion counter (the next payment's `seq`). */
  seq: number;
  /** Oldest first (the store's order). */
  payments: StoredPayment[];
  /** The webhook events with their attempts, oldest first (absent in snapshots older than them). */
  events?: StoredEvent[];
}

export interface RunningSandbox {
  /** `http://127.0.0.1:PORT` (the address it actually listens on). */
  url: string;
  port: number;
  /** The publishable key it accepts (given, or made at start). */
  publishableKey: string;
  /** Stops listening, closes every connection; the event loop is not kept alive afterwards. */
  close(): Promise<void>;
  /** Replaces the fault injection at runtime (`{}` turns it off). */
  setFaults(faults: SandboxFaults | undefined): void;
  /** Changes the latency at runtime. */
  setLatency(ms: number): void;
  /** Number of payments stored. */
  paymentCount(): number;
  /** Ids of the stored payments, newest first (for tests). */
  paymentIds(): string[];
  /** The newest `limit` payments as `GET /payments/list?limit=` answers them (its `data`). */
  firstPage(limit: number): Record<string, unknown>[];
  /** A copy of the whole state, to give back as `SandboxOptions.restore` to a later start. */
  snapshot(): SandboxSnapshot;
  /** Writes the snapshot to `SandboxOptions.snapshotFile` (atomically); nothing without one. */
  saveSnapshot(): Promise<void>;
  /** What the store started with: the restored snapshot, or the seed (also when a restore was refused). */
  startedFrom: 'snapshot' | 'seed';
  /** Why `SandboxOptions.restore` was not used, when it was given and refused. */
  restoreProblem?: string;
  /** The `payment_response_hash_key` signing the webhooks (given, or made at start). */
  webhookSecret: string;
  /** The webhook URL now (null: none). */
  webhookUrl(): string | null;
  /** Sets the webhook URL (null: none); a TypeError when it is not http(s). */
  setWebhookUrl(url: string | null): void;
}

// ---------------------------------------------------------------------------------------------
// Internal records

export interface MaskedCard {
  last4: string;
  card_network: string;
  card_exp_month: string;
  card_exp_year: string;
  card_holder_name: string | null;
  /** `credit` or `debit` (absent in snapshots older than it). */
  card_type?: string;
  /** The first six digits (the issuer's BIN), which PCI allows to show beside the last four. */
  card_isin?: string;
}

/** The customer step a payment waits for, which decides its next_action. */
export type ActionKind =
  | 'three_ds_redirect'
  | 'three_ds_invoke'
  | 'redirect'
  | 'sdk_session_token'
  | 'bank_transfer'
  | 'qr_image'
  | 'qr_url'
  | 'qr_fetch'
  | 'wait_screen';

/** What a confirm leads to, decided from the method (never keeps the card number). */
export type Outcome =
  | { kind: 'authorise' }
  | { kind: 'processing' }
  | { kind: 'decline'; code: string; message: string }
  | { kind: 'action'; action: ActionKind; then: 'authorise' | 'processing' };

export interface ResolvedMethod {
  payment_method: string;
  payment_method_type: string;
  card: MaskedCard | null;
  /** What the method itself leads to; the payment's 3DS settings may still add a 3DS step. */
  outcome: Outcome;
}

export interface StoredAttempt {
  attempt_id: string;
  status: string;
  amount: number;
  payment_method: string | null;
  error_code: string | null;
  error_message: string | null;
  createdMs: number;
  modifiedMs: number;
}

export interface StoredCapture {
  capture_id: string;
  status: string;
  amount: number;
  /** When it was made: kept for the snapshot; a real server's captures carry no time, nor do ours. */
  createdMs: number;
  /** The processor's reference (absent in snapshots older than it). */
  connector_capture_id?: string;
}

/** A refund's statuses (Hyperswitch's RefundStatus as its API answers it). */
export type RefundStatus = 'pending' | 'succeeded' | 'failed' | 'review';

export interface StoredRefund {
  /** Insertion number (the store's counter, shared with payments): breaks ties between equal times. */
  seq: number;
  refund_id: string;
  amount: number;
  status: RefundStatus;
  reason: string | null;
  /** Any JSON object, card numbers in its text masked. */
  metadata: Record<string, unknown> | null;
  refund_type: 'instant' | 'scheduled';
  error_code: string | null;
  error_message: string | null;
  connector_refund_id: string;
  createdMs: number;
  modifiedMs: number;
  /** When a `pending` refund settles (lazily, on access), and how. */
  settleAtMs: number | null;
  settleTo: 'succeeded' | 'failed' | null;
}

export interface StoredPayment {
  /** Insertion number: breaks ties between equal creation times (later = newer). */
  seq: number;
  createdMs: number;
  modifiedMs: number;
  expiresMs: number;
  payment_id: string;
  client_secret: string;
  status: KnownPaymentStatus;
  amount: number;
  net_amount: number;
  amount_capturable: number;
  amount_received: number | null;
  currency: string;
  capture_method: CaptureMethod;
  authentication_type: AuthenticationType;
  customer_id: string | null;
  description: string | null;
  /** Any JSON object, card numbers in its text masked. */
  metadata: Record<string, unknown> | null;
  return_url: string | null;
  payment_method: string | null;
  payment_method_type: string | null;
  card: MaskedCard | null;
  /** `payment_method_data.billing`, kept with the method (masked). */
  method_billing?: Record<string, unknown> | null;
  next_action: Record<string, unknown> | null;
  error_code: string | null;
  error_message: string | null;
  cancellation_reason: string | null;
  attempt_count: number;
  /** The processor's reference, set once authorised (`pi_…`). */
  connector_transaction_id?: string | null;
  /**
   * The request fields kept and answered as sent (billing, shipping, email, browser_info…: see
   * payments.ts), card numbers in their text masked. A field not here is answered `null`.
   */
  echoed?: Record<string, unknown>;
  /** Whether a 3DS step ran through an external authenticator (`three_ds_invoke`). */
  external_3ds?: boolean;
  /** Method attached at create without confirming: used by a later confirm without a method. */
  attachedOutcome: Outcome | null;
  /** The customer step waited for, and what completing it leads to. */
  pendingAction: { action: ActionKind; then: 'authorise' | 'processing' } | null;
  /** When a `processing` payment settles (lazily, on access). */
  settleAtMs: number | null;
  attempts: StoredAttempt[];
  captures: StoredCapture[];
  /** Oldest first (absent in snapshots older than refunds, and on payments never refunded). */
  refunds?: StoredRefund[];
}

/** One delivery attempt of an event. */
export interface StoredWebhookAttempt {
  /** The first attempt's id is the event's; each later one has its own `evt_…`. */
  attempt_id: string;
  kind: DeliveryAttemptKind;
  createdMs: number;
  /** Where it went, without user and password (null: no URL was set). */
  url: string | null;
  /** `[name, value]` pairs as sent (the signature included; never the secret). */
  request_headers: Array<[string, string]>;
  /** Null while it waits for its answer. */
  response: {
    status_code: number | null;
    headers: Array<[string, string]> | null;
    /** At most 64 KB of it. */
    body: string | null;
    error_message: string | null;
  } | null;
  durationMs: number | null;
  /** A 2xx came back; null while waiting. */
  delivered: boolean | null;
}

/** An event: a status change of a payment or refund, the exact body sent, and its attempts. */
export interface StoredEvent {
  seq: number;
  event_id: string;
  event_type: string;
  event_class: 'payments' | 'refunds';
  object_id: string;
  profile_id: string;
  createdMs: number;
  /** The exact JSON sent (signed as it is). */
  body: string;
  /** Oldest first. */
  attempts: StoredWebhookAttempt[];
}
