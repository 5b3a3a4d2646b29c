/**
 * The PaymentsService: resolves the environment (local sandbox, hosted sandbox, custom URL) and
 * its key, makes the API client on first use (loading the runtime bundle lazily), records every
 * answer (cache, persisted history) and announces every change.
 */
import * as vscode from 'vscode';
import type { PerfectPayClient, RequestEvent } from '../api/client';
import type { CancelPaymentRequest, CapturePaymentRequest, ConfirmPaymentRequest, CreatePaymentRequest, FetchedQrCode, ListPaymentsQuery, Payment, PaymentList, PaymentMethodData, RetrievePaymentOptions } from '../api/schemas';
import type { SimulateOutcome } from '../domain/status';
import { ApiKeyStore, secretName } from '../environment/apiKeys';
import { LocalSandbox } from '../environment/localSandbox';
import { affectsEnvironment, baseUrlProblem, httpOrigin, readSettings, SANDBOX_URL, type Settings } from '../environment/settings';
import { observationOf, type ObservationCause, type PaymentObservation } from '../model/history';
import { describeMethod } from '../domain/cards';
import { missingKey, ServiceError } from './errors';
import { HistoryStore } from './historyStore';
import { newPaymentId } from '../domain/ids';
import type { EnvironmentInfo, EnvironmentKind, PaymentChange, PaymentsService } from './PaymentsService';
import type { RuntimeLoader } from './runtime';

export interface ServiceDeps {
  loadRuntime: RuntimeLoader;
  secrets: vscode.SecretStorage;
  globalState: vscode.Memento;
  log: vscode.LogOutputChannel;
  /** Where the local sandbox keeps its payments between windows (the extension's globalStorageUri). */
  storageUri?: vscode.Uri;
  /** Client options for tests (shorter timeouts, fewer retries). */
  clientOptions?: { connectTimeoutMs?: number; headersTimeoutMs?: number; retry?: { maxAttempts?: number; maxElapsedMs?: number } };
}

interface Session {
  client: PerfectPayClient;
  baseUrl: string;
  generation: number;
}

export class PaymentsServiceImpl implements PaymentsService {
  private readonly changePayment = new vscode.EventEmitter<PaymentChange>();
  private readonly changeEnvironment = new vscode.EventEmitter<EnvironmentInfo>();
  private readonly updateEnvironmentInfo = new vscode.EventEmitter<EnvironmentInfo>();
  private readonly request = new vscode.EventEmitter<RequestEvent>();
  readonly onDidChangePayment = this.changePayment.event;
  readonly onDidChangeEnvironment = this.changeEnvironment.event;
  /** Fires when what is known of the same environment grows (the local sandbox's URL once started). */
  readonly onDidUpdateEnvironmentInfo = this.updateEnvironmentInfo.event;
  /** Every HTTP exchange, redacted (the request log, and tests counting requests). */
  readonly onDidRequest = this.request.event;

  readonly keys: ApiKeyStore;
  readonly localSandbox: LocalSandbox;
  private readonly histories: HistoryStore;
  private readonly cache = new Map<string, Payment>();
  /** payment_ids of the creates sent from this window (most recent 500). */
  private readonly createsSent = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private sessionPromise: Promise<Session> | undefined;
  private generation = 0;
  private settingsCache: Settings | undefined;
  /** Keys this window stored just now (name → until when their change event is an echo). */
  private readonly ownKeyChange = new Map<string, number>();
  /** Requests sent since the start (every attempt counts). */
  requestCount = 0;

