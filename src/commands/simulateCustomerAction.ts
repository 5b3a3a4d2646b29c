/** "PerfectPay: Simulate Customer Action" (local sandbox only): the customer completes, fails or lets expire their step. */
import * as vscode from 'vscode';
import type { Payment } from '../api/schemas';
import type { SimulateOutcome } from '../domain/status';
import { parseArg } from './args';
import { ensureReady, reportError, reportOutcome, selectEnvironmentAction, showLogAction, withProgress, type CommandDeps } from './context';
import { shortId } from '../domain/ids';
import { askOnce } from './multiStep';
import { pickPayment } from './pickPayment';

/** `vscode.l10n` (see src/environment/l10n.ts); this file has no other use for `vscode`. */
const l10n = vscode.l10n;

const OUTCOMES: readonly SimulateOutcome[] = ['succeed', 'fail', 'expire'];

/** `perfectpay.simulateCustomerAction(row | id | { paymentId, outcome?: 'succeed'|'fail'|'expire' })`. */
export async function simulateCustomerAction(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  const env = d.service.environment();
  if (!env.supportsSimulate) {
    d.notifier.error(
      l10n.t("Simulating the customer's step works only on the local sandbox; the current environment is {0}.", env.label),
      selectEnvironmentAction, showLogAction(d));
    return undefined;
  }
  if (!(await ensureReady(d))) return undefined;
  const id = a.paymentId ?? (await pickPayment(d, l10n.t('PerfectPay: Simulate Customer Action'), 'simulate'));
  if (!id) return undefined;
  let outcome: SimulateOutcome | undefined =
    typeof a.fields.outcome === 'string' && (OUTCOMES as readonly string[]).includes(a.fields.outcome) ? (a.fields.outcome as SimulateOutcome) : undefined;
  if (!outcome) {
    outcome = await askOnce((input) =>
      input.pick<SimulateOutcome>({
        title: l10n.t('PerfectPay: Simulate the customer of {0}', shortId(id)),
        step: 1,
        totalSteps: 1,
        placeholder: l10n.t('What does the customer do?'),
        items: [
          { label: `$(pass) ${l10n.t('Complete the step')}`, description: l10n.t('succeed: 3DS passed, transfer received, QR paid…'), value: 'succeed' },
          { label: `$(error) ${l10n.t('Fail or abandon it')}`, description: l10n.t('fail: the payment fails'), value: 'fail' },
          { label: `$(watch) ${l10n.t('Let it expire')}`, description: l10n.t('expire: as if expires_on had passed'), value: 'expire' },
        ],
      }),
    );
    if (!outcome) return undefined;
  }
  try {
    const p = await withProgress(l10n.t('PerfectPay: simulating "{0}" for {1}…', outcome, shortId(id)), (signal) =>
      d.service.simulateCustomerAction(id, outcome, signal),
    );
    reportOutcome(d, l10n.t('Simulated "{0}" on', outcome), p);
    return p;
  } catch (e) {
    reportError(d, e, { doing: l10n.t('Could not simulate "{0}" for {1}', outcome, id), paymentId: id });
    return undefined;
  }
}
