/**
 * The status timeline of a payment: every status it has been seen in, in order, with when and what
 * caused each change ("Created", "Confirmed with card •••• 4242", "Captured 20.00 USD",
 * "Failed: card_declined — Your card was declined.").
 *
 * Built from three sources, each covering what the others miss:
 *  - the extension's own history (src/model/history.ts): every action it took and every state a
 *    read showed it, with the action's inputs (method, amount to capture). Persisted by the service,
 *    so the timeline survives a reload;
 *  - the payment's expanded `attempts` (a confirm made elsewhere, and the server's times);
 *  - the payment's expanded `captures` (captures made elsewhere);
 * plus the payment itself (`created`, and its current status at `modified_at` if no other source
 * reached it).
 *
 * Pure: no I/O, no `vscode`, no DOM.
 */
import type { Payment } from '../api/schemas';
import { describeMethod } from '../domain/cards';
import { formatMoney } from '../domain/money';
import { PAYMENT_STATUS_EVENTS } from '../domain/events';
import { isKnownStatus, statusKind, statusLabel, type KnownPaymentStatus } from '../domain/status';
import type { PaymentObservation } from '../model/history';
import type { TimelineEntry } from '../shared/protocol';

/** Statuses a payment starts in (before any confirm). */
const INITIAL = new Set(['requires_payment_method', 'requires_confirmation']);
const READ_CAUSES = new Set(['retrieve', 'list', 'poll']);
/** Statuses from which a rise of amount_received is a capture. */
const CAPTURABLE = new Set(['requires_capture', 'partially_captured_and_capturable', 'partially_authorized_and_requires_capture']);
/** Statuses no confirm leads to (a payment that reaches one from the start was not confirmed). */
const NOT_BY_CONFIRM = new Set(['cancelled', 'expired', 'cancelled_post_capture']);
/** Statuses a capture may leave the payment in. */
const AFTER_CAPTURE = ['succeeded', 'partially_captured', 'partially_captured_and_capturable', 'partially_captured_and_processing'];

/**
 * A confirm attempt as the timeline reads it (the API's `attempts`): only what it uses, so that an
 * answer with fewer fields (no `created_at`) still makes a timeline.
 */
export interface TimelineAttempt {
  status: string;
  payment_method?: string | null;
  error_code?: string | null;
  error_message?: string | null;
  created_at?: string | null;
  [field: string]: unknown;
}

/**
 * A capture as the timeline reads it (the API's `captures`, Hyperswitch's CaptureResponse). A real
 * server's captures have no timestamp: they are ordered by `capture_sequence`.
 */
export interface TimelineCapture {
  status?: string | null;
  amount: number;
  created_at?: string | null;
  capture_sequence?: number | null;
  [field: string]: unknown;
}

type Role = 'created' | 'confirm' | 'capture' | 'other';
interface Step extends TimelineEntry {
  role: Role;
  /** For capture steps: the amount captured (minor units), to match the server's captures. */
  captured?: number;
  /** Position among the steps before sorting (keeps the order of equal or unknown times). */
  seq: number;
  /** Seen by a read (retrieve, list, poll), not answered to an action: its time is when it was seen. */
  read?: boolean;
  /** For a step without a time: where it sorts (ms), e.g. a server capture after the one before it. */
  sortAt?: number;
}

function step(
  seq: number,
  role: Role,
  at: string | null | undefined,
  status: string | null,
  label: string,
  source: TimelineEntry['source'],
  detail: string | null = null,
): Step {
  return {
    at: at ?? null,
    status,
    statusLabel: status === null ? null : statusLabel(status),
    kind: status === null ? 'unknown' : statusKind(status),
    label,
    detail,
    source,
    role,
    seq,
  };
}

function failureLabel(code: string | null | undefined, message: string | null | undefined): string {
  if (code && message) return `Failed: ${code} — ${message}`;
  if (code || message) return `Failed: ${code ?? message}`;
  return 'Failed';
}

