/**
 * What each agent tool does, over an AgentPort: reads answered as short text, actions checked first
 * against the environment (agents act on the local sandbox only, unless the person allowed more) and
 * against the status table of src/domain/status.ts (a refusal says why and what is allowed now).
 * Every answer is one line of what happened, then the fields that matter, redacted (never a key, a
 * client_secret or a full card number), ending with the payment's link. No `vscode`.
 */
import type { ConfirmPaymentRequest, CreatePaymentRequest, EventListConstraints, Payment, PaymentListFilter, Refund } from '../api/schemas';
import { cardFields, TEST_CARDS, TEST_METHODS } from '../domain/cards';
import { formatMoney } from '../domain/money';
import { amountToCaptureAll } from '../domain/payment';
import { redactText } from '../domain/redact';
import { allowedActions, canDo, isKnownStatus, simulateOutcomes, STATUS_INFO, type PaymentAction, type SimulateOutcome } from '../domain/status';
import { checkInput, methodName, toolDefinition } from './definitions';
import type { AgentEnvironment, AgentPort } from './port';

export interface ToolAnswer {
  text: string;
  /** A refusal or a failure (MCP's isError). */
  isError: boolean;
}

type Input = Record<string, unknown>;

const ok = (text: string): ToolAnswer => ({ text, isError: false });
const refused = (text: string): ToolAnswer => ({ text: `Refused: ${text}`, isError: true });

/** The confirm fields of a test card or method by name, or undefined for an unknown name. */
export function methodRequest(name: string): ConfirmPaymentRequest | undefined {
  const card = TEST_CARDS.find((c) => methodName(c) === name);
  if (card) return cardFields({ card_number: card.number }) as ConfirmPaymentRequest;
  const m = TEST_METHODS.find((x) => methodName(x) === name);
  return m ? { payment_method: m.payment_method, payment_method_type: m.payment_method_type } : undefined;
}

function methodLabel(name: string): string {
  return [...TEST_CARDS.map((c) => [methodName(c), c.label] as const), ...TEST_METHODS.map((m) => [methodName(m), m.label] as const)].find(([n]) => n === name)?.[1] ?? name;
}

const where = (env: AgentEnvironment): string => (env.baseUrl && !env.label.includes(env.baseUrl) ? `${env.label} (${env.baseUrl})` : env.label);

/** The action a tool takes on an existing payment, if it is one. */
const ACTION_OF: Readonly<Record<string, PaymentAction>> = {
  perfectpay_confirm_payment: 'confirm',
  perfectpay_capture_payment: 'capture',
  perfectpay_cancel_payment: 'cancel',
  perfectpay_refund_payment: 'refund',
  perfectpay_simulate_customer_action: 'simulate',
};

/**
 * What a call will send, and where, for the person to confirm before it runs (VS Code's
 * `prepareInvocation`); undefined for a read. `known`: the payment as last seen, for its currency.
 */
export function describeCall(name: string, input: Input, env: AgentEnvironment, known?: Payment): string | undefined {
  const def = toolDefinition(name);
  if (!def || def.readOnly) return undefined;
  const id = String(input.payment_id ?? '');
  const money = (n: unknown) => (typeof n !== 'number' ? undefined : known ? formatMoney(n, known.currency) : `${n} (minor units)`);
  const on = `on ${where(env)}`;
  switch (name) {
    case 'perfectpay_create_payment': {
      const amount = typeof input.amount === 'number' ? formatMoney(input.amount, String(input.currency ?? '')) : '?';
      const method = typeof input.payment_method === 'string' ? `, confirmed at once with ${methodLabel(input.payment_method)}` : '';
      return `Create a payment of ${amount} (capture ${String(input.capture_method ?? 'automatic')})${method}, ${on}.`;
    }
    case 'perfectpay_confirm_payment':
      return `Confirm ${id} with ${methodLabel(String(input.payment_method ?? ''))}, ${on}.`;
    case 'perfectpay_capture_payment':
      return `Capture ${money(input.amount) ?? 'all that is capturable'} of ${id}, ${on}.`;
    case 'perfectpay_cancel_payment':
      return `Cancel ${id}${input.cancellation_reason ? ` (${String(input.cancellation_reason)})` : ''}, ${on}.`;
    case 'perfectpay_refund_payment':
      return `Refund ${money(input.amount) ?? 'all that is left to refund'} of ${id}, ${on}.`;
    case 'perfectpay_simulate_customer_action':
      return `Simulate the customer's step of ${id}: ${String(input.outcome ?? '')}, ${on}.`;
    case 'perfectpay_run_scenario':
      return `Run the scenario ${String(input.path ?? '')} ${on}: it creates and acts on payments.`;
    default:
      return `${def.title} ${on}.`;
  }
}

