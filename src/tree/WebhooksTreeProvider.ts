/**
 * The Webhooks view, beside Payments: the current environment's events newest first (type, the
 * payment or refund it is about, age, ✓ delivered / ✗ failing / – not sent), each expandable into
 * its delivery attempts (status code, duration, retry kind); above them, while it runs, the webhook
 * inbox and what arrived there (✓ signature valid / ✗ not). Everything shown is the server's text,
 * as text. While the view is on screen it reads the events again every few seconds (one request),
 * and at once after a payment changes.
 */
import * as vscode from 'vscode';
import type { EventAttempt, EventListItem } from '../api/schemas';
import { COMMAND_IDS } from '../domain/commandIds';
import { relativeTime } from '../domain/time';
import { errorInfo } from '../environment/errors';
import { l10n } from '../environment/l10n';
import type { PaymentsService } from '../services/PaymentsService';
import type { WebhookInboxHost } from '../services/webhookInbox';
import type { InboxArrival } from '../environment/runtime';

export const WEBHOOKS_VIEW_ID = 'perfectpay.webhooks';
/** Events read at a time (the newest). */
const PAGE = 50;
const REREAD_MS = 3000;

export type WebhookNode =
  | { kind: 'event'; event: EventListItem }
  | { kind: 'attempt'; event: EventListItem; attempt: EventAttempt }
  | { kind: 'inbox' }
  | { kind: 'arrival'; arrival: InboxArrival }
  | { kind: 'message'; text: string; tooltip?: string };

/** ✓ delivered, ✗ failing, – not sent (no URL). */
export function deliveryMark(delivered: boolean | null | undefined): string {
  return delivered === true ? '✓' : delivered === false ? '✗' : '–';
}

export class WebhooksTreeProvider implements vscode.TreeDataProvider<WebhookNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<WebhookNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private events: EventListItem[] | undefined;
  private problem: string | undefined;
  private reading: Promise<void> | undefined;
  private view: vscode.TreeView<WebhookNode> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Reads of the event list, for tests. */
  reads = 0;

  constructor(private readonly service: PaymentsService, private readonly inbox: WebhookInboxHost) {
    this.disposables.push(
      this.changed,
      service.onDidChangeEnvironment(() => {
        this.events = undefined;
        this.problem = undefined;
        this.changed.fire(undefined);
      }),
      service.onDidChangePayment(() => this.readSoon()),
      inbox.onDidChange(() => {
        this.changed.fire(undefined);
        this.readSoon();
      }),
    );
  }

  attach(view: vscode.TreeView<WebhookNode>): void {
    this.view = view;
    this.disposables.push(view.onDidChangeVisibility(() => this.schedule()));
    this.schedule();
  }

  /** While on screen: read again every few seconds. */
  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.view?.visible) this.timer = setInterval(() => void this.refresh(), REREAD_MS);
  }

  private readSoon(): void {
    if (this.soon || !this.view?.visible) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.refresh();
    }, 300);
  }

  /** Reads the newest events again (one read at a time). */
  refresh(): Promise<void> {
    return (this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    }));
  }

  private async read(): Promise<void> {
    this.reads++;
    try {
      const list = await this.service.listEvents({ limit: PAGE });
      this.events = list.events;
      this.problem = undefined;
    } catch (e) {
      const info = errorInfo(e);
      this.events = [];
      this.problem =
        info.status === 401 || info.status === 403 || info.status === 404
          ? l10n.t('This key cannot read the events of {0} (HTTP {1}: {2}). Events need a secret key allowed to read them.', this.service.environment().label, info.status, info.message)
          : l10n.t('The events could not be read: {0}', info.message);
    }
    this.changed.fire(undefined);
  }

  /** The events shown now (newest first), for commands and tests. */
  shownEvents(): readonly EventListItem[] {
    return this.events ?? [];
  }

  async getChildren(node?: WebhookNode): Promise<WebhookNode[]> {
    if (!node) {
      if (this.events === undefined) await this.refresh();
      const rows: WebhookNode[] = [];
      if (this.inbox.url) rows.push({ kind: 'inbox' });
      if (this.problem) rows.push({ kind: 'message', text: this.problem, tooltip: this.problem });
      else if (!this.events?.length) rows.push({ kind: 'message', text: l10n.t('No events yet: a payment or refund that changes status makes one.') });
      for (const event of this.events ?? []) rows.push({ kind: 'event', event });
      return rows;
    }
    if (node.kind === 'inbox') return this.inbox.arrivals().map((arrival) => ({ kind: 'arrival', arrival }));
    if (node.kind === 'event') {
      try {
        return (await this.service.eventAttempts(node.event.event_id)).map((attempt) => ({ kind: 'attempt', event: node.event, attempt }));
      } catch (e) {
        return [{ kind: 'message', text: l10n.t('The attempts could not be read: {0}', errorInfo(e).message) }];
      }
    }
    return [];
  }

  getTreeItem(node: WebhookNode): vscode.TreeItem {
    const now = Date.now();
    switch (node.kind) {
      case 'event': {
        const e = node.event;
        const item = new vscode.TreeItem(`${deliveryMark(e.is_delivery_successful)} ${e.event_type}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `event:${e.event_id}`;
        item.description = `${e.object_id} · ${relativeTime(Date.parse(e.created), now)}`;
        item.tooltip = new vscode.MarkdownString().appendText(
          [e.event_id, e.event_type, e.object_id, e.created, e.is_delivery_successful === true ? l10n.t('delivered') : e.is_delivery_successful === false ? l10n.t('not delivered') : l10n.t('not sent (no webhook URL)')].join('\n'),
        );
        item.contextValue = 'perfectpayEvent';
        item.command = { command: COMMAND_IDS.openEvent, title: l10n.t('Open Event'), arguments: [e.event_id] };
        return item;
      }
      case 'attempt': {
        const a = node.attempt;
        const status = a.response.status_code ?? a.response.error_message ?? l10n.t('waiting');
        const item = new vscode.TreeItem(`${deliveryMark(a.is_delivery_successful)} ${String(status)}`, vscode.TreeItemCollapsibleState.None);
        const ms = (a as { duration_ms?: unknown }).duration_ms;
        item.description = [a.delivery_attempt ?? '', typeof ms === 'number' ? `${Math.round(ms)} ms` : '', relativeTime(Date.parse(a.created), now)].filter(Boolean).join(' · ');
        item.tooltip = new vscode.MarkdownString().appendText(`${a.event_id}\n${a.response.error_message ?? ''}`);
        item.contextValue = 'perfectpayEventAttempt';
        return item;
      }
      case 'inbox': {
        const item = new vscode.TreeItem(l10n.t('Webhook inbox'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'inbox';
        item.description = `${this.inbox.url ?? ''} · ${this.inbox.failing ? l10n.t('answering 500') : l10n.t('answering 200')}`;
        item.iconPath = new vscode.ThemeIcon('inbox');
        item.contextValue = this.inbox.failing ? 'perfectpayInboxFailing' : 'perfectpayInbox';
        return item;
      }
      case 'arrival': {
        const a = node.arrival;
        const label = `${a.valid ? '✓' : '✗'} ${a.eventType ?? l10n.t('(not an event)')}`;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.description = `${a.objectId ?? ''} · ${a.valid ? l10n.t('signature valid') : l10n.t('signature invalid')} · ${a.answered} · ${relativeTime(a.at, now)}`;
        item.contextValue = 'perfectpayInboxArrival';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        if (node.tooltip) item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    for (const d of this.disposables) d.dispose();
  }
}
