/** How a payment looks in the tree: label, description, icon, tooltip, contextValue. Pure view code. */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { Payment, Refund } from '../api/schemas';
import { formatMoney } from '../domain/money';
import { refundedSummary } from '../domain/payment';
import { relativeTime } from '../domain/time';
import { redactText } from '../domain/redact';
import { codeSpan, escapeMarkdown } from '../domain/text';
import { allowedActions, isKnownStatus, STATUS_INFO, statusKind, statusLabel, type StatusKind } from '../domain/status';

export type PaymentNode = { kind: 'payment'; payment: Payment };
/** A refund of a payment, under its payment's row. */
export type RefundNode = { kind: 'refund'; refund: Refund };
export type LoadMoreNode = { kind: 'loadMore'; loading: boolean };
/** A message row (an error loading the list, a hint), with an optional action on click. */
export type MessageNode = {
  kind: 'message';
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  color?: string;
  command?: vscode.Command;
};
export type TreeNode = PaymentNode | RefundNode | LoadMoreNode | MessageNode;

/**
 * `payment` followed by each action the status allows, most likely first:
 * `payment:confirm:simulate:cancel`, `payment:capture:cancel`, `payment` (nothing to do).
 * Menus test it with `viewItem =~ /:capture(:|$)/`; the inline button takes the first action
 * (`viewItem =~ /^payment:capture/`).
 */
export function paymentContextValue(status: string): string {
  return ['payment', ...allowedActions(status)].join(':');
}