/** Runs one tool. Never throws for a refusal, bad input or an API error: the model reads why. */
export async function runTool(port: AgentPort, name: string, input: unknown, signal?: AbortSignal): Promise<ToolAnswer> {
  const def = toolDefinition(name);
  if (!def) return refused(`there is no tool named ${name}.`);
  const args = (input ?? {}) as Input;
  const bad = checkInput(def.inputSchema, args);
  if (bad) return refused(`${bad}`);
  const secrets = port.secrets();
  const env = port.environment();
  if (!def.readOnly && !env.actionsAllowed) {
    return refused(`agents act only on the local sandbox, and the current environment is ${where(env)}. ${env.allowHint}`);
  }
  try {
    const answer = await run(port, name, args, env, signal);
    return { text: redactText(answer.text, secrets), isError: answer.isError };
  } catch (e) {
    const o = (e ?? {}) as { message?: unknown; code?: unknown };
    const message = typeof o.message === 'string' ? o.message : String(e);
    return { text: redactText(`Failed: ${message}${typeof o.code === 'string' ? ` (${o.code})` : ''}`, secrets), isError: true };
  }
}

async function run(port: AgentPort, name: string, a: Input, env: AgentEnvironment, signal?: AbortSignal): Promise<ToolAnswer> {
  const id = a.payment_id as string;
  const link = (p: Payment) => `Inspector: ${port.link(p.payment_id)}`;
  const answer = (line: string, p: Payment, extra: string[] = []) => ok([line, ...fields(p), ...extra, link(p)].join('\n'));
  switch (name) {
    case 'perfectpay_list_payments': {
      const list = await port.list(listFilter(a), signal);
      const lines = list.data.map((p) => `- ${p.payment_id}  ${p.status}  ${formatMoney(p.amount, p.currency)}  ${clean(p.created ?? '')}`);
      return ok([`${list.data.length} of ${list.total_count} matching payments on ${env.label}:`, ...lines].join('\n'));
    }
    case 'perfectpay_list_events': {
      const limit = (a.limit as number | undefined) ?? 20;
      const base: EventListConstraints = {
        limit,
        ...(a.event_types ? { event_types: a.event_types as string[] } : {}),
        ...(a.undelivered_only ? { is_delivered: false } : {}),
      };
      // A payment's events are about it or about one of its refunds (each event names its own object).
      const objects = id ? [id, ...(await port.refunds(id, signal)).map((r) => r.refund_id)] : [undefined];
      const lists = await Promise.all(objects.map((o) => port.events(o ? { ...base, object_id: o } : base, signal)));
      const events = lists.flatMap((l) => l.events).sort((x, y) => y.created.localeCompare(x.created)).slice(0, limit);
      const total = lists.reduce((n, l) => n + l.total_count, 0);
      const delivery = (d: boolean | null | undefined): string => (d === true ? 'delivered' : d === false ? 'not delivered (failing)' : 'not sent (no webhook URL)');
      const lines = events.map((e) => `- ${clean(e.event_type)}  ${clean(e.object_id)}  ${delivery(e.is_delivery_successful)}  ${clean(e.created)}  (${clean(e.event_id)})`);
      return ok([`${events.length} of ${total} webhook events${id ? ` about ${id} and its refunds` : ''} on ${env.label}:`, ...lines].join('\n'));
    }
    case 'perfectpay_get_payment': {
      const [p, refunds] = await Promise.all([port.retrieve(id, signal), port.refunds(id, signal)]);
      return answer(`${p.payment_id} is ${p.status}.`, p, [...attemptLines(p), ...captureLines(p), ...refundLines(refunds, p.currency)]);
    }
    case 'perfectpay_explain_payment': {
      const [p, refunds] = await Promise.all([port.retrieve(id, signal), port.refunds(id, signal)]);
      return ok([...explain(p, refunds, port, env), link(p)].join('\n'));
    }
    case 'perfectpay_create_payment': {
      const method = typeof a.payment_method === 'string' ? methodRequest(a.payment_method) : undefined;
      const request: CreatePaymentRequest = {
        amount: a.amount as number,
        currency: a.currency as string,
        ...(a.capture_method ? { capture_method: a.capture_method as CreatePaymentRequest['capture_method'] } : {}),
        ...(a.description ? { description: a.description as string } : {}),
        ...(a.customer_id ? { customer_id: a.customer_id as string } : {}),
        ...(method ? { ...method, confirm: true } : {}),
      } as CreatePaymentRequest;
      const p = await port.create(request, signal);
      return answer(`Created ${p.payment_id}${method ? ` and confirmed it with ${methodLabel(a.payment_method as string)}` : ''}: it is ${p.status}.`, p, nextLine(p));
    }
    default:
      return act(port, name, a, env, signal, answer);
  }
}

