/** "PerfectPay: Inspect Payment" and "PerfectPay: Open Payment by ID": the inspector panel. */
import * as vscode from 'vscode';
import type { Payment } from '../api/schemas';
import { parseArg } from './args';
import { ensureReady, reportError, withProgress, type CommandDeps } from './context';
import { shortId } from '../domain/ids';
import { askOnce } from './multiStep';
import { pickPayment } from './pickPayment';
import { paymentIdFromText, type IdFromText } from '../model/paymentIds';

/** `vscode.l10n` (see src/environment/l10n.ts); this file has no other use for `vscode`. */
const l10n = vscode.l10n;

/**
 * `perfectpay.inspectPayment(row | id | { paymentId, preview? })`: opens the inspector (`preview: true`,
 * a tree row's click: a preview panel, see src/inspector/index.ts); resolves to the payment as last seen.
 */
export async function inspectPayment(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Inspect Payment')));
  if (!id) return undefined;
  try {
    await d.inspector().open(id, { preview: a.fields.preview === true });
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not open the inspector of {0}', id), paymentId: id });
    return undefined;
  }
  return d.service.cached(id) ?? a.payment;
}

/** `perfectpay.openPaymentById(id?)`: reads the payment (one GET), opens the inspector, resolves to it. */
export async function openPaymentById(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  if (!(await ensureReady(d))) return undefined;
  // What is typed is checked as it is typed, and the id is taken out of a pasted URL or line.
  const typed =
    a.paymentId ??
    (await askOnce((input) =>
      input.input({
        title: l10n.t('PerfectPay: Open Payment by ID'),
        step: 1,
        totalSteps: 1,
        prompt: l10n.t('Payment id'),
        placeholder: l10n.t('pay_… (or paste a URL or a log line that holds one)'),
        validate: (v) => idProblem(paymentIdFromText(v)),
      }),
    ));
  const id = a.paymentId ?? (typed === undefined ? undefined : idOf(paymentIdFromText(typed)));
  if (!id) return undefined;
  let p: Payment;
  try {
    p = await withProgress(l10n.t('PerfectPay: opening {0}…', shortId(id)), (signal) => d.service.retrievePayment(id, {}, 'retrieve', signal));
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not open {0}', id) });
    return undefined;
  }
  void d.tree.reveal(p.payment_id);
  try {
    await d.inspector().open(p.payment_id);
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not open the inspector of {0}', id), paymentId: id });
  }
  return p;
}

/** Why "Open Payment by ID" cannot use what was typed, or undefined when it holds one id. */
function idProblem(r: IdFromText): string | undefined {
  if ('id' in r) return undefined;
  if (r.problem === 'empty') return l10n.t('Type a payment id, or paste a URL or text that holds one.');
  if (r.problem === 'several') return l10n.t('This text holds more than one payment id: paste only the one to open.');
  return l10n.t('Not a payment id: one is "pay_" then letters, digits, "_" or "-" (e.g. pay_mbabizu24mvu3mela5njyhpit4).');
}

const idOf = (r: IdFromText): string | undefined => ('id' in r ? r.id : undefined);
