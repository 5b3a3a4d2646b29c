/**
 * The scenario runner's port over the bare PerfectPayClient (no `vscode`): the CLI, the unit tests and
 * the bench run scenarios through it. The Testing view's goes through the PaymentsService instead
 * (src/scenarios/ports.ts). `markedPort` marks every payment a test run makes, whichever port.
 */
import type { PerfectPayClient } from '../api/client';
import type { CreatePaymentRequest, ConfirmPaymentRequest, Payment } from '../api/schemas';
import { TEST_RUN_METADATA_KEY, type TestRunSource } from '../domain/payment';
import type { ScenarioPayment, ScenarioPort, ScenarioRefund } from './runner';

const asPayment = (p: Payment): ScenarioPayment => p as unknown as ScenarioPayment;

export function clientPort(client: PerfectPayClient): ScenarioPort {
  return {
    create: async (request, signal) => asPayment(await client.createPayment(request as CreatePaymentRequest, { signal })),
    confirm: async (id, request, signal) => asPayment(await client.confirmPayment(id, request as ConfirmPaymentRequest, { signal })),
    capture: async (id, request, signal, before) =>
      asPayment(await client.capturePayment(id, request, { signal, before: before as unknown as Payment | undefined })),
    cancel: async (id, request, signal) => asPayment(await client.cancelPayment(id, request, { signal })),
    refund: async (id, request, signal) => (await client.createRefund({ payment_id: id, ...request }, { signal })) as unknown as ScenarioRefund,
    retrieve: async (id, signal) => asPayment(await client.retrievePayment(id, {}, { signal })),
    simulate: async (id, outcome, signal) => asPayment(await client.simulateCustomerAction(id, outcome, { signal })),
  };
}

/**
 * The same port, with every payment it creates marked as made by a test run (`metadata.perfectpay_test_run`),
 * so that the view can leave them out. A scenario's own metadata is kept; a mark it sets itself wins.
 */
export function markedPort(port: ScenarioPort, source: TestRunSource): ScenarioPort {
  return {
    ...port,
    create: (request, signal) => {
      const own = request.metadata && typeof request.metadata === 'object' && !Array.isArray(request.metadata) ? (request.metadata as Record<string, unknown>) : {};
      return port.create({ ...request, metadata: { [TEST_RUN_METADATA_KEY]: source, ...own } }, signal);
    },
  };
}
