/** What every command gets, and the helpers they share: readiness, progress, outcome and error messages. */
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../domain/commandIds';
import { l10n } from '../environment/l10n';
import type { Payment } from '../api/schemas';
import type { RequestLog } from '../log/requestLog';
import { formatMoney } from '../domain/money';
import { canDo, statusLabel } from '../domain/status';
import { errorInfo, isNetworkSettingsError, type ErrorInfo } from '../environment/errors';
import type { EnvironmentManager } from '../environment/EnvironmentManager';
import type { PaymentsService } from '../services/PaymentsService';
import type { PaymentsTreeProvider } from '../tree/PaymentsTreeProvider';
import type { WebhooksTreeProvider } from '../tree/WebhooksTreeProvider';
import type { WebhookInboxHost } from '../services/webhookInbox';
import type { MessageAction, Notifier } from './notifier';

export interface Inspector {
  open(paymentId: string, options?: { preview?: boolean }): Promise<void>;
  /** The open panels (the active one names the payment a command from the inspector's title bar is about; a visible one shows its outcomes). */
  panels?(): readonly { paymentId: string; panel: { active: boolean; visible: boolean } }[];
}

/** The payment's inspector is on screen: what happens to it is seen there, not toasted again. */
export function inspectorVisible(d: CommandDeps, paymentId: string): boolean {
  return (d.inspector().panels?.() ?? []).some((p) => p.paymentId === paymentId && p.panel.visible);
}

export interface CommandDeps {
  service: PaymentsService;
  environments: EnvironmentManager;
  tree: PaymentsTreeProvider;
  requestLog: RequestLog;
  notifier: Notifier;
  inspector: () => Inspector;
  log: vscode.LogOutputChannel;
  /** The Webhooks view and the webhook inbox. */
  webhooks: WebhooksTreeProvider;
  inbox: WebhookInboxHost;
}

/** The command ids (the one list, src/domain/commandIds.ts). */
export const cmd = COMMAND_IDS;


export const showLogAction = (d: CommandDeps): MessageAction => ({ title: l10n.t('Show Request Log'), run: () => d.requestLog.show() });
export const inspectAction = (id: string): MessageAction => ({
  title: l10n.t('Inspect'),
  run: () => vscode.commands.executeCommand(cmd.inspect, id),
});

/**
 * Before a command asks anything: the environment's settings must be usable, and its key known
 * (asked for now when missing). False when the command should stop (the user was told why).
 */
export async function ensureReady(d: CommandDeps): Promise<boolean> {
  const problem = d.environments.configProblem();
  if (problem) {
    d.notifier.error(problem, selectEnvironmentAction, openSettingsAction('perfectpay.baseUrl'), showLogAction(d));
    return false;
  }
  if (await d.environments.needsApiKey()) {
    const key = await askApiKey(d.service.environment().label);
    if (key === undefined) return false;
    await d.environments.setApiKey(key);
  }
  return true;
}

/** The password box for a key: never echoed, never logged. Undefined when dismissed. */
export async function askApiKey(label: string): Promise<string | undefined> {
  const key = await vscode.window.showInputBox({
    title: l10n.t('PerfectPay: API key for {0}', label),
    prompt: l10n.t("Your secret API key for {0}. It is kept in VS Code's secret storage, never in settings or logs.", label),
    placeHolder: l10n.t('Paste the secret key'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      !v.trim()
        ? l10n.t('The API key must not be empty.')
        : isPublishableKey(v)
          ? { message: publishableKeyWarning(), severity: vscode.InputBoxValidationSeverity.Warning }
          : undefined,
  });
  return key?.trim() ? key.trim() : undefined;
}

/** A publishable key (`pk_…`, which the browser confirms with), not the secret key the API wants. */
export const isPublishableKey = (key: string): boolean => key.trim().startsWith('pk_');

export const publishableKeyWarning = (): string =>
  l10n.t('This is a publishable key (pk_…): the API needs the secret key. Requests made with it will be refused (401).');

export const selectEnvironmentAction: MessageAction = {
  title: l10n.t('Select Environment'),
  run: () => vscode.commands.executeCommand(cmd.selectEnvironment),
};
const setApiKeyAction: MessageAction = { title: l10n.t('Set API Key'), run: () => vscode.commands.executeCommand(cmd.setApiKey) };
export function openSettingsAction(setting: string): MessageAction {
  return { title: l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', setting) };
}

/** Runs a request under a cancellable progress notification; the cancel button aborts it. */
export function withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (_progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      return task(ac.signal).finally(() => sub.dispose());
    },
  );
}