interface Seen {
  status: string | null;
  received: number;
  nextType: string | null;
}

/**
 * Describes how the payment came to `obs.status` from `prev`: the label, an optional detail, and
 * whether the step is a confirm or a capture (to match the server's attempts and captures).
 */
function describe(
  prev: Seen,
  obs: PaymentObservation,
  method: string | null,
  currency: string,
): { label: string; detail: string | null; role: Role; captured?: number } {
  const s = obs.status;
  const viaConfirm = obs.cause === 'confirm' || obs.cause === 'create';
  const fromStart = prev.status === null || INITIAL.has(prev.status);
  const confirmedWith = method ? `Confirmed with ${method}` : 'Confirmed';
  const received = obs.amount_received ?? 0;
  const delta = received - prev.received;
  const capturedAmount = obs.amount_to_capture ?? (delta > 0 ? delta : undefined);
  const isConfirmStep = viaConfirm || (fromStart && !INITIAL.has(s) && !NOT_BY_CONFIRM.has(s));

  const capturable = prev.status !== null && CAPTURABLE.has(prev.status);
  if (obs.cause === 'capture' || (!isConfirmStep && delta > 0 && capturable)) {
    return {
      label: capturedAmount !== undefined ? `Captured ${formatMoney(capturedAmount, currency)}` : 'Captured',
      detail: null,
      role: 'capture',
      captured: capturedAmount,
    };
  }
  switch (s) {
    case 'requires_payment_method':
      return { label: 'Payment method required', detail: null, role: 'other' };
    case 'requires_confirmation':
      return { label: 'Payment method attached', detail: null, role: 'other' };
    case 'requires_customer_action':
      return {
        label: `Customer action required: ${obs.next_action_type ?? 'next_action'}`,
        detail: isConfirmStep ? confirmedWith : null,
        role: isConfirmStep ? 'confirm' : 'other',
      };
    case 'failed':
      return {
        label: failureLabel(obs.error_code, obs.error_message),
        detail: isConfirmStep ? confirmedWith : prev.status === 'requires_customer_action' ? 'Customer step failed' : null,
        role: isConfirmStep ? 'confirm' : 'other',
      };
    case 'cancelled':
      return { label: obs.cancellation_reason ? `Cancelled: ${obs.cancellation_reason}` : 'Cancelled', detail: null, role: 'other' };
    case 'expired':
      return { label: 'Expired', detail: null, role: 'other' };
    case 'cancelled_post_capture':
      return { label: obs.cancellation_reason ? `Cancelled after capture: ${obs.cancellation_reason}` : 'Cancelled after capture', detail: null, role: 'other' };
    case 'partially_authorized_and_requires_capture':
    case 'requires_merchant_action':
    case 'conflicted': {
      const label = s === 'partially_authorized_and_requires_capture' ? 'Partially authorised'
        : s === 'requires_merchant_action' ? 'Merchant action required'
        : 'Conflicted: the processor and the payment disagree';
      return { label, detail: isConfirmStep ? confirmedWith : null, role: isConfirmStep ? 'confirm' : 'other' };
    }
    case 'partially_captured_and_processing':
      return { label: 'Capture processing', detail: null, role: 'other' };
    case 'processing':
    case 'requires_capture':
    case 'succeeded':
      if (isConfirmStep) return { label: confirmedWith, detail: null, role: 'confirm' };
      if (prev.status === 'requires_customer_action') return { label: 'Customer step completed', detail: null, role: 'other' };
      if (prev.status === 'processing') return { label: 'Settled', detail: null, role: 'other' };
      return { label: statusLabel(s), detail: null, role: 'other' };
    default:
      if (isKnownStatus(s)) return { label: statusLabel(s), detail: null, role: 'other' };
      return { label: `Status changed to ${s}`, detail: null, role: 'other' };
  }
}

