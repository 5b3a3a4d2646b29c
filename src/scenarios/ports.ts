/**
 * The scenario runner's "payments port" over the extension's PaymentsService, so a scenario's payments
 * enter the history, the tree and the inspector like any other. (The bare client's, and the marking of
 * a test run's payments, are the engine's: src/scenarioEngine/clientPort.ts.)
 */
import type { CreatePaymentRequest, ConfirmPaymentRequest, Payment, Refund } from '../api/schemas';
import type { ScenarioPayment, ScenarioPort, ScenarioRefund } from './engine';
import type { PaymentsService } from '../services/PaymentsService';
import type { WebhookInboxHost } from '../services/webhookInbox';
import * as vscode from 'vscode';

const l10n = vscode.l10n;
const asPayment = (p: Payment): ScenarioPayment => p as unknown as ScenarioPayment;
const asRefund = (r: Refund): ScenarioRefund => r as unknown as ScenarioRefund;

/**
 * `inbox`: the webhook inbox, whose signature-checked arrivals `expect_webhook` reads; while it is
 * not started, such a step fails saying how to start it.
 */
export function servicePort(service: PaymentsService, inbox?: Pick<WebhookInboxHost, 'url' | 'arrivals'>): ScenarioPort {
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
    webhookDeliveries: async () =>
      inbox?.url
        ? inbox.arrivals().reverse().map((a) => ({ body: a.body, signatureValid: a.valid }))
        : { unavailable: l10n.t('no webhook inbox: start one with "PerfectPay: Start Webhook Inbox", then run the scenario again.') },
  };
}
