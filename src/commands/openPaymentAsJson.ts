/**
 * "PerfectPay: Open Payment as JSON" and "PerfectPay: Refresh Payment JSON": a payment as a read-only
 * JSON document (`perfectpay:/{environment}/{payment_id}.json`, redacted, pretty-printed; its
 * provider is src/documents/paymentDocuments.ts), and a fresh read that updates it in place.
 */
import * as vscode from 'vscode';
import { l10n } from '../environment/l10n';
import type { Payment } from '../api/schemas';
import { isPaymentId, isRefundId, shortId } from '../domain/ids';
import { errorInfo } from '../environment/errors';
import { parsePaymentDocumentUri, paymentDocumentUri } from '../documents/uri';
import { parseArg } from './args';
import { ensureReady, reportError, type CommandDeps } from './context';
import { reportNotFound } from './openPaymentLink';
import { pickPayment } from './pickPayment';

/**
 * The payment a command run from an editor's title bar is about: the `perfectpay:` document's (its
 * URI is the argument), else the active inspector panel's (a webview gives no argument of ours).
 */
export function paymentIdFromContext(d: CommandDeps, arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) {
    const ref = parsePaymentDocumentUri(arg);
    if (ref) return ref.paymentId;
  }
  return d.inspector().panels?.().find((p) => p.panel.active)?.paymentId;
}

/**
 * `perfectpay.openPaymentAsJson(row | refund row | id | { paymentId, refundId? })`: reads the payment
 * (shared lookup), opens its document (or its refund's), resolves to the document's URI (a string), or undefined.
 */
export async function openPaymentAsJson(d: CommandDeps, arg?: unknown): Promise<string | undefined> {
  const id = await paymentToRead(d, arg, l10n.t('PerfectPay: Open Payment as JSON'));
  if (!id) return undefined;
  if (!(await readable(d, id))) return undefined;
  const refundId = parseArg(arg).fields.refundId;
  const uri = paymentDocumentUri({ environment: d.service.environment().kind, paymentId: id, ...(typeof refundId === 'string' && isRefundId(refundId) ? { refundId } : {}) });
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return uri.toString();
}

/**
 * The payment a command about one payment reads: the argument's, else the editor's or panel's
 * (paymentIdFromContext), else one picked under `title`. Undefined when none is given or picked, when
 * it is not a payment id (said so), or when the environment is not ready.
 */
export async function paymentToRead(d: CommandDeps, arg: unknown, title: string): Promise<string | undefined> {
  const id = parseArg(arg).paymentId ?? paymentIdFromContext(d, arg) ?? (await pickPayment(d, title));
  if (!id) return undefined;
  if (!isPaymentId(id)) {
    d.notifier.error(l10n.t('"{0}" is not a payment id.', String(id).slice(0, 60)));
    return undefined;
  }
  if (!(await ensureReady(d))) return undefined;
  return id;
}

/** Whether the payment can be read now (said why not, when not). */
export async function readable(d: CommandDeps, id: string): Promise<Payment | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: l10n.t('PerfectPay: reading {0}', shortId(id)) }, () => d.service.lookupPayment(id));
  } catch (e) {
    if (errorInfo(e).code === 'HE_02') await reportNotFound(d, id);
    else reportError(d, e, { doing: l10n.t('Could not read {0}', id), paymentId: id });
    return undefined;
  }
}

/**
 * `perfectpay.refreshPaymentJson(uri?)` (the document's title bar; the active editor's document by
 * default): reads the payment again; the open document follows in place. Resolves to the payment.
 */
export async function refreshPaymentJson(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? safeParse(arg) : vscode.window.activeTextEditor?.document.uri;
  const ref = uri && parsePaymentDocumentUri(uri);
  if (!ref) {
    d.notifier.info(l10n.t('Open a payment as JSON first ("PerfectPay: Open Payment as JSON").'));
    return undefined;
  }
  const env = d.service.environment();
  if (ref.environment !== env.kind) {
    d.notifier.warn(l10n.t('{0} belongs to the {1} environment; the current one is {2}. Select {1} to refresh it.', ref.paymentId, ref.environment, env.label));
    return undefined;
  }
  if (ref.at) {
    d.notifier.info(l10n.t('This document is an earlier answer of the payment: it does not change. Open the payment as JSON to see it now.'));
    return undefined;
  }
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: l10n.t('PerfectPay: refreshing {0}', shortId(ref.paymentId)) }, () =>
      d.service.retrievePayment(ref.paymentId),
    );
  } catch (e) {
    if (errorInfo(e).code === 'HE_02') await reportNotFound(d, ref.paymentId);
    else reportError(d, e, { doing: l10n.t('Could not refresh {0}', ref.paymentId), paymentId: ref.paymentId });
    return undefined;
  }
}

function safeParse(s: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(s, true);
  } catch {
    return undefined;
  }
}