async function act(port: AgentPort, name: string, a: Input, env: AgentEnvironment, signal: AbortSignal | undefined, answer: (line: string, p: Payment, extra?: string[]) => ToolAnswer): Promise<ToolAnswer> {
  if (name === 'perfectpay_run_scenario') return scenario(port, a.path as string, env, signal);
  const action = ACTION_OF[name]!;
  const id = a.payment_id as string;
  // Fresh: the status decides, as it is now.
  const before = await port.retrieve(id, signal);
  const why = refusal(action, before, a, env);
  if (why) return refused(`${why}\nInspector: ${port.link(id)}`);
  switch (action) {
    case 'confirm': {
      const p = await port.confirm(id, methodRequest(a.payment_method as string)!, signal);
      return answer(`Confirmed ${id} with ${methodLabel(a.payment_method as string)}: it is ${p.status}.`, p, nextLine(p));
    }
    case 'capture': {
      const amount = typeof a.amount === 'number' ? a.amount : amountToCaptureAll(before);
      const p = await port.capture(id, amount, signal);
      return answer(`Captured ${formatMoney(amount, p.currency)} of ${id}: it is ${p.status}.`, p, nextLine(p));
    }
    case 'cancel': {
      const p = await port.cancel(id, a.cancellation_reason as string | undefined, signal);
      return answer(`Cancelled ${id}: it is ${p.status}.`, p);
    }
    case 'refund': {
      const refunds = await port.refunds(id, signal);
      const left = refundable(before, refunds);
      const amount = typeof a.amount === 'number' ? a.amount : left;
      if (amount <= 0) return refused(`nothing is left to refund of ${id}: ${formatMoney(before.amount_received ?? 0, before.currency)} was received and all of it is refunded or being refunded.`);
      if (amount > left) return refused(`${formatMoney(amount, before.currency)} is more than is left to refund of ${id} (${formatMoney(left, before.currency)}).`);
      const r = await port.refund(id, { amount, ...(a.reason ? { reason: a.reason as string } : {}) }, signal);
      const p = await port.retrieve(id, signal);
      return answer(`Refund ${r.refund_id} of ${formatMoney(r.amount, r.currency)} for ${id}: ${r.status}.`, p, refundLines([r, ...refunds], p.currency));
    }
    case 'simulate': {
      const p = await port.simulate(id, a.outcome as SimulateOutcome, signal);
      return answer(`Simulated the customer's step of ${id} (${String(a.outcome)}): it is ${p.status}.`, p, nextLine(p));
    }
  }
}

