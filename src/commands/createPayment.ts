/** "PerfectPay: Create Payment": amount, currency, capture method, authentication, description, confirm now (and how). */
import * as vscode from 'vscode';
import type { CreatePaymentRequest, Payment } from '../api/schemas';
import { CURRENCIES, formatMinorUnits, formatMoney, parseMoney } from '../domain/money';
import { parseArg } from './args';
import { ensureReady, reportError, reportOutcome, withProgress, type CommandDeps } from './context';
import { newPaymentId } from '../domain/ids';
import { MultiStepInput, type PickItem, type Step } from './multiStep';
import { methodRequest, methodStepCount, methodSteps, type MethodState } from './paymentMethod';

/** `vscode.l10n` (see src/environment/l10n.ts); this file has no other use for `vscode`. */
const l10n = vscode.l10n;

const BASE_STEPS = 6;

const captureMethodItems = (): PickItem<CreateState['capture_method']>[] => [
  { label: 'automatic', description: l10n.t('capture at once when authorised (default)'), value: 'automatic' },
  { label: 'manual', description: l10n.t('authorise now, capture once later (all or part)'), value: 'manual' },
  { label: 'manual_multiple', description: l10n.t('authorise now, capture in several parts'), value: 'manual_multiple' },
];

const authenticationItems = (): PickItem<CreateState['authentication_type']>[] => [
  { label: 'no_three_ds', description: l10n.t('no 3-D Secure step (default)'), value: 'no_three_ds' },
  { label: 'three_ds', description: l10n.t('the customer goes through 3-D Secure'), value: 'three_ds' },
];

interface CreateState {
  amountText?: string;
  currency: string;
  capture_method: 'automatic' | 'manual' | 'manual_multiple';
  authentication_type: 'no_three_ds' | 'three_ds';
  description?: string;
  confirmNow: boolean;
  method: MethodState;
}

/** `perfectpay.createPayment([fields])`: with `amount` and `currency` nothing is asked. */
export async function createPayment(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const { fields } = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  let request: CreatePaymentRequest;
  if (typeof fields.amount === 'number' && typeof fields.currency === 'string') {
    request = { ...(fields as unknown as CreatePaymentRequest) };
  } else {
    const asked = await askCreate(fields);
    if (!asked) return undefined;
    request = asked;
  }
  // Chosen now, so that "Retry" sends the very same payment (the service recognises its own id).
  request.payment_id ??= newPaymentId();
  return sendCreate(d, request);
}

async function sendCreate(d: CommandDeps, request: CreatePaymentRequest): Promise<Payment | undefined> {
  const money = formatMoney(request.amount, request.currency);
  try {
    const p = await withProgress(l10n.t('PerfectPay: creating a payment of {0}…', money), (signal) => d.service.createPayment(request, signal));
    reportOutcome(d, request.confirm ? l10n.t('Created and confirmed') : l10n.t('Created'), p);
    void d.tree.reveal(p.payment_id);
    return p;
  } catch (e) {
    // The same request (same payment_id) again: a retry can never make a second payment.
    reportError(d, e, { doing: l10n.t('Could not create the payment of {0}', money), retry: () => sendCreate(d, request) });
    return undefined;
  }
}