/** What status a confirm attempt left the payment in, as far as the attempt alone tells. */
function statusAfterAttempt(a: TimelineAttempt, payment: Payment, hasCaptures: boolean): string | null {
  switch (a.status) {
    case 'failure':
    case 'authentication_failed':
      return 'failed';
    case 'authentication_pending':
      return 'requires_customer_action';
    case 'pending':
      return 'processing';
    case 'authorized':
      return 'requires_capture';
    case 'charged':
    case 'partial_charged':
      // Charged with captures of its own: it was authorised first, then captured.
      return hasCaptures || payment.capture_method === 'manual' || payment.capture_method === 'manual_multiple'
        ? 'requires_capture'
        : 'succeeded';
    case 'voided':
      return 'requires_capture' === payment.status ? 'requires_capture' : null;
    default:
      return null;
  }
}

/**
 * The timeline of `payment`, oldest first. `attempts` and `captures` default to the payment's own
 * (present when it was retrieved with expand_attempts / expand_captures).
 */
export function buildTimeline(
  payment: Payment,
  history: readonly PaymentObservation[],
  attempts: readonly TimelineAttempt[] = payment.attempts ?? [],
  captures: readonly TimelineCapture[] = payment.captures ?? [],
  events: readonly TimelineEvent[] = [],
): TimelineEntry[] {
  return withEvents(statusTimeline(payment, history, attempts, captures), events);
}

/** A webhook event of the payment as the timeline reads it (the API's EventListItemResponse). */
export interface TimelineEvent {
  event_type: string;
  created: string;
  is_delivery_successful?: boolean | null;
  [field: string]: unknown;
}

/**
 * The payment's webhook events that were sent (an event with no attempt, made while no webhook URL
 * was set, is left out), each placed right after the first step not yet matched whose status gives
 * its type (a step's time is when the extension saw it, an event's when the server made it: the
 * status is the better guide), else by time. "Webhook payment_succeeded", delivered or not. They
 * carry no status.
 */
function withEvents(steps: TimelineEntry[], events: readonly TimelineEvent[]): TimelineEntry[] {
  const out = [...steps];
  const sent = events.filter((e) => e.is_delivery_successful === true || e.is_delivery_successful === false);
  const sorted = [...sent].sort((a, b) => ms(a.created) - ms(b.created));
  let after = 0;
  for (const e of sorted) {
    const at = ms(e.created);
    const entry: TimelineEntry = {
      at: Number.isFinite(at) ? e.created : null,
      status: null,
      statusLabel: null,
      kind: 'unknown',
      label: `Webhook ${e.event_type}`,
      detail: e.is_delivery_successful ? '✓ delivered' : '✗ not delivered (yet)',
      source: 'webhook',
    };
    let i = out.findIndex((s, j) => j >= after && s.source !== 'webhook' && s.status !== null && PAYMENT_STATUS_EVENTS[s.status as KnownPaymentStatus] === e.event_type) + 1;
    if (i === 0) {
      i = out.length;
      while (i > 1 && Number.isFinite(at) && ms(out[i - 1]!.at) > at) i--;
    }
    out.splice(i, 0, entry);
    after = i + 1;
  }
  return out;
}

