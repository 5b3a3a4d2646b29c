/**
 * What the agent tools need of "payments": a small port that each adapter implements over the thing
 * that makes payments where it runs, the PaymentsService in VS Code (src/agents/index.ts), the
 * PerfectPayClient in `perfectpay mcp` (src/cli/mcp.ts). Types only.
 */
import type { ConfirmPaymentRequest, CreatePaymentRequest, EventList, EventListConstraints, Payment, PaymentListFilter, Refund } from '../api/schemas';
import type { SimulateOutcome } from '../domain/status';
import type { PaymentObservation } from '../model/history';
import type { ScenarioPort } from '../scenarioEngine';

/** What the scenario tool needs of the engine: the adapter hands it in (VS Code loads it apart, as dist/scenarioRuntime.js). */
export type ScenarioRunner = Pick<typeof import('../scenarioEngine'), 'parseScenario' | 'formatProblem' | 'runScenario'>;

export interface AgentEnvironment {
  kind: 'local' | 'sandbox' | 'custom';
  /** "Local sandbox", "PerfectPay sandbox", "Custom (https://…)". */
  label: string;
  baseUrl?: string;
  /** The local sandbox's simulate helper is there. */
  supportsSimulate: boolean;
  /** Agents may act here: always on the local sandbox; elsewhere only when the person allowed it. */
  actionsAllowed: boolean;
  /** What allows agents to act outside the local sandbox (a setting, a flag), named in a refusal. */
  allowHint: string;
}

export interface AgentPort {
  environment(): AgentEnvironment;
  /** `POST /events/{merchant_id}`: the webhook events, newest first, and how many match. */
  events(constraints: EventListConstraints, signal?: AbortSignal): Promise<EventList>;
  /** `POST /payments/list`. */
  list(filter: PaymentListFilter, signal?: AbortSignal): Promise<{ data: Payment[]; total_count: number }>;
  /** The payment now, with its attempts and captures. */
  retrieve(paymentId: string, signal?: AbortSignal): Promise<Payment>;
  refunds(paymentId: string, signal?: AbortSignal): Promise<Refund[]>;
  /** What was seen of the payment, oldest first (may be empty). */
  history(paymentId: string): PaymentObservation[];
  create(request: CreatePaymentRequest, signal?: AbortSignal): Promise<Payment>;
  confirm(paymentId: string, request: ConfirmPaymentRequest, signal?: AbortSignal): Promise<Payment>;
  capture(paymentId: string, amount: number, signal?: AbortSignal): Promise<Payment>;
  cancel(paymentId: string, reason: string | undefined, signal?: AbortSignal): Promise<Payment>;
  refund(paymentId: string, request: { amount: number; reason?: string }, signal?: AbortSignal): Promise<Refund>;
  simulate(paymentId: string, outcome: SimulateOutcome, signal?: AbortSignal): Promise<Payment>;
  /** The scenario runner's port over the same payments. */
  scenarioPort(): ScenarioPort;
  /** The scenario engine's parse and run. */
  scenarioEngine(): ScenarioRunner;
  /** A scenario file's text and its name (the file name). */
  readScenario(path: string, signal?: AbortSignal): Promise<{ text: string; name: string }>;
  /** Where a person sees the payment: VS Code's inspector (`command:` URI), the sandbox's page, or the API path. */
  link(paymentId: string): string;
  /** Strings never to show (the API key), on top of the domain's redaction. */
  secrets(): readonly string[];
}