/** The guided questions; `given` prefills them. Undefined when dismissed. */
async function askCreate(given: Record<string, unknown>): Promise<CreatePaymentRequest | undefined> {
  const TITLE = l10n.t('PerfectPay: Create Payment');
  const s: CreateState = {
    currency: typeof given.currency === 'string' ? given.currency.toUpperCase() : 'USD',
    capture_method: (given.capture_method as CreateState['capture_method']) ?? 'automatic',
    authentication_type: (given.authentication_type as CreateState['authentication_type']) ?? 'no_three_ds',
    description: typeof given.description === 'string' ? given.description : undefined,
    confirmNow: given.confirm === true,
    method: {},
  };
  if (typeof given.amount === 'number') s.amountText = formatMinorUnits(given.amount, s.currency);
  const total = (): number => BASE_STEPS + (s.confirmNow ? methodStepCount(s.method) : 0);

  /** A question answered by typing, written into `s[key]`. */
  const ask = <K extends 'amountText' | 'description'>(key: K, step: number, o: { prompt: () => string; placeholder: string; validate?: (v: string) => string | undefined }, next: () => Step): Step =>
    async (input) => {
      s[key] = await input.input({ title: TITLE, step, totalSteps: total(), value: s[key], prompt: o.prompt(), placeholder: o.placeholder, validate: o.validate });
      return next();
    };
  const amount: Step = ask(
    'amountText',
    1,
    {
      prompt: () => l10n.t('Amount in {0} (you pick the currency next), as you would write it, e.g. {1}', s.currency, s.currency === 'JPY' ? '5000' : '49.99'),
      placeholder: '49.99',
      validate: (v) => {
        const r = parseMoney(v, s.currency);
        return r.ok ? undefined : r.reason;
      },
    },
    () => currency,
  );
  const currency: Step = async (input) => {
    const text = s.amountText ?? '';
    const items: PickItem<string>[] = CURRENCIES.map((c) => {
      const r = parseMoney(text, c);
      return {
        label: c,
        description: r.ok ? formatMoney(r.minor, c) : undefined,
        detail: r.ok ? undefined : `$(warning) ${l10n.t('{0} You will be asked the amount again.', r.reason)}`,
        value: c,
      };
    });
    const picked = await input.pick({ title: TITLE, step: 2, totalSteps: total(), items, active: s.currency, placeholder: l10n.t('Currency') });
    s.currency = picked;
    // The amount does not fit this currency's precision ("49.99" in JPY): back to it, with the reason.
    if (!parseMoney(text, picked).ok) input.back();
    return captureMethod;
  };
  /** A question with a fixed set of answers, written into `s[key]`. */
  const choose = <K extends 'capture_method' | 'authentication_type'>(key: K, step: number, placeholder: string, items: PickItem<CreateState[K]>[], next: () => Step): Step =>
    async (input) => {
      s[key] = await input.pick({ title: TITLE, step, totalSteps: total(), placeholder, active: s[key], items });
      return next();
    };
  const captureMethod: Step = choose('capture_method', 3, l10n.t('Capture method'), captureMethodItems(), () => authentication);
  const authentication: Step = choose('authentication_type', 4, l10n.t('Authentication type'), authenticationItems(), () => description);
  const description: Step = ask('description', 5, { prompt: () => l10n.t('Description (optional): press Enter to skip'), placeholder: l10n.t('e.g. Order 1001') }, () => confirmNow);
  const confirmNow: Step = async (input) => {
    s.confirmNow = await input.pick({
      title: TITLE,
      step: 6,
      totalSteps: total(),
      placeholder: l10n.t('Confirm it now?'),
      active: s.confirmNow,
      items: [
        { label: l10n.t('No, create only'), description: l10n.t('it waits for a payment method (requires_payment_method)'), value: false },
        { label: l10n.t('Yes, confirm now'), description: l10n.t('pick a test card or method next (confirm: true)'), value: true },
      ],
    });
    return s.confirmNow ? methodSteps(s.method, TITLE, 7, total, undefined) : undefined;
  };

  const done = await MultiStepInput.run(amount);
  if (!done) return undefined;
  const parsed = parseMoney(s.amountText ?? '', s.currency);
  if (!parsed.ok) return undefined;
  const extra: Partial<CreatePaymentRequest> = {};
  for (const k of ['customer_id', 'return_url', 'metadata', 'payment_id'] as const) {
    if (given[k] !== undefined) (extra as Record<string, unknown>)[k] = given[k];
  }
  const request: CreatePaymentRequest = {
    ...extra,
    amount: parsed.minor,
    currency: s.currency,
    capture_method: s.capture_method,
    authentication_type: s.authentication_type,
    confirm: s.confirmNow,
  };
  if (s.description?.trim()) request.description = s.description.trim();
  if (s.confirmNow) Object.assign(request, methodRequest(s.method));
  return request;
}