function statusTimeline(
  payment: Payment,
  history: readonly PaymentObservation[],
  attempts: readonly TimelineAttempt[],
  captures: readonly TimelineCapture[],
): TimelineEntry[] {
  const currency = payment.currency;
  const method = describeMethod(payment) ?? null;
  let seq = 0;
  const created = step(seq++, 'created', payment.created, null, 'Created', 'payment');
  const steps: Step[] = [created];

  // 1. The extension's history, oldest first.
  let prev: Seen = { status: null, received: 0, nextType: null };
  for (const obs of history) {
    const initial = INITIAL.has(obs.status);
    if (steps.length === 1 && created.status === null && initial && (obs.cause === 'create' || READ_CAUSES.has(obs.cause))) {
      // The first sight of a payment in its initial status is its creation.
      created.status = obs.status;
      created.statusLabel = statusLabel(obs.status);
      created.kind = statusKind(obs.status);
      prev = { status: obs.status, received: obs.amount_received ?? 0, nextType: obs.next_action_type ?? null };
      continue;
    }
    if (steps.length === 1 && created.status === null && !initial && obs.cause === 'create') {
      // Created and confirmed in one call (confirm: true): never seen unconfirmed, so one step.
      const via = obs.method ?? method;
      const confirmed = via ? `Created and confirmed with ${via}` : 'Created and confirmed';
      const d = describe(prev, obs, via, currency);
      created.status = obs.status;
      created.statusLabel = statusLabel(obs.status);
      created.kind = statusKind(obs.status);
      created.label = confirmed;
      // What the confirm led to, when it is more than "confirmed" (a customer step, a decline).
      created.detail = d.role === 'confirm' && d.label !== (via ? `Confirmed with ${via}` : 'Confirmed') ? d.label : null;
      // It is the confirm too: the server's attempt for it is not added again.
      created.role = 'confirm';
      prev = { status: obs.status, received: obs.amount_received ?? 0, nextType: obs.next_action_type ?? null };
      continue;
    }
    const received = obs.amount_received ?? 0;
    const nextType = obs.next_action_type ?? null;
    const unchanged = obs.status === prev.status && received <= prev.received && nextType === prev.nextType;
    if (unchanged && obs.cause !== 'capture') continue;
    if (unchanged && obs.cause === 'capture' && obs.amount_to_capture === undefined) continue;
    const d = describe(prev, obs, obs.method ?? method, currency);
    const s = step(seq++, d.role, obs.at, obs.status, d.label, 'history', d.detail);
    if (d.captured !== undefined) s.captured = d.captured;
    if (READ_CAUSES.has(obs.cause)) s.read = true;
    steps.push(s);
    prev = { status: obs.status, received: Math.max(received, prev.received), nextType };
  }

  // 2. Attempts: a confirm that the history does not show (made elsewhere, or before the history).
  const hasCaptures = captures.length > 0;
  const sortedAttempts = [...attempts].sort((a, b) => (ms(a.created_at) - ms(b.created_at)) || 0);
  const confirmSteps = steps.filter((s) => s.role === 'confirm');
  if (confirmSteps.length === 0) {
    for (const a of sortedAttempts) {
      if (a.status === 'started') continue;
      const status = statusAfterAttempt(a, payment, hasCaptures);
      const via = a.payment_method === payment.payment_method || !a.payment_method ? method : a.payment_method;
      const confirmed = via ? `Confirmed with ${via}` : 'Confirmed';
      const failed = status === 'failed';
      const pending = status === 'requires_customer_action';
      const label = failed
        ? failureLabel(a.error_code, a.error_message)
        : pending
          ? `Customer action required: ${payment.next_action?.type ?? 'authentication'}`
          : confirmed;
      steps.push(step(seq++, 'confirm', a.created_at, status, label, 'attempt', failed || pending ? confirmed : null));
    }
  } else if (sortedAttempts.length) {
    // A confirm the history only saw by reading the payment later: the server knows when it was made.
    for (const [i, s] of confirmSteps.entries()) {
      const a = sortedAttempts[i];
      if (a && s.read && Number.isFinite(ms(a.created_at))) {
        s.at = a.created_at!;
        s.source = 'attempt';
      }
    }
  }
  // The current status, seen by a read: it was reached at modified_at (if that is in between).
  const lastHistory = [...steps].reverse().find((s) => s.source === 'history');
  if (lastHistory?.read && lastHistory.status === payment.status && payment.modified_at) {
    const modified = Date.parse(payment.modified_at);
    const before = steps.filter((s) => s !== lastHistory && s.at).map((s) => Date.parse(s.at!)).filter(Number.isFinite);
    if (Number.isFinite(modified) && modified <= Date.parse(lastHistory.at ?? '') && before.every((t) => t <= modified)) {
      lastHistory.at = payment.modified_at;
    }
  }

  // 3. Captures: match the history's capture steps by amount, in order; add those it lacks. A real
  //    server's captures have no time: they come in capture_sequence order, each after the last
  //    known step before it (the authorisation, or the capture before it that the history has).
  const historyCaptures = steps.filter((s) => s.role === 'capture');
  const unmatched = [...historyCaptures];
  const sortedCaptures = sortCaptures(captures);
  const authorisedAt = Math.max(-Infinity, ...steps.filter((s) => s.role === 'confirm' || s.role === 'created').map((s) => ms(s.at)).filter(Number.isFinite));
  let anchor = authorisedAt;
  const added: Step[] = [];
  for (const c of sortedCaptures) {
    const i = unmatched.findIndex((s) => s.captured === c.amount);
    if (i >= 0) {
      const [matched] = unmatched.splice(i, 1);
      if (Number.isFinite(ms(matched!.at))) anchor = Math.max(anchor, ms(matched!.at));
      continue;
    }
    const at = Number.isFinite(ms(c.created_at)) ? c.created_at! : null;
    const s = step(seq++, 'capture', at, null, `Captured ${formatMoney(c.amount, currency)}`, 'capture',
      c.status && c.status !== 'charged' ? `Capture ${c.status}` : null);
    s.captured = c.amount;
    if (at === null && Number.isFinite(anchor)) s.sortAt = anchor;
    if (at !== null) anchor = Math.max(anchor, ms(at));
    added.push(s);
  }
  if (added.length) {
    // Statuses of the added captures: each leaves some amount capturable, except what is now the last.
    const lastHistoryCapture = historyCaptures[historyCaptures.length - 1];
    const lastCaptureIsAdded = !lastHistoryCapture || !(sortKey(lastHistoryCapture) > sortKey(added[added.length - 1]!));
    for (const [i, s] of added.entries()) {
      const isLast = i === added.length - 1 && lastCaptureIsAdded;
      const st = isLast && AFTER_CAPTURE.includes(payment.status) ? payment.status : 'partially_captured_and_capturable';
      s.status = st;
      s.statusLabel = statusLabel(st);
      s.kind = statusKind(st);
    }
    steps.push(...added);
  }

  // 4. Refunds, as the payment lists them (each one step, its status as it is now).
  for (const r of payment.refunds ?? []) steps.push(refundStep(seq++, r, currency));

  // Oldest first; the creation always first. A step without a time sorts where its hint says, or
  // right after the step before it; steps of equal time keep their order.
  const rest = steps.slice(1);
  let previous = sortKey(created);
  const keys = new Map<Step, number>();
  for (const s of rest) {
    const k = sortKey(s);
    previous = Number.isFinite(k) ? k : previous;
    keys.set(s, previous);
  }
  const sorted = rest.sort((a, b) => {
    // History steps keep their own order among themselves (one clock, the order things happened).
    if (a.source === 'history' && b.source === 'history') return a.seq - b.seq;
    const ka = keys.get(a)!;
    const kb = keys.get(b)!;
    if (ka === kb || !Number.isFinite(ka - kb)) return a.seq - b.seq;
    return ka - kb;
  });
  const out: Step[] = [created, ...sorted];

  // 5. The payment's current status, if no source reached it (seen for the first time, or moved
  //    elsewhere since the last step we know of).
  const last = [...out].reverse().find((s) => s.status !== null && s.source !== 'refund');
  if (!last || last.status !== payment.status) {
    const prevSeen: Seen = {
      status: last?.status ?? null,
      received: out.reduce((sum, s) => sum + (s.role === 'capture' ? (s.captured ?? 0) : 0), 0),
      nextType: null,
    };
    const obs: PaymentObservation = {
      at: payment.modified_at ?? payment.created,
      cause: 'retrieve',
      status: payment.status,
      amount_received: payment.amount_received,
      error_code: payment.error_code,
      error_message: payment.error_message,
      cancellation_reason: payment.cancellation_reason,
      next_action_type: payment.next_action?.type ?? null,
    };
    if (out.length === 1 && INITIAL.has(payment.status)) {
      created.status = payment.status;
      created.statusLabel = statusLabel(payment.status);
      created.kind = statusKind(payment.status);
    } else {
      const d = describe(prevSeen, obs, method, currency);
      const captured = d.role === 'capture' ? d.captured : undefined;
      // A capture the server lists is already shown: then this is only the status it led to.
      const s = d.role === 'capture' && captured === undefined
        ? step(seq++, 'other', obs.at, payment.status, statusLabel(payment.status), 'payment')
        : step(seq++, d.role, obs.at, payment.status, d.label, 'payment', d.detail);
      // Before the refunds made after it (a refund leaves the payment's status as it was).
      const at = ms(s.at);
      const i = out.findIndex((x) => x.source === 'refund' && !(sortKey(x) <= at));
      out.splice(i < 0 ? out.length : i, 0, s);
    }
  }

  return out.map(({ role: _role, captured: _captured, seq: _seq, read: _read, sortAt: _sortAt, ...entry }) => entry);
}

