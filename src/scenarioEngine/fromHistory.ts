/**
 * "New Scenario from Payment": a scenario that reproduces a payment's story from what the extension
 * saw of it (its history, the timeline's source): each action it took becomes a step followed by an
 * `expect` of the state it answered, and a change seen by a read becomes a `wait`. Card numbers are
 * never in a history (only "card •••• 4242"): a test card with those last four digits stands in, and
 * when none has them, Visa 4242 does and the description says so. Pure: imports the domain.
 */
import { REFUND_TEST_CARDS, TEST_CARDS } from '../domain/cards';
import type { PaymentObservation } from '../model/history';
import { SCENARIO_SUFFIX } from '../domain/scenarioFiles';

/** The fields of a payment answer used here (any payment has them). */
export interface PaymentFacts {
  payment_id: string;
  status: string;
  amount: number;
  currency: string;
  capture_method?: string | null;
  authentication_type?: string | null;
  description?: string | null;
  customer_id?: string | null;
  payment_method?: string | null;
  payment_method_type?: string | null;
  payment_method_data?: { card?: { last4?: string | null } | null } | null;
  cancellation_reason?: string | null;
  error_code?: string | null;
  next_action?: { type?: string } | null;
  amount_capturable?: number | null;
  amount_received?: number | null;
  /** Its refunds, oldest first (as the payment lists them). */
  refunds?: readonly { amount: number; status: string; error_code?: string | null }[] | null;
}

type State = Pick<PaymentObservation, 'status' | 'error_code' | 'next_action_type' | 'amount_capturable' | 'amount_received'>;

const INITIAL = new Set(['requires_payment_method', 'requires_confirmation']);
const READS = new Set(['retrieve', 'list', 'poll']);

interface Built {
  steps: Record<string, unknown>[];
  notes: string[];
}

/** The confirm fields for a method as the history names it ("card •••• 4242", "bank_transfer/ach"). */
function methodFields(method: string | undefined, facts: PaymentFacts, notes: string[], statusAfter?: string): Record<string, unknown> {
  const m = method ?? describeFacts(facts);
  if (!m) {
    notes.push('the method used is not known: Visa 4242 stands in');
    return { card: '4242424242424242' };
  }
  const last4 = /^card\s+•+\s*(\d{4})$/.exec(m)?.[1];
  if (last4 || m === 'card' || m.startsWith('card (')) {
    const candidates = last4 ? TEST_CARDS.filter((c) => c.number.endsWith(last4)) : [];
    const pick =
      candidates.find((c) => statusAfter === undefined || fits(c.outcome.kind, statusAfter)) ?? candidates[0];
    if (pick) return { card: pick.number };
    // A refund test card (authorised like any other; its refunds settle later).
    const refundCard = last4 ? REFUND_TEST_CARDS.find((c) => c.number.endsWith(last4)) : undefined;
    if (refundCard) return { card: refundCard.number };
    notes.push(`the card ${last4 ? `•••• ${last4}` : 'used'} is not a test card: Visa 4242 stands in`);
    return { card: '4242424242424242' };
  }
  const [pm, pmt] = m.split('/');
  return pmt ? { payment_method: pm, payment_method_type: pmt } : { payment_method: pm };
}

function fits(kind: string, status: string): boolean {
  if (kind === 'declined') return status === 'failed';
  if (kind === 'three_ds_redirect' || kind === 'three_ds_invoke') return status === 'requires_customer_action';
  if (kind === 'processing') return status === 'processing';
  return status === 'succeeded' || status === 'requires_capture';
}

function describeFacts(f: PaymentFacts): string | undefined {
  const last4 = f.payment_method_data?.card?.last4;
  if (last4) return `card •••• ${last4}`;
  if (f.payment_method && f.payment_method_type) return f.payment_method === 'card' ? `card (${f.payment_method_type})` : `${f.payment_method}/${f.payment_method_type}`;
  return f.payment_method ?? undefined;
}

/** The `expect` of a state: its status and what matters in it. */
function expectOf(s: State): Record<string, unknown> {
  const e: Record<string, unknown> = { status: s.status };
  if (s.status === 'failed' && s.error_code) e.error_code = s.error_code;
  if (s.next_action_type) e['next_action.type'] = s.next_action_type;
  if ((s.status === 'requires_capture' || s.status === 'partially_captured_and_capturable') && typeof s.amount_capturable === 'number') {
    e.amount_capturable = s.amount_capturable;
  }
  if ((s.status === 'succeeded' || s.status === 'partially_captured' || s.status === 'partially_captured_and_capturable') && typeof s.amount_received === 'number') {
    e.amount_received = s.amount_received;
  }
  return { expect: e };
}

function createFields(f: PaymentFacts): Record<string, unknown> {
  const c: Record<string, unknown> = { amount: f.amount, currency: f.currency };
  if (f.capture_method && f.capture_method !== 'automatic') c.capture_method = f.capture_method;
  if (f.authentication_type === 'three_ds') c.authentication_type = 'three_ds';
  if (f.customer_id) c.customer_id = f.customer_id;
  if (f.description) c.description = f.description;
  return c;
}

