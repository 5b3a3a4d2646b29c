/**
 * The one door of the VS Code layer to the PerfectPay API's payments. Commands, the tree and the
 * inspector all go through it, so that every answer is recorded once (history for the timeline) and
 * every change is announced once (the tree and open inspectors follow). Which environment it talks
 * to, and with which key, is the EnvironmentManager's business (src/environment).
 *
 * This file is the contract the consumers are typed against; `PaymentsServiceImpl` implements it.
 */
import type * as vscode from 'vscode';
import type { CancelPaymentRequest, CapturePaymentRequest, ConfirmPaymentRequest, CreatePaymentRequest, FetchedQrCode, FilteredPaymentList, ListPaymentsQuery, PaymentListFilter, Payment, PaymentList, Refund, RetrievePaymentOptions } from '../api/schemas';
import type { EventAttempt, EventList, EventListConstraints } from '../api/schemas';
import type { SimulateOutcome } from '../domain/status';
import type { EnvironmentInfo } from '../environment/types';
import type { CopyFormat } from '../api/code';
import type { KeyKind } from '../api/curl';
import type { PaymentAnswer } from '../model/answers';
import type { PaymentObservation } from '../model/history';

/** How long an answer (or a failed read) is reused by `lookupPayment`: one request per id per 30 s at most. */
export const LOOKUP_MAX_AGE_MS = 30_000;


/** Which key a confirm is sent with (src/api/curl.ts's KeyKind): the secret key, or the publishable key as the browser. */
export type ConfirmKey = KeyKind;

export interface PaymentChange {
  payment: Payment;
  /** What produced it. */
  cause: PaymentObservation['cause'];
}

export interface PaymentsService extends vscode.Disposable {
  /** Fires for every payment answer (after an action, a retrieve, a poll, a list page). */
  readonly onDidChangePayment: vscode.Event<PaymentChange>;
  /** Fires when the environment or the key changes: everything shown must be reloaded. */
  readonly onDidChangeEnvironment: vscode.Event<EnvironmentInfo>;

  /** The environment the answers come from (the EnvironmentManager's, read-only here). */
  environment(): EnvironmentInfo;

  createPayment(request: CreatePaymentRequest, signal?: AbortSignal): Promise<Payment>;
  /**
   * With `key` 'publishable', sent as the browser sends it: the environment's publishable key and the
   * payment's client_secret (from the request, else as last seen, else read first).
   */
  confirmPayment(paymentId: string, request: ConfirmPaymentRequest, signal?: AbortSignal, key?: ConfirmKey): Promise<Payment>;
  /** Always with the amount: "all" is said as the capturable amount (a server's default may capture less). */
  capturePayment(paymentId: string, request: Required<CapturePaymentRequest>, signal?: AbortSignal): Promise<Payment>;
  cancelPayment(paymentId: string, request: CancelPaymentRequest, signal?: AbortSignal): Promise<Payment>;
  /** `cause` is 'retrieve' for a person's read, 'poll' for the inspector's. */
  retrievePayment(paymentId: string, expand?: RetrievePaymentOptions, cause?: 'retrieve' | 'poll', signal?: AbortSignal): Promise<Payment>;
  listPayments(query: ListPaymentsQuery, signal?: AbortSignal): Promise<PaymentList>;
  /** `POST /payments/list`: one page of the payments matching a filter, with the count of every match. */
  filterPayments(filter: PaymentListFilter, signal?: AbortSignal): Promise<FilteredPaymentList>;
  simulateCustomerAction(paymentId: string, outcome: SimulateOutcome, signal?: AbortSignal): Promise<Payment>;
  /**
   * `POST /refunds` of `amount` (minor units) with an optional reason (safe to send again: the client
   * gives it a refund_id). The payment is then read again and observed (cause 'refund', with the
   * amount), so the tree, open inspectors and the history follow; a failed read after a refund that
   * was made does not fail the refund.
   */
  createRefund(paymentId: string, request: { amount: number; reason?: string }, signal?: AbortSignal): Promise<Refund>;
  /** Every refund of a payment (`POST /refunds/list`), newest first. */
  listRefunds(paymentId: string, signal?: AbortSignal): Promise<Refund[]>;
  /** GET a fetch_qr_code_information URL through the extension (never from a webview). */
  fetchQrCode(url: string, signal?: AbortSignal): Promise<FetchedQrCode>;

  /** The last answer seen for a payment, if any. */
  cached(paymentId: string): Payment | undefined;
  /** When that last answer arrived (ms since the epoch), if any. */
  seenAt(paymentId: string): number | undefined;
  /**
   * The payment as seen lately, for hovers and links: the cached answer when it arrived less than
   * `maxAgeMs` ago (from any source: the tree's pages, the inspector, a command), otherwise ONE
   * retrieve shared by every caller; its outcome, a failure included (not found, no key, server
   * down), is reused for `maxAgeMs` too. So at most one request per id per 30 s.
   */
  lookupPayment(paymentId: string, maxAgeMs?: number): Promise<Payment>;
  /** The whole answers seen of a payment (redacted), oldest first (capped); survives a reload. */
  answers(paymentId: string): PaymentAnswer[];
  /** Everything seen of a payment, oldest first; survives a reload. */
  history(paymentId: string): PaymentObservation[];
  /**
   * A route call as cURL for the current environment (key as $PERFECTPAY_API_KEY, cards masked; with
   * `key` 'publishable': $PERFECTPAY_PUBLISHABLE_KEY and the client_secret as $PERFECTPAY_CLIENT_SECRET).
   */
  curlFor(method: 'GET' | 'POST', path: string, body?: unknown, key?: ConfirmKey): Promise<string>;
  /** The same call as code to paste: Node fetch, Python requests, HTTPie (or cURL); same redaction and key rule. */
  codeFor(format: CopyFormat, method: 'GET' | 'POST', path: string, body?: unknown, key?: ConfirmKey): Promise<string>;

  // Webhook events (perfectpay-api.md, "Webhooks and events")
  /** `POST /events/{merchant_id}` of the current environment (the merchant read from its payments). */
  listEvents(constraints?: EventListConstraints, signal?: AbortSignal): Promise<EventList>;
  /** Every delivery attempt of an event, oldest first. */
  eventAttempts(eventId: string, signal?: AbortSignal): Promise<EventAttempt[]>;
  /** One more delivery of an event now (a manual retry); resolves to its attempt. */
  retryEvent(eventId: string): Promise<EventAttempt>;
  /** The local sandbox's webhook URL (null: none), kept for its next starts unless `remember` is false. Refused elsewhere. */
  setWebhookUrl(url: string | null, options?: { remember?: boolean }): Promise<void>;
}
