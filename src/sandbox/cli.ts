/**
 * `perfectpay sandbox --port 4242 --api-key sk_test_local --seed 25 [--latency MS] ...` (also
 * `node dist/sandbox-cli.js ...`, `npm run sandbox`): runs the local PerfectPay sandbox until SIGINT /
 * SIGTERM / SIGHUP. Bad flags: one line on stderr, exit 2. Keys not given (flag or environment) are
 * made at random and printed, so that a copy-pasted command never shares one. The sandbox's flags
 * live here, for both entries (src/cli/sandbox.ts is the `perfectpay` tool's).
 */
import { parseArgs as parseNodeArgs } from 'node:util';
import { isLoopbackHost } from '../domain/network';
import { startSandbox } from './index';
import { newKey } from './random';
import { DEFAULT_RETRY_DELAYS_MS, newWebhookSecret, webhookUrlProblem } from './webhooks';
import type { SandboxOptions } from './types';

export const USAGE = `Usage: perfectpay sandbox [options]

Runs a local PerfectPay sandbox (the routes of the PerfectPay payments API) until Ctrl+C or SIGTERM.
GET /health answers {"status":"ok"} without a key.

Options:
  --port N                 port to listen on (default 4242; 0 = any free port)
  --host HOST              address to listen on (default 127.0.0.1); another than loopback
                           (0.0.0.0 in a container) only with a key given
  --api-key KEY            secret key expected in the api-key header (default: $PERFECTPAY_API_KEY,
                           else made at random and printed)
  --publishable-key KEY    publishable key, for confirm and retrieve with a client_secret
                           (default: $PERFECTPAY_PUBLISHABLE_KEY, else made at random and printed)
  --seed N                 fill with N demo payments over every status (default 0)
  --snapshot FILE          start from the payments saved in FILE; save them there within a second of
                           each change and on exit (Ctrl+C, SIGTERM, SIGHUP)
                           (an unreadable FILE is set aside as FILE.corrupt-<time>)
  --latency MS             delay before every API answer
  --error-rate R           share (0..1) of API requests answered 500 HE_00
  --malformed-rate R       share answered 200 with broken JSON
  --drop-rate R            share whose connection is dropped without answer
  --rate-limit-rate R      share answered 429 RE_04
  --retry-after S          Retry-After of the 429 answers, in seconds (default 1)
  --expiry-ms MS           time until a waiting payment expires (default 900000 = 15 min)
  --processing-delay MS    time a processing payment takes to settle (default 3000)
  --refund-delay MS        time a refund of card 5126 or 7726 stays pending (default 3000)
  --webhook-url URL        POST every payment and refund event there (http or https; none: events
                           are only recorded)
  --webhook-secret KEY     payment_response_hash_key signing the events (X-Webhook-Signature-512)
                           (default: made at random, printed)
  --webhook-retries LIST   seconds before each retry of a failed delivery, e.g. 2,5,15 (the default)
  -q, --quiet              do not log each request
  -h, --help               show this help
`;

export class UsageError extends Error {}

type Kind = 'int' | 'rate' | 'ms';
/** The numeric flags and what each must be. */
const NUMBERS: Readonly<Record<string, Kind>> = {
  port: 'int',
  seed: 'int',
  latency: 'ms',
  'error-rate': 'rate',
  'malformed-rate': 'rate',
  'drop-rate': 'rate',
  'rate-limit-rate': 'rate',
  'retry-after': 'ms',
  'expiry-ms': 'ms',
  'processing-delay': 'ms',
  'refund-delay': 'ms',
};

/** Number flags written as they are into a SandboxOptions field, and into its `faults`. */
const OPTION_NUMBERS: Readonly<Record<string, 'seed' | 'latencyMs' | 'expiryMs' | 'processingDelayMs' | 'refundDelayMs'>> = {
  seed: 'seed', latency: 'latencyMs', 'expiry-ms': 'expiryMs', 'processing-delay': 'processingDelayMs', 'refund-delay': 'refundDelayMs',
};
const FAULT_NUMBERS: Readonly<Record<string, 'errorRate' | 'malformedRate' | 'dropRate' | 'rateLimitRate' | 'retryAfterSeconds'>> = {
  'error-rate': 'errorRate', 'malformed-rate': 'malformedRate', 'drop-rate': 'dropRate', 'rate-limit-rate': 'rateLimitRate', 'retry-after': 'retryAfterSeconds',
};

