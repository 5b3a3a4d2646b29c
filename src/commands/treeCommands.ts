/** Commands of the Payments view: refresh, load more, filter, clear filter. */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { TEST_METHODS } from '../domain/cards';
import { CURRENCIES, formatMinorUnits, parseMoney } from '../domain/money';
import { PAYMENT_STATUSES, statusLabel } from '../domain/status';
import { describeFilter, type PaymentFilter } from '../tree/PaymentsTreeProvider';
import type { CommandDeps } from './context';
import { askOnce, type PickItem } from './multiStep';

/** `perfectpay.refreshPayments()`: reloads the first page; resolves to the number of payments loaded. */
export async function refreshPayments(d: CommandDeps): Promise<number> {
  await d.tree.refresh();
  return d.tree.payments().length;
}

/** `perfectpay.loadMore()`: the next page; resolves to the number of payments added. */
export function loadMore(d: CommandDeps): Promise<number> {
  return d.tree.loadMore();
}

/**
 * `perfectpay.filterPayments({ status?, currency?, payment_method?, customer_id?, amount_min?,
 * amount_max?, created_from?, created_to? })` (lists or single values; amounts in minor units; times
 * ISO 8601), or asked field by field. The filter runs on the server (`POST /payments/list`). Resolves
 * to the filter now applied.
 */
export async function filterPayments(d: CommandDeps, arg?: unknown): Promise<PaymentFilter | undefined> {
  const current = d.tree.currentFilter;
  if (arg && typeof arg === 'object' && FILTER_KEYS.some((k) => k in arg)) {
    await d.tree.setFilter({ ...current, ...filterFromArg(arg as Record<string, unknown>) });
    return d.tree.currentFilter;
  }
  type What = 'status' | 'currency' | 'method' | 'customer' | 'amount' | 'created' | 'clear';
  const what = await askOnce((input) =>
    input.pick<What>({
      title: l10n.t('PerfectPay: Filter Payments'),
      step: 1,
      totalSteps: 1,
      placeholder: describeFilter(current) ? l10n.t('Now: {0}', String(describeFilter(current))) : l10n.t('Filter the payments by…'),
      items: [
        { label: `$(pulse) ${l10n.t('By status…')}`, description: current.statuses?.join(', '), value: 'status' },
        { label: `$(symbol-number) ${l10n.t('By currency…')}`, description: current.currencies?.join(', '), value: 'currency' },
        { label: `$(credit-card) ${l10n.t('By payment method…')}`, description: current.methods?.join(', '), value: 'method' },
        { label: `$(person) ${l10n.t('By customer…')}`, description: current.customerId, value: 'customer' },
        { label: `$(list-ordered) ${l10n.t('By amount…')}`, description: amountText(current), value: 'amount' },
        { label: `$(calendar) ${l10n.t('By creation time…')}`, description: current.createdFrom ? l10n.t('from {0}', current.createdFrom.slice(0, 16)) : undefined, value: 'created' },
        ...(describeFilter(current) ? [{ label: `$(clear-all) ${l10n.t('Clear the filter')}`, value: 'clear' as const }] : []),
      ],
    }),
  );
  if (!what) return undefined;
  if (what === 'clear') return clearFilter(d);
  let next: PaymentFilter | undefined;
  if (what === 'status') {
    const picked = await pickMany(l10n.t('Filter by status'), l10n.t('Show only these statuses (none: all)'), PAYMENT_STATUSES.map((s) => ({ label: statusLabel(s), description: s, value: s as string })), current.statuses ?? []);
    next = picked && { ...current, statuses: picked };
  } else if (what === 'currency') {
    const picked = await pickMany(l10n.t('Filter by currency'), l10n.t('Show only these currencies (none: all)'), CURRENCIES.map((c) => ({ label: c, value: c })), current.currencies ?? []);
    next = picked && { ...current, currencies: picked };
  } else if (what === 'method') {
    const methods = [...new Set(['card', ...TEST_METHODS.map((m) => m.payment_method)])];
    const picked = await pickMany(l10n.t('Filter by payment method'), l10n.t('Show only these methods (none: all)'), methods.map((m) => ({ label: m, value: m })), current.methods ?? []);
    next = picked && { ...current, methods: picked };
  } else if (what === 'customer') {
    const customer = await askText(l10n.t('Filter by customer'), l10n.t('Customer id (empty: all customers)'), 'cus_abc123', current.customerId, (v) =>
      /\s/.test(v.trim()) ? l10n.t('A customer id has no spaces.') : undefined,
    );
    next = customer === undefined ? undefined : { ...current, customerId: customer.trim() || undefined };
  } else if (what === 'amount') {
    const currency = current.currencies?.length === 1 ? current.currencies[0]! : 'USD';
    const text = await askText(l10n.t('Filter by amount'), l10n.t('From–to in {0}, e.g. "10-50", "100-" or "-9.99" (empty: any amount)', currency), '10-50', amountText(current, false), (v) => parseRange(v, currency).reason);
    const r = text === undefined ? undefined : parseRange(text, currency);
    next = r && { ...current, amountMin: r.min, amountMax: r.max };
  } else {
    const since = await askOnce((input) =>
      input.pick<number | 0>({
        title: l10n.t('PerfectPay: Filter by creation time'),
        step: 1,
        totalSteps: 1,
        placeholder: l10n.t('Created within…'),
        items: [
          { label: l10n.t('The last hour'), value: 3_600_000 },
          { label: l10n.t('The last 24 hours'), value: 86_400_000 },
          { label: l10n.t('The last 7 days'), value: 7 * 86_400_000 },
          { label: l10n.t('The last 30 days'), value: 30 * 86_400_000 },
          { label: l10n.t('Any time'), value: 0 },
        ],
      }),
    );
    next = since === undefined ? undefined : { ...current, createdFrom: since ? new Date(Date.now() - since).toISOString() : undefined, createdTo: undefined };
  }
  if (!next) return undefined;
  await d.tree.setFilter(next);
  return d.tree.currentFilter;
}