/** A refund's status as the timeline and the Refunds section show it: "Pending", "Succeeded", "Failed". */
export function refundStatusLabel(status: string): string {
  return status ? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, ' ') : status;
}

/** A refund's status as a kind (its colour): succeeded, failed, or still waiting. */
export function refundKind(status: string): TimelineEntry['kind'] {
  return status === 'succeeded' ? 'success' : status === 'failed' ? 'failed' : status === 'pending' || status === 'review' ? 'waiting' : 'unknown';
}

/** A refund as a timeline step: "Refunded 12.00 USD", "Refund of 12.00 USD pending", "Refund of 12.00 USD failed: refund_failed — …". */
function refundStep(seq: number, r: { amount: number; currency?: string; status: string; reason?: string | null; error_code?: string | null; error_message?: string | null; created_at?: string | null; updated_at?: string | null }, currency: string): Step {
  const money = formatMoney(r.amount, r.currency ?? currency);
  const why = [r.error_code, r.error_message].filter(Boolean).join(' — ');
  const label = r.status === 'succeeded' ? `Refunded ${money}` : r.status === 'failed' ? `Refund of ${money} failed${why ? `: ${why}` : ''}` : `Refund of ${money} ${r.status}`;
  const s = step(seq, 'other', r.created_at, r.status, label, 'refund', r.reason ? `Reason: ${r.reason}` : null);
  s.statusLabel = refundStatusLabel(r.status);
  s.kind = refundKind(r.status);
  return s;
}

/** Epoch ms of an ISO time; NaN when absent or unreadable. */
function ms(iso: string | null | undefined): number {
  return iso ? Date.parse(iso) : NaN;
}

/** Where a step sorts: its time, or its hint; NaN when neither is known. */
function sortKey(s: Step): number {
  const t = ms(s.at);
  return Number.isFinite(t) ? t : (s.sortAt ?? NaN);
}

/** Captures in the order they were made: by time when both have one, else by capture_sequence, else as listed. */
function sortCaptures(captures: readonly TimelineCapture[]): TimelineCapture[] {
  return captures
    .map((c, i) => ({ c, i }))
    .sort((a, b) => {
      const ta = ms(a.c.created_at);
      const tb = ms(b.c.created_at);
      if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta - tb;
      const sa = a.c.capture_sequence;
      const sb = b.c.capture_sequence;
      if (typeof sa === 'number' && typeof sb === 'number' && sa !== sb) return sa - sb;
      return a.i - b.i;
    })
    .map(({ c }) => c);
}
