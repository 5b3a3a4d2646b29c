/**
 * The test-card matrix: every test card and payment method of the contract (perfectpay-api.md,
 * "Test inputs that the local sandbox honours") with its documented outcome at confirm, as a set of
 * scenarios, and its results as a Markdown table.
 *
 * The expected outcomes are written here literally from the contract, NOT computed from
 * src/domain/cards.ts (which is what the local sandbox decides with): run against any server, the
 * matrix shows where that server differs from the contract. Pure: imports the domain and the
 * scenario language.
 */
import { maskCardNumber } from '../domain/cards';
import { parseScenario, type Scenario } from './scenario';
import type { ScenarioResult } from './runner';

export interface MatrixExpectation {
  status: string;
  error_code?: string | null;
  next_action_type?: string;
  /** Then, a few seconds later (the processing card). */
  thenStatus?: string;
  /** A refund test card: its refund's status at once, then a few seconds later (and its error_code then). */
  refund?: { status: string; thenStatus: string; error_code: string | null };
}

export interface MatrixRow {
  /** Stable id (Testing view item id). */
  id: string;
  /** "Visa •••• 4242", "bank_transfer / pix". */
  title: string;
  /** What the contract says, for people: "authorised", "declined: card_declined". */
  documented: string;
  /** The create fields besides amount and currency (3DS options). */
  create?: Record<string, unknown>;
  card?: string;
  method?: { payment_method: string; payment_method_type: string };
  expect: MatrixExpectation;
}

const AUTHORISED: MatrixExpectation = { status: 'succeeded', error_code: null };
const declined = (code: string): MatrixExpectation => ({ status: 'failed', error_code: code });
const REDIRECT: MatrixExpectation = { status: 'requires_customer_action', next_action_type: 'redirect_to_url' };

function card(network: string, number: string, documented: string, expect: MatrixExpectation, create?: Record<string, unknown>, suffix = ''): MatrixRow {
  return { id: `card-${number}${suffix}`, title: `${network} ${maskCardNumber(number)}${create ? ` (${Object.entries(create).map(([k, v]) => `${k}: ${String(v)}`).join(', ')})` : ''}`, documented, card: number, expect, create };
}

function method(payment_method: string, payment_method_type: string, next_action_type: string): MatrixRow {
  return {
    id: `method-${payment_method}-${payment_method_type}`,
    title: `${payment_method} / ${payment_method_type}`,
    documented: `requires_customer_action, ${next_action_type}`,
    method: { payment_method, payment_method_type },
    expect: { status: 'requires_customer_action', next_action_type },
  };
}

