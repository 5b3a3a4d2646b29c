/**
 * The small card shown when hovering a payment id: status with its icon, the amount as people read
 * it, the customer, how long ago it was created, the next step in one line, and command links. Every
 * value that came from a server is escaped (src/model/markdown.ts), card numbers in it masked to
 * their last four (src/domain/redact.ts); the only links are to our own
 * commands, with the id (checked against the contract's format) as their argument. Pure: imports only
 * the domain and the model.
 */
import { COMMAND_IDS } from '../domain/commandIds';
import { formatMoney } from '../domain/money';
import { refundedSummary } from '../domain/payment';
import { redactText } from '../domain/redact';
import { isKnownStatus, STATUS_INFO, statusLabel } from '../domain/status';
import { relativeTime } from '../domain/time';
import { codeSpan, escapeMarkdown } from '../domain/text';
import { commandUri } from './markdown';
import { isContractPaymentId } from './paymentIds';

/** The commands a card links to (from the one list of command ids): the hover's MarkdownString trusts exactly these. */
export const HOVER_COMMANDS = {
  inspect: COMMAND_IDS.inspect,
  openJson: COMMAND_IDS.openJson,
  copyCurl: COMMAND_IDS.copyCurl,
  /** Opens the id in another environment (after switching to it). */
  openLink: COMMAND_IDS.openLink,
  setApiKey: COMMAND_IDS.setApiKey,
} as const;
export const HOVER_TRUSTED_COMMANDS: readonly string[] = Object.values(HOVER_COMMANDS);

export interface HoverTimings {
  /** The document must have been still this long before a request is sent. */
  typingIdleMs: number;
  /** A hover must still be wanted after this long before a request is sent. */
  debounceMs: number;
  /** How long a hover waits for the answer before showing "loading…". */
  waitMs: number;
}

/** How the hover provider (src/links/hover.ts) paces itself. */
export const HOVER_TIMINGS: HoverTimings = { typingIdleMs: 500, debounceMs: 120, waitMs: 700 };

/** The fields of a payment answer the card reads (any payment answer has them). */
export interface CardPayment {
  payment_id: string;
  status: string;
  amount: number;
  currency: string;
  customer_id?: string | null;
  description?: string | null;
  created?: string | null;
  error_code?: string | null;
  error_message?: string | null;
  next_action?: { type?: unknown } | null;
  amount_capturable?: number | null;
  amount_received?: number | null;
  refunds?: readonly { amount: number; status: string }[] | null;
}

export type CardState =
  | { kind: 'found'; payment: CardPayment; /** when the answer arrived (ms) */ seenAt?: number; refreshing?: boolean }
  | { kind: 'loading' }
  | { kind: 'notFound' }
  | { kind: 'needsKey' }
  | { kind: 'error'; message: string };

export interface CardInput {
  id: string;
  state: CardState;
  /** "Local sandbox". */
  environmentLabel: string;
  /** Codicon name of the status ("pass", "clock"…), drawn as `$(name)`. */
  icon?: string;
  /** Other environments with a key, offered when the id is not found here. */
  others?: readonly { kind: string; label: string }[];
  now: number;
}

/** "Capture all or part…", "Failed: card_declined — Your card was declined.": one line. */
export function nextStepLine(p: CardPayment): string {
  if (p.status === 'failed') {
    const why = [p.error_code, p.error_message].filter((x) => typeof x === 'string' && x).join(' — ');
    return why ? `Failed: ${why}` : STATUS_INFO.failed.next;
  }
  if (p.status === 'requires_customer_action' && typeof p.next_action?.type === 'string') {
    return `The customer's step: ${p.next_action.type}.`;
  }
  if (isKnownStatus(p.status)) return STATUS_INFO[p.status].next;
  return 'A status this version does not know: shown as the server sent it.';
}

/** The card as Markdown (for a MarkdownString with theme icons, trusted for HOVER_TRUSTED_COMMANDS only). */
export function hoverCardMarkdown(input: CardInput): string {
  const { id, state } = input;
  const safeId = isContractPaymentId(id) ? id : undefined;
  const lines: string[] = [];
  const env = escapeMarkdown(input.environmentLabel);
  if (state.kind === 'found') {
    const p = state.payment;
    const icon = input.icon && /^[a-z0-9-]+$/.test(input.icon) ? `$(${input.icon}) ` : '';
    lines.push(`${icon}**${shown(statusLabel(p.status))}** · **${shown(formatMoney(p.amount, p.currency))}** · ${codeSpan(p.payment_id)}`);
    const facts: string[] = [];
    if (p.customer_id) facts.push(`customer ${shown(p.customer_id)}`);
    const created = p.created ? Date.parse(p.created) : NaN;
    if (Number.isFinite(created)) facts.push(`created ${escapeMarkdown(relativeTime(created, input.now))}`);
    const refunded = refundedSummary(p);
    if (refunded) facts.push(escapeMarkdown(refunded));
    facts.push(env);
    lines.push(facts.join(' · '));
    if (p.description) lines.push(`_${shown(truncate(p.description, 120))}_`);
    lines.push(`Next: ${shown(truncate(nextStepLine(p), 160))}`);
    if (state.refreshing && state.seenAt !== undefined) lines.push(`_As seen ${escapeMarkdown(relativeTime(state.seenAt, input.now))}; refreshing…_`);
  } else {
    lines.push(`${codeSpan(id)} · ${env}`);
    if (state.kind === 'loading') lines.push('$(loading~spin) loading… (hover again in a moment)');
    else if (state.kind === 'notFound') {
      lines.push(`Not found in ${env}.`);
      const offers = (input.others ?? []).filter((o) => /^[a-z]+$/.test(o.kind));
      if (safeId && offers.length) {
        lines.push('Look in: ' + offers.map((o) => `[${escapeMarkdown(o.label)}](${commandUri(HOVER_COMMANDS.openLink, [{ paymentId: safeId, environment: o.kind }])})`).join(' · '));
      }
    } else if (state.kind === 'needsKey') {
      lines.push(`No API key is set for ${env}. [Set API Key](${commandUri(HOVER_COMMANDS.setApiKey)})`);
    } else lines.push(`$(warning) Could not load it: ${shown(truncate(state.message, 200))}`);
  }
  if (safeId && state.kind !== 'notFound' && state.kind !== 'needsKey') {
    lines.push(
      [
        `[$(open-preview) Inspect](${commandUri(HOVER_COMMANDS.inspect, [safeId])})`,
        `[$(json) Open as JSON](${commandUri(HOVER_COMMANDS.openJson, [safeId])})`,
        `[$(terminal) Copy cURL](${commandUri(HOVER_COMMANDS.copyCurl, [safeId])})`,
      ].join(' · '),
    );
  }
  // Two spaces before each newline: a Markdown line break inside one paragraph block.
  return lines.join('  \n');
}

/** A server's string as the card shows it: card numbers cut to their last four, then escaped. */
function shown(s: string): string {
  return escapeMarkdown(redactText(s));
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
