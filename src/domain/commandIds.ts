/**
 * The extension's command ids: the one list, the same as package.json's `contributes.commands`
 * (a unit test keeps the two equal). Commands, the tree, the inspector and the tests name commands
 * through this object, never by a string of their own. Pure: imports nothing.
 */
export const COMMAND_IDS = {
  create: 'perfectpay.createPayment',
  confirm: 'perfectpay.confirmPayment',
  capture: 'perfectpay.capturePayment',
  cancel: 'perfectpay.cancelPayment',
  refund: 'perfectpay.refundPayment',
  refresh: 'perfectpay.refreshPayments',
  inspect: 'perfectpay.inspectPayment',
  openById: 'perfectpay.openPaymentById',
  copyId: 'perfectpay.copyPaymentId',
  copyCurl: 'perfectpay.copyAsCurl',
  selectEnvironment: 'perfectpay.selectEnvironment',
  setApiKey: 'perfectpay.setApiKey',
  showLog: 'perfectpay.showRequestLog',
  simulate: 'perfectpay.simulateCustomerAction',
  loadMore: 'perfectpay.loadMore',
  filter: 'perfectpay.filterPayments',
  clearFilter: 'perfectpay.clearFilter',
  resetLocalSandbox: 'perfectpay.resetLocalSandbox',
  openLink: 'perfectpay.openPaymentLink',
  openJson: 'perfectpay.openPaymentAsJson',
  refreshJson: 'perfectpay.refreshPaymentJson',
  compare: 'perfectpay.comparePayments',
  copyCode: 'perfectpay.copyAsCode',
  runScenario: 'perfectpay.runScenario',
  runMatrix: 'perfectpay.runTestCardMatrix',
  exportMatrix: 'perfectpay.exportTestCardMatrix',
  newScenario: 'perfectpay.newScenarioFromPayment',
  openExchange: 'perfectpay.openRequestFromLog',
  refreshWebhooks: 'perfectpay.refreshWebhooks',
  openEvent: 'perfectpay.openEvent',
  setWebhookUrl: 'perfectpay.setWebhookUrl',
  resendEvent: 'perfectpay.resendEvent',
  copyWebhookSecret: 'perfectpay.copyWebhookSecret',
  copyWebhookCode: 'perfectpay.copyWebhookVerificationCode',
  startInbox: 'perfectpay.startWebhookInbox',
  stopInbox: 'perfectpay.stopWebhookInbox',
  inboxFail: 'perfectpay.webhookInboxAnswer500',
  inboxOk: 'perfectpay.webhookInboxAnswer200',
} as const;

export type CommandName = keyof typeof COMMAND_IDS;
export type CommandId = (typeof COMMAND_IDS)[CommandName];