const FILTER_KEYS = ['status', 'currency', 'payment_method', 'customer_id', 'customerId', 'amount_min', 'amount_max', 'created_from', 'created_to'];

function filterFromArg(o: Record<string, unknown>): PaymentFilter {
  const strings = (v: unknown): string[] | undefined =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
  const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const f: PaymentFilter = {};
  if ('status' in o) f.statuses = strings(o.status);
  if ('currency' in o) f.currencies = strings(o.currency);
  if ('payment_method' in o) f.methods = strings(o.payment_method);
  if ('customer_id' in o || 'customerId' in o) f.customerId = text(o.customer_id ?? o.customerId);
  if ('amount_min' in o) f.amountMin = int(o.amount_min);
  if ('amount_max' in o) f.amountMax = int(o.amount_max);
  if ('created_from' in o) f.createdFrom = text(o.created_from);
  if ('created_to' in o) f.createdTo = text(o.created_to);
  return f;
}

function amountText(f: PaymentFilter, withCurrency = true): string | undefined {
  if (f.amountMin === undefined && f.amountMax === undefined) return undefined;
  const currency = f.currencies?.length === 1 ? f.currencies[0]! : 'USD';
  const one = (n: number | undefined): string => (n === undefined ? '' : formatMinorUnits(n, currency));
  return `${one(f.amountMin)}-${one(f.amountMax)}${withCurrency ? ` ${currency}` : ''}`;
}

/** "10-50", "100-", "-9.99", "" → minor-unit bounds, or why not. */
function parseRange(text: string, currency: string): { min?: number; max?: number; reason?: string } {
  const t = text.trim();
  if (!t) return {};
  const m = /^([^-]*)-([^-]*)$/.exec(t) ?? [t, t, t];
  const bound = (s: string): { value?: number; reason?: string } => {
    if (!s.trim()) return {};
    const r = parseMoney(s, currency);
    return r.ok ? { value: r.minor } : { reason: r.reason };
  };
  const lo = bound(m[1]!);
  const hi = bound(m[2]!);
  if (lo.reason || hi.reason) return { reason: lo.reason ?? hi.reason };
  if (lo.value !== undefined && hi.value !== undefined && lo.value > hi.value) return { reason: l10n.t('The first amount is larger than the second.') };
  return { min: lo.value, max: hi.value };
}

function askText(title: string, prompt: string, placeholder: string, value: string | undefined, validate: (v: string) => string | undefined): Promise<string | undefined> {
  return askOnce((input) => input.input({ title: `PerfectPay: ${title}`, step: 1, totalSteps: 1, value, prompt, placeholder, validate }));
}

function pickMany(title: string, placeholder: string, items: PickItem<string>[], selected: string[]): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<PickItem<string>>();
    qp.title = `PerfectPay: ${title}`;
    qp.placeholder = placeholder;
    qp.canSelectMany = true;
    qp.ignoreFocusOut = true;
    qp.items = items;
    qp.selectedItems = qp.items.filter((i) => selected.includes(i.value));
    let done = false;
    qp.onDidAccept(() => {
      done = true;
      resolve(qp.selectedItems.map((i) => i.value));
      qp.dispose();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** `perfectpay.clearFilter()`. */
export async function clearFilter(d: CommandDeps): Promise<PaymentFilter> {
  await d.tree.setFilter({});
  return d.tree.currentFilter;
}