export interface ErrorOptions {
  /** "Could not capture pay_…" (already localized): what was being done. */
  doing: string;
  paymentId?: string;
  /** Offers "Retry" that runs this. */
  retry?: () => unknown;
}

/** Says what went wrong and what to do, with buttons; never a stack trace. */
export function reportError(d: CommandDeps, e: unknown, o: ErrorOptions): ErrorInfo {
  const info = errorInfo(e);
  if (info.kind === 'cancelled') {
    d.notifier.info(l10n.t('{0}: cancelled.', o.doing));
    return info;
  }
  if (info.kind === 'unexpected') d.log.error(`${o.doing}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  const actions: MessageAction[] = [];
  let advice = '';
  // A Retry must itself be safe: creates reuse their payment_id, confirms re-read first; a capture or
  // cancel whose answer was lost is never offered again (the inspector shows what it is now).
  if (o.retry) actions.push({ title: l10n.t('Retry'), run: o.retry });
  if (info.kind === 'missing_key' || info.code === 'IR_01' || info.status === 401) {
    actions.push(setApiKeyAction);
    if (info.kind !== 'missing_key') advice = ' ' + l10n.t('Set the API key of this environment again.');
  }
  const unreachable = (k?: string): boolean => k === 'network' || k === 'timeout';
  if (unreachable(info.kind) || unreachable(info.originalKind)) {
    advice = ' ' + l10n.t('Check that the environment is the right one and reachable, or select another.');
    actions.push(selectEnvironmentAction);
  }
  if (info.kind === 'config') actions.push(selectEnvironmentAction);
  // A proxy that refused or cannot be reached, a certificate not trusted: VS Code's network settings.
  if (isNetworkSettingsError(info)) actions.push(openSettingsAction('http.proxy'));
  if (info.kind === 'refused' && /pciControlledEnvironment/.test(info.message)) {
    actions.push(openSettingsAction('perfectpay.pciControlledEnvironment'), selectEnvironmentAction);
  }
  if (info.kind === 'lost_answer' && o.paymentId) actions.push(inspectAction(o.paymentId));
  if (info.code === 'HE_02') actions.push(selectEnvironmentAction);
  actions.push(showLogAction(d));
  d.notifier.error(l10n.t('{0}: {1}', o.doing, info.message) + advice, ...actions);
  return info;
}

/**
 * The short message after an action: what the payment is now, and the next step as a button. `subject`
 * replaces "{verb} {id} ({amount})" (a capture says how much of the amount it took). Not shown when
 * the payment's inspector is on screen (it shows the result); a failure is always shown.
 */
export function reportOutcome(d: CommandDeps, verb: string, p: Payment, subject?: string): void {
  const what = subject ?? l10n.t('{0} {1} ({2})', verb, p.payment_id, formatMoney(p.amount, p.currency));
  const actions: MessageAction[] = [inspectAction(p.payment_id)];
  if (p.status === 'failed') {
    const why = [p.error_message, p.error_code && `(${p.error_code})`].filter(Boolean).join(' ');
    d.notifier.warn(why ? l10n.t('{0}: the payment failed: {1}', what, why) : l10n.t('{0}: the payment failed.', what), ...actions);
    return;
  }
  if (inspectorVisible(d, p.payment_id)) return;
  if (canDo('confirm', p.status)) actions.push({ title: l10n.t('Confirm'), run: () => vscode.commands.executeCommand(cmd.confirm, p.payment_id) });
  else if (canDo('capture', p.status)) actions.push({ title: l10n.t('Capture'), run: () => vscode.commands.executeCommand(cmd.capture, p.payment_id) });
  else if (p.status === 'requires_customer_action' && d.service.environment().supportsSimulate) {
    actions.push({ title: l10n.t('Simulate Customer'), run: () => vscode.commands.executeCommand(cmd.simulate, p.payment_id) });
  }
  const next = p.next_action?.type ? ' ' + l10n.t('Next action: {0}.', p.next_action.type) : '';
  d.notifier.info(l10n.t('{0}: {1}.', what, statusLabel(p.status)) + next, ...actions);
}