const OPTIONS = {
  ...Object.fromEntries(Object.keys(NUMBERS).map((name) => [name, { type: 'string' as const }])),
  host: { type: 'string' },
  'api-key': { type: 'string' },
  'publishable-key': { type: 'string' },
  snapshot: { type: 'string' },
  'webhook-url': { type: 'string' },
  'webhook-secret': { type: 'string' },
  'webhook-retries': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface CliConfig {
  options: SandboxOptions;
  quiet: boolean;
  help: boolean;
  /** Which keys were made here (printed at start, as the user has no other way to know them). */
  generated: { apiKey: boolean; publishableKey: boolean; webhookSecret: boolean };
  /** Which keys came from the environment (never printed: they are the user's). */
  fromEnv: { apiKey: boolean; publishableKey: boolean };
}

/** The environment variables a key may come from (a container's secret, never on a command line). */
export const KEY_ENV = { apiKey: 'PERFECTPAY_API_KEY', publishableKey: 'PERFECTPAY_PUBLISHABLE_KEY' } as const;

/** node:util's parse errors, in the CLI's own words (the `perfectpay` tool's subcommands too). */
export function usageError(e: unknown): UsageError {
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-{1,2}[^' <]+)/.exec(message)?.[1];
  switch ((e as { code?: string }).code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`Unknown option: ${option ?? message}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(`Option ${option ?? ''} needs a value`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`Unexpected argument: ${/'([^']*)'/.exec(message)?.[1] ?? message}`);
    default:
      return new UsageError(message);
  }
}

/**
 * Parses the command line (`--flag value` or `--flag=value`); a key not given as a flag is read from
 * `env` (KEY_ENV). Throws UsageError on a bad flag.
 */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliConfig {
  let parsed: ReturnType<typeof parseNodeArgs<{ args: string[]; options: typeof OPTIONS; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseNodeArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  } catch (e) {
    throw usageError(e);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const text = (name: string): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  const num = (name: string): number | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    const kind = NUMBERS[name]!;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${v}")`);
    if (kind === 'int' && (!Number.isInteger(n) || n < 0)) throw new UsageError(`--${name} must be a whole number ≥ 0 (got "${v}")`);
    if (kind === 'rate' && (n < 0 || n > 1)) throw new UsageError(`--${name} must be between 0 and 1 (got "${v}")`);
    if (kind === 'ms' && n < 0) throw new UsageError(`--${name} must be ≥ 0 (got "${v}")`);
    return n;
  };
  const key = (name: string): string | undefined => {
    const v = text(name);
    if (v !== undefined && v.trim() === '') throw new UsageError(`--${name} must not be empty`);
    return v;
  };
  const port = num('port') ?? 4242;
  if (port > 65535) throw new UsageError(`--port must be at most 65535 (got "${text('port')}")`);
  const fromEnv = (name: string): string | undefined => (env[name]?.trim() ? env[name] : undefined);
  const flagApiKey = key('api-key');
  const flagPublishableKey = key('publishable-key');
  const envApiKey = flagApiKey === undefined ? fromEnv(KEY_ENV.apiKey) : undefined;
  const envPublishableKey = flagPublishableKey === undefined ? fromEnv(KEY_ENV.publishableKey) : undefined;
  const givenApiKey = flagApiKey ?? envApiKey;
  const givenPublishableKey = flagPublishableKey ?? envPublishableKey;
  const apiKey = givenApiKey ?? newKey('snd_');
  const publishableKey = givenPublishableKey ?? newKey('pk_snd_');
  if (apiKey === publishableKey) throw new UsageError('--api-key and --publishable-key must differ');
  const host = text('host') ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  // Reachable from other machines: never with a key made here and printed to a log anyone may read.
  if (!isLoopbackHost(host) && givenApiKey === undefined) {
    throw new UsageError(`--host ${host} listens beyond this machine: give the key with --api-key or ${KEY_ENV.apiKey}`);
  }
  const options: SandboxOptions = { port, host, apiKey, publishableKey };
  const snapshot = text('snapshot');
  if (snapshot !== undefined) {
    if (snapshot.trim() === '') throw new UsageError('--snapshot must not be empty');
    options.snapshotFile = snapshot;
  }
  /** Each flag of `table` that is given, checked, into its field of `into`. */
  const numbers = <F extends string>(table: Readonly<Record<string, F>>, into: Partial<Record<F, number>>): void => {
    for (const [flag, field] of Object.entries(table)) {
      const v = num(flag);
      if (v !== undefined) into[field] = v;
    }
  };
  numbers(OPTION_NUMBERS, options);
  const faults: NonNullable<SandboxOptions['faults']> = {};
  numbers(FAULT_NUMBERS, faults);
  const sum = (faults.errorRate ?? 0) + (faults.malformedRate ?? 0) + (faults.dropRate ?? 0) + (faults.rateLimitRate ?? 0);
  if (sum > 1) throw new UsageError(`The fault rates add up to ${sum}: at most 1`);
  if (Object.keys(faults).length) options.faults = faults;
  const webhookUrl = text('webhook-url');
  if (webhookUrl !== undefined) {
    const problem = webhookUrlProblem(webhookUrl);
    if (problem) throw new UsageError(`--webhook-url: ${problem}`);
  }
  const givenSecret = key('webhook-secret');
  options.webhooks = { url: webhookUrl ?? null, secret: givenSecret ?? newWebhookSecret() };
  const retries = text('webhook-retries');
  if (retries !== undefined) {
    const delays = retries.trim() === '' ? [] : retries.split(',').map((x) => Number(x.trim()));
    if (delays.some((d) => !Number.isFinite(d) || d < 0)) throw new UsageError(`--webhook-retries must be seconds ≥ 0 separated by commas (got "${retries}")`);
    options.webhooks.retryDelaysMs = delays.map((d) => d * 1000);
  }
  return {
    options,
    quiet: values.quiet === true,
    help: values.help === true,
    generated: { apiKey: givenApiKey === undefined, publishableKey: givenPublishableKey === undefined, webhookSecret: givenSecret === undefined },
    fromEnv: { apiKey: envApiKey !== undefined, publishableKey: envPublishableKey !== undefined },
  };
}

/** Ctrl+C, a kill, and the terminal closing (SIGHUP): each stops the sandbox, saving its payments. */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** With --snapshot, how soon a change is saved. */
const SAVE_DELAY_MS = 1000;

/** Where the command writes, and what stops it: the `perfectpay` tool's CliIo is one. */
export interface SandboxIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted to stop the sandbox; its reason, a signal's name, is printed. */
  signal: AbortSignal;
}

