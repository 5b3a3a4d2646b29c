/**
 * The payment tools an agent may call: ONE definition of each (name, title, the model's description,
 * its JSON input schema, whether it only reads), used by both adapters: VS Code's language model
 * tools (src/agents, with the same schemas in package.json's `contributes.languageModelTools`, which
 * a unit test compares) and the `perfectpay mcp` server (src/cli/mcp.ts). Pure data: no `vscode`.
 */
import { TEST_CARDS, TEST_METHODS } from '../domain/cards';
import { CANCELLATION_REASONS, CAPTURE_METHODS } from '../domain/payment';
import { EVENT_TYPES } from '../domain/events';
import { PAYMENT_STATUSES, SIMULATE_OUTCOMES } from '../domain/status';

/** A JSON Schema, as much of it as the tools use. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'boolean' | 'array';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
}

export interface ToolDefinition {
  name: string;
  title: string;
  modelDescription: string;
  inputSchema: JsonSchema;
  /** Reads only; the others act on payments (MCP: destructiveHint, VS Code: asks first). */
  readOnly: boolean;
}

/** A test card's name: "card_" + its last four ("card_4242"); a non-card method's: its payment_method_type ("sepa"). */
export function methodName(m: { number: string } | { payment_method_type: string }): string {
  return 'number' in m ? `card_${m.number.slice(-4)}` : m.payment_method_type;
}

export const METHOD_NAMES: readonly string[] = [...TEST_CARDS.map(methodName), ...TEST_METHODS.map(methodName)];

const METHODS_TEXT = [...TEST_CARDS.map((c) => `${methodName(c)} (${c.label})`), ...TEST_METHODS.map((m) => `${methodName(m)} (${m.label})`)].join(', ');

const paymentId: JsonSchema = { type: 'string', description: 'The payment id (pay_…).', pattern: '^pay_[A-Za-z0-9_-]{1,60}$' };
const method: JsonSchema = { type: 'string', description: `The test card or test method, by name: ${METHODS_TEXT}.`, enum: [...METHOD_NAMES] };
const minorUnits = (what: string): JsonSchema => ({ type: 'integer', minimum: 1, description: `${what}, in the currency's minor unit (2000 = 20.00 EUR; JPY has none).` });
const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: 'object', properties, required, additionalProperties: false });

const ENDS_WITH_LINK = 'The answer ends with a link that opens the payment in the PerfectPay inspector: show it to the user.';

