/**
 * `perfectpay mcp`: a Model Context Protocol server over stdio (the official SDK), exposing the agent
 * tools of src/agentTools (the same definitions and handlers as VS Code's language model tools) against
 * `--base-url` with the key in PERFECTPAY_API_KEY, or a local sandbox it starts (`--sandbox`). Reads are
 * annotated read-only, actions destructive. stdout is the protocol: every log line goes to stderr.
 *
 * Actions (create, confirm, capture, cancel, refund, simulate, scenarios) run on the local sandbox;
 * elsewhere only with `--allow-actions`, as VS Code's `perfectpay.agents.allowActionsOutsideLocalSandbox`.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { TOOL_DEFINITIONS, runTool, type AgentEnvironment, type AgentPort } from '../agentTools';
import { PerfectPayClient } from '../api/client';
import type { ConfirmPaymentRequest, CreatePaymentRequest, Payment } from '../api/schemas';
import { describeMethod } from '../domain/cards';
import { appendObservation, observationOf, type ObservationCause, type ObservationExtra, type PaymentObservation } from '../model/history';
import type { ScenarioPayment, ScenarioPort, ScenarioRefund } from '../scenarioEngine';
import { startSandbox, type RunningSandbox } from '../sandbox';
import type { CliCommand, CliIo } from './command';
import * as scenarioEngine from '../scenarioEngine';
import { VERSION } from './version';
import { SANDBOX_URL } from '../domain/network';


const HELP = `perfectpay mcp: the PerfectPay payment tools as an MCP server over stdio.

Usage:
  perfectpay mcp --sandbox                 a local sandbox, started for this server (key: PERFECTPAY_API_KEY, else a fresh one)
  perfectpay mcp --base-url URL            PerfectPay at URL, the secret key in PERFECTPAY_API_KEY

Options:
  --sandbox          start a local sandbox (stopped with the server)
  --base-url URL     the API's base URL (https://sandbox.perfectpay.ai, or your own)
  --allow-actions    let agents create and act on payments at --base-url (reads only without it)
  -h, --help         this text

The tools: ${TOOL_DEFINITIONS.map((t) => t.name).join(', ')}.
stdout carries the protocol; logs go to stderr.
`;

export const mcpCommand: CliCommand = {
  name: ['mcp'],
  summary: 'the payment tools as a Model Context Protocol server over stdio (for agents)',
  run: runMcp,
};

async function runMcp(args: string[], io: CliIo): Promise<number> {
  const log = (line: string) => io.stderr.write(`perfectpay mcp: ${line}\n`);
  // A usage mistake is one line, as every perfectpay subcommand says it.
  const usageError = (line: string): number => (log(`${line} (see perfectpay mcp --help)`), 2);
  let opts: { sandbox?: boolean; 'base-url'?: string; 'allow-actions'?: boolean; help?: boolean };
  try {
    opts = parseArgs({
      args,
      options: { sandbox: { type: 'boolean' }, 'base-url': { type: 'string' }, 'allow-actions': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }).values;
  } catch (e) {
    return usageError((e as Error).message);
  }
  if (opts.help) {
    // Asked for: the only time stdout is not the protocol.
    io.stdout.write(HELP);
    return 0;
  }
  if (!!opts.sandbox === !!opts['base-url']) {
    return usageError('give --sandbox or --base-url (one of them)');
  }

  let sandbox: RunningSandbox | undefined;
  let baseUrl: string;
  let apiKey: string;
  let env: AgentEnvironment;
  if (opts.sandbox) {
    // The key the sandbox opens with: PERFECTPAY_API_KEY when set (a client that knows it), else a fresh one.
    apiKey = io.env.PERFECTPAY_API_KEY || `snd_${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
    sandbox = await startSandbox({ apiKey, log: (l) => log(`sandbox: ${l}`) });
    baseUrl = sandbox.url;
    env = { kind: 'local', label: 'Local sandbox', baseUrl, supportsSimulate: true, actionsAllowed: true, allowHint: '' };
    log(`local sandbox on ${baseUrl}`);
  } else {
    const key = io.env.PERFECTPAY_API_KEY;
    if (!key) {
      return usageError('set the secret key in the environment variable PERFECTPAY_API_KEY (it is never taken on the command line)');
    }
    let url: URL;
    try {
      url = new URL(opts['base-url']!);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    } catch {
      return usageError(`--base-url must be an http(s) URL, got ${JSON.stringify(opts['base-url'])}`);
    }
    apiKey = key;
    baseUrl = url.origin + url.pathname.replace(/\/+$/, '');
    const hosted = baseUrl === SANDBOX_URL;
    env = {
      kind: hosted ? 'sandbox' : 'custom',
      label: hosted ? 'PerfectPay sandbox' : `Custom (${baseUrl})`,
      baseUrl,
      supportsSimulate: false,
      actionsAllowed: opts['allow-actions'] === true,
      allowHint: 'Start the server with --allow-actions to let agents act there.',
    };
  }

  const client = new PerfectPayClient({ baseUrl, apiKey });
  const port = clientAgentPort(client, env, apiKey, io.cwd, sandbox ? (id) => `${baseUrl}/sandbox/payments/${encodeURIComponent(id)}` : (id) => `${baseUrl}/payments/${encodeURIComponent(id)}`);
  const server = new Server({ name: 'perfectpay', version: VERSION }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: TOOL_DEFINITIONS.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.modelDescription,
      inputSchema: t.inputSchema as { type: 'object'; [k: string]: unknown },
      annotations: { title: t.title, readOnlyHint: t.readOnly, destructiveHint: !t.readOnly, idempotentHint: t.readOnly, openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const answer = await runTool(port, request.params.name, request.params.arguments ?? {}, extra.signal);
    return { content: [{ type: 'text' as const, text: answer.text }], isError: answer.isError };
  });

  const transport = new StdioServerTransport(process.stdin, io.stdout as unknown as import('node:stream').Writable);
  const closed = new Promise<void>((done) => {
    transport.onclose = () => done();
    process.stdin.once('end', () => done());
    io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.connect(transport);
  log(`ready (${env.label}${env.kind === 'local' ? '' : env.actionsAllowed ? ', actions allowed' : ', reads only'})`);
  await closed;
  await server.close().catch(() => undefined);
  await client.close().catch(() => undefined);
  await sandbox?.close();
  return 0;
}

/** The agent tools' port over the client, keeping in memory what this server saw of each payment (the timeline). */
export function clientAgentPort(client: PerfectPayClient, env: AgentEnvironment, apiKey: string, cwd: string, link: (id: string) => string): AgentPort {
  const histories = new Map<string, PaymentObservation[]>();
  const seen = (p: Payment, cause: ObservationCause, extra: ObservationExtra = {}): Payment => {
    histories.set(p.payment_id, appendObservation(histories.get(p.payment_id) ?? [], observationOf(p, cause, new Date().toISOString(), extra)));
    return p;
  };
  const asScenario = (p: Payment) => p as unknown as ScenarioPayment;
  const scenarioPort: ScenarioPort = {
    create: async (r, signal) => asScenario(seen(await client.createPayment(r as CreatePaymentRequest, { signal }), 'create')),
    confirm: async (id, r, signal) => asScenario(seen(await client.confirmPayment(id, r as ConfirmPaymentRequest, { signal }), 'confirm')),
    capture: async (id, r, signal, before) => asScenario(seen(await client.capturePayment(id, r, { signal, before: before as unknown as Payment | undefined }), 'capture', r)),
    cancel: async (id, r, signal) => asScenario(seen(await client.cancelPayment(id, r, { signal }), 'cancel')),
    retrieve: async (id, signal, poll) => asScenario(seen(await client.retrievePayment(id, {}, { signal }), poll ? 'poll' : 'retrieve')),
    simulate: async (id, outcome, signal) => asScenario(seen(await client.simulateCustomerAction(id, outcome, { signal }), 'simulate')),
    refund: async (id, r, signal) => {
      const refund = await client.createRefund({ payment_id: id, ...r }, { signal });
      seen(await client.retrievePayment(id, {}, { signal }), 'refund', { refund_amount: refund.amount, ...(r.reason ? { refund_reason: r.reason } : {}) });
      return refund as unknown as ScenarioRefund;
    },
  };
  let lastSeen: Payment | undefined;
  // The events' routes name the merchant: read from a payment (the one this server saw last, else the newest).
  let merchantId: string | undefined;
  const merchant = async (signal?: AbortSignal): Promise<string> => {
    merchantId ??= lastSeen?.merchant_id ?? (await client.listPayments({ limit: 1 }, { signal })).data[0]?.merchant_id ?? undefined;
    if (!merchantId) throw new Error('no payment here names its merchant yet, so its webhook events cannot be listed: make a payment first.');
    return merchantId;
  };
  return {
    environment: () => env,
    events: async (constraints, signal) => client.listEvents(await merchant(signal), constraints, { signal }),
    list: async (filter, signal) => {
      const list = await client.filterPayments(filter, { signal });
      for (const p of list.data) seen(p, 'list');
      return list;
    },
    retrieve: async (id, signal) => (lastSeen = seen(await client.retrievePayment(id, { expandAttempts: true, expandCaptures: true }, { signal }), 'retrieve')),
    refunds: async (id, signal) => (await client.listRefunds({ payment_id: id, limit: 100 }, { signal })).data,
    history: (id) => histories.get(id) ?? [],
    create: async (r, signal) => seen(await client.createPayment(r, { signal }), 'create'),
    confirm: async (id, r, signal) => seen(await client.confirmPayment(id, r, { signal }), 'confirm', { method: describeMethod(r) }),
    capture: async (id, amount, signal) =>
      seen(await client.capturePayment(id, { amount_to_capture: amount }, { signal, before: lastSeen?.payment_id === id ? lastSeen : undefined }), 'capture', { amount_to_capture: amount }),
    cancel: async (id, reason, signal) => seen(await client.cancelPayment(id, reason ? { cancellation_reason: reason } : {}, { signal }), 'cancel'),
    refund: (id, r, signal) => client.createRefund({ payment_id: id, amount: r.amount, ...(r.reason ? { reason: r.reason } : {}) }, { signal }),
    simulate: async (id, outcome, signal) => seen(await client.simulateCustomerAction(id, outcome, { signal }), 'simulate'),
    scenarioPort: () => scenarioPort,
    scenarioEngine: () => scenarioEngine,
    readScenario: async (path) => {
      const file = resolve(cwd, path);
      return { text: await readFile(file, 'utf8'), name: basename(file).replace(/\.perfectpay\.json$/i, '') };
    },
    link,
    secrets: () => [apiKey],
  };
}
