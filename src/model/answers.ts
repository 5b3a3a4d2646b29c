/**
 * The answers the extension saw of a payment, whole (redacted), so that a payment can be compared with
 * itself at an earlier moment of its timeline ("PerfectPay: Compare Payments"). The timeline's own
 * observations (src/model/history.ts) keep only a few fields; these keep the answer as the JSON
 * document shows it. Pure: imports only the domain.
 */
import { redactJson } from '../domain/redact';
import { statusLabel } from '../domain/status';
import type { ObservationCause } from './history';

export interface PaymentAnswer {
  /** When it arrived (ISO 8601): also its key in a `perfectpay:` URI (`?at=`). */
  at: string;
  cause: ObservationCause;
  /** The environment it came from ('local', 'sandbox', 'custom'). */
  environment: string;
  /** The answer, redacted as everywhere else (no client secret, contact data masked). */
  payment: Record<string, unknown>;
}

/** Answers kept per payment: the first one and the most recent ones. */
export const MAX_ANSWERS_PER_PAYMENT = 20;

/** The text of a payment's JSON document: the answer redacted, pretty-printed, ending with a newline. */
export function paymentJsonText(payment: unknown): string {
  return `${JSON.stringify(redactJson(payment), null, 2)}\n`;
}

/** The text of an earlier answer's document (kept redacted already: not redacted twice). */
export function answerJsonText(answer: PaymentAnswer): string {
  return `${JSON.stringify(answer.payment, null, 2)}\n`;
}

/**
 * Adds an answer when it differs from the last one kept (a poll that shows nothing new adds
 * nothing); the first answer is kept when the list is full, as the timeline keeps its first step.
 */
export function appendAnswer(list: readonly PaymentAnswer[], answer: PaymentAnswer, max = MAX_ANSWERS_PER_PAYMENT): PaymentAnswer[] {
  const last = list[list.length - 1];
  if (last && last.environment === answer.environment && sameAnswer(last.payment, answer.payment)) return list as PaymentAnswer[];
  const next = [...list, answer];
  if (next.length > max) next.splice(1, next.length - max);
  return next;
}

/** The same answer apart from when it was made (`modified_at` moves on a read that changed nothing). */
function sameAnswer(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify({ ...a, modified_at: null }) === JSON.stringify({ ...b, modified_at: null });
}

/** The answer to keep: redacted, so that nothing secret is stored or shown. */
export function answerOf(payment: unknown, cause: ObservationCause, environment: string, at: string): PaymentAnswer {
  return { at, cause, environment, payment: redactJson(payment) as Record<string, unknown> };
}

/** "15:04:05 · after capture · Succeeded": how an earlier answer is offered in a pick list. */
export function answerLabel(a: PaymentAnswer): string {
  const d = new Date(a.at);
  const time = Number.isNaN(d.getTime()) ? a.at : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const status = typeof a.payment.status === 'string' ? statusLabel(a.payment.status) : '?';
  return `${time} · ${CAUSE_WORDS[a.cause] ?? a.cause} · ${status}`;
}

const CAUSE_WORDS: Readonly<Record<string, string>> = {
  create: 'after create',
  confirm: 'after confirm',
  capture: 'after capture',
  cancel: 'after cancel',
  simulate: "after the customer's step",
  retrieve: 'read',
  list: 'listed',
  poll: 'polled',
};
