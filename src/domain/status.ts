/**
 * Status rules of a payment: the statuses, what each means, its kind (for colour and icon), and THE
 * table of which action and which simulated customer outcome each status allows. One table used by
 * the sandbox (to allow or refuse a move), the tree's context values, the palette's pickers, the
 * inspector's buttons and the Simulate command. Pure: imports nothing.
 */

export const PAYMENT_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_customer_action',
  'processing',
  'requires_capture',
  'succeeded',
  'failed',
  'partially_captured',
  'partially_captured_and_capturable',
  'expired',
  'cancelled',
  // Sent by a real server, never produced by the local sandbox (perfectpay-api.md, "Statuses").
  'cancelled_post_capture',
  'partially_authorized_and_requires_capture',
  'partially_captured_and_processing',
  'requires_merchant_action',
  'conflicted',
] as const;
export type KnownPaymentStatus = (typeof PAYMENT_STATUSES)[number];
/** A status as the server sends it: one we know, or any other string, kept raw. */
export type PaymentStatus = KnownPaymentStatus | (string & {});

export const STATUS_KINDS = ['success', 'waiting', 'failed', 'cancelled', 'unknown'] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];
export type PaymentAction = 'confirm' | 'capture' | 'cancel' | 'simulate' | 'refund';

export const SIMULATE_OUTCOMES = ['succeed', 'fail', 'expire'] as const;
export type SimulateOutcome = (typeof SIMULATE_OUTCOMES)[number];

/** Statuses that expire when `expires_on` passes; in any other, `expires_on` no longer matters. */
export const EXPIRABLE_STATUSES: readonly KnownPaymentStatus[] = [
  'requires_payment_method', 'requires_confirmation', 'requires_customer_action',
];

/** Which statuses each simulated customer outcome applies to (the sandbox's `simulate`). */
export const SIMULATE_FROM: Readonly<Record<SimulateOutcome, readonly KnownPaymentStatus[]>> = {
  succeed: ['requires_customer_action', 'processing'],
  fail: ['requires_customer_action', 'processing'],
  expire: EXPIRABLE_STATUSES,
};

/** Statuses from which an action is allowed (perfectpay-api.md, "Statuses and the moves"). */
export const ALLOWED_FROM: Readonly<Record<PaymentAction, readonly KnownPaymentStatus[]>> = {
  confirm: ['requires_payment_method', 'requires_confirmation'],
  // partially_authorized_and_requires_capture is requires_capture for a partial authorisation:
  // Hyperswitch captures and voids it like requires_capture. The other statuses only a real server
  // sends allow nothing: their money may be moving or in review, and no move of ours is safe there.
  capture: ['requires_capture', 'partially_captured_and_capturable', 'partially_authorized_and_requires_capture'],
  cancel: [
    'requires_payment_method', 'requires_confirmation', 'requires_capture', 'requires_customer_action',
    'partially_authorized_and_requires_capture',
  ],
  // Simulate is offered where at least one outcome applies (see simulateOutcomes).
  simulate: [...new Set([...SIMULATE_FROM.succeed, ...SIMULATE_FROM.fail, ...SIMULATE_FROM.expire])],
  // perfectpay-api.md, "Refunds"; Hyperswitch's refunds.rs: it received money and nothing more is moving.
  refund: ['succeeded', 'partially_captured'],
};

/** Statuses whose payment can be refunded: ALLOWED_FROM's refund row (the sandbox's IR_14 names them). */
export const REFUNDABLE_STATUSES: readonly KnownPaymentStatus[] = ALLOWED_FROM.refund;

/** The simulated outcomes a status allows, in the order a person most likely wants them. */
export function simulateOutcomes(status: PaymentStatus): SimulateOutcome[] {
  return SIMULATE_OUTCOMES.filter((o) => (SIMULATE_FROM[o] as readonly string[]).includes(status));
}

export function canExpire(status: PaymentStatus): boolean {
  return (EXPIRABLE_STATUSES as readonly string[]).includes(status);
}

export const TERMINAL_STATUSES: readonly KnownPaymentStatus[] = [
  'succeeded', 'failed', 'cancelled', 'expired', 'partially_captured', 'cancelled_post_capture',
];

interface StatusInfo {
  kind: StatusKind;
  /** What the status means (the seed's table). */
  meaning: string;
  /** What to do next, for a person. */
  next: string;
  /**
   * The action that is that next step, where one is (the inspector's primary button): simulate stands
   * for the customer's step (its first outcome, succeed), which only the local sandbox can take.
   */
  step?: PaymentAction;
}