/** Why the action may not run on this payment now, or undefined. */
function refusal(action: PaymentAction, p: Payment, a: Input, env: AgentEnvironment): string | undefined {
  const verb: Record<PaymentAction, string> = { confirm: 'confirmed', capture: 'captured', cancel: 'cancelled', refund: 'refunded', simulate: "moved by a simulated customer's step" };
  const why = () => {
    const info = isKnownStatus(p.status) ? STATUS_INFO[p.status] : undefined;
    const allowed = actionsNow(p.status);
    const error = p.error_code ? ` Error: ${clean(p.error_code)}${p.error_message ? ` — ${clean(p.error_message).replace(/\.$/, '')}` : ''}.` : '';
    const meaning = info ? info.meaning : 'A status this tool does not know: it acts on none.';
    return `${p.payment_id} cannot be ${verb[action]}: it is ${p.status}. ${meaning}${error} Allowed now: ${allowed.length ? allowed.join(', ') : 'nothing'}.${info ? ` Next: ${info.next}` : ''}`;
  };
  if (action === 'simulate') {
    if (!env.supportsSimulate) return `simulating the customer's step works only on the local sandbox; the current environment is ${where(env)}.`;
    const outcomes = simulateOutcomes(p.status);
    if (!outcomes.includes(a.outcome as SimulateOutcome)) {
      return outcomes.length ? `${p.payment_id} is ${p.status}: the customer's step can only ${outcomes.join(' or ')} now.` : why();
    }
    return undefined;
  }
  if (!canDo(action, p.status)) return why();
  if (action === 'capture') {
    const capturable = p.amount_capturable ?? 0;
    if (capturable <= 0) return `${p.payment_id} has nothing left to capture.`;
    if (typeof a.amount === 'number' && a.amount > capturable) {
      return `${formatMoney(a.amount, p.currency)} is more than the capturable ${formatMoney(capturable, p.currency)} of ${p.payment_id}.`;
    }
  }
  return undefined;
}

function actionsNow(status: string): PaymentAction[] {
  return [...allowedActions(status), ...(canDo('refund', status) ? (['refund'] as const) : [])];
}

/** What is left to refund: what was received, less the refunds that did not fail. */
function refundable(p: Payment, refunds: readonly Refund[]): number {
  const refunded = refunds.filter((r) => r.status !== 'failed').reduce((n, r) => n + r.amount, 0);
  return Math.max(0, (p.amount_received ?? 0) - refunded);
}

/** Server text, on one line and bounded (it is the model's input, shown to a person too). */
function clean(v: unknown): string {
  const s = String(v).replace(/\s+/g, ' ').trim();
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

/** The fields of a payment that matter, as "name: value" lines. */
function fields(p: Payment): string[] {
  const money = (n: number | null | undefined) => formatMoney(n ?? 0, p.currency);
  const card = p.payment_method_data?.card;
  const method = [p.payment_method, p.payment_method_type].filter(Boolean).join(' / ');
  const lines: Array<[string, unknown]> = [
    ['payment_id', p.payment_id],
    ['status', p.status],
    ['amount', money(p.amount)],
    ['captured (amount_received)', money(p.amount_received)],
    ['capturable (amount_capturable)', money(p.amount_capturable)],
    ['capture_method', p.capture_method],
    ['method', method ? `${method}${card?.last4 ? ` (${card.card_network ?? 'card'} •••• ${card.last4})` : ''}` : null],
    ['next_action', p.next_action?.type],
    ['error', p.error_code ? `${p.error_code}${p.error_message ? ` — ${p.error_message}` : ''}` : null],
    ['cancellation_reason', p.cancellation_reason],
    ['customer_id', p.customer_id],
    ['description', p.description],
    ['created', p.created],
  ];
  return lines.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => `${k}: ${clean(v)}`);
}

function nextLine(p: Payment): string[] {
  if (!isKnownStatus(p.status)) return [];
  const allowed = actionsNow(p.status);
  return [`next: ${STATUS_INFO[p.status].next}`, `allowed now: ${allowed.length ? allowed.join(', ') : 'nothing'}`];
}

function attemptLines(p: Payment): string[] {
  const a = p.attempts ?? [];
  return a.length ? [`attempts: ${a.map((x) => `${x.status}${x.error_code ? ` (${clean(x.error_code)})` : ''}`).join(', ')}`] : [];
}

function captureLines(p: Payment): string[] {
  const c = p.captures ?? [];
  return c.length ? [`captures: ${c.map((x) => `${formatMoney(x.amount, x.currency ?? p.currency)} ${x.status}`).join(', ')}`] : [];
}

function refundLines(refunds: readonly Refund[], currency: string): string[] {
  return refunds.length ? [`refunds: ${refunds.map((r) => `${r.refund_id} ${formatMoney(r.amount, r.currency || currency)} ${r.status}`).join(', ')}`] : [];
}

