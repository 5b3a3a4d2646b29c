/**
 * Registers every command. Each payment command takes a tree row, a payment id, a Payment or
 * `{ paymentId, ...fields }` (fields skip questions) and resolves to the resulting Payment, or
 * undefined when the user dismissed a question or the request failed (the user was told why: a
 * command never rejects, so VS Code adds no second error message).
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import { cancelPayment } from './cancelPayment';
import { capturePayment } from './capturePayment';
import { confirmPayment } from './confirmPayment';
import { cmd, reportError, type CommandDeps } from './context';
import { comparePayments } from './comparePayments';
import { copyAsCurl, copyPaymentId } from './copy';
import { copyAsCode } from './copyAsCode';
import { createPayment } from './createPayment';
import { selectEnvironment, setApiKey, showRequestLog } from './environment';
import { inspectPayment, openPaymentById } from './inspectPayment';
import { openPaymentAsJson, refreshPaymentJson } from './openPaymentAsJson';
import { openPaymentLink } from './openPaymentLink';
import { openRequestFromLog } from './openRequestFromLog';
import { refundPayment } from './refundPayment';
import { resetLocalSandbox } from './resetLocalSandbox';
import { simulateCustomerAction } from './simulateCustomerAction';
import { copyWebhookSecret, copyWebhookVerificationCode, inboxAnswer200, inboxAnswer500, openEvent, refreshWebhooks, resendEvent, setWebhookUrl, startWebhookInbox, stopWebhookInbox } from './webhooks';
import { clearFilter, filterPayments, loadMore, refreshPayments } from './treeCommands';

export { cmd, type CommandDeps } from './context';

/** The scenario commands are registered by src/scenarios (they sit above the commands). */
type ScenarioCommand = (typeof cmd)['runScenario' | 'runMatrix' | 'exportMatrix' | 'newScenario'];

const handlers: Record<Exclude<(typeof cmd)[keyof typeof cmd], ScenarioCommand>, (d: CommandDeps, arg?: unknown) => unknown> = {
  [cmd.create]: createPayment,
  [cmd.confirm]: confirmPayment,
  [cmd.capture]: capturePayment,
  [cmd.cancel]: cancelPayment,
  [cmd.refund]: refundPayment,
  [cmd.simulate]: simulateCustomerAction,
  [cmd.refresh]: refreshPayments,
  [cmd.inspect]: inspectPayment,
  [cmd.openById]: openPaymentById,
  [cmd.copyId]: copyPaymentId,
  [cmd.copyCurl]: copyAsCurl,
  [cmd.selectEnvironment]: selectEnvironment,
  [cmd.setApiKey]: setApiKey,
  [cmd.showLog]: showRequestLog,
  [cmd.loadMore]: loadMore,
  [cmd.filter]: filterPayments,
  [cmd.clearFilter]: clearFilter,
  [cmd.resetLocalSandbox]: resetLocalSandbox,
  [cmd.openLink]: openPaymentLink,
  [cmd.openJson]: openPaymentAsJson,
  [cmd.refreshJson]: refreshPaymentJson,
  [cmd.compare]: comparePayments,
  [cmd.copyCode]: copyAsCode,
  [cmd.openExchange]: openRequestFromLog,
  [cmd.refreshWebhooks]: refreshWebhooks,
  [cmd.openEvent]: openEvent,
  [cmd.setWebhookUrl]: setWebhookUrl,
  [cmd.resendEvent]: resendEvent,
  [cmd.copyWebhookSecret]: copyWebhookSecret,
  [cmd.copyWebhookCode]: copyWebhookVerificationCode,
  [cmd.startInbox]: startWebhookInbox,
  [cmd.stopInbox]: stopWebhookInbox,
  [cmd.inboxFail]: inboxAnswer500,
  [cmd.inboxOk]: inboxAnswer200,
};

export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  return Object.entries(handlers).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (arg?: unknown) => {
      try {
        return await handler(d, arg);
      } catch (e) {
        // A fault of ours: said plainly (the stack goes to the log only).
        reportError(d, e, { doing: l10n.t('"{0}" failed', id) });
        return undefined;
      }
    }),
  );
}