/** The contract's card table, then its methods table, row by row (automatic capture). */
export const MATRIX_ROWS: readonly MatrixRow[] = [
  card('Visa', '4242424242424242', 'authorised', AUTHORISED),
  card('Visa', '4111111111111111', 'authorised', AUTHORISED),
  card('Visa', '4000000000000002', 'declined: failed, card_declined', declined('card_declined')),
  card('Visa', '4000000000009995', 'declined: failed, insufficient_funds', declined('insufficient_funds')),
  card('Visa', '4000000000000069', 'declined: failed, expired_card', declined('expired_card')),
  card('Visa', '4000000000000127', 'declined: failed, incorrect_cvc', declined('incorrect_cvc')),
  card('Visa', '4000000000003220', '3DS always: requires_customer_action, redirect_to_url', REDIRECT),
  card('Visa', '4000000000003063', '3DS always: requires_customer_action, redirect_to_url', REDIRECT),
  card('Visa', '4000000000000259', 'authorised after a delay: processing, then succeeded', { status: 'processing', thenStatus: 'succeeded' }),
  card('Mastercard', '5555555555554444', 'authorised', AUTHORISED),
  card('Amex', '378282246310005', 'authorised', AUTHORISED),
  card('Discover', '6011111111111117', 'authorised', AUTHORISED),
  card('Diners', '38000000000006', 'authorised', AUTHORISED),
  card('Mastercard', '5105105105105100', 'declined: failed, card_declined', declined('card_declined')),
  card('Visa', '4000000000009987', 'declined: failed, lost_card', declined('lost_card')),
  card('Visa', '4000000000009979', 'declined: failed, stolen_card', declined('stolen_card')),
  card('Visa', '4000003800000446', '3DS always: requires_customer_action, redirect_to_url', REDIRECT),
  card('Visa', '4242424242424242', 'any authorisable card with authentication_type three_ds: redirect_to_url', REDIRECT, { authentication_type: 'three_ds' }, '-three_ds'),
  card('Visa', '4000000000005126', 'authorised; a refund: pending, then failed (refund_failed)',
    { ...AUTHORISED, refund: { status: 'pending', thenStatus: 'failed', error_code: 'refund_failed' } }, undefined, '-refund'),
  card('Visa', '4000000000007726', 'authorised; a refund: pending, then succeeded',
    { ...AUTHORISED, refund: { status: 'pending', thenStatus: 'succeeded', error_code: null } }, undefined, '-refund'),
  card('Visa', '4000000000003220', 'a 3DS card with request_external_three_ds_authentication: three_ds_invoke',
    { status: 'requires_customer_action', next_action_type: 'three_ds_invoke' }, { request_external_three_ds_authentication: true }, '-external_3ds'),
  method('bank_transfer', 'ach', 'display_bank_transfer_information'),
  method('bank_transfer', 'sepa', 'display_bank_transfer_information'),
  method('bank_transfer', 'bacs', 'display_bank_transfer_information'),
  method('bank_transfer', 'pix', 'qr_code_information'),
  method('real_time_payment', 'duit_now', 'qr_code_information'),
  method('real_time_payment', 'fps', 'fetch_qr_code_information'),
  method('wallet', 'google_pay', 'third_party_sdk_session_token'),
  method('wallet', 'apple_pay', 'third_party_sdk_session_token'),
  method('wallet', 'paypal', 'third_party_sdk_session_token'),
  method('pay_later', 'klarna', 'redirect_to_url'),
  method('voucher', 'boleto', 'wait_screen_information'),
];

/** The scenario file (as a JSON value) of one row: create, confirm, expect (and wait for the processing card). */
export function matrixScenarioJson(row: MatrixRow): Record<string, unknown> {
  const confirm: Record<string, unknown> = row.card ? { card: row.card } : { ...row.method };
  const expect: Record<string, unknown> = { status: row.expect.status };
  if (row.expect.error_code !== undefined) expect.error_code = row.expect.error_code;
  if (row.expect.next_action_type) expect['next_action.type'] = row.expect.next_action_type;
  const steps: unknown[] = [
    { create: { amount: 1000, currency: 'USD', description: `Test card matrix: ${row.title}`, ...row.create } },
    { confirm },
    { expect },
  ];
  if (row.expect.thenStatus) {
    steps.push({ wait: { status: row.expect.thenStatus, timeout_s: 30 } }, { expect: { status: row.expect.thenStatus, error_code: null } });
  }
  const refund = row.expect.refund;
  if (refund) {
    steps.push(
      { refund: { reason: 'requested_by_customer' } },
      { expect: { 'refund.status': refund.status } },
      { wait: { refund_status: refund.thenStatus, timeout_s: 30 } },
      { expect: { 'refund.status': refund.thenStatus, 'refund.error_code': refund.error_code } },
    );
  }
  return { name: row.title, description: `Contract: ${row.documented}`, steps };
}

/** Every row as a Scenario (the rows are valid scenarios: a unit test parses each). */
export function matrixScenarios(now = new Date()): { row: MatrixRow; scenario: Scenario }[] {
  return MATRIX_ROWS.map((row) => {
    const r = parseScenario(JSON.stringify(matrixScenarioJson(row)), { now });
    if (!r.ok) throw new Error(`matrix row ${row.id}: ${r.problems.map((p) => p.message).join('; ')}`);
    return { row, scenario: r.scenario };
  });
}

