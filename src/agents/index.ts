/**
 * The payment tools as VS Code language model tools (`vscode.lm.registerTool`), for agents in chat.
 * The tools are contributed in package.json (`contributes.languageModelTools`, the same schemas as
 * src/agentTools/definitions.ts: a unit test compares them) and registered here by name, cheaply: what
 * they do (src/agentTools) comes from dist/agentRuntime.js, loaded when a tool is first prepared.
 *
 * Every action goes through the PaymentsService, as the commands' do; it is confirmed by the person
 * first (`prepareInvocation`: what will be sent, to which environment), refused with the reason when
 * the payment's status does not allow it, and refused outside the local sandbox unless
 * `perfectpay.agents.allowActionsOutsideLocalSandbox` allows it.
 */
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { AgentEnvironment, AgentPort } from '../agentTools';
import type { ConfirmPaymentRequest, CreatePaymentRequest, Payment } from '../api/schemas';
import { COMMAND_IDS } from '../domain/commandIds';
import { escapeMarkdown } from '../domain/text';
import { l10n } from '../environment/l10n';
import { servicePort } from '../scenarios/ports';
import type { WebhookInboxHost } from '../services/webhookInbox';
import type { ScenarioEngine } from '../scenarios/engine';
import type { PaymentsService } from '../services/PaymentsService';

/** The agent tools' module (dist/agentRuntime.js): a type only here. */
export type AgentToolsModule = typeof import('../agentTools');

export const ALLOW_ACTIONS_SETTING = 'agents.allowActionsOutsideLocalSandbox';

export interface AgentDeps {
  service: PaymentsService;
  /** Loads dist/agentRuntime.js on first use. */
  load: () => AgentToolsModule;
  /** The scenario engine (dist/scenarioRuntime.js, loaded on first use), for the scenario tool. */
  scenarioEngine: () => ScenarioEngine;
  /** The webhook inbox, which a scenario's `expect_webhook` steps read. */
  inbox?: WebhookInboxHost;
}

/** What the extension's own tests reach (ExtensionMode.Test). */
export interface AgentToolsTestApi {
  /** The names registered. */
  names: string[];
  /** What `prepareInvocation` answers for a call. */
  prepare(name: string, input: object): vscode.PreparedToolInvocation | undefined;
  /**
   * Tests only: `vscode.lm.invokeTool` outside a chat shows the confirmation as a modal dialog, which a
   * test cannot answer; with this false the tools ask nothing (what they would ask is read by `prepare`).
   */
  confirmActions: boolean;
}

interface ContributedTool {
  name?: unknown;
}

export function registerAgentTools(context: vscode.ExtensionContext, deps: AgentDeps): { disposables: vscode.Disposable[]; test: AgentToolsTestApi } {
  const contributed = ((context.extension.packageJSON as { contributes?: { languageModelTools?: ContributedTool[] } }).contributes?.languageModelTools ?? [])
    .map((t) => t.name)
    .filter((n): n is string => typeof n === 'string');
  const test: AgentToolsTestApi = {
    names: [],
    prepare: (name, input) => prepare(deps, name, input as Record<string, unknown>),
    confirmActions: true,
  };
  // A VS Code without the language model API (older, or a host that leaves it out) gets no tools.
  if (typeof vscode.lm?.registerTool !== 'function') return { disposables: [], test };
  const disposables = contributed.map((name) =>
    vscode.lm.registerTool<Record<string, unknown>>(name, {
      prepareInvocation: (options) => {
        const prepared = prepare(deps, name, options.input);
        return test.confirmActions || !prepared ? prepared : { invocationMessage: prepared.invocationMessage };
      },
      invoke: async (options, token) => {
        const tools = deps.load();
        const stop = new AbortController();
        const sub = token.onCancellationRequested(() => stop.abort());
        try {
          const answer = await tools.runTool(agentPort(deps.service, deps.scenarioEngine, deps.inbox), name, options.input, stop.signal);
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(answer.text)]);
        } finally {
          sub.dispose();
        }
      },
    }),
  );
  test.names = contributed;
  return { disposables, test };
}

function prepare(deps: AgentDeps, name: string, input: Record<string, unknown>): vscode.PreparedToolInvocation | undefined {
  const tools = deps.load();
  const def = tools.toolDefinition(name);
  if (!def) return undefined;
  const env = environmentOf(deps.service);
  const id = typeof input.payment_id === 'string' ? input.payment_id : undefined;
  const invocationMessage = id ? l10n.t('{0}: {1}', def.title, id) : def.title;
  // Nothing is sent where agents may not act (the call answers why): nothing to confirm.
  if (def.readOnly || !env.actionsAllowed) return { invocationMessage };
  const what = tools.describeCall(name, input, env, id ? deps.service.cached(id) : undefined) ?? def.title;
  return {
    invocationMessage,
    confirmationMessages: {
      title: l10n.t('PerfectPay: let the agent do this?'),
      // The model's words (a path, an id) are escaped: no link or emphasis can come out of them.
      message: new vscode.MarkdownString(escapeMarkdown(what)),
    },
  };
}

function environmentOf(service: PaymentsService): AgentEnvironment {
  const info = service.environment();
  const allowed = vscode.workspace.getConfiguration('perfectpay').get<boolean>(ALLOW_ACTIONS_SETTING, false) === true;
  return {
    kind: info.kind,
    label: info.label,
    baseUrl: info.baseUrl,
    supportsSimulate: info.supportsSimulate,
    actionsAllowed: info.kind === 'local' || allowed,
    allowHint: l10n.t('Set "perfectpay.{0}" to true to let agents act there.', ALLOW_ACTIONS_SETTING),
  };
}

/** The agent tools' port over the PaymentsService: what they do enters the history, the tree and the inspector. */
function agentPort(service: PaymentsService, scenarioEngine: () => ScenarioEngine, inbox?: WebhookInboxHost): AgentPort {
  return {
    environment: () => environmentOf(service),
    list: (filter, signal) => service.filterPayments(filter, signal),
    retrieve: (id, signal) => service.retrievePayment(id, { expandAttempts: true, expandCaptures: true }, 'retrieve', signal),
    refunds: (id, signal) => service.listRefunds(id, signal),
    events: (constraints, signal) => service.listEvents(constraints, signal),
    history: (id) => service.history(id),
    create: (r: CreatePaymentRequest, signal) => service.createPayment(r, signal),
    confirm: (id, r: ConfirmPaymentRequest, signal) => service.confirmPayment(id, r, signal),
    capture: (id, amount, signal): Promise<Payment> => service.capturePayment(id, { amount_to_capture: amount }, signal),
    cancel: (id, reason, signal) => service.cancelPayment(id, reason ? { cancellation_reason: reason } : {}, signal),
    refund: (id, r, signal) => service.createRefund(id, r, signal),
    simulate: (id, outcome, signal) => service.simulateCustomerAction(id, outcome, signal),
    scenarioPort: () => servicePort(service, inbox),
    scenarioEngine,
    readScenario: async (path) => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!isAbsolute(path) && !folder) throw new Error(l10n.t('{0} is relative, and no folder is open: give the absolute path of the scenario file.', path));
      const uri = isAbsolute(path) ? vscode.Uri.file(path) : vscode.Uri.joinPath(folder!.uri, path);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      return { text, name: uri.path.split('/').pop()!.replace(/\.perfectpay\.json$/i, '') };
    },
    link: (id) => `command:${COMMAND_IDS.inspect}?${encodeURIComponent(JSON.stringify([id]))}`,
    // The client redacts the key from its errors; the answers carry only the fields chosen, redacted.
    secrets: () => [],
  };
}
