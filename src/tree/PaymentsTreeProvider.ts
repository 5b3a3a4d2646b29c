/**
 * The "Payments" view: newest first, one `GET /payments/list` per page (never one request per
 * payment), a "Load more…" row for the next page (`starting_after`), a status filter (applied to
 * the loaded pages) and a customer filter (sent to the server). Payments changed by an action
 * are updated in place; created ones are inserted at the top. A failed load shows as rows that
 * say what went wrong and lead to the request log, never as an empty tree.
 */
import * as vscode from 'vscode';
import type { Payment } from '../api/schemas';
import { errorInfo } from '../environment/errors';
import type { EnvironmentManager } from '../environment/EnvironmentManager';
import type { PaymentChange, PaymentsService } from '../services/PaymentsService';
import { loadMoreTreeItem, messageTreeItem, paymentTreeItem, type LoadMoreNode, type MessageNode, type PaymentNode, type TreeNode } from './items';

export const VIEW_ID = 'perfectpay.payments';

export interface PaymentFilter {
  /** Show only these statuses (client-side, over the loaded pages). */
  statuses?: string[];
  /** Only this customer's payments (server-side: `customer_id`). */
  customerId?: string;
}

export function describeFilter(f: PaymentFilter): string | undefined {
  const parts: string[] = [];
  if (f.statuses?.length) parts.push(`status: ${f.statuses.join(', ')}`);
  if (f.customerId) parts.push(`customer: ${f.customerId}`);
  return parts.length ? parts.join(' · ') : undefined;
}

