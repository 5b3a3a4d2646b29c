/**
 * The "Payments" view: newest first, ONE request per page (never one per payment), a "Load more…"
 * row for the next page. Unfiltered, pages come from `GET /payments/list` (`starting_after`);
 * filtered (status, currency, method, customer, amount and time ranges), from `POST /payments/list`
 * (`offset`), whose `total_count` gives "N of TOTAL". A server without `POST /payments/list` falls
 * back to paging with the filter applied to the loaded pages, and says so. Payments changed by an
 * action are updated in place; created ones are inserted at the top. A failed load shows as rows
 * that say what went wrong and lead to the request log, never as an empty tree.
 *
 * While the view is on screen and a loaded payment can still change by itself (not terminal: a
 * processing card, a customer's step), the loaded rows are read again with ONE list request, less often
 * each time nothing changed (src/model/poller.ts), and updated in place. Payments made by the extension's
 * test runs (the matrix, scenarios: `metadata.perfectpay_test_run`) are left out unless
 * `perfectpay.view.showTestRunPayments` is on; the view says how many it leaves out.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { Payment, PaymentListFilter } from '../api/schemas';
import { formatMinorUnits, formatMoney } from '../domain/money';
import { errorInfo, isNetworkSettingsError } from '../environment/errors';
import type { EnvironmentManager } from '../environment/EnvironmentManager';
import type { PaymentChange, PaymentsService } from '../services/PaymentsService';
import { loadMoreTreeItem, messageTreeItem, paymentTooltip, paymentTreeItem, refundTreeItem, type LoadMoreNode, type MessageNode, type PaymentNode, type TreeNode } from './items';
import { previewPage } from './preview';
import { afterViewDraws } from '../environment/hostTurn';
import { paymentStillMoving, testRunOf } from '../domain/payment';
import { Poller } from '../model/poller';

export const VIEW_ID = 'perfectpay.payments';

export interface PaymentFilter {
  statuses?: string[];
  currencies?: string[];
  /** Payment method families (`card`, `bank_transfer`…). */
  methods?: string[];
  customerId?: string;
  /** Amount range in minor units, bounds included. */
  amountMin?: number;
  amountMax?: number;
  /** Created at or after / before (ISO 8601). */
  createdFrom?: string;
  createdTo?: string;
}

export function describeFilter(f: PaymentFilter): string | undefined {
  const parts: string[] = [];
  if (f.statuses?.length) parts.push(l10n.t('status: {0}', f.statuses.join(', ')));
  if (f.currencies?.length) parts.push(l10n.t('currency: {0}', f.currencies.join(', ')));
  if (f.methods?.length) parts.push(l10n.t('method: {0}', f.methods.join(', ')));
  if (f.customerId) parts.push(l10n.t('customer: {0}', f.customerId));
  if (f.amountMin !== undefined || f.amountMax !== undefined) {
    // In the currency's units, as typed: "100-300" is 100.00–300.00 (minor units read as USD's,
    // as the amount filter's input reads them, when the filter is not on one currency).
    const cur = f.currencies?.length === 1 ? f.currencies[0]! : undefined;
    const show = (n: number | undefined): string => (n === undefined ? '…' : cur ? formatMoney(n, cur) : formatMinorUnits(n, 'USD'));
    parts.push(l10n.t('amount: {0}–{1}', show(f.amountMin), show(f.amountMax)));
  }
  if (f.createdFrom || f.createdTo) {
    parts.push(l10n.t('created: {0} to {1}', f.createdFrom?.slice(0, 16).replace('T', ' ') ?? '…', f.createdTo?.slice(0, 16).replace('T', ' ') ?? l10n.t('now')));
  }
  return parts.length ? parts.join(' · ') : undefined;
}

