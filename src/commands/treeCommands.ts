/** Commands of the Payments view: refresh, load more, filter, clear filter. */
import * as vscode from 'vscode';
import { STATUS_INFO, statusLabel } from '../domain/status';
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
 * `perfectpay.filterPayments({ status?: string | string[], customer_id?: string })`, or asked:
 * by status (several allowed) or by customer. Resolves to the filter now applied.
 */
export async function filterPayments(d: CommandDeps, arg?: unknown): Promise<PaymentFilter | undefined> {
  const current = d.tree.currentFilter;
  if (arg && typeof arg === 'object' && ('status' in arg || 'customer_id' in arg || 'customerId' in arg)) {
    const o = arg as { status?: unknown; customer_id?: unknown; customerId?: unknown };
    const statuses = typeof o.status === 'string' ? [o.status] : Array.isArray(o.status) ? o.status.filter((x): x is string => typeof x === 'string') : current.statuses;
    const customer = typeof o.customer_id === 'string' ? o.customer_id : typeof o.customerId === 'string' ? o.customerId : current.customerId;
    await d.tree.setFilter({ statuses, customerId: customer });
    return d.tree.currentFilter;
  }
  type What = 'status' | 'customer' | 'clear';
  const what = await askOnce((input) =>
    input.pick<What>({
      title: 'PerfectPay: Filter Payments',
      step: 1,
      totalSteps: 1,
      placeholder: describeFilter(current) ? `Now: ${describeFilter(current)}` : 'Filter the payments by…',
      items: [
        { label: '$(pulse) By status…', description: current.statuses?.join(', '), value: 'status' },
        { label: '$(person) By customer…', description: current.customerId, value: 'customer' },
        ...(describeFilter(current) ? [{ label: '$(clear-all) Clear the filter', value: 'clear' as const }] : []),
      ],
    }),
  );
  if (!what) return undefined;
  if (what === 'clear') return clearFilter(d);
  if (what === 'status') {
    const picked = await pickStatuses(current.statuses ?? []);
    if (!picked) return undefined;
    await d.tree.setFilter({ ...current, statuses: picked });
  } else {
    const customer = await askOnce((input) =>
      input.input({
        title: 'PerfectPay: Filter by customer',
        step: 1,
        totalSteps: 1,
        value: current.customerId,
        prompt: 'Customer id (empty: all customers)',
        placeholder: 'cus_abc123',
        validate: (v) => (/\s/.test(v.trim()) ? 'A customer id has no spaces.' : undefined),
      }),
    );
    if (customer === undefined) return undefined;
    await d.tree.setFilter({ ...current, customerId: customer.trim() || undefined });
  }
  return d.tree.currentFilter;
}

function pickStatuses(selected: string[]): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<PickItem<string>>();
    qp.title = 'PerfectPay: Filter by status';
    qp.placeholder = 'Show only these statuses (none: all)';
    qp.canSelectMany = true;
    qp.ignoreFocusOut = true;
    qp.items = Object.keys(STATUS_INFO).map((s) => ({ label: statusLabel(s), description: s, value: s }));
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
