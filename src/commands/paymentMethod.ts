/**
 * The payment-method questions shared by Create (when confirming at once) and Confirm: the test
 * cards by name, the non-card test methods, and "Other card…" (number checked with Luhn, expiry
 * MM/YY in the future, CVC).
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { ConfirmPaymentRequest } from '../api/schemas';
import { luhnValid, maskCardNumber, REFUND_CARD_CHOICES, TEST_CARDS, TEST_METHODS, type TestCard, type TestMethod } from '../domain/cards';
import type { InputOptions, MultiStepInput, PickItem, Step } from './multiStep';

export type MethodChoice = { kind: 'card'; card: TestCard } | { kind: 'method'; method: TestMethod } | { kind: 'other' };

export interface MethodState {
  choice?: MethodChoice;
  cardNumber?: string;
  expiry?: string;
  cvc?: string;
}

/** Questions the method takes: 1, or 4 for another card. */
export function methodStepCount(s: MethodState): number {
  return s.choice?.kind === 'other' ? 4 : 1;
}

/** A future expiry for the test cards: December, three years on (two-digit year, as the API shows). */
export function testCardExpiry(now = new Date()): { month: string; year: string } {
  return { month: '12', year: String((now.getUTCFullYear() + 3) % 100).padStart(2, '0') };
}

export function cardRequest(number: string, month: string, year: string, cvc: string): ConfirmPaymentRequest {
  return {
    payment_method: 'card',
    payment_method_type: 'credit',
    payment_method_data: {
      card: { card_number: number.replace(/\D/g, ''), card_exp_month: month, card_exp_year: year, card_cvc: cvc, card_holder_name: 'PerfectPay Test' },
    },
  };
}

export function testCardRequest(card: TestCard): ConfirmPaymentRequest {
  const { month, year } = testCardExpiry();
  return cardRequest(card.number, month, year, '123');
}

export function methodRequest(s: MethodState): ConfirmPaymentRequest {
  const c = s.choice;
  if (!c) throw new Error('no payment method chosen');
  if (c.kind === 'card') return testCardRequest(c.card);
  if (c.kind === 'method') return { payment_method: c.method.payment_method, payment_method_type: c.method.payment_method_type };
  const exp = parseExpiry(s.expiry ?? '');
  if (!exp.ok) throw new Error(exp.reason);
  return cardRequest(s.cardNumber ?? '', exp.month, exp.year, (s.cvc ?? '').trim());
}

/** "Visa 4242 — succeeds", "Bank transfer — ACH", "card •••• 1234". */
export function methodChoiceLabel(s: MethodState): string {
  const c = s.choice;
  if (!c) return '';
  if (c.kind === 'card') return c.card.label;
  if (c.kind === 'method') return c.method.label;
  return l10n.t('card {0}', maskCardNumber(s.cardNumber ?? ''));
}

export function validateCardNumber(v: string): string | undefined {
  const digits = v.replace(/[\s-]/g, '');
  if (!digits) return l10n.t('Type the card number.');
  if (!/^\d+$/.test(digits)) return l10n.t('A card number has digits only (spaces allowed).');
  if (digits.length < 12 || digits.length > 19) return l10n.t('A card number has 12 to 19 digits.');
  if (!luhnValid(digits)) return l10n.t('This is not a valid card number (the Luhn check fails): check the digits.');
  return undefined;
}

export function parseExpiry(v: string, now = new Date()): { ok: true; month: string; year: string } | { ok: false; reason: string } {
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(v);
  if (!m) return { ok: false, reason: l10n.t('Type the expiry as MM/YY, for example 12/29.') };
  const month = Number(m[1]);
  if (month < 1 || month > 12) return { ok: false, reason: l10n.t('The month must be 01 to 12.') };
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  const endOfMonth = Date.UTC(year, month, 1); // first day of the next month
  if (endOfMonth <= now.getTime()) return { ok: false, reason: l10n.t('This card has expired: the expiry must be in the future.') };
  return { ok: true, month: String(month).padStart(2, '0'), year: String(year % 100).padStart(2, '0') };
}

export function validateCvc(v: string): string | undefined {
  return /^\s*\d{3,4}\s*$/.test(v) ? undefined : l10n.t('The CVC has 3 or 4 digits.');
}

export function methodItems(): PickItem<MethodChoice>[] {
  const separator = (label: string): PickItem<MethodChoice> => ({ label, kind: vscode.QuickPickItemKind.Separator, value: { kind: 'other' } });
  return [
    separator(l10n.t('Test cards')),
    ...TEST_CARDS.map<PickItem<MethodChoice>>((card) => ({
      label: `$(credit-card) ${card.label}`,
      description: maskCardNumber(card.number),
      value: { kind: 'card', card },
    })),
    separator(l10n.t('Refund test cards')),
    ...REFUND_CARD_CHOICES.map<PickItem<MethodChoice>>((card) => ({
      label: `$(credit-card) ${card.label}`,
      description: maskCardNumber(card.number),
      value: { kind: 'card', card },
    })),
    { label: `$(edit) ${l10n.t('Other card…')}`, description: l10n.t('type a card number, expiry and CVC'), value: { kind: 'other' } },
    separator(l10n.t('Other test methods')),
    ...TEST_METHODS.map<PickItem<MethodChoice>>((method) => ({
      label: `$(${iconOf(method.payment_method)}) ${method.label}`,
      description: `${method.payment_method} / ${method.payment_method_type}`,
      value: { kind: 'method', method },
    })),
  ];
}

function iconOf(pm: string): string {
  if (pm === 'bank_transfer') return 'briefcase';
  if (pm === 'real_time_payment') return 'zap';
  if (pm === 'wallet') return 'device-mobile';
  if (pm === 'pay_later') return 'calendar';
  return 'note';
}

/**
 * The method questions as steps, starting at step number `first` of `total()`; `then` follows
 * (undefined: the flow ends).
 */
export function methodSteps(s: MethodState, title: string, first: number, total: () => number, then: Step | undefined): Step {
  const pickMethod: Step = async (input: MultiStepInput) => {
    const prev = s.choice;
    const items = methodItems();
    const choice = await input.pick<MethodChoice>({
      title,
      step: first,
      totalSteps: total(),
      items,
      placeholder: l10n.t('Pay with a test card or another test method'),
      active: items.find((i) => prev && i.value.kind === prev.kind && JSON.stringify(i.value) === JSON.stringify(prev))?.value,
    });
    s.choice = choice;
    return choice.kind === 'other' ? cardNumber : then;
  };
  /** A typed card field, written into `s[key]`. */
  const ask = (key: 'cardNumber' | 'expiry' | 'cvc', offset: number, o: Pick<InputOptions, 'prompt' | 'placeholder' | 'validate' | 'password'>, next: () => Step | undefined): Step =>
    async (input) => {
      s[key] = await input.input({ title, step: first + offset, totalSteps: total(), value: s[key], ...o });
      return next();
    };
  const cardNumber: Step = ask('cardNumber', 1, { prompt: l10n.t('Card number'), placeholder: '4242 4242 4242 4242', validate: validateCardNumber }, () => expiry);
  const expiry: Step = ask('expiry', 2, { prompt: l10n.t('Expiry (MM/YY)'), placeholder: '12/29', validate: (v) => {
    const r = parseExpiry(v);
    return r.ok ? undefined : r.reason;
  } }, () => cvc);
  const cvc: Step = ask('cvc', 3, { prompt: l10n.t('CVC (3 or 4 digits)'), placeholder: '123', password: true, validate: validateCvc }, () => then);
  return pickMethod;
}