/** This process's streams and environment; the signal aborted by STOP_SIGNALS (with the signal's name). */
export function processIo(): SandboxIo {
  const ac = new AbortController();
  const stop = (signal: NodeJS.Signals): void => {
    for (const s of STOP_SIGNALS) process.off(s, stop);
    ac.abort(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, stop);
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: ac.signal };
}

export async function main(argv: readonly string[], io: SandboxIo = processIo()): Promise<number> {
  let config: CliConfig;
  try {
    config = parseArgs(argv, io.env);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`perfectpay sandbox: ${e.message} (see perfectpay sandbox --help)\n`);
      return 2;
    }
    throw e;
  }
  if (config.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const log = config.quiet ? undefined : (line: string) => io.stdout.write(`${new Date().toISOString()} ${line}\n`);
  // With --snapshot, every change is saved within SAVE_DELAY_MS (as the extension saves its own):
  // a crash or a kill loses at most that last second. The saves run one after another.
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    const s = sandbox;
    saving = saving.then(() => s?.saveSnapshot()).catch((e: unknown) => {
      io.stderr.write(`Could not save the snapshot: ${e instanceof Error ? e.message : String(e)}\n`);
    });
    return saving;
  };
  const onChange = config.options.snapshotFile === undefined
    ? undefined
    : () => {
        // Not reset by later changes: a busy sandbox is still saved once a second.
        saveTimer ??= setTimeout(() => void save(), SAVE_DELAY_MS);
      };
  try {
    sandbox = await startSandbox({ ...config.options, log, onChange });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EADDRINUSE' ? `port ${config.options.port} is already in use (try --port 0)` : err.message;
    io.stderr.write(`Could not start the sandbox: ${why}\n`);
    return 1;
  }
  const running = sandbox;
  const made = (yes: boolean) => (yes ? ' (made for this run)' : '');
  const retryDelays = config.options.webhooks?.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const shown = (key: string, generated: boolean, env: boolean, name: string) => (env ? `(from ${name})` : `${key}${made(generated)}`);
  io.stdout.write(
    `PerfectPay sandbox listening on ${running.url}\n` +
      `  api-key: ${shown(config.options.apiKey, config.generated.apiKey, config.fromEnv.apiKey, KEY_ENV.apiKey)}\n` +
      `  publishable key: ${shown(running.publishableKey, config.generated.publishableKey, config.fromEnv.publishableKey, KEY_ENV.publishableKey)}\n` +
      `  webhooks: ${running.webhookUrl() ?? 'none (events are recorded; --webhook-url to send them)'}, ` +
      `${retryDelays.length} retr${retryDelays.length === 1 ? 'y' : 'ies'} (after ${retryDelays.map((d) => `${d / 1000} s`).join(', ') || '-'})\n` +
      `  webhook secret: ${running.webhookSecret}${made(config.generated.webhookSecret)}\n` +
      `  payments: ${running.paymentCount()} (${running.startedFrom === 'snapshot' ? 'from the snapshot' : 'seeded'})   customer pages: ${running.url}/sandbox   health: ${running.url}/health\n` +
      `  Ctrl+C to stop\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      io.stdout.write(`\n${typeof io.signal.reason === 'string' ? io.signal.reason : 'Stop'}: stopping the sandbox\n`);
      // Should close() ever hang, do not hang with it.
      setTimeout(() => process.exit(0), 3000).unref();
      void running
        .close()
        .catch(() => undefined)
        .then(save)
        .then(() => resolve());
    };
    if (io.signal.aborted) stop();
    else io.signal.addEventListener('abort', stop, { once: true });
  });
  return 0;
}
