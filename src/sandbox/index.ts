/**
 * The local PerfectPay sandbox: a `node:http` server implementing perfectpay-api.md on loopback,
 * for offline work, demos and tests. No `vscode` import: it runs in the extension host, in the CLI
 * (`src/sandbox/cli.ts`) and in tests alike.
 *
 *   const sandbox = await startSandbox({ apiKey: 'sk_test_local', seed: 25 });
 *   // sandbox.url === 'http://127.0.0.1:PORT', sandbox.publishableKey === 'pk_snd_…'
 *   await sandbox.close();
 *
 * Its state survives a restart through `sandbox.snapshot()` (JSON-serialisable) given back as
 * `startSandbox({ ..., restore })`, or through a file (`snapshotFile`, `saveSnapshot()`);
 * `onChange` says when there is something new to save.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { redactText } from '../domain/redact';
import { FaultInjector } from './faults';
import { newKey } from './random';
import { seedPayments } from './seed';
import { DEFAULT_LIMITS, SandboxServer, type ServerLimits } from './server';
import { moveOrigin, parseSnapshot, readSnapshotFile, setAsideSnapshotFile, takeSnapshot, writeSnapshotFile } from './snapshot';
import { renderPayment } from './payments';
import { PaymentStore } from './store';
import type { RunningSandbox, SandboxFaults, SandboxOptions, SandboxSnapshot } from './types';
import { newWebhookSecret, Webhooks } from './webhooks';

export type { RunningSandbox, SandboxFaults, SandboxOptions, SandboxSnapshot, StoredEvent, StoredWebhookAttempt, TargetedFault, WebhookOptions } from './types';
export { newWebhookSecret, signWebhook, webhookUrlProblem } from './webhooks';
export { SANDBOX_SNAPSHOT_VERSION } from './types';

export const DEFAULT_EXPIRY_MS = 15 * 60_000;
export const DEFAULT_PROCESSING_DELAY_MS = 3_000;
/** Time a refund of a refund test card stays `pending` by default. */
export const DEFAULT_REFUND_DELAY_MS = 3_000;

function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`startSandbox: ${name} must be a number ≥ 0 (got ${String(value)})`);
  }
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const n = nonNegative(name, value, fallback);
  if (n === 0) throw new RangeError(`startSandbox: ${name} must be more than 0`);
  return n;
}

function limitsOf(opts: SandboxOptions): ServerLimits {
  const headersTimeoutMs = positive('headersTimeoutMs', opts.headersTimeoutMs, DEFAULT_LIMITS.headersTimeoutMs);
  // Node refuses a headers timeout longer than the whole request's.
  const requestTimeoutMs = Math.max(headersTimeoutMs, positive('requestTimeoutMs', opts.requestTimeoutMs, DEFAULT_LIMITS.requestTimeoutMs));
  const maxConnections = positive('maxConnections', opts.maxConnections, DEFAULT_LIMITS.maxConnections);
  return { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs: DEFAULT_LIMITS.keepAliveTimeoutMs, maxConnections };
}

