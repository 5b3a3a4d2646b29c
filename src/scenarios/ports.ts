/**
 * The scenario runner's "payments port" over the two things that make payments: the extension's
 * PaymentsService (so a scenario's payments enter the history, the tree and the inspector like any
 * other) and the bare PerfectPayClient (unit tests, the bench). No `vscode` value import here: the
 * client port is used in plain Node.
 */
import type { PerfectPayClient } from '../api/client';
import type { CreatePaymentRequest, ConfirmPaymentRequest, Payment, Refund } from '../api/schemas';
import type { ScenarioPayment, ScenarioPort, ScenarioRefund } from './engine';
import type { PaymentsService } from '../services/PaymentsService';
import { TEST_RUN_METADATA_KEY, type TestRunSource } from '../domain/payment';

const asPayment = (p: Payment): ScenarioPayment => p as unknown as ScenarioPayment;
const asRefund = (r: Refund): ScenarioRefund => r as unknown as ScenarioRefund;

export function servicePort(service: PaymentsService): ScenarioPort {
  return {
    create: async (request, signal) => asPayment(await service.createPayment(request as CreatePaymentRequest, signal)),
    confirm: async (id, request, signal) => asPayment(await service.confirmPayment(id, request as ConfirmPaymentRequest, signal)),
    // The service passes what it last saw of the payment to the client itself.
    capture: async (id, request, signal) => asPayment(await service.capturePayment(id, request, signal)),
    cancel: async (id, request, signal) => asPayment(await service.cancelPayment(id, request, signal)),
    // The service reads the payment after the refund: the tree, the inspector and the history follow.
    refund: async (id, request, signal) => asRefund(await service.createRefund(id, request, signal)),
    retrieve: async (id, signal, poll) => asPayment(await service.retrievePayment(id, {}, poll ? 'poll' : 'retrieve', signal)),
    simulate: async (id, outcome, signal) => asPayment(await service.simulateCustomerAction(id, outcome, signal)),
  };
}

export function clientPort(client: PerfectPayClient): ScenarioPort {
  return {
    create: async (request, signal) => asPayment(await client.createPayment(request as CreatePaymentRequest, { signal })),
    confirm: async (id, request, signal) => asPayment(await client.confirmPayment(id, request as ConfirmPaymentRequest, { signal })),
    capture: async (id, request, signal, before) =>
      asPayment(await client.capturePayment(id, request, { signal, before: before as unknown as Payment | undefined })),
    cancel: async (id, request, signal) => asPayment(await client.cancelPayment(id, request, { signal })),
    refund: async (id, request, signal) => asRefund(await client.createRefund({ payment_id: id, ...request }, { signal })),
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