export const TOOL_DEFINITIONS: readonly ToolDefinition[] = [
  {
    name: 'perfectpay_list_payments',
    title: 'List PerfectPay payments',
    modelDescription: `Lists payments of the current PerfectPay environment, newest first, filtered on the server: by status, currency, payment method, customer, amount range (minor units) and creation time (ISO 8601). Answers one line per payment (id, status, amount) and the count of every match. Read-only.`,
    inputSchema: obj({
      status: { type: 'array', description: 'Only payments in these statuses.', items: { type: 'string', enum: [...PAYMENT_STATUSES] } },
      currency: { type: 'array', description: 'Only these ISO 4217 currencies (upper-case).', items: { type: 'string', pattern: '^[A-Z]{3}$' } },
      payment_method: { type: 'array', description: 'Only these payment methods (card, bank_transfer, wallet, real_time_payment…).', items: { type: 'string' } },
      customer_id: { type: 'string', description: 'Only this customer\'s payments.' },
      min_amount: { type: 'integer', minimum: 0, description: 'Smallest amount, in minor units.' },
      max_amount: { type: 'integer', minimum: 0, description: 'Largest amount, in minor units.' },
      created_after: { type: 'string', description: 'Only payments created at or after this time (ISO 8601).' },
      created_before: { type: 'string', description: 'Only payments created before this time (ISO 8601).' },
      limit: { type: 'integer', minimum: 1, maximum: 100, description: 'How many payments at most (default 10).' },
    }),
    readOnly: true,
  },
  {
    name: 'perfectpay_get_payment',
    title: 'Get a PerfectPay payment',
    modelDescription: `Reads one payment with its attempts, captures and refunds: status, amounts (authorised, captured, still capturable, refunded), method (card masked), error, next action. Secrets are never shown. Read-only. ${ENDS_WITH_LINK}`,
    inputSchema: obj({ payment_id: paymentId }, ['payment_id']),
    readOnly: true,
  },
  {
    name: 'perfectpay_explain_payment',
    title: 'Explain a PerfectPay payment',
    modelDescription: `Explains a payment: what its status means, what was captured and what is left, what happened (its timeline), the next step, and the actions its status allows now (confirm, capture, cancel, refund, simulate). Use it before acting, and to answer "what is the state of this payment". Read-only. ${ENDS_WITH_LINK}`,
    inputSchema: obj({ payment_id: paymentId }, ['payment_id']),
    readOnly: true,
  },
  {
    name: 'perfectpay_list_events',
    title: 'List PerfectPay webhook events',
    modelDescription: `Lists the webhook events of the current PerfectPay environment, newest first: each event's type (payment_succeeded, refund_failed…), the payment or refund it is about, whether its delivery to the webhook URL succeeded (delivered, failing, or not sent because no URL is set), and when. Filters: one payment (its events and its refunds'), event types, only those not delivered. Use it to answer "did my webhook endpoint get the event?". Read-only.`,
    inputSchema: obj({
      payment_id: { ...paymentId, description: 'Only the events about this payment and its refunds.' },
      event_types: { type: 'array', description: 'Only these event types.', items: { type: 'string', enum: [...EVENT_TYPES] } },
      undelivered_only: { type: 'boolean', description: 'Only the events whose delivery has not succeeded.' },
      limit: { type: 'integer', minimum: 1, maximum: 100, description: 'How many events at most (default 20).' },
    }),
    readOnly: true,
  },
  {
    name: 'perfectpay_create_payment',
    title: 'Create a PerfectPay payment',
    modelDescription: `Creates a payment. With payment_method (a test card or test method by name) it is confirmed at once; without, it waits in requires_payment_method for perfectpay_confirm_payment. capture_method: automatic (default: money is taken at once), manual (one capture, the rest is released) or manual_multiple (several partial captures). Amounts are in minor units. ${ENDS_WITH_LINK}`,
    inputSchema: obj({
      amount: minorUnits('The amount'),
      currency: { type: 'string', description: 'ISO 4217 code, upper-case (EUR, USD…).', pattern: '^[A-Z]{3}$' },
      capture_method: { type: 'string', enum: [...CAPTURE_METHODS], description: 'When the money is taken (default automatic).' },
      payment_method: method,
      description: { type: 'string', description: 'A description shown with the payment.' },
      customer_id: { type: 'string', description: 'The customer it belongs to.' },
    }, ['amount', 'currency']),
    readOnly: false,
  },
  {
    name: 'perfectpay_confirm_payment',
    title: 'Confirm a PerfectPay payment',
    modelDescription: `Confirms a payment that waits for a method (requires_payment_method or requires_confirmation) with a test card or test method by name. A declined card answers status failed with the decline; a 3DS card or an asynchronous method answers requires_customer_action. Refused, with the reason, in any other status. ${ENDS_WITH_LINK}`,
    inputSchema: obj({ payment_id: paymentId, payment_method: method }, ['payment_id', 'payment_method']),
    readOnly: false,
  },
  {
    name: 'perfectpay_capture_payment',
    title: 'Capture a PerfectPay payment',
    modelDescription: `Captures an authorised payment (requires_capture or partially_captured_and_capturable): the given amount, or all that is capturable when amount is left out. A manual_multiple payment may be captured in several parts. Refused, with the reason, in any other status (failed, succeeded, cancelled…). ${ENDS_WITH_LINK}`,
    inputSchema: obj({ payment_id: paymentId, amount: minorUnits('How much to capture (default: all that is capturable)') }, ['payment_id']),
    readOnly: false,
  },
  {
    name: 'perfectpay_cancel_payment',
    title: 'Cancel a PerfectPay payment',
    modelDescription: `Cancels a payment that has not taken money yet (requires_payment_method, requires_confirmation, requires_customer_action, requires_capture): an authorisation is released. Refused, with the reason, in any other status. ${ENDS_WITH_LINK}`,
    inputSchema: obj({ payment_id: paymentId, cancellation_reason: { type: 'string', enum: [...CANCELLATION_REASONS], description: 'Why it is cancelled.' } }, ['payment_id']),
    readOnly: false,
  },
  {
    name: 'perfectpay_refund_payment',
    title: 'Refund a PerfectPay payment',
    modelDescription: `Refunds a payment that received money (succeeded or partially_captured): the given amount, or all that is left to refund when amount is left out. Refused, with the reason, in any other status. ${ENDS_WITH_LINK}`,
    inputSchema: obj({ payment_id: paymentId, amount: minorUnits('How much to refund (default: all that is left)'), reason: { type: 'string', description: 'Why it is refunded.' } }, ['payment_id']),
    readOnly: false,
  },
  {
    name: 'perfectpay_simulate_customer_action',
    title: "Simulate a customer's step",
    modelDescription: `Local sandbox only: plays the customer's part of a payment waiting for them (requires_customer_action: 3DS, redirect, QR code, bank transfer; or processing): succeed, fail, or expire (a payment not yet paid). Refused elsewhere, and in statuses that allow no such step. ${ENDS_WITH_LINK}`,
    inputSchema: obj({ payment_id: paymentId, outcome: { type: 'string', enum: [...SIMULATE_OUTCOMES], description: 'What the customer does.' } }, ['payment_id', 'outcome']),
    readOnly: false,
  },
  {
    name: 'perfectpay_run_scenario',
    title: 'Run a PerfectPay scenario',
    modelDescription: 'Runs a scenario file (*.perfectpay.json: steps that create, confirm, capture, cancel, simulate and check payments) against the current environment, and answers each step\'s outcome and the payments it made. The path is relative to the workspace (VS Code) or the current directory (perfectpay mcp).',
    inputSchema: obj({ path: { type: 'string', minLength: 1, description: 'The scenario file, e.g. scenarios/partial-capture.perfectpay.json.' } }, ['path']),
    readOnly: false,
  },
];

