/**
 * Webhook events (perfectpay-api.md, "Webhooks and events"; Hyperswitch's `EventType`, `EventClass`
 * and `WebhookDeliveryAttempt` in common_enums, the status → event mapping of its
 * `From<IntentStatus> for Option<EventType>`). The one table: the sandbox makes events from it, the
 * extension names them from it.
 */
import type { KnownPaymentStatus } from './status';

/** The event types of payments and refunds (a real server may send others: shown raw). */
export const EVENT_TYPES = [
  'payment_succeeded', 'payment_failed', 'payment_processing', 'payment_cancelled', 'payment_authorized',
  'payment_captured', 'payment_expired', 'action_required', 'refund_succeeded', 'refund_failed',
] as const;
export type KnownEventType = (typeof EVENT_TYPES)[number];

export const EVENT_CLASSES = ['payments', 'refunds', 'disputes', 'mandates', 'payouts'] as const;
export type EventClass = (typeof EVENT_CLASSES)[number];

export const DELIVERY_ATTEMPTS = ['initial_attempt', 'automatic_retry', 'manual_retry'] as const;
export type DeliveryAttemptKind = (typeof DELIVERY_ATTEMPTS)[number];

/** The event a payment's new status gives; none for the statuses not listed. */
export const PAYMENT_STATUS_EVENTS: Readonly<Partial<Record<KnownPaymentStatus, KnownEventType>>> = {
  succeeded: 'payment_succeeded',
  failed: 'payment_failed',
  processing: 'payment_processing',
  requires_customer_action: 'action_required',
  cancelled: 'payment_cancelled',
  expired: 'payment_expired',
  requires_capture: 'payment_authorized',
  partially_captured: 'payment_captured',
  partially_captured_and_capturable: 'payment_captured',
};

/** The event a refund's new status gives (`pending` and `review` give none). */
export const REFUND_STATUS_EVENTS: Readonly<Record<string, KnownEventType>> = {
  succeeded: 'refund_succeeded',
  failed: 'refund_failed',
};

/** The header that carries the signature: lower-case hex HMAC-SHA512 of the raw body. */
export const SIGNATURE_HEADER = 'x-webhook-signature-512';