function explain(p: Payment, refunds: readonly Refund[], port: AgentPort, env: AgentEnvironment): string[] {
  const known = isKnownStatus(p.status) ? STATUS_INFO[p.status] : undefined;
  const money = (n: number | null | undefined) => formatMoney(n ?? 0, p.currency);
  const out = [`${p.payment_id} is ${p.status}: ${known ? known.meaning : 'a status this tool does not know; it takes no action on it.'}`];
  const refunded = refunds.filter((r) => r.status !== 'failed').reduce((n, r) => n + r.amount, 0);
  out.push(
    `Money: ${money(p.amount)} asked; ${money(p.amount_received)} captured; ${money(p.amount_capturable)} left to capture` +
      `${refunds.length ? `; ${formatMoney(refunded, p.currency)} refunded or being refunded` : ''}.`,
  );
  if (p.error_code) out.push(`Error: ${clean(p.error_code)}${p.error_message ? ` — ${clean(p.error_message)}` : ''}`);
  if (p.next_action) out.push(`Waiting for the customer: next_action ${clean(p.next_action.type)}.`);
  if (known) out.push(`Next step: ${known.next}`);
  const allowed = actionsNow(p.status).filter((x) => x !== 'simulate' || env.supportsSimulate);
  out.push(`Allowed now: ${allowed.length ? allowed.join(', ') : 'nothing'}.`);
  out.push('What happened:');
  const history = port.history(p.payment_id);
  for (const o of history) {
    const extra = o.amount_to_capture !== undefined ? ` ${money(o.amount_to_capture)}` : o.method ? ` with ${o.method}` : '';
    const err = o.error_code ? ` (${clean(o.error_code)})` : '';
    out.push(`- ${o.at} ${o.cause}${extra} → ${o.status}${err}`);
  }
  if (!history.length) out.push(`- ${clean(p.created ?? '')} created; now ${p.status}`);
  out.push(...captureLines(p).map((l) => `- ${l}`), ...refundLines(refunds, p.currency).map((l) => `- ${l}`));
  return out;
}

function listFilter(a: Input): PaymentListFilter {
  const f: PaymentListFilter = { limit: (a.limit as number | undefined) ?? 10 };
  if (a.status) f.status = a.status as PaymentListFilter['status'];
  if (a.currency) f.currency = a.currency as string[];
  if (a.payment_method) f.payment_method = a.payment_method as string[];
  if (a.customer_id) f.customer_id = a.customer_id as string;
  if (a.min_amount !== undefined || a.max_amount !== undefined) {
    f.amount_filter = { start_amount: (a.min_amount as number | undefined) ?? null, end_amount: (a.max_amount as number | undefined) ?? null };
  }
  if (a.created_after || a.created_before) {
    f.time_range = { start_time: (a.created_after as string | undefined) ?? '1970-01-01T00:00:00Z', end_time: (a.created_before as string | undefined) ?? null };
  }
  return f;
}

async function scenario(port: AgentPort, path: string, env: AgentEnvironment, signal?: AbortSignal): Promise<ToolAnswer> {
  if (!/\.perfectpay\.json$/i.test(path)) return refused(`${path} is not a scenario file (*.perfectpay.json).`);
  const file = await port.readScenario(path, signal);
  const { parseScenario, formatProblem, runScenario } = port.scenarioEngine();
  const parsed = parseScenario(file.text, { fallbackName: file.name });
  if (!parsed.ok) return refused(`${path} is not a valid scenario:\n${parsed.problems.map((p) => `- ${formatProblem(p)}`).join('\n')}`);
  const result = await runScenario(parsed.scenario, port.scenarioPort(), {
    environment: { kind: env.kind, label: env.label, supportsSimulate: env.supportsSimulate },
    signal,
    secrets: port.secrets(),
  });
  const mark = { passed: '✓', failed: '✗', skipped: '-' } as const;
  const lines = [
    `Scenario "${result.name}" ${result.outcome} (${result.steps.filter((s) => s.outcome === 'passed').length} of ${result.steps.length} steps passed, ${Math.round(result.durationMs)} ms).${result.message ? ` ${clean(result.message)}` : ''}`,
    ...result.steps.map((s) => `${mark[s.outcome]} ${s.label}${s.message ? ` — ${clean(s.message)}` : ''}`),
    ...result.payments.map((id) => `payment ${id}: ${port.link(id)}`),
  ];
  return { text: lines.join('\n'), isError: result.outcome !== 'passed' };
}