export function toolDefinition(name: string): ToolDefinition | undefined {
  return TOOL_DEFINITIONS.find((t) => t.name === name);
}

/**
 * Why `input` does not fit `schema`, or undefined when it does (the subset of JSON Schema above): a
 * model's bad input is answered with a clear sentence, never a stack trace.
 */
export function checkInput(schema: JsonSchema, input: unknown, path = 'input'): string | undefined {
  switch (schema.type) {
    case 'object': {
      if (!input || typeof input !== 'object' || Array.isArray(input)) return `${path} must be an object.`;
      const o = input as Record<string, unknown>;
      for (const r of schema.required ?? []) if (o[r] === undefined) return `${r} is required.`;
      for (const [k, v] of Object.entries(o)) {
        const s = schema.properties?.[k];
        if (!s) {
          if (schema.additionalProperties === false) return `Unknown field ${k}: expected one of ${Object.keys(schema.properties ?? {}).join(', ')}.`;
          continue;
        }
        if (v === undefined) continue;
        const bad = checkInput(s, v, k);
        if (bad) return bad;
      }
      return undefined;
    }
    case 'array':
      if (!Array.isArray(input)) return `${path} must be an array.`;
      for (const [i, v] of input.entries()) {
        const bad = schema.items && checkInput(schema.items, v, `${path}[${i}]`);
        if (bad) return bad;
      }
      return undefined;
    case 'integer':
      if (typeof input !== 'number' || !Number.isInteger(input)) return `${path} must be a whole number.`;
      if (schema.minimum !== undefined && input < schema.minimum) return `${path} must be at least ${schema.minimum}.`;
      if (schema.maximum !== undefined && input > schema.maximum) return `${path} must be at most ${schema.maximum}.`;
      return undefined;
    case 'boolean':
      return typeof input === 'boolean' ? undefined : `${path} must be true or false.`;
    case 'string':
      if (typeof input !== 'string') return `${path} must be a string.`;
      if (schema.enum && !schema.enum.includes(input)) return `${path} must be one of ${schema.enum.join(', ')} (got ${JSON.stringify(input.slice(0, 60))}).`;
      if (schema.minLength !== undefined && input.length < schema.minLength) return `${path} must not be empty.`;
      if (schema.pattern && !new RegExp(schema.pattern).test(input)) return `${path} is not valid (got ${JSON.stringify(input.slice(0, 60))}).`;
      return undefined;
    default:
      return undefined;
  }
}
