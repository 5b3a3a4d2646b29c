/**
 * The environment manager: which environment payments come from (local sandbox, hosted sandbox,
 * custom URL), its key (kept private, in SecretStorage), the local sandbox's life, and the API client
 * of the current environment (a "session", made on first use by loading the runtime bundle lazily).
 * Every change of environment or key bumps a generation, so answers from the environment before a
 * switch are recognised and dropped by the payments service.
 */
import * as vscode from 'vscode';
import { l10n } from './l10n';
import type { PerfectPayClient, RequestEvent } from '../api/client';
import { randomBytes } from 'node:crypto';
import { ApiKeyStore, publishableSecretName, secretName, WEBHOOK_SECRET_NAME } from './apiKeys';
import { missingKey, ServiceError } from './errors';
import { LocalSandbox, type LocalSandboxHandle } from './localSandbox';
import { TerminalEnvironment } from './terminalEnv';
import type { RuntimeLoader } from './runtime';
import { affectsEnvironment, baseUrlProblem, httpOrigin, isPlainHttpRemote, readNetworkSettings, readSettings, SANDBOX_URL, type Settings } from './settings';
import type { EnvironmentInfo, EnvironmentKind } from './types';

export interface EnvironmentDeps {
  loadRuntime: RuntimeLoader;
  secrets: vscode.SecretStorage;
  /** Where the origins confirmed for plain http are remembered (the extension's global state). */
  state?: vscode.Memento;
  log: vscode.LogOutputChannel;
  /** Where the local sandbox keeps its payments between windows (the extension's globalStorageUri). */
  storageUri?: vscode.Uri;
  /**
   * The integrated terminal's variables (the extension's environment-variable collection): the local
   * sandbox's key and URL while it is the current environment and runs, nothing otherwise.
   */
  terminalEnvironment?: vscode.EnvironmentVariableCollection;
  /** Client options for tests (shorter timeouts, fewer retries). */
  clientOptions?: { connectTimeoutMs?: number; headersTimeoutMs?: number; retry?: { maxAttempts?: number; maxElapsedMs?: number } };
}

/** The client of one environment, and the generation it belongs to. */
export interface Session {
  client: PerfectPayClient;
  baseUrl: string;
  generation: number;
}

const PLAIN_HTTP_KEY = 'perfectpay.plainHttpConfirmed';
/** The local sandbox's webhook URL last set (given again at each start). */
const WEBHOOK_URL_KEY = 'perfectpay.localSandbox.webhookUrl';

export class EnvironmentManager implements vscode.Disposable {
  private readonly changeEnvironment = new vscode.EventEmitter<EnvironmentInfo>();
  private readonly updateEnvironmentInfo = new vscode.EventEmitter<EnvironmentInfo>();
  private readonly request = new vscode.EventEmitter<RequestEvent>();
  /** Fires when the environment or the key changes: everything shown must be reloaded. */
  readonly onDidChangeEnvironment = this.changeEnvironment.event;
  /** Fires when what is known of the same environment grows (the local sandbox's URL once started). */
  readonly onDidUpdateEnvironmentInfo = this.updateEnvironmentInfo.event;
  /** Every HTTP exchange, redacted (the request log, and tests counting requests). */
  readonly onDidRequest = this.request.event;

  readonly localSandbox: LocalSandbox;
  private readonly keys: ApiKeyStore;
  private readonly terminal: TerminalEnvironment | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private sessionPromise: Promise<Session> | undefined;
  private currentGeneration = 0;
  private settingsCache: Settings | undefined;
  /**
   * The key each secret name held when we last read or wrote it: a change event whose value is the same
   * (the echo of our own write, however late it comes) changes nothing.
   */
  private readonly knownKeys = new Map<string, string | undefined>();
  /** Requests sent since the start (every attempt counts). */
  requestCount = 0;