function build(facts: PaymentFacts, history: readonly PaymentObservation[]): Built {
  const notes: string[] = [];
  const steps: Record<string, unknown>[] = [];
  const create = createFields(facts);
  let seen: string | undefined;
  const first = history[0];
  if (first && first.cause === 'create') {
    if (!INITIAL.has(first.status)) {
      Object.assign(create, methodFields(first.method, facts, notes, first.status), { confirm: true });
    } else if (first.status === 'requires_confirmation') {
      Object.assign(create, methodFields(first.method, facts, notes));
    }
    steps.push({ create }, expectOf(first));
    seen = first.status;
  } else {
    // Made elsewhere (or before the history was kept): start from a new payment like it.
    notes.push('the payment was not created from this window: the story starts from a new payment like it');
    steps.push({ create }, { expect: { status: 'requires_payment_method' } });
    seen = 'requires_payment_method';
    if (!first) {
      const s: State = { status: facts.status, error_code: facts.error_code, next_action_type: facts.next_action?.type ?? null, amount_capturable: facts.amount_capturable, amount_received: facts.amount_received };
      if (!INITIAL.has(facts.status) && facts.status !== 'cancelled' && facts.status !== 'expired') {
        steps.push({ confirm: methodFields(undefined, facts, notes, facts.status) }, expectOf(s));
      } else if (facts.status === 'cancelled') {
        steps.push({ cancel: facts.cancellation_reason ? { cancellation_reason: facts.cancellation_reason } : {} }, expectOf(s));
      }
      return { steps, notes };
    }
  }
  let refunds = 0;
  for (const obs of history.slice(first && first.cause === 'create' ? 1 : 0)) {
    if (READS.has(obs.cause)) {
      if (obs.status === seen) continue;
      steps.push({ wait: { status: obs.status, timeout_s: 30 } }, expectOf(obs));
    } else if (obs.cause === 'confirm') {
      steps.push({ confirm: methodFields(obs.method, facts, notes, obs.status) }, expectOf(obs));
    } else if (obs.cause === 'capture') {
      steps.push({ capture: obs.amount_to_capture !== undefined ? { amount_to_capture: obs.amount_to_capture } : {} }, expectOf(obs));
    } else if (obs.cause === 'cancel') {
      steps.push({ cancel: obs.cancellation_reason ? { cancellation_reason: obs.cancellation_reason } : {} }, expectOf(obs));
    } else if (obs.cause === 'refund') {
      steps.push({ refund: { ...(obs.refund_amount !== undefined ? { amount: obs.refund_amount } : {}), ...(obs.refund_reason ? { reason: obs.refund_reason } : {}) } });
      // How that refund ended, as the payment lists it now (the n-th refund is the n-th listed).
      const r = facts.refunds?.[refunds++];
      if (r && (r.status === 'succeeded' || r.status === 'failed') && (obs.refund_amount === undefined || r.amount === obs.refund_amount)) {
        steps.push({ wait: { refund_status: r.status, timeout_s: 30 } }, { expect: { 'refund.amount': r.amount, 'refund.status': r.status, ...(r.error_code ? { 'refund.error_code': r.error_code } : {}) } });
      } else if (obs.refund_amount !== undefined) steps.push({ expect: { 'refund.amount': obs.refund_amount } });
    } else if (obs.cause === 'simulate') {
      steps.push({ simulate: obs.status === 'failed' ? 'fail' : obs.status === 'expired' ? 'expire' : 'succeed' }, expectOf(obs));
    } else if (obs.cause === 'create') {
      continue; // a second create answer for the same id (a retried create): nothing new
    }
    seen = obs.status;
  }
  return { steps, notes };
}

/** The scenario (as a JSON value) reproducing the payment's history. */
export function scenarioFromHistory(facts: PaymentFacts, history: readonly PaymentObservation[]): Record<string, unknown> {
  const { steps, notes } = build(facts, history);
  const usesSimulate = steps.some((s) => 'simulate' in s);
  const out: Record<string, unknown> = {
    name: `${facts.description || 'payment'} (from ${facts.payment_id})`,
    description: `Reproduces ${facts.payment_id} as this window saw it${notes.length ? `; ${[...new Set(notes)].join('; ')}` : ''}.`,
  };
  if (usesSimulate) out.environment = 'local';
  out.steps = steps;
  return out;
}

/** JSON text with one step per line, as people write them. */
export function formatScenarioJson(scenario: Record<string, unknown>, schemaRef?: string): string {
  const head: string[] = [];
  if (schemaRef) head.push(`  "$schema": ${JSON.stringify(schemaRef)}`);
  for (const [k, v] of Object.entries(scenario)) {
    if (k === 'steps') continue;
    head.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  }
  const steps = (scenario.steps as unknown[]).map((s) => `    ${inlineJson(s)}`);
  return `{\n${[...head, `  "steps": [\n${steps.join(',\n')}\n  ]`].join(',\n')}\n}\n`;
}

/** JSON on one line with a space after each ":" and ",", and inside non-empty braces. */
export function inlineJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inlineJson).join(', ')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return entries.length ? `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inlineJson(x)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * A file name for a payment's scenario: "order-1001-pay_abc12345.perfectpay.json", from the id the
 * person asked for (never a server's answer) and the description. Only `[a-z0-9_-]` of either is
 * kept: no separator, no `..`, nothing that names another folder.
 */
export function scenarioFileName(paymentId: string, description?: string | null): string {
  const slug = (description ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  const id = paymentId.toLowerCase().replace(/[^a-z0-9_-]/g, '').slice(0, 16) || 'payment';
  return `${slug ? `${slug}-` : ''}${id}${SCENARIO_SUFFIX}`;
}

/** Whether `child` (a path with `/` separators) is strictly inside the folder `dir`. */
export function isInsideFolder(dir: string, child: string): boolean {
  const base = dir.endsWith('/') ? dir : `${dir}/`;
  return child.startsWith(base) && !child.slice(base.length).split('/').some((part) => part === '..' || part === '.' || part === '');
}