  constructor(private readonly deps: ServiceDeps) {
    this.keys = new ApiKeyStore(deps.secrets);
    this.localSandbox = new LocalSandbox(deps.loadRuntime, deps.log, {
      storageUri: deps.storageUri,
      // Its URL and key die with it: the next request makes a client for the next one.
      onStopped: () => this.forgetSession(),
    });
    this.histories = new HistoryStore(deps.globalState);
    this.disposables.push(
      this.keys,
      this.changePayment,
      this.changeEnvironment,
      this.updateEnvironmentInfo,
      this.request,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('perfectpay')) this.settingsCache = undefined;
        if (!affectsEnvironment(e)) return;
        const seedChanged = e.affectsConfiguration('perfectpay.localSandbox.seed');
        this.reset(seedChanged ? 'the local sandbox seed changed' : 'the environment settings changed', seedChanged);
      }),
      this.keys.onDidChange((name) => {
        // Our own setApiKey already reset: its echo from SecretStorage must not reload twice.
        const until = this.ownKeyChange.get(name);
        this.ownKeyChange.delete(name);
        if (until !== undefined && Date.now() < until) return;
        const s = this.settings();
        if (name === secretName(s.environment, s.baseUrl)) this.reset('the API key changed', false);
      }),
    );
  }

  settings(): Settings {
    return (this.settingsCache ??= readSettings());
  }

  // ------------------------------------------------------------------------------ environment

  environment(): EnvironmentInfo {
    const s = this.settings();
    return describeEnvironment(s, s.environment === 'local' ? this.localSandbox.url : undefined);
  }

  /** A problem with the environment's settings that no request can get past, if any. */
  configProblem(): string | undefined {
    const s = this.settings();
    return s.environment === 'custom' ? baseUrlProblem(s.baseUrl) : undefined;
  }

  /** The SecretStorage name of the current environment's key (undefined for local: none needed). */
  currentSecretName(): string | undefined {
    const s = this.settings();
    return secretName(s.environment, s.baseUrl);
  }

  /** Whether the environment needs a key that is not stored. */
  async needsApiKey(): Promise<boolean> {
    const name = this.currentSecretName();
    if (!name || this.configProblem()) return false;
    return (await this.keys.get(name)) === undefined;
  }

  /** Stores the key of an environment (the current one by default); refreshes through the key's change event. */
  async setApiKey(key: string, kind?: EnvironmentKind, baseUrl?: string): Promise<void> {
    const s = this.settings();
    const name = secretName(kind ?? s.environment, baseUrl ?? s.baseUrl);
    if (!name) throw new ServiceError('refused', 'The local sandbox makes its own key: it needs none.', 'local');
    if (!key.trim()) throw new ServiceError('refused', 'The API key must not be empty.');
    this.ownKeyChange.set(name, Date.now() + 3000);
    await this.keys.set(name, key);
    // SecretStorage's change event may come late (or not at all in some hosts): reset now.
    if (name === this.currentSecretName()) this.reset('the API key changed', false);
  }

  /** Forgets the client (and, with `stopSandbox`, the local sandbox) and tells everyone to reload. */
  reset(reason: string, stopSandbox: boolean): void {
    this.generation++;
    const old = this.sessionPromise;
    this.sessionPromise = undefined;
    this.cache.clear();
    old?.then((s) => s.client.close()).catch(() => undefined);
    if (stopSandbox) void this.localSandbox.stop();
    this.deps.log.info(`Environment: ${this.environment().label} (${reason})`);
    this.changeEnvironment.fire(this.environment());
  }

  /**
   * Discards the local sandbox's payments (running and saved): it starts again from the seed on
   * next use, and everything shown reloads.
   */
  async resetLocalSandbox(): Promise<void> {
    const done = this.localSandbox.reset();
    this.reset('the local sandbox was reset', false);
    await done;
  }

  /** Drops the client (and ignores the answers still on their way); the next request makes a new one. */
  private forgetSession(): void {
    if (!this.sessionPromise) return;
    this.generation++;
    const old = this.sessionPromise;
    this.sessionPromise = undefined;
    old.then((s) => s.client.close()).catch(() => undefined);
  }

  private session(): Promise<Session> {
    if (!this.sessionPromise) {
      const p = this.createSession(this.generation);
      this.sessionPromise = p;
      p.catch(() => {
        if (this.sessionPromise === p) this.sessionPromise = undefined;
      });
    }
    return this.sessionPromise;
  }

  private async createSession(generation: number): Promise<Session> {
    const s = this.settings();
    let baseUrl: string;
    let apiKey: string;
    if (s.environment === 'local') {
      const wasRunning = this.localSandbox.url !== undefined;
      const handle = await this.localSandbox.ensure(s.seed);
      baseUrl = handle.url;
      apiKey = handle.apiKey;
      if (!wasRunning) this.updateEnvironmentInfo.fire(this.environment());
    } else {
      baseUrl = s.environment === 'sandbox' ? SANDBOX_URL : s.baseUrl;
      const problem = s.environment === 'custom' ? baseUrlProblem(baseUrl) : undefined;
      if (problem) throw new ServiceError('config', problem, s.environment);
      const name = secretName(s.environment, baseUrl)!;
      const key = await this.deps.secrets.get(name);
      if (!key || !key.trim()) throw missingKey(s.environment, this.environment().label);
      apiKey = key.trim();
    }
    const runtime = this.deps.loadRuntime();
    const client = new runtime.PerfectPayClient({
      baseUrl,
      apiKey,
      ...this.deps.clientOptions,
      onEvent: (event) => this.onEvent(event),
    });
    if (generation !== this.generation) {
      void client.close();
      throw new ServiceError('config', 'The environment changed while connecting: try again.');
    }
    return { client, baseUrl, generation };
  }

  private onEvent(event: RequestEvent): void {
    this.requestCount++;
    this.request.fire(event);
  }

  // --------------------------------------------------------------------------------- routes

  /**
   * The payment_id is chosen here when missing. Sending a payment_id this window already sent
   * (the person's Retry after a lost answer) and hearing HE_01 "already exists" means the first
   * attempt worked: the payment is read and answered as the create's result.
   */
  async createPayment(request: CreatePaymentRequest, signal?: AbortSignal): Promise<Payment> {
    this.guardRawCard(request.payment_method_data, 'create');
    const body: CreatePaymentRequest = { ...request, payment_id: request.payment_id ?? newPaymentId() };
    const id = body.payment_id!;
    const sentBefore = this.createsSent.has(id);
    const s = await this.session();
    this.createsSent.add(id);
    if (this.createsSent.size > 500) this.createsSent.delete(this.createsSent.values().next().value as string);
    let p: Payment;
    try {
      p = await s.client.createPayment(body, { signal });
    } catch (e) {
      if (!sentBefore || (e as { code?: unknown }).code !== 'HE_01') throw e;
      p = await s.client.retrievePayment(id, {}, { signal });
    }
    this.observe(p, 'create', s.generation, { method: describeMethod(request) });
    return p;
  }

  async confirmPayment(paymentId: string, request: ConfirmPaymentRequest, signal?: AbortSignal): Promise<Payment> {
    this.guardRawCard(request.payment_method_data, 'confirm');
    const s = await this.session();
    const p = await s.client.confirmPayment(paymentId, request, { signal });
    this.observe(p, 'confirm', s.generation, { method: describeMethod(request) });
    return p;
  }

  async capturePayment(paymentId: string, request: CapturePaymentRequest, signal?: AbortSignal): Promise<Payment> {
    const s = await this.session();
    const p = await s.client.capturePayment(paymentId, request, { signal });
    this.observe(p, 'capture', s.generation, request.amount_to_capture !== undefined ? { amount_to_capture: request.amount_to_capture } : {});
    return p;
  }

  async cancelPayment(paymentId: string, request: CancelPaymentRequest, signal?: AbortSignal): Promise<Payment> {
    const s = await this.session();
    const p = await s.client.cancelPayment(paymentId, request, { signal });
    this.observe(p, 'cancel', s.generation);
    return p;
  }

  async retrievePayment(
    paymentId: string,
    expand: RetrievePaymentOptions = {},
    cause: 'retrieve' | 'poll' = 'retrieve',
    signal?: AbortSignal,
  ): Promise<Payment> {
    const s = await this.session();
    const p = await s.client.retrievePayment(paymentId, expand, { signal });
    this.observe(p, cause, s.generation);
    return p;
  }

  async listPayments(query: ListPaymentsQuery, signal?: AbortSignal): Promise<PaymentList> {
    const s = await this.session();
    const list = await s.client.listPayments(query, { signal });
    for (const p of list.data) this.observe(p, 'list', s.generation);
    return list;
  }

  async simulateCustomerAction(paymentId: string, outcome: SimulateOutcome, signal?: AbortSignal): Promise<Payment> {
    if (!this.environment().supportsSimulate) {
      throw new ServiceError(
        'refused',
        `Simulating the customer's step works only on the local sandbox; the current environment is ${this.environment().label}.`,
      );
    }
    const s = await this.session();
    const p = await s.client.simulateCustomerAction(paymentId, outcome, { signal });
    this.observe(p, 'simulate', s.generation);
    return p;
  }

  async fetchQrCode(url: string, signal?: AbortSignal): Promise<FetchedQrCode> {
    const s = await this.session();
    return s.client.fetchQrCode(url, { signal });
  }

  cached(paymentId: string): Payment | undefined {
    return this.cache.get(paymentId);
  }

  history(paymentId: string): PaymentObservation[] {
    return this.histories.get(paymentId);
  }

  async curlFor(method: 'GET' | 'POST', path: string, body?: unknown): Promise<string> {
    const s = await this.session();
    return s.client.curlFor(method, path, body);
  }

  // ------------------------------------------------------------------------------ machinery

  /** Raw card data goes only to the local sandbox, the hosted sandbox, or a PCI-controlled URL. */
  private guardRawCard(data: PaymentMethodData | undefined, action: 'create' | 'confirm'): void {
    if (!data?.card) return;
    const env = this.environment();
    if (env.allowsRawCardData) return;
    const where = this.settings().baseUrl || env.label;
    throw new ServiceError(
      'refused',
      `Not sent: raw card data may go only to the local sandbox or the PerfectPay sandbox, and ${where} is neither. ` +
        `If it is a PCI-controlled environment, set "perfectpay.pciControlledEnvironment" to true; otherwise ${action} with a non-card method or use the Web SDK.`,
      env.kind,
    );
  }

  private observe(payment: Payment, cause: ObservationCause, generation: number, extra: Pick<PaymentObservation, 'amount_to_capture' | 'method'> = {}): void {
    if (generation !== this.generation) return; // an answer from the environment before a switch
    this.cache.set(payment.payment_id, payment);
    try {
      this.histories.add(payment.payment_id, observationOf(payment, cause, new Date().toISOString(), extra));
    } catch (e) {
      this.deps.log.warn(`Could not record the history of ${payment.payment_id}: ${String(e)}`);
    }
    this.changePayment.fire({ payment, cause });
  }

  dispose(): void {
    this.generation++;
    void this.histories.flush();
    this.sessionPromise?.then((s) => s.client.close()).catch(() => undefined);
    this.sessionPromise = undefined;
    this.localSandbox.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** For deactivate: waits for the sandbox to stop and the history to be saved. */
  async close(): Promise<void> {
    const flush = this.histories.flush();
    const stop = this.localSandbox.stop();
    this.dispose();
    await Promise.allSettled([flush, stop]);
  }
}

export function describeEnvironment(s: Settings, localUrl?: string): EnvironmentInfo {
  if (s.environment === 'local') {
    return { kind: 'local', label: 'Local sandbox', baseUrl: localUrl, allowsRawCardData: true, supportsSimulate: true };
  }
  if (s.environment === 'sandbox') {
    return { kind: 'sandbox', label: 'PerfectPay sandbox', baseUrl: SANDBOX_URL, allowsRawCardData: true, supportsSimulate: false };
  }
  const origin = httpOrigin(s.baseUrl);
  return {
    kind: 'custom',
    label: `Custom (${s.baseUrl || 'no URL set'})`,
    baseUrl: origin ? s.baseUrl.replace(/\/+$/, '') : undefined,
    allowsRawCardData: s.pciControlledEnvironment || origin === SANDBOX_URL,
    supportsSimulate: false,
  };
}

