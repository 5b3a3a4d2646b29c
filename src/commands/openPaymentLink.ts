/**
 * `perfectpay.openPaymentLink(id | { paymentId, environment? })`: what following a payment id link
 * does (editors, terminal, request log, the hover's "Look in …"). With `environment`, switches to it
 * first. Reads the payment (the shared lookup: no second request when a hover just read it) and opens
 * the inspector through `perfectpay.inspectPayment`; when the id is not in the current environment,
 * says so and offers the other environments that have a key. Resolves to the payment, or undefined.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { Payment } from '../api/schemas';
import { isPaymentId, shortId } from '../domain/ids';
import { errorInfo } from '../environment/errors';
import { otherEnvironmentsWithKey } from '../environment/otherEnvironments';
import type { EnvironmentInfo } from '../environment/types';
import { parseArg } from './args';
import { cmd, ensureReady, reportError, type CommandDeps } from './context';
import type { MessageAction } from './notifier';

export async function openPaymentLink(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  const id = a.paymentId;
  if (!id || !isPaymentId(id)) {
    d.notifier.error(l10n.t('"{0}" is not a payment id.', String(id ?? '').slice(0, 60)));
    return undefined;
  }
  const wanted = a.fields.environment;
  if (typeof wanted === 'string' && wanted !== d.service.environment().kind) {
    const now = await vscode.commands.executeCommand<EnvironmentInfo | undefined>(cmd.selectEnvironment, wanted);
    if (now?.kind !== wanted) return undefined;
  }
  if (!(await ensureReady(d))) return undefined;
  let p: Payment;
  try {
    p = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: l10n.t('PerfectPay: opening {0}', shortId(id)) }, () => d.service.lookupPayment(id));
  } catch (e) {
    if (errorInfo(e).code === 'HE_02') await reportNotFound(d, id);
    else reportError(d, e, { doing: l10n.t('Could not open {0}', id), paymentId: id });
    return undefined;
  }
  await vscode.commands.executeCommand(cmd.inspect, id);
  return p;
}

/** "pay_… is not in Local sandbox.", with a button for each other environment that has a key. */
export async function reportNotFound(d: CommandDeps, id: string): Promise<void> {
  const env = d.service.environment();
  const others = await otherEnvironmentsWithKey(d.environments);
  const actions: MessageAction[] = others.map((o) => ({
    title: l10n.t('Look in {0}', o.label),
    run: () => vscode.commands.executeCommand(cmd.openLink, { paymentId: id, environment: o.kind }),
  }));
  const hint = others.length ? l10n.t('It may be in another environment.') : l10n.t('No other environment has a key to look in (PerfectPay: Set API Key).');
  d.notifier.warn(l10n.t('{0} was not found in {1}. {2}', id, env.label, hint), ...actions);
}