export class PaymentsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private nodes: PaymentNode[] = [];
  private readonly byId = new Map<string, PaymentNode>();
  private readonly loadMoreNode: LoadMoreNode = { kind: 'loadMore', loading: false };
  private cursor: string | undefined;
  private hasMore = false;
  private loaded = false;
  private loading: Promise<void> | undefined;
  private failure: MessageNode[] | undefined;
  private pageFailure: MessageNode | undefined;
  private generation = 0;
  private filter: PaymentFilter = {};
  private view: vscode.TreeView<TreeNode> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Pages loaded since the last refresh. */
  pagesLoaded = 0;

  constructor(
    private readonly service: PaymentsService,
    private readonly environments: EnvironmentManager,
  ) {
    this.disposables.push(
      this.changed,
      service.onDidChangePayment((c) => this.onPayment(c)),
      // Invalidate only: a shown view asks for its rows again (and so loads); a hidden one waits.
      service.onDidChangeEnvironment(() => this.invalidate()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('perfectpay.pageSize')) this.invalidate();
      }),
    );
  }

  /** Binds the TreeView (for its description, message and reveal). */
  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
    this.updateViewText();
  }

  // ------------------------------------------------------------------- TreeDataProvider

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'payment') return paymentTreeItem(node.payment);
    if (node.kind === 'loadMore') return loadMoreTreeItem(node);
    return messageTreeItem(node);
  }

  getParent(): undefined {
    return undefined;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return [];
    if (!this.loaded && !this.loading) this.startLoad();
    // A refresh during the wait starts another load: wait for that one too (no empty flash).
    while (this.loading) await this.loading;
    return this.rows();
  }

  // -------------------------------------------------------------------------------- state

  /** The rows as shown: payments passing the status filter, then an error row and "Load more…". */
  rows(): TreeNode[] {
    if (this.failure) return this.failure;
    const out: TreeNode[] = this.nodes.filter((n) => this.passesStatus(n.payment));
    if (this.pageFailure) out.push(this.pageFailure);
    if (this.hasMore) out.push(this.loadMoreNode);
    return out;
  }

  /** The payments loaded (all of them, before the status filter), newest first. */
  payments(): Payment[] {
    return this.nodes.map((n) => n.payment);
  }

  /** The payments shown (after the status filter). */
  visiblePayments(): Payment[] {
    return this.rows().flatMap((n) => (n.kind === 'payment' ? [n.payment] : []));
  }

  node(paymentId: string): PaymentNode | undefined {
    return this.byId.get(paymentId);
  }

  get canLoadMore(): boolean {
    return this.hasMore;
  }

  get currentFilter(): PaymentFilter {
    return { ...this.filter, statuses: this.filter.statuses && [...this.filter.statuses] };
  }

  /** Forgets what was loaded and loads the first page again. Resolves when it is loaded. */
  refresh(): Promise<void> {
    this.clear();
    this.startLoad();
    this.changed.fire(undefined);
    this.updateViewText();
    return this.loading ?? Promise.resolve();
  }

  /** Forgets what was loaded; the first page is loaded when the rows are next asked for. */
  invalidate(): void {
    this.clear();
    this.changed.fire(undefined);
    this.updateViewText();
  }

  private clear(): void {
    this.generation++;
    this.nodes = [];
    this.byId.clear();
    this.cursor = undefined;
    this.hasMore = false;
    this.loaded = false;
    this.failure = undefined;
    this.pageFailure = undefined;
    this.pagesLoaded = 0;
    this.loading = undefined;
    this.loadMoreNode.loading = false;
  }

  /** Resolves when the current load (if any) is over. */
  async whenLoaded(): Promise<void> {
    if (!this.loaded && !this.loading) this.startLoad();
    while (this.loading) await this.loading;
  }

  async setFilter(filter: PaymentFilter): Promise<void> {
    const customerChanged = (filter.customerId || undefined) !== (this.filter.customerId || undefined);
    this.filter = {
      statuses: filter.statuses?.length ? [...filter.statuses] : undefined,
      customerId: filter.customerId?.trim() || undefined,
    };
    void vscode.commands.executeCommand('setContext', 'perfectpay.filterActive', describeFilter(this.filter) !== undefined);
    this.updateViewText();
    if (customerChanged) await this.refresh();
    else this.changed.fire(undefined);
  }

  /** Loads the next page (one request). Resolves to the number of payments added. */
  async loadMore(): Promise<number> {
    await this.whenLoaded();
    if (!this.hasMore || this.failure) return 0;
    const generation = this.generation;
    const load = this.fetchPage(this.cursor);
    this.loading = load.then(() => undefined, () => undefined);
    this.loadMoreNode.loading = true;
    this.changed.fire(this.loadMoreNode);
    try {
      const added = await load;
      return generation === this.generation ? added : 0;
    } catch (e) {
      if (generation === this.generation) this.pageFailure = this.errorRow(e, 'Could not load more payments');
      return 0;
    } finally {
      if (generation === this.generation) {
        this.loadMoreNode.loading = false;
        this.loading = undefined;
        this.changed.fire(undefined);
        this.updateViewText();
      }
    }
  }

  /** Selects a payment's row, if it is loaded and shown. */
  async reveal(paymentId: string): Promise<void> {
    const node = this.byId.get(paymentId);
    if (node && this.view?.visible && this.passesStatus(node.payment)) {
      await this.view.reveal(node, { select: true, focus: false }).then(undefined, () => undefined);
    }
  }

  // ---------------------------------------------------------------------------- loading

  private startLoad(): void {
    const generation = this.generation;
    const load = (async () => {
      try {
        await this.fetchPage(undefined);
        if (generation !== this.generation) return;
        this.failure = undefined;
        void vscode.commands.executeCommand('setContext', 'perfectpay.needsApiKey', false);
      } catch (e) {
        if (generation !== this.generation) return;
        const info = errorInfo(e);
        if (info.kind === 'missing_key') {
          // The view's welcome content asks for the key.
          this.failure = [];
          void vscode.commands.executeCommand('setContext', 'perfectpay.needsApiKey', true);
        } else {
          void vscode.commands.executeCommand('setContext', 'perfectpay.needsApiKey', false);
          this.failure = this.failureRows(e);
        }
      } finally {
        if (generation === this.generation) {
          this.loaded = true;
          this.loading = undefined;
          this.changed.fire(undefined);
          this.updateViewText();
        }
      }
    })();
    this.loading = load;
  }

  /** One `GET /payments/list`; appends what it brings. Throws the service's errors. */
  private async fetchPage(after: string | undefined): Promise<number> {
    const generation = this.generation;
    const limit = this.environments.settings().pageSize;
    const page = await this.service.listPayments({ limit, starting_after: after, customer_id: this.filter.customerId });
    if (generation !== this.generation) return 0;
    let added = 0;
    for (const p of page.data) {
      if (this.byId.has(p.payment_id)) {
        this.byId.get(p.payment_id)!.payment = p;
        continue;
      }
      const node: PaymentNode = { kind: 'payment', payment: p };
      this.byId.set(p.payment_id, node);
      this.nodes.push(node);
      added++;
    }
    this.pageFailure = undefined;
    this.pagesLoaded++;
    const last = page.data[page.data.length - 1];
    if (last) this.cursor = last.payment_id;
    this.hasMore = page.data.length >= limit;
    return added;
  }

  private failureRows(e: unknown): MessageNode[] {
    const info = errorInfo(e);
    const rows: MessageNode[] = [this.errorRow(e, 'Could not load payments')];
    if (info.kind === 'config' || info.kind === 'network' || info.kind === 'timeout') {
      rows.push({ kind: 'message', id: 'selectEnvironment', label: 'Select Environment…', icon: 'server-environment',
        command: { command: 'perfectpay.selectEnvironment', title: 'Select Environment' } });
    }
    if (info.code === 'IR_01' || info.status === 401) {
      rows.push({ kind: 'message', id: 'setApiKey', label: 'Set API Key…', icon: 'key',
        command: { command: 'perfectpay.setApiKey', title: 'Set API Key' } });
    }
    rows.push({ kind: 'message', id: 'retry', label: 'Retry', icon: 'refresh',
      command: { command: 'perfectpay.refreshPayments', title: 'Refresh Payments' } });
    return rows;
  }

  private errorRow(e: unknown, label: string): MessageNode {
    const info = errorInfo(e);
    return {
      kind: 'message',
      id: `error:${label}`,
      label,
      description: info.message,
      tooltip: `${info.message}\n\nClick to open the request log.`,
      icon: 'error',
      color: 'errorForeground',
      command: { command: 'perfectpay.showRequestLog', title: 'Show Request Log' },
    };
  }

  // ------------------------------------------------------------------------------ changes

  private onPayment({ payment, cause }: PaymentChange): void {
    if (cause === 'list') return; // our own pages
    const node = this.byId.get(payment.payment_id);
    if (node) {
      const wasShown = this.passesStatus(node.payment);
      node.payment = payment;
      // A status filter may hide or show the row now: then the list itself changes.
      if (wasShown !== this.passesStatus(payment)) this.changed.fire(undefined);
      else this.changed.fire(node);
      return;
    }
    if (cause !== 'create' || !this.loaded || this.failure) return;
    if (this.filter.customerId && payment.customer_id !== this.filter.customerId) return;
    const added: PaymentNode = { kind: 'payment', payment };
    this.byId.set(payment.payment_id, added);
    this.nodes.unshift(added);
    this.changed.fire(undefined);
    this.updateViewText();
  }

  private passesStatus(p: Payment): boolean {
    const s = this.filter.statuses;
    return !s?.length || s.includes(p.status);
  }

  private updateViewText(): void {
    if (!this.view) return;
    const f = describeFilter(this.filter);
    this.view.description = f ? `Filtered: ${f}` : this.service.environment().label;
    if (f && this.loaded && !this.failure) {
      const shown = this.visiblePayments().length;
      this.view.message = `Filter ${f}: ${shown} of ${this.nodes.length} loaded payment${this.nodes.length === 1 ? '' : 's'} match${this.hasMore ? ' (load more to search further)' : ''}.`;
    } else {
      this.view.message = undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