const KIND_ICON: Record<StatusKind, { icon: string; color?: string }> = {
  success: { icon: 'pass', color: 'testing.iconPassed' },
  waiting: { icon: 'clock', color: 'charts.yellow' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  cancelled: { icon: 'circle-slash', color: 'disabledForeground' },
  unknown: { icon: 'question' },
};

export function statusIconId(status: string): { icon: string; color?: string } {
  if (status === 'processing') return { icon: 'sync', color: 'charts.yellow' };
  if (status === 'requires_customer_action') return { icon: 'person', color: 'charts.yellow' };
  return KIND_ICON[statusKind(status)];
}

export function statusIcon(status: string): vscode.ThemeIcon {
  const { icon, color } = statusIconId(status);
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

/** "49.99 USD", "5000 JPY". */
export function paymentLabel(p: Payment): string {
  return formatMoney(p.amount, p.currency);
}

/**
 * "Succeeded · Order 1001", or the id when there is no description; unknown statuses raw. The
 * status word comes first: a narrow side bar cuts the end of a long description.
 */
export function paymentDescription(p: Payment): string {
  return redactText(`${statusLabel(p.status)} · ${p.description?.trim() || p.payment_id}`);
}

/** Server text as Markdown: escaped, and card numbers masked (a description may carry one). */
function md(text: string): string {
  return escapeMarkdown(redactText(text));
}

/** An id or code in a table cell: a code span without backticks, line breaks or backslashes. */
function code(text: string): string {
  return codeSpan(redactText(text), { inTable: true });
}

function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function paymentTooltip(p: Payment): vscode.MarkdownString {
  const t = new vscode.MarkdownString(undefined, true);
  const { icon } = statusIconId(p.status);
  const meaning = isKnownStatus(p.status) ? STATUS_INFO[p.status].meaning : l10n.t('A status this version does not know: shown as the server sent it.');
  t.appendMarkdown(`**${md(paymentLabel(p))}** · $(${icon}) ${md(statusLabel(p.status))}\n\n`);
  t.appendMarkdown(`_${md(meaning)}_\n\n`);
  const refunded = refundedSummary(p);
  if (refunded) t.appendMarkdown(`$(discard) ${md(refunded)}\n\n`);
  const rows: [string, string][] = [
    ['ID', code(p.payment_id)],
    [l10n.t('Status'), code(p.status)],
    [l10n.t('Amount'), md(formatMoney(p.amount, p.currency))],
  ];
  if (p.amount_capturable !== null && p.amount_capturable !== undefined) rows.push([l10n.t('Capturable'), md(formatMoney(p.amount_capturable, p.currency))]);
  if (p.amount_received !== null && p.amount_received !== undefined) rows.push([l10n.t('Received'), md(formatMoney(p.amount_received, p.currency))]);
  if (p.capture_method) rows.push([l10n.t('Capture method'), code(p.capture_method)]);
  if (p.customer_id) rows.push([l10n.t('Customer'), code(p.customer_id)]);
  if (p.description) rows.push([l10n.t('Description'), md(p.description)]);
  const card = p.payment_method_data?.card;
  if (card?.last4) rows.push([l10n.t('Card'), md(`${card.card_network ?? l10n.t('card')} •••• ${card.last4}`)]);
  else if (p.payment_method) rows.push([l10n.t('Method'), md([p.payment_method, p.payment_method_type].filter(Boolean).join(' / '))]);
  if (p.next_action?.type) rows.push([l10n.t('Next action'), code(p.next_action.type)]);
  if (p.error_code || p.error_message) rows.push([l10n.t('Error'), md([p.error_code, p.error_message].filter(Boolean).join(': '))]);
  if (p.cancellation_reason) rows.push([l10n.t('Cancellation reason'), md(p.cancellation_reason)]);
  rows.push([l10n.t('Created'), md(when(p.created))]);
  t.appendMarkdown('| | |\n|---|---|\n' + rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n'));
  return t;
}

export function paymentTreeItem(p: Payment): vscode.TreeItem {
  // A payment with refunds opens on them (collapsed: the list stays one row per payment).
  const item = new vscode.TreeItem(paymentLabel(p), p.refunds?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `payment:${p.payment_id}`;
  item.description = paymentDescription(p);
  item.iconPath = statusIcon(p.status);
  // No tooltip here: resolveTreeItem makes it on hover (a page of Markdown tables the first page need not carry).
  item.contextValue = paymentContextValue(p.status);
  item.accessibilityInformation = { label: `${paymentLabel(p)}, ${paymentDescription(p)}` };
  // A preview inspector: the next row's click reuses its place; a double click (or using it) keeps it.
  item.command = { command: 'perfectpay.inspectPayment', title: l10n.t('Inspect Payment'), arguments: [{ paymentId: p.payment_id, preview: true }] };
  return item;
}

/** A refund's status as an icon: succeeded, failed, or still moving (pending, review, unknown). */
export function refundIconId(status: string): { icon: string; color?: string } {
  return status === 'succeeded' ? KIND_ICON.success : status === 'failed' ? KIND_ICON.failed : KIND_ICON.waiting;
}

/** A refund row: its amount, status and age; a click opens its JSON document; Copy as cURL on its routes. */
export function refundTreeItem(r: Refund, now = Date.now()): vscode.TreeItem {
  const item = new vscode.TreeItem(formatMoney(r.amount, r.currency), vscode.TreeItemCollapsibleState.None);
  item.id = `refund:${r.refund_id}`;
  const created = r.created_at ? Date.parse(r.created_at) : NaN;
  const status = statusLabel(r.status);
  item.description = redactText([status, Number.isFinite(created) ? relativeTime(created, now) : undefined, r.reason].filter(Boolean).join(' · '));
  const { icon, color } = refundIconId(r.status);
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  item.contextValue = 'refund';
  const t = new vscode.MarkdownString(undefined, true);
  t.appendMarkdown(`**${md(l10n.t('Refund of {0}', formatMoney(r.amount, r.currency)))}** · $(${icon}) ${md(status)}\n\n`);
  const rows: [string, string][] = [['ID', code(r.refund_id)], [l10n.t('Status'), code(r.status)]];
  if (r.reason) rows.push([l10n.t('Reason'), md(r.reason)]);
  if (r.error_code || r.error_message) rows.push([l10n.t('Error'), md([r.error_code, r.error_message].filter(Boolean).join(': '))]);
  rows.push([l10n.t('Created'), md(when(r.created_at))]);
  t.appendMarkdown('| | |\n|---|---|\n' + rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n'));
  item.tooltip = t;
  item.accessibilityInformation = { label: l10n.t('Refund of {0}, {1}', formatMoney(r.amount, r.currency), item.description) };
  item.command = { command: 'perfectpay.openPaymentAsJson', title: l10n.t('Open as JSON'), arguments: [{ paymentId: r.payment_id, refundId: r.refund_id }] };
  return item;
}

export function loadMoreTreeItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.loading ? l10n.t('Loading…') : l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
  item.id = 'perfectpay:loadMore';
  item.iconPath = new vscode.ThemeIcon(node.loading ? 'loading~spin' : 'ellipsis');
  item.tooltip = l10n.t('Load the next page of payments');
  item.contextValue = 'loadMore';
  if (!node.loading) item.command = { command: 'perfectpay.loadMore', title: l10n.t('Load More') };
  return item;
}

export function messageTreeItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = `perfectpay:message:${node.id}`;
  item.description = node.description;
  item.tooltip = node.tooltip ?? node.description;
  item.iconPath = new vscode.ThemeIcon(node.icon, node.color ? new vscode.ThemeColor(node.color) : undefined);
  item.contextValue = 'message';
  item.command = node.command;
  return item;
}