/** The `POST /payments/list` body of a filter (without paging). */
export function filterBody(f: PaymentFilter): PaymentListFilter {
  const body: PaymentListFilter = {};
  if (f.statuses?.length) body.status = f.statuses as PaymentListFilter['status'];
  if (f.currencies?.length) body.currency = f.currencies;
  if (f.methods?.length) body.payment_method = f.methods;
  if (f.customerId) body.customer_id = f.customerId;
  if (f.amountMin !== undefined || f.amountMax !== undefined) body.amount_filter = { start_amount: f.amountMin ?? null, end_amount: f.amountMax ?? null };
  if (f.createdFrom || f.createdTo) body.time_range = { start_time: f.createdFrom ?? '1970-01-01T00:00:00.000Z', end_time: f.createdTo ?? null };
  return body;
}

/** Whether a payment passes a filter (the fallback, over the loaded pages). */
export function matchesFilter(p: Payment, f: PaymentFilter): boolean {
  if (f.statuses?.length && !f.statuses.includes(p.status)) return false;
  if (f.currencies?.length && !f.currencies.includes(p.currency)) return false;
  if (f.methods?.length && !f.methods.includes(p.payment_method ?? '')) return false;
  if (f.customerId && p.customer_id !== f.customerId) return false;
  if (f.amountMin !== undefined && p.amount < f.amountMin) return false;
  if (f.amountMax !== undefined && p.amount > f.amountMax) return false;
  if (f.createdFrom && p.created < f.createdFrom) return false;
  if (f.createdTo && p.created > f.createdTo) return false;
  return true;
}