function expectedText(e: MatrixExpectation): string {
  const refund = e.refund && `refund ${e.refund.status}, then ${[e.refund.thenStatus, e.refund.error_code].filter(Boolean).join(', ')}`;
  return [e.status, e.error_code ?? undefined, e.next_action_type, e.thenStatus && `then ${e.thenStatus}`, refund].filter(Boolean).join(', ');
}

/** What came back for a row, from its last payment answer (or the error that stopped it). */
export function actualText(result: ScenarioResult | undefined): string {
  if (!result) return 'not run';
  if (result.outcome === 'refused') return 'not run';
  const answers = result.steps.filter((s) => s.outcome !== 'skipped' && s.answer && typeof s.answer === 'object');
  const withPayment = [...answers].reverse().find((s) => typeof (s.answer as { status?: unknown }).status === 'string');
  const failed = result.steps.find((s) => s.outcome === 'failed');
  if (failed?.error) return `refused: ${failed.error.code ?? failed.error.kind}`;
  // A refund row: the payment's status at confirm, then the refund's first and last status.
  const refundAt = answers.findIndex((s) => s.kind === 'refund');
  if (refundAt >= 0) {
    const before = actualText({ ...result, steps: answers.slice(0, refundAt) });
    const seen = answers.slice(refundAt).filter((s) => s.kind === 'refund' || s.kind === 'wait').map((s) => s.answer as { status?: unknown; error_code?: unknown });
    const first = seen[0]!;
    const last = seen[seen.length - 1]!;
    const end = [last.status, typeof last.error_code === 'string' ? last.error_code : undefined].filter(Boolean).join(', ');
    return `${before}, refund ${String(first.status)}${last !== first ? `, then ${end}` : ''}`;
  }
  if (!withPayment) return result.outcome === 'cancelled' ? 'cancelled' : '—';
  const p = withPayment.answer as { status: string; error_code?: unknown; next_action?: { type?: unknown } | null };
  const parts = [p.status];
  if (typeof p.error_code === 'string' && p.error_code) parts.push(p.error_code);
  if (p.next_action && typeof p.next_action.type === 'string') parts.push(p.next_action.type);
  const first = answers.find((s) => s.kind === 'confirm')?.answer as { status?: string } | undefined;
  const text = parts.join(', ');
  return first?.status && first.status !== p.status ? `${first.status}, then ${text}` : text;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The matrix's results as a Markdown table (cards masked; one row per matrix row). */
export function matrixMarkdown(results: ReadonlyMap<string, ScenarioResult>, meta: { environment: string; at: string }): string {
  let passed = 0;
  let differ = 0;
  let notRun = 0;
  const lines = MATRIX_ROWS.map((row, i) => {
    const r = results.get(row.id);
    const verdict = !r || r.outcome === 'refused' || r.outcome === 'cancelled' ? '⏭ not run' : r.outcome === 'passed' ? '✅ as documented' : '❌ differs';
    if (verdict.startsWith('✅')) passed++;
    else if (verdict.startsWith('❌')) differ++;
    else notRun++;
    const input = row.card ? `card ${maskCardNumber(row.card)}${row.create ? ` + ${Object.keys(row.create).join(', ')}` : ''}` : `${row.method!.payment_method} / ${row.method!.payment_method_type}`;
    return `| ${i + 1} | ${cell(row.title)} | ${cell(input)} | ${cell(expectedText(row.expect))} | ${cell(actualText(r))} | ${verdict} |`;
  });
  return [
    `# PerfectPay test-card matrix`,
    '',
    `Environment: ${cell(meta.environment)} · run ${meta.at} · ${passed} as documented, ${differ} differ, ${notRun} not run (of ${MATRIX_ROWS.length})`,
    '',
    '| # | Row | Input | Documented (contract) | Answered | Result |',
    '|---|---|---|---|---|---|',
    ...lines,
    '',
  ].join('\n');
}