  constructor(private readonly deps: EnvironmentDeps) {
    this.keys = new ApiKeyStore(deps.secrets);
    this.localSandbox = new LocalSandbox(deps.loadRuntime, deps.log, {
      storageUri: deps.storageUri,
      // Its URL and key die with it: the next request makes a client for the next one.
      onStopped: () => {
        this.forgetSession();
        this.showInTerminal();
      },
      onStarted: () => this.showInTerminal(),
      webhooks: async () => ({ secret: await this.webhookSecret(), url: this.rememberedWebhookUrl() }),
    });
    this.terminal = deps.terminalEnvironment && new TerminalEnvironment(deps.terminalEnvironment);
    this.disposables.push(
      this.keys,
      this.changeEnvironment,
      this.updateEnvironmentInfo,
      this.request,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('http')) this.networkChanged();
        if (e.affectsConfiguration('perfectpay')) this.settingsCache = undefined;
        if (!affectsEnvironment(e)) return;
        const seedChanged = e.affectsConfiguration('perfectpay.localSandbox.seed');
        this.reset(seedChanged ? 'the local sandbox seed changed' : 'the environment settings changed', seedChanged);
      }),
      this.keys.onDidChange((name) => void this.keyChanged(name)),
    );
  }

  /**
   * A key changed in SecretStorage (here, in another window, or the echo of our own write): the current
   * environment reloads when its key now differs from the one last read or written.
   */
  private async keyChanged(name: string): Promise<void> {
    if (name !== this.currentSecretName()) return;
    const now = await this.keys.get(name);
    if (this.knownKeys.has(name) && this.knownKeys.get(name) === now) return;
    this.knownKeys.set(name, now);
    if (name === this.currentSecretName()) this.reset('the API key changed', false);
  }

  /**
   * The local sandbox's webhook secret (its payment_response_hash_key), kept in SecretStorage and made
   * on first use: every window's sandbox signs with it. Never logged or shown.
   */
  webhookSecret(): Promise<string> {
    // One read (and, the first time, one write) for every caller: two callers at once (the sandbox
    // starting, the inbox starting) must not each make a secret of their own.
    return (this.webhookSecretRead ??= (async () => {
      const stored = await this.keys.get(WEBHOOK_SECRET_NAME);
      if (stored) return stored;
      await this.keys.set(WEBHOOK_SECRET_NAME, randomBytes(32).toString('hex'));
      // Another window may have stored one meanwhile: the stored one is the one.
      return (await this.keys.get(WEBHOOK_SECRET_NAME))!;
    })().catch((e: unknown) => {
      this.webhookSecretRead = undefined;
      throw e;
    }));
  }
  private webhookSecretRead: Promise<string> | undefined;

  /** The local sandbox's webhook URL remembered (what Set Webhook URL chose last), or null. */
  rememberedWebhookUrl(): string | null {
    return this.deps.state?.get<string>(WEBHOOK_URL_KEY) ?? null;
  }

  /** Remembers the local sandbox's webhook URL, so that its next start sends there too. */
  async rememberWebhookUrl(url: string | null): Promise<void> {
    await this.deps.state?.update(WEBHOOK_URL_KEY, url ?? undefined);
  }

  /** The runtime bundle (loaded now if it was not yet). */
  runtime(): ReturnType<RuntimeLoader> {
    return this.deps.loadRuntime();
  }

  settings(): Settings {
    return (this.settingsCache ??= readSettings());
  }

  environment(): EnvironmentInfo {
    const s = this.settings();
    return describeEnvironment(s, s.environment === 'local' ? this.localSandbox.url : undefined);
  }

  /** The integrated terminal gets the local sandbox's key and URL when it is the environment and runs; nothing otherwise. */
  private showInTerminal(): void {
    this.terminal?.show(this.settings().environment === 'local' ? this.localSandbox.handle : undefined);
  }

  /** The generation of the current environment: answers of an older one are stale. */
  get generation(): number {
    return this.currentGeneration;
  }

  /** A problem with the environment's settings that no request can get past, if any. */
  configProblem(): string | undefined {
    const s = this.settings();
    if (s.environment !== 'custom') return undefined;
    const problem = baseUrlProblem(s.baseUrl);
    if (problem) return problem;
    if (isPlainHttpRemote(s.baseUrl) && !this.plainHttpConfirmed(s.baseUrl)) {
      return l10n.t(
        'Not sent: {0} uses plain http, so the API key and payment data would cross the network unencrypted. Use https, or confirm plain http with "PerfectPay: Select Environment".',
        String(httpOrigin(s.baseUrl)),
      );
    }
    return undefined;
  }

  /** Whether the person confirmed sending the key over plain http to this URL's origin. */
  plainHttpConfirmed(url: string): boolean {
    const origin = httpOrigin(url);
    return !!origin && (this.deps.state?.get<string[]>(PLAIN_HTTP_KEY) ?? []).includes(origin);
  }

  /** Remembers the person's explicit confirmation of plain http to this URL's origin. */
  async confirmPlainHttp(url: string): Promise<void> {
    const origin = httpOrigin(url);
    if (!origin) return;
    const list = this.deps.state?.get<string[]>(PLAIN_HTTP_KEY) ?? [];
    if (!list.includes(origin)) await this.deps.state?.update(PLAIN_HTTP_KEY, [...list, origin].slice(-20));
    this.reset('plain http was confirmed', false);
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

  /** Whether a key is stored for an environment (for offering it elsewhere); never the key itself. */
  async hasApiKey(kind: EnvironmentKind, baseUrl?: string): Promise<boolean> {
    if (kind === 'local') return true;
    const name = secretName(kind, baseUrl ?? this.settings().baseUrl);
    return name !== undefined && (await this.keys.get(name)) !== undefined;
  }

  /** Stores the key of an environment (the current one by default); refreshes through the key's change event. */
  async setApiKey(key: string, kind?: EnvironmentKind, baseUrl?: string): Promise<void> {
    const s = this.settings();
    const name = secretName(kind ?? s.environment, baseUrl ?? s.baseUrl);
    if (!name) throw new ServiceError('refused', l10n.t('The local sandbox makes its own key: it needs none.'), 'local');
    if (!key.trim()) throw new ServiceError('refused', l10n.t('The API key must not be empty.'));
    this.knownKeys.set(name, key.trim());
    await this.keys.set(name, key);
    // SecretStorage's change event may come late (or not at all in some hosts): reset now.
    if (name === this.currentSecretName()) this.reset('the API key changed', false);
  }

  /**
   * The publishable key of the current environment: the local sandbox's own (it is started if need be),
   * or the one stored for a hosted environment; undefined when none is stored.
   */
  async publishableKey(): Promise<string | undefined> {
    const s = this.settings();
    if (s.environment === 'local') return (await this.localSandbox.ensure(s.seed)).publishableKey;
    const name = publishableSecretName(s.environment, s.baseUrl);
    return name ? this.keys.get(name) : undefined;
  }

  /** Stores the publishable key of the current environment (a hosted one: the local sandbox has its own). */
  async setPublishableKey(key: string): Promise<void> {
    const s = this.settings();
    const name = publishableSecretName(s.environment, s.baseUrl);
    if (!name) throw new ServiceError('refused', l10n.t('The local sandbox makes its own publishable key: it needs none.'), 'local');
    if (!key.trim()) throw new ServiceError('refused', l10n.t('The publishable key must not be empty.'));
    await this.keys.set(name, key);
  }

  /**
   * What the Payments view may show while the current environment starts: the local sandbox's first
   * page as it was last saved (untrusted rows), before it is running; undefined anywhere else.
   */
  async lastFirstPage(): Promise<unknown[] | undefined> {
    const s = this.settings();
    return s.environment === 'local' ? this.localSandbox.lastFirstPage(s.seed) : undefined;
  }

  /** Forgets the stored key of the current environment (the next request asks for one). */
  async deleteApiKey(): Promise<void> {
    const name = this.currentSecretName();
    if (!name) return;
    this.knownKeys.set(name, undefined);
    await this.keys.delete(name);
    this.reset('the API key was removed', false);
  }

  /** Forgets the client (and, with `stopSandbox`, the local sandbox) and tells everyone to reload. */
  reset(reason: string, stopSandbox: boolean): void {
    this.forgetSession(true);
    if (stopSandbox) void this.localSandbox.stop();
    this.showInTerminal();
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

  /** The client of the current environment, made on first use. */
  session(): Promise<Session> {
    if (!this.sessionPromise) {
      const p = this.createSession(this.currentGeneration);
      this.sessionPromise = p;
      p.catch(() => {
        if (this.sessionPromise === p) this.sessionPromise = undefined;
      });
    }
    return this.sessionPromise;
  }

  /** Drops the client (and ignores the answers still on their way); the next request makes a new one. */
  private forgetSession(always = false): void {
    if (!this.sessionPromise && !always) return;
    this.currentGeneration++;
    const old = this.sessionPromise;
    this.sessionPromise = undefined;
    old?.then((s) => s.client.close()).catch(() => undefined);
  }

  private async createSession(generation: number): Promise<Session> {
    const s = this.settings();
    let baseUrl: string;
    let apiKey: string;
    let shared: LocalSandboxHandle | undefined;
    if (s.environment === 'local') {
      const wasRunning = this.localSandbox.url !== undefined;
      const handle = await this.localSandbox.ensure(s.seed);
      baseUrl = handle.url;
      apiKey = handle.apiKey;
      if (handle.shared) shared = handle;
      if (!wasRunning) this.updateEnvironmentInfo.fire(this.environment());
    } else {
      baseUrl = s.environment === 'sandbox' ? SANDBOX_URL : s.baseUrl;
      const problem = this.configProblem();
      if (problem) throw new ServiceError('config', problem, s.environment);
      const name = secretName(s.environment, baseUrl)!;
      const key = await this.keys.get(name);
      this.knownKeys.set(name, key);
      if (!key || !key.trim()) throw missingKey(s.environment, this.environment().label);
      apiKey = key.trim();
    }
    const client = this.makeClient(baseUrl, apiKey);
    if (generation !== this.currentGeneration) {
      void client.close();
      throw new ServiceError('config', l10n.t('The environment changed while connecting: try again.'));
    }
    const session: Session = { client, baseUrl, generation };
    if (shared) session.client = this.takingOver(session, shared, s.seed);
    return session;
  }

  /**
   * VS Code's network settings changed: the client of a hosted environment takes them for its next
   * request (a new dispatcher), without a reload. The local sandbox never goes through a proxy.
   */
  private networkChanged(): void {
    if (this.settings().environment === 'local') return;
    void this.sessionPromise?.then((s) => {
      s.client.setNetwork(readNetworkSettings());
      this.logNetwork(s.client);
    }, () => undefined);
  }

  /** How requests leave, in the log: a warning when certificates are not verified. */
  private logNetwork(c: PerfectPayClient): void {
    this.deps.log[c.network.strictSSL ? 'info' : 'warn'](`Network: ${this.deps.loadRuntime().describeNetwork(c.network)}`);
  }

  private makeClient(baseUrl: string, apiKey: string): PerfectPayClient {
    const hosted = this.settings().environment !== 'local';
    const client = new (this.deps.loadRuntime().PerfectPayClient)({
      baseUrl,
      apiKey,
      ...(hosted ? { network: readNetworkSettings() } : {}),
      ...this.deps.clientOptions,
      onEvent: (event) => {
        this.requestCount++;
        this.request.fire(event);
      },
    });
    if (hosted) this.logNetwork(client);
    return client;
  }

  /**
   * The client of another window's sandbox, which takes over when that one is gone: a call refused
   * (the window closed: nothing was sent, so sending it again is safe) or refused its key (it started
   * again with new keys) makes this window find the next sandbox, or start its own from the saved
   * payments, and is sent once more there. The session (its generation) stays: the payments are the same.
   */
  private takingOver(session: Session, first: LocalSandboxHandle, seed: number): PerfectPayClient {
    let handle = first;
    let current = session.client;
    let next: Promise<void> | undefined;
    const takeOver = (from: PerfectPayClient): Promise<void> => {
      if (from !== current) return Promise.resolve(); // another call took over already
      return (next ??= (async () => {
        this.localSandbox.forgetShared(handle);
        const h = await this.localSandbox.ensure(seed);
        const old = current;
        handle = h;
        current = this.makeClient(h.url, h.apiKey);
        session.baseUrl = h.url;
        void old.close();
        this.updateEnvironmentInfo.fire(this.environment());
      })().finally(() => (next = undefined)));
    };
    return new Proxy(session.client, {
      get: (_target, prop) => {
        const value: unknown = Reflect.get(current, prop, current);
        if (typeof value !== 'function' || prop === 'close') return typeof value === 'function' ? value.bind(current) : value;
        return (...args: unknown[]): unknown => {
          const client = current;
          const result: unknown = (Reflect.get(client, prop, client) as (...a: unknown[]) => unknown).apply(client, args);
          if (!(result instanceof Promise) || !handle.shared) return result;
          return result.catch(async (e: unknown) => {
            if (!handle.shared || !sandboxGone(e)) throw e;
            await takeOver(client);
            return (Reflect.get(current, prop, current) as (...a: unknown[]) => unknown).apply(current, args);
          });
        };
      },
    });
  }

  dispose(): void {
    this.forgetSession();
    this.localSandbox.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /** For deactivate: waits for the local sandbox to stop (saving its payments). */
  async close(): Promise<void> {
    const stop = this.localSandbox.stop();
    this.dispose();
    await Promise.allSettled([stop]);
  }
}

/** A shared sandbox's answer that says it is gone: the connection refused, or its key refused (401). */
function sandboxGone(e: unknown): boolean {
  const err = e as { kind?: unknown; status?: unknown; original?: unknown };
  if (err?.kind === 'api') return err.status === 401;
  if (err?.kind === 'lost_answer') return sandboxGone(err.original);
  if (err?.kind !== 'network') return false;
  for (let c: unknown = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    if ((c as { code?: unknown }).code === 'ECONNREFUSED') return true;
  }
  return false;
}

export function describeEnvironment(s: Settings, localUrl?: string): EnvironmentInfo {
  if (s.environment === 'local') {
    return { kind: 'local', label: l10n.t('Local sandbox'), baseUrl: localUrl, allowsRawCardData: true, supportsSimulate: true, insecure: false };
  }
  if (s.environment === 'sandbox') {
    return { kind: 'sandbox', label: l10n.t('PerfectPay sandbox'), baseUrl: SANDBOX_URL, allowsRawCardData: true, supportsSimulate: false, insecure: false };
  }
  const origin = httpOrigin(s.baseUrl);
  return {
    kind: 'custom',
    label: l10n.t('Custom ({0})', s.baseUrl || l10n.t('no URL set')),
    baseUrl: origin ? s.baseUrl.replace(/\/+$/, '') : undefined,
    allowsRawCardData: s.pciControlledEnvironment || origin === SANDBOX_URL,
    supportsSimulate: false,
    insecure: isPlainHttpRemote(s.baseUrl),
  };
}