export class PaymentsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly firstRows = new vscode.EventEmitter<void>();
  /** Fires once, as the view is given its first rows (last session's, live ones, or what went wrong). */
  readonly onWillShowFirstRows = this.firstRows.event;
  private firstRowsShown = false;

  private nodes: PaymentNode[] = [];
  private readonly byId = new Map<string, PaymentNode>();
  private readonly loadMoreNode: LoadMoreNode = { kind: 'loadMore', loading: false };
  private cursor: string | undefined;
  /** Filtered pages: how many match in all (the next page starts after the loaded rows that still match). */
  private totalCount: number | undefined;
  /** The server has no `POST /payments/list` (found out once per environment). */
  private serverFilters = true;
  private hasMore = false;
  private loaded = false;
  private loading: Promise<void> | undefined;
  /**
   * During the first load of the local sandbox: last session's first page (see ./preview.ts), shown
   * while the sandbox starts and replaced by the live page. Undefined when there is none.
   */
  private preview: Promise<PaymentNode[] | undefined> | undefined;
  private failure: MessageNode[] | undefined;
  private pageFailure: MessageNode | undefined;
  private generation = 0;
  /** The preview is offered once per window (the sandbox is running afterwards). */
  private previewTried = false;
  private filter: PaymentFilter = {};
  private view: vscode.TreeView<TreeNode> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Pages loaded since the last refresh. */
  pagesLoaded = 0;
  /** Re-reads of the loaded rows (the live view), for tests. */
  liveReads = 0;
  private rereading = false;
  private showTestRuns = readShowTestRuns();
  private readonly poller = new Poller({
    read: () => void this.readLoadedAgain(),
    canChange: () => this.loaded && !this.failure && this.nodes.some((n) => paymentStillMoving(n.payment)),
    visible: () => this.view?.visible ?? false,
    reading: () => this.rereading || this.loading !== undefined,
  });

  constructor(
    private readonly service: PaymentsService,
    private readonly environments: EnvironmentManager,
  ) {
    this.disposables.push(
      this.changed,
      this.firstRows,
      service.onDidChangePayment((c) => this.onPayment(c)),
      // Invalidate only: a shown view asks for its rows again (and so loads); a hidden one waits.
      service.onDidChangeEnvironment(() => {
        this.serverFilters = true;
        this.invalidate();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('perfectpay.pageSize')) this.invalidate();
        if (e.affectsConfiguration('perfectpay.view.showTestRunPayments')) {
          this.showTestRuns = readShowTestRuns();
          this.changed.fire(undefined);
          this.updateViewText();
        }
      }),
      { dispose: () => this.poller.dispose() },
    );
  }

  /** Binds the TreeView (for its description, message and reveal). */
  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
    this.disposables.push(view.onDidChangeVisibility(() => this.poller.visibilityChanged()));
    this.updateViewText();
  }

  // ------------------------------------------------------------------- TreeDataProvider

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'payment') return paymentTreeItem(node.payment);
    if (node.kind === 'refund') return refundTreeItem(node.refund);
    if (node.kind === 'loadMore') return loadMoreTreeItem(node);
    return messageTreeItem(node);
  }

  /** A payment's tooltip, made when the row is hovered (VS Code asks for rows without one). */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'payment' && item.tooltip === undefined) item.tooltip = paymentTooltip(node.payment);
    return item;
  }

  /** A refund row's parent is its payment's row (reveal needs it); every other row is at the top. */
  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'refund' ? this.byId.get(node.refund.payment_id) : undefined;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    // A payment's refunds, as its answer lists them (newest first).
    if (node?.kind === 'payment') return (node.payment.refunds ?? []).map((refund): TreeNode => ({ kind: 'refund', refund })).reverse();
    if (node) return [];
    if (!this.loaded && !this.loading) this.startLoad();
    // Whichever comes first: the live page, or last session's while the local sandbox starts (the live
    // one replaces it when it lands: the load fires a change).
    const loading = this.loading;
    const preview = this.preview;
    if (loading && preview) {
      const first = await Promise.race([loading.then(() => undefined), preview]);
      if (first?.length && this.loading === loading && !this.loaded) return this.showing(first);
    }
    // A refresh during the wait starts another load: wait for that one too (no empty flash).
    while (this.loading) await this.loading;
    return this.showing(this.rows());
  }

  private showing(rows: TreeNode[]): TreeNode[] {
    if (!this.firstRowsShown) {
      this.firstRowsShown = true;
      this.firstRows.fire();
    }
    return rows;
  }

  /** Whether the rows shown are last session's, while the live page loads (for tests). */
  get showsPreview(): boolean {
    return this.preview !== undefined && !this.loaded;
  }

  // -------------------------------------------------------------------------------- state

  /** The rows as shown: payments passing the status filter, then an error row and "Load more…". */
  rows(): TreeNode[] {
    if (this.failure) return this.failure;
    const out: TreeNode[] = this.nodes.filter((n) => this.shows(n.payment));
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
    return structuredClone(this.filter);
  }

  /** How many payments match the filter on the server (`total_count`), when it said. */
  get matchCount(): number | undefined {
    return this.totalCount;
  }

  /** Whether the filter runs on the server (false: over the loaded pages only). */
  get filtersOnServer(): boolean {
    return this.serverFilters;
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
    this.totalCount = undefined;
    this.hasMore = false;
    this.loaded = false;
    this.failure = undefined;
    this.pageFailure = undefined;
    this.pagesLoaded = 0;
    this.loading = undefined;
    this.preview = undefined;
    this.loadMoreNode.loading = false;
  }

  /** Resolves when the current load (if any) is over. */
  async whenLoaded(): Promise<void> {
    if (!this.loaded && !this.loading) this.startLoad();
    while (this.loading) await this.loading;
  }

  /** Applies a filter: the first matching page is loaded again (one request). */
  async setFilter(filter: PaymentFilter): Promise<void> {
    const list = (v: string[] | undefined): string[] | undefined => (v?.length ? [...new Set(v)] : undefined);
    const num = (v: number | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined);
    this.filter = {
      statuses: list(filter.statuses),
      currencies: list(filter.currencies?.map((c) => c.toUpperCase())),
      methods: list(filter.methods),
      customerId: filter.customerId?.trim() || undefined,
      amountMin: num(filter.amountMin),
      amountMax: num(filter.amountMax),
      createdFrom: filter.createdFrom || undefined,
      createdTo: filter.createdTo || undefined,
    };
    for (const k of Object.keys(this.filter) as (keyof PaymentFilter)[]) if (this.filter[k] === undefined) delete this.filter[k];
    void vscode.commands.executeCommand('setContext', 'perfectpay.filterActive', describeFilter(this.filter) !== undefined);
    this.updateViewText();
    await this.refresh();
  }

  /** Loads the next page (one request). Resolves to the number of payments added. */
  async loadMore(): Promise<number> {
    await this.whenLoaded();
    if (!this.hasMore || this.failure) return 0;
    const generation = this.generation;
    const load = this.fetchPage(false);
    this.loading = load.then(() => undefined, () => undefined);
    this.loadMoreNode.loading = true;
    this.changed.fire(this.loadMoreNode);
    try {
      const added = await load;
      return generation === this.generation ? added : 0;
    } catch (e) {
      if (generation === this.generation) this.pageFailure = this.errorRow(e, l10n.t('Could not load more payments'));
      return 0;
    } finally {
      if (generation === this.generation) {
        this.loadMoreNode.loading = false;
        this.loading = undefined;
        this.changed.fire(undefined);
        this.updateViewText();
        if (!this.poller.isScheduled()) this.poller.schedule();
      }
    }
  }

  /** Selects a payment's row, if it is loaded and shown. */
  async reveal(paymentId: string): Promise<void> {
    const node = this.byId.get(paymentId);
    if (node && this.view?.visible && this.shows(node.payment)) {
      await this.view.reveal(node, { select: true, focus: false }).then(undefined, () => undefined);
    }
  }

  // ---------------------------------------------------------------------------- loading

  private startLoad(): void {
    const generation = this.generation;
    // Only the very first page of a window, unfiltered: later loads find the sandbox running.
    if (this.pagesLoaded === 0 && !describeFilter(this.filter) && !this.previewTried) {
      this.previewTried = true;
      const limit = this.environments.settings().pageSize;
      this.preview = this.environments.lastFirstPage().then(
        (rows) => (rows ? previewPage(rows, limit).map((payment): PaymentNode => ({ kind: 'payment', payment })) : undefined),
        () => undefined,
      );
    }
    const preview = this.preview;
    const load = (async () => {
      try {
        // With last session's rows to show, they are drawn first: starting the sandbox (loading the
        // runtime, restoring its payments) holds the extension host and a core for a few hundred ms.
        if (preview && (await preview)?.length) await afterViewDraws();
        await this.fetchPage(true);
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
          this.preview = undefined;
          this.changed.fire(undefined);
          this.updateViewText();
          this.poller.reset();
          this.poller.schedule();
        }
      }
    })();
    this.loading = load;
  }

  /**
   * One page, one request: `POST /payments/list` when filtered (falling back to paging if the server
   * has no such route), `GET /payments/list` otherwise. Appends what it brings; throws the service's
   * errors.
   */
  private async fetchPage(first: boolean): Promise<number> {
    const generation = this.generation;
    const limit = this.environments.settings().pageSize;
    if (describeFilter(this.filter) && this.serverFilters) {
      try {
        // The server's list now holds the loaded rows that still match, not the rows loaded: a row an
        // action took out of the filter (a capture) shifted the rest up, and counting it would skip one.
        const offset = first ? 0 : this.nodes.filter((n) => this.passes(n.payment)).length;
        const page = await this.service.filterPayments({ ...filterBody(this.filter), offset, limit });
        if (generation !== this.generation) return 0;
        // A payment made elsewhere meanwhile shifts the list down: its rows already loaded are not added twice.
        const added = this.append(page.data);
        this.totalCount = page.total_count;
        this.hasMore = page.data.length > 0 && offset + page.data.length < page.total_count;
        return added;
      } catch (e) {
        if (!isMissingRoute(e)) throw e;
        // This server has no POST /payments/list: page through everything and filter what is loaded.
        this.serverFilters = false;
        this.totalCount = undefined;
        if (generation !== this.generation) return 0;
      }
    }
    const page = await this.service.listPayments({ limit, starting_after: first ? undefined : this.cursor, customer_id: this.filter.customerId });
    if (generation !== this.generation) return 0;
    const added = this.append(page.data);
    const last = page.data[page.data.length - 1];
    if (last) this.cursor = last.payment_id;
    this.hasMore = page.data.length >= limit;
    return added;
  }

  private append(payments: readonly Payment[]): number {
    let added = 0;
    for (const p of payments) {
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
    return added;
  }

  private failureRows(e: unknown): MessageNode[] {
    const info = errorInfo(e);
    const rows: MessageNode[] = [this.errorRow(e, l10n.t('Could not load payments'))];
    if (info.kind === 'config' || info.kind === 'network' || info.kind === 'timeout') {
      rows.push({ kind: 'message', id: 'selectEnvironment', label: l10n.t('Select Environment…'), icon: 'server-environment',
        command: { command: 'perfectpay.selectEnvironment', title: l10n.t('Select Environment') } });
    }
    if (isNetworkSettingsError(info)) {
      rows.push({ kind: 'message', id: 'proxySettings', label: l10n.t('Open Settings'), icon: 'settings-gear',
        command: { command: 'workbench.action.openSettings', title: l10n.t('Open Settings'), arguments: ['http.proxy'] } });
    }
    if (info.code === 'IR_01' || info.status === 401) {
      rows.push({ kind: 'message', id: 'setApiKey', label: l10n.t('Set API Key…'), icon: 'key',
        command: { command: 'perfectpay.setApiKey', title: l10n.t('Set API Key') } });
    }
    rows.push({ kind: 'message', id: 'retry', label: l10n.t('Retry'), icon: 'refresh',
      command: { command: 'perfectpay.refreshPayments', title: l10n.t('Refresh Payments') } });
    return rows;
  }

  private errorRow(e: unknown, label: string): MessageNode {
    const info = errorInfo(e);
    return {
      kind: 'message',
      id: `error:${label}`,
      label,
      description: info.message,
      tooltip: `${info.message}\n\n${l10n.t('Click to open the request log.')}`,
      icon: 'error',
      color: 'errorForeground',
      command: { command: 'perfectpay.showRequestLog', title: l10n.t('Show Request Log') },
    };
  }

  // ------------------------------------------------------------------------------ changes

  private onPayment({ payment, cause }: PaymentChange): void {
    if (cause === 'list') return; // our own pages
    const node = this.byId.get(payment.payment_id);
    if (node) {
      const wasShown = this.shows(node.payment);
      const statusChanged = node.payment.status !== payment.status;
      node.payment = payment;
      // A filter may hide or show the row now: then the list itself changes.
      if (wasShown !== this.shows(payment)) this.changed.fire(undefined);
      else this.changed.fire(node);
      if (statusChanged) this.pollSoon();
      return;
    }
    if (cause !== 'create' || !this.loaded || this.failure) return;
    if (!matchesFilter(payment, this.filter)) return;
    const added: PaymentNode = { kind: 'payment', payment };
    this.byId.set(payment.payment_id, added);
    this.nodes.unshift(added);
    this.changed.fire(undefined);
    this.updateViewText();
    this.pollSoon();
  }

  /** Rows are filtered here too: a changed payment may no longer match (and the fallback needs it). */
  private passes(p: Payment): boolean {
    return matchesFilter(p, this.filter);
  }

  /** Whether a loaded payment is shown: it passes the filter, and is no test run's unless those are shown. */
  private shows(p: Payment): boolean {
    return this.passes(p) && (this.showTestRuns || testRunOf(p) === undefined);
  }

  /** How many loaded payments that pass the filter are left out as test runs'. */
  get hiddenTestRuns(): number {
    return this.showTestRuns ? 0 : this.nodes.filter((n) => this.passes(n.payment) && testRunOf(n.payment) !== undefined).length;
  }

  /** A row changed or came: the live view reads again soon (when it is not already on its way). */
  private pollSoon(): void {
    this.poller.reset();
    if (!this.poller.isScheduled() || this.poller.nextDelay() > 2 * 2000) this.poller.schedule();
  }

  /**
   * The live view: the loaded rows read again with ONE list request (the first page's request, as many
   * rows as are loaded up to the last that can still change, at most 100), each row found updated in place.
   * A payment made elsewhere meanwhile is left for Refresh (the rows keep their places).
   */
  private async readLoadedAgain(): Promise<void> {
    const generation = this.generation;
    const last = this.nodes.map((n) => paymentStillMoving(n.payment)).lastIndexOf(true);
    if (last < 0 || this.rereading) return;
    this.rereading = true;
    this.liveReads++;
    let changed = false;
    try {
      const limit = Math.min(100, last + 1);
      const page = describeFilter(this.filter) && this.serverFilters
        ? await this.service.filterPayments({ ...filterBody(this.filter), offset: 0, limit })
        : await this.service.listPayments({ limit, customer_id: this.filter.customerId });
      if (generation !== this.generation) return;
      for (const p of page.data) {
        const node = this.byId.get(p.payment_id);
        if (!node || JSON.stringify(node.payment) === JSON.stringify(p)) continue;
        if (node.payment.status !== p.status) changed = true;
        const wasShown = this.shows(node.payment);
        node.payment = p;
        this.changed.fire(wasShown === this.shows(p) ? node : undefined);
      }
      if (changed) {
        this.poller.reset();
        this.updateViewText();
      }
    } catch {
      this.poller.failed();
    } finally {
      this.rereading = false;
      if (generation === this.generation) this.poller.schedule();
    }
  }

  /** What the view says above its rows (description and message), for tests. */
  get viewText(): { description?: string; message?: string } {
    return { description: this.view?.description, message: this.view?.message };
  }

  private updateViewText(): void {
    if (!this.view) return;
    const f = describeFilter(this.filter);
    const shown = this.visiblePayments().length;
    if (f && this.serverFilters) {
      const counted = this.totalCount !== undefined && this.loaded;
      this.view.description = counted ? l10n.t('{0} of {1} · {2}', shown, this.totalCount!, f) : l10n.t('Filtered: {0}', f);
      // The description is not drawn while the view is alone in its container (VS Code merges its title
      // into the container's): the message above the rows says the same wherever the view sits.
      this.view.message =
        counted && this.totalCount! > 0
          ? this.totalCount === 1
            ? l10n.t('{0} of {1} payment · {2}', shown, this.totalCount, f)
            : l10n.t('{0} of {1} payments · {2}', shown, this.totalCount!, f)
          : undefined;
    } else if (f) {
      this.view.description = l10n.t('Filtered: {0}', f);
      this.view.message = this.loaded && !this.failure
        ? this.noServerFilterText(shown)
        : undefined;
    } else {
      this.view.description = this.service.environment().label;
      this.view.message = undefined;
    }
    const hidden = this.hiddenTestRuns;
    if (hidden > 0) {
      const note = hidden === 1
        ? l10n.t('1 payment of a test run (test card matrix, scenarios) is not shown: setting perfectpay.view.showTestRunPayments.')
        : l10n.t('{0} payments of test runs (test card matrix, scenarios) are not shown: setting perfectpay.view.showTestRunPayments.', hidden);
      this.view.message = this.view.message ? `${this.view.message}\n${note}` : note;
    }
  }

  /** The filter runs on the loaded rows only: how many, and how many match. */
  private noServerFilterText(shown: number): string {
    const n = this.nodes.length;
    if (this.hasMore) {
      return n === 1
        ? l10n.t('This server has no POST /payments/list: the filter covers the {0} loaded payment only ({1} match; load more to search further).', n, shown)
        : l10n.t('This server has no POST /payments/list: the filter covers the {0} loaded payments only ({1} match; load more to search further).', n, shown);
    }
    return n === 1
      ? l10n.t('This server has no POST /payments/list: the filter covers the {0} loaded payment only ({1} match).', n, shown)
      : l10n.t('This server has no POST /payments/list: the filter covers the {0} loaded payments only ({1} match).', n, shown);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function readShowTestRuns(): boolean {
  return vscode.workspace.getConfiguration('perfectpay').get<boolean>('view.showTestRunPayments', false) === true;
}

/** The server does not know `POST /payments/list` (404 / 405, IR_02 / IR_03). */
function isMissingRoute(e: unknown): boolean {
  const info = errorInfo(e);
  return info.kind === 'api' && (info.status === 404 || info.status === 405) && info.code !== 'HE_02';
}