export const STATUS_INFO: Readonly<Record<KnownPaymentStatus, StatusInfo>> = {
  requires_payment_method: {
    kind: 'waiting',
    meaning: 'Payment exists but no usable method is attached.',
    next: 'Confirm it with a payment method (a test card, a bank transfer, a wallet…).',
    step: 'confirm',
  },
  requires_confirmation: {
    kind: 'waiting',
    meaning: 'Method is attached but confirmation has not happened.',
    next: 'Confirm it.',
    step: 'confirm',
  },
  requires_customer_action: {
    kind: 'waiting',
    meaning: 'The customer must act: a redirect or 3DS step, a QR code to scan, a bank transfer to make.',
    next: 'Complete the customer step shown in next_action (or simulate it on the local sandbox).',
    step: 'simulate',
  },
  processing: {
    kind: 'waiting',
    meaning: 'The processor has accepted the request and final settlement is pending.',
    next: 'Wait: it settles to succeeded or failed by itself.',
  },
  requires_capture: {
    kind: 'waiting',
    meaning: 'Authorization succeeded and manual capture is required.',
    next: 'Capture all or part of the amount, or cancel to release it.',
    step: 'capture',
  },
  succeeded: { kind: 'success', meaning: 'Charge completed successfully.', next: 'Nothing: the payment is complete.' },
  failed: {
    kind: 'failed',
    meaning: 'The attempt failed.',
    next: 'Read error_code and error_message; create a new payment to try again.',
  },
  partially_captured: {
    kind: 'success',
    meaning: 'Part of the authorized amount has been captured.',
    next: 'Nothing: the rest of the authorization was released.',
  },
  partially_captured_and_capturable: {
    kind: 'waiting',
    meaning: 'Part captured, remaining amount still capturable.',
    next: 'Capture more of the remaining amount.',
    step: 'capture',
  },
  expired: { kind: 'cancelled', meaning: 'The payment timed out.', next: 'Create a new payment.' },
  cancelled: { kind: 'cancelled', meaning: 'The payment was cancelled.', next: 'Nothing: the payment is closed.' },
  cancelled_post_capture: {
    kind: 'cancelled',
    meaning: 'The payment was cancelled after it had been captured: the captured money goes back to the customer.',
    next: 'Nothing: the payment is closed.',
  },
  partially_authorized_and_requires_capture: {
    kind: 'waiting',
    meaning: 'Only part of the amount was authorised, and manual capture is required.',
    next: 'Capture the authorised part (amount_capturable), or cancel to release it.',
    step: 'capture',
  },
  partially_captured_and_processing: {
    kind: 'waiting',
    meaning: 'Part of the amount has been captured and a capture is still being processed.',
    next: 'Wait: the processor settles the capture by itself.',
  },
  requires_merchant_action: {
    kind: 'waiting',
    meaning: 'The payment is held for the merchant to review (for example by fraud checks).',
    next: 'Approve or reject it where your PerfectPay account allows; nothing to do from here.',
  },
  conflicted: {
    kind: 'unknown',
    meaning: 'PerfectPay and the processor disagree on the outcome of the payment.',
    next: 'Do not act on it: ask PerfectPay support to settle the outcome, then refresh.',
  },
};

export function isKnownStatus(status: PaymentStatus): status is KnownPaymentStatus {
  return Object.prototype.hasOwnProperty.call(STATUS_INFO, status);
}

export function statusKind(status: PaymentStatus): StatusKind {
  return isKnownStatus(status) ? STATUS_INFO[status].kind : 'unknown';
}

export function isTerminal(status: PaymentStatus): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

export function canDo(action: PaymentAction, status: PaymentStatus): boolean {
  return (ALLOWED_FROM[action] as readonly string[]).includes(status);
}

/** The actions a status allows, in the order a person most likely wants them. */
export function allowedActions(status: PaymentStatus): PaymentAction[] {
  return (['confirm', 'capture', 'simulate', 'refund', 'cancel'] as const).filter((a) => canDo(a, status));
}

/** The action that is the status's next step (STATUS_INFO's `step`), or null (waiting, closed, unknown). */
export function nextStep(status: PaymentStatus): PaymentAction | null {
  return isKnownStatus(status) ? (STATUS_INFO[status].step ?? null) : null;
}

/** "requires_capture" → "Requires capture". Unknown statuses are shown as they came. */
export function statusLabel(status: PaymentStatus): string {
  if (!isKnownStatus(status)) return status;
  const words = status.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
