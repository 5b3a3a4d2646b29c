/** "PerfectPay: Simulate Customer Action" (local sandbox only): the customer completes, fails or lets expire their step. */
import type { Payment } from '../api/schemas';
import type { SimulateOutcome } from '../domain/status';
import { parseArg } from './args';
import { ensureReady, reportError, reportOutcome, selectEnvironmentAction, showLogAction, withProgress, type CommandDeps } from './context';
import { shortId } from '../domain/ids';
import { askOnce } from './multiStep';
import { pickPayment } from './pickPayment';

const OUTCOMES: readonly SimulateOutcome[] = ['succeed', 'fail', 'expire'];

/** `perfectpay.simulateCustomerAction(row | id | { paymentId, outcome?: 'succeed'|'fail'|'expire' })`. */
export async function simulateCustomerAction(d: CommandDeps, arg?: unknown): Promise<Payment | undefined> {
  const a = parseArg(arg);
  const env = d.service.environment();
  if (!env.supportsSimulate) {
    d.notifier.error(`Simulating the customer's step works only on the local sandbox; the current environment is ${env.label}.`, selectEnvironmentAction, showLogAction(d));
    return undefined;
  }
  if (!(await ensureReady(d))) return undefined;
  const id = a.paymentId ?? (await pickPayment(d, 'PerfectPay: Simulate Customer Action', 'simulate'));
  if (!id) return undefined;
  let outcome: SimulateOutcome | undefined =
    typeof a.fields.outcome === 'string' && (OUTCOMES as readonly string[]).includes(a.fields.outcome) ? (a.fields.outcome as SimulateOutcome) : undefined;
  if (!outcome) {
    outcome = await askOnce((input) =>
      input.pick<SimulateOutcome>({
        title: `PerfectPay: Simulate the customer of ${shortId(id)}`,
        step: 1,
        totalSteps: 1,
        placeholder: 'What does the customer do?',
        items: [
          { label: '$(pass) Complete the step', description: 'succeed: 3DS passed, transfer received, QR paid…', value: 'succeed' },
          { label: '$(error) Fail or abandon it', description: 'fail: the payment fails', value: 'fail' },
          { label: '$(watch) Let it expire', description: 'expire: as if expires_on had passed', value: 'expire' },
        ],
      }),
    );
    if (!outcome) return undefined;
  }
  try {
    const p = await withProgress(`PerfectPay: simulating "${outcome}" for ${shortId(id)}…`, (signal) =>
      d.service.simulateCustomerAction(id, outcome, signal),
    );
    reportOutcome(d, `Simulated "${outcome}" on`, p);
    return p;
  } catch (e) {
    reportError(d, e, { doing: `Could not simulate "${outcome}" for ${id}`, paymentId: id });
    return undefined;
  }
}