export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  if (typeof opts.apiKey !== 'string' || opts.apiKey.length === 0) {
    throw new TypeError('startSandbox: apiKey must be a non-empty string');
  }
  if (opts.publishableKey !== undefined && (typeof opts.publishableKey !== 'string' || opts.publishableKey.length === 0)) {
    throw new TypeError('startSandbox: publishableKey must be a non-empty string');
  }
  const publishableKey = opts.publishableKey ?? newKey('pk_snd_');
  if (publishableKey === opts.apiKey) throw new TypeError('startSandbox: the publishable key must not be the secret key');
  const host = opts.host ?? '127.0.0.1';
  const port = nonNegative('port', opts.port, 0);
  const now = opts.now ?? Date.now;
  const userLog = opts.log;
  const webhookSecret = opts.webhooks?.secret ?? newWebhookSecret();
  // Every line, whoever writes it: the keys never, card numbers masked (the domain's redaction).
  const log = (line: string) => {
    if (!userLog) return;
    try {
      userLog(redactText(line, [opts.apiKey, publishableKey, webhookSecret]));
    } catch {
      // A failing logger must not break the sandbox.
    }
  };
  let latencyMs = nonNegative('latencyMs', opts.latencyMs, 0);
  const expiryMs = nonNegative('expiryMs', opts.expiryMs, DEFAULT_EXPIRY_MS);
  const processingDelayMs = nonNegative('processingDelayMs', opts.processingDelayMs, DEFAULT_PROCESSING_DELAY_MS);
  const refundDelayMs = nonNegative('refundDelayMs', opts.refundDelayMs, DEFAULT_REFUND_DELAY_MS);
  const seed = nonNegative('seed', opts.seed, 0);
  const limits = limitsOf(opts);

  let baseUrl = `http://${urlHost(host)}:${port}`;
  let seeding = false;
  const storeLog = (line: string) => {
    if (!seeding) log(line);
  };
  // Changes are announced once per burst (after the synchronous move that made them), never
  // while seeding or restoring, and never after close.
  const userOnChange = opts.onChange;
  let announcing = false;
  let live = false;
  const onChange = () => {
    if (!userOnChange || !live || announcing) return;
    announcing = true;
    queueMicrotask(() => {
      announcing = false;
      if (!live) return;
      try {
        userOnChange();
      } catch (e) {
        log(`onChange listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  };
  const webhooks = new Webhooks({ ...opts.webhooks, secret: webhookSecret }, { now, log, onChange });
  // Seeded payments are history: they make no events.
  const onStatus = (change: Parameters<Webhooks['record']>[0]) => {
    if (!seeding) webhooks.record(change);
  };
  const store = new PaymentStore({ now, expiryMs, processingDelayMs, refundDelayMs, baseUrl: () => baseUrl, log: storeLog, onChange, onStatus });
  const faults = new FaultInjector(opts.faults);
  const server = new SandboxServer({
    store,
    webhooks,
    apiKey: opts.apiKey,
    publishableKey,
    pageSecret: randomBytes(32).toString('hex'),
    faults,
    latencyMs: () => latencyMs,
    baseUrl: () => baseUrl,
    log,
    limits,
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.http.once('error', onError);
    // A backlog as deep as the cap: a burst of connections waits to be accepted instead of being retried.
    server.http.listen({ port, host, backlog: limits.maxConnections }, () => {
      server.http.off('error', onError);
      resolve();
    });
  });
  server.http.on('error', (e) => log(`server error: ${e.message}`));
  const address = server.http.address() as AddressInfo;
  baseUrl = `http://${urlHost(host === 'localhost' ? 'localhost' : address.address)}:${address.port}`;

  let startedFrom: 'snapshot' | 'seed' = 'seed';
  let restoreProblem: string | undefined;
  try {
    // From a file: one that is not JSON, or that is refused, is set aside so the next start does not meet it.
    let restore: unknown = opts.restore;
    if (restore === undefined && opts.snapshotFile !== undefined) {
      const file = await readSnapshotFile(opts.snapshotFile);
      if (file.kind === 'read') {
        restore = file.value;
      } else if (file.kind === 'unreadable') {
        restoreProblem = `${opts.snapshotFile} is unreadable: ${file.problem}`;
      }
    }
    if (restore !== undefined) {
      const parsed = parseSnapshot(restore);
      if (parsed.ok) {
        const { snapshot } = parsed;
        try {
          const moved = await moveOrigin(snapshot.payments, snapshot.origin, baseUrl);
          store.importState(snapshot);
          webhooks.importState(snapshot.events ?? []);
          startedFrom = 'snapshot';
          log(
            `restored ${store.size} payment(s) from a snapshot of ${snapshot.takenAt || 'unknown time'}` +
              (moved ? ` (next_action URLs of ${moved} moved from ${snapshot.origin} to ${baseUrl})` : ''),
          );
        } catch (e) {
          restoreProblem = `the snapshot could not be restored (${e instanceof Error ? e.message : String(e)})`;
        }
      } else {
        restoreProblem = parsed.problem;
      }
    }
    if (restoreProblem) {
      log(`snapshot ignored, starting from the seed: ${restoreProblem}`);
      if (opts.snapshotFile !== undefined && opts.restore === undefined) {
        try {
          const aside = await setAsideSnapshotFile(opts.snapshotFile, now());
          log(`warning: the snapshot file that could not be used was set aside as ${aside}`);
        } catch (e) {
          log(`warning: the snapshot file ${opts.snapshotFile} could not be set aside (${e instanceof Error ? e.message : String(e)})`);
        }
      }
    }

    if (startedFrom === 'seed' && seed > 0) {
      seeding = true;
      try {
        await seedPayments(store, { count: seed, nowMs: now(), expiryMs });
      } finally {
        seeding = false;
      }
      log(`seeded ${store.size} payment(s)`);
    }
  } catch (e) {
    // A start that fails after listening closes its socket: nothing is left bound.
    webhooks.close();
    await server.close();
    throw e;
  }

  let closed: Promise<void> | null = null;
  live = true;
  const snapshot = (): SandboxSnapshot => takeSnapshot(store, webhooks, baseUrl, now());
  return {
    url: baseUrl,
    port: address.port,
    publishableKey,
    startedFrom,
    ...(restoreProblem !== undefined ? { restoreProblem } : {}),
    close: () => {
      live = false;
      webhooks.close();
      return (closed ??= server.close());
    },
    snapshot,
    saveSnapshot: async () => {
      if (opts.snapshotFile !== undefined) await writeSnapshotFile(opts.snapshotFile, snapshot());
    },
    setFaults: (f: SandboxFaults | undefined) => faults.set(f),
    setLatency: (ms: number) => {
      latencyMs = nonNegative('latencyMs', ms, 0);
    },
    firstPage: (limit: number) => store.list({ limit: Math.max(1, Math.min(100, Math.trunc(limit))), fromMs: -Infinity, toMs: Infinity }).map((p) => renderPayment(p)),
    paymentCount: () => store.size,
    paymentIds: () => store.ids(),
    webhookSecret: webhooks.webhookSecret,
    webhookUrl: () => webhooks.webhookUrl,
    setWebhookUrl: (url: string | null) => webhooks.setUrl(url),
  };
}
